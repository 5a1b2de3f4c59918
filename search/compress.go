package search

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/golang/snappy"
)

// segmentCodec names the compression of the segments Compact writes. Zap
// hands every chunk it writes to a segment file (postings, positions,
// frequencies, term dictionaries, stored fields) to index.WriterHook and
// records the name the hook returns in the segment; segments written
// without it carry "" and are read as they are.
//
// Only compaction compresses: Scorch's own background merges, which run
// all through an import, stay uncompressed because a merge of compressed
// segments can no longer copy stored fields and postings as they are and
// must decode and re-encode them all. Compressing every merge made a
// 100,000-document import take half as much CPU again; compressing once,
// at the end, costs one merge and shrinks the index by a fifth.
const segmentCodec = "dossier-snappy-1"

// compacting counts the compactions running in this process. While it is
// above zero every segment written is compressed, including a background
// merge that happens to run then: harmless, as readers take both.
var compacting atomic.Int32

// Chunk flags: a chunk is kept as it is when compressing would not make it
// smaller, which is the case for most of the tiny postings of rare words.
const (
	chunkRaw    = 0
	chunkSnappy = 1
)

func init() {
	index.WriterHook = func([]byte) (string, func([]byte) []byte, error) {
		if compacting.Load() == 0 {
			return "", nil, nil
		}
		return segmentCodec, compressChunk, nil
	}
	index.ReaderHook = func(id string, _ []byte) (func([]byte) ([]byte, error), error) {
		switch id {
		case "":
			return nil, nil
		case segmentCodec:
			return decompressChunk, nil
		}
		return nil, fmt.Errorf("search index segment written by an unknown codec %q", id)
	}
}

func compressChunk(data []byte) []byte {
	if len(data) >= 16 {
		out := make([]byte, 1+snappy.MaxEncodedLen(len(data)))
		out[0] = chunkSnappy
		if n := len(snappy.Encode(out[1:], data)); n < len(data) {
			return out[:1+n]
		}
	}
	out := make([]byte, 1+len(data))
	out[0] = chunkRaw
	copy(out[1:], data)
	return out
}

func decompressChunk(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return data, nil
	}
	switch data[0] {
	case chunkRaw:
		return data[1:], nil
	case chunkSnappy:
		out, err := snappy.Decode(nil, data[1:])
		if err != nil {
			return nil, fmt.Errorf("search index chunk: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("search index chunk with unknown flag %d", data[0])
}

// Compact merges each shard into one compressed segment. It is for after
// a large change (an import of thousands of documents, a rebuild): a shard
// of 50,000 documents takes a few seconds of one core. Searches and
// batches go on meanwhile. Cancelling ctx stops it before the next merge
// starts; a merge under way finishes.
//
// A merge reads every segment of its shard through memory maps, and the
// pages it reads count in the process's memory until it ends. Shards are
// merged at once while the index is under compactTogetherMax, one after
// the other above it.
func (ix *Index) Compact(ctx context.Context) error {
	compacting.Add(1)
	defer compacting.Add(-1)
	if ix.diskSize() < compactTogetherMax {
		return ix.each(func(_ int, s *shard) error { return s.compact(ctx) })
	}
	for _, s := range ix.shards {
		if err := s.compact(ctx); err != nil {
			return err
		}
	}
	return nil
}

// compactTogetherMax is the largest index whose shards Compact merges at
// once. At 100,000 documents (180 MB, two shards) that measured 455–463 MB
// of peak memory against 427–469 MB one at a time, and imports ~2 s
// shorter (of ~50); at 1,000,000 documents (1.4 GB) the second shard's
// mapped pages would add ~700 MB.
const compactTogetherMax = 512 << 20

// diskSize returns the bytes of the index's files, or 0 if they cannot be
// listed.
func (ix *Index) diskSize() int64 {
	var n int64
	for _, s := range ix.shards {
		err := filepath.WalkDir(s.dir, func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if fi, err := d.Info(); err == nil && fi.Mode().IsRegular() {
				n += fi.Size()
			}
			return nil
		})
		if err != nil {
			return 0
		}
	}
	return n
}

func (s *shard) compact(ctx context.Context) error {
	adv, err := s.idx.Advanced()
	if err != nil {
		return err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// One merge of every segment: the stock single-segment plan merges
	// ten at a time, leaving two segments after a large import.
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.SegmentsPerMergeTask = math.MaxInt32
	if err := s.forceMerge(ctx, sc, &opts); err != nil {
		return fmt.Errorf("compact search index: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.dropReplaced(sc)
}

// dropReplaced has the persister delete the segment files that compaction
// replaced, which it does when it next runs and finds them no longer in
// use; left to themselves they stay until the next change or open, and
// the folder is twice its size meanwhile. An empty batch makes it run; one
// was not always enough, when a file was still being read at that moment,
// so it tries again for up to a second.
func (s *shard) dropReplaced(sc *scorch.Scorch) error {
	for range 50 {
		if err := s.batch(s.idx.NewBatch()); err != nil {
			return err
		}
		if !staleFiles(sc) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil // the next open deletes them
}

// staleFiles reports whether sc's folder holds a segment file that its
// current snapshot does not use.
func staleFiles(sc *scorch.Scorch) bool {
	r, err := sc.Reader()
	if err != nil {
		return false
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return false
	}
	live := map[string]bool{}
	dir := ""
	for _, ss := range snap.Segments() {
		if p, ok := ss.Segment().(interface{ Path() string }); ok && p.Path() != "" {
			live[filepath.Base(p.Path())] = true
			dir = filepath.Dir(p.Path())
		}
	}
	if dir == "" {
		return false
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.zap"))
	if err != nil {
		return false
	}
	for _, f := range files {
		if !live[filepath.Base(f)] {
			return true
		}
	}
	return false
}

// forceMerge runs a forced merge and returns its failure. Scorch reports a
// failed merge (a full disk) only to the async error callback and then
// tries the same merge again and again, so ForceMerge alone would never
// return: the merge is cancelled at the first failure.
func (s *shard) forceMerge(ctx context.Context, sc *scorch.Scorch, opts *mergeplan.MergePlanOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	failed, stop := s.watchFailures()
	defer stop()
	done := make(chan error, 1)
	go func() { done <- sc.ForceMerge(ctx, opts) }()
	select {
	case err := <-done:
		return err
	case err := <-failed:
		cancel()
		<-done
		return err
	}
}
