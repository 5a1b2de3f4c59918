package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"dossier/notes"
)

// DOCX, ODT and EPUB are zip archives of XML. They are untrusted input:
// entries are read through limits on their count and on the bytes
// actually inflated (never the sizes the archive declares), so a zip bomb
// fails with a message instead of filling memory.
const (
	maxZipEntries = 10000
	maxZipEntry   = 64 << 20  // one XML part
	maxZipTotal   = 256 << 20 // all parts read from one file
)

// zipDoc reads parts of one archive and counts what it inflates.
type zipDoc struct {
	files map[string]*zip.File
	read  int64
	kind  string // "Word document", for messages
}

func openZip(data []byte, kind string) (*zipDoc, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalid("broken %s: not a readable zip archive", kind)
	}
	if len(zr.File) > maxZipEntries {
		return nil, invalid("broken %s: %d parts, more than %d", kind, len(zr.File), maxZipEntries)
	}
	z := &zipDoc{files: make(map[string]*zip.File, len(zr.File)), kind: kind}
	for _, f := range zr.File {
		z.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	return z, nil
}

// errMissingPart is returned by part for a name the archive lacks.
var errMissingPart = errors.New("missing part")

// part returns the inflated bytes of the named entry.
func (z *zipDoc) part(name string) ([]byte, error) {
	f := z.files[name]
	if f == nil {
		return nil, errMissingPart
	}
	rc, err := f.Open()
	if err != nil {
		return nil, invalid("broken %s: part %s cannot be read", z.kind, name)
	}
	defer rc.Close()
	limit := min(int64(maxZipEntry), maxZipTotal-z.read)
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	z.read += int64(len(b))
	switch {
	case int64(len(b)) > limit:
		return nil, invalid("broken %s: part %s inflates to more than %s", z.kind, name, humanSize(limit))
	case err != nil:
		return nil, invalid("broken %s: part %s is damaged", z.kind, name)
	}
	return b, nil
}

// mustPart is part for entries the format requires.
func (z *zipDoc) mustPart(name string) ([]byte, error) {
	b, err := z.part(name)
	if errors.Is(err, errMissingPart) {
		return nil, invalid("broken %s: it has no %s", z.kind, name)
	}
	return b, err
}

// xmlDecoder reads XML leniently: office files carry entities and
// encodings declared in ways the strict decoder refuses.
func xmlDecoder(b []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if cs := strings.ToLower(label); cs == "utf-8" || cs == "utf8" || cs == "" {
			return r, nil
		}
		b, err := io.ReadAll(io.LimitReader(r, maxZipEntry))
		if err != nil {
			return nil, err
		}
		return strings.NewReader(decodeLabeled(b, label)), nil
	}
	return d
}

// paragraphs builds a document text out of paragraphs: blank lines
// between them, white space inside each collapsed as a reader sees it.
type paragraphs struct {
	b       strings.Builder
	cur     strings.Builder
	heading string // the first heading, a title when metadata has none
}

func (p *paragraphs) text(s string) { p.cur.WriteString(s) }

// end closes the current paragraph; heading says whether it was one.
// Runs of spaces and newlines from the XML's layout become one space;
// tabs and line breaks the author typed stay.
func (p *paragraphs) end(heading bool) {
	lines := strings.Split(p.cur.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '\r' }), " ")
	}
	s := strings.TrimSpace(strings.Join(lines, "\n"))
	p.cur.Reset()
	if s == "" {
		return
	}
	if heading && p.heading == "" {
		p.heading = s
	}
	if p.b.Len() > 0 {
		p.b.WriteString("\n\n")
	}
	p.b.WriteString(s)
}

func (p *paragraphs) String() string { p.end(false); return p.b.String() }

// officeMeta is the metadata common to docProps/core.xml, meta.xml and an
// EPUB package document: all Dublin Core underneath.
type officeMeta struct {
	title, author, language string
	created                 notes.Date
}

func (m *officeMeta) apply(doc *notes.Document, firstHeading string) {
	doc.Title = cutTitle(firstNonEmpty(m.title, firstHeading))
	doc.Author = m.author
	doc.Published = m.created
	doc.Language = langTag(m.language)
}

// readDCMeta reads title, creators, language and a creation or
// publication date from an XML part, by local name: core.xml uses dc: and
// dcterms:, meta.xml dc: and meta:, OPF dc: with opf: attributes.
// dateFields are the local names of the elements that hold the date, most
// trusted first.
func readDCMeta(b []byte, creatorFields []string, dateFields ...string) officeMeta {
	var m officeMeta
	var authors []string
	dates := map[string]string{}
	dec := xmlDecoder(b)
	var field string
	var text strings.Builder
	isOne := func(s string, set []string) bool {
		for _, v := range set {
			if s == v {
				return true
			}
		}
		return false
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			field = t.Name.Local
			text.Reset()
			// EPUB 2 marks the publication date with opf:event.
			for _, a := range t.Attr {
				if a.Name.Local == "event" && field == "date" {
					field = "date-" + a.Value
				}
			}
		case xml.CharData:
			if field != "" {
				text.Write(t)
			}
		case xml.EndElement:
			v := cleanMeta(text.String())
			switch {
			case v == "" || field == "":
			case field == "title" && m.title == "":
				m.title = v
			case isOne(field, creatorFields):
				authors = append(authors, v)
			case field == "language" && m.language == "":
				m.language = v
			default:
				if _, ok := dates[field]; !ok {
					dates[field] = v
				}
			}
			field = ""
		}
	}
	m.author = strings.Join(dedupe(authors), ", ")
	for _, f := range dateFields {
		if v, ok := dates[f]; ok {
			if d := metaDate(v); d.Known() {
				m.created = d
				break
			}
		}
	}
	return m
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// parseDOCX reads a Word document: word/document.xml in order, a blank
// line after each paragraph, tabs and line breaks kept; metadata from
// docProps/core.xml.
func parseDOCX(doc *notes.Document, data []byte) error {
	doc.MediaType, doc.Importer = MediaDOCX, ImporterDOCX
	z, err := openZip(data, "Word document")
	if err != nil {
		return err
	}
	body, err := z.mustPart("word/document.xml")
	if err != nil {
		return err
	}
	var p paragraphs
	dec := xmlDecoder(body)
	inText, heading := false, false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				p.text("\t")
			case "br", "cr":
				p.text("\n")
			case "pStyle":
				v := strings.ToLower(xmlAttr(t, "val"))
				heading = heading || strings.HasPrefix(v, "heading") || v == "title"
			}
		case xml.CharData:
			if inText {
				p.text(string(t))
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				p.end(heading)
				heading = false
			}
		}
	}
	doc.Text = p.String()
	if isBlank(doc.Text) {
		return invalid("Word document has no text")
	}
	var m officeMeta
	if core, err := z.part("docProps/core.xml"); err == nil {
		m = readDCMeta(core, []string{"creator"}, "created")
	}
	m.apply(doc, p.heading)
	return nil
}

// parseODT reads an OpenDocument text: headings and paragraphs of
// content.xml in order; metadata from meta.xml.
func parseODT(doc *notes.Document, data []byte) error {
	doc.MediaType, doc.Importer = MediaODT, ImporterODT
	z, err := openZip(data, "OpenDocument text")
	if err != nil {
		return err
	}
	body, err := z.mustPart("content.xml")
	if err != nil {
		return err
	}
	var p paragraphs
	dec := xmlDecoder(body)
	depth := 0 // of open text:p and text:h
	skip := 0  // inside elements whose text is not body text
	inBody := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "text":
				if t.Name.Space == "urn:oasis:names:tc:opendocument:xmlns:office:1.0" {
					inBody = true
				}
			case "p", "h":
				if depth > 0 {
					// A paragraph inside one (a footnote, a frame) ends
					// the text before it.
					p.end(false)
				}
				depth++
			case "s":
				n, _ := strconv.Atoi(xmlAttr(t, "c"))
				p.text(strings.Repeat(" ", max(1, min(n, 100))))
			case "tab":
				p.text("\t")
			case "line-break":
				p.text("\n")
			case "note-citation", "tracked-changes", "annotation":
				skip++
			}
		case xml.CharData:
			if inBody && depth > 0 && skip == 0 {
				p.text(string(t))
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p", "h":
				p.end(t.Name.Local == "h")
				depth = max(0, depth-1)
			case "note-citation", "tracked-changes", "annotation":
				skip = max(0, skip-1)
			}
		}
	}
	doc.Text = p.String()
	if isBlank(doc.Text) {
		return invalid("OpenDocument text has no text")
	}
	var m officeMeta
	if meta, err := z.part("meta.xml"); err == nil {
		m = readDCMeta(meta, []string{"initial-creator", "creator"}, "creation-date", "date")
	}
	m.apply(doc, p.heading)
	return nil
}

// maxChapters caps the spine of an EPUB.
const maxChapters = 5000

// parseEPUB reads an e-book: the chapters of the spine in reading order,
// each rendered as HTML is, separated by blank lines; metadata from the
// package document (OPF).
func parseEPUB(doc *notes.Document, data []byte) error {
	doc.MediaType, doc.Importer = MediaEPUB, ImporterEPUB
	z, err := openZip(data, "EPUB book")
	if err != nil {
		return err
	}
	container, err := z.mustPart("META-INF/container.xml")
	if err != nil {
		return err
	}
	opfPath := ""
	dec := xmlDecoder(container)
	for opfPath == "" {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "rootfile" {
			opfPath = xmlAttr(t, "full-path")
		}
	}
	if opfPath == "" {
		return invalid("broken EPUB book: META-INF/container.xml names no package document")
	}
	opf, err := z.mustPart(opfPath)
	if err != nil {
		return err
	}
	manifest := map[string]string{} // id → href
	var spine []string
	dec = xmlDecoder(opf)
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch t.Name.Local {
		case "item":
			manifest[xmlAttr(t, "id")] = xmlAttr(t, "href")
		case "itemref":
			if xmlAttr(t, "linear") != "no" && len(spine) < maxChapters {
				spine = append(spine, xmlAttr(t, "idref"))
			}
		}
	}
	dir := path.Dir(opfPath)
	var text strings.Builder
	for _, id := range spine {
		href := manifest[id]
		if href == "" {
			continue
		}
		if i := strings.IndexByte(href, '#'); i >= 0 {
			href = href[:i]
		}
		name := path.Join(dir, unescapeHref(href))
		b, err := z.part(name)
		if errors.Is(err, errMissingPart) {
			continue // a dangling spine entry loses a chapter, not the book
		}
		if err != nil {
			return err
		}
		ch := chapterText(b)
		if ch == "" {
			continue
		}
		if text.Len() > 0 {
			text.WriteString("\n\n")
		}
		text.WriteString(ch)
	}
	doc.Text = text.String()
	if isBlank(doc.Text) {
		return invalid("EPUB book has no readable text (is it only images?)")
	}
	m := readDCMeta(opf, []string{"creator"}, "date-publication", "date", "date-original-publication", "date-creation")
	m.apply(doc, "")
	return nil
}

// chapterText renders one XHTML chapter as the HTML importer renders a
// page, without its article detection: a chapter is all content.
func chapterText(b []byte) string {
	src, err := decodeHTML(b)
	if err != nil {
		return ""
	}
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(extractText(fallbackRoot(root)))
}

func unescapeHref(h string) string {
	if !strings.Contains(h, "%") {
		return h
	}
	var b strings.Builder
	for i := 0; i < len(h); i++ {
		if h[i] == '%' && i+2 < len(h) {
			if v, err := strconv.ParseUint(h[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(h[i])
	}
	return b.String()
}

func xmlAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
