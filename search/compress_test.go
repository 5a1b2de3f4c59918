package search

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"dossier/notes"
)

// indexSize is the bytes of the segment files under dir.
func indexSize(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".zap") {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// answers runs a fixed set of queries of every form and returns what a
// user sees of each: totals, hits in order with scores, snippets, facets.
func answers(tb testing.TB, ix *Index, queries []string) []string {
	tb.Helper()
	var out []string
	for _, q := range queries {
		res := MustSearch(tb, ix, notes.SearchRequest{Query: q, Limit: 30, Snippets: 2})
		var b strings.Builder
		b.WriteString(q)
		// Hits of equal score may come in either order: the order of
		// documents inside segments changes when they are merged.
		hits := res.Hits
		if len(hits) == 30 { // the last score may continue past the page
			hits = hits[:slices.IndexFunc(hits, func(h notes.Hit) bool { return h.Score == hits[29].Score })]
		}
		slices.SortFunc(hits, func(x, y notes.Hit) int {
			return cmp.Or(cmp.Compare(y.Score, x.Score), strings.Compare(x.ID, y.ID))
		})
		for _, h := range hits {
			fmt.Fprintf(&b, "|%s %.6g %s", h.ID, h.Score, h.Title)
			for _, s := range h.Snippets {
				b.WriteString(" «" + s.Text + "»")
			}
		}
		fmt.Fprintf(&b, " total %d", res.Total)
		for _, field := range []string{"type", "source", "year"} {
			for _, f := range res.Facets[field] {
				fmt.Fprintf(&b, " %s:%s=%d", field, f.Value, f.Count)
			}
		}
		out = append(out, b.String())
		out = append(out, strings.Join(find(tb, ix, q), ","))
	}
	return out
}

// openInBatches opens a new index in dir and indexes docs in batches of
// size, each of which becomes a segment in each shard.
func openInBatches(t *testing.T, dir string, docs []*notes.Document, size int) (*Index, *texts) {
	t.Helper()
	src := &texts{}
	ix, err := Open(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	src.add(docs...)
	for len(docs) > 0 {
		n := min(len(docs), size)
		if err := ix.Index(context.Background(), docs[:n]); err != nil {
			ix.Close()
			t.Fatal(err)
		}
		docs = docs[n:]
	}
	return ix, src
}

// TestCompact_ShrinksTheIndexAndChangesNoAnswer compacts an index built in
// many batches (many segments, as an import leaves it) and checks that the
// segment files shrink, that every query form answers exactly as before,
// after compacting and after reopening, and that new writes still work.
func TestCompact_ShrinksTheIndexAndChangesNoAnswer(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	docs := generate(r, sentences(seedDocuments(t)), 1500)
	for i, d := range docs {
		d.Published = notes.YearDate(2000 + i%20)
		d.Source = []string{"IWPR", "RFE/RL", "Eurasianet"}[i%3]
	}
	// Scorch merges everything under 2,000 documents into one segment in
	// the background, where a large import leaves tiers of segments for
	// Compact to merge. A small floor and many segments per tier make
	// these small batches stay apart like those tiers.
	defer func(o mergeplan.MergePlanOptions) { mergeplan.DefaultMergePlanOptions = o }(mergeplan.DefaultMergePlanOptions)
	mergeplan.DefaultMergePlanOptions.FloorSegmentSize = 10
	mergeplan.DefaultMergePlanOptions.MaxSegmentsPerTier = 1000
	dir := filepath.Join(t.TempDir(), "index")
	ix, src := openInBatches(t, dir, docs, 100) // small batches make many segments
	defer func() { ix.Close() }()
	queries := []string{"kant", "airbase russia", `"air base"`, `"the kant"`, "+kyrgyz -putin", "presid*",
		"airbse~1", "title:generated", "year:2005", "source:iwpr base", "published:>=2003 published:<2010 kant", "-kant"}
	MustIndex(t, ix, src, seq("late", 3)...)
	queries = append(queries, "harbour")
	before := answers(t, ix, queries)
	sizeBefore := indexSize(t, dir)

	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := answers(t, ix, queries); !equalLines(t, before, got) {
		t.Fatal("answers changed by compacting")
	}
	sizeAfter := indexSize(t, dir)
	t.Logf("segments %d → %d bytes", sizeBefore, sizeAfter)
	if sizeAfter >= sizeBefore*9/10 {
		t.Errorf("compacting left %d of %d bytes", sizeAfter, sizeBefore)
	}
	if !compressedSegments(t, dir) {
		t.Error("no segment is compressed after compacting")
	}

	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	var err error
	if ix, err = Open(dir, src); err != nil {
		t.Fatal(err)
	}
	if got := answers(t, ix, queries); !equalLines(t, before, got) {
		t.Fatal("answers changed by reopening a compacted index")
	}
	// Writes after compaction land in uncompressed segments beside the
	// compressed one and are found.
	MustIndex(t, ix, src, seq("later", 2)...)
	if got := find(t, ix, "harbour"); !same(got, set("late-0", "late-1", "late-2", "later-0", "later-1")) {
		t.Fatalf("after a write: %v", got)
	}
	if err := ix.Delete(context.Background(), []string{"gen-000"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 1504 {
		t.Fatalf("count %d, want 1504", n)
	}
	// A second compaction merges the compressed segment with the
	// uncompressed ones, copying their postings (third_party/zapx).
	before = answers(t, ix, queries)
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := answers(t, ix, queries); !equalLines(t, before, got) {
		t.Fatal("answers changed by compacting a compacted index")
	}
}

// TestCompact_CopiedPostingsAnswerAsBefore: when every segment has the same
// fields, as in an import of one kind of file, merges copy each posting's
// frequencies and positions as they are instead of decoding them, and
// third_party/zapx lets compaction do so too while it compresses, from
// uncompressed segments and from an already compressed one. Phrases,
// which read the copied positions, and scores, which read the copied
// frequencies, must answer exactly as before.
func TestCompact_CopiedPostingsAnswerAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	docs := generate(r, sentences(seedDocuments(t)), 1200)
	uniform := func(docs []*notes.Document) {
		for i, d := range docs {
			d.Author = []string{"Leila Saralaeva", "Bruce Pannier"}[i%2]
			d.Source = []string{"IWPR", "RFE/RL", "Eurasianet"}[i%3]
			d.Published = notes.DayDate(2000+i%20, time.Month(1+i%12), 1+i%28)
		}
	}
	uniform(docs)
	defer func(o mergeplan.MergePlanOptions) { mergeplan.DefaultMergePlanOptions = o }(mergeplan.DefaultMergePlanOptions)
	mergeplan.DefaultMergePlanOptions.FloorSegmentSize = 10
	mergeplan.DefaultMergePlanOptions.MaxSegmentsPerTier = 1000
	dir := filepath.Join(t.TempDir(), "index")
	ix, src := openInBatches(t, dir, docs[:900], 100)
	defer func() { ix.Close() }()
	queries := []string{"kant", `"air base"`, `"the kant"`, `"russian airbase in kant"`, "+kyrgyz -putin",
		"presid*", "author:leila", "source:iwpr base", "published:>=2003-05 published:<2010 kant"}
	for round, next := range [][]*notes.Document{docs[900:], nil} {
		before := answers(t, ix, queries)
		if err := ix.Compact(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := answers(t, ix, queries); !equalLines(t, before, got) {
			t.Fatalf("compaction %d changed the answers", round+1)
		}
		if !compressedSegments(t, dir) {
			t.Fatalf("compaction %d left no compressed segment", round+1)
		}
		for len(next) > 0 {
			MustIndex(t, ix, src, next[:100]...)
			next = next[100:]
		}
	}
}

// TestIndex_EverySegmentHasTheSameFields: a batch of documents with tags, a
// grade, an author and a date and a batch with none of them make segments
// with the same fields, which merges copy instead of decoding (see
// indexItem); and a document without a field is still found by the fields
// it has, and not by one it lacks.
func TestIndex_EverySegmentHasTheSameFields(t *testing.T) {
	full := seq("full", 3)
	for _, d := range full {
		d.Author, d.Source, d.Grade, d.Tags = "Leila Saralaeva", "IWPR", "B2", []string{"#airbase"}
		d.Published = notes.DayDate(2023, 10, 4)
		d.MediaType = "text/html"
	}
	bare := seq("bare", 3)
	dir := filepath.Join(t.TempDir(), "index")
	ix, src := openInBatches(t, dir, full, 3)
	defer ix.Close()
	MustIndex(t, ix, src, bare...)
	for i, s := range ix.shards {
		var first []string
		eachSegment(t, s, func(j int, ss *scorch.SegmentSnapshot) {
			fields := ss.Segment().Fields()
			if j == 0 {
				first = fields
			} else if !slices.Equal(fields, first) {
				t.Errorf("shard %d: segment %d has fields %v, segment 0 %v", i, j, fields, first)
			}
		})
	}
	for q, want := range map[string][]string{
		"harbour":                 {"full-0", "full-1", "full-2", "bare-0", "bare-1", "bare-2"},
		"author:leila":            {"full-0", "full-1", "full-2"},
		"tag:airbase":             {"full-0", "full-1", "full-2"},
		"grade:b2 harbour":        {"full-0", "full-1", "full-2"},
		"published:<2024 harbour": {"full-0", "full-1", "full-2"},
		"-tag:airbase harbour":    {"bare-0", "bare-1", "bare-2"},
		"year:undated":            {"bare-0", "bare-1", "bare-2"},
	} {
		if got := find(t, ix, q); !same(got, set(want...)) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
}

// TestCompact_SegmentsWithOtherFieldsAnswerAsBefore: an index written before
// every segment had every field (see indexItem) holds segments that lack
// some. Merging them with complete ones, third_party/zapx copies the
// postings of the segments whose fields keep their numbers and decodes the
// others; phrases, which read the copied positions and the field each
// names, answer exactly as before.
func TestCompact_SegmentsWithOtherFieldsAnswerAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	docs := generate(r, sentences(seedDocuments(t)), 600)
	for i, d := range docs[:300] {
		d.Author = []string{"Leila Saralaeva", "Bruce Pannier"}[i%2]
		d.Source = "IWPR"
		d.Published = notes.DayDate(2000+i%20, time.Month(1+i%12), 1+i%28)
	}
	dir := filepath.Join(t.TempDir(), "index")
	ix, src := openInBatches(t, dir, docs[:300], 100) // complete segments
	defer func() { ix.Close() }()
	// Segments as an older Dossier wrote them: no author, source or date
	// fields in the batches of documents that have none.
	src.add(docs[300:]...)
	for _, part := range [][]*notes.Document{docs[300:400], docs[400:500], docs[500:]} {
		batches := make([]*bleve.Batch, len(ix.shards))
		for _, d := range part {
			s := ix.shardOf(d.ID)
			if batches[s] == nil {
				batches[s] = ix.shards[s].idx.NewBatch()
			}
			if err := batches[s].IndexAdvanced(indexItem(d.Item(), false)); err != nil {
				t.Fatal(err)
			}
		}
		for i, b := range batches {
			if err := ix.shards[i].batch(b); err != nil {
				t.Fatal(err)
			}
		}
	}
	queries := []string{"kant", `"air base"`, `"the kant"`, `"russian airbase in kant"`, "+kyrgyz -putin",
		"author:leila", `author:"leila saralaeva"`, "source:iwpr base", "published:>=2003-05 published:<2010 kant",
		"year:undated kant"}
	// Where a document's words are (the reader's highlights) comes from
	// the positions Bleve reports under the text field.
	matches := func() []string {
		var out []string
		for i := 0; i < len(docs); i += 47 {
			d := docs[i]
			for _, q := range []string{"kant", `"the kant"`, "airbase"} {
				spans, err := ix.Matches(context.Background(), d.ID, q)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprint(d.ID, q, spans))
			}
		}
		return out
	}
	before, beforeMatches := answers(t, ix, queries), matches()
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := answers(t, ix, queries); !equalLines(t, before, got) {
		t.Fatal("compaction changed the answers")
	}
	if got := matches(); !equalLines(t, beforeMatches, got) {
		t.Fatal("compaction changed where the words are")
	}
}

func equalLines(t *testing.T, want, got []string) bool {
	t.Helper()
	for i := range want {
		if want[i] != got[i] {
			j := 0
			for j < len(want[i]) && j < len(got[i]) && want[i][j] == got[i][j] {
				j++
			}
			j = max(0, j-100)
			t.Errorf("query %d, from byte %d:\nwant %.300s\ngot  %.300s", i/2, j, want[i][j:], got[i][j:])
			return false
		}
	}
	return len(want) == len(got)
}

// compressedSegments reports whether a segment file names segmentCodec in
// its footer.
func compressedSegments(t *testing.T, dir string) bool {
	t.Helper()
	found := false
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".zap") {
			b, _ := os.ReadFile(path)
			found = found || bytes.Contains(b[max(0, len(b)-256):], []byte(segmentCodec))
		}
		return nil
	})
	return found
}

// eachSegment calls f with each segment of s's current snapshot, which
// it holds meanwhile.
func eachSegment(t *testing.T, s *shard, f func(j int, ss *scorch.SegmentSnapshot)) {
	t.Helper()
	adv, err := s.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for j, ss := range r.(*scorch.IndexSnapshot).Segments() {
		f(j, ss)
	}
}

// settledSegments gives the background merges time to run (until the
// segments of every shard stay the same for a while) and returns the
// sizes, in documents, of the segments they left.
func settledSegments(t *testing.T, ix *Index) []uint64 {
	t.Helper()
	segments := func() (sizes []uint64) {
		for _, s := range ix.shards {
			eachSegment(t, s, func(_ int, ss *scorch.SegmentSnapshot) {
				sizes = append(sizes, ss.Count())
			})
		}
		return sizes
	}
	last := segments()
	for still := 0; still < 5; still++ {
		time.Sleep(50 * time.Millisecond)
		if now := segments(); !slices.Equal(now, last) {
			last, still = now, 0
		}
	}
	return last
}

// openMerging indexes n generated documents (from seed) in batches of 20,
// with background merges that stop short of limit documents instead of
// maxMergedDocs, so that a test of a few hundred documents merges as an
// import of thousands does. The index is closed when the test ends.
func openMerging(t *testing.T, limit, n int, seed uint64) *Index {
	t.Helper()
	old := mergePlan["MaxSegmentSize"]
	t.Cleanup(func() { mergePlan["MaxSegmentSize"] = old })
	mergePlan["MaxSegmentSize"] = limit
	docs := generate(rand.New(rand.NewPCG(seed, seed+4)), sentences(seedDocuments(t)), n)
	ix, _ := openInBatches(t, filepath.Join(t.TempDir(), "index"), docs, 20)
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestBackgroundMerges_MergeEachBatchOnce: the segments an import writes,
// one per batch and shard, are merged about once before Compact, not again
// and again as the shard grows (Scorch's stock policy wrote them two to
// three times over at 100,000 documents), and no shard is left with more than
// mergeFanIn small segments for searches to look in.
func TestBackgroundMerges_MergeEachBatchOnce(t *testing.T) {
	const limit = 100
	ix := openMerging(t, limit, 1200, 7)
	sizes := settledSegments(t, ix)
	t.Logf("segments after the background merges, in documents: %v", sizes)
	small := 0
	for _, n := range sizes {
		if n < limit/2 {
			small++
		}
	}
	if small > numShards*mergeFanIn {
		t.Errorf("%d small segments left in %d shards, want at most %d a shard", small, numShards, mergeFanIn)
	}
	for i, s := range ix.shards {
		stats, _ := s.idx.StatsMap()["index"].(map[string]any)
		batches, _ := stats["TotPersistedSegments"].(uint64)
		merged, _ := stats["TotFileMergeSegments"].(uint64)
		t.Logf("shard %d: %d batch segments, %d segments merged in the background", i, batches, merged)
		if merged == 0 {
			t.Errorf("shard %d: no background merge ran over %d batch segments", i, batches)
		}
		if merged > batches {
			t.Errorf("shard %d: background merges took in %d segments for %d batch segments: some were merged more than once",
				i, merged, batches)
		}
	}
}

// TestCompact_LeavesEveryShardInOneCompressedSegment: background merges
// stop short of maxMergedDocs, so they cannot merge a whole shard into one
// uncompressed segment for the forced merge to leave as it is; after
// Compact every shard is one compressed file, the files it replaced are
// gone, and the answers are unchanged.
func TestCompact_LeavesEveryShardInOneCompressedSegment(t *testing.T) {
	const limit = 100
	ix := openMerging(t, limit, 600, 3)
	sizes := settledSegments(t, ix)
	t.Logf("segments before compacting, in documents: %v", sizes)
	if len(sizes) < 2*numShards {
		t.Fatalf("background merges left %v: each shard should keep segments under %d documents", sizes, limit)
	}
	for _, n := range sizes {
		if n >= limit {
			t.Errorf("a background merge wrote a segment of %d documents (limit %d)", n, limit)
		}
	}
	queries := []string{"kant", `"air base"`, "presid*", "airbse~1", "-kant"}
	before := answers(t, ix, queries)

	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, s := range ix.shards {
		files, err := filepath.Glob(filepath.Join(s.dir, "store", "*.zap"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 1 {
			t.Errorf("shard %d: %d segment files after compacting, want 1: %v", i, len(files), files)
		}
		for _, f := range files {
			if !compressedSegments(t, f) {
				t.Errorf("shard %d: %s is not compressed", i, filepath.Base(f))
			}
		}
	}
	if got := answers(t, ix, queries); !equalLines(t, before, got) {
		t.Fatal("answers changed by compacting")
	}
}

func TestDecompressChunk_RejectsDamage(t *testing.T) {
	for _, data := range [][]byte{{9, 1, 2}, {chunkSnappy, 0xff, 0xff, 0xff}} {
		if _, err := decompressChunk(data); err == nil {
			t.Errorf("%v: no error", data)
		}
	}
	for _, data := range [][]byte{nil, []byte("short"), bytes.Repeat([]byte("positions "), 50)} {
		got, err := decompressChunk(compressChunk(data))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("round trip of %q: %q, %v", data, got, err)
		}
	}
}
