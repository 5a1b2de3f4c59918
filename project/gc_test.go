package project

import (
	"runtime/debug"
	"testing"
)

func TestLowerGC_OverlappingPhasesRestoreTheTarget(t *testing.T) {
	orig := debug.SetGCPercent(100)
	defer debug.SetGCPercent(orig)
	gc := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }

	// Nested: the inner phase lowers further and ends first.
	endA := LowerGC(70)
	endB := LowerGC(50)
	if gc() != 50 {
		t.Fatalf("both phases: %d, want 50", gc())
	}
	endB()
	if gc() != 70 {
		t.Fatalf("after the inner phase: %d, want 70", gc())
	}
	endA()
	if gc() != 100 {
		t.Fatalf("after both: %d, want 100", gc())
	}

	// Interleaved: the first phase ends while the second runs.
	endA = LowerGC(50)
	endB = LowerGC(70) // already lower: left at 50
	if gc() != 50 {
		t.Fatalf("both phases: %d, want 50", gc())
	}
	endA()
	endB()
	if gc() != 100 {
		t.Fatalf("after interleaved phases: %d, want 100", gc())
	}

	// Never raised, never turned on.
	debug.SetGCPercent(-1)
	LowerGC(70)()
	if gc() != -1 {
		t.Fatalf("with the collector off: %d", gc())
	}
}
