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

var _ notes.EventStore = (*Store)(nil)

const eventColumns = `id, label, date, precision, end_date, end_precision, note, links, created_at, updated_at`

// AddEvent stores a new user event; see notes.EventStore. Links are kept in
// the order given, without repeats.
func (s *Store) AddEvent(ctx context.Context, e *notes.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: adding event: %w", err)
	}
	defer tx.Rollback()
	out := *e
	if err := insertEvent(ctx, tx, &out); err != nil {
		return err
	}
	if err := commit(ctx, tx); err != nil {
		return fmt.Errorf("store: adding event %q: %w", e.Label, err)
	}
	*e = out
	return nil
}

// insertEvent is AddEvent inside the caller's transaction, for a validated
// event; e gets its stored form.
func insertEvent(ctx context.Context, tx *sql.Tx, e *notes.Event) error {
	id := e.ID
	if id == "" {
		id = notes.NewID()
	}
	links := cleanLinks(e.Links)
	enc, err := json.Marshal(links)
	if err != nil {
		return fmt.Errorf("store: encoding links: %w", err)
	}
	now := time.Now().UTC()
	if err := checkLinks(ctx, tx, e.Label, links); err != nil {
		return err
	}
	stamp := now.Format(time.RFC3339Nano)
	_, err = tx.ExecContext(ctx, `INSERT INTO events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, strings.TrimSpace(e.Label), e.Date.String(), e.Date.Precision.String(),
		e.End.String(), e.End.Precision.String(), e.Note, string(enc), stamp, stamp)
	if err != nil {
		if isExtendedCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
			return notes.Errorf(notes.ECONFLICT, "an event with id %s already exists", id)
		}
		return fmt.Errorf("store: adding event %q: %w", e.Label, err)
	}
	e.ID, e.Label, e.Links, e.Created, e.Updated = id, strings.TrimSpace(e.Label), links, now, now
	return nil
}

// UpdateEvent saves an event's label, dates, note and links; see
// notes.EventStore.
func (s *Store) UpdateEvent(ctx context.Context, e *notes.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	links := cleanLinks(e.Links)
	enc, err := json.Marshal(links)
	if err != nil {
		return fmt.Errorf("store: encoding links: %w", err)
	}
	now := time.Now().UTC()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: updating event: %w", err)
	}
	defer tx.Rollback()
	if err := checkLinks(ctx, tx, e.Label, links); err != nil {
		return err
	}
	if err := execOne(ctx, tx, "updating", "event", e.ID, `UPDATE events SET label = ?, date = ?, precision = ?,
			end_date = ?, end_precision = ?, note = ?, links = ?, updated_at = ?
		WHERE id = ?`,
		strings.TrimSpace(e.Label), e.Date.String(), e.Date.Precision.String(),
		e.End.String(), e.End.Precision.String(), e.Note, string(enc), now.Format(time.RFC3339Nano), e.ID); err != nil {
		return err
	}
	if err := commit(ctx, tx); err != nil {
		return fmt.Errorf("store: updating event %s: %w", e.ID, err)
	}
	e.Label, e.Links, e.Updated = strings.TrimSpace(e.Label), links, now
	return nil
}

// DeleteEvent removes an event; see notes.EventStore.
func (s *Store) DeleteEvent(ctx context.Context, id string) error {
	return execOne(ctx, s.write, "deleting", "event", id, `DELETE FROM events WHERE id = ?`, id)
}

// Event returns one user event; see notes.EventStore.
func (s *Store) Event(ctx context.Context, id string) (*notes.Event, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id)
	e := new(notes.Event)
	err := scanEvent(row, e)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, notFound("no event with id %s", id)
	case err != nil:
		return nil, fmt.Errorf("store: reading event %s: %w", id, err)
	}
	return e, nil
}

// Events lists every user event by date (a year sorts with its 1
// January), then label; see notes.EventStore.
func (s *Store) Events(ctx context.Context) ([]notes.Event, error) {
	// Sized first: growing a slice of 200,000 events step by step copied
	// more than the query read.
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: counting events: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events
		ORDER BY substr(date || '-01-01', 1, 10), label COLLATE NOCASE, seq`)
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

func scanEvent(row interface{ Scan(...any) error }, e *notes.Event) error {
	var date, prec, end, endPrec, links, created, updated string
	if err := row.Scan(&e.ID, &e.Label, &date, &prec, &end, &endPrec, &e.Note, &links, &created, &updated); err != nil {
		return err
	}
	var err error
	if e.Date, err = notes.ParseDate(date); err != nil {
		return fmt.Errorf("event %s: %w", e.ID, err)
	}
	if e.End, err = notes.ParseDate(end); err != nil {
		return fmt.Errorf("event %s: %w", e.ID, err)
	}
	// Most events link nothing: the JSON decoder is the dearest part of
	// listing 200,000 events for the timeline.
	if links != "[]" {
		if err := json.Unmarshal([]byte(links), &e.Links); err != nil {
			return fmt.Errorf("event %s: links: %w", e.ID, err)
		}
	}
	if e.Links == nil {
		e.Links = []string{}
	}
	if e.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return fmt.Errorf("event %s: created: %w", e.ID, err)
	}
	if e.Updated, err = time.Parse(time.RFC3339Nano, updated); err != nil {
		return fmt.Errorf("event %s: updated: %w", e.ID, err)
	}
	return nil
}

// cleanLinks trims ids and drops blanks and repeats, keeping the order.
func cleanLinks(links []string) []string {
	out := make([]string, 0, len(links))
	seen := map[string]bool{}
	for _, l := range links {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// checkLinks makes sure every link names a stored source, quote or live
// note, inside the transaction that saves the event, so a link cannot
// point at something deleted in between.
func checkLinks(ctx context.Context, tx *sql.Tx, label string, links []string) error {
	for _, id := range links {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents WHERE id = ?1)
			+ (SELECT count(*) FROM quotes WHERE id = ?1)
			+ (SELECT count(*) FROM notes WHERE id = ?1 AND deleted_at = '')`, id).Scan(&n)
		if err != nil {
			return fmt.Errorf("store: checking link %s: %w", id, err)
		}
		if n == 0 {
			return notFound("event %q links to %s, which is no source, quote or note of this project", strings.TrimSpace(label), id)
		}
	}
	return nil
}
