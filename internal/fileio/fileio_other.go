//go:build !unix

package fileio

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

func readRegular(path string, check func(int64) error) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	if check != nil {
		if err := check(fi.Size()); err != nil {
			return nil, err
		}
	}
	return readAll(path, fi.Size(), func(b []byte) (int, error) {
		n, err := f.Read(b)
		var pe *fs.PathError
		switch {
		case errors.Is(err, io.EOF):
			err = nil
		case errors.As(err, &pe):
			err = pe.Err // readAll names the path
		}
		return n, err
	})
}
