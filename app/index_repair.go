package app

import (
	"context"
	"fmt"
	"time"

	"dossier/project"
)

// indexRepair is a rebuild of the open project's search index running in
// the background (project.Options.DeferIndexRepair): the window opens at
// once and the status bar shows how far the rebuild has got.
type indexRepair struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// stop cancels the rebuild and returns a channel closed once it has ended,
// so the project is closed only after it (a nil repair is already done).
func (r *indexRepair) stop() <-chan struct{} {
	if r == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	r.cancel()
	return r.done
}

// startIndexRepair rebuilds p's index in the background if opening it found
// the index missing, damaged or stale. Searches meanwhile say the index is
// being rebuilt; when it is done the current search runs again. Closing the
// window or opening another project cancels it, and the next open starts
// over.
func (u *UI) startIndexRepair(p *project.Project) {
	if p == nil || !p.IndexNeedsRepair() {
		return
	}
	// A catch-up reindexes the edits a crash kept from a sound index;
	// searches answer meanwhile, so it must not read as a rebuild.
	doing, done, failed := "Rebuilding the search index", "Search index rebuilt", "rebuilding the search index"
	if p.IndexCatchingUp() {
		doing, done, failed = "Bringing the search index up to date", "Search index up to date", "bringing the search index up to date"
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &indexRepair{cancel: cancel, done: make(chan struct{})}
	u.repair = r
	u.status.SetText(doing + "…")
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		defer close(r.done)
		defer cancel()
		var last time.Time
		err := p.RepairIndex(ctx, func(n, total int) {
			// A status line per batch would flood the UI goroutine.
			if n < total && time.Since(last) < 100*time.Millisecond {
				return
			}
			last = time.Now()
			u.do(func() {
				if u.proj == p {
					u.status.SetText(fmt.Sprintf("%s: %d of %d items…", doing, n, total))
				}
			})
		})
		u.do(func() {
			if u.proj != p || u.repair != r {
				return
			}
			u.repair = nil
			if err != nil {
				if ctx.Err() == nil {
					u.showError(fmt.Errorf("%s: %w", failed, err))
				}
				return
			}
			n, _ := p.Index.Count()
			u.status.SetText(fmt.Sprintf("%s: %s  ·  %s  ·  %s", done, plural(int(n), "item", "items"),
				plural(len(u.docs), "source", "sources"), tildeHome(p.Dir)))
			if u.query != "" {
				u.searcher.Now(u.request())
			}
		})
	}()
}
