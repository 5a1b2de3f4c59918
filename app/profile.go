package app

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// EnvProfile names a folder: when set, Run writes a CPU profile of the
// first seconds after launch (startup.cpu.pprof), a heap profile taken
// once the library is loaded (startup.heap.pprof), and prints to stderr
// how long the first frame and the library took. Startup at 100,000
// documents is measured with it (docs/PERFORMANCE.md); users never need it.
const EnvProfile = "DOSSIER_PROFILE"

// startupProfile records the moments of one launch. Its methods do nothing
// on a nil receiver, so the app calls them unconditionally.
type startupProfile struct {
	dir   string
	start time.Time
	cpu   *os.File
	once  sync.Once
}

// profileStart begins profiling when EnvProfile is set, else returns nil.
func profileStart() *startupProfile {
	dir := os.Getenv(EnvProfile)
	if dir == "" {
		return nil
	}
	sp := &startupProfile{dir: dir, start: time.Now()}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		return nil
	}
	f, err := os.Create(filepath.Join(dir, "startup.cpu.pprof"))
	if err == nil {
		if err = pprof.StartCPUProfile(f); err == nil {
			sp.cpu = f
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
	}
	return sp
}

// mark prints how long after launch event happened.
func (sp *startupProfile) mark(event string) {
	if sp == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "profile: %s at %d ms\n", event, time.Since(sp.start).Milliseconds())
}

// finish stops the CPU profile and writes the heap profile, once, after a
// GC so that the heap profile shows what stays live.
func (sp *startupProfile) finish() {
	if sp == nil {
		return
	}
	sp.once.Do(func() {
		if sp.cpu != nil {
			pprof.StopCPUProfile()
			sp.cpu.Close()
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(os.Stderr, "profile: heap in use %d MB, Go sys %d MB\n", ms.HeapInuse>>20, ms.Sys>>20)
		f, err := os.Create(filepath.Join(sp.dir, "startup.heap.pprof"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "profile:", err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			fmt.Fprintln(os.Stderr, "profile:", err)
		}
	})
}
