package project

import "runtime/debug"

// LowerGC makes the garbage collector run at percent (see
// debug.SetGCPercent) while a phase that allocates a lot runs, and returns
// what ends it. It never raises the target (another phase may have lowered
// it further, or the collector may be off), and the end sets the target
// back only if nothing changed it meanwhile, so phases that overlap (an
// import started while the window is still loading) leave the collector
// as it was once both are over.
func LowerGC(percent int) (restore func()) {
	prev := debug.SetGCPercent(percent)
	if prev < 0 || prev <= percent {
		debug.SetGCPercent(prev)
		return func() {}
	}
	return func() {
		if cur := debug.SetGCPercent(prev); cur != percent {
			debug.SetGCPercent(cur)
		}
	}
}
