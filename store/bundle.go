package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"dossier/notes"
)

// This file gives package bundle (and export) every row of the notebook
// exactly as the schema keeps it, and a transaction to add or replace rows
// by id. It exists beside the item stores (notes, quotes, events) because a
// bundle must copy rows verbatim — ids, versions, times, deleted notes —
// which the item stores rightly do not let callers set.

// DumpFuncs receives the rows of a Dump, one callback per table. A nil
// callback skips its table. Returning an error stops the dump.
type DumpFuncs struct {
	// Document gets every document with its text and pages, in the order
	// they were added.
	Document func(*notes.Document) error
	// Note gets every note, deleted ones too (deletedAt is "" for a live
	// note), in the order they were created.
	Note func(n *notes.Note, deletedAt string) error
	// Link gets every row of the links table, by note then position.
	Link     func(*notes.Link) error
	Quote    func(*notes.Quote) error
	Relation func(*notes.Relation) error
	Event    func(*notes.Event) error
}

// Dump calls fns for every row of the notebook, all read from one snapshot,
// so a bundle is consistent even while the user keeps typing. If ctx is
// cancelled it stops and returns ctx's error.
func (s *Store) Dump(ctx context.Context, fns DumpFuncs) error {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: reading the project: %w", err)
	}
	defer tx.Rollback()
	q := queryer{ctx: ctx, q: tx}
	steps := []func() error{
		func() error { return q.eachDocument(fns.Document) },
		func() error { return q.eachNote(fns.Note) },
		func() error { return q.eachLink(fns.Link) },
		func() error { return q.eachQuote(fns.Quote) },
		func() error { return q.eachRelation(fns.Relation) },
		func() error { return q.eachEvent(fns.Event) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// History returns every content hash recorded for item id, in no order.
func (s *Store) History(ctx context.Context, id string) ([]string, error) {
	return queryer{ctx: ctx, q: s.read}.history(id)
}

// AddHistory records that the items had these content hashes (id → hash)
// when they were shared, in one transaction.
func (s *Store) AddHistory(ctx context.Context, hashes map[string]string) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: recording shared versions: %w", err)
	}
	defer tx.Rollback()
	lt := &LoadTx{s: s, ctx: ctx, tx: tx, queryer: queryer{ctx: ctx, q: tx}}
	for id, h := range hashes {
		if err := lt.AddHistory(id, h); err != nil {
			return err
		}
	}
	if err := commit(ctx, tx); err != nil {
		return fmt.Errorf("store: recording shared versions: %w", err)
	}
	return nil
}

// LoadTx is one write transaction for loading rows from a bundle. Reads
// through it see its own writes. Nothing it does is visible to others, or
// durable, until Commit; Rollback (or a failed Commit) leaves the project as
// it was.
//
// It holds the project's only write connection: other writes wait until it
// ends, so keep it short (read and check the bundle first).
type LoadTx struct {
	queryer
	s   *Store
	ctx context.Context
	tx  *sql.Tx
}

// BeginLoad starts a load transaction.
func (s *Store) BeginLoad(ctx context.Context) (*LoadTx, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: starting to load: %w", err)
	}
	return &LoadTx{s: s, ctx: ctx, tx: tx, queryer: queryer{ctx: ctx, q: tx}}, nil
}

// Commit makes every change of the load durable at once.
func (t *LoadTx) Commit() error {
	if err := commit(t.ctx, t.tx); err != nil {
		return fmt.Errorf("store: saving the load: %w", err)
	}
	return nil
}

// Rollback drops every change of the load. It is safe after Commit.
func (t *LoadTx) Rollback() { _ = t.tx.Rollback() }

func (t *LoadTx) exec(what, query string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(t.ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("store: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: %s: %w", what, err)
	}
	return n, nil
}

// InsertDocument adds a document with every field as given: id, text,
// pages, import time. An id or SHA-256 already stored fails the statement
// (and so the load).
func (t *LoadTx) InsertDocument(d *notes.Document) error {
	tags, err := encodeTags(d.Tags)
	if err != nil {
		return err
	}
	pages, err := encodeInts(d.Pages)
	if err != nil {
		return err
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO documents (id, title, author, source, url,
			published, precision, media_type, language, sha256, grade, grade_note, tags,
			original_name, size, importer, imported_at, pages)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.Title, d.Author, d.Source, d.URL, d.Published.String(), d.Published.Precision.String(),
		d.MediaType, d.Language, d.SHA256, d.Grade, d.GradeNote, tags, d.OriginalName, d.Size,
		d.Importer, d.ImportedAt.UTC().Format(time.RFC3339Nano), pages)
	if err != nil {
		return fmt.Errorf("store: adding document %q: %w", d.Title, err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("store: adding document %q: %w", d.Title, err)
	}
	_, err = t.exec("adding text of "+d.ID, `INSERT INTO document_texts (seq, text) VALUES (?, ?)`, seq, d.Text)
	return err
}

// UpdateDocumentMeta replaces the editable metadata of document d.ID, as
// UpdateDocument does.
func (t *LoadTx) UpdateDocumentMeta(d *notes.Document) error {
	tags, err := encodeTags(d.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec("updating document "+d.ID, `UPDATE documents SET title = ?, author = ?, source = ?,
			url = ?, published = ?, precision = ?, grade = ?, grade_note = ?, tags = ?
		WHERE id = ?`,
		d.Title, d.Author, d.Source, d.URL, d.Published.String(), d.Published.Precision.String(),
		d.Grade, d.GradeNote, tags, d.ID)
	return err
}

// PutNote inserts note n, or replaces every column of the note with its
// id. Its links are rebuilt from its body, as a save does, and missing links
// elsewhere that name its title now point at it. A live note whose title
// another live note has fails (see TitleTaken).
func (t *LoadTx) PutNote(n *notes.Note, deletedAt string) error {
	tags, err := encodeTags(n.Tags)
	if err != nil {
		return err
	}
	key := notes.TitleKey(n.Title)
	_, err = t.exec("saving note "+n.ID, `INSERT INTO notes (id, title, title_key, body, tags, created_at, updated_at, version, deleted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, title_key = excluded.title_key, body = excluded.body,
			tags = excluded.tags, created_at = excluded.created_at, updated_at = excluded.updated_at,
			version = excluded.version, deleted_at = excluded.deleted_at`,
		n.ID, n.Title, key, n.Body, tags, timeText(n.Created), timeText(n.Updated), n.Version, deletedAt)
	if err != nil {
		return err
	}
	if err := writeLinks(t.ctx, t.tx, n.ID, n.Body); err != nil {
		return err
	}
	if deletedAt == "" {
		return resolveMissing(t.ctx, t.tx, n.ID, key)
	}
	return nil
}

// TitleTaken reports whether a live note other than except has this title
// (ignoring case), which a live note may not share.
func (t *LoadTx) TitleTaken(title, except string) (bool, error) {
	err := titleFree(t.ctx, t.tx, notes.TitleKey(title), except)
	if notes.ErrorKind(err) == notes.ECONFLICT {
		return true, nil
	}
	return false, err
}

// PutQuote inserts quote q, or replaces every column of the quote with its
// id.
func (t *LoadTx) PutQuote(q *notes.Quote) error {
	tags, err := encodeTags(q.Tags)
	if err != nil {
		return err
	}
	_, err = t.exec("saving quote "+q.ID, `INSERT INTO quotes (id, doc_id, start, "end", exact, prefix, suffix,
			page, page_end, comment, tags, color, orphaned, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET doc_id = excluded.doc_id, start = excluded.start, "end" = excluded."end",
			exact = excluded.exact, prefix = excluded.prefix, suffix = excluded.suffix, page = excluded.page,
			page_end = excluded.page_end, comment = excluded.comment, tags = excluded.tags,
			color = excluded.color, orphaned = excluded.orphaned, created_at = excluded.created_at,
			updated_at = excluded.updated_at`,
		q.ID, q.DocID, q.Start, q.End, q.Exact, q.Prefix, q.Suffix, q.Page, q.PageEnd, q.Comment,
		tags, q.Color, boolInt(q.Orphaned), timeText(q.Created), timeText(q.Updated))
	return err
}

// PutRelation inserts relation r, or replaces the relation with its id. It
// reports false, changing nothing, when another relation already says the
// same (same quotes, same kind).
func (t *LoadTx) PutRelation(r *notes.Relation) (bool, error) {
	n, err := t.exec("saving relation "+r.ID, `INSERT INTO relations (id, a_id, b_id, kind, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET a_id = excluded.a_id, b_id = excluded.b_id, kind = excluded.kind,
			note = excluded.note, created_at = excluded.created_at
		ON CONFLICT DO NOTHING`,
		r.ID, r.A, r.B, r.Kind, r.Note, r.Created.UTC().Format(fixedNano))
	return n > 0, err
}

// PutEvent inserts event e, or replaces every column of the event with its
// id.
func (t *LoadTx) PutEvent(e *notes.Event) error {
	links, err := encodeTags(e.Links)
	if err != nil {
		return err
	}
	_, err = t.exec("saving event "+e.ID, `INSERT INTO events (id, label, date, precision, end_date, end_precision,
			note, links, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET label = excluded.label, date = excluded.date,
			precision = excluded.precision, end_date = excluded.end_date,
			end_precision = excluded.end_precision, note = excluded.note, links = excluded.links,
			created_at = excluded.created_at, updated_at = excluded.updated_at`,
		e.ID, e.Label, e.Date.String(), e.Date.Precision.String(), e.End.String(), e.End.Precision.String(),
		e.Note, links, timeText(e.Created), timeText(e.Updated))
	return err
}

// AddHistory records that item id had content hash h.
func (t *LoadTx) AddHistory(id, h string) error {
	_, err := t.exec("recording a shared version", `INSERT INTO bundle_history (id, hash) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, id, h)
	return err
}

// queryer reads rows through either the read pool, a snapshot or a load
// transaction.
type queryer struct {
	ctx context.Context
	q   interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
}

// each runs query and calls scan for every row, checking ctx between rows.
func (q queryer) each(what, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := q.q.QueryContext(q.ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: reading %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := q.ctx.Err(); err != nil {
			return err
		}
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		if q.ctx.Err() != nil {
			return q.ctx.Err()
		}
		return fmt.Errorf("store: reading %s: %w", what, err)
	}
	return q.ctx.Err()
}

// one turns a single-row lookup's sql.ErrNoRows into notes.ErrNotFound.
func one(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("no %s", what)
	}
	return err
}

func (q queryer) eachDocument(fn func(*notes.Document) error) error {
	if fn == nil {
		return nil
	}
	return q.each("documents", `SELECT `+metaColumns+`, d.pages, coalesce(t.text, '')
		FROM documents d LEFT JOIN document_texts t ON t.seq = d.seq ORDER BY d.seq`,
		func(r *sql.Rows) error {
			d, err := scanFullDocument(r)
			if err != nil {
				return err
			}
			return fn(d)
		})
}

func scanFullDocument(r interface{ Scan(...any) error }) (*notes.Document, error) {
	d := new(notes.Document)
	var pages string
	if err := scanDocument(&pagesScanner{r, &pages}, d, &d.Text); err != nil {
		return nil, err
	}
	if pages != "[]" {
		if err := json.Unmarshal([]byte(pages), &d.Pages); err != nil {
			return nil, fmt.Errorf("store: document %s: pages: %w", d.ID, err)
		}
	}
	return d, nil
}

// pagesScanner slips the pages column in before the text, which
// scanDocument reads last.
type pagesScanner struct {
	r     interface{ Scan(...any) error }
	pages *string
}

func (p *pagesScanner) Scan(dest ...any) error {
	n := len(dest)
	return p.r.Scan(append(append(dest[:n-1:n-1], p.pages), dest[n-1])...)
}

// DocumentByID returns document id with its text and pages, or an error
// wrapping notes.ErrNotFound.
func (q queryer) DocumentByID(id string) (*notes.Document, error) {
	d, err := scanFullDocument(q.q.QueryRowContext(q.ctx, `SELECT `+metaColumns+`, d.pages, coalesce(t.text, '')
		FROM documents d LEFT JOIN document_texts t ON t.seq = d.seq WHERE d.id = ?`, id))
	if err != nil {
		return nil, one(err, "document "+id)
	}
	return d, nil
}

// DocumentIDBySHA returns the id of the document with this SHA-256, or an
// error wrapping notes.ErrNotFound.
func (q queryer) DocumentIDBySHA(sha string) (string, error) {
	var id string
	err := q.q.QueryRowContext(q.ctx, `SELECT id FROM documents WHERE sha256 = ?`, sha).Scan(&id)
	return id, one(err, "document with SHA-256 "+sha)
}

const rowNoteColumns = `id, title, body, tags, created_at, updated_at, version, deleted_at`

func scanNoteRow(r interface{ Scan(...any) error }) (*notes.Note, string, error) {
	n := new(notes.Note)
	var tags, created, updated, deleted string
	if err := r.Scan(&n.ID, &n.Title, &n.Body, &tags, &created, &updated, &n.Version, &deleted); err != nil {
		return nil, "", err
	}
	n.Deleted = deleted != ""
	if err := decodeRow(n.ID, tags, &n.Tags, created, &n.Created, updated, &n.Updated); err != nil {
		return nil, "", err
	}
	return n, deleted, nil
}

func (q queryer) eachNote(fn func(*notes.Note, string) error) error {
	if fn == nil {
		return nil
	}
	return q.each("notes", `SELECT `+rowNoteColumns+` FROM notes ORDER BY seq`, func(r *sql.Rows) error {
		n, deleted, err := scanNoteRow(r)
		if err != nil {
			return err
		}
		return fn(n, deleted)
	})
}

// NoteByID returns note id (deleted or not) and when it was deleted, or an
// error wrapping notes.ErrNotFound.
func (q queryer) NoteByID(id string) (*notes.Note, string, error) {
	n, deleted, err := scanNoteRow(q.q.QueryRowContext(q.ctx, `SELECT `+rowNoteColumns+` FROM notes WHERE id = ?`, id))
	if err != nil {
		return nil, "", one(err, "note "+id)
	}
	return n, deleted, nil
}

func (q queryer) eachLink(fn func(*notes.Link) error) error {
	if fn == nil {
		return nil
	}
	return q.each("links", `SELECT from_id, target_id, target_kind, text, start, "end", context FROM links
		ORDER BY from_id, ord`, func(r *sql.Rows) error {
		var l notes.Link
		if err := r.Scan(&l.From, &l.TargetID, &l.TargetKind, &l.Text, &l.Start, &l.End, &l.Context); err != nil {
			return err
		}
		return fn(&l)
	})
}

const rowQuoteColumns = `id, doc_id, start, "end", exact, prefix, suffix, page, page_end, comment, tags,
	color, orphaned, created_at, updated_at`

func scanQuoteRow(r interface{ Scan(...any) error }) (*notes.Quote, error) {
	q := new(notes.Quote)
	var tags, created, updated string
	var orphaned int
	if err := r.Scan(&q.ID, &q.DocID, &q.Start, &q.End, &q.Exact, &q.Prefix, &q.Suffix, &q.Page,
		&q.PageEnd, &q.Comment, &tags, &q.Color, &orphaned, &created, &updated); err != nil {
		return nil, err
	}
	q.Orphaned = orphaned != 0
	return q, decodeRow(q.ID, tags, &q.Tags, created, &q.Created, updated, &q.Updated)
}

func (q queryer) eachQuote(fn func(*notes.Quote) error) error {
	if fn == nil {
		return nil
	}
	return q.each("quotes", `SELECT `+rowQuoteColumns+` FROM quotes ORDER BY seq`, func(r *sql.Rows) error {
		qu, err := scanQuoteRow(r)
		if err != nil {
			return err
		}
		return fn(qu)
	})
}

// QuoteByID returns quote id, or an error wrapping notes.ErrNotFound.
func (q queryer) QuoteByID(id string) (*notes.Quote, error) {
	qu, err := scanQuoteRow(q.q.QueryRowContext(q.ctx, `SELECT `+rowQuoteColumns+` FROM quotes WHERE id = ?`, id))
	return qu, one(err, "quote "+id)
}

func scanRelation(r interface{ Scan(...any) error }) (*notes.Relation, error) {
	rel := new(notes.Relation)
	var created string
	if err := r.Scan(&rel.ID, &rel.A, &rel.B, &rel.Kind, &rel.Note, &created); err != nil {
		return nil, err
	}
	return rel, decodeRow(rel.ID, "", nil, created, &rel.Created, "", nil)
}

func (q queryer) eachRelation(fn func(*notes.Relation) error) error {
	if fn == nil {
		return nil
	}
	return q.each("relations", `SELECT id, a_id, b_id, kind, note, created_at FROM relations
		ORDER BY created_at, id`, func(r *sql.Rows) error {
		rel, err := scanRelation(r)
		if err != nil {
			return err
		}
		return fn(rel)
	})
}

// RelationByID returns relation id, or an error wrapping notes.ErrNotFound.
func (q queryer) RelationByID(id string) (*notes.Relation, error) {
	rel, err := scanRelation(q.q.QueryRowContext(q.ctx, `SELECT id, a_id, b_id, kind, note, created_at
		FROM relations WHERE id = ?`, id))
	return rel, one(err, "relation "+id)
}

const rowEventColumns = `id, label, date, precision, end_date, end_precision, note, links, created_at, updated_at`

func scanEventRow(r interface{ Scan(...any) error }) (*notes.Event, error) {
	e := new(notes.Event)
	var date, prec, end, endPrec, links, created, updated string
	if err := r.Scan(&e.ID, &e.Label, &date, &prec, &end, &endPrec, &e.Note, &links, &created, &updated); err != nil {
		return nil, err
	}
	var err error
	if e.Date, err = notes.ParseDate(date); err != nil {
		return nil, fmt.Errorf("store: event %s: %w", e.ID, err)
	}
	if e.End, err = notes.ParseDate(end); err != nil {
		return nil, fmt.Errorf("store: event %s: %w", e.ID, err)
	}
	return e, decodeRow(e.ID, links, &e.Links, created, &e.Created, updated, &e.Updated)
}

func (q queryer) eachEvent(fn func(*notes.Event) error) error {
	if fn == nil {
		return nil
	}
	return q.each("events", `SELECT `+rowEventColumns+` FROM events ORDER BY seq`, func(r *sql.Rows) error {
		e, err := scanEventRow(r)
		if err != nil {
			return err
		}
		return fn(e)
	})
}

// EventByID returns event id, or an error wrapping notes.ErrNotFound.
func (q queryer) EventByID(id string) (*notes.Event, error) {
	e, err := scanEventRow(q.q.QueryRowContext(q.ctx, `SELECT `+rowEventColumns+` FROM events WHERE id = ?`, id))
	return e, one(err, "event "+id)
}

func (q queryer) history(id string) ([]string, error) {
	var out []string
	err := q.each("shared versions", `SELECT hash FROM bundle_history WHERE id = ?`, func(r *sql.Rows) error {
		var h string
		if err := r.Scan(&h); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	}, id)
	return out, err
}

// History returns every content hash recorded for item id.
func (t *LoadTx) History(id string) ([]string, error) { return t.history(id) }

// decodeRow parses a row's JSON list and times; empty inputs are skipped.
func decodeRow(id, list string, into *[]string, created string, c *time.Time, updated string, u *time.Time) error {
	if list != "" && list != "[]" {
		if err := json.Unmarshal([]byte(list), into); err != nil {
			return fmt.Errorf("store: %s: %w", id, err)
		}
	}
	for _, tt := range []struct {
		s string
		t *time.Time
	}{{created, c}, {updated, u}} {
		if tt.s == "" || tt.t == nil {
			continue
		}
		v, err := time.Parse(time.RFC3339Nano, tt.s)
		if err != nil {
			return fmt.Errorf("store: %s: time %q: %w", id, tt.s, err)
		}
		*tt.t = v
	}
	return nil
}

func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func encodeInts(v []int) (string, error) {
	if len(v) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("store: encoding pages: %w", err)
	}
	return string(b), nil
}

// AllHistory returns every recorded content hash, by item id.
func (s *Store) AllHistory(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	err := queryer{ctx: ctx, q: s.read}.each("shared versions", `SELECT id, hash FROM bundle_history ORDER BY id, hash`,
		func(r *sql.Rows) error {
			var id, h string
			if err := r.Scan(&id, &h); err != nil {
				return err
			}
			out[id] = append(out[id], h)
			return nil
		})
	return out, err
}
