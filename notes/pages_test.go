package notes_test

import (
	"fmt"
	"testing"
	"time"

	"dossier/notes"
)

func TestPageAt(t *testing.T) {
	pages := []int{0, 10, 10, 25} // page 3 is empty
	for _, tc := range []struct {
		off, want int
	}{{-5, 1}, {0, 1}, {9, 1}, {10, 3}, {24, 3}, {25, 4}, {1000, 4}} {
		if got := notes.PageAt(pages, tc.off); got != tc.want {
			t.Errorf("PageAt(%v, %d)=%d, want %d", pages, tc.off, got, tc.want)
		}
	}
	if got := notes.PageAt(nil, 3); got != 0 {
		t.Fatalf("PageAt(nil)=%d, want 0", got)
	}
	// Every page's start maps back to that page unless the page is empty.
	for i, start := range pages {
		if i+1 < len(pages) && pages[i+1] == start {
			continue
		}
		if got := notes.PageAt(pages, start); got != i+1 {
			t.Errorf("PageAt(start of page %d)=%d", i+1, got)
		}
		if off, ok := notes.PageStart(pages, i+1); !ok || off != start {
			t.Errorf("PageStart(%d)=%d,%v, want %d", i+1, off, ok, start)
		}
	}
	if off, ok := notes.PageStart(pages, 99); !ok || off != 25 {
		t.Fatalf("PageStart past the end=%d,%v, want the last page", off, ok)
	}
	if _, ok := notes.PageStart(nil, 1); ok {
		t.Fatal("PageStart without pages reports a page")
	}
}

func TestCitation(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  notes.Document
		page int
		want string
	}{
		{"full", notes.Document{Author: "Leila Saralaeva", Title: "Kant Airbase", Source: "iwpr.net",
			Published: notes.DayDate(2003, time.October, 23)}, 12,
			"Leila Saralaeva, *Kant Airbase*, iwpr.net, 23 Oct 2003, p. 12"},
		{"no page", notes.Document{Author: "A. Author", Title: "Report"}, 0, "A. Author, *Report*"},
		{"title only", notes.Document{Title: "Report"}, 3, "*Report*, p. 3"},
		{"file name", notes.Document{OriginalName: "scan.pdf"}, 1, "*scan.pdf*, p. 1"},
		{"asterisks", notes.Document{Title: "A *bold* claim"}, 0, `*A \*bold\* claim*`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := notes.Citation(&tc.doc, tc.page); got != tc.want {
				t.Fatalf("Citation=%q, want %q", got, tc.want)
			}
		})
	}
}

func ExampleCitation() {
	doc := &notes.Document{Author: "Julian Seward", Title: "bzip2 and libbzip2", Pages: []int{0, 1800, 4100}}
	fmt.Println(notes.Citation(doc, notes.PageAt(doc.Pages, 2000)))
	// Output: Julian Seward, *bzip2 and libbzip2*, p. 2
}
