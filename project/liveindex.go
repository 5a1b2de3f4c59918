package project

import (
	"context"
	"fmt"
	"sync"

	"dossier/notes"
	"dossier/store"
)

// EBUSY is the kind of the error searches return while the index is being
// rebuilt in the background: nothing is wrong, the answer is not ready.
const EBUSY = "busy"

// liveIndex is the project's index as the rest of the program sees it
// (Project.Index). The Bleve index underneath is swapped for a new one by a
// rebuild, which may run in the background while the window is in use:
// during it searches say so instead of giving partial answers, and writes
// go to the index being built, so that nothing saved meanwhile is missed.
type liveIndex struct {
	mu  sync.RWMutex
	cur notes.Index // nil while a deferred rebuild has not yet begun
	// building is set from the moment the index is known to need a
	// rebuild until the rebuilt index is open.
	building    bool
	done, total int
	// outboxPending is set when Open left more outbox items than it
	// reindexes at once for RepairIndex; searches answer meanwhile.
	outboxPending bool
	// ack acknowledges indexed items to the store's outbox; see outbox.go.
	ack func(ctx context.Context, ids []string, seq int64) error
}

// Index, IndexItems and Delete acknowledge what they wrote to the store's
// outbox once the batch is durable, when ctx carries an outbox mark.
func (l *liveIndex) Index(ctx context.Context, docs []*notes.Document) error {
	if err := l.write(func(idx notes.Index) error { return idx.Index(ctx, docs) }); err != nil {
		return err
	}
	if store.MarkOf(ctx) != nil {
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		l.acked(ctx, ids)
	}
	return nil
}

func (l *liveIndex) IndexItems(ctx context.Context, items []*notes.Item) error {
	if err := l.write(func(idx notes.Index) error { return idx.IndexItems(ctx, items) }); err != nil {
		return err
	}
	if store.MarkOf(ctx) != nil {
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		l.acked(ctx, ids)
	}
	return nil
}

func (l *liveIndex) Delete(ctx context.Context, ids []string) error {
	if err := l.write(func(idx notes.Index) error { return idx.Delete(ctx, ids) }); err != nil {
		return err
	}
	l.acked(ctx, ids)
	return nil
}

// write runs a write on the current index under the read lock (a rebuild
// swapping the index takes the write lock).
func (l *liveIndex) write(fn func(notes.Index) error) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return l.absent()
	}
	return fn(l.cur)
}

func (l *liveIndex) Search(ctx context.Context, r notes.SearchRequest) (*notes.SearchResult, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.building {
		return nil, l.busy()
	}
	if l.cur == nil {
		return nil, l.absent()
	}
	return l.cur.Search(ctx, r)
}

// Matches finds nothing during a rebuild: the reader shows the text
// without highlights rather than an error.
func (l *liveIndex) Matches(ctx context.Context, id, query string) ([]notes.Span, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.building || l.cur == nil {
		return nil, nil
	}
	return l.cur.Matches(ctx, id, query)
}

func (l *liveIndex) Compact(ctx context.Context) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil || l.building {
		return nil // a rebuild compacts when it ends
	}
	return l.cur.Compact(ctx)
}

func (l *liveIndex) Count() (uint64, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return 0, l.absent()
	}
	return l.cur.Count()
}

func (l *liveIndex) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		return nil
	}
	err := l.cur.Close()
	l.cur = nil
	return err
}

// absent explains a write or count with no index open. While a deferred
// rebuild has yet to begin, a write is not lost: the rebuild reads it back
// from the store, so it is not an error.
func (l *liveIndex) absent() error {
	if l.building {
		return nil
	}
	return notes.Errorf(notes.EINTERNAL, "the search index is not open (run dossier reindex)")
}

func (l *liveIndex) busy() error {
	if l.total > 0 {
		return notes.Errorf(EBUSY, "the search index is being rebuilt (%d of %d items); search works again when it is done", l.done, l.total)
	}
	return notes.Errorf(EBUSY, "the search index is being rebuilt; search works again when it is done")
}

func (l *liveIndex) setProgress(done, total int) {
	l.mu.Lock()
	l.done, l.total = done, total
	l.mu.Unlock()
}

// IndexNeedsRepair reports whether the project was opened with
// Options.DeferIndexRepair and its index must be rebuilt (RepairIndex)
// before searches answer.
func (p *Project) IndexNeedsRepair() bool {
	p.live.mu.RLock()
	defer p.live.mu.RUnlock()
	return p.live.building || p.live.outboxPending
}

// IndexCatchingUp reports whether the repair IndexNeedsRepair asks for is
// only the reindexing of edits a crash kept from a sound index (see
// RepairIndex), during which searches answer, rather than a rebuild.
func (p *Project) IndexCatchingUp() bool {
	p.live.mu.RLock()
	defer p.live.mu.RUnlock()
	return p.live.outboxPending && !p.live.building
}

// RepairIndex rebuilds an index that Open found missing, damaged or stale
// when told to defer that (Options.DeferIndexRepair). It is meant to run
// in the background while the project is in use: searches meanwhile return
// an error of kind EBUSY, and items saved meanwhile are indexed too. If ctx
// is cancelled the rebuild stops, and the next open starts it again.
// When the index was sound but many edits had not reached it (a crash
// during a big batch), only those items are reindexed, and searches keep
// answering meanwhile.
func (p *Project) RepairIndex(ctx context.Context, progress notes.Progress) error {
	if p.IndexCatchingUp() {
		if _, err := p.applyOutbox(ctx, progress); err != nil {
			return err
		}
		p.live.mu.Lock()
		p.live.outboxPending = false
		p.live.mu.Unlock()
		return nil
	}
	// A delete racing with the rebuild's read of the store can leave an
	// item behind: check the count afterwards and go again (rarely).
	for range 3 {
		if err := p.rebuild(ctx, progress); err != nil {
			return err
		}
		want, err := p.itemCount(ctx)
		if err != nil {
			return err
		}
		if got, err := p.Index.Count(); err == nil && got == uint64(want) {
			return nil
		}
	}
	return fmt.Errorf("the search index still disagrees with the store after rebuilding it (run dossier check --repair)")
}
