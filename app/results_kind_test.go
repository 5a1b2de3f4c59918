package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

func TestResults_TypeFilterNarrowsToNotesOrQuotes(t *testing.T) {
	const phrase = "attended the October 23 ceremony"
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	if ph := u.bar.entry.PlaceHolder; !strings.Contains(ph, "notes") || !strings.Contains(ph, "quotes") {
		t.Errorf("search placeholder = %q, want it to name notes and quotes", ph)
	}
	for _, name := range facetNames {
		if name == "type" {
			t.Errorf("the library offers a Type facet, which can only ever say %q", notes.KindSource)
		}
	}
	doc, start, end := docWith(t, p, phrase)
	q := mustPin(t, u, l, p, doc.ID, start, end)
	n := mustCreateNote(t, p, "Ceremony notes", "Who attended the ceremony in October?")

	kinds := func() []string {
		var ks []string
		for _, h := range u.results.hits {
			if !slices.Contains(ks, h.Type) {
				ks = append(ks, h.Type)
			}
		}
		slices.Sort(ks)
		return ks
	}
	typeQuery(u, "ceremony")
	waitResults(t, u, l, "ceremony")
	if got := kinds(); !slices.Equal(got, []string{notes.KindNote, notes.KindQuote, notes.KindSource}) {
		t.Fatalf("ceremony finds types %v, want sources, notes and quotes", got)
	}
	sel := u.results.kind.sel
	if !slices.Contains(sel.Options, "Notes (1)") || !slices.Contains(sel.Options, "Quotes (1)") || sel.Selected != "All types" {
		t.Fatalf("type filter = %q of %q, want counts per type", sel.Selected, sel.Options)
	}

	for _, tc := range []struct {
		option string
		want   string
	}{{"Notes (1)", n.ID}, {"Quotes (1)", q.ID}} {
		sel.SetSelected(tc.option)
		l.until(t, "only "+tc.option, func() bool {
			return len(u.results.hits) == 1 && u.results.hits[0].ID == tc.want
		})
		// The other types keep the counts of the unfiltered search.
		if o := findOption(sel.Options, "Sources"); !strings.HasPrefix(o, "Sources (") || o == "Sources (0)" {
			t.Errorf("options lost their counts: %q", sel.Options)
		}
	}

	// The filter holds for a new query, with no counts it cannot know,
	// and says why a search finds nothing.
	u.bar.entry.SetText("zeppelin")
	waitResults(t, u, l, "zeppelin")
	if sel.Selected != "Quotes" || len(u.results.hits) != 0 {
		t.Errorf("after a new query the filter = %q with %d hits", sel.Selected, len(u.results.hits))
	}
	said := false
	for _, o := range u.results.emptyBox.Objects {
		if lb, ok := o.(*widget.Label); ok && strings.Contains(lb.Text, "Only quotes are searched") {
			said = true
		}
	}
	if !said {
		t.Error("no results under a type filter should say that only quotes are searched")
	}
	sel.SetSelected("All types")
	l.until(t, "every type again", func() bool { return u.results.kind.kind == "" })
}

func findOption(opts []string, prefix string) string {
	for _, o := range opts {
		if strings.HasPrefix(o, prefix) {
			return o
		}
	}
	return ""
}
