package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"dossier/internal/testbin"
	"dossier/notes"
	"dossier/project"
)

// TestCrash_KilledWhileTypingLosesNoAcknowledgedLine runs the real binary's
// `note type`, which saves through the editor's Autosaver and prints
// "saved N V" once the first N lines it read are durable, and kills it
// with SIGKILL at random moments (while typing, during a save, during the
// index update, while opening). Every acknowledged line must be in the note
// afterwards, in order, and the project must open.
func TestCrash_KilledWhileTypingLosesNoAcknowledgedLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary; skipped in -short mode")
	}
	bin := testbin.Dossier(t)
	dir := filepath.Join(t.TempDir(), "project")
	if out, err := exec.Command(bin, "--project", dir, "--no-seeds", "note", "new", "--title", "Crash log").CombinedOutput(); err != nil {
		t.Fatalf("note new: %v\n%s", err, out)
	}

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)
	const rounds = 30
	start := time.Now()
	var acked []string // every line acknowledged so far, in order
	sent := map[string]bool{}
	totalAcks := 0
	for r := 0; r < rounds; r++ {
		kill := time.Duration(rng.IntN(1500)) * time.Millisecond
		lines, n := typeAndKill(t, bin, dir, "Crash log", kill, nil, rng, func(i int) string {
			return fmt.Sprintf("round %d line %d — Ёжик %s", r, i, strings.Repeat("x", i%50))
		})
		for _, l := range lines {
			sent[l] = true
		}
		acked = append(acked, lines[:n]...)
		totalAcks += n
	}
	if totalAcks == 0 {
		t.Fatalf("no save was ever acknowledged in %d rounds: the test proves nothing", rounds)
	}

	p, err := project.Open(context.Background(), dir, project.Options{NoSeeds: true})
	if err != nil {
		t.Fatalf("the project does not open after the kills: %v", err)
	}
	defer p.Close()
	n, err := p.Notes().NoteByTitle(context.Background(), "Crash log")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Split(strings.TrimSuffix(n.Body, "\n"), "\n")
	// Acknowledged lines appear in the order sent; lines typed but not
	// acknowledged may be there too, and nothing else.
	i := 0
	for _, l := range body {
		if !sent[l] {
			t.Fatalf("the note holds a line that was never typed: %q", l)
		}
		if i < len(acked) && l == acked[i] {
			i++
		}
	}
	if i != len(acked) {
		t.Fatalf("acknowledged line %q (%d of %d) is missing after the kills", acked[i], i+1, len(acked))
	}
	res, err := p.Index.Search(context.Background(), notes.SearchRequest{Query: "type:note", Limit: 10})
	if err != nil || res.Total != 1 {
		t.Errorf("search after the kills: %v, %+v", err, res)
	}
	t.Logf("%d rounds in %v, %d lines acknowledged, %d lines in the note", rounds, time.Since(start).Round(time.Millisecond), len(acked), len(body))
}

// typeAndKill starts `note type` on the note titled title, types bursts
// of lines (line(i) is the i-th) with pauses of up to 400 ms (so saves come
// from both the idle and the one-second rule) and SIGKILLs the process
// after kill, or as soon as when (if not nil, polled every millisecond)
// holds. It returns the lines written and how many of them the process
// acknowledged.
func typeAndKill(t *testing.T, bin, dir, title string, kill time.Duration, when func() bool, rng *rand.Rand, line func(i int) string) ([]string, int) {
	t.Helper()
	cmd := exec.Command(bin, "--project", dir, "note", "type", title)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		acked int
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && f[0] == "saved" {
				if n, err := strconv.Atoi(f[1]); err == nil {
					mu.Lock()
					acked = max(acked, n)
					mu.Unlock()
				}
			}
		}
	}()
	var (
		lines []string
		fired = make(chan struct{})
		exit  = make(chan struct{})
	)
	if when != nil {
		go func() {
			defer close(fired)
			for {
				select {
				case <-exit:
					return
				case <-time.After(time.Millisecond):
					if when() {
						_ = cmd.Process.Signal(syscall.SIGKILL)
						return
					}
				}
			}
		}()
		defer func() { <-fired }()
		defer close(exit)
	}
	deadline := time.Now().Add(kill)
	for i := 0; time.Now().Before(deadline); i++ {
		l := line(i)
		if _, err := io.WriteString(stdin, l+"\n"); err != nil {
			break
		}
		lines = append(lines, l)
		if rng.IntN(4) == 0 {
			time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		} else {
			time.Sleep(time.Duration(rng.IntN(10)) * time.Millisecond)
		}
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if acked > len(lines) {
		t.Fatalf("%d lines acknowledged, only %d sent", acked, len(lines))
	}
	return lines, acked
}
