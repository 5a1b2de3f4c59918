package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/google/renameio/v2"

	"dossier/notes"
)

// PutOriginal keeps an original file as files/<first two hex digits>/<sha256>,
// written to a temporary file in the same folder, synced, then renamed into
// place, so the file is either whole or absent even after a crash. It is a
// no-op when the file is already there.
//
// sha must be 64 lowercase hex digits and the SHA-256 of data; anything
// else is refused with EINVALID and nothing is written, because the name
// becomes a path and the folder promises every file is named by its
// content.
func (s *Store) PutOriginal(sha string, data []byte) error {
	if !validSHA(sha) {
		return notes.Errorf(notes.EINVALID, "cannot keep original: %q is not a SHA-256 (want 64 lowercase hex digits)", sha)
	}
	path := s.OriginalPath(sha)
	if _, err := os.Lstat(path); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: keeping original %s: %w", sha, err)
	}
	if got := sum(data); got != sha {
		return notes.Errorf(notes.EINVALID, "cannot keep original %s: its content has SHA-256 %s", sha, got)
	}

	shard := filepath.Dir(path)
	newShard := false
	if err := os.Mkdir(shard, 0o755); err == nil {
		newShard = true
	} else if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: keeping original %s: %w", sha, err)
	}
	// The temporary file goes in the shard itself: renameio would otherwise
	// pick os.TempDir when it is on the same file system, and a crash would
	// leave the debris there instead of next to what it belongs to.
	if err := renameio.WriteFile(path, data, 0o644, renameio.WithTempDir(shard)); err != nil {
		return fmt.Errorf("store: keeping original %s: %w", sha, err)
	}
	// renameio syncs the file but not the rename: without syncing the
	// folder (and its parent, for a new shard), a power cut could leave a
	// committed document whose original never reached the disk.
	if err := syncDir(shard); err != nil {
		return fmt.Errorf("store: keeping original %s: %w", sha, err)
	}
	if newShard {
		if err := syncDir(filepath.Dir(shard)); err != nil {
			return fmt.Errorf("store: keeping original %s: %w", sha, err)
		}
	}
	return nil
}

// OriginalPath returns where the original with this SHA-256 is kept, whether
// or not it is there. For anything but 64 lowercase hex digits it returns "",
// so a malformed hash can never name a file outside files/.
func (s *Store) OriginalPath(sha string) string {
	if !validSHA(sha) {
		return ""
	}
	return filepath.Join(s.dir, FilesDir, sha[:2], sha)
}

func validSHA(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func syncDir(dir string) error {
	// Windows cannot open a folder for syncing; NTFS journals renames.
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
