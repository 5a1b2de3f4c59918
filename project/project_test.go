package project_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"dossier/notes"
	"dossier/project"
)

// MustOpen opens (creating) a project in a temporary folder.
func MustOpen(tb testing.TB, dir string, opts project.Options) *project.Project {
	tb.Helper()
	p, err := project.Open(context.Background(), dir, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", dir, err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// writeFiles creates files under dir from name → content.
func writeFiles(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

func searchIDs(tb testing.TB, p *project.Project, q string) []string {
	tb.Helper()
	res, err := p.Index.Search(context.Background(), notes.SearchRequest{Query: q, Limit: 1000, Snippets: -1})
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	// Ties in score may come back in either order: compare as sets.
	sort.Strings(ids)
	return ids
}

func TestOpen_NewProjectIsSeededAndSearchable(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	ctx := context.Background()
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 5 {
		t.Fatalf("seeded project has %d documents, want 5", len(docs))
	}
	byFile := map[string]notes.Document{}
	for _, d := range docs {
		byFile[filepath.Base(d.OriginalName)[:3]] = d
	}
	if got := byFile["002"].Author; got != "Leila Saralaeva" {
		t.Errorf("002 author=%q", got)
	}
	if got := byFile["003"].Published.String(); got != "2023-10-11" {
		t.Errorf("003 published=%q", got)
	}
	if got := byFile["000"].Published.Precision; got != notes.PrecisionUnknown {
		t.Errorf("000 precision=%v, want unknown", got)
	}
	if n, _ := p.Index.Count(); n != 5 {
		t.Fatalf("index holds %d items, want 5", n)
	}
	if ids := searchIDs(t, p, `"operational since 2017"`); len(ids) != 1 || ids[0] != byFile["001"].ID {
		t.Fatalf("phrase search found %v, want only 001", ids)
	}
	if !p.Store.HasOriginal(byFile["002"].SHA256) {
		t.Fatal("original of a seed is not kept")
	}
}

func TestOpen_NoSeedsCreatesEmptyProject(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	if n, _ := p.Store.CountDocuments(context.Background()); n != 0 {
		t.Fatalf("got %d documents, want 0", n)
	}
}

func TestOpen_SeedsOnlyOnCreation(t *testing.T) {
	dir := t.TempDir()
	p, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	p = MustOpen(t, dir, project.Options{})
	if n, _ := p.Store.CountDocuments(context.Background()); n != 0 {
		t.Fatalf("an existing project must not be seeded again; got %d documents", n)
	}
}

// TestHelperHoldLock is not a test: the lock test runs it in a second
// process, which opens the project and reports what happened.
func TestHelperHoldLock(t *testing.T) {
	dir := os.Getenv("DOSSIER_TEST_LOCK_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	_, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
	if err == nil {
		fmt.Println("OPENED")
		return
	}
	fmt.Printf("LOCKED=%v ERR=%s\n", errors.Is(err, notes.ErrLocked), err)
}

func TestOpen_SecondProcessIsRefusedWithHolder(t *testing.T) {
	dir := t.TempDir()
	MustOpen(t, dir, project.Options{NoSeeds: true})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$", "-test.v")
	cmd.Env = append(os.Environ(), "DOSSIER_TEST_LOCK_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	s := string(out)
	if strings.Contains(s, "OPENED") || !strings.Contains(s, "LOCKED=true") {
		t.Fatalf("second process was not refused:\n%s", s)
	}
	if !strings.Contains(s, fmt.Sprint(os.Getpid())) || !strings.Contains(s, dir) {
		t.Fatalf("refusal must name the project and the holding pid %d:\n%s", os.Getpid(), s)
	}
}

func TestOpen_AfterCloseTheLockIsFree(t *testing.T) {
	dir := t.TempDir()
	p, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := project.Open(context.Background(), dir, project.Options{}); !errors.Is(err, notes.ErrLocked) {
		t.Fatalf("second open in the same process: err=%v, want ErrLocked", err)
	}
	p.Close()
	MustOpen(t, dir, project.Options{})
}

var corpus = map[string]string{
	"a/one.txt":         "Harbour report\n\nThe harbour master counted forty ships in the outer harbour.\n",
	"a/two.md":          "# Grain prices\n\nGrain prices rose sharply after the harbour closed.\n",
	"a/b/three.txt":     "Weather log\n\nStorms closed the harbour for three days in March.\n",
	"a/b/four.html":     "<html><head><title>Mill fire</title></head><body><nav>Home | About</nav><article><h1>Mill fire</h1><p>The old mill burned down on the night of the storm, witnesses said.</p></article><script>var x=1</script></body></html>",
	"a/empty.txt":       "",
	"a/garbage.txt":     "\x00\x01\x02\x03binary\x00\x00",
	"a/unsupported.xyz": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
}

func TestImport_ReportsEachFileAndSkipsDuplicates(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, corpus)
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	var last project.ImportProgress
	rep, err := p.Import(ctx, []string{filepath.Join(src, "a")}, func(ip project.ImportProgress) { last = ip })
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 4 {
		t.Fatalf("imported %d, want 4: %+v", len(rep.Imported), rep)
	}
	if len(rep.Failed) < 2 {
		t.Fatalf("empty and binary files must be reported as failed: %+v", rep.Failed)
	}
	for _, f := range rep.Failed {
		if f.Reason == "" || f.Path == "" {
			t.Fatalf("failure without path or reason: %+v", f)
		}
	}
	if last.Done != last.Total || last.Total == 0 {
		t.Fatalf("last progress %+v, want done == total", last)
	}
	if got := searchIDs(t, p, "harbour"); len(got) != 3 {
		t.Fatalf("harbour found in %d documents, want 3", len(got))
	}
	if got := searchIDs(t, p, "navigation OR nav OR script"); len(got) != 0 {
		t.Fatalf("HTML menus/scripts were indexed: %v", got)
	}

	rep2, err := p.Import(ctx, []string{src}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.Imported) != 0 || len(rep2.Skipped) != 4 {
		t.Fatalf("second import: imported %d skipped %d, want 0 and 4", len(rep2.Imported), len(rep2.Skipped))
	}
	if n, _ := p.Store.CountDocuments(ctx); n != 4 {
		t.Fatalf("store has %d documents after re-import, want 4", n)
	}
}

func TestImport_MissingPathIsReportedNotFatal(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"ok.txt": "Fine\n\nA fine text."})
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	rep, err := p.Import(context.Background(), []string{filepath.Join(src, "nope.txt"), filepath.Join(src, "ok.txt")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 1 || len(rep.Failed) != 1 {
		t.Fatalf("got %+v", rep)
	}
}

func TestIndex_DeletingItLosesNothing(t *testing.T) {
	dir := t.TempDir()
	src := t.TempDir()
	writeFiles(t, src, corpus)
	p, err := project.Open(context.Background(), dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(context.Background(), []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	queries := []string{"harbour", `"air base"`, "kant -manas", "title:grain", "stor*"}
	before := map[string][]string{}
	for _, q := range queries {
		before[q] = searchIDs(t, p, q)
	}
	p.Close()

	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	p = MustOpen(t, dir, project.Options{})
	for _, q := range queries {
		if got := searchIDs(t, p, q); fmt.Sprint(got) != fmt.Sprint(before[q]) {
			t.Errorf("%s: after rebuild %v, before %v", q, got, before[q])
		}
	}
}

func TestIndex_DamagedIndexIsRebuiltOnOpen(t *testing.T) {
	dir := t.TempDir()
	p, err := project.Open(context.Background(), dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	// Overwrite every file of the index with garbage, as a torn write might.
	filepath.WalkDir(filepath.Join(dir, "index"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.WriteFile(path, []byte("garbage"), 0o644)
		}
		return nil
	})
	p = MustOpen(t, dir, project.Options{})
	if got := searchIDs(t, p, "Kant"); len(got) < 4 {
		t.Fatalf("after rebuild Kant found in %d docs", len(got))
	}
}

func TestReindex_KeepsResults(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	before := searchIDs(t, p, "airbase")
	var calls int
	if err := p.Reindex(context.Background(), func(done, total int) { calls++ }); err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Fatal("reindex reported no progress")
	}
	if got := searchIDs(t, p, "airbase"); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("after reindex %v, before %v", got, before)
	}
}

func TestImport_CancelKeepsStoreAndIndexInAgreement(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{}
	for i := range 3000 {
		files[fmt.Sprintf("d%02d/f%05d.txt", i/100, i)] = fmt.Sprintf("Document %d\n\nThe ledger entry number %d mentions the harbour.\n", i, i)
	}
	writeFiles(t, src, files)
	dir := t.TempDir()
	p, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rep, err := p.Import(ctx, []string{src}, func(ip project.ImportProgress) {
		if ip.Done >= 700 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err=%v, want context.Canceled", err)
	}
	n, _ := p.Store.CountDocuments(context.Background())
	idx, _ := p.Index.Count()
	if uint64(n) != idx {
		t.Fatalf("after cancel the store has %d documents and the index %d", n, idx)
	}
	if n != len(rep.Imported) || n == 0 || n == 3000 {
		t.Fatalf("store has %d, report says %d imported (of 3000)", n, len(rep.Imported))
	}
	p.Close()
	p = MustOpen(t, dir, project.Options{})
	res, err := p.Index.Search(context.Background(), notes.SearchRequest{Query: "ledger"})
	if err != nil || res.Total != uint64(n) {
		t.Fatalf("after reopen ledger found %v (%v), want %d", res.Total, err, n)
	}
}

func TestSearch_NoFacetsSkipsOnlyTheFacets(t *testing.T) {
	p := MustOpen(t, t.TempDir(), project.Options{})
	ctx := context.Background()
	with, err := p.Index.Search(ctx, notes.SearchRequest{Query: "kant"})
	if err != nil {
		t.Fatal(err)
	}
	without, err := p.Index.Search(ctx, notes.SearchRequest{Query: "kant", NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(with.Facets) == 0 || len(without.Facets) != 0 {
		t.Fatalf("facets with=%v without=%v", with.Facets, without.Facets)
	}
	if with.Total != without.Total || len(with.Hits) != len(without.Hits) {
		t.Fatalf("NoFacets changed the hits: %d/%d vs %d/%d", with.Total, len(with.Hits), without.Total, len(without.Hits))
	}
	for i := range with.Hits {
		if with.Hits[i].ID != without.Hits[i].ID || len(with.Hits[i].Snippets) != len(without.Hits[i].Snippets) {
			t.Fatalf("hit %d differs", i)
		}
	}
}
