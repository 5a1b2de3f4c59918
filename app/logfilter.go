package app

import (
	"bytes"
	"io"
	"sync"
)

// prefsNoiseFilter drops Fyne's "Preferences load error" reports and the
// "Cause:"/"At:" lines that follow them, and passes every other log line
// through. Fyne 2.7.1's preferences file watcher can read the file while
// Fyne itself is rewriting it and log an EOF; the next write reloads the
// values, so the report is noise a user cannot act on. It can happen at
// any moment prefs are saved, not only on quit, so muting the log around
// one call is not enough.
type prefsNoiseFilter struct {
	mu       sync.Mutex
	w        io.Writer
	dropping bool
}

func (f *prefsNoiseFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// The standard logger writes one whole entry (one line) per call.
	switch {
	case bytes.Contains(p, []byte("Preferences load error")):
		f.dropping = true
		return len(p), nil
	case f.dropping && (bytes.Contains(p, []byte("  Cause: ")) || bytes.Contains(p, []byte("  At: "))):
		return len(p), nil
	}
	f.dropping = false
	return f.w.Write(p)
}
