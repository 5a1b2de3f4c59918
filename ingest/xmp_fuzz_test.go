package ingest

import (
	"bytes"
	"compress/zlib"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzPDFXMP feeds the PDF object reader behind parseXMP, which reads
// untrusted bytes without PDFium's sandbox: it must not panic, and what it
// returns must be valid text.
func FuzzPDFXMP(f *testing.F) {
	// The small real PDF only: minimising inputs grown from the 135 KB
	// manual takes the fuzzer most of a minute each.
	if b, err := os.ReadFile(filepath.Join("testdata", "pdf", "ghostscript.pdf")); err == nil {
		f.Add(b)
	}
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write([]byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:title="T"/></rdf:RDF></x:xmpmeta>`))
	w.Close()
	var stm bytes.Buffer
	zs := zlib.NewWriter(&stm)
	zs.Write([]byte("1 0 <</Type /Catalog /Metadata 2 0 R>>"))
	zs.Close()
	f.Add([]byte("%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Metadata 2 0 R >>\nendobj\n2 0 obj\n<< /Length 3 0 R /Filter [/FlateDecode] >>\nstream\n" +
		z.String() + "\nendstream\nendobj\n"))
	f.Add([]byte("%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n" + stm.String() +
		"\nendstream\nendobj\n2 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + z.String() + "\nendstream\nendobj\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := parseXMP(data)
		if !utf8.ValidString(m.title) || !utf8.ValidString(m.author) {
			t.Fatalf("invalid UTF-8: %+v", m)
		}
	})
}
