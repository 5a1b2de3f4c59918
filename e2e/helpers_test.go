package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"dossier/internal/testbin"
)

// run runs the dossier binary with args and returns its stdout, failing
// the test on a non-zero exit.
func run(t *testing.T, env []string, args ...string) string {
	t.Helper()
	out, errOut, err := runErr(env, testbin.Dossier(t), args...)
	if err != nil {
		t.Fatalf("dossier %v: %v\n%s", args, err, errOut)
	}
	return out
}

func runErr(env []string, bin string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// seedsDir is the repository's seed corpus, imported by the tests as an
// ordinary folder.
func seedsDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../seeds")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
