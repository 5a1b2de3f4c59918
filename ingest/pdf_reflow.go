package ingest

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// reflowPDF joins the lines PDFium reports for one page into paragraphs.
// A PDF stores where each line was set, not where paragraphs end, so the
// reader would otherwise show every line as its own paragraph. Without
// positions the breaks are guessed from the text alone, and a guess errs
// on the side of keeping a break: a line break too many reads better than
// a heading or a table row run into the paragraph after it.
//
// A line ending becomes a space, so the page keeps its length in code
// points; only after a hyphen left at a line end (PDFium joins most
// hyphenated words itself) is there no space: "self-" + "contained".
//
// full is the length of a line that runs the width of the text block
// (see fullLine).
func reflowPDF(page string, full int) string {
	lines := strings.Split(page, "\n")
	if len(lines) < 2 {
		return page
	}
	var b strings.Builder
	b.Grow(len(page))
	for i, l := range lines {
		if i > 0 {
			switch prev := lines[i-1]; {
			case !joins(prev, l, full):
				b.WriteByte('\n')
			case hyphenated(prev, l):
				// "custom-" + "ization": the hyphen stays, in case it
				// was a real one, but no space splits the word.
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// fullLine is the length in code points of a line that runs the width of
// the text block: most prose lines do, so it is the length that three
// quarters of the lines with words in them reach. It is measured over the
// whole document, as a page of table rows or a list has no full lines to
// measure by.
func fullLine(pages []string) int {
	var ns []int
	for _, p := range pages {
		for _, l := range strings.Split(p, "\n") {
			if n := utf8.RuneCountInString(l); n > 0 && hasLetter(l) {
				ns = append(ns, n)
			}
		}
	}
	if len(ns) == 0 {
		return 0
	}
	sort.Ints(ns)
	return ns[len(ns)*3/4]
}

// minJoinable is the shortest line taken to run on into the next: a short
// line is a heading, a table row, a list entry or a paragraph's last line.
const minJoinable = 40

// joins reports whether line b carries on the paragraph of line a.
func joins(a, b string, full int) bool {
	if a == "" || b == "" || !hasLetter(a) || !hasLetter(b) {
		return false // blank line, or a rule, page number, figure
	}
	if strings.ContainsRune(a, '\t') || strings.ContainsRune(b, '\t') {
		return false // a table row (see markColumns)
	}
	n := utf8.RuneCountInString(a)
	if n < minJoinable || n*10 < full*7 {
		return false
	}
	if listItem(b) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(b)
	if endsSentence(a) && !unicode.IsLower(first) {
		return false
	}
	return true
}

func hyphenated(a, b string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(a, "-"))
	first, _ := utf8.DecodeRuneInString(b)
	return strings.HasSuffix(a, "-") && !strings.HasSuffix(a, "--") && unicode.IsLetter(r) && unicode.IsLower(first)
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:;…", r)
}

// listItem reports whether a line opens with a bullet, "1." / "1)" or
// "(a)" / "a)". "a." is left out: it would catch initials ("J. Smith").
func listItem(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	if strings.ContainsRune("•◦▪‣·–—-*■□●○", r) {
		return len(s) > size && (s[size] == ' ' || s[size] == '\t')
	}
	head, _, ok := strings.Cut(s, " ")
	if !ok || len(head) < 2 || len(head) > 6 {
		return false
	}
	mark := head[len(head)-1]
	body := strings.TrimPrefix(head[:len(head)-1], "(")
	switch {
	case body == "":
		return false
	case strings.Trim(body, "0123456789") == "":
		return mark == '.' || mark == ')'
	case mark == ')' && len(body) <= 4:
		return strings.Trim(body, "abcdefghijklmnopqrstuvwxyz") == ""
	}
	return false
}
