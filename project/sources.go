package project

import (
	"context"
	"fmt"

	"dossier/notes"
)

// UpdateSourceMeta saves a source's editable metadata (title, author,
// source/publisher, URL, published date and precision, grade, grade note,
// tags) from d, whose ID names the document; its text is never changed
// here. The grade is checked and normalised first (see notes.ParseGrade),
// so "b2" is stored as "B2" and "G7" is refused with EINVALID. The document
// and its quotes, whose search items carry the source's title, date and
// grade, are reindexed, so a grade:E filter hides the quotes too.
func (p *Project) UpdateSourceMeta(ctx context.Context, d *notes.Document) error {
	if d == nil {
		return notes.Errorf(notes.EINVALID, "no source to update")
	}
	g, err := notes.ParseGrade(d.Grade)
	if err != nil {
		return err
	}
	d.Grade = g
	if err := p.Store.UpdateDocument(ctx, d); err != nil {
		return err
	}
	return p.reindexSource(ctx, d.ID)
}

// SetGrade grades a source with an Admiralty code such as "B2" (case does
// not matter; "" removes the grade) and a note on why; see
// UpdateSourceMeta.
func (p *Project) SetGrade(ctx context.Context, docID, grade, note string) error {
	d, err := p.Store.Document(ctx, docID)
	if err != nil {
		return err
	}
	d.Grade, d.GradeNote = grade, note
	return p.UpdateSourceMeta(ctx, d)
}

// reindexSource indexes a document again together with its quotes.
func (p *Project) reindexSource(ctx context.Context, docID string) error {
	d, err := p.Store.Document(ctx, docID)
	if err != nil {
		return err
	}
	qs, err := p.db.Quotes(ctx, notes.QuoteFilter{DocID: docID})
	if err != nil {
		return err
	}
	items := make([]*notes.Item, 0, len(qs)+1)
	items = append(items, d.Item())
	for i := range qs {
		items = append(items, quoteItem(&qs[i], d))
	}
	if err := p.Index.IndexItems(ctx, items); err != nil {
		return fmt.Errorf("source saved, but updating the search index failed (Reindex repairs it): %w", err)
	}
	return nil
}
