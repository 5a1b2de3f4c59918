package ingest_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"dossier/notes"
)

func xmpPacket(title, author, date string) string {
	return `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + title + `</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>` + author + `</rdf:li></rdf:Seq></dc:creator>
<xmp:CreateDate>` + date + `</xmp:CreateDate>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`
}

func deflate(tb testing.TB, s string) string {
	tb.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// makeXMPPDF writes, byte by byte, a one-page PDF without an information
// dictionary whose catalog names a FlateDecode-compressed XMP stream, as
// Acrobat, Word and LibreOffice write them. An uncompressed decoy packet
// (like an embedded image's) comes first in the file. With objStm, the
// catalog sits in a compressed object stream indexed by an xref stream
// (PDF 1.5), so its bytes cannot be searched.
func makeXMPPDF(tb testing.TB, xmp string, objStm bool) []byte {
	tb.Helper()
	content := deflate(tb, "BT /F1 12 Tf 72 720 Td (Body text.) Tj ET")
	meta := deflate(tb, xmp)
	decoy := xmpPacket("Logo of the ministry", "Image Tool", "1999")
	objs := map[int]string{
		// A nested dictionary before /Type, as some writers order keys.
		1: "<< /ViewerPreferences << /DisplayDocTitle true >> /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
		2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		3: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>",
		4: fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(content), content),
		5: fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length 8 0 R /Filter [/FlateDecode] >>\nstream\r\n%s\r\nendstream", meta),
		6: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		7: fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(decoy), decoy),
		8: fmt.Sprint(len(meta)),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offsets := map[int]int{}
	write := func(n int, body string) {
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	if !objStm {
		for n := 7; n >= 1; n-- { // the decoy first
			write(n, objs[n])
		}
		write(8, objs[8])
		xref := b.Len()
		b.WriteString("xref\n0 9\n0000000000 65535 f \n")
		for n := 1; n <= 8; n++ {
			fmt.Fprintf(&b, "%010d 00000 n \n", offsets[n])
		}
		fmt.Fprintf(&b, "trailer\n<< /Size 9 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)
		return b.Bytes()
	}
	// Objects 1, 2 and 6 go into object stream 9.
	inStm := []int{1, 2, 6}
	var head, members strings.Builder
	for _, n := range inStm {
		fmt.Fprintf(&head, "%d %d ", n, members.Len())
		members.WriteString(objs[n] + "\n")
	}
	stm := deflate(tb, head.String()+members.String())
	for _, n := range []int{7, 3, 4, 5, 8} {
		write(n, objs[n])
	}
	write(9, fmt.Sprintf("<< /Type /ObjStm /N %d /Length %d /Filter /FlateDecode /First %d >>\nstream\n%s\nendstream",
		len(inStm), len(stm), head.Len(), stm))
	offsets[10] = b.Len()
	var xs bytes.Buffer
	entry := func(typ byte, a uint32, c uint16) {
		xs.WriteByte(typ)
		_ = binary.Write(&xs, binary.BigEndian, a)
		_ = binary.Write(&xs, binary.BigEndian, c)
	}
	entry(0, 0, 65535)
	for n := 1; n <= 10; n++ {
		if i := indexOf(inStm, n); i >= 0 {
			entry(2, 9, uint16(i))
		} else {
			entry(1, uint32(offsets[n]), 0)
		}
	}
	fmt.Fprintf(&b, "10 0 obj\n<< /Type /XRef /Size 11 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n", xs.Len())
	b.Write(xs.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", offsets[10])
	return b.Bytes()
}

func indexOf(ns []int, n int) int {
	for i, v := range ns {
		if v == n {
			return i
		}
	}
	return -1
}

func TestParsePDF_CompressedXMP(t *testing.T) {
	xmp := xmpPacket("Засуха в Чуйской долине", "Anna Example", "2021-05-17T10:00:00+06:00")
	huge := xmpPacket("Too big", "Nobody", "2001") + strings.Repeat(" ", 2<<20)
	for _, tc := range []struct {
		name   string
		data   []byte
		title  string
		author string
		date   notes.Date
	}{
		{"catalog and metadata as plain objects", makeXMPPDF(t, xmp, false),
			"Засуха в Чуйской долине", "Anna Example", notes.DayDate(2021, time.May, 17)},
		{"catalog in a compressed object stream", makeXMPPDF(t, xmp, true),
			"Засуха в Чуйской долине", "Anna Example", notes.DayDate(2021, time.May, 17)},
		// Over the 1 MB cap: not read, and not the decoy either.
		{"metadata inflating past the cap", makeXMPPDF(t, huge, true), "doc", "", notes.Date{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := mustParse(t, "doc.pdf", tc.data)
			if doc.Title != tc.title || doc.Author != tc.author || doc.Published != tc.date {
				t.Errorf("Title, Author, Published = %q, %q, %v; want %q, %q, %v",
					doc.Title, doc.Author, doc.Published, tc.title, tc.author, tc.date)
			}
			if !strings.Contains(doc.Text, "Body text.") {
				t.Errorf("Text = %q", doc.Text)
			}
		})
	}
}
