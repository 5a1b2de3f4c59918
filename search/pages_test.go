package search

import (
	"strings"
	"testing"

	"dossier/notes"
)

// A snippet's Offset is its first match's place in the text, in code
// points, so the page of a hit in a PDF is notes.PageAt(doc.Pages, Offset).
func TestSearch_SnippetOffsetGivesThePage(t *testing.T) {
	pages := []string{
		"Первая страница: вступление о базе в Канте.",
		strings.Repeat("Filler words on the second page. ", 40),
		"Third page: the harbour closed after the storm.",
	}
	var text strings.Builder
	starts := make([]int, len(pages))
	for i, p := range pages {
		if i > 0 {
			text.WriteString("\n\n")
		}
		starts[i] = len([]rune(text.String()))
		text.WriteString(p)
	}
	doc := &notes.Document{ID: "book", Title: "Book", Text: text.String(), SHA256: "x", Pages: starts}
	ix, _ := MustOpen(t, doc)
	for _, tc := range []struct {
		q    string
		page int
	}{{"harbour", 3}, {"Канте", 1}, {`"second page"`, 2}} {
		res := MustSearch(t, ix, notes.SearchRequest{Query: tc.q, Snippets: 3})
		if len(res.Hits) != 1 || len(res.Hits[0].Snippets) == 0 {
			t.Fatalf("%s: %+v", tc.q, res.Hits)
		}
		s := res.Hits[0].Snippets[0]
		if got := notes.PageAt(doc.Pages, s.Offset); got != tc.page {
			t.Errorf("%s: snippet at %d is on page %d, want %d", tc.q, s.Offset, got, tc.page)
		}
		word := strings.Trim(tc.q, `"`)
		if got := string([]rune(doc.Text)[s.Offset:][:len([]rune(word))]); !strings.EqualFold(got, word) {
			t.Errorf("%s: text at Offset %d is %q", tc.q, s.Offset, got)
		}
	}
}
