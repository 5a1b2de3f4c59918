package notes

import (
	"sort"
	"strconv"
	"strings"
)

// PageAt returns the 1-based number of the page that holds code-point
// offset off of a text whose pages begin at the offsets in pages (as in
// Document.Pages), or 0 when the text has no pages. An offset before the
// first page is on page 1 and one past the end is on the last page, so
// every offset of the text maps to a page.
func PageAt(pages []int, off int) int {
	if len(pages) == 0 {
		return 0
	}
	// The page is the last one that starts at or before off. Empty pages
	// share their start with the next page; the later one wins, because
	// off is text that page holds.
	n := sort.Search(len(pages), func(i int) bool { return pages[i] > off })
	return max(1, n)
}

// PageStart returns the code-point offset at which 1-based page n begins,
// clamped to the pages there are, and false when the text has no pages.
func PageStart(pages []int, n int) (int, bool) {
	if len(pages) == 0 {
		return 0, false
	}
	n = max(1, min(n, len(pages)))
	return pages[n-1], true
}

// Citation writes a short reference to a document the way a footnote reads
// it: "Author, *Title*, Source, 2023, p. 12", with the title in Markdown
// emphasis. Parts that are unknown are left out; page 0 means no page.
// A document without a title is cited by its original file name.
func Citation(d *Document, page int) string {
	if d == nil {
		return ""
	}
	return CitationWithTitle(d, page, "*"+escapeEmphasis(citedTitle(d))+"*")
}

// CitationWithTitle is Citation with the title part written as given, for
// a note that makes the title a link back to the passage.
func CitationWithTitle(d *Document, page int, title string) string {
	if d == nil {
		return ""
	}
	var parts []string
	if a := strings.TrimSpace(d.Author); a != "" {
		parts = append(parts, a)
	}
	if citedTitle(d) != "" {
		parts = append(parts, title)
	}
	if s := strings.TrimSpace(d.Source); s != "" {
		parts = append(parts, s)
	}
	if d.Published.Known() {
		parts = append(parts, d.Published.Human())
	}
	if page > 0 {
		parts = append(parts, "p. "+strconv.Itoa(page))
	}
	return strings.Join(parts, ", ")
}

func citedTitle(d *Document) string {
	if t := strings.TrimSpace(d.Title); t != "" {
		return t
	}
	return d.OriginalName
}

// escapeEmphasis keeps a title's own asterisks and underscores from ending
// the emphasis around it.
func escapeEmphasis(s string) string {
	if !strings.ContainsAny(s, `*_\`) {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`).Replace(s)
}
