// Package childrss measures the peak resident memory of a child process.
//
// The Maxrss that the kernel reports for a child started by Go is not the
// child's own: Go starts children with vfork (CLONE_VM), and at exec Linux
// copies the high-water RSS of the memory it leaves, the parent's, into the
// child's maxrss. A child of a benchmark process that holds a large corpus
// list would report at least that much. GNU time starts the command with a
// plain fork from its own small process and reports the command's own peak.
package childrss

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// Wrap makes cmd, not yet started, run under GNU time when it is installed
// (Debian package "time"). Call the returned function after cmd has
// finished: it returns the command's peak RSS in bytes, or, without GNU
// time, the kernel's figure for the child (too high, see above).
func Wrap(cmd *exec.Cmd) (maxRSS func() int64) {
	gnuTime, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		return func() int64 { return Kernel(cmd.ProcessState) }
	}
	f, err := os.CreateTemp("", "childrss-*.txt")
	if err != nil {
		return func() int64 { return Kernel(cmd.ProcessState) }
	}
	f.Close()
	out := f.Name()
	cmd.Args = append([]string{gnuTime, "-f", "%M", "-o", out, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = gnuTime
	return func() int64 {
		defer os.Remove(out)
		if kb, err := parse(out); err == nil {
			return kb * 1024
		}
		return Kernel(cmd.ProcessState)
	}
}

// parse reads GNU time's -o file: the %M figure (kilobytes) is its last
// line; a line about the exit status may come first.
func parse(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	lines := strings.Fields(strings.TrimSpace(string(b)))
	if len(lines) == 0 {
		return 0, fmt.Errorf("%s: empty", path)
	}
	return strconv.ParseInt(lines[len(lines)-1], 10, 64)
}

// Kernel returns the kernel's max RSS of a finished child in bytes (Linux
// reports kilobytes).
func Kernel(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}
