package ingest_test

import (
	"testing"
	"time"

	"dossier/ingest"
	"dossier/notes"
)

// fuzzPages adds to fuzzParse's property what paged documents keep: page
// starts rise from 0 and stay inside the text, so every offset has a page.
func fuzzPages(t *testing.T, name string, data []byte) {
	fuzzParse(t, name, data)
	doc, err := ingest.Parse(name, data)
	if err != nil {
		return
	}
	n := len([]rune(doc.Text))
	for i, p := range doc.Pages {
		if (i == 0 && p != 0) || (i > 0 && p < doc.Pages[i-1]) || p > n {
			t.Fatalf("Pages=%v for a text of %d code points", doc.Pages, n)
		}
	}
	if len(doc.Pages) > 0 && notes.PageAt(doc.Pages, n) != len(doc.Pages) {
		t.Fatalf("the end of the text is not on the last page")
	}
}

func FuzzParsePDF(f *testing.F) {
	addSeeds(f, "pdf/*.pdf", "broken/report.pdf")
	f.Add(makePDF(f, pdfOpts{title: "T", author: "A", created: time.Now()},
		pdfPage{lines: []string{"one"}}, pdfPage{font: "Go", lines: []string{"Кант"}}))
	f.Add(makePDF(f, pdfOpts{protect: true}, pdfPage{lines: []string{"open"}}))
	f.Add(makeXMPPDF(f, xmpPacket("T", "A", "2001"), true))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzPages(t, "f.pdf", data) })
}

func FuzzParseDOCX(f *testing.F) {
	f.Add(makeZip(f, "word/document.xml", docxBody, "docProps/core.xml", docxCore))
	f.Add([]byte(docxBody))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.docx", data) })
}

func FuzzParseODT(f *testing.F) {
	f.Add(makeZip(f, "content.xml", odtContent, "meta.xml", odtMeta))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.odt", data) })
}

func FuzzParseEPUB(f *testing.F) {
	f.Add(makeZip(f, epubParts(`<dc:title>T</dc:title><dc:date>2001</dc:date>`)...))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.epub", data) })
}

func FuzzRTF(f *testing.F) {
	addSeeds(f, "rtf/*.rtf")
	f.Add([]byte(`{\rtf1{\upr{\title A}{\*\ud{\title \u1050?}}}\uc2\u-10179\'3f\'3f\u-8704??{\stylesheet{\s1 heading 1;}}\s1 H\par\intbl a\cell\row b}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.rtf", data) })
}
