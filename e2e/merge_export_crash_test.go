package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"dossier/internal/testbin"
	"dossier/notes"
	"dossier/project"
)

// checkReport is `dossier check --json`.
type checkReport struct {
	Documents int
	Indexed   uint64
	Problems  []string
}

func checkProject(t *testing.T, bin, proj, what string) checkReport {
	t.Helper()
	out, errOut, err := runErr(nil, bin, "--project", proj, "check", "--json")
	var rep checkReport
	if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil || err != nil {
		t.Fatalf("%s: check: %v %v\n%s\n%s", what, err, jerr, out, errOut)
	}
	if len(rep.Problems) > 0 {
		t.Fatalf("%s: check found problems: %q", what, rep.Problems)
	}
	return rep
}

// killAfter starts bin with args and SIGKILLs it after d, unless it ends
// first. It reports whether the process was still running when killed.
func killAfter(t *testing.T, bin string, d time.Duration, args ...string) bool {
	t.Helper()
	return killWhen(t, bin, func() bool { return false }, d, args...)
}

// killWhen is killAfter that kills as soon as cond holds (polled every
// millisecond), or after d.
func killWhen(t *testing.T, bin string, cond func() bool, d time.Duration, args ...string) bool {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timeout := time.After(d)
	for {
		select {
		case <-done:
			return false
		case <-timeout:
		case <-time.After(time.Millisecond):
			if !cond() {
				continue
			}
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return true
	}
}

// timed runs bin with args to the end and returns how long it took.
func timed(t *testing.T, bin string, args ...string) time.Duration {
	t.Helper()
	start := time.Now()
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("dossier %v: %v\n%s", args, err, out)
	}
	return time.Since(start)
}

// copyDir copies a closed project folder.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.RemoveAll(dst); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

// TestCrash_KillDuringBundleMergeAndExport SIGKILLs `dossier bundle open
// FILE --merge` and `dossier export markdown DIR` at random moments over
// many rounds. After each kill `dossier check` must find nothing wrong, a
// merge must have brought in all of the bundle's items or none, and DIR
// must hold a complete vault or nothing (no half-written folder beside it
// either).
func TestCrash_KillDuringBundleMergeAndExport(t *testing.T) {
	if testing.Short() {
		t.Skip("crash rounds skipped in -short mode")
	}
	bin := testbin.Dossier(t)
	tmp := t.TempDir()
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 3))
	t.Logf("seed %d", seed)

	// The bundle's project: seeds, a few hundred texts, notes and quotes.
	src := filepath.Join(tmp, "corpus")
	words := strings.Fields("kant manas bishkek airbase treaty garrison summit pipeline border customs grain harbour ministry")
	for i := range 200 {
		var b strings.Builder
		fmt.Fprintf(&b, "Cable %d\n\n", i)
		for range 200 + rng.IntN(300) {
			b.WriteString(words[rng.IntN(len(words))] + " ")
		}
		if err := os.MkdirAll(src, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("c%04d.txt", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	theirs := filepath.Join(tmp, "theirs")
	run(t, nil, "--project", theirs, "import", src)
	p, err := project.Open(ctx, theirs, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		d := docs[i%len(docs)]
		q := &notes.Quote{DocID: d.ID, Start: 10 + i%7, End: 40 + i%7}
		if err := p.AddQuote(ctx, q); err != nil {
			t.Fatal(err)
		}
		if _, err := p.CreateNote(ctx, fmt.Sprintf("Note %d", i),
			fmt.Sprintf("On [[source:%s]], see [[quote:%s]] and [[Note %d]].", d.ID, q.ID, (i+1)%200)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	bundleFile := filepath.Join(tmp, "theirs.dossier")
	run(t, nil, "--project", theirs, "bundle", "create", bundleFile)

	// The project merged into: a few texts of its own.
	pristine := filepath.Join(tmp, "ours-pristine")
	run(t, nil, "--project", pristine, "--no-seeds", "import", filepath.Join(src, "c0000.txt"), filepath.Join(src, "c0001.txt"))
	before := checkProject(t, bin, pristine, "before merging").Indexed
	full := filepath.Join(tmp, "ours-full")
	copyDir(t, pristine, full)
	mergeTime := timed(t, bin, "--project", full, "bundle", "open", bundleFile, "--merge")
	after := checkProject(t, bin, full, "after a whole merge").Indexed
	if after <= before {
		t.Fatalf("a whole merge took the index from %d to %d items", before, after)
	}

	// The reference vault, to tell a complete export from a partial one.
	ref := filepath.Join(tmp, "vault-ref")
	exportTime := timed(t, bin, "--project", full, "export", "markdown", ref)
	want := vaultFiles(t, ref)
	t.Logf("a whole merge takes %v (%d → %d items), a whole export %v (%d files)",
		mergeTime.Round(time.Millisecond), before, after, exportTime.Round(time.Millisecond), len(want))

	start := time.Now()
	const rounds = 9
	ours := filepath.Join(tmp, "ours")
	killed := 0
	for r := range rounds {
		// Merge: kill somewhere in a whole merge's time (a little past
		// it, so that the end is hit too).
		copyDir(t, pristine, ours)
		d := time.Duration(rng.Int64N(int64(mergeTime) * 11 / 10))
		if killAfter(t, bin, d, "--project", ours, "bundle", "open", bundleFile, "--merge") {
			killed++
		}
		got := checkProject(t, bin, ours, fmt.Sprintf("round %d, merge killed after %v", r, d)).Indexed
		if got != before && got != after {
			t.Fatalf("round %d: merge killed after %v left %d items: neither none (%d) nor all (%d) of the bundle", r, d, got, before, after)
		}
		// Export: the same, into a new folder, and then into an empty one.
		dir := filepath.Join(tmp, fmt.Sprintf("vault-%d", r))
		if r%2 == 1 {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		// Every third export is killed the moment it starts writing the
		// vault (its temporary folder appears), the others at random.
		d = time.Duration(rng.Int64N(int64(exportTime) * 11 / 10))
		writing := func() bool { return false }
		if r%3 == 0 {
			d = 10 * exportTime
			writing = func() bool {
				m, _ := filepath.Glob(filepath.Join(tmp, ".vault-"+fmt.Sprint(r)+".export-*", "*"))
				return len(m) > 0
			}
		}
		if killWhen(t, bin, writing, d, "--project", full, "export", "markdown", dir) {
			killed++
		}
		if _, err := os.Stat(dir); err == nil {
			if got := vaultFiles(t, dir); len(got) > 0 && !slices.Equal(got, want) {
				t.Fatalf("round %d: export killed after %v left a vault of %d files, want %d", r, d, len(got), len(want))
			}
		}
		t.Logf("round %d: merge → %d items, export %s", r, got, describeDir(dir))
	}
	// Each folder left without a vault takes one from an uninterrupted
	// export, which also clears away what the killed one left beside it.
	for r := range rounds {
		dir := filepath.Join(tmp, fmt.Sprintf("vault-%d", r))
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			continue
		}
		run(t, nil, "--project", full, "export", "markdown", dir)
		if got := vaultFiles(t, dir); !slices.Equal(got, want) {
			t.Fatalf("export after a killed one: %d files, want %d", len(got), len(want))
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, ".vault-"+fmt.Sprint(r)+".export-*")); len(left) > 0 {
			t.Errorf("a killed export's temporary folder is still there: %s", left)
		}
	}
	if killed < rounds/2 {
		t.Errorf("only %d of %d processes were killed before they finished: the test proves little", killed, 2*rounds)
	}
	t.Logf("%d rounds in %v, %d processes killed mid-way", rounds, time.Since(start).Round(time.Millisecond), killed)
}

// vaultFiles lists a vault's files (slash paths, sorted) with their sizes,
// leaving out index.md, whose header carries the export's time.
func vaultFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if rel == "index.md" {
			out = append(out, rel)
		} else {
			out = append(out, fmt.Sprintf("%s %d", filepath.ToSlash(rel), info.Size()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func describeDir(dir string) string {
	entries, err := os.ReadDir(dir)
	switch {
	case err != nil:
		return "left nothing"
	case len(entries) == 0:
		return "left the empty folder"
	}
	return "finished"
}
