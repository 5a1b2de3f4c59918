package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSmoke_RealWindowUnderXvfb builds the dossier binary, starts it with
// no command on a fresh project under a virtual X server, waits for its
// window, takes a screenshot and checks it is not blank. It needs Xvfb (or
// xvfb-run) and ImageMagick's import; `make test` installs them.
func TestSmoke_RealWindowUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("smoke test skipped in -short mode")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the smoke test runs on Linux, under Xvfb")
	}
	xvfb, errX := exec.LookPath("Xvfb")
	xvfbRun, errRun := exec.LookPath("xvfb-run")
	if errX != nil && errRun != nil {
		t.Skip("neither Xvfb nor xvfb-run is installed; `make test` installs xvfb (apt-get install xvfb imagemagick xdotool)")
	}
	if _, err := exec.LookPath("import"); err != nil {
		t.Skip("ImageMagick's import is not installed; `make test` installs imagemagick")
	}

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "dossier")
	// DOSSIER_SMOKE_BUILD_FLAGS adds go build flags, e.g. -race.
	args := append([]string{"build", "-o", bin}, strings.Fields(os.Getenv("DOSSIER_SMOKE_BUILD_FLAGS"))...)
	build := exec.Command("go", append(args, ".")...)
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	shot := filepath.Join(tmp, "shot.png")
	env := append(os.Environ(),
		"DOSSIER_PROJECT="+filepath.Join(tmp, "project"),
		"HOME="+filepath.Join(tmp, "home"), // fresh preferences
		"XDG_CONFIG_HOME="+filepath.Join(tmp, "home", ".config"),
		"LANG=en_US.UTF-8",
	)
	var stderr []byte
	if errX == nil {
		stderr = runUnderXvfb(t, xvfb, bin, shot, env)
	} else {
		stderr = runUnderXvfbRun(t, xvfbRun, bin, shot, env)
	}
	if s := strings.TrimSpace(string(stderr)); s != "" {
		t.Logf("dossier's stderr:\n%s", s)
		if strings.Contains(s, "panic") || strings.Contains(s, "Fyne error") {
			t.Errorf("the app logged errors on a normal start")
		}
	}
	checkNotBlank(t, shot)
}

// runUnderXvfb starts Xvfb on a free display, then the app, and returns the
// app's stderr.
func runUnderXvfb(t *testing.T, xvfb, bin, shot string, env []string) []byte {
	display := freeDisplay(t)
	x := exec.Command(xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	defer func() {
		_ = x.Process.Kill()
		_ = x.Wait()
	}()
	sock := "/tmp/.X11-unix/X" + strings.TrimPrefix(display, ":")
	waitFor(t, 10*time.Second, "Xvfb to listen", func() bool { _, err := os.Stat(sock); return err == nil })
	// The socket appears before Xvfb accepts clients; on a busy machine
	// the app could start in between and fail to open the display. Wait
	// until a client really connects.
	if xdotool, err := exec.LookPath("xdotool"); err == nil {
		waitFor(t, 15*time.Second, "Xvfb to accept clients", func() bool {
			c := exec.Command(xdotool, "getdisplaygeometry")
			c.Env = append(os.Environ(), "DISPLAY="+display)
			return c.Run() == nil
		})
	}

	env = append(env, "DISPLAY="+display)
	var out lockedBuffer
	app := exec.Command(bin)
	app.Env = env
	app.Stderr = &out
	app.Stdout = &out
	if err := app.Start(); err != nil {
		t.Fatalf("start dossier: %v", err)
	}
	exited := make(chan struct{}) // closed when the app has exited
	go func() {
		_ = app.Wait()
		close(exited)
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		_ = app.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = app.Process.Kill()
			<-exited
		}
	}
	defer stop()

	waitWindow(t, display, env, exited, &out)
	imp := exec.Command("import", "-display", display, "-window", "root", shot)
	imp.Env = env
	if b, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, b)
	}
	stop()
	return out.Bytes()
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}

func (l *lockedBuffer) String() string { return string(l.Bytes()) }

// waitWindow waits until a window named Dossier is mapped (with xdotool),
// or a fixed time without it; it fails at once if the app exits.
func waitWindow(t *testing.T, display string, env []string, exited <-chan struct{}, out *lockedBuffer) {
	t.Helper()
	xdotool, err := exec.LookPath("xdotool")
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("dossier exited before showing its window:\n%s", out.String())
		case <-time.After(250 * time.Millisecond):
		}
		if xdotool == "" || err != nil {
			if time.Until(deadline) < 12*time.Second {
				return // no xdotool: give it 8 seconds
			}
			continue
		}
		c := exec.Command(xdotool, "search", "--onlyvisible", "--name", "Dossier")
		c.Env = env
		if b, err := c.Output(); err == nil && len(bytes.TrimSpace(b)) > 0 {
			// Mapped; let the first frames draw.
			time.Sleep(1500 * time.Millisecond)
			return
		}
	}
	t.Fatalf("no Dossier window on %s after 20 s\n%s", display, out.String())
}

// runUnderXvfbRun does the same through xvfb-run, for systems that have
// only the wrapper on the PATH.
func runUnderXvfbRun(t *testing.T, xvfbRun, bin, shot string, env []string) []byte {
	script := fmt.Sprintf(`%q 2>"$ERRLOG" & pid=$!
for i in $(seq 1 80); do
  if command -v xdotool >/dev/null && xdotool search --onlyvisible --name Dossier >/dev/null 2>&1; then break; fi
  if ! command -v xdotool >/dev/null && [ $i -ge 32 ]; then break; fi
  sleep 0.25
done
sleep 1.5
import -window root %q
kill $pid; wait $pid 2>/dev/null; true`, bin, shot)
	errLog := filepath.Join(filepath.Dir(shot), "stderr.log")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, xvfbRun, "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script)
	c.Env = append(env, "ERRLOG="+errLog)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("xvfb-run: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(errLog)
	return b
}

// freeDisplay returns an X display number nobody uses.
func freeDisplay(t *testing.T) string {
	for n := 90 + os.Getpid()%50; n < 400; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); os.IsNotExist(err) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); os.IsNotExist(err) {
				return fmt.Sprintf(":%d", n)
			}
		}
	}
	t.Fatal("no free X display number")
	return ""
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkNotBlank fails unless the screenshot has the variety of colours a
// drawn window has: a blank or single-colour screen has one or two.
func checkNotBlank(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	colours := countColours(img, 1000)
	if colours < 50 {
		t.Fatalf("screenshot %s has %d colours; the window looks blank", path, colours)
	}
	t.Logf("screenshot has at least %d colours", colours)
}

// countColours counts distinct colours in img, stopping at limit.
func countColours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
