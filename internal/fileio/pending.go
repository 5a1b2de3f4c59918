package fileio

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Pending is a file written beside the file it will replace. Commit puts
// it in place whole; until then, and after a crash, the destination is as
// it was. Cleanup, deferred, removes it if Commit never ran.
type Pending struct {
	*os.File
	path string
	done bool
}

// NewPending starts a file that will become path, with permissions perm.
// It is written in path's folder, as a rename cannot cross file systems.
func NewPending(path string, perm fs.FileMode) (*Pending, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &Pending{File: f, path: path}, nil
}

// Commit flushes the file to disk, closes it and renames it over its
// destination, then flushes the folder so that the rename survives a
// power cut too.
func (p *Pending) Commit() error {
	err := p.Sync()
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p.Name(), p.path)
	}
	if err != nil {
		return err
	}
	p.done = true
	return SyncDir(filepath.Dir(p.path))
}

// Cleanup removes the file unless Commit ran.
func (p *Pending) Cleanup() {
	if p.done {
		return
	}
	p.Close()
	os.Remove(p.Name())
}

// SyncDir flushes the folder dir, making the names created or renamed in
// it durable. Windows cannot open a folder to flush it; NTFS journals
// names.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
