package project

import (
	"context"
	"fmt"

	"dossier/notes"
)

// Quotes returns the project's quotes and relations for reading and for
// relations, which the index does not hold. Change quotes through
// AddQuote, UpdateQuote and DeleteQuote, which keep the index in step.
func (p *Project) Quotes() notes.QuoteStore { return p.db }

// AddQuote pins a passage (see notes.QuoteStore.AddQuote: offsets in code
// points, selectors filled from the text) and makes it searchable. If the
// store refuses it, nothing changes; if only indexing fails, the quote is
// stored, the error says so, and the next open rebuilds the index.
func (p *Project) AddQuote(ctx context.Context, q *notes.Quote) error {
	ctx = tracked(ctx)
	if err := p.db.AddQuote(ctx, q); err != nil {
		return err
	}
	return p.indexQuotes(ctx, q.DocID, *q)
}

// UpdateQuote saves a quote's comment, tags and colour and reindexes it.
func (p *Project) UpdateQuote(ctx context.Context, q *notes.Quote) error {
	ctx = tracked(ctx)
	if err := p.db.UpdateQuote(ctx, q); err != nil {
		return err
	}
	stored, err := p.db.Quote(ctx, q.ID)
	if err != nil {
		return err
	}
	return p.indexQuotes(ctx, stored.DocID, *stored)
}

// DeleteQuote removes a quote and its relations from the store and the
// index.
func (p *Project) DeleteQuote(ctx context.Context, id string) error {
	ctx = tracked(ctx)
	if err := p.db.DeleteQuote(ctx, id); err != nil {
		return err
	}
	if err := p.Index.Delete(ctx, []string{id}); err != nil {
		return fmt.Errorf("quote deleted, but removing it from the search index failed: %w", err)
	}
	return nil
}

// indexQuotes indexes quotes of one document, whose title, source, date
// and grade their search items carry.
func (p *Project) indexQuotes(ctx context.Context, docID string, qs ...notes.Quote) error {
	if len(qs) == 0 {
		return nil
	}
	d, err := p.Store.Document(ctx, docID)
	if err != nil {
		return err
	}
	items := make([]*notes.Item, len(qs))
	for i := range qs {
		items[i] = QuoteItem(&qs[i], d)
	}
	if err := p.Index.IndexItems(ctx, items); err != nil {
		return fmt.Errorf("quote saved, but indexing it failed (Reindex repairs it): %w", err)
	}
	return nil
}
