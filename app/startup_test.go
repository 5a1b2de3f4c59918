package app

import (
	"testing"
	"time"
)

// Run builds the window with the library load deferred so that reading a
// big library does not hold up the window; the library must still arrive
// once the window is up, and the search must answer before it does.
func TestUI_DeferredLibrary_LoadsWhenStarted(t *testing.T) {
	p := mustOpenProject(t)
	a := newTestApp(t)
	l := newUILoop()
	u := New(a, p, Options{do: l.do, deferLibrary: true})
	t.Cleanup(func() {
		if err := u.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		u.win.Close()
	})

	u.bar.entry.SetText("airbase")
	l.until(t, "results before the library", func() bool { return u.results.query == "airbase" })
	time.Sleep(50 * time.Millisecond)
	l.drain()
	if u.docs != nil || len(u.library.all) != 0 {
		t.Fatalf("library loaded %d sources before the window started", len(u.library.all))
	}

	u.win.Canvas().Unfocus()
	u.started()
	if got := u.win.Canvas().Focused(); got != u.bar.entry {
		t.Errorf("focus after the window started: %T, want the search field (typing must search)", got)
	}
	l.until(t, "the library", func() bool { return u.docs != nil })
	if got, want := len(u.library.shown), 5; got != want {
		t.Errorf("library lists %d sources, want %d", got, want)
	}
	if got, want := u.sources, 5; got != want {
		t.Errorf("welcome counts %d sources, want %d", got, want)
	}
	// A second start (or a later project) loads as usual, not twice.
	u.startLoading()
	if u.opts.deferLibrary {
		t.Error("deferLibrary still set after startLoading")
	}
}

// With no filter the list shows every source without copying them; with
// one it lists only the matches, and clearing it brings all back.
func TestLibrary_FilterThenClear(t *testing.T) {
	p := mustOpenProject(t)
	u, _ := newTestUI(t, p, Options{})
	all := len(u.library.all)
	counts := facetCounts(u.library.all)
	var year string
	for y := range counts["year"] {
		year = y
		break
	}
	u.library.selected["year"] = map[string]bool{year: true}
	u.library.applyFilter()
	if got, want := len(u.library.shown), counts["year"][year]; got != want {
		t.Fatalf("filtered to %s: %d sources, want %d", year, got, want)
	}
	for _, d := range u.library.shown {
		if got := docFacet(&d, "year"); got != year {
			t.Errorf("%s listed under %s, has year %s", d.ID, year, got)
		}
	}
	u.library.clearFilters()
	if got := len(u.library.shown); got != all {
		t.Errorf("after clearing: %d sources, want %d", got, all)
	}
}
