package ingest

import (
	"bytes"
	"compress/zlib"
	"io"
	"strconv"
)

// A few PDF objects are read from the file's bytes without PDFium, which
// does not hand them out: the catalog and its /Metadata stream. This is
// not a PDF parser. It finds objects by their "N G obj" headers, the last
// definition winning as after an incremental update, and gives up (nil)
// on anything it does not expect. Every read is bounded: a hostile file
// costs at most maxObjStmInflate of inflating.

const (
	maxObjStms       = 200      // object streams searched for the catalog
	maxObjStmInflate = 32 << 20 // bytes inflated from them in all
	maxDictBytes     = 64 << 10 // from "obj" to "stream": a stream's dictionary
	maxStreamScan    = 16 << 20 // looked through for "endstream" when /Length fails
)

// catalogXMP returns the XMP packet that the document catalog names, nil
// if it cannot be read; named says whether the catalog names one.
func catalogXMP(data []byte) (pkt []byte, named bool) {
	num, gen, ok := catalogMetadataRef(data)
	if !ok {
		return nil, false
	}
	start, ok := findObject(data, num, gen)
	if !ok {
		return nil, true
	}
	pkt, ok = objectStream(data, start, maxXMP)
	if !ok || !bytes.Contains(pkt, []byte("xmpmeta")) {
		return nil, true
	}
	return pkt, true
}

// catalogMetadataRef finds the /Metadata reference of the document
// catalog: the last /Type /Catalog among plain objects, else the first one
// found inside an object stream.
func catalogMetadataRef(data []byte) (num, gen int, ok bool) {
	if i := lastCatalog(data); i >= 0 {
		objStart := bytes.LastIndex(data[:i], []byte("obj"))
		end := bytes.Index(data[i:], []byte("endobj"))
		if objStart < 0 || end < 0 {
			return 0, 0, false
		}
		return metadataRef(data[objStart : i+end])
	}
	budget := maxObjStmInflate
	from := 0
	for n := 0; n < maxObjStms; n++ {
		k := bytes.Index(data[from:], []byte("/ObjStm"))
		if k < 0 {
			break
		}
		at := from + k
		from = at + len("/ObjStm")
		start := bytes.LastIndex(data[max(0, at-maxDictBytes):at], []byte("obj"))
		if start < 0 {
			continue
		}
		start += max(0, at-maxDictBytes)
		body, ok := objectStream(data, start+len("obj"), budget)
		if !ok {
			continue
		}
		budget -= len(body)
		if c := lastCatalog(body); c >= 0 {
			dict := data[start:]
			dict = dict[:bytes.Index(dict, []byte("stream"))] // objectStream found it
			if num, gen, ok := metadataRef(objStmMember(dict, body, c)); ok {
				return num, gen, true
			}
		}
		if budget <= 0 {
			break
		}
	}
	return 0, 0, false
}

// lastCatalog returns the offset of the last "/Type /Catalog" in b, or -1.
func lastCatalog(b []byte) int {
	for end := len(b); end > 0; {
		i := bytes.LastIndex(b[:end], []byte("/Catalog"))
		if i < 0 {
			return -1
		}
		end = i
		j := len(bytes.TrimRight(b[:i], " \t\r\n\f\x00"))
		if bytes.HasSuffix(b[:j], []byte("/Type")) {
			return i
		}
	}
	return -1
}

// objStmMember returns the object of an object stream that holds offset
// c of its decoded body. The stream starts with /N pairs of object number
// and offset (from /First, in its dictionary dict); objects follow one
// another without delimiters.
func objStmMember(dict, body []byte, c int) []byte {
	first, _, ok := pdfInt(afterKey(dict, "/First"))
	if !ok || first > c {
		return nil
	}
	lo, hi := first, len(body)
	head := body[:first]
	for {
		var off int
		var ok1, ok2 bool
		_, head, ok1 = pdfInt(head)
		off, head, ok2 = pdfInt(head)
		if !ok1 || !ok2 {
			break
		}
		switch at := first + off; {
		case at <= c && at > lo:
			lo = at
		case at > c && at < hi:
			hi = at
		}
	}
	return body[lo:hi]
}

// metadataRef reads "/Metadata N G R" out of a dictionary's bytes.
func metadataRef(dict []byte) (num, gen int, ok bool) {
	i := bytes.Index(dict, []byte("/Metadata"))
	if i < 0 {
		return 0, 0, false
	}
	rest := dict[i+len("/Metadata"):]
	num, rest, ok1 := pdfInt(rest)
	gen, rest, ok2 := pdfInt(rest)
	rest = bytes.TrimLeft(rest, " \t\r\n\f\x00")
	if !ok1 || !ok2 || len(rest) == 0 || rest[0] != 'R' || num <= 0 {
		return 0, 0, false
	}
	return num, gen, true
}

// pdfInt reads a non-negative integer after white space.
func pdfInt(b []byte) (int, []byte, bool) {
	b = bytes.TrimLeft(b, " \t\r\n\f\x00")
	n := 0
	for n < len(b) && n < 10 && isDigit(b[n]) {
		n++
	}
	if n == 0 {
		return 0, b, false
	}
	v, err := strconv.Atoi(string(b[:n]))
	return v, b[n:], err == nil
}

// findObject returns the offset just past the last "num gen obj" header.
func findObject(data []byte, num, gen int) (int, bool) {
	head := []byte(strconv.Itoa(num) + " " + strconv.Itoa(gen) + " obj")
	for end := len(data); end > 0; {
		i := bytes.LastIndex(data[:end], head)
		if i < 0 {
			return 0, false
		}
		end = i
		if i == 0 || !isDigit(data[i-1]) {
			return i + len(head), true
		}
	}
	return 0, false
}

// objectStream returns the decoded data of the stream object whose
// dictionary starts at or after off (just past its "obj"): raw, or
// inflated when its only filter is FlateDecode without a predictor; at
// most limit bytes.
func objectStream(data []byte, off, limit int) ([]byte, bool) {
	if limit <= 0 || off >= len(data) {
		return nil, false
	}
	rest := data[off:]
	head := rest[:min(len(rest), maxDictBytes)]
	s := bytes.Index(head, []byte("stream"))
	if e := bytes.Index(head, []byte("endobj")); s < 0 || (e >= 0 && e < s) {
		return nil, false // not a stream
	}
	dict := rest[:s]
	body := rest[s+len("stream"):]
	switch {
	case bytes.HasPrefix(body, []byte("\r\n")):
		body = body[2:]
	case bytes.HasPrefix(body, []byte("\n")), bytes.HasPrefix(body, []byte("\r")):
		body = body[1:]
	}
	// /Length may be an indirect reference; "endstream" is the fallback
	// that every writer puts after the data anyway.
	if n, _, ok := pdfInt(afterKey(dict, "/Length")); ok && n <= len(body) &&
		bytes.HasPrefix(bytes.TrimLeft(body[n:], " \t\r\n\f\x00"), []byte("endstream")) {
		body = body[:n]
	} else if e := bytes.Index(body[:min(len(body), maxStreamScan)], []byte("endstream")); e >= 0 {
		body = bytes.TrimRight(body[:e], "\r\n")
	} else {
		return nil, false
	}
	switch filter := afterKey(dict, "/Filter"); {
	case filter == nil:
		if len(body) > limit {
			return nil, false
		}
		return body, true
	case !onlyFlate(filter), bytes.Contains(dict, []byte("/Predictor")):
		return nil, false
	}
	zr, err := zlib.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if len(out) > limit || (err != nil && len(out) == 0) {
		return nil, false
	}
	return out, true
}

// onlyFlate reports whether a /Filter value is FlateDecode alone, as a
// name or an array of one.
func onlyFlate(v []byte) bool {
	const ws = " \t\r\n\f\x00"
	v = bytes.TrimLeft(v, ws)
	inArray := len(v) > 0 && v[0] == '['
	if inArray {
		v = bytes.TrimLeft(v[1:], ws)
	}
	if !bytes.HasPrefix(v, []byte("/FlateDecode")) {
		return false
	}
	v = v[len("/FlateDecode"):]
	if inArray {
		v = bytes.TrimLeft(v, ws)
		return len(v) > 0 && v[0] == ']'
	}
	return len(v) == 0 || !isASCIILetter(v[0]) && !isDigit(v[0])
}

// afterKey returns the bytes after a key of a dictionary, nil without it.
func afterKey(dict []byte, key string) []byte {
	for from := 0; ; {
		i := bytes.Index(dict[from:], []byte(key))
		if i < 0 {
			return nil
		}
		end := from + i + len(key)
		// "/Length" must not match "/Length1" of a font file.
		if end < len(dict) && (isASCIILetter(dict[end]) || isDigit(dict[end])) {
			from = end
			continue
		}
		return dict[end:]
	}
}
