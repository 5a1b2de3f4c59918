package ingest

import (
	"bytes"
	"strings"
)

// sniffLen is how much of a file sniffing looks at; Walk reads this much
// of files whose extension says nothing.
const sniffLen = 1024

// magics are signatures of common binary files that can pass for text in
// their first kilobyte.
var magics = []struct {
	sig, name string
}{
	{"%PDF-", "PDF document"},
	{"PK\x03\x04", "ZIP archive or Office document"},
	{"\xD0\xCF\x11\xE0", "old Office document"},
	{"{\\rtf", "RTF document"},
	{"\x89PNG", "PNG image"},
	{"GIF8", "GIF image"},
	{"\xFF\xD8\xFF", "JPEG image"},
	{"\x1F\x8B", "gzip archive"},
	{"7z\xBC\xAF", "7-Zip archive"},
	{"Rar!", "RAR archive"},
	{"OggS", "Ogg media"},
	{"RIFF", "RIFF media"},
	{"SQLite format 3", "SQLite database"},
	{"\x7FELF", "program"},
}

func magicName(head []byte) string {
	for _, m := range magics {
		if bytes.HasPrefix(head, []byte(m.sig)) {
			return m.name
		}
	}
	return ""
}

// sniff tells the format of a file from its first bytes: RTF, HTML,
// e-mail, plain text, or formatNone for anything that is not text.
func sniff(data []byte) format {
	head := data[:min(len(data), sniffLen)]
	if len(head) == 0 {
		return formatNone
	}
	if isRTF(trimRTF(head)) {
		return formatRTF
	}
	var s string
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		s = string(head[len(bomUTF8):])
	case bytes.HasPrefix(head, bomUTF16LE):
		s = decodeUTF16(head[2:len(head)&^1], false)
	case bytes.HasPrefix(head, bomUTF16BE):
		s = decodeUTF16(head[2:len(head)&^1], true)
	default:
		if magicName(head) != "" {
			return formatNone
		}
		if bytes.IndexByte(head, 0) >= 0 {
			be, ok := sniffUTF16(head)
			if !ok {
				return formatNone
			}
			s = decodeUTF16(head[:len(head)&^1], be)
		} else {
			if tooManyControls(head) {
				return formatNone
			}
			s = string(head)
		}
	}
	s = strings.TrimLeft(s, " \t\r\n\f\ufeff")
	switch {
	case looksHTML(s):
		return formatHTML
	case looksEmail(s):
		return formatEmail
	}
	return formatText
}

// errBinary explains why sniff refused a file without an extension.
func errBinary(data []byte) error {
	head := data[:min(len(data), sniffLen)]
	if name := magicName(head); name != "" {
		return invalid("unsupported file type (%s)", name)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return errNUL()
	}
	return errControls()
}

func looksHTML(s string) bool {
	if !strings.HasPrefix(s, "<") {
		return false
	}
	l := strings.ToLower(s)
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body"} {
		if strings.Contains(l, tag) {
			return true
		}
	}
	return false
}

// emailHeaders are header fields that mark a message; a file must open
// with a block of header lines holding several of them to sniff as e-mail.
var emailHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "subject": true, "date": true, "message-id": true,
	"received": true, "return-path": true, "mime-version": true, "delivered-to": true,
	"reply-to": true, "sender": true, "x-mailer": true, "content-type": true,
}

func looksEmail(s string) bool {
	// mbox exports put a "From sender date" line before the headers.
	if strings.HasPrefix(s, "From ") {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i+1:]
		}
	}
	known, anchor := 0, false
	for n := 0; s != "" && n < 40; n++ {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if n == 0 {
				return false
			}
			continue // folded continuation of the previous field
		}
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || colon > 76 {
			if s == "" && n > 0 {
				break // the head cut this line short
			}
			return false
		}
		key := strings.ToLower(line[:colon])
		for i := 0; i < len(key); i++ {
			if c := key[i]; c <= ' ' || c >= 0x7F {
				return false
			}
		}
		if emailHeaders[key] {
			known++
		}
		switch key {
		case "from", "received", "message-id", "return-path":
			anchor = true
		}
	}
	return anchor && known >= 2
}
