package timeline

import (
	"strings"
	"unicode/utf8"
)

// sentenceReach bounds how far a sentence is looked for on each side of an
// expression, so that a text without punctuation costs O(n) in all rather
// than O(n) per event.
const sentenceReach = 300

// sentenceBounds returns the byte span of the sentence around text[a:b].
// Sentences end at ". ", "! ", "? " (not after "Mr." or an initial), at a
// blank line, and at a line break unless the line plainly goes on (a
// lower-case word or a comma before it and a lower-case word after it, as in
// text wrapped by a PDF extractor).
func sentenceBounds(text string, a, b int) (int, int) {
	start, lim := a, max(0, a-sentenceReach)
	found := false
	for ; start > lim; start-- {
		c := text[start-1]
		if c == '\n' && lineBreakEnds(text, start-1) ||
			(c == '.' || c == '!' || c == '?') && start < a && isSpace(text[start]) && !abbrevBefore(text, start-1) {
			found = true
			break
		}
	}
	if !found && start > 0 {
		// Cut at a word boundary, which is also a rune boundary.
		if k := strings.IndexByte(text[start:a], ' '); k >= 0 {
			start += k + 1
		} else {
			start = a
		}
	}
	end := b
	lim = min(len(text), b+sentenceReach)
	found = false
	for end < lim && !found {
		c := text[end]
		if c == '\n' && lineBreakEnds(text, end) {
			found = true
			break
		}
		end++
		if (c == '.' || c == '!' || c == '?') && (end == len(text) || isSpace(text[end]) || isCloser(text[end:]) > 0) &&
			!abbrevBefore(text, end-1) {
			// Keep a closing quote or bracket with its sentence.
			for n := isCloser(text[end:]); n > 0; n = isCloser(text[end:]) {
				end += n
			}
			found = true
		}
	}
	if !found && end < len(text) {
		if k := strings.LastIndexByte(text[b:end], ' '); k >= 0 {
			end = b + k
		} else {
			end = b
		}
	}
	// Trim spaces and list bullets, never into the expression.
	for start < a {
		r, w := utf8.DecodeRuneInString(text[start:])
		if r != '•' && r != '·' && r != '*' && r != '-' && r != '–' && r != '—' && r != '>' && !isSpaceRune(r) {
			break
		}
		start += w
	}
	for end > b && isSpace(text[end-1]) {
		end--
	}
	return start, end
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isSpaceRune(r rune) bool {
	return r < utf8.RuneSelf && isSpace(byte(r)) || r == '\u00a0'
}

// isCloser returns the length of the closing quote or bracket s starts with.
func isCloser(s string) int {
	for _, q := range []string{"”", "’", "\"", "'", ")", "»"} {
		if strings.HasPrefix(s, q) {
			return len(q)
		}
	}
	return 0
}

// lineBreakEnds reports whether the line break at text[i] ends a sentence.
func lineBreakEnds(text string, i int) bool {
	p := i - 1
	for p >= 0 && (text[p] == ' ' || text[p] == '\t' || text[p] == '\r') {
		p--
	}
	n := i + 1
	for n < len(text) && (text[n] == ' ' || text[n] == '\t' || text[n] == '\r') {
		n++
	}
	if p < 0 || n >= len(text) {
		return true
	}
	pc, nc := text[p], text[n]
	return !(('a' <= pc && pc <= 'z' || pc == ',') && 'a' <= nc && nc <= 'z')
}

// abbrevBefore reports whether the period at text[dot] ends an
// abbreviation ("Mr.", "No.", "U.S.") rather than a sentence.
func abbrevBefore(text string, dot int) bool {
	if text[dot] != '.' {
		return false
	}
	k := dot
	for k > 0 && k > dot-6 && isASCIILetter(text[k-1]) {
		k--
	}
	w := text[k:dot]
	if k > 0 && isASCIILetter(text[k-1]) || w == "" {
		return false
	}
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true
	}
	switch strings.ToLower(w) {
	case "mr", "mrs", "ms", "dr", "st", "no", "nos", "gen", "col", "lt", "sgt", "capt",
		"prof", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
		"nov", "dec", "vs", "inc", "ltd", "co", "corp", "jr", "sr", "rev", "gov", "sen",
		"rep", "pres", "approx", "fig", "vol", "art", "pp", "maj", "adm", "cpl":
		return true
	}
	return false
}

// future reports whether the sentence speaks of what is to come, for an
// expression preceded by before (the sentence up to the expression).
//
//   - A past-tense verb just before the expression wins: in "the ministry
//     said on Thursday it will ...", Thursday is when it said so.
//   - Otherwise a future marker anywhere in the sentence ("will",
//     "scheduled", "is expected", "is due", "to hold", "next" ...) makes it
//     the future.
//   - A deadline ("until Monday", "by June") is the future unless the
//     sentence has a verb in the past tense ("stayed until Monday").
func future(before, sentence string, deadline bool) bool {
	if w, aux := lastWords(before); pastVerb(w) && !participleAux[aux] {
		return false
	}
	ws := lowerWords(sentence)
	for i, w := range ws {
		switch w {
		case "will", "shall", "won't", "scheduled", "slated", "expected", "upcoming", "next", "tomorrow":
			return true
		}
		if strings.HasSuffix(w, "'ll") {
			return true
		}
		if i+1 < len(ws) {
			switch w + " " + ws[i+1] {
			case "set to", "due to", "plans to", "plan to", "planning to", "going to", "to hold",
				"is to", "are to":
				// "due to" also means "because of"; it is counted as the
				// future only when "is", "are" or "be" comes before it.
				if w == "due" && (i == 0 || (ws[i-1] != "is" && ws[i-1] != "are" && ws[i-1] != "be")) {
					continue
				}
				return true
			}
		}
	}
	if !deadline {
		return false
	}
	for i, w := range ws {
		if pastVerb(w) && (i == 0 || !participleAux[ws[i-1]]) {
			return false
		}
	}
	return true
}

// participleAux are the words after which a verb in -ed is a participle,
// not the past tense: "will be held", "stays closed".
var participleAux = map[string]bool{
	"be": true, "been": true, "being": true, "is": true, "are": true, "am": true,
	"stay": true, "stays": true, "remain": true, "remains": true, "get": true, "gets": true,
}

var pastIrregular = map[string]bool{
	"said": true, "told": true, "met": true, "held": true, "made": true, "gave": true,
	"took": true, "was": true, "were": true, "had": true, "did": true, "went": true,
	"came": true, "saw": true, "spoke": true, "wrote": true, "began": true, "won": true,
	"lost": true, "left": true, "sent": true, "fell": true, "rose": true, "brought": true,
	"found": true, "got": true, "became": true, "led": true, "paid": true, "sold": true,
	"kept": true, "flew": true, "struck": true, "sought": true, "stood": true, "knew": true,
	"chose": true, "drew": true, "broke": true, "ran": true, "shot": true, "hit": true,
}

// pastVerb reports whether w looks like a verb in the past tense. Words
// that announce the future ("scheduled", "expected") are not counted.
func pastVerb(w string) bool {
	if pastIrregular[w] {
		return true
	}
	switch w {
	case "scheduled", "expected", "planned", "slated", "proposed", "supposed", "intended", "needed", "bed", "red", "shed", "hundred":
		return false
	}
	return len(w) > 3 && strings.HasSuffix(w, "ed")
}

// lastWords returns the last word of s and the word before it, in lower
// case; the last word is "" when s ends in anything but a word and spaces
// (a comma breaks the link to the verb).
func lastWords(s string) (last, before string) {
	word := func(s string) (string, string) {
		s = strings.TrimRight(s, " \t\r\n")
		k := len(s)
		for k > 0 && isASCIILetter(s[k-1]) {
			k--
		}
		return strings.ToLower(s[k:]), s[:k]
	}
	last, rest := word(s)
	if last != "" {
		before, _ = word(rest)
	}
	return last, before
}

// lowerWords splits s into lower-case ASCII words, keeping apostrophes
// inside them ("won't", "we'll"); curly apostrophes become straight. The
// words share one lowered copy of s, to keep allocations per event low.
func lowerWords(s string) []string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.HasPrefix(s[i:], "’"):
			c = '\''
			i += len("’") - 1
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	l := string(b)
	out := make([]string, 0, len(l)/5)
	for i := 0; i < len(l); {
		if !isASCIILetter(l[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(l) && (isASCIILetter(l[j]) || l[j] == '\'' && j+1 < len(l) && isASCIILetter(l[j+1])) {
			j++
		}
		out = append(out, l[i:j])
		i = j
	}
	return out
}
