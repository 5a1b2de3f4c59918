package store

// SetPackLimit makes packs fill at n bytes until the test ends.
func SetPackLimit(t interface{ Cleanup(func()) }, n int64) {
	old := packLimit
	packLimit = n
	t.Cleanup(func() { packLimit = old })
}

// SetAfterAppend makes fn run between each put's append and its rows until
// the test ends.
func SetAfterAppend(t interface{ Cleanup(func()) }, fn func()) {
	testAfterAppend = fn
	t.Cleanup(func() { testAfterAppend = nil })
}

// InFlight is how many originals puts have appended and not yet recorded.
func InFlight(s *Store) int {
	s.packs.mu.Lock()
	defer s.packs.mu.Unlock()
	return len(s.packs.inFlight)
}
