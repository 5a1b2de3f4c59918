package project_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"dossier/project"
)

func TestCheck_SoundProjectHasNoProblems(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	rep, err := p.Check(context.Background(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Documents != 5 || rep.Originals != 5 || rep.Indexed != 5 {
		t.Fatalf("seeded project: %+v", rep)
	}
}

func TestCheck_FindsAlteredAndMissingOriginals(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	ctx := context.Background()
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	altered, missing := docs[0], docs[1]
	if err := os.WriteFile(p.Store.OriginalPath(altered.SHA256), []byte("edited behind Dossier's back"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p.Store.OriginalPath(missing.SHA256)); err != nil {
		t.Fatal(err)
	}
	rep, err := p.Check(ctx, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.Problems, "\n")
	if len(rep.Problems) != 2 ||
		!strings.Contains(all, altered.ID) || !strings.Contains(all, "content changed") ||
		!strings.Contains(all, missing.ID) || !strings.Contains(all, "missing") {
		t.Fatalf("problems:\n%s", all)
	}
}

func TestCheck_IndexDisagreementIsReportedThenRepaired(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	ctx := context.Background()
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Index.Delete(ctx, []string{docs[0].ID}); err != nil {
		t.Fatal(err)
	}
	rep, err := p.Check(ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(rep.Problems[0], "holds 4 items where the store has 5") {
		t.Fatalf("without repair: %+v", rep)
	}
	rep, err = p.Check(ctx, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || len(rep.Repaired) != 1 || rep.Indexed != 5 {
		t.Fatalf("with repair: %+v", rep)
	}
	if got := searchIDs(t, p, docs[0].Title); len(got) == 0 {
		t.Fatalf("%q is not found again after the repair", docs[0].Title)
	}
}
