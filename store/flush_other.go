//go:build !linux

package store

import (
	"os"

	"dossier/internal/fileio"
)

// flushFiles makes the files' data durable, one fsync each where the
// platform has no file-system-wide flush.
func flushFiles(_ string, files []string) error {
	for _, name := range files {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// flushCoversNames tells that flushFiles does not make the names of new
// files durable: their folders are flushed by flushDirs.
const flushCoversNames = false

// flushDirs makes new names and renames in dirs durable.
func flushDirs(_ string, dirs map[string]bool) error {
	for d := range dirs {
		if err := fileio.SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}

func renameFile(from, to string) error { return os.Rename(from, to) }
