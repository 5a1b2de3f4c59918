package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"dossier/notes"
)

var _ notes.NoteStore = (*Store)(nil)

// noteColumns are a note's columns without its body, in the order scanNote
// reads them.
const noteColumns = `n.id, n.title, n.tags, n.created_at, n.updated_at, n.version, n.deleted_at <> ''`

// noteQuerier is what both *sql.DB and *sql.Tx offer, so note helpers run inside
// or outside a transaction.
type noteQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// CreateNote stores a new note; see notes.NoteStore. On error nothing is
// stored and n is unchanged.
func (s *Store) CreateNote(ctx context.Context, n *notes.Note) error {
	if n == nil {
		return notes.Errorf(notes.EINVALID, "no note to create")
	}
	return s.inNoteTx(ctx, "creating note", func(tx *sql.Tx) error {
		created, err := insertNote(ctx, tx, n.ID, n.Title, n.Body, time.Now().UTC())
		if err != nil {
			return err
		}
		*n = *created
		return nil
	})
}

// insertNote adds a live note and resolves links that were waiting for its
// title.
func insertNote(ctx context.Context, tx *sql.Tx, id, title, body string, now time.Time) (*notes.Note, error) {
	title = strings.TrimSpace(title)
	if err := notes.CheckTitle(title); err != nil {
		return nil, err
	}
	key := notes.TitleKey(title)
	if err := titleFree(ctx, tx, key, ""); err != nil {
		return nil, err
	}
	if id == "" {
		id = notes.NewID()
	}
	n := &notes.Note{ID: id, Title: title, Body: body, Tags: notes.Tags(body), Created: now, Updated: now, Version: 1}
	tags, err := encodeTags(n.Tags)
	if err != nil {
		return nil, err
	}
	ts := now.Format(time.RFC3339Nano)
	if _, err := tx.ExecContext(ctx, `INSERT INTO notes (id, title, title_key, body, tags, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)`, id, title, key, body, tags, ts, ts); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return nil, notes.Errorf(notes.ECONFLICT, "cannot create note %q: the id %s is taken", title, id)
		}
		return nil, fmt.Errorf("store: creating note %q: %w", title, err)
	}
	if err := writeLinks(ctx, tx, id, body); err != nil {
		return nil, err
	}
	if err := resolveMissing(ctx, tx, id, key); err != nil {
		return nil, err
	}
	return n, nil
}

// titleFree fails with ECONFLICT when a live note other than except has
// the title key.
func titleFree(ctx context.Context, c noteQuerier, key, except string) error {
	var other string
	err := c.QueryRowContext(ctx, `SELECT title FROM notes WHERE title_key = ? AND deleted_at = '' AND id <> ?`,
		key, except).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("store: checking note titles: %w", err)
	}
	return notes.Errorf(notes.ECONFLICT, "there is already a note called %q; choose another title", other)
}

// resolveMissing points the missing [[Title]] links with this title key at
// the note id.
func resolveMissing(ctx context.Context, c noteQuerier, id, key string) error {
	_, err := c.ExecContext(ctx, `UPDATE links SET target_id = ?, target_kind = 'note'
		WHERE target_key = ? AND target_kind = 'missing'`, id, key)
	if err != nil {
		return fmt.Errorf("store: resolving links to %q: %w", key, err)
	}
	return nil
}

// writeLinks replaces a note's rows in links with the links of body,
// resolving titles to ids.
func writeLinks(ctx context.Context, tx *sql.Tx, from, body string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM links WHERE from_id = ?`, from); err != nil {
		return fmt.Errorf("store: saving links: %w", err)
	}
	refs, _ := notes.ParseBody(body)
	if len(refs) == 0 {
		return nil
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO links (from_id, ord, target_id, target_kind, text, start, "end",
		target_key, alias, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("store: saving links: %w", err)
	}
	defer ins.Close()
	byTitle, err := tx.PrepareContext(ctx, `SELECT id FROM notes WHERE title_key = ? AND deleted_at = ''`)
	if err != nil {
		return fmt.Errorf("store: saving links: %w", err)
	}
	defer byTitle.Close()
	contexts := notes.Contexts(body, refs)
	for i, r := range refs {
		kind, target, key := r.Kind, r.Target, ""
		if kind == notes.TargetNote {
			key = notes.TitleKey(r.Target)
			switch err := byTitle.QueryRowContext(ctx, key).Scan(&target); {
			case errors.Is(err, sql.ErrNoRows):
				kind, target = notes.TargetMissing, ""
			case err != nil:
				return fmt.Errorf("store: saving links: %w", err)
			}
		}
		text := r.Alias
		if text == "" {
			text = r.Target
		}
		if _, err := ins.ExecContext(ctx, from, i, target, kind, text, r.Start, r.End, key, r.Alias,
			contexts[i]); err != nil {
			return fmt.Errorf("store: saving links: %w", err)
		}
	}
	return nil
}

// Note returns one note with its body, deleted or not. If there is none,
// the error wraps notes.ErrNotFound.
func (s *Store) Note(ctx context.Context, id string) (*notes.Note, error) {
	return getNote(ctx, s.read, `n.id = ?`, id)
}

// NoteByTitle returns the live note with this title, ignoring case. If
// there is none, the error wraps notes.ErrNotFound.
func (s *Store) NoteByTitle(ctx context.Context, title string) (*notes.Note, error) {
	n, err := getNote(ctx, s.read, `n.title_key = ? AND n.deleted_at = ''`, notes.TitleKey(title))
	if errors.Is(err, notes.ErrNotFound) {
		return nil, notFound("no note is called %q", strings.TrimSpace(title))
	}
	return n, err
}

func getNote(ctx context.Context, c noteQuerier, where string, arg any) (*notes.Note, error) {
	row := c.QueryRowContext(ctx, `SELECT `+noteColumns+`, n.body FROM notes n WHERE `+where, arg)
	n := new(notes.Note)
	err := scanNote(row, n, &n.Body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, notFound("no note with id %v", arg)
	case err != nil:
		return nil, fmt.Errorf("store: reading note %v: %w", arg, err)
	}
	return n, nil
}

// Notes lists live notes without their bodies; see notes.NoteFilter.
func (s *Store) Notes(ctx context.Context, f notes.NoteFilter) ([]notes.Note, error) {
	q := `SELECT ` + noteColumns + ` FROM notes n WHERE n.deleted_at = ''`
	var args []any
	if tag := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f.Tag), "#")); tag != "" {
		q += ` AND EXISTS (SELECT 1 FROM json_each(n.tags) j WHERE j.value = ? OR substr(j.value, 1, ?) = ?)`
		args = append(args, tag, len([]rune(tag))+1, tag+"/")
	}
	switch f.Sort {
	case notes.NoteSortUpdated:
		q += ` ORDER BY n.updated_at DESC, n.title_key`
	case "", notes.NoteSortTitle:
		q += ` ORDER BY n.title_key`
	default:
		return nil, notes.Errorf(notes.EINVALID, "notes sort by %q or %q, not %q", notes.NoteSortTitle, notes.NoteSortUpdated, f.Sort)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: listing notes: %w", err)
	}
	defer rows.Close()
	var out []notes.Note
	for rows.Next() {
		out = append(out, notes.Note{})
		if err := scanNote(rows, &out[len(out)-1], nil); err != nil {
			return nil, fmt.Errorf("store: listing notes: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: listing notes: %w", err)
	}
	return out, nil
}

func scanNote(row interface{ Scan(...any) error }, n *notes.Note, body *string) error {
	var tags, created, updated string
	dest := []any{&n.ID, &n.Title, &tags, &created, &updated, &n.Version, &n.Deleted}
	if body != nil {
		dest = append(dest, body)
	}
	if err := row.Scan(dest...); err != nil {
		return err
	}
	var err error
	if n.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return fmt.Errorf("note %s: created: %w", n.ID, err)
	}
	if n.Updated, err = time.Parse(time.RFC3339Nano, updated); err != nil {
		return fmt.Errorf("note %s: updated: %w", n.ID, err)
	}
	if tags != "[]" {
		if err := json.Unmarshal([]byte(tags), &n.Tags); err != nil {
			return fmt.Errorf("note %s: tags: %w", n.ID, err)
		}
	}
	return nil
}

// SaveNote saves a note's body with optimistic concurrency; see
// notes.NoteStore.
func (s *Store) SaveNote(ctx context.Context, n *notes.Note) error {
	if n == nil {
		return notes.Errorf(notes.EINVALID, "no note to save")
	}
	var conflict *notes.NoteConflict
	err := s.inNoteTx(ctx, "saving note", func(tx *sql.Tx) error {
		stored, err := getNote(ctx, tx, `n.id = ?`, n.ID)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		switch {
		case stored.Version != n.Version && stored.Body == n.Body:
			// Both sides typed the same thing: nothing to keep apart.
			n.Title, n.Created = stored.Title, stored.Created
			n.Version, n.Updated, n.Tags, n.Deleted = stored.Version, stored.Updated, stored.Tags, stored.Deleted
			return nil
		case stored.Version != n.Version:
			cp, err := insertConflictCopy(ctx, tx, stored.Title, n.Body, now)
			if err != nil {
				return err
			}
			conflict = &notes.NoteConflict{ID: n.ID, Copy: cp}
			return nil
		}
		tags := notes.Tags(n.Body)
		enc, err := encodeTags(tags)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notes SET body = ?, tags = ?, updated_at = ?, version = version + 1
			WHERE id = ?`, n.Body, enc, now.Format(time.RFC3339Nano), n.ID); err != nil {
			return fmt.Errorf("store: saving note %q: %w", stored.Title, err)
		}
		if err := writeLinks(ctx, tx, n.ID, n.Body); err != nil {
			return err
		}
		// The title too, so that the caller (project.SaveNote) indexes
		// the note under its title: an autosaver knows only the body.
		n.Title, n.Created = stored.Title, stored.Created
		n.Version, n.Updated, n.Tags, n.Deleted = stored.Version+1, now, tags, stored.Deleted
		return nil
	})
	if err != nil {
		return err
	}
	if conflict != nil {
		return &notes.Error{Kind: notes.ECONFLICT, Err: conflict, Message: fmt.Sprintf(
			"this note was changed in another window meanwhile; your text was kept as a new note %q", conflict.Copy.Title)}
	}
	return nil
}

// insertConflictCopy saves body as a new note named after title and the
// time, numbered when that name is taken too (two conflicts in a minute).
func insertConflictCopy(ctx context.Context, tx *sql.Tx, title, body string, now time.Time) (*notes.Note, error) {
	base := fmt.Sprintf("%s (conflict %s)", title, now.Local().Format("2006-01-02 15:04"))
	name := base
	for i := 2; ; i++ {
		if err := titleFree(ctx, tx, notes.TitleKey(name), ""); err == nil {
			break
		} else if notes.ErrorKind(err) != notes.ECONFLICT {
			return nil, err
		}
		name = fmt.Sprintf("%s %d", base, i)
	}
	return insertNote(ctx, tx, "", name, body, now)
}

// RenameNote renames a note and rewrites the links to it; see
// notes.NoteStore. On error nothing changes.
func (s *Store) RenameNote(ctx context.Context, id, title string) (*notes.Note, []string, error) {
	title = strings.TrimSpace(title)
	if err := notes.CheckTitle(title); err != nil {
		return nil, nil, err
	}
	var changed []string
	var renamed *notes.Note
	err := s.inNoteTx(ctx, "renaming note", func(tx *sql.Tx) error {
		old, err := getNote(ctx, tx, `n.id = ?`, id)
		if err != nil {
			return err
		}
		if old.Title == title {
			renamed = old
			return nil
		}
		key := notes.TitleKey(title)
		if !old.Deleted {
			if err := titleFree(ctx, tx, key, id); err != nil {
				return err
			}
		}
		now := time.Now().UTC().Format(time.RFC3339Nano)
		if _, err := tx.ExecContext(ctx, `UPDATE notes SET title = ?, title_key = ?, updated_at = ?, version = version + 1
			WHERE id = ?`, title, key, now, id); err != nil {
			return fmt.Errorf("store: renaming note %q: %w", old.Title, err)
		}
		froms, err := linkingNotes(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, from := range froms {
			n, err := getNote(ctx, tx, `n.id = ?`, from)
			if err != nil {
				return err
			}
			body, ok := notes.RenameLinks(n.Body, old.Title, title)
			if !ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notes SET body = ?, updated_at = ?, version = version + 1
				WHERE id = ?`, body, now, from); err != nil {
				return fmt.Errorf("store: updating links in %q: %w", n.Title, err)
			}
			if err := writeLinks(ctx, tx, from, body); err != nil {
				return err
			}
			if from != id {
				changed = append(changed, from)
			}
		}
		if !old.Deleted {
			if err := resolveMissing(ctx, tx, id, key); err != nil {
				return err
			}
		}
		renamed, err = getNote(ctx, tx, `n.id = ?`, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return renamed, changed, nil
}

// linkingNotes returns the ids of the notes, deleted ones included, whose
// bodies link to note id.
func linkingNotes(ctx context.Context, c noteQuerier, id string) ([]string, error) {
	rows, err := c.QueryContext(ctx, `SELECT DISTINCT from_id FROM links WHERE target_id = ? AND target_kind = 'note'`, id)
	if err != nil {
		return nil, fmt.Errorf("store: finding links to %s: %w", id, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var from string
		if err := rows.Scan(&from); err != nil {
			return nil, fmt.Errorf("store: finding links to %s: %w", id, err)
		}
		ids = append(ids, from)
	}
	return ids, rows.Err()
}

// DeleteNote moves a note to the trash; see notes.NoteStore.
func (s *Store) DeleteNote(ctx context.Context, id string) error {
	return s.inNoteTx(ctx, "deleting note", func(tx *sql.Tx) error {
		if _, err := getNote(ctx, tx, `n.id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notes SET deleted_at = ? WHERE id = ? AND deleted_at = ''`,
			time.Now().UTC().Format(time.RFC3339Nano), id); err != nil {
			return fmt.Errorf("store: deleting note %s: %w", id, err)
		}
		// target_key stays, so the links resolve again on restore or when
		// another note takes the title.
		if _, err := tx.ExecContext(ctx, `UPDATE links SET target_id = '', target_kind = 'missing'
			WHERE target_id = ? AND target_kind = 'note'`, id); err != nil {
			return fmt.Errorf("store: deleting note %s: %w", id, err)
		}
		return nil
	})
}

// RestoreNote takes a note out of the trash; see notes.NoteStore.
func (s *Store) RestoreNote(ctx context.Context, id string) (*notes.Note, error) {
	var n *notes.Note
	err := s.inNoteTx(ctx, "restoring note", func(tx *sql.Tx) error {
		var err error
		if n, err = getNote(ctx, tx, `n.id = ?`, id); err != nil {
			return err
		}
		if !n.Deleted {
			return nil
		}
		key := notes.TitleKey(n.Title)
		if err := titleFree(ctx, tx, key, id); err != nil {
			return notes.Errorf(notes.ECONFLICT, "cannot restore %q: another note has that title now; rename one of them first", n.Title)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notes SET deleted_at = '' WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: restoring note %s: %w", id, err)
		}
		n.Deleted = false
		return resolveMissing(ctx, tx, id, key)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// linkColumns read a link with what its target reads as now: the alias,
// else the target's current title (a quote's text), else what was typed.
const linkColumns = `l.from_id, l.target_id,
	CASE WHEN l.target_kind = 'missing' OR n.id IS NOT NULL OR d.id IS NOT NULL OR q.id IS NOT NULL
		THEN l.target_kind ELSE 'missing' END,
	CASE WHEN l.alias <> '' THEN l.alias ELSE coalesce(n.title, d.title, q.exact, l.text) END,
	l.start, l."end", l.context`

const linkJoins = `LEFT JOIN notes n ON l.target_kind = 'note' AND n.id = l.target_id AND n.deleted_at = ''
	LEFT JOIN documents d ON l.target_kind = 'source' AND d.id = l.target_id
	LEFT JOIN quotes q ON l.target_kind = 'quote' AND q.id = l.target_id`

// Links returns the links in a note's body, in order; see
// notes.NoteStore. An unknown note has no links.
func (s *Store) Links(ctx context.Context, noteID string) ([]notes.Link, error) {
	return s.links(ctx, `SELECT `+linkColumns+`, '' FROM links l `+linkJoins+`
		WHERE l.from_id = ? ORDER BY l.ord`, noteID)
}

// Backlinks returns the links in live notes that point at id; see
// notes.NoteStore.
func (s *Store) Backlinks(ctx context.Context, id string) ([]notes.Link, error) {
	return s.links(ctx, `SELECT `+linkColumns+`, f.title FROM links l
		JOIN notes f ON f.id = l.from_id AND f.deleted_at = '' `+linkJoins+`
		WHERE l.target_id = ? AND l.target_kind <> 'missing' ORDER BY f.title_key, l.ord`, id)
}

func (s *Store) links(ctx context.Context, q, arg string) ([]notes.Link, error) {
	rows, err := s.read.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, fmt.Errorf("store: reading links: %w", err)
	}
	defer rows.Close()
	var out []notes.Link
	for rows.Next() {
		var l notes.Link
		if err := rows.Scan(&l.From, &l.TargetID, &l.TargetKind, &l.Text, &l.Start, &l.End, &l.Context, &l.FromTitle); err != nil {
			return nil, fmt.Errorf("store: reading links: %w", err)
		}
		if l.TargetKind == notes.TargetQuote {
			l.Text = shortenLinkText(l.Text, 80)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading links: %w", err)
	}
	return out, nil
}

// shortenLinkText cuts s to about n code points at a space, with an ellipsis.
func shortenLinkText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := n
	for cut > n/2 && rs[cut] != ' ' {
		cut--
	}
	return strings.TrimSpace(string(rs[:cut])) + "…"
}

// NoteTags counts live notes by tag, ordered by tag.
func (s *Store) NoteTags(ctx context.Context) ([]notes.Facet, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT j.value, count(*) FROM notes n, json_each(n.tags) j
		WHERE n.deleted_at = '' GROUP BY j.value ORDER BY j.value`)
	if err != nil {
		return nil, fmt.Errorf("store: counting note tags: %w", err)
	}
	defer rows.Close()
	var out []notes.Facet
	for rows.Next() {
		var f notes.Facet
		if err := rows.Scan(&f.Value, &f.Count); err != nil {
			return nil, fmt.Errorf("store: counting note tags: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// EachNote calls fn for every live note with its body, in the order they
// were created, stopping at the first error fn returns. The index rebuild
// uses it.
func (s *Store) EachNote(ctx context.Context, fn func(*notes.Note) error) error {
	rows, err := s.read.QueryContext(ctx, `SELECT `+noteColumns+`, n.body FROM notes n
		WHERE n.deleted_at = '' ORDER BY n.seq`)
	if err != nil {
		return fmt.Errorf("store: reading notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := new(notes.Note)
		if err := scanNote(rows, n, &n.Body); err != nil {
			return fmt.Errorf("store: reading notes: %w", err)
		}
		if err := fn(n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachQuoteWithSource calls fn for every quote with the metadata (no text)
// of its document, in the order they were created, stopping at the first
// error fn returns. The index rebuild uses it: a quote's search item
// carries its source's title, publisher, grade and date.
func (s *Store) EachQuoteWithSource(ctx context.Context, fn func(*notes.Quote, *notes.Document) error) error {
	rows, err := s.read.QueryContext(ctx, `SELECT q.id, q.start, q."end", q.exact, q.comment, q.tags, q.orphaned,
		`+metaColumns+` FROM quotes q JOIN documents d ON d.id = q.doc_id ORDER BY q.seq`)
	if err != nil {
		return fmt.Errorf("store: reading quotes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var (
			q    notes.Quote
			d    notes.Document
			tags string
		)
		var published, dtags, importedAt, pages string
		if err := rows.Scan(&q.ID, &q.Start, &q.End, &q.Exact, &q.Comment, &tags, &q.Orphaned,
			&d.ID, &d.Title, &d.Author, &d.Source, &d.URL, &published,
			&d.MediaType, &d.Language, &d.SHA256, &d.Grade, &d.GradeNote, &dtags,
			&d.OriginalName, &d.Size, &d.Importer, &importedAt, &pages); err != nil {
			return fmt.Errorf("store: reading quotes: %w", err)
		}
		d.Pages, _ = decodePages(pages)
		q.DocID = d.ID
		d.Published, _ = notes.ParseDate(published)
		if tags != "[]" {
			_ = json.Unmarshal([]byte(tags), &q.Tags)
		}
		if dtags != "[]" {
			_ = json.Unmarshal([]byte(dtags), &d.Tags)
		}
		if err := fn(&q, &d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountNotebookItems returns the number of live notes and of quotes: with
// the documents, what the search index must hold.
func (s *Store) CountNotebookItems(ctx context.Context) (liveNotes, quotes int, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM notes WHERE deleted_at = ''),
		(SELECT count(*) FROM quotes)`).Scan(&liveNotes, &quotes)
	if err != nil {
		return 0, 0, fmt.Errorf("store: counting notes and quotes: %w", err)
	}
	return liveNotes, quotes, nil
}

// inNoteTx runs fn in a write transaction and commits when fn returns nil.
// Writes to indexed items (documents, notes, quotes) go through it or end
// in commit, so that a context's OutboxMark learns of them.
func (s *Store) inNoteTx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := commit(ctx, tx); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// textsOfNotebook extends Text's and Texts' query over documents to notes
// and quotes; each "= ?" takes the id (Texts turns it into an IN list).
const textsOfNotebook = `
	UNION ALL SELECT id, body FROM notes WHERE deleted_at = '' AND id = ?
	UNION ALL SELECT id, exact FROM quotes WHERE id = ?`
