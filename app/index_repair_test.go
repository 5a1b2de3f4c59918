package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"dossier/notes"
	"dossier/project"
	"dossier/store"
)

// TestUI_DeletedIndexIsRebuiltInTheBackground opens a project whose index
// was deleted the way the GUI does (DeferIndexRepair): the window is usable
// at once with the rebuild's progress in the status bar, a search typed
// meanwhile says the index is being rebuilt (never "Search failed"), and
// once the rebuild is done the search shows its hits without being typed
// again.
func TestUI_DeletedIndexIsRebuiltInTheBackground(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	p, err = project.Open(ctx, dir, project.Options{DeferIndexRepair: true})
	if err != nil {
		t.Fatal(err)
	}
	if !p.IndexNeedsRepair() {
		t.Fatal("the deleted index is not reported as needing repair")
	}
	// What a search answers before the rebuild has even started.
	_, busy := p.Index.Search(ctx, notes.SearchRequest{Query: "Manas"})

	a := newTestApp(t)
	l := newUILoop()
	u := New(a, p, Options{do: l.do})
	u.win.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		if err := u.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		u.win.Close()
	})
	if u.Project() != p || !strings.HasPrefix(u.status.Text, "Rebuilding the search index") {
		t.Fatalf("the window is not showing the project with the rebuild under way: status %q", u.status.Text)
	}

	u.query = "Manas"
	u.deliver(searchOutcome{req: notes.SearchRequest{Query: "Manas"}, err: busy})
	if msg := u.bar.message.Text; !strings.Contains(msg, "being rebuilt") || strings.Contains(msg, "failed") {
		t.Fatalf("a search during the rebuild reads %q", msg)
	}

	var hits int
	u.onResults = func(o searchOutcome) { hits = len(o.res.Hits) }
	u.bar.entry.SetText("Manas")
	l.until(t, "the rebuild to finish", func() bool { return u.repair == nil })
	if !strings.HasPrefix(u.status.Text, "Search index rebuilt: 5 items") {
		t.Fatalf("status after the rebuild: %q", u.status.Text)
	}
	l.until(t, "the search to show hits", func() bool { return hits > 0 })
	if u.bar.message.Text != "" {
		t.Fatalf("the search field still says %q", u.bar.message.Text)
	}
}

// Closing the window while the index is being rebuilt cancels the rebuild
// and closes the project; the next open finds the index still to repair,
// or sound, never half-built.
func TestUI_CloseDuringIndexRebuild(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	os.RemoveAll(filepath.Join(dir, "index"))
	p, err = project.Open(ctx, dir, project.Options{DeferIndexRepair: true})
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t)
	l := newUILoop()
	u := New(a, p, Options{do: l.do})
	if err := u.Close(); err != nil {
		t.Fatalf("close during the rebuild: %v", err)
	}
	u.win.Close()
	l.drain()
	p, err = project.Open(ctx, dir, project.Options{})
	if err != nil {
		t.Fatalf("reopening after a cancelled rebuild: %v", err)
	}
	defer p.Close()
	if rep, err := p.Check(ctx, false, nil); err != nil || !rep.OK() {
		t.Fatalf("check after a cancelled rebuild: %v %+v", err, rep)
	}
}

// Edits a crash kept from a sound index, more than Open reindexes at once,
// are caught up in the background: the status bar says the index is being
// brought up to date (not rebuilt), searches answer meanwhile, and at the
// end the edits are found.
func TestUI_IndexCatchUpIsNotCalledARebuild(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ns []*notes.Note
	for i := range 250 {
		ns = append(ns, &notes.Note{Title: fmt.Sprintf("Note %d", i), Body: "wombat"})
	}
	if err := p.Bulk(ctx, ns, nil, nil); err != nil {
		t.Fatal(err)
	}
	p.Close()
	// Saved straight into the store, as a crash between commit and index
	// leaves them: the outbox lists them, the index has the old bodies.
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		n.Body = "platypus"
		if err := s.SaveNote(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	p, err = project.Open(ctx, dir, project.Options{DeferIndexRepair: true})
	if err != nil {
		t.Fatal(err)
	}
	if !p.IndexNeedsRepair() || !p.IndexCatchingUp() {
		t.Fatalf("250 pending edits: needs repair %v, catching up %v", p.IndexNeedsRepair(), p.IndexCatchingUp())
	}
	if res, err := p.Index.Search(ctx, notes.SearchRequest{Query: "Manas"}); err != nil || res.Total == 0 {
		t.Fatalf("a search during the catch-up: %v, %v", res, err)
	}

	a := newTestApp(t)
	l := newUILoop()
	u := New(a, p, Options{do: l.do})
	t.Cleanup(func() {
		if err := u.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		u.win.Close()
	})
	if !strings.HasPrefix(u.status.Text, "Bringing the search index up to date") {
		t.Fatalf("status during the catch-up: %q", u.status.Text)
	}
	l.until(t, "the catch-up to finish", func() bool { return u.repair == nil })
	if !strings.HasPrefix(u.status.Text, "Search index up to date: 255 items") {
		t.Fatalf("status after the catch-up: %q", u.status.Text)
	}
	if res, err := p.Index.Search(ctx, notes.SearchRequest{Query: "platypus"}); err != nil || res.Total != 250 {
		t.Fatalf("platypus after the catch-up: %v, %v", res, err)
	}
}
