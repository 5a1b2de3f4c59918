package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"dossier/internal/testbin"
)

// TestNoNetwork_WindowOpensNoNetworkSocket starts the real window under
// Xvfb and strace, lets it open the seeded project and search, and checks
// that it asked for no socket but local ones (X11 and D-Bus are AF_UNIX).
func TestNoNetwork_WindowOpensNoNetworkSocket(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("needs Linux, Xvfb and strace; skipped in -short mode")
	}
	strace, err1 := exec.LookPath("strace")
	xvfb, err2 := exec.LookPath("Xvfb")
	xdotool, err3 := exec.LookPath("xdotool")
	if err1 != nil || err2 != nil || err3 != nil {
		t.Skip("needs strace, Xvfb and xdotool; `make test` installs them")
	}
	bin := testbin.Dossier(t)
	tmp := t.TempDir()
	display := freeDisplay(t)
	x := exec.Command(xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = x.Process.Kill(); _ = x.Wait() }()
	env := append(os.Environ(), "DISPLAY="+display, "HOME="+tmp, "XDG_CONFIG_HOME="+filepath.Join(tmp, ".config"),
		"DOSSIER_PROJECT="+filepath.Join(tmp, "project"), "LANG=en_US.UTF-8")
	xdo := func(args ...string) error {
		c := exec.Command(xdotool, args...)
		c.Env = env
		return c.Run()
	}
	waitUntil(t, 20*time.Second, "Xvfb to accept clients", func() bool { return xdo("getdisplaygeometry") == nil })

	trace := filepath.Join(tmp, "trace")
	app := exec.Command(strace, "-f", "-qq", "-e", "trace=socket", "-o", trace, bin)
	app.Env = env
	app.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		// strace forwards a kill of itself as a detach: kill the group.
		_ = syscall.Kill(-app.Process.Pid, syscall.SIGKILL)
		_ = app.Wait()
	}()
	waitUntil(t, 60*time.Second, "the Dossier window", func() bool {
		return xdo("search", "--onlyvisible", "--name", "Dossier") == nil
	})
	// Search, so the index and the reader are exercised too.
	_ = xdo("key", "ctrl+k")
	_ = xdo("type", "--delay", "20", "kant")
	time.Sleep(2 * time.Second)
	_ = syscall.Kill(-app.Process.Pid, syscall.SIGKILL)
	_ = app.Wait()

	log, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range socketCall.FindAllStringSubmatch(string(log), -1) {
		n++
		if m[1] != "AF_UNIX" {
			t.Errorf("the window asked for a %s socket", m[1])
		}
	}
	if n == 0 {
		t.Fatalf("the trace shows no socket at all, not even X11's: the check would prove nothing\n%s", log)
	}
}

// freeDisplay returns an X display number nobody listens on.
func freeDisplay(t *testing.T) string {
	for n := 140 + os.Getpid()%50; n < 400; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); os.IsNotExist(err) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); os.IsNotExist(err) {
				return fmt.Sprintf(":%d", n)
			}
		}
	}
	t.Fatal("no free X display")
	return ""
}

func waitUntil(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
