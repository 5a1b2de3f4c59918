package ingest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
	"unicode/utf8"

	"dossier/notes"
)

// Limits on the MIME tree of one message, so a hostile file cannot make
// Parse recurse or loop without end.
const (
	maxMIMEDepth = 16
	maxMIMEParts = 1000
)

func parseEmail(doc *notes.Document, data []byte) error {
	h, body, err := readMessage(skipMboxLine(data))
	if err != nil {
		return invalid("e-mail headers cannot be read: %w", err)
	}
	r := mimeReader{budget: maxMIMEParts}
	text, hint, attachments := r.message(h, body, 0)
	if isBlank(text) {
		// A scan mailed as a PDF, or a message with no body: its text says
		// who sent what, as a forwarded message's does, rather than the
		// message being refused as empty.
		text = withHeaderLines(h, hint, listAttachments(attachments))
	}
	if isBlank(text) {
		return invalid("e-mail has no readable body")
	}
	doc.Text = text
	doc.MediaType = MediaEmail
	doc.Importer = ImporterEmail
	doc.Title = cutTitle(decodeHeader(h.Get("Subject"), hint))
	name, addr := parseFrom(h.Get("From"), hint)
	if name == "" {
		name = addr
	}
	doc.Author = name
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		doc.Source = strings.ToLower(strings.Trim(addr[i+1:], "[]. "))
	}
	doc.Published = emailDate(h.Get("Date"))
	doc.Language = langTag(h.Get("Content-Language"))
	return nil
}

// readMessage splits a message into its header and its body.
func readMessage(data []byte) (textproto.MIMEHeader, []byte, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		// Exports sometimes carry a stray line that is not a header field;
		// dropping such lines beats refusing the message.
		msg, err = mail.ReadMessage(bytes.NewReader(repairHeaders(data)))
		if err != nil {
			return nil, nil, err
		}
	}
	body, _ := io.ReadAll(msg.Body) // a body cut short is read as far as it goes
	return textproto.MIMEHeader(msg.Header), body, nil
}

// skipMboxLine drops the "From sender date" line that mbox exports put
// before a message's headers.
func skipMboxLine(data []byte) []byte {
	if bytes.HasPrefix(data, []byte("From ")) {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			return data[i+1:]
		}
	}
	return data
}

// repairHeaders keeps only well-formed header lines and continuations
// before the first blank line, and ends the header block if the file does
// not.
func repairHeaders(data []byte) []byte {
	var out bytes.Buffer
	rest := data
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		t := bytes.TrimRight(line, "\r\n")
		if len(t) == 0 {
			out.WriteString("\r\n")
			out.Write(rest)
			return out.Bytes()
		}
		if t[0] == ' ' || t[0] == '\t' {
			if out.Len() > 0 {
				out.Write(t)
				out.WriteString("\r\n")
			}
			continue
		}
		if i := bytes.IndexByte(t, ':'); i > 0 && validHeaderKey(t[:i]) {
			out.Write(t)
			out.WriteString("\r\n")
		}
	}
	out.WriteString("\r\n")
	return out.Bytes()
}

func validHeaderKey(k []byte) bool {
	for _, c := range k {
		if c <= ' ' || c >= 0x7F {
			return false
		}
	}
	return true
}

// wordDecoder decodes RFC 2047 encoded words in any charset lookupCharset
// knows, not only the UTF-8 and Latin-1 that mime knows. A word in an
// unknown charset is kept if its bytes are UTF-8 (or ASCII); otherwise the
// header is left encoded rather than guessed at.
var wordDecoder = &mime.WordDecoder{
	CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		// RFC 2231 lets a word name its language after the charset:
		// =?utf-8*ru?B?…?=.
		label, _, _ := strings.Cut(strings.ToLower(charset), "*")
		e := lookupCharset(label)
		switch {
		case e != nil:
			return strings.NewReader(decodeWith(e, b)), nil
		case utf8.Valid(b):
			return bytes.NewReader(b), nil
		}
		return nil, fmt.Errorf("unknown charset %q", charset)
	},
}

// decodeHeader decodes encoded words and raw 8-bit bytes (read in the
// message's charset, or guessed) and unfolds the value.
func decodeHeader(v, charsetHint string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	if !utf8.ValidString(v) {
		v = decodeLabeled([]byte(v), charsetHint)
	}
	return strings.Join(strings.Fields(v), " ")
}

// parseFrom returns the display name and address of the first sender.
func parseFrom(raw, charsetHint string) (name, addr string) {
	if strings.TrimSpace(raw) == "" {
		return "", ""
	}
	p := mail.AddressParser{WordDecoder: wordDecoder}
	if list, err := p.ParseList(raw); err == nil && len(list) > 0 {
		return cleanName(decodeHeader(list[0].Name, charsetHint)), list[0].Address
	}
	v := decodeHeader(raw, charsetHint)
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			addr = strings.TrimSpace(v[i+1 : i+j])
		}
		return cleanName(v[:i]), addr
	}
	for _, f := range strings.Fields(v) {
		if strings.Contains(f, "@") {
			return "", strings.Trim(f, "<>(),;\"")
		}
	}
	return cleanName(v), ""
}

// emailDate reads the Date header as the calendar date written in it, in
// the sender's zone, not converted to UTC: "Wed, 11 Oct 2023 23:30 +0600"
// is 11 October, the day the sender and the text of the message mean.
func emailDate(v string) notes.Date {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '('); i > 0 { // "(UTC)" comments
		v = strings.TrimSpace(v[:i])
	}
	if v == "" {
		return notes.Date{}
	}
	// parseDate reads the usual "Wed, 11 Oct 2023 10:00:00 +0600" many
	// times faster than mail.ParseDate, which is kept for the odd forms.
	if d, ok := parseDate(v, false); ok && d.Precision == notes.PrecisionDay {
		return d
	}
	if t, err := mail.ParseDate(v); err == nil {
		return notes.DayDate(t.Year(), t.Month(), t.Day())
	}
	return notes.Date{}
}

// mimeReader walks the MIME tree of a message, within a budget of parts,
// noting on the way what the text alone does not say.
type mimeReader struct {
	budget      int
	charset     string   // the first charset a part declares, but US-ASCII
	attachments []string // each file attached, as listAttachments names it
}

// message returns the text of a whole message, top-level or forwarded, the
// charset to read its raw 8-bit headers in (its own, or else the first one
// its parts declare) and its attachments.
func (r *mimeReader) message(h textproto.MIMEHeader, body []byte, depth int) (text, hint string, attachments []string) {
	outer, first := r.charset, len(r.attachments)
	r.charset = ""
	text, _ = r.entity(h, body, depth, true)
	hint = r.charset
	if outer != "" {
		r.charset = outer
	}
	return text, hint, r.attachments[first:]
}

// entity returns the readable text of one MIME entity and whether it came
// from HTML. Multipart/alternative yields its text/plain part when that has
// text, else its HTML; other multiparts join the text of their inline
// parts; a forwarded message yields its text under its own From, Date and
// Subject; other attachments yield nothing but are noted.
func (r *mimeReader) entity(h textproto.MIMEHeader, body []byte, depth int, top bool) (string, bool) {
	r.budget--
	if r.budget < 0 || depth > maxMIMEDepth {
		return "", false
	}
	ct := h.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		// Take what can be read of a damaged header: the type before the
		// first ';' and the parameters that matter.
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
		params = map[string]string{"charset": charsetParam(ct), "boundary": boundaryParam(ct)}
	}
	if mt == "" {
		mt = "text/plain"
	}
	if cs := params["charset"]; r.charset == "" && cs != "" && !strings.EqualFold(cs, "us-ascii") {
		r.charset = cs
	}
	isMessage := mt == "message/rfc822" || mt == "message/global"
	// Outlook's "Forward as attachment" sends the forwarded message as an
	// attachment beside an empty body: it is the content, not a file.
	if !top && !isMessage && isAttachment(h, params) {
		r.attachments = append(r.attachments, attachmentName(h, mt, params))
		return "", false
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		parts := splitMultipart(body, params["boundary"])
		if mt == "multipart/alternative" {
			var htmlText string
			for _, p := range parts {
				t, isHTML := r.entity(p.Header, p.body, depth+1, false)
				if isBlank(t) {
					continue
				}
				if !isHTML {
					return t, false
				}
				if htmlText == "" {
					htmlText = t
				}
			}
			return htmlText, htmlText != ""
		}
		var texts []string
		allHTML := true
		for _, p := range parts {
			t, isHTML := r.entity(p.Header, p.body, depth+1, false)
			if !isBlank(t) {
				texts = append(texts, strings.TrimRight(t, "\n"))
				allHTML = allHTML && isHTML
			}
		}
		if len(texts) == 1 {
			return texts[0], allHTML
		}
		return strings.Join(texts, "\n\n"), allHTML && len(texts) > 0
	case mt == "text/plain" || mt == "text/markdown" || mt == "text/x-markdown" || mt == "text":
		b := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
		s := normalizeNewlines(decodeLabeled(b, params["charset"]))
		if strings.EqualFold(params["format"], "flowed") {
			s = unflow(s, strings.EqualFold(params["delsp"], "yes"))
		}
		return strings.ReplaceAll(s, "\x00", ""), false
	case mt == "text/html":
		b := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
		return htmlToText(b, params["charset"]), true
	case isMessage:
		ih, ib, err := readMessage(decodeTransfer(h.Get("Content-Transfer-Encoding"), body))
		if err != nil {
			return "", false
		}
		text, hint, attachments := r.message(ih, ib, depth+1)
		if isBlank(text) {
			text = listAttachments(attachments)
		}
		return withHeaderLines(ih, hint, text), false
	}
	return "", false
}

// withHeaderLines puts a message's From, Date and Subject, those it has,
// above its text, as a mail program shows a forwarded message.
func withHeaderLines(h textproto.MIMEHeader, charsetHint, text string) string {
	var b strings.Builder
	for _, k := range []string{"From", "Date", "Subject"} {
		if v := decodeHeader(h.Get(k), charsetHint); v != "" {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	if !isBlank(text) {
		b.WriteString("\n" + text)
	}
	return b.String()
}

// attachmentName names an attached file as listAttachments lists it:
// "scan.pdf (application/pdf)", or only its type if it has no name.
func attachmentName(h textproto.MIMEHeader, mediaType string, ctParams map[string]string) string {
	_, params, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := params["filename"]
	if name == "" {
		name = ctParams["name"]
	}
	// Outlook writes the name in RFC 2047 words, against RFC 2231.
	if name = decodeHeader(name, ""); name == "" {
		return mediaType
	}
	return name + " (" + mediaType + ")"
}

// listAttachments is the text of a message that has only attachments.
func listAttachments(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "Attachments: " + strings.Join(names, ", ") + "\n"
}

// isAttachment reports whether a part is a file attached to the message
// rather than a piece of its body.
func isAttachment(h textproto.MIMEHeader, ctParams map[string]string) bool {
	if ctParams["name"] != "" {
		return true
	}
	cd := h.Get("Content-Disposition")
	if cd == "" {
		return false
	}
	d, params, err := mime.ParseMediaType(cd)
	if err != nil {
		return strings.HasPrefix(strings.ToLower(strings.TrimSpace(cd)), "attachment") ||
			strings.Contains(strings.ToLower(cd), "filename")
	}
	return d == "attachment" || params["filename"] != ""
}

func boundaryParam(ct string) string {
	i := indexFold(ct, "boundary=")
	if i < 0 {
		return ""
	}
	v := ct[i+len("boundary="):]
	if strings.HasPrefix(v, `"`) {
		if j := strings.IndexByte(v[1:], '"'); j >= 0 {
			return v[1 : j+1]
		}
		return ""
	}
	if j := strings.IndexAny(v, "; \t\r\n"); j >= 0 {
		v = v[:j]
	}
	return v
}

type mimePart struct {
	Header textproto.MIMEHeader
	body   []byte
}

// splitMultipart returns the parts of a multipart body. A body cut short
// yields the parts before the cut and as much of the cut part as there is.
func splitMultipart(body []byte, boundary string) []mimePart {
	if boundary == "" || len(boundary) > 200 {
		return nil
	}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []mimePart
	for len(parts) < maxMIMEParts {
		p, err := r.NextRawPart()
		if err != nil {
			break
		}
		b, err := io.ReadAll(p)
		parts = append(parts, mimePart{Header: p.Header, body: b})
		if err != nil {
			break
		}
	}
	return parts
}

// decodeTransfer undoes a Content-Transfer-Encoding, leniently: damaged
// base64 or quoted-printable decodes as far as it makes sense.
func decodeTransfer(cte string, b []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return decodeBase64(b)
	case "quoted-printable":
		return decodeQP(b)
	}
	return b
}

func decodeBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
			continue
		}
		// A soft line break: "=" then optional blanks and the line end.
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		switch {
		case j == len(b):
			i = j
		case b[j] == '\n':
			i = j
		case b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n':
			i = j + 1
		default:
			out = append(out, '=') // a literal "=" that should have been escaped
		}
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// unflow joins the soft line breaks of format=flowed text (RFC 3676): a
// line ending in a space continues on the next line of the same quote
// depth (its count of leading '>'), whose quote marks are then dropped. A
// flowed line before a change of depth ends its paragraph. Quoted lines
// come out as ">> text"; the space after the quote marks, or at the start
// of an unquoted line, is stuffing and goes; so does the flowing space
// itself with DelSp=yes.
func unflow(s string, delsp bool) string {
	var b strings.Builder
	b.Grow(len(s))
	open := -1 // the quote depth of the paragraph a flowed line left open
	for s != "" {
		line := s
		nl := strings.IndexByte(s, '\n')
		if nl >= 0 {
			line, s = s[:nl], s[nl+1:]
		} else {
			s = ""
		}
		depth := len(line) - len(strings.TrimLeft(line, ">"))
		line = strings.TrimPrefix(line[depth:], " ")
		if open >= 0 && open != depth {
			b.WriteByte('\n')
			open = -1
		}
		if open < 0 && depth > 0 {
			b.WriteString(strings.Repeat(">", depth))
			if line != "" {
				b.WriteByte(' ')
			}
		}
		if nl >= 0 && line != "-- " && strings.HasSuffix(line, " ") {
			if delsp {
				line = line[:len(line)-1]
			}
			b.WriteString(line)
			open = depth
			continue
		}
		b.WriteString(line)
		open = -1
		if nl >= 0 {
			b.WriteByte('\n')
		}
	}
	if open >= 0 {
		b.WriteByte('\n') // the text ended on a flowed line
	}
	return b.String()
}
