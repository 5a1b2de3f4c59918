package cli

import (
	"context"

	"dossier/notes"
)

// snippetPages returns the page of each snippet of a hit in a paged
// document (a PDF), or nil for a hit without pages.
func snippetPages(ctx context.Context, st notes.Store, h notes.Hit) []int {
	if h.Type != "" && h.Type != notes.KindSource || len(h.Snippets) == 0 {
		return nil
	}
	d, err := st.Document(ctx, h.ID)
	if err != nil || len(d.Pages) == 0 {
		return nil
	}
	out := make([]int, len(h.Snippets))
	for i, s := range h.Snippets {
		out[i] = notes.PageAt(d.Pages, s.Offset)
	}
	return out
}
