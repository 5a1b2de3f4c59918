package fileio_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"dossier/internal/fileio"
)

func TestPending_ReplacesWholeOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.dossier")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	only := func(want string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Errorf("the folder holds %d entries, want only the destination: %v", len(entries), entries)
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != want {
			t.Errorf("destination reads %q, %v; want %q", got, err, want)
		}
	}

	// Abandoned: the destination is as it was, and nothing is left over.
	p, err := fileio.NewPending(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.WriteString("half of a new"); err != nil {
		t.Fatal(err)
	}
	p.Cleanup()
	only("old")

	p, err = fileio.NewPending(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Cleanup()
	if _, err := p.WriteString("new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("before Commit the destination reads %q, want it untouched", got)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	p.Cleanup() // after Commit: nothing to do
	only("new")
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("permissions %v (%v), want 0644", fi.Mode().Perm(), err)
		}
	}
}
