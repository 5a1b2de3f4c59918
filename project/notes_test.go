package project_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"dossier/notes"
	"dossier/project"
)

func hitsOf(tb testing.TB, p *project.Project, q string) []notes.Hit {
	tb.Helper()
	res, err := p.Index.Search(context.Background(), notes.SearchRequest{Query: q, Limit: 100})
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	return res.Hits
}

func TestProject_NotesAreSearchableThroughTheirLife(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	ctx := context.Background()
	n, err := p.CreateNote(ctx, "Base history", "The zeppelin hangar at Kant. #kant")
	if err != nil {
		t.Fatal(err)
	}
	hits := hitsOf(t, p, "zeppelin")
	if len(hits) != 1 || hits[0].ID != n.ID || hits[0].Type != notes.KindNote || hits[0].Title != "Base history" {
		t.Fatalf("hits for a new note: %+v", hits)
	}
	if len(hits[0].Snippets) == 0 || !strings.Contains(hits[0].Snippets[0].Text, "zeppelin") {
		t.Errorf("note hit has no snippet from its body: %+v", hits[0].Snippets)
	}
	if got := searchIDs(t, p, "type:note tag:kant"); !reflect.DeepEqual(got, []string{n.ID}) {
		t.Errorf("type:note tag:kant = %v", got)
	}

	n.Body = "Now about a blimp."
	if err := p.SaveNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	if len(hitsOf(t, p, "zeppelin")) != 0 || len(hitsOf(t, p, "blimp")) != 1 {
		t.Errorf("search does not follow the saved body")
	}
	if _, _, err := p.RenameNote(ctx, n.ID, "Airship notes"); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, p, "title:airship"); !reflect.DeepEqual(got, []string{n.ID}) {
		t.Errorf("title:airship = %v", got)
	}
	if err := p.DeleteNote(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	if len(hitsOf(t, p, "blimp")) != 0 {
		t.Errorf("deleted note still found")
	}
	if _, err := p.RestoreNote(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	if len(hitsOf(t, p, "blimp")) != 1 {
		t.Errorf("restored note not found")
	}
}

func TestProject_RenameReindexesLinkingNotes(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	x, _ := p.CreateNote(ctx, "Xylophone", "")
	a, _ := p.CreateNote(ctx, "A", "About [[Xylophone]].")
	if _, changed, err := p.RenameNote(ctx, x.ID, "Marimba"); err != nil || !reflect.DeepEqual(changed, []string{a.ID}) {
		t.Fatalf("rename: %v %v", changed, err)
	}
	if got := searchIDs(t, p, "marimba"); !reflect.DeepEqual(got, sortedIDs(a.ID, x.ID)) {
		t.Errorf("marimba finds %v, want both the note and the one linking to it", got)
	}
	if got := searchIDs(t, p, "xylophone"); len(got) != 0 {
		t.Errorf("old title still found in %v", got)
	}
}

func sortedIDs(ids ...string) []string {
	if ids[0] > ids[1] {
		ids[0], ids[1] = ids[1], ids[0]
	}
	return ids
}

// addQuote pins a quote of a seed document straight into project.db (the
// quote API is another package's); the index learns of it by a rebuild.
func addQuote(tb testing.TB, dir, docID, exact string) string {
	tb.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "project.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	id := notes.NewID()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	if _, err := db.Exec(`INSERT INTO quotes (id, doc_id, start, "end", exact, tags, created_at, updated_at)
		VALUES (?, ?, 0, ?, ?, '["claim"]', ?, ?)`, id, docID, len([]rune(exact)), exact, now, now); err != nil {
		tb.Fatal(err)
	}
	return id
}

func TestProject_RebuildIncludesNotesAndQuotes(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := MustOpen(t, dir, project.Options{})
	docs, _ := p.Store.Documents(ctx)
	n, err := p.CreateNote(ctx, "Claims", "Operational since 2017, says one.")
	if err != nil {
		t.Fatal(err)
	}
	// A note the index never saw, as after a crash between the store
	// commit and the index batch.
	if err := p.Notes().CreateNote(ctx, &notes.Note{Title: "Unindexed", Body: "quixotic"}); err != nil {
		t.Fatal(err)
	}
	gone, _ := p.CreateNote(ctx, "Deleted", "quixotic too")
	_ = p.DeleteNote(ctx, gone.ID)
	p.Close()
	q := addQuote(t, dir, docs[0].ID, "unusualquoteword in the text")

	p = MustOpen(t, dir, project.Options{})
	if got, want := mustCount(t, p), uint64(len(docs)+3); got != want {
		t.Errorf("index holds %d items, want %d documents + 2 live notes + 1 quote", got, want)
	}
	if hits := hitsOf(t, p, "quixotic"); len(hits) != 1 || hits[0].Title != "Unindexed" {
		t.Errorf("quixotic: %+v", hits)
	}
	hits := hitsOf(t, p, "unusualquoteword")
	if len(hits) != 1 || hits[0].ID != q || hits[0].Type != notes.KindQuote || hits[0].Title != docs[0].Title {
		t.Fatalf("quote hit: %+v", hits)
	}
	if len(hits[0].Snippets) == 0 {
		t.Errorf("quote hit without snippet")
	}
	if got := searchIDs(t, p, "type:quote tag:claim"); !reflect.DeepEqual(got, []string{q}) {
		t.Errorf("type:quote tag:claim = %v", got)
	}
	if got := searchIDs(t, p, "since 2017 type:note"); !reflect.DeepEqual(got, []string{n.ID}) {
		t.Errorf("notes after rebuild: %v", got)
	}
	if err := p.Reindex(ctx, nil); err != nil || mustCount(t, p) != uint64(len(docs)+3) {
		t.Errorf("Reindex: %v, count %d", err, mustCount(t, p))
	}
}

func mustCount(tb testing.TB, p *project.Project) uint64 {
	tb.Helper()
	n, err := p.Index.Count()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestQuoteItem_CarriesTheSource(t *testing.T) {
	d := &notes.Document{ID: "d", Title: "IWPR piece", Author: "Leila", Source: "iwpr.net", Grade: "B2",
		Published: notes.DayDate(2003, 10, 23)}
	q := &notes.Quote{ID: "q", DocID: "d", Exact: "the ceremony", Tags: []string{"opening"}}
	it := project.QuoteItem(q, d)
	want := &notes.Item{ID: "q", Kind: notes.KindQuote, Title: "IWPR piece", Text: "the ceremony", Author: "Leila",
		Source: "iwpr.net", Grade: "B2", Published: d.Published, Tags: []string{"opening"}}
	if !reflect.DeepEqual(it, want) {
		t.Errorf("QuoteItem = %+v, want %+v", it, want)
	}
}

// recorder collects autosave events.
type recorder struct {
	mu  sync.Mutex
	evs []project.AutosaveEvent
}

func (r *recorder) add(ev project.AutosaveEvent) {
	r.mu.Lock()
	r.evs = append(r.evs, ev)
	r.mu.Unlock()
}
func (r *recorder) events() []project.AutosaveEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]project.AutosaveEvent(nil), r.evs...)
}

func TestAutosaver_SavesWhileTypingAndOnFlush(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	n, _ := p.CreateNote(ctx, "Typing", "")
	var rec recorder
	a := p.NewAutosaver(n, rec.add)
	// Steady typing, one key every 50 ms for 2.5 s: the pause never reaches
	// 300 ms, so only the one-second rule makes saves happen meanwhile.
	body := ""
	for i := 0; i < 50; i++ {
		body += "x"
		a.Set(body)
		time.Sleep(50 * time.Millisecond)
	}
	during := len(rec.events())
	if during < 2 {
		t.Errorf("%d saves during 2.5 s of steady typing, want at least 2", during)
	}
	body += " end"
	a.Set(body)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := p.Notes().Note(ctx, n.ID)
	if got.Body != body {
		t.Errorf("stored body %q, want %q", got.Body, body)
	}
	// The Autosaver knows only the body; the note must still be found
	// under its title.
	if hits := hitsOf(t, p, "title:typing"); len(hits) != 1 || hits[0].Title != "Typing" {
		t.Errorf("autosaved note by title: %+v", hits)
	}
	for _, ev := range rec.events() {
		if ev.Kind != project.AutosaveSaved || ev.Err != nil {
			t.Errorf("event %+v", ev)
		}
	}
	a.Set("after close")
	time.Sleep(2 * project.AutosaveIdle)
	if got, _ := p.Notes().Note(ctx, n.ID); got.Body != body {
		t.Errorf("a Set after Close was saved")
	}
}

func TestAutosaver_SavesSoonAfterTypingStops(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	n, _ := p.CreateNote(ctx, "Pause", "")
	saved := make(chan project.AutosaveEvent, 4)
	a := p.NewAutosaver(n, func(ev project.AutosaveEvent) { saved <- ev })
	defer a.Close()
	a.Set("hello")
	select {
	case ev := <-saved:
		if ev.Body != "hello" || ev.Note.Version != 2 {
			t.Errorf("event %+v", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no save after typing stopped")
	}
	if a.Pending() {
		t.Errorf("still pending after the save")
	}
}

func TestAutosaver_TwoWindowsKeepBothSides(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	n, _ := p.CreateNote(ctx, "Shared", "start")
	var r1, r2 recorder
	w1, w2 := p.NewAutosaver(n, r1.add), p.NewAutosaver(n, r2.add)
	w1.Set("start + one")
	if err := w1.Flush(); err != nil {
		t.Fatal(err)
	}
	w2.Set("start + two")
	err := w2.Flush()
	if notes.ErrorKind(err) != notes.ECONFLICT {
		t.Fatalf("second window's save: %v, want ECONFLICT", err)
	}
	evs := r2.events()
	if len(evs) != 1 || evs[0].Kind != project.AutosaveConflict || w2.ID() == n.ID || evs[0].Note.ID != w2.ID() {
		t.Fatalf("conflict event %+v, autosaver now on %s", evs, w2.ID())
	}
	// Typing on in window two goes into the copy, not over window one.
	w2.Set("start + two + more")
	if err := w2.Close(); err != nil {
		t.Fatal(err)
	}
	_ = w1.Close()
	orig, _ := p.Notes().Note(ctx, n.ID)
	cp, _ := p.Notes().Note(ctx, w2.ID())
	if orig.Body != "start + one" || cp.Body != "start + two + more" {
		t.Errorf("original %q, copy %q", orig.Body, cp.Body)
	}
	if got := searchIDs(t, p, `"two more"`); !reflect.DeepEqual(got, []string{cp.ID}) {
		t.Errorf("copy not searchable: %v", got)
	}
}

func TestAutosaver_ErrorIsReportedAndRetried(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	var rec recorder
	// A note that vanished from under the editor cannot be saved.
	n2 := &notes.Note{ID: "no-such-note", Version: 1}
	b := p.NewAutosaver(n2, rec.add)
	b.Set("text")
	err := b.Flush()
	if !errors.Is(err, notes.ErrNotFound) {
		t.Fatalf("flush of a missing note: %v", err)
	}
	if evs := rec.events(); len(evs) != 1 || evs[0].Kind != project.AutosaveError {
		t.Errorf("events %+v", evs)
	}
	if !b.Pending() {
		t.Errorf("failed text no longer pending: it would never be retried")
	}
	_ = b.Close()
}
