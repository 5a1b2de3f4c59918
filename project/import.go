package project

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"dossier/ingest"
	"dossier/notes"
	"dossier/seeds"
)

// batchSize is how many documents go into one store transaction and one
// index batch. Each batch becomes one Bleve segment per shard, and a
// segment's cost is largely per distinct word: 1,000 short documents cost
// about a tenth less CPU than twice 500, and leave half the segments to
// merge. Larger batches cost more memory than they save time: batches of
// 2,000 took a 100,000-file import's peak RSS from ~350 to ~490 MB and were
// not measurably faster (docs/PERFORMANCE.md, session 13).
const batchSize = 1000

// maxBatchBytes and maxBatchText bound a batch besides its count: by the
// bytes of originals and texts it holds, and by its text alone, which the
// index holds analyzed (a 4 MB batch of text takes ~100 MB to index);
// batchAge bounds how long its first file waits.
const (
	maxBatchBytes = 64 << 20
	maxBatchText  = 4 << 20
	batchAge      = 500 * time.Millisecond
)

// ImportProgress says how far an import has got.
type ImportProgress struct {
	Done, Total int
	Path        string // the file just finished
	// Compacting is set once every file is in, while the search index is
	// compacted (see compactAfterImport).
	Compacting bool
}

// ImportItem is one file's outcome.
type ImportItem struct {
	Path   string `json:"path"`
	ID     string `json:"id,omitempty"`
	Title  string `json:"title,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// ImportReport lists what an import did with each file.
type ImportReport struct {
	Imported []ImportItem `json:"imported"`
	// Updated are new versions of stored sources (same URL, new content):
	// the source keeps its id and its quotes are re-anchored (Reason says
	// how many were found again).
	Updated []ImportItem `json:"updated,omitempty"`
	Skipped []ImportItem `json:"skipped"`
	Failed  []ImportItem `json:"failed"`
}

// MarshalJSON writes an empty list as [], not null: scripts loop over
// them (dossier import --json).
func (r ImportReport) MarshalJSON() ([]byte, error) {
	type plain ImportReport // without this method
	orEmpty := func(items []ImportItem) []ImportItem {
		if items == nil {
			return []ImportItem{}
		}
		return items
	}
	p := plain(r)
	p.Imported, p.Skipped, p.Failed = orEmpty(r.Imported), orEmpty(r.Skipped), orEmpty(r.Failed)
	return json.Marshal(p)
}

// parsed is one file after the parse stage: a document or the reason it has
// none.
type parsed struct {
	path string
	doc  *notes.Document
	data []byte
	err  error
}

// Import imports files and folders (recursively). Each file is parsed,
// stored with its original, and indexed; files that cannot be read or
// parsed are reported in Failed with the reason, files already in the
// project in Skipped, and the rest still import. If ctx is cancelled,
// documents already committed stay (and are indexed); the rest are not
// started, and the partial report is returned with ctx's error.
func (p *Project) Import(ctx context.Context, paths []string, progress func(ImportProgress)) (*ImportReport, error) {
	// The collector runs at Go's default target here. Imports ran at 70
	// to keep a 100,000-file import under 500 MB; since the index lets go
	// of each field's analysis as soon as its segment has it
	// (search/analyzer.go), the heap peaks ~35 MB lower, and the default
	// costs ~15 MB of max RSS and saves ~7% of the CPU.
	rep := &ImportReport{}
	var files []string
	err := ingest.Walk(ctx, paths, func(path string, err error) error {
		if err != nil {
			rep.Failed = append(rep.Failed, ImportItem{Path: path, Reason: reason(err)})
			return nil
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		return rep, err
	}
	err = p.run(ctx, len(files), func(emit func(parsed) bool) {
		parseFiles(ctx, files, emit)
	}, rep, progress)
	if err == nil {
		p.compactAfterImport(ctx, len(rep.Imported)+len(rep.Updated), len(files), progress)
	}
	return rep, notes.Explain(err)
}

// compactAfterImport compacts the index when an import added a large share
// of it: compaction rewrites the whole index (seconds at 100,000
// documents), which pays off after a big import (the index shrinks by a
// fifth and the segments Bleve left behind are merged) but not after a
// handful of files. It is an optimisation: its failure loses nothing.
func (p *Project) compactAfterImport(ctx context.Context, added, files int, progress func(ImportProgress)) {
	n, err := p.Index.Count()
	if err != nil || added < compactMin || uint64(added)*4 < n {
		return
	}
	if progress != nil {
		progress(ImportProgress{Done: files, Total: files, Compacting: true})
	}
	// The import's garbage goes back to the system first, and the collector
	// runs more often while the shards are merged (at once, at 100,000
	// documents): the merges' memory and the import's together would pass
	// 500 MB.
	debug.FreeOSMemory()
	defer LowerGC(compactGCPercent)()
	_ = p.Index.Compact(ctx)
}

// compactGCPercent is the garbage collector's target while the index is
// compacted after an import. At 70 two merges at once reached 484–490 MB at
// 100,000 documents; at 30, 455–465 MB.
const compactGCPercent = 30

// compactMin is the smallest import after which the index is compacted.
const compactMin = 1000

// importSeeds imports the embedded corpus into a new project.
func (p *Project) importSeeds(ctx context.Context) error {
	entries, err := seeds.FS.ReadDir(".")
	if err != nil {
		return err
	}
	rep := &ImportReport{}
	err = p.run(ctx, len(entries), func(emit func(parsed) bool) {
		for _, e := range entries {
			data, err := seeds.FS.ReadFile(e.Name())
			d, perr := ingest.Parse(e.Name(), data)
			if err == nil {
				err = perr
			}
			if d != nil {
				d.OriginalName = path.Join("seeds", e.Name())
			}
			if !emit(parsed{path: e.Name(), doc: d, data: data, err: err}) {
				return
			}
		}
	}, rep, nil)
	if err == nil && len(rep.Failed) > 0 {
		err = fmt.Errorf("%s: %s", rep.Failed[0].Path, rep.Failed[0].Reason)
	}
	return err
}

// parseFiles reads and parses files on every core, in any order: parsing is
// the CPU-heavy part of an import and needs no shared state.
func parseFiles(ctx context.Context, files []string, emit func(parsed) bool) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	var once sync.Once
	stop := make(chan struct{})
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				r := parseFile(ctx, f)
				if !emit(r) {
					once.Do(func() { close(stop) })
				}
			}
		}()
	}
feed:
	for _, f := range files {
		select {
		case jobs <- f:
		case <-ctx.Done():
			break feed
		case <-stop:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}

// parseFile parses one file; a long PDF stops between pages when ctx is
// cancelled, so a cancel is not stuck behind a big book.
func parseFile(ctx context.Context, path string) parsed {
	d, data, err := ingest.ParseFileContext(ctx, path)
	return parsed{path: path, doc: d, data: data, err: err}
}

// run drives the pipeline: parse (produce) → store (one transaction per
// batch, originals kept) → index. Storing and indexing run on their own
// goroutines so SQLite, Bleve and the parsers keep both cores busy.
func (p *Project) run(ctx context.Context, total int, produce func(emit func(parsed) bool), rep *ImportReport, progress func(ImportProgress)) error {
	parsedCh := make(chan parsed, batchSize)
	// Each batch carries the context its store commit ran under, so that
	// indexing it acknowledges exactly that commit's outbox rows.
	type indexJob struct {
		ctx  context.Context
		docs []*notes.Document
	}
	toIndex := make(chan indexJob, 2)
	var mu sync.Mutex // guards rep and done
	done := 0
	report := func(r parsed, f func()) {
		mu.Lock()
		f()
		done++
		n := done
		mu.Unlock()
		if progress != nil {
			progress(ImportProgress{Done: n, Total: total, Path: r.path})
		}
	}

	// Producer: stops feeding as soon as ctx is cancelled.
	go func() {
		defer close(parsedCh)
		produce(func(r parsed) bool {
			select {
			case parsedCh <- r:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()

	// Indexer: indexes every batch the store committed, even after a
	// cancel, so that what is stored is searchable.
	indexErr := make(chan error, 1)
	go func() {
		var err error
		for job := range toIndex {
			if err == nil {
				err = p.Index.Index(job.ctx, job.docs)
			}
		}
		indexErr <- err
	}()

	// Storer: runs here.
	var storeErr error
	batch := make([]parsed, 0, batchSize)
	flush := func() {
		// After a cancel nothing more is committed, so that the cancel
		// takes effect at once: files parsed but not stored yet are left
		// out of the report, as those never parsed are.
		if len(batch) == 0 || storeErr != nil || ctx.Err() != nil {
			batch = batch[:0]
			return
		}
		if batch = p.takeNewVersions(context.WithoutCancel(ctx), batch, rep, report); len(batch) == 0 {
			return
		}
		docs := make([]*notes.Document, len(batch))
		originals := make([]notes.Original, len(batch))
		for i, r := range batch {
			docs[i] = r.doc
			originals[i] = notes.Original{SHA256: r.doc.SHA256, Data: r.data}
		}
		// Originals first: a document row must never point at a file that
		// is not on disk.
		if err := p.Store.PutOriginals(originals); err != nil {
			storeErr = err
			return
		}
		bctx := tracked(context.WithoutCancel(ctx))
		added, err := p.Store.AddDocuments(bctx, docs)
		if err != nil {
			storeErr = err
			return
		}
		var fresh []*notes.Document
		for i, r := range batch {
			d := r.doc
			if added[i] {
				fresh = append(fresh, d)
				report(r, func() { rep.Imported = append(rep.Imported, ImportItem{Path: r.path, ID: d.ID, Title: d.Title}) })
			} else {
				report(r, func() {
					rep.Skipped = append(rep.Skipped, ImportItem{Path: r.path, Title: d.Title, Reason: p.duplicateReason(ctx, d.SHA256)})
				})
			}
			// Drop the document's text and bytes as soon as they are
			// indexed/stored: memory must not grow with the corpus.
			batch[i] = parsed{}
		}
		batch = batch[:0]
		if len(fresh) > 0 {
			toIndex <- indexJob{bctx, fresh}
		}
	}
	// A batch is also flushed when it holds maxBatchBytes or maxBatchText,
	// or is batchAge old: PDFs and books parse slowly and are big, and
	// progress (reported as batches are stored) and memory must not wait
	// for a full batch of them.
	batchBytes, batchText, age := 0, 0, time.NewTimer(batchAge)
	defer age.Stop()
	for open := true; open; {
		var r parsed
		select {
		case r, open = <-parsedCh:
		case <-age.C:
			flush()
			batchBytes, batchText = 0, 0
			age.Reset(batchAge)
			continue
		}
		if !open {
			break
		}
		if r.err != nil {
			if ctx.Err() != nil && errors.Is(r.err, ctx.Err()) {
				continue // stopped by the cancel, not a fault of the file
			}
			report(r, func() { rep.Failed = append(rep.Failed, ImportItem{Path: r.path, Reason: reason(r.err)}) })
			continue
		}
		batch = append(batch, r)
		batchBytes += len(r.data) + len(r.doc.Text)
		batchText += len(r.doc.Text)
		if len(batch) == batchSize || batchBytes >= maxBatchBytes || batchText >= maxBatchText {
			flush()
			batchBytes, batchText = 0, 0
		}
	}
	flush()
	close(toIndex)
	if err := <-indexErr; err != nil && storeErr == nil {
		storeErr = fmt.Errorf("indexing: %w", err)
	}
	if storeErr != nil {
		return storeErr
	}
	return ctx.Err()
}

func (p *Project) duplicateReason(ctx context.Context, sha string) string {
	id, err := p.Store.DocumentBySHA(context.WithoutCancel(ctx), sha)
	if err != nil {
		return "already imported (same content)"
	}
	if d, err := p.Store.Document(context.WithoutCancel(ctx), id); err == nil {
		return fmt.Sprintf("already in the project as %q (same content)", d.Title)
	}
	return "already imported (same content)"
}

// reason turns an error into the one line a user reads in an import report.
func reason(err error) string {
	var ne *notes.Error
	var pe *os.PathError
	switch {
	case errors.As(err, &ne) && ne.Message != "":
		// Ours already leaves the path out, and says more than the
		// system error it wraps: "broken link: its target cannot be read"
		// against "no such file or directory".
		return err.Error()
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}
