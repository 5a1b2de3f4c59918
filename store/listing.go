package store

import (
	"context"
	"fmt"

	"dossier/notes"
)

// Listing lists every document for the library, in the order of
// Documents, with only the fields the window shows filled in: ID, Title,
// Source, Published, Grade and Pages. It reads two covering indexes
// (migration 0006), never the table: at 100,000 documents that is about a
// fifth of the CPU time of Documents (BenchmarkListing).
func (s *Store) Listing(ctx context.Context) ([]notes.Document, error) {
	pages, err := s.pagedDocuments(ctx)
	if err != nil {
		return nil, err
	}
	n, err := s.CountDocuments(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, title, source, published, grade
		FROM documents INDEXED BY documents_listing
		ORDER BY published = '', substr(published || '-01-01', 1, 10), title COLLATE NOCASE, seq`)
	if err != nil {
		return nil, fmt.Errorf("store: listing documents: %w", err)
	}
	defer rows.Close()
	docs := make([]notes.Document, 0, n)
	var published string
	for rows.Next() {
		docs = append(docs, notes.Document{})
		d := &docs[len(docs)-1]
		if err := rows.Scan(&d.ID, &d.Title, &d.Source, &published, &d.Grade); err != nil {
			return nil, fmt.Errorf("store: listing documents: %w", err)
		}
		if d.Published, err = notes.ParseDate(published); err != nil {
			return nil, fmt.Errorf("store: listing documents: document %s: %w", d.ID, err)
		}
		if len(pages) > 0 {
			d.Pages = pages[d.ID]
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: listing documents: %w", err)
	}
	return docs, nil
}

// pagedDocuments returns the page offsets of the documents that have pages
// (PDFs), by id.
func (s *Store) pagedDocuments(ctx context.Context) (map[string][]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, pages FROM documents INDEXED BY documents_paged
		WHERE pages <> '[]'`)
	if err != nil {
		return nil, fmt.Errorf("store: listing documents' pages: %w", err)
	}
	defer rows.Close()
	m := map[string][]int{}
	var id, pages string
	for rows.Next() {
		if err := rows.Scan(&id, &pages); err != nil {
			return nil, fmt.Errorf("store: listing documents' pages: %w", err)
		}
		if m[id], err = decodePages(pages); err != nil {
			return nil, fmt.Errorf("store: document %s: %w", id, err)
		}
	}
	return m, rows.Err()
}

// EventsUnordered is Events in no particular order, for a caller that
// sorts them with other entries anyway (the timeline): sorting 200,000
// events in SQLite cost about as much as reading them.
func (s *Store) EventsUnordered(ctx context.Context) ([]notes.Event, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: counting events: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events`)
	if err != nil {
		return nil, fmt.Errorf("store: listing events: %w", err)
	}
	defer rows.Close()
	out := make([]notes.Event, 0, n)
	for rows.Next() {
		out = append(out, notes.Event{})
		if err := scanEvent(rows, &out[len(out)-1]); err != nil {
			return nil, fmt.Errorf("store: listing events: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: listing events: %w", err)
	}
	return out, nil
}
