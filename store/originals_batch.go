package store

import (
	"dossier/internal/fileio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"dossier/notes"
)

// PutOriginals keeps a batch of originals with one or two flushes of the
// file system in all instead of two fsyncs per file: at one fsync per file
// (~3 ms here) a 100,000-file import would spend minutes waiting on the
// disk. Each file is whole or absent under its name for any document that
// names it, even after a crash, because documents are stored only after
// PutOriginals returns:
//
//   - an original no document has yet is written straight to its name
//     (create, write, close: three system calls, each costing tens of
//     microseconds on the disks measured, as much as parsing a short
//     e-mail). A crash can leave it half written, but then no document
//     names it, and the next import of it finds the file there and
//     replaces it whole;
//   - one the project has a document for is looked for on disk (a
//     re-import skips it), and one that went missing, or a file found
//     where a new original goes, is written beside and renamed into place
//     once every file of the batch is flushed.
//
// A shard folder is made once per Store.
func (s *Store) PutOriginals(files []notes.Original) error {
	type pending struct{ tmp, path string }
	var todo []pending
	defer func() {
		for _, p := range todo {
			os.Remove(p.tmp)
		}
	}()
	for _, f := range files {
		if !validSHA(f.SHA256) {
			return notes.Errorf(notes.EINVALID, "cannot keep original: %q is not a SHA-256 (want 64 lowercase hex digits)", f.SHA256)
		}
	}
	known, err := s.knownSHAs(files)
	if err != nil {
		return err
	}
	dirs := map[string]bool{}
	seen := map[string]bool{}
	var direct []string // written straight to their names
	for _, f := range files {
		path := s.OriginalPath(f.SHA256)
		if seen[path] {
			continue
		}
		seen[path] = true
		if known[f.SHA256] {
			if _, err := os.Lstat(path); err == nil {
				continue
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("store: keeping original %s: %w", f.SHA256, err)
			}
		}
		if got := sum(f.Data); got != f.SHA256 {
			return notes.Errorf(notes.EINVALID, "cannot keep original %s: its content has SHA-256 %s", f.SHA256, got)
		}
		shard := filepath.Dir(path)
		made, err := s.shardDir(shard)
		if err != nil {
			return fmt.Errorf("store: keeping original %s: %w", f.SHA256, err)
		}
		if made {
			dirs[filepath.Dir(shard)] = true
		}
		dirs[shard] = true
		if !known[f.SHA256] {
			err := fileio.WriteNew(path, f.Data, 0o644)
			if err == nil {
				direct = append(direct, path)
				continue
			}
			if !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("store: keeping original %s: %w", f.SHA256, err)
			}
			// Left by an interrupted import, or being written by another
			// import of the same file: replaced whole, below.
		}
		tmp, err := s.writeTemp(shard, f.SHA256, f.Data)
		if err != nil {
			return fmt.Errorf("store: keeping original %s: %w", f.SHA256, err)
		}
		todo = append(todo, pending{tmp, path})
	}
	if len(direct)+len(todo) == 0 {
		return nil
	}
	written := direct
	for _, p := range todo {
		written = append(written, p.tmp)
	}
	if err := flushFiles(filepath.Join(s.dir, FilesDir), written); err != nil {
		return fmt.Errorf("store: flushing originals: %w", err)
	}
	renamed := len(todo)
	for i, p := range todo {
		if err := renameFile(p.tmp, p.path); err != nil {
			todo = todo[i:]
			return fmt.Errorf("store: keeping original: %w", err)
		}
	}
	todo = nil // renamed: nothing left to remove
	if renamed == 0 && flushCoversNames {
		return nil
	}
	return flushDirs(filepath.Join(s.dir, FilesDir), dirs)
}

// knownSHAs returns which of the files' SHA-256s a document has.
func (s *Store) knownSHAs(files []notes.Original) (map[string]bool, error) {
	known := map[string]bool{}
	// SQLite allows 32,766 parameters; a few hundred at a time keeps each
	// statement small.
	const chunk = 500
	for len(files) > 0 {
		n := min(chunk, len(files))
		args := make([]any, n)
		for i, f := range files[:n] {
			args[i] = f.SHA256
		}
		files = files[n:]
		rows, err := s.read.Query(`SELECT sha256 FROM documents WHERE sha256 IN (?`+strings.Repeat(",?", n-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: looking up originals: %w", err)
		}
		for rows.Next() {
			var sha string
			if err := rows.Scan(&sha); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: looking up originals: %w", err)
			}
			known[sha] = true
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("store: looking up originals: %w", err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: looking up originals: %w", err)
		}
	}
	return known, nil
}

// shardDir makes sure the shard folder dir exists, making it at most once
// per Store; made reports whether this call created it.
func (s *Store) shardDir(dir string) (made bool, err error) {
	if _, ok := s.shards.Load(dir); ok {
		return false, nil
	}
	if err := os.Mkdir(dir, 0o755); err == nil {
		made = true
	} else if !errors.Is(err, fs.ErrExist) {
		return false, err
	}
	s.shards.Store(dir, true)
	return made, nil
}

// writeTemp writes data to a new file beside where the original goes. It
// is created with its final permissions (os.CreateTemp would need a chmod
// afterwards) under a name no other write uses, in three system calls.
func (s *Store) writeTemp(dir, sha string, data []byte) (string, error) {
	for {
		name := filepath.Join(dir, "."+sha+"-"+strconv.FormatUint(s.tmpSeq.Add(1), 36)+".tmp")
		err := fileio.WriteNew(name, data, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue // a crashed process's leftover: take the next name
		}
		if err != nil {
			return "", err
		}
		return name, nil
	}
}
