package project_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"dossier/notes"
	"dossier/project"
)

func TestTagSource_AddsRemovesAndSearches(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := MustOpen(t, dir, project.Options{NoSeeds: true})
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"iwpr.txt":  "IWPR report\n\nOfficials opened the airbase at Kant on October 23, 2003.",
		"other.txt": "Blog\n\nNothing about bases here.",
	})
	d := mustImportOne(t, p, filepath.Join(src, "iwpr.txt"))
	other := mustImportOne(t, p, filepath.Join(src, "other.txt"))

	tagged := func(q string) []string {
		t.Helper()
		res, err := p.Index.Search(ctx, notes.SearchRequest{Query: q, Limit: 10, Snippets: -1})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}

	got, err := p.TagSource(ctx, d.ID, []string{"Kant", " #airbase", "kant", ""}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Kant", "airbase"}; !slices.Equal(got.Tags, want) {
		t.Fatalf("tags = %q, want %q", got.Tags, want)
	}
	if ids := tagged("tag:kant"); !slices.Equal(ids, []string{d.ID}) {
		t.Errorf("tag:kant finds %v, want only the tagged source %s (not %s)", ids, d.ID, other.ID)
	}

	// Adding a tag again in another case changes nothing; removing ignores case.
	if got, err = p.TagSource(ctx, d.ID, []string{"AIRBASE", "russia"}, []string{"KANT"}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"airbase", "russia"}; !slices.Equal(got.Tags, want) {
		t.Fatalf("tags = %q, want %q", got.Tags, want)
	}
	if ids := tagged("tag:kant"); len(ids) != 0 {
		t.Errorf("tag:kant still finds %v after the tag was removed", ids)
	}
	// The tags are stored and survive a reindex from the store.
	if err := p.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if ids := tagged("tag:russia"); !slices.Equal(ids, []string{d.ID}) {
		t.Errorf("after Reindex tag:russia finds %v", ids)
	}
	stored, err := p.Store.Document(ctx, d.ID)
	if err != nil || !slices.Equal(stored.Tags, []string{"airbase", "russia"}) {
		t.Fatalf("stored tags = %v, %v", stored.Tags, err)
	}

	if _, err := p.TagSource(ctx, "no-such-id", []string{"x"}, nil); notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Errorf("tagging a missing source: %v, want ENOTFOUND", err)
	}
}
