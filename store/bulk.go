package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dossier/notes"
)

// Bulk adds notes, quotes and events in one write transaction through the
// same checks as CreateNote, AddQuote and AddEvent. It exists for generated
// and imported notebooks: with synchronous=FULL every commit is an fsync,
// and 260,000 of them take the better part of an hour. Nothing is stored
// unless every item is; on success the arguments hold the stored forms.
// The caller indexes the items (project does).
func (s *Store) Bulk(ctx context.Context, ns []*notes.Note, qs []*notes.Quote, es []*notes.Event) error {
	for _, e := range es {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	outN := make([]notes.Note, len(ns))
	outQ := make([]notes.Quote, len(qs))
	outE := make([]notes.Event, len(es))
	err := s.inNoteTx(ctx, "adding notebook items", func(tx *sql.Tx) error {
		now := time.Now().UTC()
		for i, n := range ns {
			created, err := insertNote(ctx, tx, n.ID, n.Title, n.Body, now)
			if err != nil {
				return err
			}
			outN[i] = *created
		}
		for i, q := range qs {
			out, err := insertQuote(ctx, tx, q)
			if err != nil {
				return fmt.Errorf("quote %d of %d: %w", i+1, len(qs), err)
			}
			outQ[i] = out
		}
		for i, e := range es {
			outE[i] = *e
			if err := insertEvent(ctx, tx, &outE[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range ns {
		*ns[i] = outN[i]
	}
	for i := range qs {
		*qs[i] = outQ[i]
	}
	for i := range es {
		*es[i] = outE[i]
	}
	return nil
}
