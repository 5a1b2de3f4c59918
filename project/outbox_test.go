package project_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"dossier/notes"
	"dossier/project"
)

func mustPending(tb testing.TB, p *project.Project) int {
	tb.Helper()
	n, err := p.PendingIndexEdits(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// Every change made through the project reaches the index and clears its
// outbox rows, so a normal session leaves nothing for the next open.
func TestOutbox_ProjectWritesLeaveNothingPending(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{})
	if n := mustPending(t, p); n != 0 {
		t.Fatalf("after seeding: %d pending", n)
	}
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	text, err := p.Store.Text(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var n *notes.Note
	q := &notes.Quote{DocID: d.ID, Start: 0, End: min(20, len([]rune(text)))}
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"new.txt": "A new file about a heron."})
	for _, step := range []struct {
		name string
		do   func() error
	}{
		{"CreateNote", func() (err error) { n, err = p.CreateNote(ctx, "Pending", "alpha"); return err }},
		{"SaveNote", func() error { n.Body = "beta"; return p.SaveNote(ctx, n) }},
		{"RenameNote", func() error { _, _, err := p.RenameNote(ctx, n.ID, "Pending 2"); return err }},
		{"AddQuote", func() error { return p.AddQuote(ctx, q) }},
		{"UpdateQuote", func() error { q.Tags = []string{"gamma"}; return p.UpdateQuote(ctx, q) }},
		{"TagSource", func() error { _, err := p.TagSource(ctx, d.ID, []string{"delta"}, nil); return err }},
		{"SetGrade", func() error { return p.SetGrade(ctx, d.ID, "B2", "") }},
		{"DeleteQuote", func() error { return p.DeleteQuote(ctx, q.ID) }},
		{"DeleteNote", func() error { return p.DeleteNote(ctx, n.ID) }},
		{"RestoreNote", func() error { _, err := p.RestoreNote(ctx, n.ID); return err }},
		{"Import", func() error { _, err := p.Import(ctx, []string{src}, nil); return err }},
		{"Bulk", func() error { return p.Bulk(ctx, []*notes.Note{{Title: "Bulk"}}, nil, nil) }},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got := mustPending(t, p); got != 0 {
			t.Errorf("%s left %d edits pending", step.name, got)
		}
	}
}

// storeOnlyEdits changes items through the store alone, as a process that
// dies between the store's commit and the index batch leaves them: a note's
// body, a source's title (which its quotes' search items carry too), a
// quote's tags, and a note deleted while another is created, so that
// Open's count of items still agrees with the index.
func storeOnlyEdits(t *testing.T, p *project.Project, n *notes.Note, d *notes.Document, q *notes.Quote, gone *notes.Note) {
	t.Helper()
	ctx := context.Background()
	db := p.DB()
	n.Body = "quokka"
	if err := db.SaveNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	d.Title = "Wallaby report"
	if err := db.UpdateDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	q.Tags = []string{"numbat"}
	if err := db.UpdateQuote(ctx, q); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteNote(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateNote(ctx, &notes.Note{Title: "Born in the crash", Body: "bilby"}); err != nil {
		t.Fatal(err)
	}
}

// Edits the index never saw are found on the next open, exactly those
// items, although the count of items agrees; check counts them first when
// asked to leave them, and --repair indexes them.
func TestOutbox_EditsTheIndexNeverSawAreIndexedOnOpen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := MustOpen(t, dir, project.Options{})
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := &docs[0]
	n, err := p.CreateNote(ctx, "Edited", "echidna")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := p.CreateNote(ctx, "Deleted", "dingo")
	if err != nil {
		t.Fatal(err)
	}
	q := &notes.Quote{DocID: d.ID, Start: 0, End: 10}
	if err := p.AddQuote(ctx, q); err != nil {
		t.Fatal(err)
	}
	storeOnlyEdits(t, p, n, d, q, gone)
	p.Close()

	p = MustOpen(t, dir, project.Options{LeaveIndexEdits: true})
	rep, err := p.Check(ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.PendingEdits != 5 {
		t.Fatalf("check before repair: %+v", rep)
	}
	if got := searchIDs(t, p, "quokka"); len(got) != 0 {
		t.Fatalf("the test proves nothing: the index already has the edit (%v)", got)
	}
	rep, err = p.Check(ctx, true, nil)
	if err != nil || !rep.OK() || len(rep.Repaired) != 1 || rep.Repaired[0] != "5 edits not yet in the search index; indexed 5 items again" {
		t.Fatalf("check --repair: %v %+v", err, rep)
	}
	wantFound := func(p *project.Project) {
		t.Helper()
		for q, want := range map[string]int{
			"quokka": 1, "echidna": 0, // the note's new body, not the old
			"dingo": 0, "bilby": 1, // the deleted note and the new one
			"tag:numbat":                    1, // the quote's new tags
			"title:wallaby":                 2, // the source and its quote, under the new title
			`title:"` + docs[1].Title + `"`: 1, // an untouched source
		} {
			if got := searchIDs(t, p, q); len(got) != want {
				t.Errorf("%s: %d hits %v, want %d", q, len(got), got, want)
			}
		}
	}
	wantFound(p)
	if n := mustPending(t, p); n != 0 {
		t.Fatalf("after the repair: %d pending", n)
	}
	p.Close()

	// A plain open does the same by itself.
	p = MustOpen(t, dir, project.Options{})
	n.Body = "wombat"
	if err := p.DB().SaveNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	p.Close()
	p = MustOpen(t, dir, project.Options{})
	if got := searchIDs(t, p, "wombat"); len(got) != 1 || got[0] != n.ID || len(searchIDs(t, p, "quokka")) != 0 {
		t.Fatalf("after a plain open: wombat finds %v", got)
	}
	if rep, err := p.Check(ctx, false, nil); err != nil || !rep.OK() || mustPending(t, p) != 0 {
		t.Fatalf("check after a plain open: %v %+v", err, rep)
	}
}

// More pending edits than Open reindexes at once are left to RepairIndex
// when repairs are deferred (the GUI): searches keep answering meanwhile,
// and the repair reports its progress over exactly those items.
func TestOutbox_ManyPendingEditsAreRepairedInTheBackground(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := MustOpen(t, dir, project.Options{NoSeeds: true})
	const count = 250
	ns := make([]*notes.Note, count)
	for i := range ns {
		ns[i] = &notes.Note{Title: "Note " + string(rune('A'+i%26)) + strings.Repeat("x", i/26)}
	}
	if err := p.Bulk(ctx, ns, nil, nil); err != nil {
		t.Fatal(err)
	}
	p.Close()
	// One statement behind the project's back: 250 edits in one commit.
	db, err := sql.Open("sqlite", filepath.Join(dir, "project.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE notes SET body = 'platypus ' || title`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	p = MustOpen(t, dir, project.Options{DeferIndexRepair: true})
	if !p.IndexNeedsRepair() {
		t.Fatal("250 pending edits are not reported as needing repair")
	}
	if got := searchIDs(t, p, "title:note"); len(got) != count {
		t.Fatalf("search during the pending repair: %d hits, want %d (it must keep answering)", len(got), count)
	}
	var last [2]int
	if err := p.RepairIndex(ctx, func(done, total int) { last = [2]int{done, total} }); err != nil {
		t.Fatal(err)
	}
	if p.IndexNeedsRepair() || last != [2]int{count, count} {
		t.Fatalf("after the repair: needs repair %v, last progress %v", p.IndexNeedsRepair(), last)
	}
	if got := searchIDs(t, p, "platypus"); len(got) != count {
		t.Fatalf("platypus: %d hits after the repair, want %d", len(got), count)
	}
	if mustPending(t, p) != 0 {
		t.Fatal("edits still pending after the repair")
	}
}

// A full rebuild reads every item back from the store, so it leaves no
// edit pending.
func TestOutbox_ReindexClearsIt(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t, t.TempDir(), project.Options{})
	n := &notes.Note{Title: "Behind", Body: "kookaburra"}
	if err := p.DB().CreateNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	if mustPending(t, p) != 1 {
		t.Fatal("a note created behind the index is not pending")
	}
	if err := p.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, p, "kookaburra"); mustPending(t, p) != 0 || len(got) != 1 {
		t.Fatalf("after the rebuild: %d pending, kookaburra finds %v", mustPending(t, p), got)
	}
}
