package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dossier/notes"
	"dossier/store"
)

// MustNote creates a note and fails the test if it cannot.
func MustNote(tb testing.TB, s notes.NoteStore, title, body string) *notes.Note {
	tb.Helper()
	n := &notes.Note{Title: title, Body: body}
	if err := s.CreateNote(context.Background(), n); err != nil {
		tb.Fatalf("CreateNote(%q): %v", title, err)
	}
	return n
}

// mustQuote stores a quote of doc straight into project.db: the quote API
// is not this file's subject, only that notes can link to quotes.
func mustQuote(tb testing.TB, dir string, doc *notes.Document, start, end int) string {
	tb.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.DBFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	id := notes.NewID()
	exact := string([]rune(doc.Text)[start:end])
	now := time.Now().UTC().Format(time.RFC3339Nano)
	if _, err := db.Exec(`INSERT INTO quotes (id, doc_id, start, "end", exact, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, doc.ID, start, end, exact, now, now); err != nil {
		tb.Fatal(err)
	}
	return id
}

func TestStore_CreateNote_FillsInAndReadsBack(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	n := MustNote(t, s, "  Kant base history ", "The base opened in 2003. #kant #History")
	if n.ID == "" || n.Version != 1 || n.Created.IsZero() || !n.Updated.Equal(n.Created) {
		t.Fatalf("created note = %+v", n)
	}
	if n.Title != "Kant base history" {
		t.Errorf("title = %q, want it trimmed", n.Title)
	}
	got, err := s.Note(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Body != n.Body || got.Title != n.Title || !reflect.DeepEqual(got.Tags, []string{"kant", "history"}) || !got.Created.Equal(n.Created) {
		t.Errorf("Note = %+v, want %+v", got, n)
	}
	byTitle, err := s.NoteByTitle(ctx, "KANT BASE   history")
	if err != nil || byTitle.ID != n.ID {
		t.Errorf("NoteByTitle = %v, %v", byTitle, err)
	}
	if _, err := s.NoteByTitle(ctx, "nothing"); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("NoteByTitle(unknown) err = %v, want ErrNotFound", err)
	}
	if _, err := s.Note(ctx, "nope"); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("Note(unknown) err = %v, want ErrNotFound", err)
	}
}

func TestStore_CreateNote_TitleRules(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	MustNote(t, s, "Claims", "")
	MustNote(t, s, "База в Канте", "")
	for _, c := range []struct{ title, kind, msg string }{
		{"claims", notes.ECONFLICT, `there is already a note called "Claims"`},
		{"БАЗА В КАНТЕ", notes.ECONFLICT, `there is already a note called "База в Канте"`},
		{"", notes.EINVALID, "a note needs a title"},
		{"a|b", notes.EINVALID, "cannot contain"},
	} {
		err := s.CreateNote(ctx, &notes.Note{Title: c.title})
		if notes.ErrorKind(err) != c.kind || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("CreateNote(%q) = %v, want %s error containing %q", c.title, err, c.kind, c.msg)
		}
	}
	if list, _ := s.Notes(ctx, notes.NoteFilter{}); len(list) != 2 {
		t.Errorf("%d notes after failed creates, want 2", len(list))
	}
}

func TestStore_Notes_ListsWithoutBodiesSortedAndFiltered(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	b := MustNote(t, s, "beta", "#place/kant text")
	a := MustNote(t, s, "Alpha", "#place text")
	c := MustNote(t, s, "gamma", "#placebo")
	time.Sleep(2 * time.Millisecond)
	b.Body += " more"
	if err := s.SaveNote(ctx, b); err != nil {
		t.Fatal(err)
	}
	titles := func(f notes.NoteFilter) []string {
		list, err := s.Notes(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range list {
			if n.Body != "" {
				t.Errorf("Notes returned the body of %q", n.Title)
			}
			out = append(out, n.Title)
		}
		return out
	}
	for _, c := range []struct {
		f    notes.NoteFilter
		want []string
	}{
		{notes.NoteFilter{}, []string{"Alpha", "beta", "gamma"}},
		{notes.NoteFilter{Sort: notes.NoteSortUpdated}, []string{"beta", "gamma", "Alpha"}},
		{notes.NoteFilter{Tag: "place"}, []string{"Alpha", "beta"}},
		{notes.NoteFilter{Tag: "#Place/Kant"}, []string{"beta"}},
		{notes.NoteFilter{Tag: "none"}, nil},
	} {
		if got := titles(c.f); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Notes(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
	if _, err := s.Notes(ctx, notes.NoteFilter{Sort: "size"}); notes.ErrorKind(err) != notes.EINVALID {
		t.Errorf("bad sort err = %v", err)
	}
	tags, err := s.NoteTags(ctx)
	want := []notes.Facet{{Value: "place", Count: 1}, {Value: "place/kant", Count: 1}, {Value: "placebo", Count: 1}}
	if err != nil || !reflect.DeepEqual(tags, want) {
		t.Errorf("NoteTags = %v, %v; want %v", tags, err, want)
	}
	_, _ = a, c
}

func TestStore_SaveNote_BumpsVersionAndRederivesTags(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	n := MustNote(t, s, "Claims", "#old")
	n.Body = "Operational since 2017? #disputed"
	if err := s.SaveNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	if n.Version != 2 || !reflect.DeepEqual(n.Tags, []string{"disputed"}) {
		t.Errorf("after save version=%d tags=%q", n.Version, n.Tags)
	}
	got, _ := s.Note(ctx, n.ID)
	if got.Body != n.Body || got.Version != 2 {
		t.Errorf("stored %+v", got)
	}
}

func TestStore_SaveNote_StaleVersionKeepsBothSides(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	orig := MustNote(t, s, "Claims", "start")
	w1, w2 := *orig, *orig // two windows open on the same note
	w1.Body = "start, typed in window one"
	if err := s.SaveNote(ctx, &w1); err != nil {
		t.Fatal(err)
	}
	w2.Body = "start, typed in window two"
	err := s.SaveNote(ctx, &w2)
	var nc *notes.NoteConflict
	if notes.ErrorKind(err) != notes.ECONFLICT || !errors.As(err, &nc) {
		t.Fatalf("stale save err = %v, want ECONFLICT wrapping *NoteConflict", err)
	}
	if !strings.HasPrefix(nc.Copy.Title, "Claims (conflict ") || !strings.Contains(err.Error(), nc.Copy.Title) {
		t.Errorf("copy %q, message %q", nc.Copy.Title, err)
	}
	stored, _ := s.Note(ctx, orig.ID)
	if stored.Body != w1.Body {
		t.Errorf("stored body = %q, want window one's", stored.Body)
	}
	cp, err := s.Note(ctx, nc.Copy.ID)
	if err != nil || cp.Body != w2.Body {
		t.Errorf("copy = %+v, %v; want window two's text", cp, err)
	}
	// A second conflict in the same minute gets a title of its own.
	w2.Body = "again from two"
	err = s.SaveNote(ctx, &w2)
	var nc2 *notes.NoteConflict
	if !errors.As(err, &nc2) || nc2.Copy.Title == nc.Copy.Title {
		t.Errorf("second conflict: %v", err)
	}
	// The same text from both sides is no conflict.
	w3 := *orig
	w3.Body = w1.Body
	if err := s.SaveNote(ctx, &w3); err != nil || w3.Version != stored.Version {
		t.Errorf("identical save: %v, version %d want %d", err, w3.Version, stored.Version)
	}
	if _, err := s.Note(ctx, "missing"); !errors.Is(err, notes.ErrNotFound) {
		t.Fatal(err)
	}
	if err := s.SaveNote(ctx, &notes.Note{ID: "missing", Version: 1}); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("save of unknown note err = %v", err)
	}
}

func TestStore_Links_ResolveToNotesSourcesQuotesAndMissing(t *testing.T) {
	dir := t.TempDir()
	s, ctx := MustOpenDir(t, dir), context.Background()
	doc := newDoc(1)
	MustAdd(t, s, doc)
	q := mustQuote(t, dir, doc, 20, 54)
	target := MustNote(t, s, "Kant base", "")
	body := "See [[kant base]], [[Kant base|the base]], [[source:" + doc.ID + "]], [[quote:" + q + "|a quote]], [[quote:" + q +
		"]], [[Later]] and [[source:nope]]. `[[Kant base]]`"
	from := MustNote(t, s, "Claims", body)
	links, err := s.Links(ctx, from.ID)
	if err != nil {
		t.Fatal(err)
	}
	type l struct{ ID, Kind, Text string }
	want := []l{
		{target.ID, notes.TargetNote, "Kant base"},
		{target.ID, notes.TargetNote, "the base"},
		{doc.ID, notes.TargetSource, doc.Title},
		{q, notes.TargetQuote, "a quote"},
		{q, notes.TargetQuote, "The airbase at Kant opened in 2003"},
		{"", notes.TargetMissing, "Later"},
		{"nope", notes.TargetMissing, "nope"},
	}
	var got []l
	for _, x := range links {
		got = append(got, l{x.TargetID, x.TargetKind, x.Text})
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Links =\n%+v\nwant\n%+v", got, want)
	}
	if links[0].Start != 4 || links[0].End != 17 {
		t.Errorf("first link at %d-%d, want 4-17", links[0].Start, links[0].End)
	}

	// The missing link resolves when a note gets its title.
	later := MustNote(t, s, "later", "")
	links, _ = s.Links(ctx, from.ID)
	if links[5].TargetID != later.ID || links[5].TargetKind != notes.TargetNote || links[5].Text != "later" {
		t.Errorf("after creating 'later': %+v", links[5])
	}
}

func TestStore_Backlinks_WithSentence(t *testing.T) {
	dir := t.TempDir()
	s, ctx := MustOpenDir(t, dir), context.Background()
	doc := newDoc(1)
	MustAdd(t, s, doc)
	q := mustQuote(t, dir, doc, 0, 4)
	target := MustNote(t, s, "Kant base", "")
	a := MustNote(t, s, "A note", "Intro line.\nThe base [[Kant base|at Kant]] opened in 2003. Another sentence cites [[source:"+doc.ID+"]].")
	b := MustNote(t, s, "B note", "Per [[quote:"+q+"]]! And [[Kant base]].")
	gone := MustNote(t, s, "Deleted note", "[[Kant base]]")
	if err := s.DeleteNote(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	type bl struct{ From, FromTitle, Context string }
	check := func(id string, want []bl) {
		t.Helper()
		links, err := s.Backlinks(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []bl
		for _, l := range links {
			got = append(got, bl{l.From, l.FromTitle, l.Context})
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Backlinks(%s) =\n%q\nwant\n%q", id, got, want)
		}
	}
	check(target.ID, []bl{
		{a.ID, "A note", "The base [[Kant base|at Kant]] opened in 2003."},
		{b.ID, "B note", "And [[Kant base]]."},
	})
	check(doc.ID, []bl{{a.ID, "A note", "Another sentence cites [[source:" + doc.ID + "]]."}})
	check(q, []bl{{b.ID, "B note", "Per [[quote:" + q + "]]!"}})
	check("nothing", nil)
}

func TestStore_RenameNote_RewritesEveryLinkInOneGo(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	target := MustNote(t, s, "Old title", "I link to myself: [[Old title]].")
	a := MustNote(t, s, "A", "See [[old title]] and [[Old title|the alias]]; not `[[Old title]]`.")
	b := MustNote(t, s, "B", "Only [[A]] here.")
	waiting := MustNote(t, s, "C", "Waiting for [[New title]].")

	renamed, changed, err := s.RenameNote(ctx, target.ID, " New title ")
	if err != nil {
		t.Fatal(err)
	}
	if renamed.Title != "New title" || renamed.Body != "I link to myself: [[New title]]." {
		t.Errorf("renamed = %+v", renamed)
	}
	if !reflect.DeepEqual(changed, []string{a.ID}) {
		t.Errorf("changed = %v, want only A", changed)
	}
	gotA, _ := s.Note(ctx, a.ID)
	if want := "See [[New title]] and [[New title|the alias]]; not `[[Old title]]`."; gotA.Body != want {
		t.Errorf("A body = %q, want %q", gotA.Body, want)
	}
	if gotA.Version != a.Version+1 {
		t.Errorf("A version = %d, want %d (so an open editor notices)", gotA.Version, a.Version+1)
	}
	if gotB, _ := s.Note(ctx, b.ID); gotB.Version != b.Version {
		t.Errorf("B changed though it does not link to the note")
	}
	for _, id := range []string{a.ID, target.ID, waiting.ID} {
		links, _ := s.Links(ctx, id)
		for _, l := range links {
			if l.TargetID != target.ID || l.TargetKind != notes.TargetNote {
				t.Errorf("link in %s: %+v, want it to point at the renamed note", id, l)
			}
			if l.Text != "New title" && l.Text != "the alias" {
				t.Errorf("link reads %q", l.Text)
			}
		}
	}
	if back, _ := s.Backlinks(ctx, target.ID); len(back) != 4 {
		t.Errorf("%d backlinks after rename, want 4: %+v", len(back), back)
	}
	if _, err := s.NoteByTitle(ctx, "old title"); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("old title still finds a note: %v", err)
	}
}

func TestStore_RenameNote_TakenTitleChangesNothing(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	x := MustNote(t, s, "X", "")
	MustNote(t, s, "Y", "")
	a := MustNote(t, s, "A", "[[X]]")
	_, _, err := s.RenameNote(ctx, x.ID, "y")
	if notes.ErrorKind(err) != notes.ECONFLICT || !strings.Contains(err.Error(), `"Y"`) {
		t.Fatalf("rename to taken title: %v", err)
	}
	if got, _ := s.Note(ctx, a.ID); got.Body != "[[X]]" || got.Version != a.Version {
		t.Errorf("A was changed: %+v", got)
	}
	if got, _ := s.Note(ctx, x.ID); got.Title != "X" {
		t.Errorf("X renamed to %q", got.Title)
	}
	// Changing only the case is a rename of its own.
	if n, _, err := s.RenameNote(ctx, x.ID, "x"); err != nil || n.Title != "x" {
		t.Errorf("case rename: %v %v", n, err)
	}
	if got, _ := s.Note(ctx, a.ID); got.Body != "[[x]]" {
		t.Errorf("A after case rename = %q", got.Body)
	}
}

func TestStore_DeleteRestoreNote(t *testing.T) {
	s, ctx := MustOpen(t), context.Background()
	x := MustNote(t, s, "X", "")
	a := MustNote(t, s, "A", "[[X]]")
	if err := s.DeleteNote(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Notes(ctx, notes.NoteFilter{}); len(list) != 1 {
		t.Errorf("deleted note still listed: %v", list)
	}
	if got, err := s.Note(ctx, x.ID); err != nil || !got.Deleted {
		t.Errorf("deleted note by id = %+v, %v", got, err)
	}
	if links, _ := s.Links(ctx, a.ID); links[0].TargetKind != notes.TargetMissing {
		t.Errorf("link to deleted note = %+v", links[0])
	}
	if err := s.DeleteNote(ctx, x.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if _, err := s.RestoreNote(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	if links, _ := s.Links(ctx, a.ID); links[0].TargetID != x.ID {
		t.Errorf("link after restore = %+v", links[0])
	}

	// A restore whose title was taken meanwhile is refused.
	if err := s.DeleteNote(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	x2 := MustNote(t, s, "x", "")
	if _, err := s.RestoreNote(ctx, x.ID); notes.ErrorKind(err) != notes.ECONFLICT {
		t.Errorf("restore over a taken title: %v", err)
	}
	if links, _ := s.Links(ctx, a.ID); links[0].TargetID != x2.ID {
		t.Errorf("link now = %+v, want the new x", links[0])
	}
	if err := s.DeleteNote(ctx, "nope"); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("delete unknown: %v", err)
	}
}

func TestStore_Text_OfNotesAndQuotes(t *testing.T) {
	dir := t.TempDir()
	s, ctx := MustOpenDir(t, dir), context.Background()
	doc := newDoc(1)
	MustAdd(t, s, doc)
	q := mustQuote(t, dir, doc, 5, 12)
	n := MustNote(t, s, "N", "note body")
	for id, want := range map[string]string{doc.ID: doc.Text, q: "of docu", n.ID: "note body"} {
		if got, err := s.Text(ctx, id); err != nil || got != want {
			t.Errorf("Text(%s) = %q, %v; want %q", id, got, err, want)
		}
	}
	texts, err := s.Texts(ctx, []string{doc.ID, q, n.ID, "nope"})
	if err != nil || len(texts) != 3 || texts[q] != "of docu" || texts[n.ID] != "note body" || texts[doc.ID] != doc.Text {
		t.Errorf("Texts = %v, %v", texts, err)
	}
	_ = s.DeleteNote(ctx, n.ID)
	if _, err := s.Text(ctx, n.ID); !errors.Is(err, notes.ErrNotFound) {
		t.Errorf("Text of a deleted note: %v", err)
	}
	if ln, lq, err := s.CountNotebookItems(ctx); ln != 0 || lq != 1 || err != nil {
		t.Errorf("CountNotebookItems = %d, %d, %v", ln, lq, err)
	}
}
