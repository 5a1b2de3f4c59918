package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/notes"
)

func TestOpen_ReopenKeepsEverything(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	src := &texts{}
	ix, err := Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	MustIndex(t, ix, src, corpus()...)
	before := MustSearch(t, ix, notes.SearchRequest{Query: "kant"})
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	ix, err = Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 4 {
		t.Fatalf("count after reopen %d", n)
	}
	after := MustSearch(t, ix, notes.SearchRequest{Query: "kant"})
	before.Took, after.Took = 0, 0
	if len(before.Hits) != len(after.Hits) || len(after.Hits) != 3 {
		t.Fatalf("hits before %d, after %d", len(before.Hits), len(after.Hits))
	}
	for i := range before.Hits {
		b, a := before.Hits[i], after.Hits[i]
		if b.ID != a.ID || b.Title != a.Title || b.Published != a.Published || b.Score != a.Score ||
			len(b.Snippets) != len(a.Snippets) {
			t.Fatalf("hit %d before %+v, after %+v", i, b, a)
		}
	}
	if got := find(t, ix, `"operational since 2017" +year:2017 +grade:c3`); !same(got, set("rferl")) {
		t.Fatalf("after reopen: %v", got)
	}
}

func TestOpen_CreatesMissingFolders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", "index")
	ix, err := Open(dir, &texts{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// An empty folder is a new index too.
	empty := t.TempDir()
	ix, err = Open(empty, &texts{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}

// damage writes garbage over the files of the index that match.
func damage(tb testing.TB, dir string, match func(name string) bool) int {
	tb.Helper()
	n := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && match(d.Name()) {
			if err := os.WriteFile(path, []byte("garbage, as a torn write might leave"), 0o644); err != nil {
				tb.Fatal(err)
			}
			n++
		}
		return nil
	})
	return n
}

func TestOpen_DamagedIndexIsErrCorrupt(t *testing.T) {
	for _, tc := range []struct {
		name  string
		match func(string) bool
	}{
		{"root.bolt", func(n string) bool { return n == "root.bolt" }},
		{"index_meta.json", func(n string) bool { return n == "index_meta.json" }},
		{"segments", func(n string) bool { return strings.HasSuffix(n, ".zap") }},
		{"every file", func(string) bool { return true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			src := &texts{}
			ix, err := Open(dir, src)
			if err != nil {
				t.Fatal(err)
			}
			MustIndex(t, ix, src, corpus()...)
			ix.Close()
			if damage(t, dir, tc.match) == 0 {
				t.Fatalf("no file matched")
			}
			start := time.Now()
			ix, err = Open(dir, src)
			if err == nil {
				ix.Close()
				t.Fatal("a damaged index opened")
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err %v, want ErrCorrupt", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %v to notice", d)
			}
			// The caller's remedy works: delete and open again.
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			ix, err = Open(dir, src)
			if err != nil {
				t.Fatal(err)
			}
			ix.Close()
		})
	}
}

func TestOpen_FolderWithoutIndexIsErrCorrupt(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "stray"), []byte("x"), 0o644)
	if _, err := Open(dir, &texts{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err %v, want ErrCorrupt", err)
	}
}

func TestOpen_HeldIndexFailsInsteadOfHanging(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	first, err := Open(dir, &texts{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	start := time.Now()
	second, err := Open(dir, &texts{})
	if err == nil {
		second.Close()
		t.Fatal("opened an index another Index holds")
	}
	if d := time.Since(start); d > openTimeout+3*time.Second {
		t.Fatalf("gave up after %v", d)
	}
	if !errors.Is(err, notes.ErrLocked) || errors.Is(err, ErrCorrupt) {
		t.Fatalf("err %v, want ErrLocked and not ErrCorrupt", err)
	}
	if notes.ErrorKind(err) != notes.ECONFLICT {
		t.Fatalf("kind %s", notes.ErrorKind(err))
	}
	// The first one is unharmed.
	if _, err := first.Search(context.Background(), notes.SearchRequest{}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRebuild_ReplacesTheIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	src := &texts{}
	ix, err := Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	MustIndex(t, ix, src, seq("old", 10)...)
	ix.Close()

	ix, err = OpenRebuild(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	MustIndex(t, ix, src, corpus()...)
	MustIndex(t, ix, src, seq("new", 2500)...)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 2504 {
		t.Fatalf("count %d, want 2504", n)
	}
	if got := find(t, ix, "old0001"); len(got) != 0 {
		t.Fatalf("old documents survived the rebuild: %v", got)
	}
	if got := len(find(t, ix, "harbour")); got != 2500 {
		t.Fatalf("harbour in %d documents", got)
	}
	// Written with the safe configuration: a batch is on disk on return.
	MustIndex(t, ix, src, seq("later", 3)...)
	if got := len(find(t, ix, "later0002")); got != 1 {
		t.Fatalf("indexing after a rebuild: %d", got)
	}
}

func TestOpenRebuild_UnfinishedRebuildIsErrCorrupt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	src := &texts{}
	ix, err := OpenRebuild(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	MustIndex(t, ix, src, corpus()...)
	// A crash: Bleve is closed without the rebuild being finished.
	for _, s := range ix.shards {
		s.idx.Close()
	}
	if _, err := Open(dir, src); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err %v, want ErrCorrupt", err)
	}
}
