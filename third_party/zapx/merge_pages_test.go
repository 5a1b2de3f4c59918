//  Dossier's addition to zapx (see DOSSIER.md); Apache 2.0 like the rest.

//go:build linux

package zap

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	seg "github.com/blevesearch/scorch_segment_api/v2"
)

// mappedKB returns the resident kilobytes of this process's mappings of
// the file at path, from /proc/self/smaps.
func mappedKB(t *testing.T, path string) int {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && fields[5] == path
		} else if in && len(fields) >= 2 && fields[0] == "Rss:" {
			n, _ := strconv.Atoi(fields[1])
			kb += n
		}
	}
	return kb
}

// A merge reads its inputs through their mappings; the pages it has read
// are let go of as it writes, not held until the inputs are closed.
func TestMerge_LetsGoOfInputPages(t *testing.T) {
	defer func(every int) { dropInputPagesEvery = every }(dropInputPagesEvery)
	dropInputPagesEvery = 0 // after every write, so that nothing read stays

	dir := t.TempDir()
	var segs []seg.Segment
	var paths []string
	for i, build := range []func() (*SegmentBase, uint64, error){buildTestSegmentMulti, buildTestSegmentMulti2} {
		sb, _, err := build()
		if err != nil {
			t.Fatal(err)
		}
		path := dir + "/" + strconv.Itoa(i) + ".zap"
		if err := PersistSegmentBase(sb, path); err != nil {
			t.Fatal(err)
		}
		s, err := zapPlugin.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// Read it all, as a search would have.
		sum := 0
		for _, b := range s.(*Segment).mm {
			sum += int(b)
		}
		_ = sum
		if mappedKB(t, path) == 0 {
			t.Fatalf("%s: nothing resident after reading it", path)
		}
		segs, paths = append(segs, s), append(paths, path)
	}
	out := dir + "/merged.zap"
	if _, _, err := zapPlugin.Merge(segs, []*roaring.Bitmap{nil, nil}, out, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if kb := mappedKB(t, path); kb != 0 {
			t.Errorf("%s: %d kB still resident after the merge", path, kb)
		}
	}
	merged, err := zapPlugin.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer merged.Close()
	if merged.Count() != 4 {
		t.Fatalf("merged %d documents, want 4", merged.Count())
	}
}
