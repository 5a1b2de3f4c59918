package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// The results pane's type filter narrows a search to sources, notes or
// quotes. It lives above the results rather than in the library's facets:
// the library lists sources only, so a Type facet there could only ever
// offer "source".
var kindChoices = []struct{ kind, label string }{
	{"", "All types"},
	{notes.KindSource, "Sources"},
	{notes.KindNote, "Notes"},
	{notes.KindQuote, "Quotes"},
}

// kindFilter is the select and the counts it shows. The counts come from
// the type facet of the last search run with no type chosen; once a type
// is chosen the index only counts that type, so the others keep the
// counts they had for the same query and lose them for a new one.
type kindFilter struct {
	sel      *widget.Select
	kind     string // chosen: "" for every type
	counts   map[string]int
	countsOf string // the query the counts are for
	query    string // the query shown
	filling  bool
	onChange func(kind string)
}

func newKindFilter(onChange func(string)) *kindFilter {
	k := &kindFilter{onChange: onChange}
	k.sel = widget.NewSelect(nil, func(string) {
		if k.filling {
			return
		}
		for i, o := range k.sel.Options {
			if o == k.sel.Selected {
				k.kind = kindChoices[i].kind
			}
		}
		if k.onChange != nil {
			k.onChange(k.kind)
		}
	})
	k.relabel()
	return k
}

// Results takes the type facet of a finished search for query; typed is
// whether the search was narrowed to one type.
func (k *kindFilter) Results(query string, res *notes.SearchResult, typed bool) {
	k.query = query
	if !typed && res.Facets != nil {
		k.counts, k.countsOf = map[string]int{}, query
		for _, f := range res.Facets["type"] {
			k.counts[f.Value] = f.Count
		}
	}
	k.relabel()
}

func (k *kindFilter) relabel() {
	opts := make([]string, len(kindChoices))
	sel := ""
	for i, c := range kindChoices {
		opts[i] = c.label
		if c.kind != "" && k.countsOf == k.query && k.counts != nil {
			opts[i] = fmt.Sprintf("%s (%d)", c.label, k.counts[c.kind])
		}
		if c.kind == k.kind {
			sel = opts[i]
		}
	}
	k.filling = true
	k.sel.Options = opts
	k.sel.SetSelected(sel)
	k.filling = false
}

// withKind returns filters narrowed to kind (a copy; filters is the
// library's and stays as it is).
func withKind(filters map[string][]string, kind string) map[string][]string {
	if kind == "" {
		return filters
	}
	f := make(map[string][]string, len(filters)+1)
	for k, v := range filters {
		f[k] = v
	}
	f["type"] = []string{kind}
	return f
}

// label names the chosen type in a sentence: "notes".
func (k *kindFilter) label() string {
	for _, c := range kindChoices {
		if c.kind == k.kind {
			return strings.ToLower(c.label)
		}
	}
	return ""
}
