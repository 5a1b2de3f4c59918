package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// The index outbox (migration 0006) lists the items whose search-index
// entry must be written again or deleted. Triggers on documents,
// document_texts, notes and quotes fill it inside the transaction that
// changes the item, so no write path can forget it, a bundle load, a
// cascade or a rename that rewrites other notes' links included. Triggers
// rather than a Go helper every writer calls: the helper is one more thing
// a new write path must remember, and a forgotten call is invisible until
// a crash lands in exactly that window.
//
// The Go side only has to learn, at commit, how far the outbox had got
// (OutboxMark), so that acknowledging an index batch deletes the rows of
// that commit and of earlier ones, never those of a later change to the
// same item.

// OutboxEntry is an item whose index entry may be out of date.
type OutboxEntry struct {
	Seq  int64
	ID   string
	Kind string // notes.KindSource, KindNote or KindQuote
}

// OutboxMark records the outbox position of the write transactions run
// with a context from WithOutboxMark. It is safe for concurrent use.
type OutboxMark struct {
	mu  sync.Mutex
	seq int64
}

// Seq is the highest outbox row any commit under the mark may have
// written; 0 when none committed.
func (m *OutboxMark) Seq() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.seq
}

func (m *OutboxMark) raise(seq int64) {
	m.mu.Lock()
	m.seq = max(m.seq, seq)
	m.mu.Unlock()
}

type markKey struct{}

// WithOutboxMark returns a context whose write transactions record their
// outbox position in the returned mark. Index the changed items with the
// same context afterwards: their state is then at least as new as every
// outbox row up to the mark, which is what AckOutbox needs.
func WithOutboxMark(ctx context.Context) (context.Context, *OutboxMark) {
	m := &OutboxMark{}
	return context.WithValue(ctx, markKey{}, m), m
}

// MarkOf returns ctx's mark, or nil.
func MarkOf(ctx context.Context) *OutboxMark {
	m, _ := ctx.Value(markKey{}).(*OutboxMark)
	return m
}

// commit commits a write transaction. Every write transaction of the
// store ends here, so that a context's OutboxMark learns the position of
// the rows the transaction's triggers wrote. Reading max(seq) inside the
// transaction is exact: there is one writer, so every row up to it was
// committed no later than this commit.
func commit(ctx context.Context, tx *sql.Tx) error {
	m := MarkOf(ctx)
	var seq int64
	if m != nil {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM index_outbox`).Scan(&seq); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if m != nil {
		m.raise(seq)
	}
	return nil
}

// AckOutbox deletes the outbox rows of ids up to seq: the index now holds
// those items as of a moment after that row was committed. Rows of later
// changes stay. Losing an acknowledgement costs only a needless reindex of
// the items at the next open.
func (s *Store) AckOutbox(ctx context.Context, ids []string, seq int64) error {
	if len(ids) == 0 || seq <= 0 {
		return nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: clearing the index outbox: %w", err)
	}
	defer tx.Rollback()
	del, err := tx.PrepareContext(ctx, `DELETE FROM index_outbox WHERE id = ? AND seq <= ?`)
	if err != nil {
		return fmt.Errorf("store: clearing the index outbox: %w", err)
	}
	defer del.Close()
	for _, id := range ids {
		if _, err := del.ExecContext(ctx, id, seq); err != nil {
			return fmt.Errorf("store: clearing the index outbox: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: clearing the index outbox: %w", err)
	}
	return nil
}

// ClearOutbox deletes every outbox row up to seq, after a full rebuild of
// the index that read the store after that row was committed.
func (s *Store) ClearOutbox(ctx context.Context, seq int64) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM index_outbox WHERE seq <= ?`, seq); err != nil {
		return fmt.Errorf("store: clearing the index outbox: %w", err)
	}
	return nil
}

// OutboxSeq is the outbox's highest row now (0 when it is empty).
func (s *Store) OutboxSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.read.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM index_outbox`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: reading the index outbox: %w", err)
	}
	return seq, nil
}

// OutboxLen counts the items whose index entry may be out of date.
func (s *Store) OutboxLen(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(DISTINCT id) FROM index_outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: reading the index outbox: %w", err)
	}
	return n, nil
}

// Outbox lists the outbox in the order the changes were made: an item
// changed twice is listed twice.
func (s *Store) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, id, kind FROM index_outbox ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("store: reading the index outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.Seq, &e.ID, &e.Kind); err != nil {
			return nil, fmt.Errorf("store: reading the index outbox: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading the index outbox: %w", err)
	}
	return out, nil
}
