package app

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// defaultDebounce is how long typing must pause before a search starts.
// Long enough that a word typed at speed runs one search, not one per
// letter; short enough that keystroke-to-results stays well under 100 ms
// on the seed corpus (the search itself takes a few milliseconds).
const defaultDebounce = 50 * time.Millisecond

// searcher runs searches off the UI goroutine for search as you type. Each
// request gets a generation number; a result is published only if no newer
// request was made since, so a slow search can never overwrite the results
// of a later one. A new request also cancels the one in flight.
//
// All methods and the deliver callback run on the UI goroutine; only the
// search itself runs elsewhere.
type searcher struct {
	index    func() notes.Index // read at each request: File → Open swaps it
	do       func(func())       // runs a func on the UI goroutine
	debounce time.Duration
	deliver  func(searchOutcome)

	gen    uint64
	timer  *time.Timer
	cancel context.CancelFunc
}

// searchOutcome is a finished search as the UI receives it.
type searchOutcome struct {
	gen    uint64
	req    notes.SearchRequest
	res    *notes.SearchResult
	err    error
	issued time.Time // when the request was made (the keystroke)
}

func newSearcher(index func() notes.Index, do func(func()), debounce time.Duration, deliver func(searchOutcome)) *searcher {
	return &searcher{index: index, do: do, debounce: debounce, deliver: deliver}
}

// Request schedules req after the debounce delay, superseding every
// earlier request, and returns its generation.
func (s *searcher) Request(req notes.SearchRequest) uint64 {
	return s.schedule(req, s.debounce)
}

// Now runs req at once, superseding every earlier request.
func (s *searcher) Now(req notes.SearchRequest) uint64 {
	return s.schedule(req, 0)
}

// Stop drops every pending and running request: their results will not be
// delivered.
func (s *searcher) Stop() {
	s.gen++
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

func (s *searcher) schedule(req notes.SearchRequest, delay time.Duration) uint64 {
	s.Stop()
	gen := s.gen
	idx := s.index()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	issued := time.Now()
	run := func() {
		if ctx.Err() != nil {
			return
		}
		var res *notes.SearchResult
		err := errors.New("no project is open")
		if idx != nil {
			res, err = idx.Search(ctx, req)
		}
		s.do(func() {
			if gen != s.gen {
				return // superseded while it ran
			}
			cancel()
			s.cancel = nil
			s.deliver(searchOutcome{gen: gen, req: req, res: res, err: err, issued: issued})
		})
	}
	if delay <= 0 {
		go run()
	} else {
		s.timer = time.AfterFunc(delay, run)
	}
	return gen
}

// searchEntry is the search field. It passes the keys a single-line Entry
// has no use for (Up, Down, F3, Escape) and the window's own shortcuts
// (Ctrl+K while the field has focus) to the window.
type searchEntry struct {
	widget.Entry
	onKey      func(*fyne.KeyEvent) bool
	onShortcut func(fyne.Shortcut) bool
}

// newSearchEntry makes the field with action at its right end. The
// fields are set before anything refreshes the entry: its renderer,
// created on the first refresh, takes the action item only then.
func newSearchEntry(action fyne.CanvasObject) *searchEntry {
	e := &searchEntry{}
	e.PlaceHolder = "Search sources, notes and quotes…   (Ctrl+K)"
	e.Icon = theme.SearchIcon()
	e.ActionItem = action
	e.AlwaysShowValidationError = true
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if e.onShortcut != nil && e.onShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// searchBar is the search field. A malformed query's parser message is
// shown inside the field, at its right end, where the eye already is and
// without moving the window's layout while the user types.
type searchBar struct {
	entry   *searchEntry
	message *widget.Label
	box     fyne.CanvasObject
}

// maxMessage caps the message shown in the field; the parser can quote a
// long query back.
const maxMessage = 90

func newSearchBar() *searchBar {
	b := &searchBar{}
	b.message = &widget.Label{Importance: widget.DangerImportance, SizeName: theme.SizeNameCaptionText}
	b.entry = newSearchEntry(b.message)
	b.box = b.entry
	return b
}

// showError marks the field invalid and shows msg in it; "" clears it.
func (b *searchBar) showError(msg string) {
	if msg == "" {
		if b.message.Text != "" {
			b.entry.SetValidationError(nil)
			b.message.SetText("")
			b.relayout()
		}
		return
	}
	b.entry.SetValidationError(errors.New(msg))
	if m := ellipsize(msg, maxMessage); m != b.message.Text {
		b.message.SetText(m)
		b.relayout()
	}
}

// relayout makes the field make room for its message. Entry lays out its
// ActionItem only when the entry itself is resized, not when the item's
// size changes, so nudge its size.
func (b *searchBar) relayout() {
	sz := b.entry.Size()
	if sz.Width <= 1 {
		return
	}
	b.entry.Resize(sz.SubtractWidthHeight(1, 0))
	b.entry.Resize(sz)
}

// highlightQuery is the query the reader highlights for the text typed in
// the search field. The search runs with PrefixLast, which makes a bare
// last word a prefix ("airb" finds "airbase"), but Index.Matches takes a
// plain query; adding the "*" here, by the index's rule, makes the reader
// highlight exactly what the results matched.
func highlightQuery(q string) string {
	q = strings.TrimSpace(q)
	if q == "" || strings.Count(q, `"`)%2 != 0 {
		return q
	}
	last := q
	if i := strings.LastIndexByte(q, ' '); i >= 0 {
		if strings.Count(q[:i], `"`)%2 != 0 {
			return q // the last space is inside a phrase
		}
		last = q[i+1:]
	}
	last = strings.TrimLeft(last, "+-")
	if utf8.RuneCountInString(last) < 2 {
		return q
	}
	for _, r := range last {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			return q
		}
	}
	return q + "*"
}
