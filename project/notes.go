package project

import (
	"context"
	"errors"
	"fmt"

	"dossier/notes"
)

// Notes returns the project's notes, for reading. Change notes through
// the Project's methods (CreateNote, SaveNote, RenameNote, DeleteNote,
// RestoreNote), which keep the search index up to date.
func (p *Project) Notes() notes.NoteStore { return p.db }

// NoteItem returns a note as a search item: its body is the text, so search
// cuts snippets from the Markdown as typed.
func NoteItem(n *notes.Note) *notes.Item {
	return &notes.Item{ID: n.ID, Kind: notes.KindNote, Title: n.Title, Text: n.Body, Tags: n.Tags}
}

// QuoteItem returns a quote as a search item. It is found by its exact text
// and shown under its source's title; publisher, grade and date are the
// source's, so filters on them (grade:E, year:2023) narrow quotes too.
func QuoteItem(q *notes.Quote, doc *notes.Document) *notes.Item {
	return &notes.Item{ID: q.ID, Kind: notes.KindQuote, Title: doc.Title, Text: q.Exact, Author: doc.Author,
		Source: doc.Source, MediaType: doc.MediaType, Grade: doc.Grade, Published: doc.Published, Tags: q.Tags}
}

// CreateNote creates a note (see notes.NoteStore.CreateNote) and indexes it.
func (p *Project) CreateNote(ctx context.Context, title, body string) (*notes.Note, error) {
	ctx = tracked(ctx)
	n := &notes.Note{Title: title, Body: body}
	if err := p.db.CreateNote(ctx, n); err != nil {
		return nil, err
	}
	return n, p.indexNotes(ctx, n)
}

// SaveNote saves a note's body (see notes.NoteStore.SaveNote) and indexes
// it. On a conflict the error is the store's, wrapping *notes.NoteConflict,
// and the conflict copy is indexed. An error of the index alone comes after
// the store committed: the text is safe, only search is behind.
func (p *Project) SaveNote(ctx context.Context, n *notes.Note) error {
	ctx = tracked(ctx)
	err := p.db.SaveNote(ctx, n)
	var nc *notes.NoteConflict
	switch {
	case errors.As(err, &nc):
		if ierr := p.indexNotes(ctx, nc.Copy); ierr != nil {
			return errors.Join(err, ierr)
		}
		return err
	case err != nil:
		return err
	case n.Deleted:
		return nil
	}
	return p.indexNotes(ctx, n)
}

// RenameNote renames a note, rewriting every link to it (see
// notes.NoteStore.RenameNote), and reindexes the notes whose text changed.
func (p *Project) RenameNote(ctx context.Context, id, title string) (renamed *notes.Note, changed []string, err error) {
	ctx = tracked(ctx)
	renamed, changed, err = p.db.RenameNote(ctx, id, title)
	if err != nil {
		return nil, nil, err
	}
	var items []*notes.Note
	if !renamed.Deleted {
		items = append(items, renamed)
	}
	for _, cid := range changed {
		n, err := p.db.Note(ctx, cid)
		if err != nil {
			return renamed, changed, err
		}
		if !n.Deleted {
			items = append(items, n)
		}
	}
	return renamed, changed, p.indexNotes(ctx, items...)
}

// DeleteNote moves a note to the trash and out of search results; see
// notes.NoteStore.DeleteNote.
func (p *Project) DeleteNote(ctx context.Context, id string) error {
	ctx = tracked(ctx)
	if err := p.db.DeleteNote(ctx, id); err != nil {
		return err
	}
	if err := p.Index.Delete(ctx, []string{id}); err != nil {
		return indexBehind(err)
	}
	return nil
}

// RestoreNote takes a note out of the trash and back into search results;
// see notes.NoteStore.RestoreNote.
func (p *Project) RestoreNote(ctx context.Context, id string) (*notes.Note, error) {
	ctx = tracked(ctx)
	n, err := p.db.RestoreNote(ctx, id)
	if err != nil {
		return nil, err
	}
	return n, p.indexNotes(ctx, n)
}

func (p *Project) indexNotes(ctx context.Context, ns ...*notes.Note) error {
	if len(ns) == 0 {
		return nil
	}
	items := make([]*notes.Item, len(ns))
	for i, n := range ns {
		items[i] = NoteItem(n)
	}
	if err := p.Index.IndexItems(ctx, items); err != nil {
		return indexBehind(err)
	}
	return nil
}

// ErrIndexBehind is wrapped by the errors of note operations whose change
// was committed to the store but not to the search index: nothing is lost,
// search shows the old state until the index is rebuilt (dossier reindex).
var ErrIndexBehind = errors.New("the search index is behind the store")

func indexBehind(err error) error {
	return &notes.Error{Kind: notes.EINTERNAL, Err: errors.Join(ErrIndexBehind, err),
		Message: "saved, but the search index could not be updated (dossier reindex fixes it): " + err.Error()}
}

// itemCount is what a complete index holds: every document, live note and
// quote.
func (p *Project) itemCount(ctx context.Context) (int, error) {
	docs, err := p.Store.CountDocuments(ctx)
	if err != nil {
		return 0, err
	}
	ns, qs, err := p.db.CountNotebookItems(ctx)
	if err != nil {
		return 0, err
	}
	return docs + ns + qs, nil
}

// indexNotebook adds every live note and quote to idx in batches, for a
// rebuild; flush is the rebuild's, which counts progress.
func (p *Project) indexNotebook(ctx context.Context, idx notes.Index, done *int, total int, progress notes.Progress) error {
	batch := make([]*notes.Item, 0, batchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := idx.IndexItems(ctx, batch); err != nil {
			return fmt.Errorf("indexing notes and quotes: %w", err)
		}
		*done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(*done, total)
		}
		return nil
	}
	add := func(it *notes.Item) error {
		batch = append(batch, it)
		if len(batch) == batchSize {
			return flush()
		}
		return nil
	}
	if err := p.db.EachNote(ctx, func(n *notes.Note) error { return add(NoteItem(n)) }); err != nil {
		return err
	}
	if err := p.db.EachQuoteWithSource(ctx, func(q *notes.Quote, d *notes.Document) error { return add(QuoteItem(q, d)) }); err != nil {
		return err
	}
	return flush()
}
