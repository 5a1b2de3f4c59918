package store

import (
	"context"
	"fmt"
	"unicode/utf8"

	"dossier/notes"
)

// CheckNotebook verifies what the schema's constraints cannot: that every
// quote not marked orphaned still reads, at its code-point offsets, the
// exact text it was taken with, and that every resolved link points at an
// item that exists (a link to a deleted or vanished note must have been
// turned into a 'missing' one). It returns one sentence per problem, each
// naming the item's id.
func (s *Store) CheckNotebook(ctx context.Context) ([]string, error) {
	problems := []string{}
	// Ordered by document so each document's text is read once.
	rows, err := s.read.QueryContext(ctx, `SELECT q.id, q.doc_id, q.start, q."end", q.exact,
		d.id IS NOT NULL, coalesce(t.text, '')
		FROM quotes q LEFT JOIN documents d ON d.id = q.doc_id LEFT JOIN document_texts t ON t.seq = d.seq
		WHERE q.orphaned = 0 ORDER BY q.doc_id, q.start`)
	if err != nil {
		return nil, fmt.Errorf("store: checking quotes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, docID, exact, text string
			start, end             int
			docExists              bool
		)
		if err := rows.Scan(&id, &docID, &start, &end, &exact, &docExists, &text); err != nil {
			return nil, fmt.Errorf("store: checking quotes: %w", err)
		}
		if !docExists {
			problems = append(problems, fmt.Sprintf("quote %s: its source %s does not exist", id, docID))
			continue
		}
		if n := utf8.RuneCountInString(text); start < 0 || end < start || end > n {
			problems = append(problems, fmt.Sprintf("quote %s: offsets %d–%d lie outside its source %s (%d characters)", id, start, end, docID, n))
			continue
		}
		if got := text[notes.ByteOffset(text, start):notes.ByteOffset(text, end)]; got != exact {
			problems = append(problems, fmt.Sprintf("quote %s: the source %s reads %q at %d–%d, not the quoted %q",
				id, docID, shortenLinkText(got, 40), start, end, shortenLinkText(exact, 40)))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: checking quotes: %w", err)
	}
	lrows, err := s.read.QueryContext(ctx, `SELECT l.from_id, l.ord, l.target_kind, l.target_id FROM links l
		WHERE l.target_kind <> 'missing' AND NOT CASE l.target_kind
			WHEN 'note' THEN EXISTS (SELECT 1 FROM notes n WHERE n.id = l.target_id AND n.deleted_at = '')
			WHEN 'source' THEN EXISTS (SELECT 1 FROM documents d WHERE d.id = l.target_id)
			WHEN 'quote' THEN EXISTS (SELECT 1 FROM quotes q WHERE q.id = l.target_id)
			ELSE 0 END
		ORDER BY l.from_id, l.ord`)
	if err != nil {
		return nil, fmt.Errorf("store: checking links: %w", err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var from, kind, target string
		var ord int
		if err := lrows.Scan(&from, &ord, &kind, &target); err != nil {
			return nil, fmt.Errorf("store: checking links: %w", err)
		}
		problems = append(problems, fmt.Sprintf("link %d of note %s: its target %s %s does not exist (it should read as missing)", ord+1, from, kind, target))
	}
	if err := lrows.Err(); err != nil {
		return nil, fmt.Errorf("store: checking links: %w", err)
	}
	return problems, nil
}
