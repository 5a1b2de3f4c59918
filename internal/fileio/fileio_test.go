package fileio_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"dossier/internal/fileio"
)

func TestReadRegular_ReadsEveryByte(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 511, 512, 513, 4096, 1 << 20} {
		want := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		var sawSize int64 = -1
		got, err := fileio.ReadRegular(path, func(n int64) error { sawSize = n; return nil })
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d bytes: read %d bytes that differ from the file", size, len(got))
		}
		if sawSize != int64(size) {
			t.Errorf("%d bytes: check was given size %d", size, sawSize)
		}
	}
}

func TestReadRegular_FileThatSaysItIsEmpty(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux's")
	}
	// Files in /proc have size 0 and content: reading must not stop at 0.
	got, err := fileio.ReadRegular("/proc/self/status", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte("Name:")) {
		t.Errorf("read %q, want the process status", got)
	}
}

func TestReadRegular_RefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := fileio.ReadRegular(dir, nil); !errors.Is(err, fileio.ErrNotRegular) {
		t.Errorf("a folder: error %v, want ErrNotRegular", err)
	}
	if _, err := fileio.ReadRegular(filepath.Join(dir, "missing"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: error %v, want one wrapping fs.ErrNotExist", err)
	}
}

func TestReadRegular_CheckRefusesBeforeReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(path, make([]byte, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	tooBig := errors.New("too big")
	got, err := fileio.ReadRegular(path, func(n int64) error {
		if n > 100 {
			return tooBig
		}
		return nil
	})
	if err != tooBig || got != nil {
		t.Errorf("got %d bytes and error %v, want nothing and the check's error as it is", len(got), err)
	}
}

// BenchmarkReadSmallFile compares ReadRegular with os.ReadFile on the
// small files an import of e-mails reads by the hundred thousand.
func BenchmarkReadSmallFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "mail.eml")
	if err := os.WriteFile(path, bytes.Repeat([]byte("word "), 400), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("ReadRegular", func(b *testing.B) {
		for b.Loop() {
			if _, err := fileio.ReadRegular(path, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("os.ReadFile", func(b *testing.B) {
		for b.Loop() {
			if _, err := os.ReadFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
}
