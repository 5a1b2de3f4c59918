package timeline

import (
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"dossier/notes"
)

// The scanner cuts the text into tokens once, then tries a date at each
// token that can start one (a capitalised month or weekday name, or a
// number) and walks back over the words that make it a date ("since", "at
// the end of"). Everything is linear in the text and there are no regular
// expressions, so no input can make it slow.

type tokKind uint8

const (
	tWord tokKind = iota + 1
	tNum
	tPunct
)

// Gap before a token: how it is separated from the token before it.
const (
	gapNone  uint8 = iota // glued: "25,000", "mid-March"
	gapSpace              // spaces within a line
	gapLine               // one line break
	gapBlank              // a blank line, or the start of the text
)

type token struct {
	start, end int
	kind       tokKind
	gap        uint8
	val        int32 // a number's value (-1 past nine digits), a punctuation rune
}

// core is a date as the tokens give it, before the words around it.
type core struct {
	a, b       int // token span [a, b)
	y, m, d    int // 0 where the text does not say
	ey, em, ed int // end of a range, 0 when not a range
	wd         int // 1..7 (time.Weekday+1) for a bare weekday
	decade     bool
	century    bool // "the 1800s": a year range, not a decade
	bare       bool // a bare year, month or weekday: needs date words around it
	yearRange  bool // "2003–2005" glued by a dash
	ordinal    bool // "23rd": may take "the" before it
	numeric    bool // "23/10/2003"
	ambiguous  bool // numeric with day and month both <= 12
	evidence   int8 // numeric: +1 shows day-first, -1 month-first
}

// ctx is what the words before a core say.
type ctx struct {
	start               int    // first token of the expression
	prep                uint32 // word flags of the preposition, 0 when none
	from, between       bool
	next, last, this    bool
	mod, head, yearWord bool
}

type match struct {
	a, b int // token span with the context words
	c    core
	x    ctx
	drop bool // an ambiguous numeric date the document does not settle
}

type scanner struct {
	text    string
	toks    []token
	matches []match
}

var scanners = sync.Pool{New: func() any { return new(scanner) }}

func getScanner(text string) *scanner {
	s := scanners.Get().(*scanner)
	s.text, s.toks, s.matches = text, s.toks[:0], s.matches[:0]
	return s
}

func putScanner(s *scanner) {
	s.text = ""
	if cap(s.toks) > 1<<18 { // don't let one huge document pin its buffer
		s.toks = nil
	}
	scanners.Put(s)
}

func isDigit(c byte) bool       { return '0' <= c && c <= '9' }
func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isYear(v int) bool         { return 1000 <= v && v <= 2100 }

func (s *scanner) tokenize() {
	text := s.text
	gap := gapBlank
	for i := 0; i < len(text); {
		c := text[i]
		t := token{start: i}
		switch {
		case c == '\n':
			gap = max(gap+1, gapLine)
			if gap > gapBlank {
				gap = gapBlank
			}
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			gap = max(gap, gapSpace)
			i++
			continue
		case isDigit(c):
			j, v := i, 0
			for j < len(text) && isDigit(text[j]) {
				if j-i < 9 {
					v = v*10 + int(text[j]-'0')
				}
				j++
			}
			if j-i > 9 {
				v = -1
			}
			t.kind, t.end, t.val = tNum, j, int32(v)
		case isASCIILetter(c):
			t.kind, t.end = tWord, s.wordEnd(i+1)
		case c < utf8.RuneSelf:
			t.kind, t.end, t.val = tPunct, i+1, int32(c)
		default:
			r, w := utf8.DecodeRuneInString(text[i:])
			switch {
			case unicode.IsSpace(r):
				if r == '\u2028' || r == '\u2029' {
					gap = max(gap, gapLine)
				} else {
					gap = max(gap, gapSpace)
				}
				i += w
				continue
			case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
				t.kind, t.end = tWord, s.wordEnd(i+w)
			default:
				t.kind, t.end, t.val = tPunct, i+w, int32(r)
			}
		}
		t.gap, gap = gap, gapNone
		s.toks = append(s.toks, t)
		i = t.end
	}
}

// wordEnd returns where a word that has reached j ends. ASCII digits end
// words, so "A320" is a word glued to a number and never a date.
func (s *scanner) wordEnd(j int) int {
	text := s.text
	for j < len(text) {
		c := text[j]
		if c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				break
			}
			j++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) {
			break
		}
		j += w
	}
	return j
}

// Token accessors; all are safe for any index.

func (s *scanner) kind(i int) tokKind {
	if i < 0 || i >= len(s.toks) {
		return 0
	}
	return s.toks[i].kind
}

func (s *scanner) punct(i int) rune {
	if s.kind(i) != tPunct {
		return -1
	}
	return rune(s.toks[i].val)
}

func isDash(r rune) bool { return r == '-' || r == '–' || r == '—' || r == '‒' }

// glued reports whether token i touches the token before it.
func (s *scanner) glued(i int) bool {
	return i > 0 && i < len(s.toks) && s.toks[i].gap == gapNone
}

// spaced reports whether token i follows the one before it after spaces on
// the same line.
func (s *scanner) spaced(i int) bool {
	return i > 0 && i < len(s.toks) && s.toks[i].gap == gapSpace
}

func (s *scanner) str(i int) string { return s.text[s.toks[i].start:s.toks[i].end] }

func (s *scanner) info(i int) wordInfo {
	if s.kind(i) != tWord {
		return wordInfo{}
	}
	w := s.str(i)
	if len(w) > 12 {
		return wordInfo{}
	}
	var buf [12]byte
	for k := 0; k < len(w); k++ {
		c := w[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[k] = c
	}
	return words[string(buf[:len(w)])] // no allocation: the compiler sees the lookup
}

func (s *scanner) is(i int, w string) bool {
	return s.kind(i) == tWord && strings.EqualFold(s.str(i), w)
}

func (s *scanner) num(i int) (v, digits int) {
	t := s.toks[i]
	return int(t.val), t.end - t.start
}

// properCase reports whether word i is written "May" or "MAY": month and
// weekday names are capitalised in English, and "may" is a verb.
func (s *scanner) properCase(i int) bool {
	w := s.str(i)
	if w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	lower, upper := true, true
	for k := 1; k < len(w); k++ {
		c := w[k]
		lower = lower && 'a' <= c && c <= 'z'
		upper = upper && 'A' <= c && c <= 'Z'
	}
	return lower || upper
}

// monthAt returns the month named by word i, if it is capitalised.
func (s *scanner) monthAt(i int) (m int, abbr bool) {
	if s.kind(i) != tWord || s.toks[i].end-s.toks[i].start > 9 || !s.properCase(i) {
		return 0, false
	}
	inf := s.info(i)
	return int(inf.month), inf.monthAbbr
}

// leftFree reports whether number i stands alone on its left: not part of
// "25,000", "1.5", "A320", "$2017", "#39" or "555-2017".
func (s *scanner) leftFree(i int) bool {
	if i == 0 || s.toks[i].gap != gapNone {
		return true
	}
	p := s.toks[i-1]
	if p.kind != tPunct {
		return false
	}
	switch rune(p.val) {
	case '$', '€', '£', '¥', '#', '№', '+', '@', '&', '_', '=', '^', '*', '\\', '~', '§', '<', '>':
		return false
	case '.', ',', '/', ':', '-', '–', '—', '\'', '’':
		return !(p.gap == gapNone && s.kind(i-2) == tNum)
	}
	return true
}

// rightFree reports whether token i ends a number that stands alone: not
// followed by ",000", ".5", "%", "km" glued to it, or the like.
func (s *scanner) rightFree(i int) bool {
	j := i + 1
	if j >= len(s.toks) || s.toks[j].gap != gapNone {
		return true
	}
	n := s.toks[j]
	if n.kind != tPunct {
		return false
	}
	switch rune(n.val) {
	case '%', '‰', '$', '€', '£', '¥', '°', '@', '&', '_', '=', '+', '*', '^', '#', '²', '³', '<', '>':
		return false
	case '.', ',', '/', ':', '-', '–', '—', '\'', '’':
		return !(s.glued(j+1) && s.kind(j+1) == tNum)
	}
	return true
}

// ordinalEnd returns the last token of number i with its ordinal suffix
// ("8th" is the number 8 glued to the word "th").
func (s *scanner) ordinalEnd(i int) int {
	if s.glued(i+1) && s.kind(i+1) == tWord {
		switch strings.ToLower(s.str(i + 1)) {
		case "st", "nd", "rd", "th":
			return i + 1
		}
	}
	return i
}

// labelled reports whether number i is a label: "No. 39", "Article 6",
// "page 2017", "Room 1812".
func (s *scanner) labelled(i int) bool {
	j := i - 1
	if (s.punct(j) == '.' || s.punct(j) == ':') && s.glued(j) {
		j--
	}
	return s.toks[i].gap <= gapSpace && s.info(j).flags&fLabel != 0
}

// nameBefore reports whether token i follows a capitalised word that is
// not the first of its sentence (and not a month or weekday name).
func (s *scanner) nameBefore(i int) bool {
	p := i - 1
	if s.kind(p) != tWord || s.toks[i].gap != gapSpace {
		return false
	}
	if w := s.str(p); w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	if inf := s.info(p); inf.month > 0 || inf.weekday > 0 {
		return false
	}
	k := s.kind(p - 1)
	return s.toks[p].gap <= gapSpace && (k == tWord || k == tNum)
}

// followOK reports whether token j may follow a bare year: not a number and
// not a lower-case word other than a function word, since "in 1500
// villages" counts villages.
func (s *scanner) followOK(j int) bool {
	if j >= len(s.toks) || s.toks[j].gap >= gapLine {
		return true
	}
	switch s.toks[j].kind {
	case tNum:
		// A time of day may follow a date: "Thu, 25 May 2023 16:11:37".
		return s.punct(j+1) == ':' && s.glued(j+1) && s.kind(j+2) == tNum && s.glued(j+2)
	case tPunct:
		return true
	}
	w := s.str(j)
	if 'A' <= w[0] && w[0] <= 'Z' {
		return w != "BC" && w != "BCE"
	}
	if w[0] >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	return s.info(j).flags&fFunc != 0
}

func (s *scanner) scan() {
	s.tokenize()
	lo := 0 // context may not reach into the previous match
	for i := 0; i < len(s.toks); {
		c, ok := s.parseCore(i)
		if ok {
			var m match
			if m, ok = s.accept(c, lo); ok {
				s.matches = append(s.matches, m)
				i, lo = m.b, m.b
				continue
			}
		}
		i++
	}
	s.settleNumeric()
}

const nameInitials = 1<<('A'-'A') | 1<<('D'-'A') | 1<<('F'-'A') | 1<<('J'-'A') | 1<<('M'-'A') |
	1<<('N'-'A') | 1<<('O'-'A') | 1<<('S'-'A') | 1<<('T'-'A') | 1<<('W'-'A')

// parseCore reads a date starting at token i, without the words before it.
func (s *scanner) parseCore(i int) (core, bool) {
	t := s.toks[i]
	switch t.kind {
	case tWord:
		// Month and weekday names are 3 to 9 letters and start with one of
		// A D F J M N O S T W; most words fail here without a map lookup.
		c := s.text[t.start]
		if n := t.end - t.start; n < 3 || n > 9 || c < 'A' || c > 'Z' || nameInitials&(1<<(c-'A')) == 0 || !s.properCase(i) {
			return core{}, false
		}
		inf := s.info(i)
		if inf.weekday > 0 {
			return s.parseWeekday(i, inf)
		}
		if inf.month > 0 {
			return s.parseMonthFirst(i, int(inf.month), inf.monthAbbr)
		}
	case tNum:
		return s.parseNumber(i)
	}
	return core{}, false
}

// parseWeekday reads "Thursday", or a full date led by its weekday:
// "Wednesday, October 4, 2023", "Wed Oct 11 2023", "Thursday 25 November".
func (s *scanner) parseWeekday(i int, inf wordInfo) (core, bool) {
	j := i + 1
	if inf.wdAbbr && s.punct(j) == '.' && s.glued(j) {
		j++
	}
	if s.punct(j) == ',' && s.toks[j].gap <= gapSpace {
		j++
	}
	if s.spaced(j) {
		if m, abbr := s.monthAt(j); m > 0 {
			if c, ok := s.parseMonthFirst(j, m, abbr); ok && c.d > 0 {
				c.a = i
				return c, true
			}
		} else if s.kind(j) == tNum {
			if c, ok := s.parseNumber(j); ok && c.d > 0 {
				c.a = i
				return c, true
			}
		}
	}
	if inf.wdAbbr {
		return core{}, false
	}
	return core{a: i, b: i + 1, wd: int(inf.weekday), bare: true}, true
}

// parseMonthFirst reads "May", "May 8", "May 8th, 2023", "Oct. 11 2023",
// "May 8–19", "October 2003" at month token i.
func (s *scanner) parseMonthFirst(i, m int, abbr bool) (core, bool) {
	c := core{a: i, b: i + 1, m: m}
	j := i + 1
	if abbr && s.punct(j) == '.' && s.glued(j) {
		j++
	}
	if s.kind(j) == tNum && s.spaced(j) {
		v, nd := s.num(j)
		switch {
		case nd <= 2 && v >= 1 && v <= 31:
			k := s.ordinalEnd(j)
			if ed, e, ok := s.dayRangeEnd(k, v, s.is(i-1, "between")); ok && s.followOK(e) {
				c.d, c.ed, c.em, c.b = v, ed, m, e
			} else if s.rightFree(k) {
				c.d, c.b = v, k+1
			} else {
				return core{}, false
			}
			if y, e, ok := s.yearAfter(c.b); ok {
				c.y, c.b = y, e
				if c.ed > 0 {
					c.ey = y
				}
			} else if abbr && j == i+1 && !s.followOK(c.b) {
				return core{}, false // "Jan 8 players" is someone's team
			}
			if !validDay(c.y, time.Month(m), c.d) || (c.ed > 0 && !validDay(c.ey, time.Month(m), c.ed)) {
				return core{}, false
			}
			return c, true
		case nd == 4 && isYear(v) && s.rightFree(j):
			c.y, c.b = v, j+1
			return c, true
		}
	}
	// "April of 2016"
	if !abbr && s.is(j, "of") && s.spaced(j) && s.kind(j+1) == tNum && s.spaced(j+1) {
		if v, nd := s.num(j + 1); nd == 4 && isYear(v) && s.rightFree(j+1) {
			c.y, c.b = v, j+2
			return c, true
		}
	}
	if abbr {
		return core{}, false // "Jan" alone is as likely a name
	}
	c.bare = true
	return c, true
}

// dayRangeEnd reads the end of a day range after token k, which ends the
// day d1: "–19", "to 19", and "and 19" after "between". It returns the last
// day and the token after it.
func (s *scanner) dayRangeEnd(k, d1 int, between bool) (d2, end int, ok bool) {
	j := k + 1
	if j >= len(s.toks) || s.toks[j].gap > gapSpace {
		return 0, 0, false
	}
	word := false
	switch {
	case isDash(s.punct(j)):
	case s.info(j).flags&fTo != 0:
		word = true
	case between && s.is(j, "and"):
		word = true
	default:
		return 0, 0, false
	}
	n := j + 1
	if s.kind(n) != tNum || s.toks[n].gap > gapSpace || (word && s.toks[n].gap == gapNone) {
		return 0, 0, false
	}
	v, nd := s.num(n)
	if nd > 2 || v <= d1 || v > 31 {
		return 0, 0, false
	}
	e := s.ordinalEnd(n)
	if !s.rightFree(e) {
		return 0, 0, false
	}
	return v, e + 1, true
}

// yearAfter reads the year that may close a date at token j: ", 2023" or
// " 2023".
func (s *scanner) yearAfter(j int) (y, end int, ok bool) {
	comma := false
	if s.punct(j) == ',' && s.glued(j) {
		j++
		comma = true
	}
	if s.kind(j) != tNum || !s.spaced(j) {
		return 0, 0, false
	}
	v, nd := s.num(j)
	if nd != 4 || !isYear(v) || !s.rightFree(j) {
		return 0, 0, false
	}
	// Without a comma, "on May 8 2000 people marched" counts people.
	if !comma && !s.followOK(j+1) {
		return 0, 0, false
	}
	return v, j + 1, true
}

// monthAfter reads a month name at token j, spaced from what comes before.
func (s *scanner) monthAfter(j int) (m, end int, ok bool) {
	if !s.spaced(j) {
		return 0, 0, false
	}
	m, abbr := s.monthAt(j)
	if m == 0 {
		return 0, 0, false
	}
	if abbr && s.punct(j+1) == '.' && s.glued(j+1) {
		return m, j + 2, true
	}
	return m, j + 1, true
}

// parseNumber reads a date that starts with a number: "23 October 2003",
// "25–27 November", "2003-10-23", "23/10/2003", "1990s", "2003–2005", or a
// bare year.
func (s *scanner) parseNumber(i int) (core, bool) {
	v, nd := s.num(i)
	if nd > 4 || !s.leftFree(i) || s.labelled(i) {
		return core{}, false
	}
	if s.glued(i+1) && s.kind(i+1) == tPunct {
		if c, ok := s.numericDate(i); ok {
			return c, true
		}
	}
	switch {
	case nd <= 2:
		return s.parseDayFirst(i, v)
	case nd == 4 && isYear(v):
		return s.parseYear(i, v)
	}
	return core{}, false
}

func (s *scanner) parseDayFirst(i, v int) (core, bool) {
	if v < 1 || v > 31 {
		return core{}, false
	}
	k := s.ordinalEnd(i)
	c := core{a: i, d: v, ordinal: k > i}
	if ed, e, ok := s.dayRangeEnd(k, v, s.is(i-1, "between")); ok {
		if m, end, ok := s.monthAfter(e); ok {
			c.m, c.em, c.ed, c.b = m, m, ed, end
		}
	}
	if c.m == 0 {
		if !s.rightFree(k) {
			return core{}, false
		}
		j := k + 1
		if c.ordinal && s.is(j, "of") && s.spaced(j) {
			j++
		}
		m, end, ok := s.monthAfter(j)
		if !ok {
			return core{}, false
		}
		c.m, c.b = m, end
	}
	if y, e, ok := s.yearAfter(c.b); ok {
		c.y, c.b = y, e
		if c.ed > 0 {
			c.ey = y
		}
	}
	if !validDay(c.y, time.Month(c.m), c.d) || (c.ed > 0 && !validDay(c.ey, time.Month(c.m), c.ed)) {
		return core{}, false
	}
	return c, true
}

// parseYear reads what starts with a four-digit number from 1000 to 2100.
func (s *scanner) parseYear(i, v int) (core, bool) {
	// "2003–2005", "2017-18"
	if isDash(s.punct(i+1)) && s.glued(i+1) && s.kind(i+2) == tNum && s.glued(i+2) {
		w, nd := s.num(i + 2)
		if !s.rightFree(i + 2) {
			return core{}, false
		}
		e := 0
		switch nd {
		case 4:
			e = w
		case 2:
			if w <= 12 { // "2009-10" may as well be October 2009
				return core{}, false
			}
			e = v/100*100 + w
		}
		if e <= v || !isYear(e) {
			return core{}, false
		}
		return core{a: i, b: i + 3, y: v, ey: e, bare: true, yearRange: true}, true
	}
	// "1990s", "1990's"
	if v%10 == 0 {
		j := i + 1
		if r := s.punct(j); (r == '\'' || r == '’') && s.glued(j) {
			j++
		}
		if s.glued(j) && s.kind(j) == tWord && (s.str(j) == "s" || s.str(j) == "S") && s.rightFree(j) {
			if v%100 == 0 && v != 2000 {
				// "the 1800s" is a century far more often than a decade;
				// "the 2000s" is the decade.
				return core{a: i, b: j + 1, y: v, ey: v + 99, century: true}, true
			}
			return core{a: i, b: j + 1, y: v, decade: true}, true
		}
	}
	if !s.rightFree(i) {
		return core{}, false
	}
	return core{a: i, b: i + 1, y: v, bare: true}, true
}

// numericDate reads "2003-10-23", "2023/10/11", "23/10/2003", "10.11.2023".
// The order of day and month is certain in ISO order, when one part is
// over 12, when both are equal, and with dots (a European way of writing
// day first); otherwise the date is ambiguous and settleNumeric decides.
func (s *scanner) numericDate(i int) (core, bool) {
	sep := s.punct(i + 1)
	if sep != '-' && sep != '/' && sep != '.' {
		return core{}, false
	}
	if !(s.kind(i+2) == tNum && s.glued(i+2) && s.punct(i+3) == sep && s.glued(i+3) &&
		s.kind(i+4) == tNum && s.glued(i+4)) {
		return core{}, false
	}
	n1, d1 := s.num(i)
	n2, d2 := s.num(i + 2)
	n3, d3 := s.num(i + 4)
	c := core{a: i, b: i + 5, numeric: true}
	switch {
	case d1 == 4 && d2 <= 2 && d3 <= 2 && sep != '.': // "2019.04.25" is more often a version
		// ISO; a time may follow glued: "2023-10-11T09:00".
		if !s.rightFree(i+4) && !(s.is(i+5, "T") && s.glued(i+5) && s.kind(i+6) == tNum) {
			return core{}, false
		}
		c.y, c.m, c.d = n1, n2, n3
	case d1 <= 2 && d2 <= 2 && d3 == 4:
		if !s.rightFree(i + 4) {
			return core{}, false
		}
		c.y, c.d, c.m = n3, n1, n2
		switch {
		case n1 > 12 && n2 <= 12:
			c.evidence = 1
		case n2 > 12 && n1 <= 12:
			c.d, c.m, c.evidence = n2, n1, -1
		case sep == '.':
			c.evidence = 1
		case n1 == n2:
		default:
			c.ambiguous = true
		}
	default:
		return core{}, false
	}
	if !isYear(c.y) || !validDay(c.y, time.Month(c.m), c.d) {
		return core{}, false
	}
	return c, true
}

// settleNumeric decides the ambiguous numeric dates by the document's own
// unambiguous ones: if they all show day first (or all month first), so are
// the others; otherwise the ambiguous ones are dropped.
func (s *scanner) settleNumeric() {
	dayFirst, monthFirst, ambiguous := 0, 0, 0
	for _, m := range s.matches {
		switch {
		case m.c.ambiguous:
			ambiguous++
		case m.c.evidence > 0:
			dayFirst++
		case m.c.evidence < 0:
			monthFirst++
		}
	}
	if ambiguous == 0 {
		return
	}
	for i := range s.matches {
		c := &s.matches[i].c
		if !c.ambiguous {
			continue
		}
		switch {
		case dayFirst > 0 && monthFirst == 0:
		case monthFirst > 0 && dayFirst == 0:
			c.d, c.m = c.m, c.d
		default:
			s.matches[i].drop = true
		}
	}
}

// context walks back from core c over the words that make it a date, not
// before token lo.
func (s *scanner) context(c core, lo int) ctx {
	x := ctx{}
	j := c.a - 1
	can := func(k int) bool { return k >= lo && k >= 0 && s.toks[k+1].gap != gapBlank }
	weekday := c.wd > 0
	// "mid-March", "mid-2017", "early May", "late Thursday"
	if !weekday && can(j) && s.punct(j) == '-' && s.glued(c.a) && s.glued(j) && can(j-1) && s.is(j-1, "mid") {
		x.mod = true
		j -= 2
	} else if can(j) && s.info(j).flags&fMod != 0 {
		x.mod = true
		j--
	}
	// "end of April", "summer of 2003", "first half of 2023"
	if !weekday && c.d == 0 && can(j) && s.is(j, "of") && can(j-1) && s.info(j-1).flags&fHead != 0 {
		x.head = true
		j -= 2
		if can(j) && s.info(j).flags&fOrdinal != 0 {
			j--
		}
	}
	if c.bare && c.m == 0 && c.y > 0 && !x.head && !x.mod && can(j) && s.is(j, "year") {
		x.yearWord = true
		j--
	}
	if (x.head || x.yearWord || c.decade || c.century || c.ordinal) && can(j) && s.is(j, "the") {
		j--
	}
	var want uint32
	switch {
	case weekday:
		want = fWdPrep
	case c.bare && c.m > 0:
		want = fMonthPrep
	case c.bare || c.decade || c.century:
		want = fYearPrep
	default:
		want = fDatePrep
	}
	if can(j) {
		f := s.info(j).flags
		switch {
		case x.head && s.is(j, "at"):
			x.prep = fDatePrep
			j--
		case f&want != 0:
			x.prep = f
			x.from, x.between = s.is(j, "from"), s.is(j, "between")
			x.next, x.last, x.this = f&fNext != 0, f&fLast != 0, f&fThis != 0
			if s.is(j, "coming") && can(j-1) && s.is(j-1, "this") {
				j--
			}
			j--
		}
	}
	x.start = j + 1
	return x
}

// accept decides whether core c, with the words before it, is a date.
func (s *scanner) accept(c core, lo int) (match, bool) {
	x := s.context(c, lo)
	before := x.start - 1 // the word before the expression
	switch {
	case c.wd > 0:
		if x.prep == 0 && !x.mod && s.info(c.b).flags&fTimeOfDay == 0 {
			return match{}, false
		}
	case c.bare && c.m > 0:
		if x.prep == 0 && !x.mod && !x.head {
			return match{}, false
		}
		if r := s.punct(c.b); (r == '\'' || r == '’') && s.glued(c.b) && s.is(c.b+1, "s") {
			return match{}, false // "in May's government" is Theresa May's
		}
	case c.bare:
		paren := s.punct(c.a-1) == '(' && c.a-1 >= lo && s.punct(c.b) == ')'
		if x.prep == 0 && !x.mod && !x.head && !x.yearWord && !(c.yearRange && paren) {
			return match{}, false
		}
		if !s.followOK(c.b) {
			return match{}, false
		}
		// "rose by 2000", "grew from 1500 to 2000": amounts, not years.
		if (x.from || s.is(x.start, "by")) && s.info(before).flags&fChange != 0 {
			return match{}, false
		}
	}
	// "The Long March 5 rocket", "Apollo 11 July", "Theresa May 8 times":
	// a capitalised word inside a sentence just before the date makes the
	// number part of a name. (A weekday before the date is not a name, and
	// a core led by one starts at the weekday.)
	if x.prep == 0 && !x.mod && !x.head && (c.d > 0 || c.m > 0) && !c.numeric && s.nameBefore(c.a) {
		return match{}, false
	}
	// "In May 15 people died": the number counts people; keep "In May".
	if s.is(x.start, "in") && c.d > 0 && c.y == 0 && c.a == x.start+1 && !s.followOK(c.b) {
		if m, _ := s.monthAt(c.a); m > 0 {
			c = core{a: c.a, b: c.a + 1, m: m, bare: true}
		}
	}
	m := match{a: x.start, b: c.b, c: c, x: x}
	if !s.joinRange(&m) {
		return match{}, false
	}
	m.b = m.c.b
	return m, true
}

// joinRange extends a match into a range when a second date follows it:
// "from May 8 to May 19", "between 2003 and 2005", "from April to June",
// "25 November – 2 December 2003". It reports false when the match must be
// dropped: "from 2000 to 3000 troops" shows the first number is an amount.
func (s *scanner) joinRange(m *match) bool {
	c := &m.c
	if c.ey != 0 || c.ed != 0 || c.em != 0 || c.decade || c.wd > 0 || c.numeric {
		return true
	}
	j := c.b
	if j >= len(s.toks) || s.toks[j].gap >= gapLine {
		return true
	}
	word := false
	switch {
	case isDash(s.punct(j)):
	case m.x.from && s.info(j).flags&fTo != 0:
		word = true
	case m.x.between && s.is(j, "and"):
		word = true
	default:
		return true
	}
	bareYear := c.bare && c.m == 0
	if j+1 >= len(s.toks) || s.toks[j+1].gap >= gapLine {
		return !(word && bareYear)
	}
	if word && bareYear && s.info(j+1).flags&fOpen != 0 {
		return true // "from 2003 to present"
	}
	b, ok := s.parseCore(j + 1)
	if ok {
		ok = s.rangeTo(c, b)
	}
	return ok || !(word && bareYear)
}

func precisionOf(c core) int {
	switch {
	case c.d > 0:
		return 3
	case c.m > 0:
		return 2
	}
	return 1
}

// rangeTo closes the range started by a with b, filling in a year that
// only one end gives. It reports whether the two make a range.
func (s *scanner) rangeTo(a *core, b core) bool {
	if b.wd > 0 || b.decade || b.ey != 0 || b.ed != 0 || b.em != 0 || b.numeric || b.ambiguous {
		return false
	}
	p := precisionOf(*a)
	if p != precisionOf(b) {
		return false
	}
	if b.bare && b.m == 0 && !s.followOK(b.b) {
		return false
	}
	sy, ey := a.y, b.y
	earlier := b.m < a.m || (b.m == a.m && b.d < a.d) // the end's month-day comes first
	switch {
	case sy == 0 && ey != 0:
		sy = ey
		if earlier {
			sy--
		}
	case ey == 0 && sy != 0:
		ey = sy
		if earlier {
			ey++
		}
	}
	if sy != 0 {
		if ey*10000+b.m*100+b.d <= sy*10000+a.m*100+a.d {
			return false
		}
		if p == 1 && a.bare && b.bare && ey-sy > 200 { // "between 1500 and 2000" people
			return false
		}
		if p == 3 && (!validDay(sy, time.Month(a.m), a.d) || !validDay(ey, time.Month(b.m), b.d)) {
			return false
		}
	} else if (earlier && !(a.m >= 10 && b.m <= 3)) || (b.m == a.m && b.d == a.d) {
		// Without a year, only a range over the new year may end "before"
		// it starts: "from December 28 to January 3".
		return false
	}
	a.y, a.ey, a.em, a.ed, a.b = sy, ey, b.m, b.d, b.b
	return true
}

// event turns a match into an Event, not yet resolved.
func (s *scanner) event(m *match) Event {
	start, end := s.toks[m.a].start, s.toks[m.b-1].end
	ss, se := sentenceBounds(s.text, start, end)
	e := Event{Offset: start, EndOffset: end, Text: s.text[start:end], Sentence: s.text[ss:se]}
	c := m.c
	switch {
	case c.wd > 0:
		e.Weekday = time.Weekday(c.wd - 1)
		switch {
		case m.x.next:
			e.Form = FormNextWeekday
		case m.x.last:
			e.Form = FormLastWeekday
		default:
			e.Form = FormWeekday
		}
		e.Future = m.x.this || future(s.text[ss:start], e.Sentence, s.deadline(m.a))
	case c.y == 0:
		e.Form = FormMonthDay
		if c.d == 0 {
			e.Form = FormMonth
		}
		e.Month, e.Day, e.EndMonth, e.EndDay = time.Month(c.m), c.d, time.Month(c.em), c.ed
		e.Future = future(s.text[ss:start], e.Sentence, s.deadline(m.a))
	default:
		e.Form = FormAbsolute
		e.Start = date(c.y, c.m, c.d)
		switch {
		case c.decade:
			e.Decade, e.End = true, notes.YearDate(c.y+9)
		case c.ey != 0:
			e.End = date(c.ey, c.em, c.ed)
		}
	}
	return e
}

// deadline reports whether the expression at token i opens with "until",
// "till" or "by", which look ahead unless the sentence is in the past.
func (s *scanner) deadline(i int) bool {
	return s.is(i, "until") || s.is(i, "till") || s.is(i, "by")
}

func date(y, m, d int) notes.Date {
	switch {
	case d > 0:
		return notes.DayDate(y, time.Month(m), d)
	case m > 0:
		return notes.MonthDate(y, time.Month(m))
	}
	return notes.YearDate(y)
}
