// Package project opens a Dossier project folder: it takes the lock, opens
// the SQLite store and the Bleve index, rebuilds the index when it is
// missing or damaged, seeds a new project with the embedded corpus, and runs
// imports through the parse → store → index pipeline.
//
// It is the one place that wires the store, the index and the importers
// together, so that the CLI, the GUI and the tests all open a project the
// same way.
package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/gofrs/flock"

	"dossier/notes"
	"dossier/search"
	"dossier/store"
)

// Options change how a project is opened.
type Options struct {
	// NoSeeds creates a new project empty instead of importing the
	// embedded seed corpus.
	NoSeeds bool
	// Progress, if set, is told how far an index rebuild on open has got.
	Progress notes.Progress
	// DeferIndexRepair makes Open return without rebuilding a missing,
	// damaged or stale index: IndexNeedsRepair then reports it, and the
	// caller runs RepairIndex (the GUI does, in the background, so that
	// the window opens at once).
	DeferIndexRepair bool
}

// Project is an open project folder. Close it to release the lock.
type Project struct {
	Dir   string
	Name  string
	Store notes.Store
	Index notes.Index

	db   *store.Store
	lock *flock.Flock

	live *liveIndex // Index; see liveindex.go

	mentions mentionCache // see timeline.go
}

// Files and folders inside a project folder.
const (
	dbFile     = "project.db"
	indexDir   = "index"
	lockFile   = "dossier.lock"
	EnvProject = "DOSSIER_PROJECT"
)

// DefaultDir returns the project folder used when none is named: the
// DOSSIER_PROJECT environment variable, else "default" in Dossier's folder
// under the user's data directory.
func DefaultDir() string {
	if d := os.Getenv(EnvProject); d != "" {
		return d
	}
	return filepath.Join(dataDir(), "dossier", "default")
}

// dataDir follows each platform's convention for application data:
// XDG_DATA_HOME (~/.local/share) on Unix, the roaming config dir elsewhere.
func dataDir() string {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return d
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share")
		}
	}
	if d, err := os.UserConfigDir(); err == nil {
		return d
	}
	return os.TempDir()
}

// Exists reports whether dir already holds a project.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, dbFile))
	return err == nil
}

// Open opens the project in dir, creating it (and importing the seed corpus
// unless opts.NoSeeds) when dir holds no project yet. If another process has
// the project open, Open fails at once with an error that wraps
// notes.ErrLocked and names the holding process. A missing, damaged or stale
// index is rebuilt from the store before Open returns.
func Open(ctx context.Context, dir string, opts Options) (p *Project, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		if e := notes.Explain(err); notes.ErrorKind(e) == notes.EDISK {
			return nil, e
		}
		return nil, notes.Errorf(notes.EINVALID, "cannot create project folder %s: %w", dir, err)
	}
	if err := probeWritable(dir); err != nil {
		return nil, err
	}
	lk, err := acquireLock(dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = lk.Unlock()
		}
	}()

	isNew := !Exists(dir)
	db, err := store.Open(dir)
	if err != nil {
		return nil, err
	}
	p = &Project{Dir: dir, Name: filepath.Base(dir), Store: db, db: db, lock: lk, live: &liveIndex{}}
	p.Index = p.live
	if err := p.openIndex(ctx, opts); err != nil {
		_ = db.Close()
		return nil, err
	}
	if isNew && !opts.NoSeeds {
		if err := p.importSeeds(ctx); err != nil {
			_ = p.Close()
			return nil, fmt.Errorf("importing the seed corpus: %w", err)
		}
	}
	return p, nil
}

// probeWritable fails with a clear message when dir cannot be written,
// which SQLite would otherwise report as "unable to open database file".
func probeWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".dossier-probe-*")
	if err != nil {
		if e := notes.Explain(err); notes.ErrorKind(e) == notes.EDISK {
			return e
		}
		return notes.Errorf(notes.EINVALID, "cannot write to project folder %s: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Close closes the index and the store and releases the lock.
func (p *Project) Close() error {
	var errs []error
	if p.Index != nil {
		errs = append(errs, p.Index.Close())
	}
	if p.Store != nil {
		errs = append(errs, p.Store.Close())
	}
	if p.lock != nil {
		_ = os.Truncate(p.lock.Path(), 0)
		errs = append(errs, p.lock.Unlock())
	}
	return errors.Join(errs...)
}

// acquireLock takes the project's lock without waiting. The holder writes
// its pid and host into the lock file so a refused process can say who has
// the project.
func acquireLock(dir string) (*flock.Flock, error) {
	path := filepath.Join(dir, lockFile)
	lk := flock.New(path)
	ok, err := lk.TryLock()
	if err != nil {
		return nil, notes.Errorf(notes.EINTERNAL, "cannot lock project %s: %w", dir, err)
	}
	if !ok {
		holder := "another Dossier process"
		if b, err := os.ReadFile(path); err == nil {
			if pid, host, found := strings.Cut(strings.TrimSpace(string(b)), " "); found {
				holder = fmt.Sprintf("Dossier process %s on %s", pid, host)
			}
		}
		return nil, &notes.Error{Kind: notes.ECONFLICT,
			Message: fmt.Sprintf("project %s is open in %s; close it there first", dir, holder),
			Err:     notes.ErrLocked}
	}
	host, _ := os.Hostname()
	_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+" "+host+"\n"), 0o644)
	return lk, nil
}

// openIndex opens the derived index and rebuilds it when it is missing,
// damaged, or does not hold what the store holds: every document, live note
// and quote (a crash between the store commit and the index batch leaves it
// behind).
func (p *Project) openIndex(ctx context.Context, opts Options) error {
	rebuild := func() error {
		if opts.DeferIndexRepair {
			p.live.mu.Lock()
			p.live.building = true
			p.live.mu.Unlock()
			return nil
		}
		return p.rebuild(ctx, opts.Progress)
	}
	path := filepath.Join(p.Dir, indexDir)
	_, statErr := os.Stat(path)
	idx, err := search.Open(path, p.db)
	switch {
	case errors.Is(err, search.ErrCorrupt):
		return rebuild()
	case err != nil:
		return err
	}
	p.live.cur = idx
	n, err := p.itemCount(ctx)
	if err != nil {
		return err
	}
	got, err := idx.Count()
	if err != nil || got != uint64(n) || errors.Is(statErr, fs.ErrNotExist) && n > 0 || p.indexMarkedStale() {
		return rebuild()
	}
	return nil
}

// Reindex throws the index away and builds it again from the store. If it
// is cancelled, the partial index is kept and rebuilt on the next open.
func (p *Project) Reindex(ctx context.Context, progress notes.Progress) error {
	return p.rebuild(ctx, progress)
}

func (p *Project) rebuild(ctx context.Context, progress notes.Progress) (err error) {
	// Registered first, so it runs last: after the rebuilt index is open
	// and the lock below released, so searches can run meanwhile.
	defer func() {
		if err == nil {
			_ = p.live.Compact(ctx)
		}
	}()
	l := p.live
	path := filepath.Join(p.Dir, indexDir)
	l.mu.Lock()
	if l.cur != nil {
		_ = l.cur.Close()
		l.cur = nil
	}
	idx, err := search.OpenRebuild(path, p.db)
	if err != nil {
		l.building = false
		l.mu.Unlock()
		return err
	}
	// Writes from here on go to the new index; searches wait for it.
	l.cur, l.building, l.done, l.total = idx, true, 0, 0
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.building = false
		if cerr := idx.Close(); err == nil {
			err = cerr
		}
		l.cur = nil
		if err != nil {
			return
		}
		reopened, oerr := search.Open(path, p.db)
		if err = oerr; err == nil {
			l.cur = reopened
			err = p.IndexCaughtUp()
		}
	}()
	total, err := p.itemCount(ctx)
	if err != nil {
		return err
	}
	l.setProgress(0, total)
	outer := progress
	progress = func(done, total int) {
		l.setProgress(done, total)
		if outer != nil {
			outer(done, total)
		}
	}
	done := 0
	batch := make([]*notes.Document, 0, batchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := idx.Index(ctx, batch); err != nil {
			return err
		}
		done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done, total)
		}
		return nil
	}
	err = p.Store.EachDocument(ctx, func(d *notes.Document) error {
		batch = append(batch, d)
		if len(batch) == batchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = p.indexNotebook(ctx, idx, &done, total, progress)
	}
	return err
}
