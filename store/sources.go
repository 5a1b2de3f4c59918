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

// DocumentByURL returns the id of the document most recently imported with
// this URL. If there is none (or url is ""), the error wraps
// notes.ErrNotFound.
func (s *Store) DocumentByURL(ctx context.Context, url string) (string, error) {
	if url == "" {
		return "", notFound("no document has an empty URL")
	}
	var id string
	err := s.read.QueryRowContext(ctx, `SELECT id FROM documents WHERE url = ? AND url != ''
		ORDER BY imported_at DESC, seq DESC LIMIT 1`, url).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", notFound("no document with URL %s", url)
	case err != nil:
		return "", fmt.Errorf("store: looking up URL %s: %w", url, err)
	}
	return id, nil
}

// Reanchored is what a new version of a document did to one quote.
type Reanchored struct {
	Quote notes.Quote // as stored now
	How   string      // one of the anchor.How… values
	Moved bool        // the offsets or the exact text changed
}

// ReplaceDocument makes nd the new version of the stored document with the
// same ID: its text, SHA-256, media type, provenance (original name, size,
// importer, import time) and pages are replaced, and so is each metadata
// field (title, author, source, URL, published date, language) that nd
// has; the grade, grade note and tags the user gave are kept. In the same
// transaction every quote of the document is found again in the new text
// (see anchor.Locate): found quotes get the new offsets, the exact text
// found and fresh prefix and suffix; the others are flagged orphaned with
// their last exact text kept. Nothing is deleted.
//
// The caller keeps the new original (PutOriginals) before calling. If
// another document already has nd's SHA-256 the error is ECONFLICT, if
// there is no document with nd.ID ENOTFOUND; on any error nothing changes.
// On success nd holds the stored document (text included).
func (s *Store) ReplaceDocument(ctx context.Context, nd *notes.Document) ([]Reanchored, error) {
	if nd == nil || nd.SHA256 == "" {
		return nil, notes.Errorf(notes.EINVALID, "a new version needs its text and the SHA-256 of its file")
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: replacing document %s: %w", nd.ID, err)
	}
	defer tx.Rollback()

	row := tx.QueryRowContext(ctx, `SELECT `+metaColumns+`, d.seq FROM documents d WHERE d.id = ?`, nd.ID)
	old := new(notes.Document)
	var seq int64
	err = scanDocument(rowWith{row, &seq}, old, nil)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, notFound("no document with id %s", nd.ID)
	case err != nil:
		return nil, fmt.Errorf("store: reading document %s: %w", nd.ID, err)
	}

	merged := *nd
	keep := func(field *string, was string) {
		if *field == "" {
			*field = was
		}
	}
	keep(&merged.Title, old.Title)
	keep(&merged.Author, old.Author)
	keep(&merged.Source, old.Source)
	keep(&merged.URL, old.URL)
	keep(&merged.Language, old.Language)
	if !merged.Published.Known() {
		merged.Published = old.Published
	}
	merged.Grade, merged.GradeNote, merged.Tags = old.Grade, old.GradeNote, old.Tags
	if merged.ImportedAt.IsZero() {
		merged.ImportedAt = time.Now().UTC()
	}
	pages := "[]"
	if len(merged.Pages) > 0 {
		b, err := json.Marshal(merged.Pages)
		if err != nil {
			return nil, fmt.Errorf("store: encoding pages: %w", err)
		}
		pages = string(b)
	}
	_, err = tx.ExecContext(ctx, `UPDATE documents SET title = ?, author = ?, source = ?, url = ?,
			published = ?, precision = ?, media_type = ?, language = ?, sha256 = ?,
			original_name = ?, size = ?, importer = ?, imported_at = ?, pages = ?
		WHERE seq = ?`,
		merged.Title, merged.Author, merged.Source, merged.URL, merged.Published.String(),
		merged.Published.Precision.String(), merged.MediaType, merged.Language, merged.SHA256,
		merged.OriginalName, merged.Size, merged.Importer,
		merged.ImportedAt.UTC().Format(time.RFC3339Nano), pages, seq)
	if err != nil {
		if isExtendedCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
			var title string
			_ = tx.QueryRowContext(ctx, `SELECT title FROM documents WHERE sha256 = ?`, merged.SHA256).Scan(&title)
			return nil, notes.Errorf(notes.ECONFLICT,
				"this file is already in the project as %q, so it cannot also be the new version of %q", title, old.Title)
		}
		return nil, fmt.Errorf("store: replacing document %s: %w", nd.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_texts (seq, text) VALUES (?, ?)
		ON CONFLICT (seq) DO UPDATE SET text = excluded.text`, seq, merged.Text); err != nil {
		return nil, fmt.Errorf("store: replacing text of %s: %w", nd.ID, err)
	}

	out, err := reanchorQuotes(ctx, tx, nd.ID, merged.Text, merged.Pages)
	if err != nil {
		return nil, err
	}
	if err := commit(ctx, tx); err != nil {
		return nil, fmt.Errorf("store: replacing document %s: %w", nd.ID, err)
	}
	*nd = merged
	return out, nil
}

// reanchorQuotes finds every quote of a document again in its new text and
// saves the result in tx.
func reanchorQuotes(ctx context.Context, tx *sql.Tx, docID, text string, pages []int) ([]Reanchored, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+quoteColumns+` FROM quotes q WHERE q.doc_id = ? ORDER BY q.seq`, docID)
	if err != nil {
		return nil, fmt.Errorf("store: reading quotes of %s: %w", docID, err)
	}
	var qs []notes.Quote
	for rows.Next() {
		qs = append(qs, notes.Quote{})
		if err := scanQuote(rows, &qs[len(qs)-1]); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: reading quotes of %s: %w", docID, err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading quotes of %s: %w", docID, err)
	}
	if len(qs) == 0 {
		return nil, nil
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE quotes SET start = ?, "end" = ?, exact = ?, prefix = ?,
		suffix = ?, page = ?, page_end = ?, orphaned = ?, updated_at = ? WHERE id = ?`)
	if err != nil {
		return nil, fmt.Errorf("store: re-anchoring quotes: %w", err)
	}
	defer upd.Close()
	now := time.Now().UTC()
	out := make([]Reanchored, len(qs))
	for i, q := range qs {
		start, end, ok, how := anchor.Locate(text, anchor.Selector{Start: q.Start, End: q.End,
			Exact: q.Exact, Prefix: q.Prefix, Suffix: q.Suffix})
		nq := q
		if ok {
			sel, err := anchor.Select(text, start, end)
			if err != nil {
				return nil, fmt.Errorf("store: re-anchoring quote %s: %w", q.ID, err)
			}
			nq.Start, nq.End, nq.Exact, nq.Prefix, nq.Suffix = sel.Start, sel.End, sel.Exact, sel.Prefix, sel.Suffix
			nq.Page, nq.PageEnd = pageOf(pages, start), pageOf(pages, end-1)
			if nq.PageEnd == nq.Page {
				nq.PageEnd = 0
			}
			nq.Orphaned = false
		} else {
			// The passage is gone: its text stays as the record of what
			// was quoted; the offsets keep their last meaning.
			nq.Orphaned = true
		}
		changed := nq.Start != q.Start || nq.End != q.End || nq.Exact != q.Exact || nq.Prefix != q.Prefix ||
			nq.Suffix != q.Suffix || nq.Orphaned != q.Orphaned || nq.Page != q.Page || nq.PageEnd != q.PageEnd
		if changed {
			nq.Updated = now
			orphaned := 0
			if nq.Orphaned {
				orphaned = 1
			}
			if _, err := upd.ExecContext(ctx, nq.Start, nq.End, nq.Exact, nq.Prefix, nq.Suffix, nq.Page,
				nq.PageEnd, orphaned, now.Format(time.RFC3339Nano), nq.ID); err != nil {
				return nil, fmt.Errorf("store: re-anchoring quote %s: %w", q.ID, err)
			}
		}
		out[i] = Reanchored{Quote: nq, How: how, Moved: nq.Start != q.Start || nq.End != q.End || nq.Exact != q.Exact}
	}
	return out, nil
}

// rowWith scans a row's leading columns through an inner scanner and the
// last one into extra.
type rowWith struct {
	row   *sql.Row
	extra any
}

func (r rowWith) Scan(dest ...any) error { return r.row.Scan(append(dest, r.extra)...) }

// DocumentsByURL returns, for each of urls that a stored document has, the
// id of the document most recently imported with it, in one query. Empty
// URLs are ignored.
func (s *Store) DocumentsByURL(ctx context.Context, urls []string) (map[string]string, error) {
	out := map[string]string{}
	var args []any
	for _, u := range urls {
		if u != "" {
			args = append(args, u)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT url, id FROM documents
		WHERE url != '' AND url IN (?`+strings.Repeat(",?", len(args)-1)+`)
		ORDER BY imported_at, seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: looking up URLs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var url, id string
		if err := rows.Scan(&url, &id); err != nil {
			return nil, fmt.Errorf("store: looking up URLs: %w", err)
		}
		out[url] = id // later rows are more recent and win
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: looking up URLs: %w", err)
	}
	return out, nil
}
