//  Dossier's addition to zapx (see DOSSIER.md); Apache 2.0 like the rest.

//go:build unix

package zap

import "golang.org/x/sys/unix"

// dropPages unmaps the pages of m, a read-only shared file mapping, from
// the process; a later read maps them again from the page cache.
func dropPages(m []byte) {
	if len(m) > 0 {
		_ = unix.Madvise(m, unix.MADV_DONTNEED)
	}
}
