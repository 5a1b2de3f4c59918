package store

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dossier/internal/fileio"
	"dossier/notes"
)

// Originals are kept in packs: tar archives under files/packs/, appended to
// a batch at a time, with where each original's bytes are in the table
// originals. One file per original, the layout of schema 7 and before
// (files/ab/<sha>, still read), cost a file creation each: ~37 µs of kernel
// CPU on the disk measured, 3.7 s of a 100,000-file import's CPU, plus a
// flush of the whole file system per batch. A pack costs one append and
// one fsync per batch. Tar, so that the originals stay readable without
// Dossier: `tar -xf files/packs/000001.tar` gives them back as ab/<sha>.
const PacksDir = "packs"

// metaOriginalsEnd is the meta key that says, as "<pack> <end>" (end in 20
// digits), where the last recorded original ends, padding included: the
// newest pack is cut back to there before the next append.
const metaOriginalsEnd = "originals_end"

// packLimit is the size past which the next batch starts a new pack, so
// that a backup of a growing project copies a bounded file again.
var packLimit int64 = 1 << 30

// packName matches the names packs are given: packFile(n).
var packName = regexp.MustCompile(`^[0-9]{6}\.tar$`)

func packFile(n int) string { return fmt.Sprintf("%06d.tar", n) }

// packNumber is the inverse of packFile: n for a name packs are given.
func packNumber(name string) (n int, ok bool) {
	if !packName.MatchString(name) {
		return 0, false
	}
	n, _ = strconv.Atoi(strings.TrimSuffix(name, ".tar"))
	return n, true
}

// packWriter is the pack being appended to. Its end is where the last
// entry appended ends; when a pack is opened, where the last recorded one
// ends: anything past that was written by a put that crashed before its
// rows committed, and is cut off.
type packWriter struct {
	mu       sync.Mutex // one put at a time appends
	f        *os.File   // nil until the first put
	n        int        // the pack's number
	end      int64
	inFlight map[string]*flight // by SHA-256
	bw       *bufio.Writer      // writes to f
}

// PutOriginals keeps a batch of originals: it appends the new ones to the
// newest pack, flushes it once, then records where each one is. A crash
// before that commit leaves bytes no row names, which the next put cuts
// off; documents are stored only after PutOriginals returns, so a document
// never names an original that is not on disk. Originals already kept are
// left alone; one whose pack went missing is kept again.
func (s *Store) PutOriginals(files []notes.Original) error {
	return s.putOriginals(files, nil)
}

// PutOriginals keeps originals as Store.PutOriginals does, recorded in the
// load's transaction: they are named once the load commits.
func (t *LoadTx) PutOriginals(files []notes.Original) error {
	return t.s.putOriginals(files, t.tx)
}

// putOriginals records the originals in tx, or in a transaction of its own
// when tx is nil. The pack is appended to under its lock, and the rows are
// written after it is released: a load holds the only write connection for
// all its puts, so a put that waited for the connection while holding the
// pack would wait forever for a load waiting for the pack, and other
// writers (a note being saved) do not wait for a pack's flush.
func (s *Store) putOriginals(files []notes.Original, tx *sql.Tx) error {
	for _, f := range files {
		if !validSHA(f.SHA256) {
			return notes.Errorf(notes.EINVALID, "cannot keep original: %q is not a SHA-256 (want 64 lowercase hex digits)", f.SHA256)
		}
	}
	recs, end, err := s.appendNew(files)
	if err != nil || len(recs) == 0 {
		return err
	}
	defer s.landed(recs)
	if testAfterAppend != nil {
		testAfterAppend()
	}
	own := tx == nil
	if own {
		if tx, err = s.write.BeginTx(context.Background(), nil); err != nil {
			return fmt.Errorf("store: keeping originals: %w", err)
		}
		defer tx.Rollback()
	}
	if err := recordOriginals(tx, recs, end); err != nil {
		return fmt.Errorf("store: keeping originals: %w", err)
	}
	if own {
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: keeping originals: %w", err)
		}
	}
	return nil
}

// testAfterAppend, set by tests only, runs between a put's append and its
// rows.
var testAfterAppend func()

// placed is where an original's bytes are in a pack.
type placed struct {
	sha          string
	pack         string
	offset, size int64
}

// packEnd is where the entries appended to a pack end, padding included.
type packEnd struct {
	pack string
	end  int64
}

// appendNew appends the files not kept yet to the newest pack and flushes
// it, under the pack's lock. It returns where each of those is, and the
// newest pack with where its entries now end. An original that another
// put appended and has not recorded yet is not appended again: its bytes
// are on disk, and this put records them too.
func (s *Store) appendNew(files []notes.Original) (recs []placed, end packEnd, err error) {
	pw := &s.packs
	pw.mu.Lock()
	defer pw.mu.Unlock()
	kept, err := s.keptOriginals(files)
	if err != nil {
		return nil, end, err
	}
	fail := func(err error) ([]placed, packEnd, error) {
		for _, r := range recs {
			pw.release(r.sha)
		}
		return nil, end, err
	}
	var todo []notes.Original
	for _, f := range files {
		if kept[f.SHA256] {
			continue
		}
		kept[f.SHA256] = true // once, however often the batch names it
		if p, ok := pw.inFlight[f.SHA256]; ok {
			p.refs++
			recs = append(recs, p.placed)
			continue
		}
		if got := sum(f.Data); got != f.SHA256 {
			return fail(notes.Errorf(notes.EINVALID, "cannot keep original %s: its content has SHA-256 %s", f.SHA256, got))
		}
		todo = append(todo, f)
	}
	if len(todo) > 0 {
		added, err := s.appendPack(todo)
		if err != nil {
			return fail(fmt.Errorf("store: keeping originals: %w", err))
		}
		if pw.inFlight == nil {
			pw.inFlight = map[string]*flight{}
		}
		for _, p := range added {
			pw.inFlight[p.sha] = &flight{placed: p, refs: 1}
		}
		recs = append(recs, added...)
	}
	// recs holds at least one original appended in this process, so the
	// pack is open (or was, if the Store closed meanwhile) at pw.n.
	return recs, packEnd{packFile(pw.n), pw.end}, nil
}

// flight is an original appended by puts whose rows are not committed yet.
type flight struct {
	placed
	refs int // puts recording it
}

// landed forgets the puts' in-flight originals once their rows are
// committed or have failed: later puts find them in the table, or append
// them again.
func (s *Store) landed(recs []placed) {
	s.packs.mu.Lock()
	defer s.packs.mu.Unlock()
	for _, r := range recs {
		s.packs.release(r.sha)
	}
}

func (pw *packWriter) release(sha string) {
	if p := pw.inFlight[sha]; p != nil {
		if p.refs--; p.refs == 0 {
			delete(pw.inFlight, sha)
		}
	}
}

// keptOriginals returns which of the files' originals are on disk already:
// named by a row whose pack exists, or (projects of schema 7 and before)
// a file of their own that a document names.
func (s *Store) keptOriginals(files []notes.Original) (map[string]bool, error) {
	shas := make([]string, len(files))
	for i, f := range files {
		shas[i] = f.SHA256
	}
	kept := map[string]bool{}
	found := map[string]bool{}
	packs := map[string]bool{} // pack name → exists
	err := s.eachOf(`SELECT sha256, pack FROM originals WHERE sha256 IN `, shas, func(rows *sql.Rows) error {
		var sha, pack string
		if err := rows.Scan(&sha, &pack); err != nil {
			return err
		}
		found[sha] = true
		ok, seen := packs[pack]
		if !seen {
			_, err := os.Stat(s.packPath(pack))
			ok = err == nil
			packs[pack] = ok
		}
		kept[sha] = ok
		return nil
	})
	if err != nil || !s.hasLooseFiles {
		return kept, err
	}
	var loose []string // no row: maybe a file of their own
	for _, sha := range shas {
		if !found[sha] {
			loose = append(loose, sha)
		}
	}
	err = s.eachOf(`SELECT sha256 FROM documents WHERE sha256 IN `, loose, func(rows *sql.Rows) error {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return err
		}
		// A file without a document may be torn by a crash: kept again,
		// in a pack.
		if _, err := os.Lstat(s.loosePath(sha)); err == nil {
			kept[sha] = true
		}
		return nil
	})
	return kept, err
}

// eachOf runs query, which ends in "IN ", over shas a few hundred at a
// time (SQLite allows 32,766 parameters) and calls each for every row.
func (s *Store) eachOf(query string, shas []string, each func(*sql.Rows) error) error {
	const chunk = 500
	for len(shas) > 0 {
		part := shas[:min(chunk, len(shas))]
		shas = shas[len(part):]
		args := make([]any, len(part))
		for i, sha := range part {
			args[i] = sha
		}
		rows, err := s.read.Query(query+`(?`+strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return fmt.Errorf("store: looking up originals: %w", err)
		}
		for rows.Next() {
			if err := each(rows); err != nil {
				rows.Close()
				return fmt.Errorf("store: looking up originals: %w", err)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("store: looking up originals: %w", err)
		}
	}
	return nil
}

// appendPack appends files to the newest pack, flushes it and returns where
// each one is. On failure it cuts the pack back to where it was. Bytes
// whose rows then fail to commit stay, named by no row.
func (s *Store) appendPack(files []notes.Original) (at []placed, err error) {
	pw := &s.packs
	if err := s.openPack(); err != nil {
		return nil, err
	}
	start := pw.end
	defer func() {
		if err != nil {
			_ = pw.f.Truncate(start)
		}
	}()
	if _, err := pw.f.Seek(start, io.SeekStart); err != nil {
		return nil, err
	}
	// One buffer for the life of the Store: a new megabyte per batch was
	// a hundred megabytes of garbage per 100,000 files.
	if pw.bw == nil {
		pw.bw = bufio.NewWriterSize(pw.f, 1<<20)
	}
	bw := pw.bw
	bw.Reset(pw.f)
	cw := &countingWriter{w: bw, n: start}
	tw := tar.NewWriter(cw)
	at = make([]placed, len(files))
	pack := packFile(pw.n)
	// Whole seconds: a finer time would need a PAX record in every header.
	now := time.Now().Truncate(time.Second)
	for i, f := range files {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.SHA256[:2] + "/" + f.SHA256,
			Size: int64(len(f.Data)), Mode: 0o644, ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		at[i] = placed{f.SHA256, pack, cw.n, int64(len(f.Data))}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, err
		}
	}
	// The last entry padded to a whole block, and no end-of-archive
	// blocks: the next batch appends here. tar reads such a file to its
	// end.
	if err := tw.Flush(); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if err := pw.f.Sync(); err != nil {
		return nil, err
	}
	pw.end = cw.n
	return at, nil
}

// recordOriginals records in tx where each original is, and where the
// newest pack's entries end.
func recordOriginals(tx *sql.Tx, recs []placed, end packEnd) error {
	st, err := tx.Prepare(`INSERT INTO originals (sha256, pack, "offset", size) VALUES (?, ?, ?, ?)
		ON CONFLICT (sha256) DO UPDATE SET pack = excluded.pack, "offset" = excluded."offset", size = excluded.size`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range recs {
		if _, err := st.Exec(r.sha, r.pack, r.offset, r.size); err != nil {
			return err
		}
	}
	// Puts may commit out of the order they appended in: the recorded end
	// only ever moves forward (the value sorts as text in pack order,
	// then end order).
	if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`,
		metaOriginalsEnd, fmt.Sprintf("%s %020d", end.pack, end.end)); err != nil {
		return err
	}
	return nil
}

// openPack makes pw.f the pack to append to: the newest one, cut back to
// the end of its last recorded entry, or a new one once that is full. A
// newest pack that went missing or was cut short is left as it is, for
// dossier check to report, and a new one started: rows must never name
// bytes written after them.
func (s *Store) openPack() error {
	pw := &s.packs
	if pw.f != nil && pw.end < packLimit {
		return nil
	}
	dir := filepath.Join(s.dir, FilesDir, PacksDir)
	if pw.f != nil {
		if err := pw.f.Close(); err != nil {
			return err
		}
		pw.f, pw.n, pw.end = nil, pw.n+1, 0
	} else {
		// First use by this Store: files/packs/ may not exist yet.
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := fileio.SyncDir(filepath.Join(s.dir, FilesDir)); err != nil {
			return err
		}
		n, end, err := s.newestPack(dir)
		if err != nil {
			return err
		}
		fi, err := os.Stat(s.packPath(packFile(n)))
		if end > 0 && (err != nil || fi.Size() < end) || end >= packLimit {
			n, end = n+1, 0
		}
		pw.n, pw.end = n, end
	}
	name := s.packPath(packFile(pw.n))
	_, statErr := os.Stat(name)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := f.Truncate(pw.end); err != nil {
		f.Close()
		return err
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		// The new name must survive a crash as the rows naming it will.
		if err := fileio.SyncDir(dir); err != nil {
			f.Close()
			return err
		}
	}
	pw.f = f
	return nil
}

// newestPack returns the highest pack number in dir or recorded (1 when
// there is none), and where the last recorded entry in it ends.
func (s *Store) newestPack(dir string) (n int, end int64, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, err
	}
	n = 1
	for _, e := range entries {
		if k, ok := packNumber(e.Name()); ok {
			n = max(n, k)
		}
	}
	var last string
	err = s.read.QueryRow(`SELECT value FROM meta WHERE key = ?`, metaOriginalsEnd).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, 0, err
	}
	if pack, at, ok := strings.Cut(last, " "); ok {
		if k, ok := packNumber(pack); ok && k >= n {
			n = k
			end, _ = strconv.ParseInt(at, 10, 64)
		}
	}
	return n, end, nil
}

// closePacks closes the pack being appended to.
func (s *Store) closePacks() error {
	s.packs.mu.Lock()
	defer s.packs.mu.Unlock()
	if s.packs.f == nil {
		return nil
	}
	err := s.packs.f.Close()
	s.packs.f = nil
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// OriginalLocation says where the original with this SHA-256 is kept: a
// pack, with where its bytes start and how many there are, or (projects
// of schema 7 and before) a file of its own, with offset 0 and size -1.
// It reports ENOTFOUND when the project keeps no such original, and
// EINVALID for anything but 64 lowercase hex digits.
func (s *Store) OriginalLocation(sha string) (path string, offset, size int64, err error) {
	if !validSHA(sha) {
		return "", 0, 0, notes.Errorf(notes.EINVALID, "%q is not a SHA-256", sha)
	}
	var pack string
	err = s.read.QueryRow(`SELECT pack, "offset", size FROM originals WHERE sha256 = ?`, sha).Scan(&pack, &offset, &size)
	if err == nil {
		if !packName.MatchString(pack) {
			return "", 0, 0, fmt.Errorf("store: original %s: %q is not a pack's name", sha, pack)
		}
		return s.packPath(pack), offset, size, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", 0, 0, fmt.Errorf("store: looking up original %s: %w", sha, err)
	}
	if s.hasLooseFiles {
		if _, err := os.Lstat(s.loosePath(sha)); err == nil {
			return s.loosePath(sha), 0, -1, nil
		}
	}
	return "", 0, 0, notes.Errorf(notes.ENOTFOUND, "the project keeps no original with SHA-256 %s", sha)
}

// OpenOriginal opens the original with this SHA-256 for reading. A pack
// that is missing or cut short is reported, not read as a shorter file.
func (s *Store) OpenOriginal(sha string) (io.ReadCloser, error) {
	path, offset, size, err := s.OriginalLocation(sha)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notes.Errorf(notes.ENOTFOUND, "%s is missing from the project folder", s.rel(path))
	}
	if err != nil {
		return nil, err
	}
	if size < 0 {
		return f, nil
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.Size() < offset+size {
		f.Close()
		return nil, notes.Errorf(notes.EINVALID, "%s is cut short: it ends at byte %d, before the original's end at %d",
			s.rel(path), fi.Size(), offset+size)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, offset, size), f}, nil
}

// ReadOriginal returns the bytes of the original with this SHA-256.
func (s *Store) ReadOriginal(sha string) ([]byte, error) {
	r, err := s.OpenOriginal(sha)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// HasOriginal reports whether the project keeps the original with this
// SHA-256, in a pack that exists or a file of its own.
func (s *Store) HasOriginal(sha string) bool {
	path, _, _, err := s.OriginalLocation(sha)
	if err != nil {
		return false
	}
	_, err = os.Stat(path)
	return err == nil
}

func (s *Store) packPath(pack string) string {
	return filepath.Join(s.dir, FilesDir, PacksDir, pack)
}

// loosePath is where schema 7 and before kept an original.
func (s *Store) loosePath(sha string) string {
	return filepath.Join(s.dir, FilesDir, sha[:2], sha)
}

// rel names path from the project folder, as messages do.
func (s *Store) rel(path string) string {
	if r, err := filepath.Rel(s.dir, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

// anyLooseFiles reports whether files/ holds originals of their own, as
// projects of schema 7 and before do: only then are they looked for.
func anyLooseFiles(filesDir string) (bool, error) {
	entries, err := os.ReadDir(filesDir)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() != PacksDir }), nil
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
