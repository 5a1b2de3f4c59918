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

	"dossier/notes"
)

// metaColumns are a document's columns other than its text, in the order
// scanDocument reads them.
const metaColumns = `d.id, d.title, d.author, d.source, d.url, d.published,
	d.media_type, d.language, d.sha256, d.grade, d.grade_note, d.tags,
	d.original_name, d.size, d.importer, d.imported_at, d.pages`

// AddDocuments stores new documents in one transaction and returns, for
// each, whether it was added. A document whose SHA256 is already stored, or
// appears earlier in the same batch, is skipped (added=false): neither the
// stored document nor the skipped one is changed. Added documents with an
// empty ID or zero ImportedAt get a new ID and the current UTC time.
//
// A document without a SHA256 makes the whole batch fail with EINVALID, and
// an ID that is already taken with ECONFLICT. On any error nothing of the
// batch is stored and no document is changed.
func (s *Store) AddDocuments(ctx context.Context, docs []*notes.Document) (added []bool, err error) {
	added = make([]bool, len(docs))
	for i, d := range docs {
		switch {
		case d == nil:
			return nil, notes.Errorf(notes.EINVALID, "document %d of %d is missing", i+1, len(docs))
		case d.SHA256 == "":
			return nil, notes.Errorf(notes.EINVALID, "document %d of %d (%q) has no SHA-256 of its original file", i+1, len(docs), d.Title)
		}
	}
	if len(docs) == 0 {
		return added, nil
	}

	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: adding documents: %w", err)
	}
	defer tx.Rollback()
	// Prepared once per batch: parsing the SQL again for every row would
	// cost about as much as the insert itself.
	insDoc, err := tx.PrepareContext(ctx, `INSERT INTO documents (id, title, author, source, url,
			published, precision, media_type, language, sha256, grade, grade_note, tags,
			original_name, size, importer, imported_at, pages)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`)
	if err != nil {
		return nil, fmt.Errorf("store: adding documents: %w", err)
	}
	defer insDoc.Close()
	insText, err := tx.PrepareContext(ctx, `INSERT INTO document_texts (seq, text) VALUES (?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("store: adding documents: %w", err)
	}
	defer insText.Close()

	// IDs and times are applied to the caller's documents only after the
	// commit, so a failed batch leaves them as they were.
	ids := make([]string, len(docs))
	times := make([]time.Time, len(docs))
	now := time.Now().UTC()
	for i, d := range docs {
		ids[i], times[i] = d.ID, d.ImportedAt
		if ids[i] == "" {
			ids[i] = notes.NewID()
		}
		if times[i].IsZero() {
			times[i] = now
		}
		tags, err := encodeTags(d.Tags)
		if err != nil {
			return nil, err
		}
		res, err := insDoc.ExecContext(ctx, ids[i], d.Title, d.Author, d.Source, d.URL,
			d.Published.String(), d.Published.Precision.String(), d.MediaType, d.Language,
			d.SHA256, d.Grade, d.GradeNote, tags, d.OriginalName, d.Size, d.Importer,
			times[i].UTC().Format(time.RFC3339Nano), encodePages(d.Pages))
		if err != nil {
			// The upsert absorbs SHA-256 clashes, so a uniqueness failure
			// here can only be the id.
			if isExtendedCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
				return nil, notes.Errorf(notes.ECONFLICT,
					"cannot add %q: the project already has a document with id %s", d.Title, ids[i])
			}
			return nil, fmt.Errorf("store: adding document %q: %w", d.Title, err)
		}
		// The upsert changes no row when the SHA-256 is already stored,
		// including by an earlier document of this batch.
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("store: adding document %q: %w", d.Title, err)
		}
		if n == 0 {
			continue
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return nil, fmt.Errorf("store: adding document %q: %w", d.Title, err)
		}
		if _, err := insText.ExecContext(ctx, seq, d.Text); err != nil {
			return nil, fmt.Errorf("store: adding text of %q: %w", d.Title, err)
		}
		added[i] = true
	}
	if err := commit(ctx, tx); err != nil {
		return nil, fmt.Errorf("store: adding documents: %w", err)
	}
	for i, d := range docs {
		if added[i] {
			d.ID, d.ImportedAt = ids[i], times[i]
		}
	}
	return added, nil
}

// DocumentBySHA returns the id of the document imported from a file with
// this SHA-256. If there is none, the error wraps notes.ErrNotFound.
func (s *Store) DocumentBySHA(ctx context.Context, sha256 string) (string, error) {
	var id string
	err := s.read.QueryRowContext(ctx, `SELECT id FROM documents WHERE sha256 = ?`, sha256).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", notFound("no document was imported from a file with SHA-256 %s", sha256)
	case err != nil:
		return "", fmt.Errorf("store: looking up SHA-256 %s: %w", sha256, err)
	}
	return id, nil
}

// Document returns one document with its text. If there is none with this
// id, the error wraps notes.ErrNotFound.
func (s *Store) Document(ctx context.Context, id string) (*notes.Document, error) {
	// LEFT JOIN: a document whose text row went missing is still shown,
	// rather than reported as not existing.
	row := s.read.QueryRowContext(ctx, `SELECT `+metaColumns+`, coalesce(t.text, '')
		FROM documents d LEFT JOIN document_texts t ON t.seq = d.seq
		WHERE d.id = ?`, id)
	d := new(notes.Document)
	err := scanDocument(row, d, &d.Text)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, notFound("no document with id %s", id)
	case err != nil:
		return nil, fmt.Errorf("store: reading document %s: %w", id, err)
	}
	return d, nil
}

// Text returns only the text of a document, the body of a live note or
// the exact text of a quote: what search cuts snippets from. If there is
// nothing with this id, the error wraps notes.ErrNotFound.
func (s *Store) Text(ctx context.Context, id string) (string, error) {
	var found, text string
	err := s.read.QueryRowContext(ctx, `SELECT d.id, t.text FROM documents d
		JOIN document_texts t ON t.seq = d.seq WHERE d.id = ?`+textsOfNotebook+` LIMIT 1`, id, id, id).Scan(&found, &text)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", notFound("no document with id %s", id)
	case err != nil:
		return "", fmt.Errorf("store: reading text of %s: %w", id, err)
	}
	return text, nil
}

// Texts returns the texts of many items (as Text) with one query, keyed by id;
// ids that are not stored are absent from the map. Search uses it to cut
// the snippets of a page of hits without a round trip per hit.
func (s *Store) Texts(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, 3*len(ids))
	for i, id := range ids {
		args[i], args[len(ids)+i], args[2*len(ids)+i] = id, id, id
	}
	in := ` IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
	rows, err := s.read.QueryContext(ctx, `SELECT d.id, t.text FROM documents d
		JOIN document_texts t ON t.seq = d.seq WHERE d.id`+in+
		strings.ReplaceAll(textsOfNotebook, " = ?", in), args...)
	if err != nil {
		return nil, fmt.Errorf("store: reading texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, fmt.Errorf("store: reading texts: %w", err)
		}
		out[id] = text
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading texts: %w", err)
	}
	return out, nil
}

// Documents lists every document's metadata, without text, ordered by
// publication date (undated last) then title, ignoring case. If reading
// fails, no partial list is returned.
func (s *Store) Documents(ctx context.Context) ([]notes.Document, error) {
	// Padding published to a full day makes "2023" sort with 1 January
	// 2023, the start of the period it names, as notes.Date.Time does;
	// seq keeps documents that tie in a stable order.
	// The count only sizes the slice: growing a slice of 100,000
	// documents step by step costs more than the query itself.
	n, err := s.CountDocuments(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+metaColumns+` FROM documents d
		ORDER BY d.published = '', substr(d.published || '-01-01', 1, 10),
			d.title COLLATE NOCASE, d.seq`)
	if err != nil {
		return nil, fmt.Errorf("store: listing documents: %w", err)
	}
	defer rows.Close()
	docs := make([]notes.Document, 0, n)
	for rows.Next() {
		docs = append(docs, notes.Document{})
		if err := scanDocument(rows, &docs[len(docs)-1], nil); err != nil {
			return nil, fmt.Errorf("store: listing documents: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: listing documents: %w", err)
	}
	return docs, nil
}

// EachDocument calls fn for every document with its text, in the order they
// were added, stopping at the first error fn returns and returning that
// error unchanged. Texts are read one at a time, so memory does not grow
// with the project. fn may call the Store, including to write; it sees a
// snapshot taken when EachDocument started, so documents added meanwhile are
// not visited. If ctx is cancelled, EachDocument stops and returns ctx's
// error.
func (s *Store) EachDocument(ctx context.Context, fn func(*notes.Document) error) error {
	rows, err := s.read.QueryContext(ctx, `SELECT `+metaColumns+`, coalesce(t.text, '')
		FROM documents d LEFT JOIN document_texts t ON t.seq = d.seq
		ORDER BY d.seq`)
	if err != nil {
		return fmt.Errorf("store: reading documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		// database/sql notices a cancel asynchronously; checking here makes
		// the stop immediate, so fn never runs after the caller gave up.
		if err := ctx.Err(); err != nil {
			return err
		}
		d := new(notes.Document)
		if err := scanDocument(rows, d, &d.Text); err != nil {
			return fmt.Errorf("store: reading documents: %w", err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("store: reading documents: %w", err)
	}
	return ctx.Err()
}

// CountDocuments returns the number of stored documents.
func (s *Store) CountDocuments(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: counting documents: %w", err)
	}
	return n, nil
}

// UpdateDocument saves a document's editable metadata: title, author,
// source, URL, published date, grade, grade note and tags. Every other field
// of d, text and hash included, is ignored. If there is no document with
// d.ID, the error wraps notes.ErrNotFound; on error nothing changes.
func (s *Store) UpdateDocument(ctx context.Context, d *notes.Document) error {
	if d == nil {
		return notes.Errorf(notes.EINVALID, "no document to update")
	}
	tags, err := encodeTags(d.Tags)
	if err != nil {
		return err
	}
	return s.inNoteTx(ctx, "updating document", func(tx *sql.Tx) error {
		return execOne(ctx, tx, "updating", "document", d.ID, `UPDATE documents SET title = ?, author = ?, source = ?,
			url = ?, published = ?, precision = ?, grade = ?, grade_note = ?, tags = ?
		WHERE id = ?`,
			d.Title, d.Author, d.Source, d.URL, d.Published.String(), d.Published.Precision.String(),
			d.Grade, d.GradeNote, tags, d.ID)
	})
}

// scanDocument reads metaColumns into d, then the text into text when it is
// not nil.
func scanDocument(row interface{ Scan(...any) error }, d *notes.Document, text *string) error {
	var published, tags, importedAt, pages string
	dest := []any{&d.ID, &d.Title, &d.Author, &d.Source, &d.URL, &published,
		&d.MediaType, &d.Language, &d.SHA256, &d.Grade, &d.GradeNote, &tags,
		&d.OriginalName, &d.Size, &d.Importer, &importedAt, &pages}
	if text != nil {
		dest = append(dest, text)
	}
	if err := row.Scan(dest...); err != nil {
		return err
	}
	var err error
	if d.Published, err = notes.ParseDate(published); err != nil {
		return fmt.Errorf("document %s: %w", d.ID, err)
	}
	if d.ImportedAt, err = time.Parse(time.RFC3339Nano, importedAt); err != nil {
		return fmt.Errorf("document %s: import time: %w", d.ID, err)
	}
	// Most documents have no tags: skip the JSON decoder for them, it is
	// the slowest part of listing a large project.
	if tags != "[]" {
		if err := json.Unmarshal([]byte(tags), &d.Tags); err != nil {
			return fmt.Errorf("document %s: tags: %w", d.ID, err)
		}
	}
	if d.Pages, err = decodePages(pages); err != nil {
		return fmt.Errorf("document %s: %w", d.ID, err)
	}
	return nil
}

// encodeTags writes tags as a JSON array; no tags is "[]", never "null".
func encodeTags(tags []string) (string, error) {
	if len(tags) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(tags)
	if err != nil {
		return "", fmt.Errorf("store: encoding tags: %w", err)
	}
	return string(b), nil
}
