package project_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"dossier/project"
)

// TestImport_HostileFolder imports a folder holding what real disks hold:
// empty files, random binary, a file too large to read, a name that is not
// UTF-8, a symlink loop, a broken link, an unreadable file and thousands of tiny files.
// Every file must be accounted for in the report, with a reason for each
// failure, and the good files must import.
func TestImport_HostileFolder(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses Linux file names and sparse files")
	}
	src := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("empty.txt", nil)
	junk := make([]byte, 64<<10)
	_, _ = rand.Read(junk)
	write("random.bin", junk)
	write("random.txt", junk) // binary behind a text extension
	// 2 GB without using the disk: a sparse file.
	huge, err := os.Create(filepath.Join(src, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := huge.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	huge.Close()
	write("caf\xe9-latin1-name.txt", []byte("A file whose name is not UTF-8 but whose text is fine."))
	if err := os.Symlink(".", filepath.Join(src, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("gone.txt", filepath.Join(src, "broken-link.txt")); err != nil {
		t.Fatal(err)
	}
	write("unreadable.txt", []byte("secret"))
	if err := os.Chmod(filepath.Join(src, "unreadable.txt"), 0); err != nil {
		t.Fatal(err)
	}
	const tiny = 5000
	for i := range tiny {
		dir := filepath.Join(src, "tiny", fmt.Sprint(i%50))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.txt", i)), []byte(fmt.Sprintf("note %d about kant", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	rep, err := p.Import(context.Background(), []string{src}, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	reasons := map[string]string{}
	for _, it := range rep.Failed {
		if it.Reason == "" {
			t.Errorf("%s failed without a reason", it.Path)
		}
		reasons[filepath.Base(it.Path)] = it.Reason
	}
	for _, it := range rep.Skipped {
		reasons[filepath.Base(it.Path)] = "skipped: " + it.Reason
	}
	// random.bin is not reported: files in a folder whose extension says
	// they are no document (images, archives, .bin) are passed over
	// silently, as a folder of research holds many.
	for _, name := range []string{"empty.txt", "random.txt", "huge.txt"} {
		if reasons[name] == "" {
			t.Errorf("%s is not reported as failed or skipped (report: %v)", name, reasons)
		}
	}
	if !strings.Contains(reasons["broken-link.txt"], "broken link") {
		t.Errorf("broken-link.txt: %q, want a reason that says the link is broken", reasons["broken-link.txt"])
	}
	if !strings.Contains(reasons["huge.txt"], "2 GB") {
		t.Errorf("huge.txt: %q, want a reason about its size", reasons["huge.txt"])
	}
	unreadable := os.Geteuid() != 0 // root reads a mode-0 file anyway
	if unreadable && reasons["unreadable.txt"] == "" {
		t.Errorf("unreadable.txt is not reported")
	}
	imported := map[string]bool{}
	defer func() {
		if imported["random.bin"] {
			t.Error("random.bin was imported")
		}
	}()
	for _, it := range rep.Imported {
		imported[filepath.Base(it.Path)] = true
	}
	if !imported["caf\xe9-latin1-name.txt"] {
		t.Errorf("the file with a Latin-1 name did not import: %q", reasons["caf\xe9-latin1-name.txt"])
	}
	n, err := p.Store.CountDocuments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := tiny + 1
	if !unreadable {
		want++
	}
	if n != want || len(rep.Imported) != want {
		t.Fatalf("%d documents stored, %d reported imported; want %d", n, len(rep.Imported), want)
	}
	if got := searchIDs(t, p, `"about kant"`); len(got) != 1000 && len(got) != tiny {
		// searchIDs caps at 1000 hits.
		t.Fatalf("searching the tiny files found %d", len(got))
	}
}
