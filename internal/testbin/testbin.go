// Package testbin builds the real dossier binary for tests that must run
// it as a separate process (crash, no-network and smoke tests).
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	once  sync.Once
	bin   string
	build []byte
	err   error
)

// Dossier returns the path of a dossier binary built from this module,
// building it once per test process. DOSSIER_TEST_BUILD_FLAGS adds go build
// flags, e.g. -race.
func Dossier(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		var dir string
		if dir, err = os.MkdirTemp("", "dossier-testbin-"); err != nil {
			return
		}
		bin = filepath.Join(dir, "dossier")
		args := append([]string{"build", "-o", bin}, strings.Fields(os.Getenv("DOSSIER_TEST_BUILD_FLAGS"))...)
		cmd := exec.Command("go", append(args, "dossier")...)
		build, err = cmd.CombinedOutput()
	})
	if err != nil {
		tb.Fatalf("go build dossier: %v\n%s", err, build)
	}
	return bin
}
