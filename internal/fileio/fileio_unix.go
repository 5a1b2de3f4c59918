//go:build unix

package fileio

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

func readRegular(path string, check func(int64) error) ([]byte, error) {
	// O_NONBLOCK makes opening a pipe return at once instead of waiting
	// for a writer; it changes nothing for a regular file.
	fd, err := retry(func() (int, error) {
		return unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if _, err := retry(func() (int, error) { return 0, unix.Fstat(fd, &st) }); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, ErrNotRegular
	}
	if check != nil {
		if err := check(st.Size); err != nil {
			return nil, err
		}
	}
	return readAll(path, st.Size, func(b []byte) (int, error) {
		return retry(func() (int, error) { return unix.Read(fd, b) })
	})
}

// retry runs a system call again when a signal interrupted it, as the os
// package does: Go's scheduler sends signals to preempt goroutines.
func retry(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}
