//go:build unix

package fileio_test

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"dossier/internal/fileio"
)

func TestReadRegular_DoesNotWaitOnAPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a pipe here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := fileio.ReadRegular(fifo, nil)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, fileio.ErrNotRegular) {
			t.Errorf("a pipe: error %v, want ErrNotRegular", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadRegular waits on a pipe with no writer")
	}
}
