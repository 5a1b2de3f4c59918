package project

import (
	"context"
	"errors"
	"sync"
	"time"

	"dossier/notes"
)

// Autosave timing: a save follows AutosaveIdle after the last change, and
// never comes later than AutosaveMax after the first unsaved one, so
// steady typing is saved at least once a second.
const (
	AutosaveIdle = 300 * time.Millisecond
	AutosaveMax  = time.Second
)

// Kinds of AutosaveEvent.
const (
	AutosaveSaved    = "saved"
	AutosaveConflict = "conflict"
	AutosaveError    = "error"
)

// AutosaveEvent tells the editor what became of a save.
type AutosaveEvent struct {
	Kind string // AutosaveSaved, AutosaveConflict or AutosaveError
	// Note is the note as stored after the save (Version, Updated, Tags);
	// after a conflict, the copy that now holds the editor's text.
	Note notes.Note
	// Body is the text that was saved (or failed to be).
	Body string
	// Err is set for AutosaveConflict (an ECONFLICT *notes.Error naming
	// the copy) and AutosaveError.
	Err error
}

// Autosaver saves what an editor shows without a Save button. Call Set
// with the whole text after every change; it saves off the caller's
// goroutine, at most AutosaveIdle after the last change and AutosaveMax
// after the first unsaved one. Call Flush (or Close) when the editor
// closes.
//
// If the note was changed elsewhere meanwhile (another window), the save
// keeps both sides: the stored note stays, the editor's text becomes a new
// note, and from then on the Autosaver saves into that copy, so nothing the
// user types afterwards is lost either. A failed save is retried after
// AutosaveMax. It is safe for concurrent use.
type Autosaver struct {
	save   func(context.Context, *notes.Note) error
	report func(AutosaveEvent)

	// saving serialises saves: a timer firing during a save waits, then
	// saves what was typed meanwhile with the version the first produced.
	saving sync.Mutex

	mu      sync.Mutex
	id      string
	version int64
	body    string
	dirty   bool
	first   time.Time // of the oldest unsaved change
	timer   *time.Timer
	closed  bool
}

// NewAutosaver returns an Autosaver for the note n as the editor loaded it
// (its ID, Version and Body). report, if not nil, is called after every
// save attempt on the saving goroutine; a GUI hops to its own goroutine
// there.
func (p *Project) NewAutosaver(n *notes.Note, report func(AutosaveEvent)) *Autosaver {
	return newAutosaver(p.SaveNote, n, report)
}

func newAutosaver(save func(context.Context, *notes.Note) error, n *notes.Note, report func(AutosaveEvent)) *Autosaver {
	if report == nil {
		report = func(AutosaveEvent) {}
	}
	return &Autosaver{save: save, report: report, id: n.ID, version: n.Version, body: n.Body}
}

// ID returns the note the Autosaver saves into: the one it was made for,
// or after a conflict the copy.
func (a *Autosaver) ID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.id
}

// Set records the editor's whole text. It returns at once. After Close it
// does nothing.
func (a *Autosaver) Set(body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed || !a.dirty && body == a.body {
		return
	}
	now := time.Now()
	a.body = body
	if !a.dirty {
		a.dirty, a.first = true, now
	}
	a.schedule(now)
}

// schedule arms the timer for the next save. a.mu is held.
func (a *Autosaver) schedule(now time.Time) {
	a.arm(min(AutosaveIdle, a.first.Add(AutosaveMax).Sub(now)))
}

func (a *Autosaver) arm(wait time.Duration) {
	if a.timer == nil {
		a.timer = time.AfterFunc(wait, func() { _ = a.flush() })
	} else {
		a.timer.Reset(wait)
	}
}

// Pending reports whether there are changes not yet saved.
func (a *Autosaver) Pending() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.dirty
}

// Flush saves any unsaved change now and returns what the save returned
// (also reported). It waits for a save already under way.
func (a *Autosaver) Flush() error {
	return a.flush()
}

// Close flushes and stops the Autosaver; later Sets are ignored.
func (a *Autosaver) Close() error {
	err := a.flush()
	a.mu.Lock()
	a.closed = true
	if a.timer != nil {
		a.timer.Stop()
	}
	a.mu.Unlock()
	return err
}

func (a *Autosaver) flush() error {
	a.saving.Lock()
	defer a.saving.Unlock()
	a.mu.Lock()
	if !a.dirty || a.closed {
		a.mu.Unlock()
		return nil
	}
	n := notes.Note{ID: a.id, Version: a.version, Body: a.body}
	a.dirty = false
	a.mu.Unlock()

	err := a.save(context.Background(), &n)

	ev := AutosaveEvent{Kind: AutosaveSaved, Note: n, Body: n.Body, Err: err}
	var nc *notes.NoteConflict
	a.mu.Lock()
	switch {
	case errors.As(err, &nc):
		ev.Kind, ev.Note = AutosaveConflict, *nc.Copy
		a.id, a.version = nc.Copy.ID, nc.Copy.Version
	case errors.Is(err, ErrIndexBehind):
		// The text is stored; only search lags. Saving again would
		// name the old version and make a needless conflict copy.
		a.version = n.Version
	case err != nil:
		ev.Kind = AutosaveError
		if !a.dirty {
			a.dirty, a.first = true, time.Now()
		}
		// Retrying at typing speed would only repeat the error (a full
		// disk, say) several times a second.
		if !a.closed {
			a.arm(AutosaveMax)
		}
	default:
		a.version = n.Version
	}
	a.mu.Unlock()
	a.report(ev)
	return err
}
