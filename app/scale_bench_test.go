package app

import (
	"context"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/project"
)

// The scale benchmarks open a big project named by DOSSIER_SCALE_PROJECT,
// one made by bench/cmd/scalegen (20,000 documents, 10,000 notes, 50,000
// quotes, 200,000 events; see docs/PERFORMANCE.md), and skip without it.
// They only read the project.
func scaleUI(b *testing.B) (*UI, *uiLoop) {
	b.Helper()
	dir := os.Getenv("DOSSIER_SCALE_PROJECT")
	if dir == "" {
		b.Skip("DOSSIER_SCALE_PROJECT names no project (make one with bench/cmd/scalegen)")
	}
	p, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
	if err != nil {
		b.Fatal(err)
	}
	return newTestUI(b, p, Options{})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// waitLong is uiLoop.until with room for a 100,000-document project on a
// busy machine (until gives up after 15 s).
func waitLong(b *testing.B, l *uiLoop, what string, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			b.Fatalf("timed out waiting for %s", what)
		}
		l.runFor(5 * time.Millisecond)
	}
}

// BenchmarkScale_Open is a second start on the big project: open it and
// build the window until the library is loaded (searchable), then until
// the notes list and the quotes pane hold everything. Target: the library
// under a second.
func BenchmarkScale_Open(b *testing.B) {
	dir := os.Getenv("DOSSIER_SCALE_PROJECT")
	if dir == "" {
		b.Skip("DOSSIER_SCALE_PROJECT names no project (make one with bench/cmd/scalegen)")
	}
	a := newTestApp(b)
	var lib, nts, qts []time.Duration
	for b.Loop() {
		start := time.Now()
		p, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
		if err != nil {
			b.Fatal(err)
		}
		l := newUILoop()
		u := New(a, p, Options{do: l.do})
		l.until(b, "the library", func() bool { return u.docs != nil })
		lib = append(lib, time.Since(start))
		l.until(b, "the notes", func() bool { return len(u.notes.all) > 0 })
		nts = append(nts, time.Since(start))
		l.until(b, "the quotes", func() bool { return len(u.quotes.pane.all) > 0 })
		qts = append(qts, time.Since(start))
		if err := u.Close(); err != nil {
			b.Fatal(err)
		}
		u.win.Close()
	}
	b.ReportMetric(ms(percentile(lib, 50)), "library-ms")
	b.ReportMetric(ms(percentile(nts, 50)), "notes-loaded-ms")
	b.ReportMetric(ms(percentile(qts, 50)), "quotes-loaded-ms")
}

// BenchmarkScale_NotesReload is the notes pane reading all notes and tags
// again (what it does when shown and after saves), to the list on screen.
func BenchmarkScale_NotesReload(b *testing.B) {
	u, l := scaleUI(b)
	u.showNotes()
	for b.Loop() {
		u.notes.all = nil
		u.notes.Reload()
		l.until(b, "the notes", func() bool { return len(u.notes.all) > 0 })
	}
	b.ReportMetric(float64(len(u.notes.all)), "notes")
}

// BenchmarkScale_QuotesFilter is one keystroke in the quotes pane's filter
// with every quote of the project loaded.
func BenchmarkScale_QuotesFilter(b *testing.B) {
	u, l := scaleUI(b)
	l.until(b, "the quotes", func() bool { return len(u.quotes.pane.all) > 0 })
	p := u.quotes.pane
	queries := []string{"k", "ka", "kan", "kant", ""}
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		p.filter.SetText(queries[i%len(queries)])
		lat = append(lat, time.Since(t0))
	}
	b.ReportMetric(float64(len(p.all)), "quotes")
	b.ReportMetric(ms(percentile(lat, 95)), "p95-ms")
}

// BenchmarkScale_Timeline loads the timeline of the big project (its
// documents' dates and every user event) for the first time after the
// project opens ("first"), then again ("load": the texts' dates are known
// by then), then measures a pan/zoom frame and a rebuild of the lanes.
func BenchmarkScale_Timeline(b *testing.B) {
	u, l := scaleUI(b)
	start := time.Now()
	u.showTimeline()
	t := u.timeline
	waitLong(b, l, "the timeline", func() bool { return t.set != nil && t.loaded != nil })
	first := time.Since(start)
	b.Run("first", func(b *testing.B) {
		// The first look after the project opens, which scans or reads
		// every document's dates, measured once above.
		for b.Loop() {
		}
		b.ReportMetric(ms(first), "first-load-ms")
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			t.set = nil
			t.Reload()
			waitLong(b, l, "the timeline", func() bool { return t.set != nil && t.loaded != nil })
		}
		b.ReportMetric(float64(len(t.set.Entries)), "entries")
	})
	v := t.view
	b.Run("frame", func(b *testing.B) {
		v.FitAll()
		i := 0
		for b.Loop() {
			switch i % 4 {
			case 0:
				v.Pan(3)
			case 1:
				v.ZoomAt(1.01, tlLabelW+300)
			case 2:
				v.Pan(-3)
			case 3:
				v.ZoomAt(1/1.01, tlLabelW+300)
			}
			i++
		}
	})
	b.Run("rebuild", func(b *testing.B) {
		for b.Loop() {
			t.rebuild(false)
		}
	})
}

// BenchmarkScale_Scroll is one scroll step (a third of a screen) in each
// long list of the window (the timeline is a canvas: its frame is in
// BenchmarkScale_Timeline), with its rows rebound (the list lays out the
// rows that come into view as it scrolls).
func BenchmarkScale_Scroll(b *testing.B) {
	u, l := scaleUI(b)
	u.showNotes()
	l.until(b, "notes and quotes", func() bool { return len(u.notes.shown) > 0 && len(u.quotes.pane.shown) > 0 })
	u.bar.entry.SetText("the")
	l.until(b, "results", func() bool { return u.results.query == "the" && len(u.results.hits) > 0 })
	lists := []struct {
		name string
		list *widget.List
		n    func() int
	}{
		{"library", u.library.list, func() int { return len(u.library.shown) }},
		{"results", u.results.list, func() int { return len(u.results.hits) }},
		{"notes", u.notes.list, func() int { return len(u.notes.shown) }},
		{"quotes", u.quotes.pane.list, func() int { return len(u.quotes.pane.shown) }},
	}
	for _, c := range lists {
		b.Run(c.name, func(b *testing.B) {
			w := test.NewTempWindow(b, c.list)
			w.Resize(fyne.NewSize(400, 700))
			y := float32(0)
			for b.Loop() {
				y += 230
				c.list.ScrollToOffset(y)
				if c.list.GetScrollOffset() < y-1 { // at the end: back to the top
					y = 0
					c.list.ScrollToTop()
				}
			}
			b.ReportMetric(float64(c.n()), "rows")
		})
	}
}
