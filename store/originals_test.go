package store_test

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dossier/notes"
	"dossier/store"
)

func original(text string) notes.Original {
	return notes.Original{SHA256: shaOf(text), Data: []byte(text)}
}

func packPath(dir string, n int) string {
	return filepath.Join(dir, store.FilesDir, store.PacksDir, fmt.Sprintf("%06d.tar", n))
}

// readPack reads a pack as tar does, into name → content.
func readPack(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]string{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			t.Fatalf("reading %s as tar: %v", path, err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("reading %s as tar: %v", path, err)
		}
		if _, dup := got[h.Name]; dup {
			t.Errorf("%s holds %s twice", path, h.Name)
		}
		got[h.Name] = string(b)
	}
}

func mustRead(t *testing.T, s *store.Store, sha string) string {
	t.Helper()
	b, err := s.ReadOriginal(sha)
	if err != nil {
		t.Fatalf("original %s: %v", sha, err)
	}
	return string(b)
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestPutOriginals_KeepsEachOnceInATarPack(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	var files []notes.Original
	for i := range 50 {
		files = append(files, original(fmt.Sprintf("original number %d", i)))
	}
	files = append(files, files[3]) // a duplicate inside the batch
	if err := s.PutOriginals(files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if got := mustRead(t, s, f.SHA256); got != string(f.Data) {
			t.Fatalf("original %s = %q, want %q", f.SHA256, got, f.Data)
		}
	}
	// files/ holds one pack, which tar reads back as ab/<sha> files.
	entries, _ := os.ReadDir(filepath.Join(dir, store.FilesDir, store.PacksDir))
	if len(entries) != 1 {
		t.Fatalf("packs: %v, want one", entries)
	}
	pack := packPath(dir, 1)
	got := readPack(t, pack)
	if len(got) != 50 {
		t.Fatalf("pack holds %d files, want 50", len(got))
	}
	for _, f := range files {
		if got[f.SHA256[:2]+"/"+f.SHA256] != string(f.Data) {
			t.Fatalf("pack's %s = %q", f.SHA256, got[f.SHA256[:2]+"/"+f.SHA256])
		}
	}

	// Kept already: a second put, and one after reopening, add nothing.
	before := size(t, pack)
	if err := s.PutOriginals(files); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = MustOpenDir(t, dir)
	if err := s.PutOriginals(files[:10]); err != nil {
		t.Fatal(err)
	}
	if after := size(t, pack); after != before {
		t.Fatalf("pack grew from %d to %d bytes on a second put", before, after)
	}
	// A new one after reopening goes after the others.
	extra := original("one more, after reopening")
	if err := s.PutOriginals([]notes.Original{extra}); err != nil {
		t.Fatal(err)
	}
	if got := readPack(t, pack); len(got) != 51 || got[extra.SHA256[:2]+"/"+extra.SHA256] != string(extra.Data) {
		t.Fatalf("pack after reopening holds %d files", len(got))
	}
	if mustRead(t, s, files[49].SHA256) != string(files[49].Data) {
		t.Fatal("an earlier original changed")
	}
}

func TestPutOriginals_RejectsBadSHA(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	good := shaOf("x")
	for _, tc := range []struct{ name, sha string }{
		{"empty", ""},
		{"short", good[:63]},
		{"long", good + "0"},
		{"upper case", strings.ToUpper(good)},
		{"not hex", "g" + good[1:]},
		{"path traversal", "../../../../../../../../../../../../../../../../../../../etc/passwd"},
		{"separator", good[:30] + "/" + good[31:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.PutOriginals([]notes.Original{{SHA256: tc.sha, Data: []byte("x")}})
			if got := notes.ErrorKind(err); got != notes.EINVALID {
				t.Fatalf("PutOriginals(%q) kind=%s (err %v), want %s", tc.sha, got, err, notes.EINVALID)
			}
			if _, err := s.OpenOriginal(tc.sha); notes.ErrorKind(err) != notes.EINVALID {
				t.Fatalf("OpenOriginal(%q): %v, want %s", tc.sha, err, notes.EINVALID)
			}
		})
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, store.FilesDir)); len(entries) != 0 {
		t.Fatalf("files/ holds %v after only bad puts", entries)
	}
}

func TestPutOriginals_RejectsContentThatDoesNotMatchItsHash(t *testing.T) {
	s := MustOpen(t)
	sha := shaOf("what the importer read")
	good := original("a good one in the same batch")
	err := s.PutOriginals([]notes.Original{good, {SHA256: sha, Data: []byte("something else")}})
	if got := notes.ErrorKind(err); got != notes.EINVALID {
		t.Fatalf("kind=%s (err %v), want %s", got, err, notes.EINVALID)
	}
	if s.HasOriginal(sha) || s.HasOriginal(good.SHA256) {
		t.Fatal("a batch with a mismatched original was kept in part")
	}
	if _, err := s.OpenOriginal(sha); notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Fatalf("OpenOriginal: %v, want %s", err, notes.ENOTFOUND)
	}
}

func TestPutOriginals_ConcurrentPutsKeepEveryOriginalOnce(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	same := original("same bytes from two imports")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			errs <- s.PutOriginals([]notes.Original{same, original(fmt.Sprintf("import %d's own", i))})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := mustRead(t, s, same.SHA256); got != string(same.Data) {
		t.Fatalf("original=%q", got)
	}
	if got := readPack(t, packPath(dir, 1)); len(got) != 9 {
		t.Fatalf("pack holds %d files, want 9", len(got))
	}
	if n := store.InFlight(s); n != 0 {
		t.Fatalf("%d originals still in flight", n)
	}
}

// A bundle's load keeps originals in its transaction while an import keeps
// its own: neither waits for the other forever.
func TestPutOriginals_DuringALoad(t *testing.T) {
	s := MustOpen(t)
	lt, err := s.BeginLoad(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer lt.Rollback()
	loaded, imported, later := original("from the bundle"), original("from an import"), original("more from the bundle")
	if err := lt.PutOriginals([]notes.Original{loaded}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.PutOriginals([]notes.Original{imported}) }()
	time.Sleep(50 * time.Millisecond) // the import is waiting by now
	loadDone := make(chan error, 1)
	go func() { loadDone <- lt.PutOriginals([]notes.Original{later}) }()
	select {
	case err := <-loadDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the load's second put waited for the import, which waits for the load")
	}
	if err := lt.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, f := range []notes.Original{loaded, imported, later} {
		if mustRead(t, s, f.SHA256) != string(f.Data) {
			t.Fatalf("original %q not kept", f.Data)
		}
	}
}

// Two puts may record their originals in the other order than they
// appended them: what the later append wrote must survive the earlier
// one's commit and a reopening.
func TestPutOriginals_CommitsOutOfOrder(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	first, second := original("appended first, recorded last"), original("appended second, recorded first")
	secondDone := make(chan struct{})
	var calls sync.Mutex
	n := 0
	store.SetAfterAppend(t, func() {
		calls.Lock()
		n++
		me := n
		calls.Unlock()
		if me == 1 {
			<-secondDone
		}
	})
	done := make(chan error, 1)
	go func() { done <- s.PutOriginals([]notes.Original{first}) }()
	for {
		calls.Lock()
		started := n == 1
		calls.Unlock()
		if started {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.PutOriginals([]notes.Original{second}); err != nil {
		t.Fatal(err)
	}
	close(secondDone)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = MustOpenDir(t, dir)
	third := original("after reopening")
	if err := s.PutOriginals([]notes.Original{third}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []notes.Original{first, second, third} {
		if got := mustRead(t, s, f.SHA256); got != string(f.Data) {
			t.Fatalf("original %q reads %q", f.Data, got)
		}
	}
	if got := readPack(t, packPath(dir, 1)); len(got) != 3 {
		t.Fatalf("pack holds %d files, want 3", len(got))
	}
}

// A put that shares another put's original and then fails lets go of it:
// once both are over, nothing stays in flight.
func TestPutOriginals_FailingPutLetsGoOfSharedOriginals(t *testing.T) {
	s := MustOpen(t)
	shared := original("appended by the first put")
	paused, resume := make(chan struct{}), make(chan struct{})
	var once sync.Once
	store.SetAfterAppend(t, func() {
		once.Do(func() {
			close(paused)
			<-resume
		})
	})
	done := make(chan error, 1)
	go func() { done <- s.PutOriginals([]notes.Original{shared}) }()
	<-paused
	bad := notes.Original{SHA256: shaOf("what the importer read"), Data: []byte("something else")}
	if err := s.PutOriginals([]notes.Original{shared, bad}); notes.ErrorKind(err) != notes.EINVALID {
		t.Fatalf("mismatched original: %v, want %s", err, notes.EINVALID)
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := store.InFlight(s); n != 0 {
		t.Fatalf("%d originals still in flight", n)
	}
	if mustRead(t, s, shared.SHA256) != string(shared.Data) {
		t.Fatal("shared original not kept")
	}
}

// What a crash leaves, bytes appended after the last recorded original,
// is cut off by the next put, so the pack stays one tar archive.
func TestPutOriginals_CutsOffWhatACrashedPutLeft(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	first := original("kept before the crash")
	if err := s.PutOriginals([]notes.Original{first}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	pack := packPath(dir, 1)
	f, err := os.OpenFile(pack, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Longer than what the next put writes.
	if _, err := f.WriteString(strings.Repeat("an original that never got its row ", 200)); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s = MustOpenDir(t, dir)
	second := original("kept after the crash")
	if err := s.PutOriginals([]notes.Original{second}); err != nil {
		t.Fatal(err)
	}
	got := readPack(t, pack)
	if len(got) != 2 || got[second.SHA256[:2]+"/"+second.SHA256] != string(second.Data) {
		t.Fatalf("pack after the crash holds %v", got)
	}
	if mustRead(t, s, first.SHA256) != string(first.Data) || mustRead(t, s, second.SHA256) != string(second.Data) {
		t.Fatal("originals changed")
	}
}

// An original whose pack went missing is kept again by the next import of
// it; a pack cut short is reported, not read as a shorter file. Either way
// new originals go to a new pack, so that no row names bytes written after
// it.
func TestOriginals_MissingOrCutPacks(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	d := newDoc(1)
	orig := notes.Original{SHA256: d.SHA256, Data: []byte(d.Text)}
	if err := s.PutOriginals([]notes.Original{orig}); err != nil {
		t.Fatal(err)
	}
	MustAdd(t, s, d)
	s.Close()
	pack := packPath(dir, 1)
	cutAt := size(t, pack) - 600
	if err := os.Truncate(pack, cutAt); err != nil {
		t.Fatal(err)
	}
	s = MustOpenDir(t, dir)
	_, err := s.OpenOriginal(d.SHA256)
	if notes.ErrorKind(err) != notes.EINVALID || !strings.Contains(err.Error(), "files/packs/000001.tar is cut short") {
		t.Fatalf("cut pack: %v", err)
	}
	other := original("imported after the pack was cut")
	if err := s.PutOriginals([]notes.Original{other}); err != nil {
		t.Fatal(err)
	}
	if size(t, pack) != cutAt || len(readPack(t, packPath(dir, 2))) != 1 {
		t.Fatal("a new original went into the cut pack")
	}
	s.Close()

	for _, n := range []int{1, 2} {
		if err := os.Remove(packPath(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	s = MustOpenDir(t, dir)
	if _, err := s.OpenOriginal(d.SHA256); notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Fatalf("missing pack: %v, want %s", err, notes.ENOTFOUND)
	}
	if s.HasOriginal(d.SHA256) {
		t.Fatal("HasOriginal with its pack gone")
	}
	if err := s.PutOriginals([]notes.Original{orig}); err != nil {
		t.Fatal(err)
	}
	if got := mustRead(t, s, d.SHA256); got != d.Text {
		t.Fatalf("missing original not put back: %q", got)
	}
	if _, err := s.OpenOriginal(other.SHA256); notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Fatalf("an original of a deleted pack: %v, want %s", err, notes.ENOTFOUND)
	}
	if len(readPack(t, packPath(dir, 3))) != 1 {
		t.Fatal("the put-back original is not in a new pack")
	}
}

func TestPutOriginals_StartsANewPackWhenTheLastIsFull(t *testing.T) {
	store.SetPackLimit(t, 4096)
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	var all []notes.Original
	for i := range 6 {
		batch := []notes.Original{original(strings.Repeat(fmt.Sprint(i), 1500))}
		all = append(all, batch...)
		if err := s.PutOriginals(batch); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = MustOpenDir(t, dir)
	last := original("after reopening")
	all = append(all, last)
	if err := s.PutOriginals([]notes.Original{last}); err != nil {
		t.Fatal(err)
	}
	// 2,048 bytes an entry: two fill a pack.
	total := 0
	for n := 1; n <= 4; n++ {
		got := readPack(t, packPath(dir, n))
		if len(got) == 0 || len(got) > 2 {
			t.Fatalf("pack %d holds %d files", n, len(got))
		}
		total += len(got)
	}
	if _, err := os.Stat(packPath(dir, 5)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a fifth pack: %v", err)
	}
	if total != len(all) {
		t.Fatalf("packs hold %d files, want %d", total, len(all))
	}
	for _, f := range all {
		if mustRead(t, s, f.SHA256) != string(f.Data) {
			t.Fatalf("original %s changed", f.SHA256)
		}
	}
}

// Projects of schema 7 and before keep each original in a file of its
// own: those are read where they are and not copied into a pack, while a
// stray file no document names (an interrupted import's) is not trusted.
func TestOriginals_FilesOfTheirOwnFromOlderProjects(t *testing.T) {
	dir := t.TempDir()
	s := MustOpenDir(t, dir)
	d := newDoc(1)
	MustAdd(t, s, d)
	s.Close()
	stray := original("a file an interrupted import wrote")
	for sha, text := range map[string]string{d.SHA256: d.Text, stray.SHA256: "torn"} {
		path := filepath.Join(dir, store.FilesDir, sha[:2], sha)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	s = MustOpenDir(t, dir)
	if got := mustRead(t, s, d.SHA256); got != d.Text {
		t.Fatalf("older original = %q", got)
	}
	if err := s.PutOriginals([]notes.Original{{SHA256: d.SHA256, Data: []byte(d.Text)}, stray}); err != nil {
		t.Fatal(err)
	}
	got := readPack(t, packPath(dir, 1))
	if _, ok := got[d.SHA256[:2]+"/"+d.SHA256]; ok || len(got) != 1 {
		t.Fatalf("pack holds %d files; the older original copied: %v", len(got), ok)
	}
	if got := mustRead(t, s, stray.SHA256); got != string(stray.Data) {
		t.Fatalf("stray file trusted: %q", got)
	}
}
