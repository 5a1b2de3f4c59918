package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"dossier/notes"
	"dossier/project"
)

// TestDiskFull_ImportFailsClearlyAndLosesNothing puts a project on a 4 MB
// tmpfs (mounted in a user and mount namespace of its own, so no root is
// needed), fills it with an import, and checks that the import fails with
// a message naming the full disk, that the documents imported before are
// intact, and that the project still opens and checks clean. Then the
// medium is made read-only: opening must fail with a clear message and
// change nothing.
func TestDiskFull_ImportFailsClearlyAndLosesNothing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux namespaces to mount a small tmpfs")
	}
	mnt := t.TempDir()
	probe := exec.Command("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs "+mnt)
	if out, err := probe.CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v: %s); the disk-full test needs unprivileged user namespaces", err, strings.TrimSpace(string(out)))
	}
	script := fmt.Sprintf("mount -t tmpfs -o size=4m tmpfs %[1]s && exec %[2]s -test.run='^TestHelperDiskFull$' -test.v", mnt, os.Args[0])
	cmd := exec.Command("unshare", "-rm", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "DOSSIER_HELPER_DISKFULL="+mnt)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "DISKFULL-OK") {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "MSG ") {
			t.Log(line)
		}
	}
}

// TestHelperDiskFull is not a test: the disk-full test runs it inside a
// mount namespace with a 4 MB tmpfs at $DOSSIER_HELPER_DISKFULL.
func TestHelperDiskFull(t *testing.T) {
	mnt := os.Getenv("DOSSIER_HELPER_DISKFULL")
	if mnt == "" {
		t.Skip("helper process only")
	}
	ctx := context.Background()
	dir := filepath.Join(mnt, "project")
	src := t.TempDir() // on the real disk
	small := filepath.Join(src, "small")
	big := filepath.Join(src, "big")
	for i := range 5 {
		writeFile(t, filepath.Join(small, fmt.Sprintf("s%d.txt", i)), fmt.Sprintf("Small report %d about the Kant airbase.", i))
	}
	// About 12 MB of distinct text: three times what the disk holds.
	for i := range 120 {
		var b strings.Builder
		for j := range 10000 {
			fmt.Fprintf(&b, "w%dx%d ", i, j)
		}
		writeFile(t, filepath.Join(big, fmt.Sprintf("b%03d.txt", i)), b.String())
	}

	p, err := project.Open(ctx, dir, project.Options{NoSeeds: true})
	if err != nil {
		t.Fatalf("open on tmpfs: %v", err)
	}
	if _, err := p.Import(ctx, []string{small}, nil); err != nil {
		t.Fatalf("small import: %v", err)
	}
	rep, err := p.Import(ctx, []string{big}, nil)
	msg := ""
	if err != nil {
		msg = err.Error()
	} else {
		for _, f := range rep.Failed {
			msg = f.Reason
		}
	}
	fmt.Println("MSG full disk:", msg)
	if notes.ErrorKind(err) != notes.EDISK || !strings.Contains(msg, "disk holding the project is full") {
		t.Fatalf("filling the disk gave %q (err %v), want a message that says the disk is full", msg, err)
	}
	_ = p.Close()

	p, err = project.Open(ctx, dir, project.Options{NoSeeds: true})
	if err != nil {
		t.Fatalf("reopen after a full disk: %v", err)
	}
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	smallLeft := 0
	for _, d := range docs {
		if strings.HasPrefix(d.Title, "Small report") || strings.HasPrefix(d.OriginalName, "s") {
			smallLeft++
		}
	}
	if smallLeft != 5 {
		t.Fatalf("after the full disk, %d of the 5 earlier documents are left", smallLeft)
	}
	crep, err := p.Check(ctx, true, nil)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if len(crep.Problems) > 0 {
		t.Fatalf("check after a full disk: %v", crep.Problems)
	}
	_ = p.Close()

	// A read-only medium: opening must say so and change nothing.
	if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	_, err = project.Open(ctx, dir, project.Options{NoSeeds: true})
	fmt.Println("MSG read-only:", err)
	if notes.ErrorKind(err) != notes.EDISK || !strings.Contains(err.Error(), "read-only medium") {
		t.Fatalf("opening on a read-only medium gave %v, want a message that says it is read-only", err)
	}
	fmt.Println("DISKFULL-OK")
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
