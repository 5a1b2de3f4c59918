package ingest

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"dossier/notes"
)

// RTF is read by a small parser of our own: the Go packages found (the
// rtftxt of github.com/lu4p/cat, last released in 2020, and the markup
// stripper github.com/J45k4/rtf-go) are not kept-up readers of the format
// (docs/PDF.md).
// Only what a reader sees is kept: body text, tables as tab-separated rows,
// the visible result of fields, and title, author and creation date from
// {\info}. Pictures, objects, headers, footers, footnotes, comments and
// every other destination are skipped without being interpreted.

// maxRTFDepth bounds the groups open at once. Word nests a few dozen deep;
// a file nesting thousands is hostile or broken. Skipped destinations are
// scanned with a counter and do not count.
const maxRTFDepth = 1000

// rtfDest says where the text of a group goes.
type rtfDest uint8

const (
	rtfBody       rtfDest = iota
	rtfDrop               // text of a group we read for its control words only
	rtfFontTable          // \fonttbl: font numbers and their code pages
	rtfStylesheet         // \stylesheet: which paragraph styles are headings
	rtfTitle              // \info's \title
	rtfAuthor             // \info's \author
	rtfCreated            // \info's \creatim: \yr \mo \dy
)

// rtfState is what a group inherits from its parent and gets back when
// its children close.
type rtfState struct {
	dest    rtfDest
	font    int  // \fN, -1 for none
	uc      int  // \ucN: fallback characters after each \uN
	intbl   bool // the paragraph is in a table
	outline int  // \outlinelevelN, -1 for none
	style   int  // \sN
	hidden  bool // \v: hidden text, not shown to a reader
	upr     bool // \upr: of its two children only \*\ud is read
	sheet   bool // the \stylesheet group itself, whose children are styles
}

type rtfStyle struct {
	num     int
	para    bool // paragraph style (\cs, \ds and \ts styles are not)
	outline int
	name    strings.Builder
	done    bool
}

type rtfParser struct {
	data  []byte
	i     int
	st    rtfState
	stack []rtfState

	starred bool // \* was just read: an unknown destination is skipped

	pending  []byte // text bytes in the current code page, not yet decoded
	fallback int    // characters after \uN still to skip
	high     rune   // a high surrogate from \uN waiting for its low half

	ansicpg  int
	deff     int
	fonts    map[int]int // font number → code page, 0 for the document's
	fontDef  int         // the font being defined in \fonttbl
	headings map[int]bool
	sty      *rtfStyle

	body        paragraphs
	pendingTabs int  // cells closed since the last text of a row
	afterRow    bool // a table row just ended
	title       strings.Builder
	author      strings.Builder
	yr, mo, dy  int
}

// parseRTF reads a Rich Text Format document. Paragraphs are separated by
// blank lines, table cells by tabs and rows by line breaks; \'hh bytes
// are decoded in the code page of their font (\fcharset, \cpg) or of the
// document (\ansicpg), \uN as Unicode with its \ucN fallback skipped.
func parseRTF(doc *notes.Document, data []byte) error {
	doc.MediaType, doc.Importer = MediaRTF, ImporterRTF
	start := trimRTF(data)
	if !isRTF(start) {
		return invalid(`broken RTF document: it does not start with {\rtf`)
	}
	p := &rtfParser{
		data: start, ansicpg: 1252, deff: -1,
		fonts: map[int]int{}, headings: map[int]bool{},
		st: rtfState{font: -1, uc: 1, outline: -1},
	}
	if err := p.run(); err != nil {
		return err
	}
	doc.Text = p.body.String()
	if isBlank(doc.Text) {
		return invalid("RTF document has no text")
	}
	m := officeMeta{title: cleanMeta(p.title.String()), author: cleanMeta(p.author.String()), created: p.created()}
	m.apply(doc, p.body.heading)
	return nil
}

// isRTF reports whether a file starts like an RTF document.
func isRTF(head []byte) bool { return bytes.HasPrefix(head, []byte(`{\rtf`)) }

// trimRTF drops what readers accept before an RTF document's first brace.
func trimRTF(data []byte) []byte {
	return bytes.TrimLeft(bytes.TrimPrefix(data, bomUTF8), " \t\r\n")
}

// run reads tokens until the outermost group closes or the data ends; a
// truncated file keeps the text read so far.
func (p *rtfParser) run() error {
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch c {
		case '{':
			p.i++
			p.flush()
			p.fallback = 0
			if len(p.stack) >= maxRTFDepth {
				return invalid("broken RTF document: groups nested more than %d deep", maxRTFDepth)
			}
			parent := p.st
			p.stack = append(p.stack, parent)
			p.st.upr, p.st.sheet = false, false
			p.starred = false
			switch {
			case parent.upr && !p.startsUD():
				// \upr pairs an ANSI text with its Unicode \*\ud twin.
				p.skipGroup()
			case parent.sheet:
				p.sty = &rtfStyle{para: true, outline: -1}
			}
		case '}':
			p.i++
			p.flush()
			p.fallback = 0
			if p.st.dest == rtfStylesheet {
				p.endStyle()
			}
			if len(p.stack) == 0 {
				return nil
			}
			p.st = p.stack[len(p.stack)-1]
			p.stack = p.stack[:len(p.stack)-1]
			if len(p.stack) == 0 {
				return nil // the document's group closed; what follows is not RTF
			}
			p.starred = false
		case '\\':
			p.control()
		case '\r', '\n':
			p.i++ // line ends in RTF source are layout, not text
		case '\t':
			p.i++
			p.char(c)
		default:
			p.i++
			if c >= ' ' {
				p.char(c)
			}
		}
	}
	p.flush()
	return nil
}

// startsUD reports whether the group just opened is \*\ud.
func (p *rtfParser) startsUD() bool {
	rest := p.data[p.i:]
	return bytes.HasPrefix(rest, []byte(`\*\ud`)) && (len(rest) == 5 || !isASCIILetter(rest[5]))
}

// char handles one literal byte of text.
func (p *rtfParser) char(c byte) {
	p.starred = false
	if p.fallback > 0 {
		p.fallback--
		return
	}
	if c == ';' && p.st.dest == rtfStylesheet {
		p.endStyle()
		return
	}
	if c == '\t' {
		p.emit("\t")
		return
	}
	p.pending = append(p.pending, c)
}

// control reads a control word or symbol at p.i (a backslash).
func (p *rtfParser) control() {
	p.i++
	if p.i >= len(p.data) {
		return
	}
	c := p.data[p.i]
	if !isASCIILetter(c) {
		p.i++
		p.symbol(c)
		return
	}
	start := p.i
	for p.i < len(p.data) && isASCIILetter(p.data[p.i]) && p.i-start < 32 {
		p.i++
	}
	word := string(p.data[start:p.i])
	param, hasParam := 0, false
	if p.i < len(p.data) && (p.data[p.i] == '-' || isDigit(p.data[p.i])) {
		neg := p.data[p.i] == '-'
		if neg {
			p.i++
		}
		for n := 0; p.i < len(p.data) && isDigit(p.data[p.i]); n++ {
			if n < 10 { // more digits are junk; the value stays in range
				param = param*10 + int(p.data[p.i]-'0')
				hasParam = true
			}
			p.i++
		}
		if neg {
			param = -param
		}
	}
	if p.i < len(p.data) && p.data[p.i] == ' ' {
		p.i++ // the delimiter belongs to the word
	}
	if word == "bin" {
		// Raw bytes follow; skipping them by their length keeps a brace
		// or backslash among them from being read as RTF.
		p.i += min(max(param, 0), len(p.data)-p.i)
	}
	p.flush()
	starred := p.starred
	p.starred = false
	if p.fallback > 0 {
		p.fallback--
		return
	}
	p.word(word, param, hasParam, starred)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *rtfParser) symbol(c byte) {
	switch c {
	case '\'':
		// \'hh: one byte of text in the current code page.
		if p.i+2 > len(p.data) {
			p.i = len(p.data)
			return
		}
		h, l := p.data[p.i], p.data[p.i+1]
		p.i += 2
		if !isHex(h) || !isHex(l) {
			return
		}
		b := unhex(h)<<4 | unhex(l)
		p.starred = false
		if p.fallback > 0 {
			p.fallback--
			return
		}
		p.pending = append(p.pending, b)
		return
	case '*':
		p.starred = true
		return
	case '\\', '{', '}':
		p.char(c)
		return
	}
	p.flush()
	p.starred = false
	if p.fallback > 0 {
		p.fallback--
		return
	}
	switch c {
	case '~':
		p.emit("\u00a0")
	case '_':
		p.emit("-")
	case '\r', '\n':
		p.par()
	}
	// \- (optional hyphen), \: (index subentry), \| (formula): nothing to read.
}

// rtfSkipped are destinations whose content is not text a reader sees, or
// is a copy of text kept elsewhere. They are skipped wherever they appear
// in a group, not only first: what follows them in it is theirs.
var rtfSkipped = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`colortbl listtable listoverridetable revtbl rsidtbl generator
		pict object objdata nonshppict shp shpinst shprslt nonesttables pn
		header headerl headerr headerf footer footerl footerr footerf footnote
		annotation atnid atnauthor atndate atnref atnicn fldinst fldtype datafield formfield
		xe tc bkmkstart bkmkend themedata colorschememapping latentstyles datastore xmlnstbl
		pgdsctbl template docvar userprops filetbl mmathPr wgrffmtfilter pgptbl protusertbl
		ftnsep ftnsepc ftncn aftnsep aftnsepc aftncn falt panose leveltext levelnumbers
		subject keywords operator comment doccomm company manager category hlinkbase
		revtim printim buptim private passwordhash fchars lchars`) {
		rtfSkipped[w] = true
	}
}

// word acts on one control word; starred says that \* came before it.
// hasN tells \v from \v0 and the like.
func (p *rtfParser) word(w string, n int, hasN, starred bool) {
	switch {
	case rtfSkipped[w]:
		p.skipGroup()
		return
	case starred && w != "ud":
		// "\*" marks a destination a reader may ignore when it does not
		// know it, as we do.
		p.skipGroup()
		return
	}
	st := &p.st
	switch w {
	// The document and its fonts.
	case "ansi":
		p.ansicpg = 1252
	case "mac":
		p.ansicpg = 10000
	case "pc":
		p.ansicpg = 437
	case "pca":
		p.ansicpg = 850
	case "ansicpg":
		p.ansicpg = n
	case "deff":
		p.deff = n
		if st.font < 0 {
			st.font = n
		}
	case "fonttbl":
		st.dest = rtfFontTable
	case "f":
		if st.dest == rtfFontTable {
			p.fontDef = n
			p.fonts[n] = 0
		} else {
			st.font = n
		}
	case "fcharset":
		if st.dest == rtfFontTable {
			p.fonts[p.fontDef] = charsetCodePage(n)
		}
	case "cpg":
		if st.dest == rtfFontTable {
			p.fonts[p.fontDef] = n
		}
	case "plain":
		st.font, st.hidden = p.deff, false
	case "v":
		st.hidden = !hasN || n != 0
	case "uc":
		st.uc = min(max(n, 0), 16)
	case "u":
		p.unicode(n)
		p.fallback = st.uc
	case "upr":
		st.upr = true

	// Metadata.
	case "info":
		st.dest = rtfDrop
	case "title":
		st.dest = rtfTitle
	case "author":
		st.dest = rtfAuthor
	case "creatim":
		st.dest = rtfCreated
	case "yr", "mo", "dy":
		if st.dest == rtfCreated {
			switch w {
			case "yr":
				p.yr = n
			case "mo":
				p.mo = n
			case "dy":
				p.dy = n
			}
		}

	// Styles and paragraph properties.
	case "stylesheet":
		st.dest, st.sheet = rtfStylesheet, true
	case "s":
		if st.dest == rtfStylesheet && p.sty != nil {
			p.sty.num = n
		} else {
			st.style = n
		}
	case "cs", "ds", "ts", "tsrowd":
		if st.dest == rtfStylesheet && p.sty != nil {
			p.sty.para = false
		}
	case "outlinelevel":
		if st.dest == rtfStylesheet && p.sty != nil {
			p.sty.outline = n
		} else {
			st.outline = n
		}
	case "pard":
		st.intbl, st.outline, st.style = false, -1, 0
	case "intbl":
		st.intbl = true
	case "itap":
		st.intbl = n > 0

	// Text.
	case "par", "sect", "page":
		p.par()
	case "line":
		p.emit("\n")
	case "tab":
		p.emit("\t")
	case "cell", "nestcell":
		if st.dest == rtfBody {
			p.pendingTabs++
			p.afterRow = false
		}
	case "row", "nestrow":
		if st.dest == rtfBody {
			p.pendingTabs = 0
			p.body.text("\n")
			p.afterRow = true
		}
	case "emdash":
		p.emit("—")
	case "endash":
		p.emit("–")
	case "bullet":
		p.emit("•")
	case "lquote":
		p.emit("‘")
	case "rquote":
		p.emit("’")
	case "ldblquote":
		p.emit("“")
	case "rdblquote":
		p.emit("”")
	case "emspace", "enspace", "qmspace":
		p.emit(" ")
	}
}

// skipGroup passes over the rest of the current group, counting braces
// (not keeping state, so any depth is fine) and honouring \bin, then
// closes it.
func (p *rtfParser) skipGroup() {
	p.pending = p.pending[:0]
	depth := 1
	for p.i < len(p.data) && depth > 0 {
		switch p.data[p.i] {
		case '{':
			depth++
			p.i++
		case '}':
			depth--
			p.i++
		case '\\':
			p.i++
			if p.i < len(p.data) && isASCIILetter(p.data[p.i]) {
				start := p.i
				for p.i < len(p.data) && isASCIILetter(p.data[p.i]) {
					p.i++
				}
				if string(p.data[start:p.i]) == "bin" {
					n := 0
					for p.i < len(p.data) && isDigit(p.data[p.i]) {
						if n < 1<<30 {
							n = n*10 + int(p.data[p.i]-'0')
						}
						p.i++
					}
					if p.i < len(p.data) && p.data[p.i] == ' ' {
						p.i++
					}
					p.i += min(n, len(p.data)-p.i)
				}
			} else {
				p.i++ // an escaped brace or backslash is not one
			}
		default:
			// Pictures are most of a big file: jump to the next byte
			// that matters.
			if k := bytes.IndexAny(p.data[p.i:], `{}\`); k >= 0 {
				p.i += k
			} else {
				p.i = len(p.data)
			}
		}
	}
	if len(p.stack) > 0 {
		p.st = p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
	}
	p.starred, p.fallback = false, 0
	if len(p.stack) == 0 {
		p.i = len(p.data) // the document's own group was skipped
	}
}

// unicode emits \uN; N is a signed 16-bit number, and characters beyond
// the BMP come as two of them (UTF-16 surrogates).
func (p *rtfParser) unicode(n int) {
	r := rune(n)
	if r < 0 {
		r += 0x10000
	}
	switch {
	case r >= 0xD800 && r < 0xDC00:
		p.high = r
		return
	case r >= 0xDC00 && r < 0xE000:
		if p.high == 0 {
			return
		}
		r = 0x10000 + (p.high-0xD800)<<10 + (r - 0xDC00)
	}
	p.high = 0
	switch {
	case r < ' ' || r > utf8.MaxRune:
		return
	case r == 0xF0B7:
		// Word writes a list bullet in the Symbol font as this
		// private-use character.
		r = '•'
	}
	p.write(string(r))
}

// par ends a paragraph. Inside a table cell it is a space: rows stay on
// their lines.
func (p *rtfParser) par() {
	if p.st.dest != rtfBody {
		p.emit(" ")
		return
	}
	if p.st.intbl {
		p.emit(" ")
		return
	}
	p.high = 0
	p.pendingTabs, p.afterRow = 0, false
	o := p.st.outline
	p.body.end((o >= 0 && o < 9) || p.headings[p.st.style])
}

// emit writes text that is not in a code page.
func (p *rtfParser) emit(s string) {
	p.flush()
	p.write(s)
}

// flush decodes the pending bytes in the code page of the current font.
func (p *rtfParser) flush() {
	if len(p.pending) == 0 {
		return
	}
	var s string
	if isASCII(p.pending) {
		s = string(p.pending)
	} else {
		s = decodeWith(codePageEncoding(p.codePage()), p.pending)
	}
	p.pending = p.pending[:0]
	p.write(s)
}

func (p *rtfParser) codePage() int {
	if cp := p.fonts[p.st.font]; cp != 0 {
		return cp
	}
	return p.ansicpg
}

// write sends decoded text where the current group's text goes.
func (p *rtfParser) write(s string) {
	p.high = 0
	if strings.IndexFunc(s, isStrayControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isStrayControl(r) {
				return -1
			}
			return r
		}, s)
	}
	if s == "" || (p.st.hidden && p.st.dest == rtfBody) {
		return
	}
	switch p.st.dest {
	case rtfBody:
		if p.afterRow && !p.st.intbl {
			p.body.end(false) // the table is over
		}
		p.afterRow = false
		if p.pendingTabs > 0 {
			p.body.text(strings.Repeat("\t", p.pendingTabs))
			p.pendingTabs = 0
		}
		p.body.text(s)
	case rtfTitle:
		p.title.WriteString(s)
	case rtfAuthor:
		p.author.WriteString(s)
	case rtfStylesheet:
		if p.sty != nil {
			p.sty.name.WriteString(s)
		}
	}
}

// isStrayControl is a control character that is not a tab or line break:
// \'0d and \u13 must not smuggle a CR into the text.
func isStrayControl(r rune) bool {
	return (r < ' ' && r != '\t' && r != '\n') || r == 0x7F
}

// endStyle records the style being defined in the stylesheet: its name
// ends at ";" or with its group.
func (p *rtfParser) endStyle() {
	s := p.sty
	if s == nil || s.done {
		return
	}
	s.done = true
	p.flush()
	name := strings.ToLower(strings.TrimSpace(s.name.String()))
	if s.para && ((s.outline >= 0 && s.outline < 9) || strings.HasPrefix(name, "heading") || name == "title") {
		p.headings[s.num] = true
	}
}

// created is \creatim to the precision it has.
func (p *rtfParser) created() notes.Date {
	var d notes.Date
	switch {
	case p.mo == 0:
		d, _ = yearDate(p.yr)
	case p.dy == 0:
		d, _ = monthDate(p.yr, p.mo)
	default:
		d, _ = dayDate(p.yr, p.mo, p.dy)
	}
	return d
}

// charsetCodePage maps a font's \fcharset to its Windows code page, 0
// for the default (1) and symbol (2) charsets, which use the document's
// \ansicpg. ANSI (0) is Windows-1252 as the specification says: Russian
// WordPad marks its Latin fonts so and its Cyrillic ones 204.
func charsetCodePage(cs int) int {
	switch cs {
	case 0:
		return 1252
	case 77:
		return 10000
	case 128:
		return 932
	case 129:
		return 949
	case 134:
		return 936
	case 136:
		return 950
	case 161:
		return 1253
	case 162:
		return 1254
	case 163:
		return 1258
	case 177:
		return 1255
	case 178:
		return 1256
	case 186:
		return 1257
	case 204:
		return 1251
	case 222:
		return 874
	case 238:
		return 1250
	case 254:
		return 437
	case 255:
		return 850
	}
	return 0
}

// codePageEncoding maps a Windows code page number to its decoder;
// unknown ones read as Windows-1252.
func codePageEncoding(cp int) encoding.Encoding {
	switch cp {
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 852:
		return charmap.CodePage852
	case 866:
		return charmap.CodePage866
	case 874:
		return charmap.Windows874
	case 932:
		return japanese.ShiftJIS
	case 936:
		return simplifiedchinese.GBK
	case 949:
		return korean.EUCKR
	case 950:
		return traditionalchinese.Big5
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 10000:
		return charmap.Macintosh
	case 10007:
		return charmap.MacintoshCyrillic
	case 20866:
		return charmap.KOI8R
	case 21866:
		return charmap.KOI8U
	case 28591:
		return charmap.ISO8859_1
	case 28592:
		return charmap.ISO8859_2
	case 28595:
		return charmap.ISO8859_5
	case 65001:
		return unicode.UTF8
	}
	return charmap.Windows1252
}
