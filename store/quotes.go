package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"dossier/anchor"
	"dossier/notes"
)

var _ notes.QuoteStore = (*Store)(nil)

const quoteColumns = `q.id, q.doc_id, q.start, q."end", q.exact, q.prefix, q.suffix,
	q.page, q.page_end, q.comment, q.tags, q.color, q.orphaned, q.created_at, q.updated_at`

// AddQuote pins the passage [q.Start, q.End) (code points) of document
// q.DocID; see notes.QuoteStore. The selectors are cut from the stored
// text inside the write transaction, so they match the text the quote is
// stored against even if a new version of the document lands at the same
// time.
func (s *Store) AddQuote(ctx context.Context, q *notes.Quote) error {
	if q == nil {
		return notes.Errorf(notes.EINVALID, "no quote to add")
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: adding quote: %w", err)
	}
	defer tx.Rollback()
	out, err := insertQuote(ctx, tx, q)
	if err != nil {
		return err
	}
	if err := commit(ctx, tx); err != nil {
		return fmt.Errorf("store: adding quote: %w", err)
	}
	*q = out
	return nil
}

// insertQuote is AddQuote inside the caller's transaction; it returns the
// quote as stored.
func insertQuote(ctx context.Context, tx *sql.Tx, q *notes.Quote) (notes.Quote, error) {
	tags, err := encodeTags(notes.NormalizeTags(q.Tags))
	if err != nil {
		return notes.Quote{}, err
	}
	text, pages, err := docTextAndPages(ctx, tx, q.DocID)
	if err != nil {
		return notes.Quote{}, err
	}
	sel, err := anchor.Select(text, q.Start, q.End)
	if err != nil {
		return notes.Quote{}, err
	}
	out := *q
	out.Exact, out.Prefix, out.Suffix = sel.Exact, sel.Prefix, sel.Suffix
	out.Page, out.PageEnd = pageOf(pages, q.Start), pageOf(pages, q.End-1)
	if out.PageEnd == out.Page {
		out.PageEnd = 0
	}
	out.Orphaned = false
	out.Tags = notes.NormalizeTags(q.Tags)
	if out.ID == "" {
		out.ID = notes.NewID()
	}
	now := time.Now().UTC()
	if out.Created.IsZero() {
		out.Created = now
	}
	out.Updated = now
	_, err = tx.ExecContext(ctx, `INSERT INTO quotes (id, doc_id, start, "end", exact, prefix,
			suffix, page, page_end, comment, tags, color, orphaned, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		out.ID, out.DocID, out.Start, out.End, out.Exact, out.Prefix, out.Suffix,
		out.Page, out.PageEnd, out.Comment, tags, out.Color,
		out.Created.UTC().Format(time.RFC3339Nano), out.Updated.Format(time.RFC3339Nano))
	if err != nil {
		if isExtendedCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
			return notes.Quote{}, notes.Errorf(notes.ECONFLICT, "the project already has a quote with id %s", out.ID)
		}
		return notes.Quote{}, fmt.Errorf("store: adding quote: %w", err)
	}
	return out, nil
}

// pageOf returns the 1-based page holding code point off, given the
// offsets at which pages begin; 0 when the document has no pages.
func pageOf(pages []int, off int) int { return notes.PageAt(pages, off) }

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func docTextAndPages(ctx context.Context, q querier, docID string) (string, []int, error) {
	var text, pagesJSON string
	err := q.QueryRowContext(ctx, `SELECT coalesce(t.text, ''), d.pages FROM documents d
		LEFT JOIN document_texts t ON t.seq = d.seq WHERE d.id = ?`, docID).Scan(&text, &pagesJSON)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil, notFound("no document with id %s", docID)
	case err != nil:
		return "", nil, fmt.Errorf("store: reading document %s: %w", docID, err)
	}
	var pages []int
	if pagesJSON != "[]" {
		if err := json.Unmarshal([]byte(pagesJSON), &pages); err != nil {
			return "", nil, fmt.Errorf("store: document %s: pages: %w", docID, err)
		}
	}
	return text, pages, nil
}

// Quote returns one quote. If there is none with this id, the error wraps
// notes.ErrNotFound.
func (s *Store) Quote(ctx context.Context, id string) (*notes.Quote, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+quoteColumns+` FROM quotes q WHERE q.id = ?`, id)
	q := new(notes.Quote)
	err := scanQuote(row, q)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, notFound("no quote with id %s", id)
	case err != nil:
		return nil, fmt.Errorf("store: reading quote %s: %w", id, err)
	}
	return q, nil
}

// Quotes lists the quotes that match f: a document's in text order, all of
// them in the order they were pinned.
func (s *Store) Quotes(ctx context.Context, f notes.QuoteFilter) ([]notes.Quote, error) {
	var where []string
	var args []any
	order := `q.seq`
	if f.DocID != "" {
		where = append(where, `q.doc_id = ?`)
		args = append(args, f.DocID)
		order = `q.start, q."end", q.seq`
	}
	if f.Tag != "" {
		where = append(where, `EXISTS (SELECT 1 FROM json_each(q.tags) WHERE lower(value) = lower(?))`)
		args = append(args, strings.TrimPrefix(strings.TrimSpace(f.Tag), "#"))
	}
	query := `SELECT ` + quoteColumns + ` FROM quotes q`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := s.read.QueryContext(ctx, query+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("store: listing quotes: %w", err)
	}
	defer rows.Close()
	out := []notes.Quote{}
	for rows.Next() {
		out = append(out, notes.Quote{})
		if err := scanQuote(rows, &out[len(out)-1]); err != nil {
			return nil, fmt.Errorf("store: listing quotes: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: listing quotes: %w", err)
	}
	return out, nil
}

// UpdateQuote saves q's comment, tags and colour and sets q.Updated. If
// there is no quote with q.ID, the error wraps notes.ErrNotFound.
func (s *Store) UpdateQuote(ctx context.Context, q *notes.Quote) error {
	if q == nil {
		return notes.Errorf(notes.EINVALID, "no quote to update")
	}
	tagList := notes.NormalizeTags(q.Tags)
	tags, err := encodeTags(tagList)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := s.inNoteTx(ctx, "updating quote", func(tx *sql.Tx) error {
		return execOne(ctx, tx, "updating", "quote", q.ID, `UPDATE quotes SET comment = ?, tags = ?, color = ?, updated_at = ?
		WHERE id = ?`, q.Comment, tags, q.Color, now.Format(time.RFC3339Nano), q.ID)
	}); err != nil {
		return err
	}
	q.Updated, q.Tags = now, tagList
	return nil
}

// DeleteQuote removes a quote and, through the foreign keys, its
// relations. If there is no quote with this id, the error wraps
// notes.ErrNotFound.
func (s *Store) DeleteQuote(ctx context.Context, id string) error {
	return s.inNoteTx(ctx, "deleting quote", func(tx *sql.Tx) error {
		return execOne(ctx, tx, "deleting", "quote", id, `DELETE FROM quotes WHERE id = ?`, id)
	})
}

// AddRelation records that quote a contradicts or supports quote b; see
// notes.QuoteStore.
func (s *Store) AddRelation(ctx context.Context, a, b, kind, note string) (*notes.Relation, error) {
	if kind != notes.RelContradicts && kind != notes.RelSupports {
		return nil, notes.Errorf(notes.EINVALID, "unknown relation %q (want %s or %s)", kind, notes.RelContradicts, notes.RelSupports)
	}
	if a == b {
		return nil, notes.Errorf(notes.EINVALID, "a quote cannot %s itself", strings.TrimSuffix(kind, "s"))
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: relating quotes: %w", err)
	}
	defer tx.Rollback()
	for _, id := range []string{a, b} {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM quotes WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("no quote with id %s", id)
		} else if err != nil {
			return nil, fmt.Errorf("store: relating quotes: %w", err)
		}
	}
	var existing string
	err = tx.QueryRowContext(ctx, `SELECT id FROM relations WHERE kind = ?
		AND ((a_id = ? AND b_id = ?) OR (a_id = ? AND b_id = ?))`, kind, a, b, b, a).Scan(&existing)
	switch {
	case err == nil:
		return nil, notes.Errorf(notes.ECONFLICT, "these quotes are already marked: one %s the other (relation %s)", kind, existing)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("store: relating quotes: %w", err)
	}
	r := &notes.Relation{ID: notes.NewID(), A: a, B: b, Kind: kind, Note: note, Created: time.Now().UTC()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO relations (id, a_id, b_id, kind, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ID, r.A, r.B, r.Kind, r.Note, r.Created.Format(fixedNano)); err != nil {
		return nil, fmt.Errorf("store: relating quotes: %w", err)
	}
	if err := commit(ctx, tx); err != nil {
		return nil, fmt.Errorf("store: relating quotes: %w", err)
	}
	return r, nil
}

// fixedNano is RFC 3339 with all nine fraction digits: relations have no
// rowid to keep their order, and RFC3339Nano drops trailing zeros, so
// ".1Z" would sort after ".12Z" as text.
const fixedNano = "2006-01-02T15:04:05.000000000Z07:00"

// Relations lists the relations quoteID takes part in, or all when it is
// "", oldest first.
func (s *Store) Relations(ctx context.Context, quoteID string) ([]notes.Relation, error) {
	query := `SELECT id, a_id, b_id, kind, note, created_at FROM relations`
	var args []any
	if quoteID != "" {
		query += ` WHERE a_id = ? OR b_id = ?`
		args = append(args, quoteID, quoteID)
	}
	rows, err := s.read.QueryContext(ctx, query+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: listing relations: %w", err)
	}
	defer rows.Close()
	out := []notes.Relation{}
	for rows.Next() {
		var r notes.Relation
		var created string
		if err := rows.Scan(&r.ID, &r.A, &r.B, &r.Kind, &r.Note, &created); err != nil {
			return nil, fmt.Errorf("store: listing relations: %w", err)
		}
		if r.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
			return nil, fmt.Errorf("store: relation %s: created: %w", r.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: listing relations: %w", err)
	}
	return out, nil
}

// DeleteRelation removes one relation. If there is none with this id, the
// error wraps notes.ErrNotFound.
func (s *Store) DeleteRelation(ctx context.Context, id string) error {
	return execOne(ctx, s.write, "deleting", "relation", id, `DELETE FROM relations WHERE id = ?`, id)
}

func scanQuote(row interface{ Scan(...any) error }, q *notes.Quote) error {
	var tags, created, updated string
	var orphaned int
	if err := row.Scan(&q.ID, &q.DocID, &q.Start, &q.End, &q.Exact, &q.Prefix, &q.Suffix,
		&q.Page, &q.PageEnd, &q.Comment, &tags, &q.Color, &orphaned, &created, &updated); err != nil {
		return err
	}
	q.Orphaned = orphaned != 0
	var err error
	if q.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return fmt.Errorf("quote %s: created: %w", q.ID, err)
	}
	if q.Updated, err = time.Parse(time.RFC3339Nano, updated); err != nil {
		return fmt.Errorf("quote %s: updated: %w", q.ID, err)
	}
	q.Tags = []string{}
	if tags != "[]" {
		if err := json.Unmarshal([]byte(tags), &q.Tags); err != nil {
			return fmt.Errorf("quote %s: tags: %w", q.ID, err)
		}
	}
	return nil
}
