package project

import (
	"context"

	"dossier/notes"
)

// Bulk stores notes, quotes and events in one transaction (store.Bulk) and
// indexes the notes and quotes in one index batch, for generated or
// imported notebooks of tens of thousands of items.
func (p *Project) Bulk(ctx context.Context, ns []*notes.Note, qs []*notes.Quote, es []*notes.Event) error {
	ctx = tracked(ctx)
	if err := p.db.Bulk(ctx, ns, qs, es); err != nil {
		return err
	}
	items := make([]*notes.Item, 0, len(ns)+len(qs))
	for _, n := range ns {
		items = append(items, NoteItem(n))
	}
	docs := map[string]*notes.Document{}
	for _, q := range qs {
		d, ok := docs[q.DocID]
		if !ok {
			var err error
			if d, err = p.Store.Document(ctx, q.DocID); err != nil {
				return err
			}
			docs[q.DocID] = d
		}
		items = append(items, QuoteItem(q, d))
	}
	if len(items) == 0 {
		return nil
	}
	if err := p.Index.IndexItems(ctx, items); err != nil {
		return indexBehind(err)
	}
	return nil
}
