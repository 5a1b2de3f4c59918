package ingest

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Charset names reported by the decoders, as in the WHATWG Encoding
// standard.
const (
	csUTF8    = "utf-8"
	csUTF16LE = "utf-16le"
	csUTF16BE = "utf-16be"
	csCP1251  = "windows-1251"
	csCP1252  = "windows-1252"
	csKOI8R   = "koi8-r"
)

// decodeText turns the bytes of a text file whose charset is not declared
// into UTF-8 with Unix line ends. It refuses data that is not text.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return normalizeNewlines(strings.ToValidUTF8(string(data[len(bomUTF8):]), "\uFFFD")), nil
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16Text(data[2:], false)
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16Text(data[2:], true)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// Notepad and most tools write a BOM with UTF-16; without one,
		// only an unmistakable pattern of NULs makes this UTF-16.
		if be, ok := sniffUTF16(data); ok {
			return decodeUTF16Text(data, be)
		}
		return "", errNUL()
	}
	if tooManyControls(data) {
		return "", errControls()
	}
	s, _ := decodeUnlabeled(data)
	return normalizeNewlines(s), nil
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

func decodeUTF16Text(b []byte, bigEndian bool) (string, error) {
	s := decodeUTF16(b, bigEndian)
	if strings.IndexByte(s, 0) >= 0 {
		return "", errNUL()
	}
	return normalizeNewlines(s), nil
}

// decodeUTF16 decodes UTF-16 without a BOM; unpaired surrogates and an odd
// trailing byte become U+FFFD.
func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for _, r := range utf16.Decode(u) {
		sb.WriteRune(r)
	}
	if len(b)%2 == 1 {
		sb.WriteRune(utf8.RuneError)
	}
	return sb.String()
}

// sniffUTF16 recognises BOM-less UTF-16 of mostly Latin or Cyrillic text:
// one byte of every pair is almost always 0x00 (or 0x04 for Cyrillic) and
// the other almost never is.
func sniffUTF16(data []byte) (bigEndian, ok bool) {
	n := min(len(data), 4096) &^ 1
	if n < 4 {
		return false, false
	}
	var hiEven, hiOdd, zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		e, o := data[i], data[i+1]
		if e == 0 || e == 4 {
			hiEven++
		}
		if o == 0 || o == 4 {
			hiOdd++
		}
		if e == 0 {
			zeroEven++
		}
		if o == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case hiOdd*10 >= pairs*9 && zeroEven*20 <= pairs:
		return false, true
	case hiEven*10 >= pairs*9 && zeroOdd*20 <= pairs:
		return true, true
	}
	return false, false
}

// tooManyControls reports whether data looks binary although it has no NUL:
// text has almost no C0 control characters besides white space, while
// random bytes have about one in ten.
func tooManyControls(data []byte) bool {
	if len(data) > 8<<10 { // as git, judge by the head
		data = data[:8<<10]
	}
	n := 0
	for _, c := range data {
		n += int(isControl[c])
	}
	return n > 0 && n*20 > len(data)
}

// isControl marks the C0 controls that do not occur in text: all but tab,
// line feed, vertical tab, form feed, carriage return, DOS end-of-file and
// the escape of terminal colours.
var isControl = func() (t [256]uint8) {
	for c := range 0x20 {
		switch c {
		case '\t', '\n', '\v', '\f', '\r', 0x1A, 0x1B:
		default:
			t[c] = 1
		}
	}
	return t
}()

// decodeUnlabeled converts bytes of unknown charset to UTF-8 and names the
// charset it chose. Valid UTF-8 is kept; UTF-8 with a few damaged bytes is
// repaired with U+FFFD; anything else is read as a legacy 8-bit charset.
func decodeUnlabeled(b []byte) (string, string) {
	if utf8.Valid(b) {
		return string(b), csUTF8
	}
	if mostlyUTF8(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), csUTF8
	}
	cs := guess8bit(b)
	return decodeWith(charsetEncoding(cs), b), cs
}

// decodeWith decodes b; the result is always valid UTF-8.
func decodeWith(e encoding.Encoding, b []byte) string {
	if cm, ok := e.(*charmap.Charmap); ok {
		return decodeTable(charmapTable(cm), b)
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		s, _ := decodeUnlabeled(b)
		return s
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// decodeTable decodes a single-byte charset through a table of UTF-8
// sequences, several times faster than a transform.Transformer on the
// short texts most files are.
func decodeTable(t *[256]string, b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/2)
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] < utf8.RuneSelf {
			i++
		}
		sb.Write(b[:i]) // ASCII is ASCII in every charset decoded this way
		for i < len(b) && b[i] >= utf8.RuneSelf {
			sb.WriteString(t[b[i]])
			i++
		}
		b = b[i:]
	}
	return sb.String()
}

var charmapTables sync.Map // *charmap.Charmap → *[256]string

func charmapTable(cm *charmap.Charmap) *[256]string {
	if t, ok := charmapTables.Load(cm); ok {
		return t.(*[256]string)
	}
	t := new([256]string)
	for i := range t {
		t[i] = string(cm.DecodeByte(byte(i)))
	}
	charmapTables.Store(cm, t)
	return t
}

// decodeLabeled converts b from the charset named by label (a MIME or HTML
// label such as "iso-8859-1" or "cp1251"). A missing or unknown label, or a
// label contradicted by the bytes, falls back to decodeUnlabeled.
func decodeLabeled(b []byte, label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch label {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8", "x-unknown", "unknown", "default":
		s, _ := decodeUnlabeled(b)
		return s
	}
	enc := lookupCharset(label)
	if enc == nil {
		s, _ := decodeUnlabeled(b)
		return s
	}
	// A page or e-mail saved as UTF-8 often keeps the legacy charset it
	// was written in; real legacy text is almost never valid UTF-8 with
	// multi-byte sequences, so the bytes win over the label. (7-bit
	// charsets such as ISO-2022-JP have no high bytes and are decoded.)
	if !isASCII(b) && utf8.Valid(b) {
		return string(b)
	}
	return decodeWith(enc, b)
}

// lookupCharset finds an encoding by a lower-case label: among the names
// mail programs write that no registry knows (charsetAliases), then by its
// WHATWG label, then by its IANA name, so "cp932", "cp1251" and "csKOI8R"
// all work. It returns nil if none knows it.
func lookupCharset(label string) encoding.Encoding {
	if e, ok := charsetAliases[label]; ok {
		return e
	}
	if e, err := htmlindex.Get(label); err == nil {
		return e
	}
	if e, err := ianaindex.MIME.Encoding(label); err == nil && e != nil {
		return e
	}
	if e, err := ianaindex.IANA.Encoding(label); err == nil && e != nil {
		return e
	}
	return nil
}

func charsetEncoding(name string) encoding.Encoding {
	switch name {
	case csCP1251:
		return charmap.Windows1251
	case csKOI8R:
		return charmap.KOI8R
	}
	return charmap.Windows1252
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// mostlyUTF8 reports whether invalid UTF-8 is really UTF-8 with a few
// damaged bytes (a truncated or badly concatenated file) rather than legacy
// 8-bit text, where high bytes almost never form valid sequences.
func mostlyUTF8(b []byte) bool {
	var good, bad int
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			good++
		}
		i += size
	}
	return good >= 4*bad
}

// guess8bit chooses between the legacy charsets a researcher's old files
// are most likely in: Windows-1252 (Western European, a superset of the
// printable Latin-1) and, for Russian, Windows-1251 or KOI8-R.
//
// Both Cyrillic charsets put letters in 0xC0–0xFF, as Windows-1252 puts
// accented letters there. In Western text an accented letter mostly sits
// between ASCII letters ("élève", "Größe"); in Cyrillic text high letters
// mostly follow high letters. Letter case, or else the frequent Russian
// letters о е а и н т, then tell Windows-1251 from KOI8-R.
func guess8bit(b []byte) string {
	var highHigh, highASCII int
	var prev byte
	for _, c := range b {
		if c >= 0xC0 {
			if prev >= 0xC0 {
				highHigh++
			} else if isASCIILetter(prev) {
				highASCII++
			}
		} else if isASCIILetter(c) && prev >= 0xC0 {
			highASCII++
		}
		prev = c
	}
	if highHigh <= highASCII {
		return csCP1252
	}
	// Case tells first: Windows-1251 has capitals in 0xC0–0xDF and small
	// letters above, KOI8-R the other way round, and a capital followed by a
	// small letter (Кант) is common where the reverse (кАНТ) is not. Read in
	// the wrong charset, every capitalized word turns into the rare pattern.
	var upLow1251, upLowKOI8 int
	prev = 0
	for _, c := range b {
		if prev >= 0xC0 && c >= 0xC0 {
			switch {
			case prev < 0xE0 && c >= 0xE0:
				upLow1251++
			case prev >= 0xE0 && c < 0xE0:
				upLowKOI8++
			}
		}
		prev = c
	}
	if upLow1251 != upLowKOI8 {
		if upLowKOI8 > upLow1251 {
			return csKOI8R
		}
		return csCP1251
	}
	// All capitals or all small letters: the frequent letters decide.
	var cp1251, koi8 int
	for _, c := range b {
		cp1251 += int(freq1251[c])
		koi8 += int(freqKOI8[c])
	}
	if koi8 > cp1251 {
		return csKOI8R
	}
	return csCP1251
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// freq1251 and freqKOI8 mark the bytes of о е а и н т (lower and upper
// case) in each charset.
var freq1251, freqKOI8 [256]uint8

func init() {
	for _, c := range []byte{0xEE, 0xE5, 0xE0, 0xE8, 0xED, 0xF2, 0xCE, 0xC5, 0xC0, 0xC8, 0xCD, 0xD2} {
		freq1251[c] = 1
	}
	for _, c := range []byte{0xCF, 0xC5, 0xC1, 0xC9, 0xCE, 0xD4, 0xEF, 0xE5, 0xE1, 0xE9, 0xEE, 0xF4} {
		freqKOI8[c] = 1
	}
}

// normalizeNewlines turns CRLF and lone CR into LF, so that offsets into
// the text do not depend on the platform the file came from.
func normalizeNewlines(s string) string {
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for i >= 0 {
		sb.WriteString(s[:i])
		sb.WriteByte('\n')
		s = s[i+1:]
		if len(s) > 0 && s[0] == '\n' {
			s = s[1:]
		}
		i = strings.IndexByte(s, '\r')
	}
	sb.WriteString(s)
	return sb.String()
}

// charsetAliases are the charset names mail programs write that neither the
// WHATWG nor the IANA index knows: Microsoft's code page names, "win-1251"
// and its kin, and charsets golang.org/x/text lacks.
var charsetAliases = map[string]encoding.Encoding{
	"cp932":         japanese.ShiftJIS,
	"cp949":         korean.EUCKR, // WHATWG's EUC-KR is Microsoft's code page 949
	"x-windows-949": korean.EUCKR,
	"uhc":           korean.EUCKR,
	"cp950":         traditionalchinese.Big5,
	"cp65001":       unicode.UTF8,
	"cp858":         charmap.CodePage858,
	"cp1125":        cp1125,
	"ibm1125":       cp1125,
	// ISO-2022-JP-2 adds Chinese, Korean and Western European sets to
	// ISO-2022-JP. Its Japanese, nearly all that is ever sent in it, reads
	// as ISO-2022-JP; the other sets become U+FFFD.
	"iso-2022-jp-2":     japanese.ISO2022JP,
	"csiso2022jp2":      japanese.ISO2022JP,
	"utf-7":             decodeOnly(decodeUTF7),
	"unicode-1-1-utf-7": decodeOnly(decodeUTF7),
	"csunicode11utf7":   decodeOnly(decodeUTF7),
	"x-utf-7":           decodeOnly(decodeUTF7),
	"iso-2022-kr":       decodeOnly(decodeISO2022KR),
	"csiso2022kr":       decodeOnly(decodeISO2022KR),
}

func init() {
	// "win-1251", "win1251", "windows1251", "cp-1251", "x-cp1251".
	for _, n := range []string{"874", "1250", "1251", "1252", "1253", "1254", "1255", "1256", "1257", "1258"} {
		e, err := htmlindex.Get("windows-" + n)
		if err != nil {
			panic(err)
		}
		for _, prefix := range []string{"win-", "win", "windows", "cp-", "x-cp"} {
			charsetAliases[prefix+n] = e
		}
	}
}

// decodeOnly is a charset golang.org/x/text lacks, which Dossier only ever
// reads. It decodes its whole input at once, so it serves
// Decoder.Bytes and Decoder.String (as decodeWith uses it) but not a
// Decoder.Reader over more than the reader's 4 KB buffer.
type decodeOnly func([]byte) string

func (d decodeOnly) NewDecoder() *encoding.Decoder { return &encoding.Decoder{Transformer: d} }

// NewEncoder returns an encoder that fails: nothing writes these charsets.
func (decodeOnly) NewEncoder() *encoding.Encoder {
	return &encoding.Encoder{Transformer: cannotEncode{}}
}

func (d decodeOnly) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	if !atEOF {
		return 0, 0, transform.ErrShortSrc
	}
	s := d(src)
	if len(s) > len(dst) {
		return 0, 0, transform.ErrShortDst
	}
	return copy(dst, s), len(src), nil
}

func (decodeOnly) Reset() {}

type cannotEncode struct{ transform.NopResetter }

func (cannotEncode) Transform(dst, src []byte, atEOF bool) (int, int, error) {
	return 0, 0, errors.New("dossier only reads this charset")
}

// cp1125 is the Ukrainian DOS code page (RST 2018-91): CP866 with Ґ ґ Є є
// І і Ї ї at 0xF2–0xF9.
var cp1125 = decodeOnly(func(b []byte) string { return decodeTable(cp1125Table(), b) })

var cp1125Table = sync.OnceValue(func() *[256]string {
	t := *charmapTable(charmap.CodePage866)
	for i, r := range []rune("ҐґЄєІіЇї") {
		t[0xF2+i] = string(r)
	}
	return &t
})

// decodeUTF7 decodes UTF-7 (RFC 2152), which Outlook Express and some
// webmail wrote: ASCII stands for itself, "+-" for "+", and "+" opens a
// run of modified base64 holding UTF-16, closed by "-" (dropped) or by
// any byte outside the base64 alphabet. Broken runs and stray 8-bit bytes
// become U+FFFD.
func decodeUTF7(b []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); {
		c := b[i]
		i++
		switch {
		case c >= utf8.RuneSelf:
			sb.WriteRune(utf8.RuneError)
			continue
		case c != '+':
			sb.WriteByte(c)
			continue
		}
		var units []byte // UTF-16BE
		var acc uint32
		bits := 0
		start := i
		for ; i < len(b); i++ {
			v := strings.IndexByte(alphabet, b[i])
			if v < 0 {
				break
			}
			acc = acc<<6 | uint32(v)
			bits += 6
			if bits >= 8 {
				bits -= 8
				units = append(units, byte(acc>>bits))
			}
		}
		closed := i < len(b) && b[i] == '-'
		switch {
		case len(units) > 0:
			// A leftover byte (an odd count) is a broken unit: U+FFFD.
			sb.WriteString(decodeUTF16(units, true))
		case closed && i == start:
			sb.WriteByte('+')
		default:
			// Too short to hold a character: a plain "+", as in "1+1=2"
			// or "C++" in text mislabelled UTF-7.
			sb.Write(b[start-1 : i])
			continue
		}
		if closed {
			i++
		}
	}
	return sb.String()
}

// decodeISO2022KR decodes ISO-2022-KR (RFC 1557), the 7-bit Korean of old
// mail: after the designation ESC $ ) C, SO (0x0E) switches to KS X 1001,
// whose pairs of bytes are EUC-KR without the high bits, and SI (0x0F) or
// a line end switches back to ASCII. Stray 8-bit bytes become U+FFFD.
func decodeISO2022KR(b []byte) string {
	designation := []byte("\x1b$)C")
	var sb strings.Builder
	sb.Grow(len(b))
	var pairs []byte // EUC-KR
	flush := func() {
		if len(pairs) > 0 {
			sb.WriteString(decodeWith(korean.EUCKR, pairs))
			pairs = pairs[:0]
		}
	}
	shifted := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case bytes.HasPrefix(b[i:], designation):
			i += len(designation) - 1
		case c == 0x0E:
			shifted = true
		case c == 0x0F:
			flush() // an odd byte left by a broken pair stays out of the next run
			shifted = false
		case shifted && c > ' ' && c < 0x7F:
			pairs = append(pairs, c|0x80)
		default:
			flush()
			if c == '\n' {
				shifted = false
			}
			if c >= utf8.RuneSelf {
				sb.WriteRune(utf8.RuneError)
			} else {
				sb.WriteByte(c)
			}
		}
	}
	flush()
	return sb.String()
}
