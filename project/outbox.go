package project

import (
	"context"
	"errors"
	"fmt"

	"dossier/notes"
	"dossier/store"
)

// The store's index outbox (see store/outbox.go) lists the items changed
// in the store whose index entry may not have caught up. Every write path
// here runs with a context from tracked; the liveIndex then acknowledges
// each batch it indexes under that context, and the rows go. Rows left
// when a project opens are edits a crash kept from the index: Open indexes
// exactly those items again (applyOutbox), at once when there are few,
// else in the background through RepairIndex.

// outboxSyncMax is how many pending items Open reindexes before it
// returns even when told to defer repairs: a few hundred notes or
// sources take well under a second.
const outboxSyncMax = 200

// tracked returns ctx with a fresh outbox mark for one store change and
// the index batch that follows it.
func tracked(ctx context.Context) context.Context {
	ctx, _ = store.WithOutboxMark(ctx)
	return ctx
}

// acked acknowledges ids to the outbox after an index batch under ctx
// succeeded. An acknowledgement that fails costs a needless reindex at the
// next open, so its error is dropped.
func (l *liveIndex) acked(ctx context.Context, ids []string) {
	m := store.MarkOf(ctx)
	if m == nil || l.ack == nil {
		return
	}
	if seq := m.Seq(); seq > 0 {
		_ = l.ack(context.WithoutCancel(ctx), ids, seq)
	}
}

// openOutbox deals with what the outbox holds when the project opens and
// the index is otherwise sound: a few items are reindexed now; more are
// left to RepairIndex when opts defer repairs.
func (p *Project) openOutbox(ctx context.Context, opts Options) error {
	n, err := p.db.OutboxLen(ctx)
	if err != nil || n == 0 || opts.LeaveIndexEdits {
		return err
	}
	if opts.DeferIndexRepair && n > outboxSyncMax {
		p.live.mu.Lock()
		p.live.outboxPending = true
		p.live.mu.Unlock()
		return nil
	}
	progress := opts.Progress
	if n <= outboxSyncMax {
		progress = nil // too quick to be worth a progress line
	}
	if _, err := p.applyOutbox(ctx, progress); err != nil {
		if ctx.Err() != nil {
			return err
		}
		// A full disk, say: the project must still open, so that what is
		// saved can be read. The rows stay; RepairIndex (the window) or
		// the next open tries again.
		p.live.mu.Lock()
		p.live.outboxPending = true
		p.live.mu.Unlock()
	}
	return nil
}

// PendingIndexEdits counts the store changes the index may not hold yet:
// edits a crash kept from it, or edits being indexed right now.
func (p *Project) PendingIndexEdits(ctx context.Context) (int, error) {
	return p.db.OutboxLen(ctx)
}

// applyOutbox indexes again, from the store, every item the outbox lists,
// deleting from the index those no longer in the store, and then clears
// the rows it dealt with. It returns how many items it reindexed.
func (p *Project) applyOutbox(ctx context.Context, progress notes.Progress) (int, error) {
	entries, err := p.db.Outbox(ctx)
	if err != nil || len(entries) == 0 {
		return 0, err
	}
	// Every state read below comes after these rows were committed, so
	// acknowledging up to the highest of them deletes only what the index
	// now reflects.
	var upTo int64
	distinct := map[string]bool{}
	for _, e := range entries {
		upTo = max(upTo, e.Seq)
		distinct[e.ID] = true
	}
	total := len(distinct)
	var (
		items []*notes.Item
		gone  []string
		ids   []string
		done  int
	)
	flush := func() error {
		if len(items) > 0 {
			if err := p.live.IndexItems(ctx, items); err != nil {
				return err
			}
		}
		if len(gone) > 0 {
			if err := p.live.Delete(ctx, gone); err != nil {
				return err
			}
		}
		if err := p.db.AckOutbox(ctx, ids, upTo); err != nil {
			return err
		}
		done += len(ids)
		if progress != nil {
			progress(done, total)
		}
		items, gone, ids = items[:0], gone[:0], ids[:0]
		return nil
	}
	docs := map[string]*notes.Document{}
	doc := func(id string) (*notes.Document, error) {
		if d, ok := docs[id]; ok {
			return d, nil
		}
		d, err := p.Store.Document(ctx, id)
		if err == nil {
			docs[id] = d
		}
		return d, err
	}
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		ids = append(ids, e.ID)
		var err error
		switch e.Kind {
		case notes.KindSource:
			var d *notes.Document
			if d, err = doc(e.ID); err == nil {
				// A source's quotes carry its title, grade and date.
				var qs []notes.Quote
				if qs, err = p.db.Quotes(ctx, notes.QuoteFilter{DocID: e.ID}); err == nil {
					items = append(items, d.Item())
					for i := range qs {
						items = append(items, QuoteItem(&qs[i], d))
					}
				}
			}
		case notes.KindNote:
			var n *notes.Note
			if n, err = p.db.Note(ctx, e.ID); err == nil {
				if n.Deleted {
					gone = append(gone, e.ID)
				} else {
					items = append(items, NoteItem(n))
				}
			}
		case notes.KindQuote:
			var q *notes.Quote
			if q, err = p.db.Quote(ctx, e.ID); err == nil {
				var d *notes.Document
				if d, err = doc(q.DocID); err == nil {
					items = append(items, QuoteItem(q, d))
				}
			}
		default:
			err = fmt.Errorf("the index outbox names %s of unknown kind %q", e.ID, e.Kind)
		}
		switch {
		case errors.Is(err, notes.ErrNotFound):
			gone = append(gone, e.ID)
		case err != nil:
			return done, err
		}
		if len(items)+len(gone) >= batchSize {
			if err := flush(); err != nil {
				return done, err
			}
			clear(docs) // bounded memory on a big backlog
		}
	}
	return len(seen), flush()
}

// clearOutbox empties the outbox up to seq once a rebuild that began after
// that row was committed has succeeded (*err is nil): it read every one of
// those items back from the store.
func (p *Project) clearOutbox(ctx context.Context, seq int64, err *error) {
	if *err != nil || seq == 0 {
		return
	}
	if cerr := p.db.ClearOutbox(context.WithoutCancel(ctx), seq); cerr == nil {
		p.live.mu.Lock()
		p.live.outboxPending = false
		p.live.mu.Unlock()
	}
}
