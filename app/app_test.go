package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"dossier/notes"
	"dossier/project"
)

// typeQuery focuses the search field and types q into it.
func typeQuery(u *UI, q string) {
	u.win.Canvas().Focus(u.bar.entry)
	test.Type(u.bar.entry, q)
}

// waitResults waits until the results pane shows the answer to q.
func waitResults(tb testing.TB, u *UI, l *uiLoop, q string) {
	tb.Helper()
	l.until(tb, fmt.Sprintf("results for %q", q), func() bool { return u.results.query == q })
}

func press(u *UI, key fyne.KeyName) {
	u.bar.entry.TypedKey(&fyne.KeyEvent{Name: key})
}

func TestUI_FirstRunShowsSeededLibrary(t *testing.T) {
	p := mustOpenProject(t)
	u, _ := newTestUI(t, p, Options{})
	if got, want := len(u.library.shown), 5; got != want {
		t.Fatalf("library lists %d sources, want %d", got, want)
	}
	if got, want := u.win.Title(), "Dossier — "+p.Name; got != want {
		t.Fatalf("title = %q, want %q", got, want)
	}
	if !u.results.empty.Visible() {
		t.Fatal("the results pane should welcome the user before a search")
	}
}

func TestUI_SearchOpenFirstHitAndStepThroughHits(t *testing.T) {
	for _, q := range []string{"airbase", "Kant", "airb"} {
		t.Run(q, func(t *testing.T) {
			p := mustOpenProject(t)
			u, l := newTestUI(t, p, Options{})
			typeQuery(u, q)
			waitResults(t, u, l, q)
			if len(u.results.hits) == 0 {
				t.Fatalf("no results for %q", q)
			}
			first := u.results.hits[0]
			for _, h := range u.results.hits {
				if len(h.Snippets) == 0 || len(h.Snippets[0].Marks) == 0 {
					t.Errorf("hit %q has no highlighted snippet", h.Title)
				}
			}

			press(u, fyne.KeyReturn)
			l.until(t, "the reader to open the first hit", func() bool {
				return u.reader.Doc() != nil && u.reader.Doc().ID == first.ID
			})
			if u.tabs.Selected() != u.readerTab {
				t.Error("opening a result should show the reader")
			}
			want, err := p.Index.Matches(context.Background(), first.ID, highlightQuery(q))
			if err != nil {
				t.Fatal(err)
			}
			n := len(want)
			if n < 2 {
				t.Fatalf("%q matches %d times in %q; the test needs two", q, n, first.Title)
			}
			if got := len(u.reader.view.tv.hits); got != n {
				t.Fatalf("reader highlights %d hits, Index.Matches has %d", got, n)
			}
			for i, s := range want {
				if got := strings.ToLower(u.reader.Doc().Text[s.Start:s.End]); !strings.HasPrefix(got, strings.ToLower(q)) {
					t.Errorf("hit %d highlights %q", i, got)
				}
			}
			if got, want := u.reader.HitCounter(), fmt.Sprintf("1 of %d", n); got != want {
				t.Fatalf("counter = %q, want %q", got, want)
			}
			if got := u.reader.view.tv.cur; got != 0 {
				t.Fatalf("current hit = %d, want 0", got)
			}

			// F3 in the search field (where the focus stays) and in the reader.
			press(u, fyne.KeyF3)
			if got, want := u.reader.HitCounter(), fmt.Sprintf("2 of %d", n); got != want {
				t.Fatalf("after F3 counter = %q, want %q", got, want)
			}
			u.reader.view.tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF3})
			if n > 2 {
				if got, want := u.reader.HitCounter(), fmt.Sprintf("3 of %d", n); got != want {
					t.Fatalf("after F3 in the reader counter = %q, want %q", got, want)
				}
				test.Tap(u.reader.prev)
			}
			// Ctrl+Shift+G is Shift+F3's twin (Fyne reports Shift+F3 as a
			// plain key, so a headless test cannot hold Shift).
			u.handleShortcut(shortcut(fyne.KeyG, ctrl|fyne.KeyModifierShift))
			if got, want := u.reader.HitCounter(), fmt.Sprintf("1 of %d", n); got != want {
				t.Fatalf("after previous counter = %q, want %q", got, want)
			}
			test.Tap(u.reader.next)
			if got, want := u.reader.HitCounter(), fmt.Sprintf("2 of %d", n); got != want {
				t.Fatalf("after the next button counter = %q, want %q", got, want)
			}
			u.reader.PrevHit()
			u.reader.PrevHit()
			if got, want := u.reader.HitCounter(), fmt.Sprintf("%d of %d", n, n); got != want {
				t.Fatalf("previous from the first should wrap: counter = %q, want %q", got, want)
			}
		})
	}
}

func TestUI_MalformedQueryShowsParserMessage(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	q := `"airbase`
	_, want := p.Index.Search(context.Background(), notes.SearchRequest{Query: q, PrefixLast: true})
	if notes.ErrorKind(want) != notes.EINVALID {
		t.Fatalf("index: %q gave %v, want an EINVALID error", q, want)
	}
	typeQuery(u, q)
	l.until(t, "the parser's message", func() bool { return u.bar.message.Text != "" })
	if got := u.bar.message.Text; got != ellipsize(want.Error(), maxMessage) {
		t.Fatalf("message = %q, want the parser's %q", got, want.Error())
	}
	// Closing the quote makes the query valid and the message goes.
	test.Type(u.bar.entry, `"`)
	waitResults(t, u, l, `"airbase"`)
	if u.bar.message.Text != "" {
		t.Fatal("the message stays after the query is fixed")
	}
}

func TestUI_NoResultsSuggestsLooserQuery(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	typeQuery(u, "airbsae")
	waitResults(t, u, l, "airbsae")
	if got := len(u.results.hits); got != 0 {
		t.Fatalf("%d hits for a misspelling", got)
	}
	if !strings.HasPrefix(u.results.header.Text, "No results") || !u.results.empty.Visible() {
		t.Fatalf("header %q; the empty state should say there are no results", u.results.header.Text)
	}
	suggestion := looserQuery("airbsae")
	if suggestion != "airbsae~1" {
		t.Fatalf("looser query = %q", suggestion)
	}
	u.setQuery(suggestion)
	waitResults(t, u, l, suggestion)
	if len(u.results.hits) == 0 {
		t.Fatalf("the suggested %q finds nothing", suggestion)
	}
}

func TestUI_SlowSearchNeverBlocksTypingAndResultsArriveInOrder(t *testing.T) {
	p := mustOpenProject(t)
	// The first search takes a second: typing that waited for it would
	// take most of that.
	slow := newSlowIndex(p.Index, time.Second)
	p.Index = slow
	// A pause longer than the usual 50 ms: on a loaded machine typing
	// "russia" could otherwise pause mid-word and search "russ" first,
	// which is right for the app but not what this test looks at.
	u, l := newTestUI(t, p, Options{Debounce: 400 * time.Millisecond})
	var shown []searchOutcome
	u.onResults = func(o searchOutcome) { shown = append(shown, o) }

	typeQuery(u, "russia")
	select {
	case q := <-slow.started:
		if q != "russia" {
			t.Fatalf("slow search for %q", q)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first search never started")
	}
	start := time.Now()
	test.Type(u.bar.entry, " airbase")
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Fatalf("typing 8 characters took %v while a search ran", d)
	}
	waitResults(t, u, l, "russia airbase")
	// Let the slow, stale answer arrive; it must not replace the newer one.
	select {
	case <-slow.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow search never returned")
	}
	l.runFor(100 * time.Millisecond)
	if got := u.results.query; got != "russia airbase" {
		t.Fatalf("results show %q after the stale answer arrived, want the newer query's", got)
	}
	for i, o := range shown {
		if o.req.Query == "russia" {
			t.Fatalf("the stale answer for %q was shown", o.req.Query)
		}
		if i > 0 && o.gen <= shown[i-1].gen {
			t.Fatalf("results out of order: generation %d after %d", o.gen, shown[i-1].gen)
		}
	}
}

func TestUI_UpDownEnterMoveThroughAndOpenResults(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	typeQuery(u, "kyrgyzstan")
	waitResults(t, u, l, "kyrgyzstan")
	if len(u.results.hits) < 3 {
		t.Fatalf("%d hits; the test needs three", len(u.results.hits))
	}
	press(u, fyne.KeyDown)
	press(u, fyne.KeyDown)
	press(u, fyne.KeyDown)
	press(u, fyne.KeyUp)
	if got := u.results.selected; got != 1 {
		t.Fatalf("selected row %d after Down, Down, Down, Up; want 1", got)
	}
	if u.reader.Doc() != nil || u.tabs.Selected() != u.resultsTab {
		t.Fatal("moving the selection must not open a result")
	}
	press(u, fyne.KeyReturn)
	want := u.results.hits[1].ID
	l.until(t, "the second result to open", func() bool { return u.reader.Doc() != nil && u.reader.Doc().ID == want })
	// Escape goes back to the results.
	press(u, fyne.KeyEscape)
	if u.tabs.Selected() != u.resultsTab {
		t.Fatal("Escape should go back to the results")
	}
	// A click on the row the keyboard selected opens it too.
	row := u.results.createRow().(*rowHolder)
	u.results.updateRow(1, row)
	u.reader.Close()
	test.Tap(row)
	l.until(t, "the clicked result to open", func() bool { return u.reader.Doc() != nil && u.reader.Doc().ID == want })
}

func TestUI_FacetsFilterLibraryAndSearch(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	counts := facetCounts(u.docs)
	var year string
	for y, n := range counts["year"] {
		if n < len(u.docs) {
			year = y
			break
		}
	}
	if year == "" {
		t.Skip("every seed has the same year")
	}
	u.library.selected["year"] = map[string]bool{year: true}
	u.library.applyFilter()
	u.filtersChanged(u.library.Filters())
	if got, want := len(u.library.shown), counts["year"][year]; got != want {
		t.Fatalf("year %s: library shows %d, want %d", year, got, want)
	}
	typeQuery(u, "kyrgyzstan")
	waitResults(t, u, l, "kyrgyzstan")
	for _, h := range u.results.hits {
		y := undatedYear
		if h.Published.Known() {
			y = fmt.Sprint(h.Published.Time.Year())
		}
		if y != year {
			t.Errorf("hit %q from %s passed the %s filter", h.Title, y, year)
		}
	}
	u.library.clearFilters()
	if got := len(u.library.shown); got != len(u.docs) {
		t.Fatalf("after Clear the library shows %d of %d", got, len(u.docs))
	}
}

func TestUI_ImportRefreshesLibraryAndReportsFailures(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	dir := t.TempDir()
	good := filepath.Join(dir, "memo.txt")
	if err := os.WriteFile(good, []byte("Leaked memo\n\nThe zeppelin hangar at the airbase was never built.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "blob.txt")
	if err := os.WriteFile(bad, []byte("PK\x03\x04\x00\x00binary\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	var report *project.ImportReport
	done := u.importer.onDone
	u.importer.onDone = func(r *project.ImportReport, err error) {
		report = r
		done(r, err)
	}
	typeQuery(u, "zeppelin")
	waitResults(t, u, l, "zeppelin")
	// Dropping the folder onto the window imports it.
	u.importer.Dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(dir)})
	l.until(t, "the import to finish", func() bool { return report != nil })
	if len(report.Imported) != 1 {
		t.Fatalf("imported %+v, want memo.txt", report.Imported)
	}
	if len(report.Failed) != 1 || report.Failed[0].Reason == "" {
		t.Fatalf("failed %+v, want blob.txt with a reason", report.Failed)
	}
	l.until(t, "the library to list the new source", func() bool { return len(u.library.all) == 6 })
	l.until(t, "the results to find the new source", func() bool { return len(u.results.hits) == 1 })
	if top := u.win.Canvas().Overlays().Top(); top == nil {
		t.Fatal("no summary dialog after the import")
	}
}

func TestUI_CancelledImportKeepsWhatWasCommitted(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	dir := t.TempDir()
	for i := range 400 {
		body := fmt.Sprintf("Report %d\n\nField notes number %d about the base.\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var report *project.ImportReport
	var importErr error
	done := u.importer.onDone
	u.importer.onDone = func(r *project.ImportReport, err error) {
		report, importErr = r, err
		done(r, err)
	}
	u.importer.Import([]string{dir})
	if !u.importer.Running() {
		t.Fatal("no import running")
	}
	u.importer.Cancel()
	l.until(t, "the cancelled import to end", func() bool { return report != nil })
	if importErr != nil && !errors.Is(importErr, context.Canceled) {
		t.Fatalf("import error %v", importErr)
	}
	want := 5 + len(report.Imported)
	l.until(t, "the library to reload", func() bool { return len(u.library.all) == want })
	n, err := p.Store.CountDocuments(context.Background())
	if err != nil || n != want {
		t.Fatalf("store holds %d documents (%v), the report says %d", n, err, want)
	}
}

func TestUI_OpenProjectSwitchesAndReleasesTheOld(t *testing.T) {
	p := mustOpenProject(t)
	oldDir := p.Dir
	u, l := newTestUI(t, p, Options{})
	newDir := filepath.Join(t.TempDir(), "second")
	u.openProject(newDir, project.Options{NoSeeds: true})
	l.until(t, "the new project", func() bool { return u.proj != p && u.proj != nil && u.docs != nil })
	if got, want := u.win.Title(), "Dossier — second"; got != want {
		t.Fatalf("title = %q, want %q", got, want)
	}
	if got := len(u.library.all); got != 0 {
		t.Fatalf("the new, empty project lists %d sources", got)
	}
	if got := u.prefs.String(prefLastProject); got != u.proj.Dir {
		t.Fatalf("last project = %q, want %q", got, u.proj.Dir)
	}
	// The old project is closed in the background; its lock goes with it.
	var again *project.Project
	l.until(t, "the old project's lock to be released", func() bool {
		var err error
		again, err = project.Open(context.Background(), oldDir, project.Options{})
		return err == nil
	})
	again.Close()
}

func TestTextView_ContextMenuOffersCopy(t *testing.T) {
	newTestApp(t)
	d := newDocView()
	w := test.NewTempWindow(t, d)
	w.Resize(fyne.NewSize(600, 400))
	d.SetText("Pin this passage.", nil)
	d.tv.Select(0, 3)
	d.tv.TappedSecondary(&fyne.PointEvent{Position: fyne.NewPos(20, 20), AbsolutePosition: fyne.NewPos(20, 20)})
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no context menu on a right click")
	}
}

func TestUI_LayoutAndThemeAreRemembered(t *testing.T) {
	p := mustOpenProject(t)
	u, _ := newTestUI(t, p, Options{})
	u.sideSplit.SetOffset(0.31)
	u.mainSplit.SetOffset(0.66)
	u.setThemeMode(themeDark)
	u.savePrefs()
	if got := fyne.CurrentApp().Settings().Theme().(*dossierTheme).mode; got != themeDark {
		t.Fatalf("theme mode = %q after choosing dark", got)
	}
	// A second window on the same preferences starts where the first left
	// off.
	u2 := New(u.app, nil, Options{do: func(f func()) {}})
	defer u2.win.Close()
	if got := u2.sideSplit.Offset; got != 0.31 {
		t.Errorf("sidebar split = %v, want 0.31", got)
	}
	if got := u2.mainSplit.Offset; got != 0.66 {
		t.Errorf("details split = %v, want 0.66", got)
	}
	if got := u2.currentMode(); got != themeDark {
		t.Errorf("theme = %q, want dark", got)
	}
	if got := u.prefs.String(prefLastProject); got != p.Dir {
		t.Errorf("last project = %q, want %q", got, p.Dir)
	}
}

func TestUI_ShortcutsSheetAndFocusSearch(t *testing.T) {
	p := mustOpenProject(t)
	u, _ := newTestUI(t, p, Options{})
	u.win.Canvas().Unfocus()
	if !u.handleShortcut(shortcut(fyne.KeyK, ctrl)) {
		t.Fatal("Ctrl+K is not a window shortcut")
	}
	if u.win.Canvas().Focused() != u.bar.entry {
		t.Fatal("Ctrl+K should focus the search field")
	}
	u.handleShortcut(shortcut(fyne.KeySlash, ctrl))
	if u.win.Canvas().Overlays().Top() == nil {
		t.Fatal("Ctrl+/ should show the shortcut sheet")
	}
}

func TestUI_NoProjectStillOpens(t *testing.T) {
	u, _ := newTestUI(t, nil, Options{})
	if !strings.Contains(u.status.Text, "No project") {
		t.Fatalf("status = %q", u.status.Text)
	}
	typeQuery(u, "kant") // must not panic
}

func TestLooserQuery(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"opening ceremony"`, "opening ceremony"},
		{"+kant +zeppelin", "kant zeppelin"},
		{"title:zeppelin", "zeppelin"},
		{"zeppelin", "zeppelin~1"},
		{"zep~1", ""},
		{"", ""},
	} {
		if got := looserQuery(c.in); got != c.want {
			t.Errorf("looserQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSnippetParts_MarksAreBoldAndVisible(t *testing.T) {
	text := strings.Repeat("lead-in words ", 20) + "the airbase\nin Kant"
	i := strings.Index(text, "airbase")
	parts := snippetParts(notes.Snippet{Text: text, Marks: []notes.Span{{Start: i, End: i + 7}, {Start: 500, End: 600}}}, 40)
	var plain strings.Builder
	marked := 0
	for _, p := range parts {
		plain.WriteString(p.text)
		if p.mark {
			marked++
			if p.text != "airbase" {
				t.Errorf("marked %q", p.text)
			}
		}
	}
	got := plain.String()
	if !strings.HasPrefix(got, "…") || len(got) > 80 {
		t.Errorf("lead-in not trimmed: %q", got)
	}
	if strings.Contains(got, "\n") {
		t.Errorf("newline kept in a one-line snippet: %q", got)
	}
	if marked != 1 {
		t.Errorf("%d marked parts, want 1 (the bad mark is dropped)", marked)
	}
}

func TestTextLine_CutsWithEllipsisToFit(t *testing.T) {
	newTestApp(t)
	s := newTextLine(false, "", "")
	s.SetParts([]snippetPart{{text: strings.Repeat("long context ", 30)}, {text: "airbase", mark: true}, {text: " tail"}})
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(300, 40))
	s.Resize(fyne.NewSize(300, 40))
	r := test.WidgetRenderer(s).(*textLineRenderer)
	if !r.ellipsis.Visible() {
		t.Fatal("no ellipsis on a cut line")
	}
	if end := r.ellipsis.Position().X + r.ellipsis.Size().Width; end > 300 {
		t.Fatalf("line ends at %.0f, past the 300 px row", end)
	}
	s.Resize(fyne.NewSize(3000, 40))
	if r.ellipsis.Visible() {
		t.Fatal("ellipsis on a line that fits")
	}
}

func TestHighlightQuery_FollowsPrefixLast(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"airb", "airb*"},
		{"kant ", "kant*"},
		{"+russia", "+russia*"},
		{`"opening ceremony" kant`, `"opening ceremony" kant*`},
		{`"opening cer`, `"opening cer`},
		{`"opening ceremony"`, `"opening ceremony"`},
		{"title:kant", "title:kant"},
		{"kant~1", "kant~1"},
		{"a", "a"},
	} {
		if got := highlightQuery(c.in); got != c.want {
			t.Errorf("highlightQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
