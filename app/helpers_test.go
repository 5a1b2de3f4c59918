package app

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"dossier/notes"
	"dossier/project"
)

// uiLoop stands in for the UI goroutine in tests. Fyne's test driver runs
// fyne.Do at once on the calling goroutine, which would let background
// work touch widgets while the test reads them; the UI's do func queues
// instead, and the test goroutine runs the queue while it waits.
type uiLoop struct{ q chan func() }

func newUILoop() *uiLoop { return &uiLoop{q: make(chan func(), 4096)} }

func (l *uiLoop) do(f func()) { l.q <- f }

// drain runs what is queued now.
func (l *uiLoop) drain() {
	for {
		select {
		case f := <-l.q:
			f()
		default:
			return
		}
	}
}

// until runs queued UI work until cond holds, failing after a deadline.
func (l *uiLoop) until(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.After(15 * time.Second)
	for {
		l.drain()
		if cond() {
			return
		}
		select {
		case f := <-l.q:
			f()
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			tb.Fatalf("timed out waiting for %s", what)
		}
	}
}

// runFor runs queued UI work for d, for checks that something does not
// happen.
func (l *uiLoop) runFor(d time.Duration) {
	end := time.After(d)
	for {
		select {
		case f := <-l.q:
			f()
		case <-end:
			l.drain()
			return
		}
	}
}

// mustOpenProject opens a new project, seeded with the embedded corpus, in
// a temporary folder.
func mustOpenProject(tb testing.TB) *project.Project {
	tb.Helper()
	p, err := project.Open(context.Background(), tb.TempDir(), project.Options{})
	if err != nil {
		tb.Fatalf("open project: %v", err)
	}
	return p
}

// newTestUI builds the window headless over p; the UI closes p when the
// test ends. The library is loaded before it returns.
func newTestUI(tb testing.TB, p *project.Project, opts Options) (*UI, *uiLoop) {
	tb.Helper()
	a := newTestApp(tb)
	l := newUILoop()
	opts.do = l.do
	u := New(a, p, opts)
	u.win.Resize(fyne.NewSize(1280, 800))
	tb.Cleanup(func() {
		if err := u.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
		u.win.Close()
	})
	if p != nil {
		l.until(tb, "the library to load", func() bool { return u.docs != nil })
	}
	return u, l
}

// slowIndex is the real index with latency injected into its first
// Search: the call sleeps, ignoring cancellation, then answers as the index
// would, so a stale answer really arrives late.
type slowIndex struct {
	index   // embedded under another name: notes.Index has a method called Index
	delay   time.Duration
	calls   atomic.Int32
	started chan string // the query of the slow call, when it starts
	done    chan string // the query of the slow call, when it returns
	once    sync.Once
}

// index lets slowIndex embed notes.Index.
type index = notes.Index

func newSlowIndex(idx notes.Index, delay time.Duration) *slowIndex {
	return &slowIndex{index: idx, delay: delay, started: make(chan string, 1), done: make(chan string, 1)}
}

func (s *slowIndex) Search(ctx context.Context, r notes.SearchRequest) (*notes.SearchResult, error) {
	if s.calls.Add(1) == 1 {
		s.started <- r.Query
		time.Sleep(s.delay)
		res, err := s.index.Search(context.Background(), r)
		s.done <- r.Query
		return res, err
	}
	return s.index.Search(ctx, r)
}
