// Command winmap starts a GUI program and reports when the X server maps
// its first window, without polling: it subscribes to the root window's
// structure events over the X11 protocol before starting the program, so
// the moment it reports is the X server's MapNotify, and it uses no CPU
// while it waits. (A loop of `xdotool search` every 10 ms, which
// scripts/startup-time.sh used before, starts ~100 processes a second on
// the same cores as the program it times: for one binary it reported
// 1,140–1,282 ms where this reports 673–910 ms.)
//
//	go run ./bench/cmd/winmap [-settle 8s] -- BIN ARGS...
//
// It prints one line: ms from start to the map; the CPU time the program
// and its main thread (where Fyne builds, lays out and maps the window)
// had used by then; its RSS after -settle, and the peak. Then it stops the
// program. Linux only (it reads /proc); DISPLAY must name a local server
// that needs no authentication, such as a plain Xvfb.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

func main() {
	settle := flag.Duration("settle", 8*time.Second, "how long to wait after the map before reading the RSS")
	timeout := flag.Duration("timeout", 60*time.Second, "give up when no window is mapped by then")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: winmap [-settle D] [-timeout D] -- BIN ARGS...")
		os.Exit(2)
	}
	if err := run(flag.Args(), *settle, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "winmap:", err)
		os.Exit(1)
	}
}

func run(argv []string, settle, timeout time.Duration) error {
	x, root, err := dial(os.Getenv("DISPLAY"))
	if err != nil {
		return err
	}
	defer x.Close()
	// ChangeWindowAttributes(root, event-mask = SubstructureNotify).
	req := make([]byte, 16)
	req[0] = 2
	binary.LittleEndian.PutUint16(req[2:], 4)
	binary.LittleEndian.PutUint32(req[4:], root)
	binary.LittleEndian.PutUint32(req[8:], 1<<11)  // CWEventMask
	binary.LittleEndian.PutUint32(req[12:], 1<<19) // SubstructureNotifyMask
	if _, err := x.Write(req); err != nil {
		return err
	}

	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	mapped := make(chan error, 1)
	go func() { mapped <- waitMap(x) }()
	select {
	case err := <-mapped:
		if err != nil {
			return err
		}
	case <-time.After(timeout):
		return fmt.Errorf("no window mapped within %v", timeout)
	}
	shown := time.Since(start)
	pid := cmd.Process.Pid
	all, _ := cpuMS(fmt.Sprintf("/proc/%d/stat", pid))
	main, _ := cpuMS(fmt.Sprintf("/proc/%d/task/%d/stat", pid, pid))
	time.Sleep(settle)
	rss, hwm := statusMB(pid, "VmRSS"), statusMB(pid, "VmHWM")
	fmt.Printf("window mapped %d ms (CPU by then %d ms, main thread %d ms), RSS %d MB (peak %d MB)\n",
		shown.Milliseconds(), all, main, rss, hwm)
	return nil
}

// dial connects to the X server of display (":N" or ":N.S"), returning
// the connection and the first screen's root window.
func dial(display string) (net.Conn, uint32, error) {
	d, ok := strings.CutPrefix(display, ":")
	if !ok {
		return nil, 0, fmt.Errorf("DISPLAY %q: only local displays (:N) are supported", display)
	}
	d, _, _ = strings.Cut(d, ".")
	x, err := net.Dial("unix", "/tmp/.X11-unix/X"+d)
	if err != nil {
		return nil, 0, err
	}
	root, err := setup(x)
	if err != nil {
		x.Close()
		return nil, 0, err
	}
	return x, root, nil
}

// setup sends the connection setup (little-endian, protocol 11.0, no
// authorization) and returns the first screen's root window.
func setup(x io.ReadWriter) (uint32, error) {
	if _, err := x.Write([]byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}); err != nil {
		return 0, err
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(x, head); err != nil {
		return 0, err
	}
	body := make([]byte, int(binary.LittleEndian.Uint16(head[6:]))*4)
	if _, err := io.ReadFull(x, body); err != nil {
		return 0, err
	}
	if head[0] != 1 {
		reason := body
		if head[0] == 0 && int(head[1]) <= len(body) {
			reason = body[:head[1]]
		}
		return 0, fmt.Errorf("X server refused the connection: %s", bytes.TrimRight(reason, "\x00"))
	}
	if len(body) < 32 {
		return 0, errors.New("X server sent a short setup reply")
	}
	vendor := int(binary.LittleEndian.Uint16(body[16:]))
	formats := int(body[21])
	off := 32 + (vendor+3)/4*4 + 8*formats
	if len(body) < off+4 {
		return 0, errors.New("X server sent a short setup reply")
	}
	return binary.LittleEndian.Uint32(body[off:]), nil
}

// waitMap reads events until a MapNotify of a window that is not
// override-redirect (a top-level window rather than a popup).
func waitMap(x io.Reader) error {
	ev := make([]byte, 32)
	for {
		if _, err := io.ReadFull(x, ev); err != nil {
			return err
		}
		switch ev[0] & 0x7f {
		case 0:
			return fmt.Errorf("X error %d", ev[1])
		case 1: // a reply, with extra data to skip
			if _, err := io.CopyN(io.Discard, x, int64(binary.LittleEndian.Uint32(ev[4:]))*4); err != nil {
				return err
			}
		case 19: // MapNotify
			if ev[12] == 0 {
				return nil
			}
		}
	}
}

// cpuMS returns utime+stime of a /proc stat file in ms. The fields are
// counted after the command name, which may hold spaces.
func cpuMS(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("odd stat file")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("odd stat file")
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return (u + s) * 1000 / clockTicks, nil
}

// clockTicks is USER_HZ, 100 on every Linux that Go supports.
const clockTicks = 100

// statusMB returns a "kB" field of /proc/PID/status in MB.
func statusMB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb / 1024
		}
	}
	return 0
}
