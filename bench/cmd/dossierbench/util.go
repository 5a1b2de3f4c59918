package main

import (
	"os"
	"syscall"
	"time"
)

// selfMaxRSS is the most memory this process has held: the corpus list,
// the query set's word counts, and Dossier's index opened for the queries.
func selfMaxRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss * 1024
}

func cpuTime(ps *os.ProcessState) time.Duration { return ps.UserTime() + ps.SystemTime() }

// allocated is the disk space a file takes, as du counts it.
func allocated(info os.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return info.Size()
}

// tail keeps the last bytes written to it (a child's progress output).
type tail struct {
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.b) }

func head(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
