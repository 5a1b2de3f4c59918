package e2e

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"dossier/internal/testbin"
)

// sessionCommands is a full CLI session: every command that reads or
// writes a project. Commands added later belong here too.
func sessionCommands(t *testing.T, proj string) [][]string {
	return [][]string{
		{"--project", proj, "docs"},
		{"--project", proj, "import", seedsDir(t)},
		{"--project", proj, "search", "--json", `"air base" kant*`},
		{"--project", proj, "timeline", "--json"},
		{"--project", proj, "reindex"},
		{"--project", proj, "check"},
	}
}

// socketCall matches a socket(2) call in strace's output, capturing its
// address family.
var socketCall = regexp.MustCompile(`socket\((AF_[A-Z0-9]+|\d+)`)

// TestNoNetwork_CLISessionOpensNoNetworkSocket runs a full CLI session
// under strace, inside a network namespace with no interfaces, and fails
// if any process of it asks for a socket other than a local (AF_UNIX) one.
// Dossier is offline by design: no update checks, no telemetry, no remote
// fonts.
func TestNoNetwork_CLISessionOpensNoNetworkSocket(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("traced with strace on Linux")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed; `make test` installs it (apt-get install strace)")
	}
	bin := testbin.Dossier(t)
	proj := filepath.Join(t.TempDir(), "project")
	// unshare -rn gives the session a network namespace of its own with
	// only a loopback that is down: if Dossier needed the network, the
	// commands would fail here as well as show up in the trace.
	prefix := []string{}
	if out, err := exec.Command("unshare", "-rn", "true").CombinedOutput(); err == nil {
		prefix = []string{"unshare", "-rn"}
	} else {
		t.Logf("no network namespace (%v: %s); tracing without one", err, strings.TrimSpace(string(out)))
	}
	// The trace must be able to see a network socket at all: trace this
	// test binary opening one first.
	if got := tracedFamilies(t, append(prefix, strace), os.Args[0], "-test.run=^TestHelperOpenSocket$"); !contains(got, "AF_INET") {
		t.Fatalf("strace did not show the helper's AF_INET socket (saw %v); the check would prove nothing", got)
	}
	for _, args := range sessionCommands(t, proj) {
		for _, fam := range tracedFamilies(t, append(prefix, strace), bin, args...) {
			if fam != "AF_UNIX" {
				t.Errorf("dossier %s asked for a %s socket", strings.Join(args, " "), fam)
			}
		}
	}
}

// TestHelperOpenSocket is not a test: the no-network test traces it to
// check that strace reports an AF_INET socket.
func TestHelperOpenSocket(t *testing.T) {
	if os.Getenv("DOSSIER_HELPER_SOCKET") == "" {
		t.Skip("helper process only")
	}
	if l, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
	}
}

func tracedFamilies(t *testing.T, prefix []string, bin string, args ...string) []string {
	t.Helper()
	trace := filepath.Join(t.TempDir(), "trace")
	full := append(append(prefix, "-f", "-qq", "-e", "trace=socket", "-o", trace, bin), args...)
	cmd := exec.Command(full[0], full[1:]...)
	cmd.Env = append(os.Environ(), "DOSSIER_HELPER_SOCKET=1", "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", full, err, out)
	}
	log, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	var fams []string
	for _, m := range socketCall.FindAllStringSubmatch(string(log), -1) {
		fams = append(fams, m[1])
	}
	return fams
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
