package project

import (
	"context"
	"fmt"
	"sync"

	"dossier/notes"
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
}

func (l *liveIndex) Index(ctx context.Context, docs []*notes.Document) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return l.absent()
	}
	return l.cur.Index(ctx, docs)
}

func (l *liveIndex) IndexItems(ctx context.Context, items []*notes.Item) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return l.absent()
	}
	return l.cur.IndexItems(ctx, items)
}

func (l *liveIndex) Delete(ctx context.Context, ids []string) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return l.absent()
	}
	return l.cur.Delete(ctx, ids)
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
	return p.live.building
}

// RepairIndex rebuilds an index that Open found missing, damaged or stale
// when told to defer that (Options.DeferIndexRepair). It is meant to run
// in the background while the project is in use: searches meanwhile return
// an error of kind EBUSY, and items saved meanwhile are indexed too. If ctx
// is cancelled the rebuild stops, and the next open starts it again.
func (p *Project) RepairIndex(ctx context.Context, progress notes.Progress) error {
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
