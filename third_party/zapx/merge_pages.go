//  Dossier's addition to zapx (see DOSSIER.md); Apache 2.0 like the rest.

package zap

// dropInputPagesEvery is how much a merge writes between two calls that
// let go of the pages of its input segments (see FileWriter.inputs). A
// variable for the tests.
var dropInputPagesEvery = 8 << 20

// dropInputPages tells the kernel that the merge is done with the pages of
// its memory-mapped inputs it has read so far. A merge reads each input from
// end to end, and every page it has read stayed mapped into the process
// until the merge ended and the inputs were closed: the compaction that
// ends a 100,000-document import had 250 MB of segment pages in its
// resident memory. The pages stay in the page cache; one read again (a
// dictionary's root, say) is mapped again from there, without a disk read.
func (w *FileWriter) dropInputPages() {
	for _, m := range w.inputs {
		dropPages(m)
	}
}
