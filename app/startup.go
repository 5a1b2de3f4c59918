package app

import (
	"context"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"dossier/project"
)

// openAsync starts opening the project in dir on its own goroutine and
// returns a func that waits for it. Run builds the window meanwhile: at
// 100,000 documents opening (lock, SQLite, Bleve's two shards, the count
// check) takes 50–80 ms that no longer delay the window, on a second core.
// The project touches no Fyne state, so it needs no fyne.Do.
func openAsync(dir string, opts project.Options) func() (*project.Project, error) {
	type opened struct {
		p   *project.Project
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		p, err := project.Open(context.Background(), dir, opts)
		ch <- opened{p, err}
	}()
	return func() (*project.Project, error) {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		return r.p, nil
	}
}

// startupLoaded counts down the loads startLoading began (on the UI
// goroutine). Reading 100,000 documents, 50,000 quotes and the facets
// grows the heap to about twice what stays in use, and the Go runtime
// hands the difference back to the system only slowly: once everything is
// in, one collection returns it at once (about 60 MB of RSS on the scale
// project of docs/PERFORMANCE.md), off the UI goroutine. Until then the
// collector runs at startupGCPercent, which keeps the peak lower.
func (u *UI) startupLoaded() {
	if u.startupLoads <= 0 {
		return
	}
	if u.startupLoads--; u.startupLoads == 0 {
		u.startupGC()
		go debug.FreeOSMemory()
	}
}

// startupGCPercent is the collector's target while the library and the
// quotes load, after the window is up: at the default of 100 the scale
// project's RSS peaked at 406–430 MB for 345 MB settled; at 50, 377–407 MB
// (over 400 MB in 2 of 8 runs); at 25, 375–391 MB in 8 runs, with the
// library listed as soon (BenchmarkColdStart on that project: worst 994 ms
// against 1,021–1,263 ms at 50). The extra collections run while nothing
// on screen waits for them (the window is mapped before).
const startupGCPercent = 25

// warmFonts has Fyne parse the faces of the bold and italic styles on the
// second core while the UI goroutine builds the window. Fyne parses a
// style's faces on its first measure, each style with its own copy of the
// 4 MB colour emoji font, and the first window measures three styles. The
// regular style is left to the UI goroutine, which measures it first:
// Fyne's font cache does not wait for a parse under way, so a face that
// both started would be parsed twice. Measured on the scale project: the
// UI goroutine's CPU until the window is mapped fell by ~90 ms.
func warmFonts() {
	for _, s := range []fyne.TextStyle{{Bold: true}, {Italic: true}} {
		fyne.MeasureText("M", theme.TextSize(), s)
	}
}
