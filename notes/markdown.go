package notes

import (
	"strings"
	"unicode"
)

// LinkRef is one [[link]] as written in a body, before it is resolved to an
// id. Start and End are code-point offsets of the whole "[[...]]";
// TargetStart and TargetEnd those of the target between "[[" and "|" or
// "]]", which renaming a note rewrites.
type LinkRef struct {
	Kind   string // TargetNote (by title), TargetSource or TargetQuote (by id)
	Target string // the title, or the id without its "source:" or "quote:"
	Alias  string // the text after '|', trimmed; "" when there is none
	Start  int
	End    int

	TargetStart int
	TargetEnd   int
}

// TagRef is one #tag in a body: Name is lower-cased and without '#'; Start
// and End are code-point offsets of "#tag".
type TagRef struct {
	Name  string
	Start int
	End   int
}

// ParseBody finds the links and tags of a Markdown body, in order.
// It never fails: text that is not a well-formed link or tag is plain text.
// The syntax:
//
//	[[Title]]             a note, by title, ignoring case; "missing" until a
//	                      note with that title exists
//	[[Title|alias]]       the same, read as "alias"
//	[[source:ID]]         a source by id, read as the source's current title
//	[[source:ID|text]]    a source by id, read as "text"
//	[[quote:ID]]          a quote by id, read as its text
//	[[quote:ID|text]]     a quote by id, read as "text"
//	\[[not a link]]       a backslash before [[ makes it plain text
//	#tag, #place/kant     a tag: letters, digits, '-', '_' and '/', after the
//	                      start of a line or a space; not all digits (#1 is
//	                      not a tag) and not a heading ("# Heading")
//
// A link ends at the first "]]" on the same line; "[[]]" and a link
// without a target are plain text. Nothing inside a code span (`...`) or a
// fenced code block (``` or ~~~) counts, and a #word inside a link is not a
// tag. Tags are lower-cased: #Kant and #kant are one tag.
func ParseBody(body string) (links []LinkRef, tags []TagRef) {
	rs := []rune(body)
	n := len(rs)
	lineStart := true
	for i := 0; i < n; {
		if lineStart {
			if end, ok := fence(rs, i); ok {
				i = end
				continue
			}
		}
		r := rs[i]
		switch {
		case r == '\n':
			lineStart = true
			i++
			continue
		case r == '\\' && i+1 < n:
			// An escaped character is literal, so \[[ starts no link and
			// \# no tag; skipping both keeps "\\[[x]]" (an escaped
			// backslash) a link as in CommonMark.
			i += 2
		case r == '`':
			i = codeSpan(rs, i)
		case r == '[' && i+1 < n && rs[i+1] == '[':
			if l, ok := link(rs, i); ok {
				links = append(links, l)
				i = l.End
			} else {
				i += 2
			}
		case r == '#' && (i == 0 || unicode.IsSpace(rs[i-1])):
			if t, ok := tag(rs, i); ok {
				tags = append(tags, t)
				i = t.End
			} else {
				i++
			}
		default:
			i++
		}
		lineStart = false
	}
	return links, tags
}

// Tags returns the distinct tags of a body, in order of first use.
func Tags(body string) []string {
	_, refs := ParseBody(body)
	var out []string
	seen := make(map[string]bool, len(refs))
	for _, t := range refs {
		if !seen[t.Name] {
			seen[t.Name] = true
			out = append(out, t.Name)
		}
	}
	return out
}

// TitleKey is the form in which note titles are compared: two titles with
// the same key name the same note. It folds case in every script, not only
// ASCII as SQLite's NOCASE does.
func TitleKey(title string) string {
	return strings.ToLower(strings.Join(strings.Fields(title), " "))
}

// RenameLinks rewrites every [[old]] and [[old|alias]] in body (old matched
// by TitleKey) to name newTitle, keeping aliases, and reports whether it
// changed anything. Links in code and escaped links are left alone.
func RenameLinks(body, old, newTitle string) (string, bool) {
	links, _ := ParseBody(body)
	key := TitleKey(old)
	var b strings.Builder
	rs := []rune(body)
	last := 0
	for _, l := range links {
		if l.Kind != TargetNote || TitleKey(l.Target) != key {
			continue
		}
		b.WriteString(string(rs[last:l.TargetStart]))
		b.WriteString(newTitle)
		last = l.TargetEnd
	}
	if last == 0 {
		return body, false
	}
	b.WriteString(string(rs[last:]))
	return b.String(), true
}

// CheckTitle returns an EINVALID error when title cannot name a note: it
// must not be blank and must not contain what would end or split a
// [[link]] to it.
func CheckTitle(title string) error {
	t := strings.TrimSpace(title)
	switch {
	case t == "":
		return Errorf(EINVALID, "a note needs a title")
	case strings.ContainsAny(t, "[]|\n\r"):
		return Errorf(EINVALID, "a note title cannot contain [, ], | or a line break: %q", t)
	case strings.HasPrefix(strings.ToLower(t), "source:"), strings.HasPrefix(strings.ToLower(t), "quote:"):
		return Errorf(EINVALID, "a note title cannot start with source: or quote: (those link to sources and quotes): %q", t)
	case len([]rune(t)) > 500:
		return Errorf(EINVALID, "a note title can have at most 500 characters")
	}
	return nil
}

// link parses "[[...]]" at rs[i:].
func link(rs []rune, i int) (LinkRef, bool) {
	j := i + 2
	for ; j+1 < len(rs); j++ {
		switch rs[j] {
		case '\n':
			return LinkRef{}, false
		case '[':
			if rs[j+1] == '[' {
				return LinkRef{}, false // "[[a [[b]]": only the inner one is a link
			}
		case ']':
			if rs[j+1] == ']' {
				goto found
			}
		}
	}
	return LinkRef{}, false
found:
	inner := rs[i+2 : j]
	tEnd := len(inner)
	alias := ""
	for k, r := range inner {
		if r == '|' {
			tEnd = k
			alias = strings.TrimSpace(string(inner[k+1:]))
			break
		}
	}
	// The target's span excludes surrounding spaces, so a rename keeps
	// "[[ Old ]]" looking as the user typed it.
	ts, te := 0, tEnd
	for ts < te && unicode.IsSpace(inner[ts]) {
		ts++
	}
	for te > ts && unicode.IsSpace(inner[te-1]) {
		te--
	}
	if ts == te {
		return LinkRef{}, false
	}
	target := string(inner[ts:te])
	l := LinkRef{Kind: TargetNote, Target: target, Alias: alias, Start: i, End: j + 2,
		TargetStart: i + 2 + ts, TargetEnd: i + 2 + te}
	for _, k := range [...]string{TargetSource, TargetQuote} {
		if len(target) > len(k) && strings.EqualFold(target[:len(k)+1], k+":") {
			id := strings.TrimSpace(target[len(k)+1:])
			if id == "" {
				return LinkRef{}, false
			}
			l.Kind, l.Target = k, id
		}
	}
	return l, true
}

// tag parses "#name" at rs[i:], where rs[i] is '#' at a word boundary.
func tag(rs []rune, i int) (TagRef, bool) {
	j := i + 1
	digits := true
	for j < len(rs) && isTagRune(rs[j]) {
		if !unicode.IsDigit(rs[j]) {
			digits = false
		}
		j++
	}
	// A trailing '/' or '-' is punctuation after the tag ("#kant/"), not
	// part of it.
	for j > i+1 && (rs[j-1] == '/' || rs[j-1] == '-') {
		j--
	}
	if j == i+1 || digits {
		return TagRef{}, false
	}
	return TagRef{Name: strings.ToLower(string(rs[i+1 : j])), Start: i, End: j}, true
}

func isTagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '-' || r == '_' || r == '/'
}

// codeSpan returns the offset after the code span that starts with the
// backtick run at rs[i], or after the run itself when no run of the same
// length closes it (then the backticks are literal, as in CommonMark).
func codeSpan(rs []rune, i int) int {
	open := run(rs, i, '`')
	for j := i + open; j < len(rs); {
		if rs[j] != '`' {
			j++
			continue
		}
		if k := run(rs, j, '`'); k == open {
			return j + k
		} else {
			j += k
		}
	}
	return i + open
}

// fence returns, when a fenced code block opens at the line starting at
// rs[i], the offset just after the line that closes it (or the end of the
// text when nothing does).
func fence(rs []rune, i int) (int, bool) {
	j := i
	for j < len(rs) && j-i < 3 && rs[j] == ' ' {
		j++
	}
	if j >= len(rs) || rs[j] != '`' && rs[j] != '~' {
		return 0, false
	}
	c := rs[j]
	width := run(rs, j, c)
	if width < 3 {
		return 0, false
	}
	eol := lineEnd(rs, j+width)
	if c == '`' && strings.ContainsRune(string(rs[j+width:eol]), '`') {
		return 0, false // an info string may not contain backticks
	}
	for line := eol + 1; line < len(rs); line = lineEnd(rs, line) + 1 {
		k := line
		for k < len(rs) && k-line < 3 && rs[k] == ' ' {
			k++
		}
		if k < len(rs) && rs[k] == c && run(rs, k, c) >= width {
			rest := strings.TrimSpace(string(rs[k+run(rs, k, c) : lineEnd(rs, k)]))
			if rest == "" {
				return min(lineEnd(rs, k)+1, len(rs)), true
			}
		}
	}
	return len(rs), true
}

func run(rs []rune, i int, c rune) int {
	j := i
	for j < len(rs) && rs[j] == c {
		j++
	}
	return j - i
}

func lineEnd(rs []rune, i int) int {
	for i < len(rs) && rs[i] != '\n' {
		i++
	}
	return i
}

// Sentence returns the sentence of text around the code-point range
// [start, end), for showing a link in context: from the end of the previous
// sentence (., !, ? followed by a space) or line to the end of the one the
// range is in, trimmed, at most about 300 characters.
func Sentence(text string, start, end int) string {
	return sentence([]rune(text), start, end)
}

// Contexts returns the Sentence around each link of body, converting the
// body once rather than once per link.
func Contexts(body string, links []LinkRef) []string {
	rs := []rune(body)
	out := make([]string, len(links))
	for i, l := range links {
		out[i] = sentence(rs, l.Start, l.End)
	}
	return out
}

func sentence(rs []rune, start, end int) string {
	start = max(0, min(start, len(rs)))
	end = max(start, min(end, len(rs)))
	const reach = 150
	a := start
	for a > 0 && start-a < reach {
		if rs[a-1] == '\n' || a >= 2 && isStop(rs[a-2]) && unicode.IsSpace(rs[a-1]) {
			break
		}
		a--
	}
	b := end
	for b < len(rs) && b-end < reach {
		if rs[b] == '\n' {
			break
		}
		b++
		if isStop(rs[b-1]) && (b == len(rs) || unicode.IsSpace(rs[b])) {
			break
		}
	}
	s := strings.TrimSpace(string(rs[a:b]))
	return strings.TrimLeft(s, "#>-*+ ")
}

func isStop(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }
