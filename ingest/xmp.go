package ingest

import (
	"bytes"
	"encoding/xml"
	"strings"

	"dossier/notes"
)

// XMP namespaces whose fields Dossier reads.
const (
	nsRDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsDC  = "http://purl.org/dc/elements/1.1/"
	nsXMP = "http://ns.adobe.com/xap/1.0/"
)

// xmpMeta is what an XMP packet says about a document.
type xmpMeta struct {
	title, author string
	created       notes.Date
}

// maxXMP caps the size of a packet we read: real ones are a few KB.
const maxXMP = 1 << 20

// parseXMP finds the document's XMP packet in a PDF and reads dc:title,
// dc:creator and xmp:CreateDate from it. PDFium has no call for the
// catalog's /Metadata stream, so it is found in the file's bytes: the
// catalog (a plain object, or one inside a compressed object stream) names
// the stream, which is read and, when FlateDecode-compressed as most
// writers keep it, inflated; a stream it cannot read (too large,
// encrypted, other filters) yields nothing. When no catalog naming one is
// found, a file whose bytes hold exactly one uncompressed packet has it
// read; several (embedded images carry their own) or none yield nothing.
// The information dictionary is then the only source.
func parseXMP(data []byte) xmpMeta {
	if pkt, named := catalogXMP(data); named {
		if pkt == nil {
			return xmpMeta{}
		}
		return readXMP(pkt)
	}
	const open, close = "<x:xmpmeta", "</x:xmpmeta>"
	i := bytes.Index(data, []byte(open))
	if i < 0 || bytes.Index(data[i+len(open):], []byte(open)) >= 0 {
		return xmpMeta{}
	}
	j := bytes.Index(data[i:], []byte(close))
	if j < 0 || j > maxXMP {
		return xmpMeta{}
	}
	return readXMP(data[i : i+j+len(close)])
}

// readXMP reads one <x:xmpmeta> element. Fields may be elements or
// attributes of rdf:Description; both forms are common.
func readXMP(packet []byte) xmpMeta {
	var m xmpMeta
	var authors []string
	dec := xml.NewDecoder(bytes.NewReader(packet))
	dec.Strict = false
	var field string // the dc/xmp property being read, "" when none
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == nsRDF && t.Name.Local == "Description":
				for _, a := range t.Attr {
					switch {
					case a.Name.Space == nsDC && a.Name.Local == "title" && m.title == "":
						m.title = cleanMeta(a.Value)
					case a.Name.Space == nsXMP && a.Name.Local == "CreateDate" && !m.created.Known():
						m.created = metaDate(a.Value)
					}
				}
			case t.Name.Space == nsDC && (t.Name.Local == "title" || t.Name.Local == "creator"):
				field = t.Name.Local
			case t.Name.Space == nsXMP && t.Name.Local == "CreateDate":
				field = "created"
				text.Reset()
			case t.Name.Space == nsRDF && t.Name.Local == "li" && field != "":
				text.Reset()
			}
		case xml.CharData:
			if field != "" {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case t.Name.Space == nsRDF && t.Name.Local == "li":
				switch field {
				case "title":
					// The first alternative is x-default by convention.
					if m.title == "" {
						m.title = cleanMeta(text.String())
					}
				case "creator":
					if a := cleanMeta(text.String()); a != "" {
						authors = append(authors, a)
					}
				}
			case t.Name.Space == nsXMP && t.Name.Local == "CreateDate":
				if !m.created.Known() {
					m.created = metaDate(text.String())
				}
				field = ""
			case t.Name.Space == nsDC && (t.Name.Local == "title" || t.Name.Local == "creator"):
				field = ""
			}
		}
	}
	m.author = strings.Join(authors, ", ")
	return m
}
