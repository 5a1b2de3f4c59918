package store

// SetPackLimit makes packs fill at n bytes until the test ends.
func SetPackLimit(t interface{ Cleanup(func()) }, n int64) {
	old := packLimit
	packLimit = n
	t.Cleanup(func() { packLimit = old })
}
