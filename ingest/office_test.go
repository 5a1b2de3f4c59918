package ingest_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"dossier/ingest"
	"dossier/notes"
)

// makeZip writes an archive of the named parts, in the order given (name,
// content, name, content...).
func makeZip(tb testing.TB, parts ...string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		f, err := w.Create(parts[i])
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := f.Write([]byte(parts[i+1])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

const docxBody = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>The Kant Airbase</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">The base opened on </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>October 23, 2003</w:t></w:r><w:r><w:t>.</w:t></w:r></w:p>
<w:p><w:r><w:t>Кант — авиабаза.</w:t><w:tab/><w:t>After a tab.</w:t><w:br/><w:t>After a break.</w:t></w:r></w:p>
<w:p><w:r><w:delText>deleted words</w:delText></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell one</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Cell two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>`

const docxCore = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Kant Airbase Briefing</dc:title><dc:creator>Leila Saralaeva</dc:creator><dc:language>en-US</dc:language>
<dcterms:created xsi:type="dcterms:W3CDTF">2023-10-11T09:30:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>
</cp:coreProperties>`

const odtContent = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:body><office:text>
<text:h text:outline-level="1">Report on Manas</text:h>
<text:p>First<text:s text:c="3"/>paragraph <text:span>with a span</text:span>.<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote.</text:p></text:note-body></text:note></text:p>
<text:p>Second<text:tab/>tabbed<text:line-break/>new line.</text:p>
</office:text></office:body></office:document-content>`

const odtMeta = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:meta><meta:initial-creator>Bakyt Example</meta:initial-creator><dc:creator>Someone Who Edited</dc:creator>
<meta:creation-date>2017-04-01T10:00:00</meta:creation-date><dc:date>2018-01-01T00:00:00</dc:date></office:meta></office:document-meta>`

func epubParts(opfMeta string) []string {
	return []string{
		"mimetype", "application/epub+zip",
		"META-INF/container.xml", `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
		"OEBPS/content.opf", `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">` + opfMeta + `</metadata>
<manifest><item id="c2" href="text/ch%202.xhtml" media-type="application/xhtml+xml"/><item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml"/><item id="gone" href="missing.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="c1"/><itemref idref="gone"/><itemref idref="nav" linear="no"/><itemref idref="c2"/></spine></package>`,
		// Stored out of reading order: the spine decides.
		"OEBPS/text/ch 2.xhtml", `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Two</title></head><body><h1>Chapter Two</h1><p>The second chapter.</p></body></html>`,
		"OEBPS/text/ch1.xhtml", `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title><style>p{}</style></head><body><h1>Chapter One</h1><p>The first chapter, in Кант.</p><p>Its second paragraph.</p></body></html>`,
		"OEBPS/nav.xhtml", `<html><body><nav>Contents list</nav></body></html>`,
	}
}

func TestParseOffice(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		data       []byte
		title      string
		author     string
		published  notes.Date
		language   string
		text       []string // in this order
		absent     []string
		media      string
	}{
		{
			name: "docx", file: "briefing.docx", data: makeZip(t, "word/document.xml", docxBody, "docProps/core.xml", docxCore),
			title: "Kant Airbase Briefing", author: "Leila Saralaeva", published: notes.DayDate(2023, time.October, 11), language: "en",
			text:   []string{"The Kant Airbase\n\nThe base opened on October 23, 2003.\n\nКант — авиабаза.\tAfter a tab.\nAfter a break.\n\nCell one\n\nCell two"},
			absent: []string{"deleted words"}, media: ingest.MediaDOCX,
		},
		{
			name: "docx without metadata takes its first heading", file: "untitled.docx", data: makeZip(t, "word/document.xml", docxBody),
			title: "The Kant Airbase", text: []string{"The base opened"}, media: ingest.MediaDOCX,
		},
		{
			name: "odt", file: "manas.odt", data: makeZip(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", odtContent, "meta.xml", odtMeta),
			title: "Report on Manas", author: "Bakyt Example, Someone Who Edited", published: notes.DayDate(2017, time.April, 1),
			text:   []string{"Report on Manas\n\nFirst paragraph with a span.", "A footnote.", "Second\ttabbed\nnew line."},
			absent: []string{"span.1"}, media: ingest.MediaODT,
		},
		{
			name: "epub", file: "book.epub",
			data:  makeZip(t, epubParts(`<dc:title>A Book of Two Chapters</dc:title><dc:creator opf:role="aut">Chingiz Example</dc:creator><dc:language>ru</dc:language><dc:date opf:event="modification">2020-01-01</dc:date><dc:date opf:event="publication">1998</dc:date>`)...),
			title: "A Book of Two Chapters", author: "Chingiz Example", published: notes.YearDate(1998), language: "ru",
			text:   []string{"Chapter One", "The first chapter, in Кант.\n\nIts second paragraph.", "Chapter Two", "The second chapter."},
			absent: []string{"Contents list", "p{}"}, media: ingest.MediaEPUB,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := mustParse(t, tc.file, tc.data)
			if doc.Title != tc.title || doc.Author != tc.author || doc.Published != tc.published {
				t.Errorf("Title, Author, Published = %q, %q, %v; want %q, %q, %v",
					doc.Title, doc.Author, doc.Published, tc.title, tc.author, tc.published)
			}
			if tc.language != "" && !strings.EqualFold(doc.Language, tc.language) {
				t.Errorf("Language=%q, want %q", doc.Language, tc.language)
			}
			if doc.MediaType != tc.media {
				t.Errorf("MediaType=%q, want %q", doc.MediaType, tc.media)
			}
			if len(doc.Pages) != 0 {
				t.Errorf("Pages=%v, want none", doc.Pages)
			}
			last := -1
			for _, s := range tc.text {
				i := strings.Index(doc.Text, s)
				if i <= last {
					t.Fatalf("text lacks %q after offset %d:\n%q", s, last, doc.Text)
				}
				last = i
			}
			for _, s := range tc.absent {
				if strings.Contains(doc.Text, s) {
					t.Errorf("text has %q:\n%q", s, doc.Text)
				}
			}
		})
	}
}

func TestParseOffice_Refused(t *testing.T) {
	imageBook := epubParts("")
	imageBook[7], imageBook[9] = "<html><body><img src=a.png></body></html>", "<html></html>"
	big := strings.Repeat("<w:p><w:r><w:t>aaaaaaaaaaaaaaaa</w:t></w:r></w:p>", (70<<20)/48)
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"not a zip", "x.docx", []byte("plain text pretending"), "broken Word document: not a readable zip archive"},
		{"no document part", "x.docx", makeZip(t, "docProps/core.xml", docxCore), "has no word/document.xml"},
		{"empty document", "x.docx", makeZip(t, "word/document.xml", `<w:document/>`), "Word document has no text"},
		{"zip bomb", "x.docx", makeZip(t, "word/document.xml", big), "inflates to more than 64 MB"},
		{"odt without content", "x.odt", makeZip(t, "meta.xml", odtMeta), "has no content.xml"},
		{"epub without container", "x.epub", makeZip(t, "mimetype", "application/epub+zip"), "has no META-INF/container.xml"},
		{"epub of images", "x.epub", makeZip(t, imageBook...), "no readable text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ingest.Parse(tc.file, tc.data)
			var e *notes.Error
			if doc != nil || !errors.As(err, &e) || e.Kind != notes.EINVALID {
				t.Fatalf("Parse = %v, %v; want an EINVALID error", doc, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}
