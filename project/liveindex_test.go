package project_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossier/notes"
	"dossier/project"
)

// TestOpen_DeferIndexRepair_OpensAtOnceThenRepairsInTheBackground: with
// the index deleted, a deferred open returns without rebuilding it;
// searches meanwhile say the index is being rebuilt; a note saved
// meanwhile is in the repaired index; and the CLI's plain open still
// rebuilds before returning.
func TestOpen_DeferIndexRepair_OpensAtOnceThenRepairsInTheBackground(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := MustOpen(t, dir, project.Options{})
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}

	p, err := project.Open(ctx, dir, project.Options{DeferIndexRepair: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if !p.IndexNeedsRepair() {
		t.Fatal("a deleted index is not reported as needing repair")
	}
	_, err = p.Index.Search(ctx, notes.SearchRequest{Query: "Manas"})
	if notes.ErrorKind(err) != project.EBUSY {
		t.Fatalf("search before the repair: %v, want a %q error", err, project.EBUSY)
	}
	n, err := p.CreateNote(ctx, "Written while rebuilding", "zanzibar")
	if err != nil {
		t.Fatalf("saving a note before the repair: %v", err)
	}
	var last [2]int
	if err := p.RepairIndex(ctx, func(done, total int) { last = [2]int{done, total} }); err != nil {
		t.Fatal(err)
	}
	if p.IndexNeedsRepair() || last[0] != last[1] || last[1] != 6 {
		t.Fatalf("after the repair: needs repair %v, last progress %v (want 6 of 6)", p.IndexNeedsRepair(), last)
	}
	if got := searchIDs(t, p, "zanzibar"); len(got) != 1 || got[0] != n.ID {
		t.Fatalf("the note saved during the rebuild is not found: %v", got)
	}
	if got := searchIDs(t, p, "Manas"); len(got) == 0 {
		t.Fatal("the sources are not found after the repair")
	}
	if rep, err := p.Check(ctx, false, nil); err != nil || !rep.OK() {
		t.Fatalf("check after the repair: %v %+v", err, rep)
	}
	p.Close()

	// Without the option, the rebuild happens inside Open.
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	p = MustOpen(t, dir, project.Options{})
	if p.IndexNeedsRepair() || len(searchIDs(t, p, "zanzibar")) != 1 {
		t.Fatal("a plain Open did not rebuild the deleted index")
	}
}

// A sound index needs no repair even when deferring is asked for.
func TestOpen_DeferIndexRepair_SoundIndexIsUsedAsIs(t *testing.T) {
	dir := t.TempDir()
	MustOpen(t, dir, project.Options{}).Close()
	p, err := project.Open(context.Background(), dir, project.Options{DeferIndexRepair: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.IndexNeedsRepair() || len(searchIDs(t, p, "Manas")) == 0 {
		t.Fatal("a sound index is not used at once")
	}
}

// An edit the store committed but the index never learnt (the process died
// in between) is invisible to Open's count of items: the store's outbox
// makes the next open index it. MarkIndexStale, set before such a commit,
// makes the next open rebuild the index, and check reports the mark.
func TestMarkIndexStale_NextOpenRebuilds(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := MustOpen(t, dir, project.Options{})
	n, err := p.CreateNote(ctx, "Edited", "before")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(body string) {
		// Through the store alone, as a merge's transaction writes.
		n.Body = body
		if err := p.Notes().SaveNote(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	edit("quokka")
	p.Close()
	p = MustOpen(t, dir, project.Options{})
	if got := searchIDs(t, p, "quokka"); len(got) != 1 || got[0] != n.ID {
		t.Fatalf("after reopening, the edit the index was never given is not found: %v", got)
	}

	if err := p.MarkIndexStale(); err != nil {
		t.Fatal(err)
	}
	edit("wombat")
	if rep, err := p.Check(ctx, false, nil); err != nil || rep.OK() || !strings.Contains(rep.Problems[0], "may lag behind") {
		t.Fatalf("check with the mark set: %v %+v", err, rep)
	}
	p.Close()
	p = MustOpen(t, dir, project.Options{})
	if got := searchIDs(t, p, "wombat"); len(got) != 1 || got[0] != n.ID {
		t.Fatalf("after reopening a project marked stale, the edit is not found: %v", got)
	}
	if rep, err := p.Check(ctx, false, nil); err != nil || !rep.OK() {
		t.Fatalf("check after the rebuild: %v %+v", err, rep)
	}
}
