package search

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bolterrors "go.etcd.io/bbolt/errors"

	"dossier/notes"
)

// schemaKey holds schemaVersion in every shard. Bump schemaVersion whenever
// the mapping or the analysis changes: Open then reports ErrCorrupt and the
// caller rebuilds, instead of searching an index whose terms no longer match
// what queries produce. A rebuild writes the key last, so an interrupted
// rebuild is detected too.
var schemaKey = []byte("dossier_schema")

const schemaVersion = "3"

// genKey and genFile hold the number of the last batch written, inside a
// shard and beside it. Scorch, finding its newest snapshot unreadable (a
// damaged segment file), silently falls back to an older one; a shard
// whose generation is behind the file's has done so and lost batches. The
// file is written after each batch returns, when the batch is on disk.
var genKey = []byte("dossier_generation")

const genFile = "dossier_generation"

// asyncErrorCallback is the name under which onAsyncError is registered
// with Scorch; openBleve names it in every shard's configuration.
const asyncErrorCallback = "dossier"

// persistFailures holds, by Scorch folder, the channel on which a shard
// waiting for the persister or the merger (see watchFailures) hears of
// their failures.
var persistFailures sync.Map // string → chan error

// watchFailures returns a channel that receives the next failure Scorch
// reports for s in the background, and the function that stops watching.
func (s *shard) watchFailures() (<-chan error, func()) {
	failed := make(chan error, 1)
	store := filepath.Join(s.dir, "store")
	persistFailures.Store(store, failed)
	return failed, func() { persistFailures.Delete(store) }
}

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = onAsyncError
}

func onAsyncError(err error, path string) {
	if !errors.Is(err, scorch.ErrPersist) {
		return
	}
	if ch, ok := persistFailures.Load(path); ok {
		select {
		case ch.(chan error) <- err:
		default:
		}
	}
}

// mergePlan has Scorch's background merges merge each document about
// once before Compact merges it again, compressed. Scorch's stock tiered
// policy counts every segment as at least 2,000 documents when it works
// out how many segments a shard may hold, so an import's segments (one of
// a few hundred documents per batch and shard) were merged again and
// again as the shard grew: at 100,000 documents the background merges
// wrote two to three times the shard (merges took a third of the CPU).
// mergeBudget instead lets a shard hold mergeFanIn-1 small segments and
// merges mergeFanIn of them at once when one more arrives. Searches
// meanwhile look in at most mergeFanIn small segments plus the merged
// ones, which costs them little. Scorch reads mergePlan as JSON over
// mergeplan.DefaultMergePlanOptions; JSON cannot carry a function, so init
// sets CalcBudget there.
//
// Background merges also stop short of maxMergedDocs. Only Compact's
// merges are compressed (see segmentCodec), and a background merge that
// began just before a compaction could merge a whole shard into one
// segment, which left the forced merge nothing to merge: the shard stayed
// uncompressed, a sixth larger (1 import in ~15). A shard of maxMergedDocs
// or more now always has two segments left to compact (a smaller one may
// still be left whole: a few MB at most), and the compressed segment
// Compact writes is never rewritten uncompressed by a later background
// merge.
var mergePlan = map[string]any{"SegmentsPerMergeTask": mergeFanIn, "MaxSegmentSize": maxMergedDocs}

// mergeFanIn is how many small segments a background merge takes at once.
const mergeFanIn = 20

func init() { mergeplan.DefaultMergePlanOptions.CalcBudget = mergeBudget }

// mergeBudget is how many segments below half of MaxSegmentSize a shard
// may hold before a background merge starts (see mergePlan).
func mergeBudget(_, _ int64, o *mergeplan.MergePlanOptions) int {
	return o.SegmentsPerMergeTask - 1
}

// maxMergedDocs bounds, in documents, the segments a background merge
// writes, and leaves out of them segments of half that or more.
const maxMergedDocs = 10_000

// openTimeout bounds how long opening waits for a shard's lock file. Bolt
// waits forever by default when another process holds it.
const openTimeout = 3 * time.Second

// shard is one Bleve index holding the documents whose ids hash to it.
type shard struct {
	idx bleve.Index
	dir string

	// rebuilding is set by OpenRebuild: batches are not waited for on disk,
	// so close must wait for the last one before writing schemaKey.
	rebuilding bool

	writeMu sync.Mutex // orders batches, so generations grow with them
	gen     uint64     // of the last batch; guarded by writeMu

	facets facetCache
}

// createShard makes a new, empty shard in dir. A complete shard is marked
// with schemaKey at once; a shard for a rebuild only when it is finished.
func createShard(dir string, complete bool) error {
	idx, err := bleve.NewUsing(dir, buildMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	if complete {
		err = idx.SetInternal(schemaKey, []byte(schemaVersion))
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	return nil
}

// openShard opens the shard in dir. A rebuilding shard is opened with
// unsafe_batch, and without the checks that it is complete.
func openShard(dir string, rebuilding bool) (*shard, error) {
	idx, err := openBleve(dir, rebuilding)
	if err != nil {
		return nil, err
	}
	s := &shard{idx: idx, dir: dir, rebuilding: rebuilding}
	if rebuilding {
		return s, nil
	}
	fail := func(format string, args ...any) (*shard, error) {
		idx.Close()
		return nil, fmt.Errorf("%w: %s: %s", ErrCorrupt, dir, fmt.Sprintf(format, args...))
	}
	switch v, err := idx.GetInternal(schemaKey); {
	case err != nil:
		return fail("%v", err)
	case v == nil:
		return fail("no schema version: an unfinished rebuild or an index of another program")
	case string(v) != schemaVersion:
		return fail("built with schema %q, want %q", v, schemaVersion)
	}
	if v, err := idx.GetInternal(genKey); err == nil && v != nil {
		s.gen, _ = strconv.ParseUint(string(v), 10, 64)
	}
	if b, err := os.ReadFile(filepath.Join(dir, genFile)); err == nil {
		if want, err := strconv.ParseUint(string(b), 10, 64); err == nil && s.gen < want {
			return fail("holds batch %d of %d; a newer snapshot is unreadable", s.gen, want)
		}
	}
	return s, nil
}

// openBleve opens the Bleve index in dir with a time limit. Bolt's own
// timeout covers a lock held elsewhere; the outer timer covers anything else
// that might block, and the goroutine recovers from panics that damaged
// files can cause in the decoders.
func openBleve(dir string, rebuilding bool) (bleve.Index, error) {
	type result struct {
		idx bleve.Index
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("panic while opening: %v", r)}
			}
		}()
		idx, err := bleve.OpenUsing(dir, map[string]any{
			"bolt_timeout":           openTimeout.String(),
			"asyncErrorCallbackName": asyncErrorCallback,
			// Always explicit: Bleve merges the creation configuration in.
			"unsafe_batch":           rebuilding,
			"scorchMergePlanOptions": mergePlan,
		})
		done <- result{idx, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(openTimeout + 2*time.Second):
		go func() {
			if r := <-done; r.idx != nil {
				r.idx.Close()
			}
		}()
		return nil, &notes.Error{Kind: notes.ECONFLICT, Err: notes.ErrLocked,
			Message: fmt.Sprintf("search index %s did not open in time; is another Dossier using it?", dir)}
	}
	switch {
	case errors.Is(r.err, bolterrors.ErrTimeout):
		return nil, &notes.Error{Kind: notes.ECONFLICT, Err: notes.ErrLocked,
			Message: fmt.Sprintf("search index %s is in use by another process", dir)}
	case r.err != nil:
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, dir, r.err)
	}
	return r.idx, nil
}

// batch applies b, numbering it unless the shard is being rebuilt.
func (s *shard) batch(b *bleve.Batch) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.rebuilding {
		return s.idx.Batch(b)
	}
	gen := strconv.FormatUint(s.gen+1, 10)
	b.SetInternal(genKey, []byte(gen))
	if err := s.idx.Batch(b); err != nil {
		return err
	}
	s.gen++
	// Not synced: after a crash of the process the page cache still holds
	// it, and after a power cut an older number only weakens the check.
	_ = os.WriteFile(filepath.Join(s.dir, genFile), []byte(gen), 0o644)
	return nil
}

// close closes the shard, first finishing a rebuild.
func (s *shard) close() error {
	var err error
	if s.rebuilding {
		err = s.finishRebuild()
	}
	if cerr := s.idx.Close(); err == nil {
		err = cerr
	}
	return err
}

// finishRebuild writes schemaKey in a last batch and waits until Bleve's
// persister reports that batch on disk. It persists snapshots in order, so
// every earlier batch is on disk too.
func (s *shard) finishRebuild() error {
	// A persister that cannot write (a full disk) never calls back; it
	// reports the failure to the async error callback and tries again.
	failed, stop := s.watchFailures()
	defer stop()
	persisted := make(chan error, 1)
	b := s.idx.NewBatch()
	b.SetInternal(schemaKey, []byte(schemaVersion))
	b.SetPersistedCallback(func(err error) {
		select {
		case persisted <- err:
		default:
		}
	})
	if err := s.idx.Batch(b); err != nil {
		return fmt.Errorf("finish search index: %w", err)
	}
	select {
	case err := <-persisted:
		if err != nil {
			return fmt.Errorf("finish search index: %w", err)
		}
		return nil
	case err := <-failed:
		return fmt.Errorf("finish search index: %w", err)
	case <-time.After(10 * time.Minute):
		return fmt.Errorf("finish search index: not written to disk after 10 minutes")
	}
}
