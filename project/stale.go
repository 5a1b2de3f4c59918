package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// staleMark is a file in the project folder whose presence says the index
// may lag behind the store.
const staleMark = "index-stale"

// MarkIndexStale records, durably, that the store is about to take changes
// the index will learn only after the store has committed them (a bundle
// merge). If the process dies in between, the next Open finds the mark and
// rebuilds the index: counting items, as Open otherwise does, misses
// changes that only edit items. IndexCaughtUp removes the mark; so does a
// completed rebuild.
func (p *Project) MarkIndexStale() error {
	path := filepath.Join(p.Dir, staleMark)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return syncDir(p.Dir)
}

// IndexCaughtUp removes the mark MarkIndexStale made, once the index has
// learnt the changes (or the store turned them down).
func (p *Project) IndexCaughtUp() error {
	err := os.Remove(filepath.Join(p.Dir, staleMark))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func (p *Project) indexMarkedStale() bool {
	_, err := os.Stat(filepath.Join(p.Dir, staleMark))
	return err == nil
}

// syncDir makes a file's creation in dir durable (a no-op where folders
// cannot be synced).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
