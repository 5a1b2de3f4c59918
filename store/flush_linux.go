package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// flushFiles makes the files' data durable. On Linux one syncfs(2) of the
// file system that holds root does it for any number of files.
func flushFiles(root string, _ []string) error { return syncFS(root) }

// flushCoversNames tells that flushFiles also makes the names of new
// files durable: syncfs(2) flushes folders as well as data.
const flushCoversNames = true

// flushDirs makes new names and renames in dirs durable, again with one
// syncfs(2).
func flushDirs(root string, _ map[string]bool) error { return syncFS(root) }

func syncFS(root string) error {
	f, err := os.Open(root)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// renameFile renames a file over another. os.Rename first looks the target
// up to refuse renaming over a folder, a system call a file costs for
// nothing here: originals are never folders.
func renameFile(from, to string) error {
	if err := unix.Rename(from, to); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}
