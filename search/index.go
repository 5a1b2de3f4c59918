package search

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"dossier/notes"
)

// ErrCorrupt is wrapped by the error Open returns when dir holds an index
// that cannot be used: damaged files (a torn write, kill -9 during a
// rebuild), an unfinished rebuild, or an index built by another version of
// Dossier. The index is derived data: delete dir and rebuild it.
var ErrCorrupt = errors.New("search index is damaged")

// TextSource gives the text of an item by id; the store implements it.
// Snippets and Matches are computed from this text rather than from the
// index, so the index does not keep a second copy of every text.
type TextSource interface {
	Text(ctx context.Context, id string) (string, error)
}

// numShards is how many Bleve indexes a new index spreads its documents
// over, by a hash of their ids. Bleve runs one search on one goroutine;
// with two shards searched at once, a search for a word in most of 100,000
// documents takes half as long on two cores (p95 31 ms instead of 75 ms on
// the benchmark corpus), and indexing overlaps two segment builds (5,000 →
// 6,250 documents/s) for 5% more CPU time.
const numShards = 2

// layoutFile, written once the shards exist, records how many there are.
const layoutFile = "dossier_index"

// Index is the full-text index of a project, kept in a folder. It is safe
// for concurrent use.
type Index struct {
	shards []*shard
	texts  TextSource
	dir    string

	mu     sync.Mutex // guards closed
	closed bool
}

var _ notes.Index = (*Index)(nil)

// Open opens the index in dir, creating it if dir is missing or empty.
//
// If the index exists but cannot be used it returns an error wrapping
// ErrCorrupt: the caller deletes dir and rebuilds. If another process (or
// another Index in this one) holds the index, Open gives up after about
// three seconds with an error wrapping notes.ErrLocked, instead of waiting
// forever as Bleve does; that error never wraps ErrCorrupt.
func Open(dir string, texts TextSource) (*Index, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0:
		if err := create(dir, true); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("open search index: %w", err)
	}
	shards, err := openShards(dir, false)
	if err != nil {
		return nil, err
	}
	return &Index{shards: shards, texts: texts, dir: dir}, nil
}

// OpenRebuild creates a fresh index in dir, removing whatever is there,
// tuned for indexing everything at once: a batch returns before it is on
// disk. Close waits until all of it is, then marks the index complete; an
// index whose rebuild did not reach Close (a crash) is reported by Open as
// ErrCorrupt. Reopen with Open after Close.
func OpenRebuild(dir string, texts TextSource) (*Index, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("remove old search index: %w", err)
	}
	// Created with the default (safe) configuration, because Bleve stores
	// the creation configuration and would otherwise reuse unsafe_batch on
	// every later open.
	if err := create(dir, false); err != nil {
		return nil, err
	}
	shards, err := openShards(dir, true)
	if err != nil {
		return nil, err
	}
	return &Index{shards: shards, texts: texts, dir: dir}, nil
}

func shardDir(dir string, i int) string { return filepath.Join(dir, "shard"+strconv.Itoa(i)) }

// create makes the shards of a new index in dir, then the layout file.
func create(dir string, complete bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	for i := range numShards {
		if err := createShard(shardDir(dir, i), complete); err != nil {
			return err
		}
	}
	layout := fmt.Sprintf("shards %d\n", numShards)
	if err := os.WriteFile(filepath.Join(dir, layoutFile), []byte(layout), 0o644); err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	return nil
}

// openShards opens every shard listed in dir's layout file at once.
func openShards(dir string, rebuilding bool) ([]*shard, error) {
	b, err := os.ReadFile(filepath.Join(dir, layoutFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, dir, err)
	}
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(string(b)), "shards "))
	if err != nil || n < 1 || n > 64 {
		return nil, fmt.Errorf("%w: %s: cannot read %s", ErrCorrupt, dir, layoutFile)
	}
	shards := make([]*shard, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range shards {
		wg.Go(func() { shards[i], errs[i] = openShard(shardDir(dir, i), rebuilding) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, s := range shards {
			if s != nil {
				s.idx.Close()
			}
		}
		// A shard held by another process makes the whole index busy, not
		// damaged: the caller must not delete it.
		for _, e := range errs {
			if errors.Is(e, notes.ErrLocked) {
				return nil, e
			}
		}
		for _, e := range errs {
			if e != nil {
				return nil, e
			}
		}
	}
	return shards, nil
}

// shardOf returns the shard that holds the document with this id.
func (ix *Index) shardOf(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(len(ix.shards)))
}

// each runs fn for every shard at once and returns the first error, in
// shard order.
func (ix *Index) each(fn func(i int, s *shard) error) error {
	errs := make([]error, len(ix.shards))
	var wg sync.WaitGroup
	for i, s := range ix.shards[1:] {
		wg.Go(func() { errs[i+1] = fn(i+1, s) })
	}
	errs[0] = fn(0, ix.shards[0])
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Index adds or replaces docs, as IndexItems does.
func (ix *Index) Index(ctx context.Context, docs []*notes.Document) error {
	items := make([]*notes.Item, len(docs))
	for i, d := range docs {
		items[i] = d.Item()
	}
	return ix.IndexItems(ctx, items)
}

// IndexItems adds or replaces items (sources, notes, quotes), in one batch
// per shard. If ctx is cancelled before the batches are handed to Bleve it
// returns ctx.Err() and indexes nothing; once handed over, they complete.
// On another error part of items may be indexed: the index no longer
// matches the store, and Open's caller finds that by the count and
// rebuilds.
func (ix *Index) IndexItems(ctx context.Context, items []*notes.Item) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	batches := make([]*bleve.Batch, len(ix.shards))
	for i, it := range items {
		if i%64 == 63 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if it.ID == "" {
			return notes.Errorf(notes.EINVALID, "cannot index an item without an id (%q)", it.Title)
		}
		s := ix.shardOf(it.ID)
		first := batches[s] == nil
		if first {
			batches[s] = ix.shards[s].idx.NewBatch()
		}
		if err := batches[s].IndexAdvanced(indexItem(it, first)); err != nil {
			return fmt.Errorf("index %s: %w", it.ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return ix.each(func(i int, s *shard) error {
		if batches[i] == nil {
			return nil
		}
		return s.batch(batches[i])
	})
}

// Delete removes items by id. Ids that are not indexed are ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	batches := make([]*bleve.Batch, len(ix.shards))
	for _, id := range ids {
		s := ix.shardOf(id)
		if batches[s] == nil {
			batches[s] = ix.shards[s].idx.NewBatch()
		}
		batches[s].Delete(id)
	}
	return ix.each(func(i int, s *shard) error {
		if batches[i] == nil {
			return nil
		}
		return s.batch(batches[i])
	})
}

// Count returns the number of indexed items.
func (ix *Index) Count() (uint64, error) {
	var total uint64
	for _, s := range ix.shards {
		n, err := s.idx.DocCount()
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// Close closes the index. After OpenRebuild it first waits until every
// batch is on disk and marks the index complete. Calling Close again does
// nothing.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	return ix.each(func(_ int, s *shard) error { return s.close() })
}
