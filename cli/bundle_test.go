package cli_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestBundle_CreateVerifyOpenMerge(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kant")
	file := filepath.Join(t.TempDir(), "kant.dossier")
	if code, _, errs := run(t, dir, "bundle", "create", file); code != 0 {
		t.Fatalf("create: %d %s", code, errs)
	}
	code, out, errs := run(t, dir, "bundle", "verify", file)
	if code != 0 || !strings.Contains(out, "OK") || !strings.Contains(out, "5 sources") {
		t.Fatalf("verify: %d %q %s", code, out, errs)
	}
	other := filepath.Join(t.TempDir(), "colleague")
	code, out, errs = run(t, other, "bundle", "open", file)
	if code != 0 || !strings.Contains(out, "Created project") {
		t.Fatalf("open: %d %q %s", code, out, errs)
	}
	if got, want := seedDocs(t, other), seedDocs(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("opened project's documents differ:\n%v\n%v", got, want)
	}
	// Opening again into the same, now non-empty, folder is refused.
	if code, _, errs := run(t, other, "bundle", "open", file); code != 1 || !strings.Contains(errs, "not empty") {
		t.Fatalf("open into a project: %d %s", code, errs)
	}
	code, out, errs = run(t, dir, "bundle", "open", "--merge", file)
	if code != 0 || !strings.Contains(out, "Added: nothing") {
		t.Fatalf("merge into its own project: %d %q %s", code, out, errs)
	}
}

func TestBundle_RejectsDamagedFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kant")
	file := filepath.Join(t.TempDir(), "kant.dossier")
	if code, _, errs := run(t, dir, "bundle", "create", file); code != 0 {
		t.Fatalf("create: %d %s", code, errs)
	}
	b, _ := os.ReadFile(file)
	os.WriteFile(file, b[:len(b)-100], 0o644)
	code, _, errs := run(t, dir, "bundle", "verify", file)
	if code != 1 || !strings.Contains(errs, "truncated") {
		t.Fatalf("verify of a cut file: %d %s", code, errs)
	}
}

func TestExport_MarkdownAndNote(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kant")
	vault := filepath.Join(t.TempDir(), "vault")
	code, out, errs := run(t, dir, "export", "markdown", vault)
	if code != 0 || !strings.Contains(out, "5 sources") {
		t.Fatalf("export: %d %q %s", code, out, errs)
	}
	for _, f := range []string{"index.md", "timeline.md", "sources.json", "sources.bib"} {
		if _, err := os.Stat(filepath.Join(vault, f)); err != nil {
			t.Error(err)
		}
	}
	srcs, _ := os.ReadDir(filepath.Join(vault, "sources"))
	if len(srcs) != 5 {
		t.Errorf("%d source files, want 5", len(srcs))
	}
	if code, _, errs := run(t, dir, "export", "note", "no such note"); code != 1 || !strings.Contains(errs, "no note") {
		t.Fatalf("export of a missing note: %d %s", code, errs)
	}
	if code, _, _ := run(t, dir, "export", "pdf", "x"); code != 2 {
		t.Fatalf("unknown export kind: exit %d, want 2", code)
	}
}
