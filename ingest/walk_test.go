package ingest_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dossier/ingest"
	"dossier/notes"
)

// mustTree creates files (path → content) under a new temporary folder.
func mustTree(tb testing.TB, files map[string]string) string {
	tb.Helper()
	root := tb.TempDir()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return root
}

// walkAll runs Walk and returns the files reported fine and those
// reported with an error, relative to root.
func walkAll(tb testing.TB, root string, paths ...string) (ok []string, bad map[string]error) {
	tb.Helper()
	bad = map[string]error{}
	err := ingest.Walk(context.Background(), paths, func(path string, err error) error {
		rel, rerr := filepath.Rel(root, path)
		if rerr != nil {
			rel = path
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			bad[rel] = err
		} else {
			ok = append(ok, rel)
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("Walk: %v", err)
	}
	return ok, bad
}

func TestWalk_RecursesAndSkipsHidden(t *testing.T) {
	root := mustTree(t, map[string]string{
		"a.txt":                 "A",
		"b.md":                  "B",
		"sub/c.html":            "<p>C</p>",
		"sub/deeper/d.eml":      "From: a@b.c\n\nD",
		"sub/notes.log":         "plain text with an unknown extension",
		"sub/image.png":         "\x89PNG\r\n\x1a\n",
		"sub/blob":              "\x00\x01\x02binary",
		".hidden.txt":           "hidden",
		".git/config.txt":       "hidden folder",
		"sub/.cache/e.txt":      "hidden folder below",
		"sub/desktop.ini":       "[.ShellClassInfo]",
		"sub/draft.txt~":        "editor backup",
		"__MACOSX/._a.txt":      "resource fork",
		"sub/deeper/empty.txt":  "",
		"sub/deeper/UPPER.TXT":  "upper-case extension",
		"sub/deeper/report.pdf": "%PDF-1.7",
		"sub/deeper/old.doc":    "\xD0\xCF\x11\xE0",
	})
	ok, bad := walkAll(t, root, root)
	want := []string{"a.txt", "b.md", "sub/c.html", "sub/deeper/UPPER.TXT", "sub/deeper/d.eml", "sub/deeper/empty.txt", "sub/deeper/report.pdf", "sub/notes.log"}
	if !slices.Equal(ok, want) {
		t.Errorf("Walk reported %q, want %q", ok, want)
	}
	if len(bad) > 0 {
		t.Errorf("Walk reported errors: %v", bad)
	}
}

func TestWalk_FilesAndFoldersAsPaths(t *testing.T) {
	root := mustTree(t, map[string]string{"x/a.txt": "A", "y/.b.txt": "hidden but named", "z.doc": "\xD0\xCF\x11\xE0"})
	ok, bad := walkAll(t, root,
		filepath.Join(root, "x"),
		filepath.Join(root, "x", "a.txt"), // overlaps: reported once
		filepath.Join(root, "y", ".b.txt"),
		filepath.Join(root, "z.doc"),
		filepath.Join(root, "missing.txt"),
	)
	if want := []string{"x/a.txt", "y/.b.txt"}; !slices.Equal(ok, want) {
		t.Errorf("Walk reported %q, want %q", ok, want)
	}
	if err := bad["z.doc"]; err == nil || err.Error() != "unsupported file type .doc" {
		t.Errorf("z.doc: error %v, want unsupported file type .doc", err)
	}
	if err := bad["missing.txt"]; !errors.Is(err, fs.ErrNotExist) || notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Errorf("missing.txt: error %v, want a not_found *notes.Error wrapping fs.ErrNotExist", err)
	}
}

func TestWalk_SymlinkLoopDoesNotHang(t *testing.T) {
	root := mustTree(t, map[string]string{"a/file.txt": "A", "target.txt": "T"})
	mustSymlink(t, root, filepath.Join(root, "a", "loop"))             // a/loop → root
	mustSymlink(t, filepath.Join(root, "a"), filepath.Join(root, "b")) // b → a
	mustSymlink(t, filepath.Join(root, "target.txt"), filepath.Join(root, "a", "link.txt"))
	mustSymlink(t, filepath.Join(root, "nowhere.txt"), filepath.Join(root, "a", "broken.txt"))

	done := make(chan struct{})
	var ok []string
	var bad map[string]error
	go func() {
		defer close(done)
		ok, bad = walkAll(t, root, root)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Walk did not return: it follows a symlink loop")
	}
	if want := []string{"a/file.txt", "a/link.txt", "target.txt"}; !slices.Equal(ok, want) {
		t.Errorf("Walk reported %q, want %q (links to folders are not followed, links to files are)", ok, want)
	}
	if err := bad["a/broken.txt"]; err == nil || !strings.Contains(err.Error(), "broken link") {
		t.Errorf("a/broken.txt: error %v, want a broken link error", err)
	}
	if len(bad) != 1 {
		t.Errorf("errors: %v, want only a/broken.txt", bad)
	}
}

func TestWalk_SymlinkGivenAsPathIsFollowed(t *testing.T) {
	root := mustTree(t, map[string]string{"real/a.txt": "A"})
	link := filepath.Join(root, "link")
	mustSymlink(t, filepath.Join(root, "real"), link)
	ok, bad := walkAll(t, root, link)
	if want := []string{"link/a.txt"}; !slices.Equal(ok, want) || len(bad) > 0 {
		t.Errorf("Walk reported %q and %v, want %q", ok, bad, want)
	}
}

func TestWalk_UnreadableReported(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: chmod 000 does not stop root from reading, so there is nothing unreadable to report")
	}
	root := mustTree(t, map[string]string{"ok.txt": "A", "secret.txt": "S", "locked/inside.txt": "I", "unknown": "U"})
	for _, p := range []string{"secret.txt", "locked", "unknown"} {
		if err := os.Chmod(filepath.Join(root, p), 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "locked"), 0o755) })
	ok, bad := walkAll(t, root, root)
	// A known extension is left for ParseFile to read, and to report.
	if want := []string{"ok.txt", "secret.txt"}; !slices.Equal(ok, want) {
		t.Errorf("Walk reported %q, want %q", ok, want)
	}
	for _, p := range []string{"locked", "unknown"} {
		if err := bad[p]; !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%s: error %v, want one wrapping fs.ErrPermission", p, err)
		}
	}
	if _, _, err := ingest.ParseFile(filepath.Join(root, "secret.txt")); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("ParseFile(secret.txt): error %v, want one wrapping fs.ErrPermission", err)
	}
}

func TestWalk_StopsWhenCancelled(t *testing.T) {
	files := map[string]string{}
	for i := range 50 {
		files[filepath.Join("d", string(rune('a'+i%26))+strings.Repeat("x", i/26)+".txt")] = "x"
	}
	root := mustTree(t, files)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := ingest.Walk(ctx, []string{root}, func(path string, err error) error {
		n++
		if n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Errorf("Walk = %v after %d files, want context.Canceled after 3", err, n)
	}
}

func TestWalk_StopsOnCallbackError(t *testing.T) {
	root := mustTree(t, map[string]string{"a.txt": "A", "b.txt": "B"})
	stop := errors.New("stop")
	n := 0
	err := ingest.Walk(context.Background(), []string{root}, func(string, error) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Walk = %v after %d calls, want the callback's error after 1", err, n)
	}
}

func mustSymlink(tb testing.TB, target, link string) {
	tb.Helper()
	if err := os.Symlink(target, link); err != nil {
		tb.Skipf("symlinks unavailable: %v", err)
	}
}
