package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
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
	if ms, ok := sinceProcessStart(); ok {
		fmt.Fprintf(os.Stderr, "profile: Run entered %d ms after the process started\n", ms)
	}
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
// The calling goroutine (and those it starts later) is labelled with the
// event, so that `go tool pprof -tagfocus phase=EVENT` shows what ran
// between this moment and the next one.
func (sp *startupProfile) mark(event string) {
	if sp == nil {
		return
	}
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("phase", event)))
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

// sinceProcessStart says how long ago (to 10 ms, the kernel's clock tick)
// this process started, from /proc on Linux: process start and package
// initialisation come before Run and its marks.
func sinceProcessStart() (int64, bool) {
	stat, err1 := os.ReadFile("/proc/self/stat")
	up, err2 := os.ReadFile("/proc/uptime")
	if err1 != nil || err2 != nil {
		return 0, false
	}
	// Field 22 (starttime, in ticks of 1/100 s since boot) comes after the
	// command name, which is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(stat), ')')
	f := strings.Fields(string(stat[i+1:]))
	if i < 0 || len(f) < 20 {
		return 0, false
	}
	ticks, err1 := strconv.ParseInt(f[19], 10, 64)
	upSecs, err2 := strconv.ParseFloat(strings.Fields(string(up))[0], 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int64(upSecs*1000) - ticks*10, true
}
