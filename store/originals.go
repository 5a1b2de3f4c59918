package store

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
)

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
