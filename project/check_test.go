package project_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"dossier/notes"
	"dossier/project"
	"dossier/store"
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
	// The seeds' originals share one pack: the first one in it is
	// altered, the last one cut short.
	st := p.Store.(*store.Store)
	var pack string
	var altered, cut notes.Document
	var first, last int64 = math.MaxInt64, -1
	for _, d := range docs {
		path, off, _, err := st.OriginalLocation(d.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		pack = path
		if off < first {
			first, altered = off, d
		}
		if off > last {
			last, cut = off, d
		}
	}
	f, err := os.OpenFile(pack, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("edited behind Dossier's back"), first); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(last + 10); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rep, err := p.Check(ctx, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.Problems, "\n")
	if len(rep.Problems) != 2 ||
		!strings.Contains(all, altered.ID) || !strings.Contains(all, "content changed") ||
		!strings.Contains(all, cut.ID) || !strings.Contains(all, "cut short") {
		t.Fatalf("problems:\n%s", all)
	}

	if err := os.Remove(pack); err != nil {
		t.Fatal(err)
	}
	if rep, err = p.Check(ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	if all := strings.Join(rep.Problems, "\n"); len(rep.Problems) != len(docs) || strings.Count(all, "missing") != len(docs) {
		t.Fatalf("with the pack gone, problems:\n%s", all)
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

// TestCheck_FindsQuotesAndLinksThatNoLongerHold breaks rows behind the
// store's back (as a crash, a bug or a hand edit could) and expects each
// to be reported with its item's id, while sound quotes and links are not.
func TestCheck_FindsQuotesAndLinksThatNoLongerHold(t *testing.T) {
	dir := t.TempDir()
	p := MustOpen(t, dir, project.Options{})
	ctx := context.Background()
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	var qs []*notes.Quote
	for i := range 4 {
		q := &notes.Quote{DocID: d.ID, Start: 10 * i, End: 10*i + 8}
		if err := p.AddQuote(ctx, q); err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	if _, err := p.CreateNote(ctx, "Target", ""); err != nil {
		t.Fatal(err)
	}
	from, err := p.CreateNote(ctx, "From", "See [[Target]], [[source:"+d.ID+"]], [[quote:"+qs[3].ID+"]] and [[Nowhere]].")
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := p.Check(ctx, false, nil); err != nil || !rep.OK() {
		t.Fatalf("before breaking anything: %v %+v", err, rep)
	}

	db, err := sql.Open("sqlite", filepath.Join(dir, "project.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE quotes SET exact = 'not what the source says' WHERE id = '` + qs[0].ID + `'`,
		`UPDATE quotes SET start = 1000000, "end" = 1000005 WHERE id = '` + qs[1].ID + `'`,
		// An orphaned quote's text is expected to differ: not a problem.
		`UPDATE quotes SET exact = 'gone', orphaned = 1 WHERE id = '` + qs[2].ID + `'`,
		// As if the note had been deleted without its links being updated.
		`UPDATE links SET target_id = 'no-such-note' WHERE from_id = '` + from.ID + `' AND ord = 0`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rep, err := p.Check(ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.Problems, "\n")
	for _, want := range []string{
		"quote " + qs[0].ID + ": the source " + d.ID + " reads",
		"quote " + qs[1].ID + ": offsets 1000000–1000005 lie outside",
		"link 1 of note " + from.ID + ": its target note no-such-note does not exist",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing problem %q in:\n%s", want, all)
		}
	}
	if strings.Contains(all, qs[2].ID) || strings.Contains(all, qs[3].ID) || strings.Contains(all, "source "+d.ID+" does not") {
		t.Errorf("a sound or orphaned item is reported:\n%s", all)
	}
	if len(rep.Problems) != 3 {
		t.Errorf("%d problems, want 3:\n%s", len(rep.Problems), all)
	}
	// The three quotes changed behind the index's back.
	if rep.PendingEdits != 3 {
		t.Errorf("%d pending edits, want 3", rep.PendingEdits)
	}
}
