package childrss

import (
	"os/exec"
	"runtime"
	"testing"
)

// A small child of a process that has held a lot of memory reports its
// own peak, not the parent's.
func TestWrap_ChildPeakNotParents(t *testing.T) {
	if _, err := exec.LookPath("/usr/bin/time"); err != nil {
		t.Skip("GNU time not installed (apt-get install time)")
	}
	big := make([]byte, 300<<20)
	for i := 0; i < len(big); i += 4096 { // touch every page
		big[i] = 1
	}
	cmd := exec.Command("sh", "-c", "true")
	rss := Wrap(cmd)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(big)
	got := rss()
	if got <= 0 || got > 100<<20 {
		t.Errorf("sh -c true: max RSS %d bytes, want its own few MB (parent holds 300 MB)", got)
	}
	if k := Kernel(cmd.ProcessState); k < 300<<20 {
		t.Logf("kernel figure %d bytes: this kernel does not copy the parent's peak", k)
	}
}
