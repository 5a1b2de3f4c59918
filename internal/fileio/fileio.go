// Package fileio reads whole files in as few system calls as the platform
// allows. An import reads one file per document, and on the machines
// measured each system call costs 10–50 µs, as much as parsing a short
// e-mail: os.ReadFile spends seven of them on a small
// file (open, two fcntl to try and fail to make it non-blocking, fstat,
// two reads, close) where four do (open, fstat, read, close).
package fileio

import (
	"errors"
	"io/fs"
)

// ErrNotRegular is returned by ReadRegular for a path that names a folder,
// a pipe, a socket or a device.
var ErrNotRegular = errors.New("not a regular file")

// ReadRegular reads the regular file at path, following symbolic links.
// check, if not nil, is given the file's size before anything is read, and
// its error is returned as it is: a caller refuses a huge file without
// reading it. A pipe is never waited on: ErrNotRegular is returned at once.
//
// The file is read up to the size it had when opened: a file that grows
// meanwhile is read as it was, and one that shrinks to where it ends.
// Other errors are *fs.PathError.
func ReadRegular(path string, check func(size int64) error) ([]byte, error) {
	return readRegular(path, check)
}

// initialCap is the buffer a file of unknown size (zero, as files in /proc
// say they are) starts with.
const initialCap = 512

// readAll reads a file that had size bytes when it was opened, with read
// returning 0 at its end. Reading stops at size without the extra read
// that would confirm the end: a read filling the buffer is the norm, and a
// read returning less (a network file system may) is simply followed by
// another.
func readAll(path string, size int64, read func([]byte) (int, error)) ([]byte, error) {
	buf := make([]byte, 0, max(int(size), initialCap))
	for {
		if size > 0 && int64(len(buf)) == size {
			return buf, nil
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := read(buf[len(buf):cap(buf)])
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}
