package bundle

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"dossier/notes"
)

// Limits bound what a bundle may make Dossier read. The zero value of a
// field means its default.
type Limits struct {
	// MaxTotal caps the bytes of all entries together once inflated
	// (default 32 GiB).
	MaxTotal int64
	// MaxEntries caps the number of entries (default 4,000,000).
	MaxEntries int
	// MaxRatio caps how many times larger than its compressed form an
	// entry may inflate (default 200); deflate reaches about 1,000 only on
	// data made to be a bomb. Entries under 1 MiB are not held to it.
	MaxRatio int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxTotal <= 0 {
		l.MaxTotal = 32 << 30
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = 4_000_000
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = 200
	}
	return l
}

// maxManifest caps manifest.json, which is read whole into memory.
const maxManifest = 256 << 20

// ratioFloor is the inflated size below which the ratio is not checked:
// a small file of one repeated character is not a bomb.
const ratioFloor = 1 << 20

// Reader is an opened bundle whose entry names and manifest have been
// checked. Check (or Verify) reads every entry through the same checks;
// nothing of a bundle is trusted before that.
type Reader struct {
	name     string
	f        *os.File
	zr       *zip.Reader
	files    map[string]*zip.File
	Manifest *Manifest
	limits   Limits
	total    int64 // sum of the manifest's entry sizes
}

// invalid builds the error a user sees for a bad bundle.
func invalid(bundle, format string, args ...any) error {
	e := notes.Errorf(notes.EINVALID, format, args...)
	e.Message = "bundle " + filepath.Base(bundle) + ": " + e.Message
	return e
}

// Open opens the bundle file at path and checks its names and manifest. It
// reads no entry but the manifest. The Reader must be closed.
func Open(path string, limits Limits) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot open bundle %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, notes.Errorf(notes.EINVALID, "cannot open bundle %s: %w", path, err)
	}
	r, err := NewReader(f, st.Size(), path, limits)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.f = f
	return r, nil
}

// NewReader is Open over any io.ReaderAt of size bytes; name is used in
// messages.
func NewReader(ra io.ReaderAt, size int64, name string, limits Limits) (r *Reader, err error) {
	limits = limits.withDefaults()
	// archive/zip panics on nothing we know of, but a bundle is hostile
	// input and the fuzz test holds us to "never panic".
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, invalid(name, "the file is damaged (%v)", p)
		}
	}()
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, invalid(name, "not a Dossier bundle: the file is not a zip archive or is truncated (%v)", err)
	}
	if len(zr.File) > limits.MaxEntries {
		return nil, invalid(name, "it has %d entries, more than the limit of %d", len(zr.File), limits.MaxEntries)
	}
	r = &Reader{name: name, zr: zr, files: map[string]*zip.File{}, limits: limits}
	for _, zf := range zr.File {
		if err := r.checkName(zf); err != nil {
			return nil, err
		}
		if zf.Mode().IsDir() {
			continue
		}
		if zf.CompressedSize64 > uint64(size) {
			return nil, invalid(name, "entry %q claims to be larger than the whole file", zf.Name)
		}
		if _, dup := r.files[zf.Name]; dup {
			return nil, invalid(name, "entry %q appears twice", zf.Name)
		}
		r.files[zf.Name] = zf
	}
	if err := r.readManifest(); err != nil {
		return nil, err
	}
	return r, nil
}

// checkName refuses names that could write outside a folder if extracted,
// links, and anything that is not one of the entries a bundle has.
func (r *Reader) checkName(zf *zip.File) error {
	n := zf.Name
	switch {
	case strings.ContainsRune(n, '\\'):
		return invalid(r.name, "entry %q uses backslashes, which could climb out of the folder on Windows", n)
	case strings.HasPrefix(n, "/") || filepath.VolumeName(n) != "" || len(n) > 1 && n[1] == ':':
		return invalid(r.name, "entry %q has an absolute path", n)
	case n == ".." || strings.HasPrefix(n, "../") || strings.Contains(n, "/../") || strings.HasSuffix(n, "/.."):
		return invalid(r.name, "entry %q climbs out of the folder (..)", n)
	case !fs.ValidPath(strings.TrimSuffix(n, "/")) || !filepath.IsLocal(strings.TrimSuffix(n, "/")):
		return invalid(r.name, "entry %q is not a plain relative path", n)
	}
	mode := zf.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return invalid(r.name, "entry %q is a symbolic link; bundles hold only regular files", n)
	case mode.IsDir():
		if n != "data/" && n != filesDir {
			return invalid(r.name, "unexpected folder %q", n)
		}
		return nil
	case !mode.IsRegular():
		return invalid(r.name, "entry %q is not a regular file (%s)", n, mode.Type())
	}
	if n == ManifestName || fileName.MatchString(n) {
		return nil
	}
	for _, d := range dataNames {
		if n == d {
			return nil
		}
	}
	return invalid(r.name, "unexpected entry %q", n)
}

func (r *Reader) readManifest() error {
	zf := r.files[ManifestName]
	if zf == nil {
		return invalid(r.name, "not a Dossier bundle: it has no %s", ManifestName)
	}
	rc, err := zf.Open()
	if err != nil {
		return invalid(r.name, "cannot read %s: %v", ManifestName, err)
	}
	defer rc.Close()
	cr := &checkedReader{r: rc, name: ManifestName, bundle: r.name, limit: maxManifest,
		total: &r.total, maxTotal: maxManifest, compressed: int64(zf.CompressedSize64), ratio: r.limits.MaxRatio}
	b, err := io.ReadAll(cr)
	if err != nil {
		return err
	}
	r.total = 0
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return invalid(r.name, "%s is not valid JSON: %v", ManifestName, err)
	}
	if m.Format != Format {
		return invalid(r.name, "not a Dossier bundle (%s says format %q)", ManifestName, m.Format)
	}
	if m.FormatVersion > FormatVersion {
		return invalid(r.name, "it was made by a newer Dossier (format version %d; this one reads up to %d); update Dossier to open it", m.FormatVersion, FormatVersion)
	}
	if m.FormatVersion < 1 {
		return invalid(r.name, "%s has no valid format version", ManifestName)
	}
	var sum int64
	for name, e := range m.Entries {
		if r.files[name] == nil {
			return invalid(r.name, "entry %q is listed in the manifest but missing", name)
		}
		if e.Size < 0 || len(e.SHA256) != 64 {
			return invalid(r.name, "the manifest's size or SHA-256 of %q is malformed", name)
		}
		if fileName.MatchString(name) && e.SHA256 != strings.TrimPrefix(name, filesDir) {
			return invalid(r.name, "original %q is not named by its SHA-256", name)
		}
		sum += e.Size
		if sum > r.limits.MaxTotal || sum < 0 {
			return invalid(r.name, "it would inflate to more than %s, the limit", humanBytes(r.limits.MaxTotal))
		}
	}
	for name := range r.files {
		if _, ok := m.Entries[name]; !ok && name != ManifestName {
			return invalid(r.name, "entry %q is not listed in the manifest", name)
		}
	}
	for _, d := range dataNames {
		if _, ok := m.Entries[d]; !ok {
			return invalid(r.name, "it has no %s", d)
		}
	}
	r.Manifest = &m
	r.total = sum
	return nil
}

// Close closes the bundle file.
func (r *Reader) Close() error {
	if r.f != nil {
		return r.f.Close()
	}
	return nil
}

// TotalSize is the inflated size of every entry but the manifest, as the
// manifest gives it.
func (r *Reader) TotalSize() int64 { return r.total }

// progressCounter adds bytes read to a running count and reports it.
type progressCounter struct {
	done, total int64
	fn          notes.Progress
}

func (p *progressCounter) add(n int) {
	p.done += int64(n)
	if p.fn != nil {
		p.fn(int(p.done), int(p.total))
	}
}

// openEntry opens entry name for reading through every check: size and
// ratio limits while inflating, ctx between reads, and at EOF the size and
// SHA-256 the manifest gives. read counts against *total.
func (r *Reader) openEntry(ctx context.Context, name string, total *int64, pc *progressCounter) (io.ReadCloser, error) {
	zf := r.files[name]
	want, ok := r.Manifest.Entries[name]
	if zf == nil || !ok {
		return nil, invalid(r.name, "it has no %s", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, invalid(r.name, "cannot read %s: %v", name, err)
	}
	return &checkedReader{r: rc, ctx: ctx, name: name, bundle: r.name, limit: want.Size, want: &want,
		h: sha256.New(), total: total, maxTotal: r.limits.MaxTotal,
		compressed: int64(zf.CompressedSize64), ratio: r.limits.MaxRatio, pc: pc}, nil
}

// checkedReader is how every byte of a bundle is read.
type checkedReader struct {
	r          io.ReadCloser
	ctx        context.Context
	name       string // the entry
	bundle     string
	limit      int64  // bytes this entry may inflate to
	want       *Entry // size and hash to check at EOF; nil for the manifest
	h          hash.Hash
	n          int64
	total      *int64 // bytes inflated so far over the whole bundle
	maxTotal   int64
	compressed int64
	ratio      int64
	pc         *progressCounter
	err        error // the first problem found, returned from then on
}

func (c *checkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.read(p)
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

func (c *checkedReader) read(p []byte) (int, error) {
	if c.ctx != nil {
		if err := c.ctx.Err(); err != nil {
			return 0, err
		}
	}
	// Never ask for more than one byte past the limit, so a bomb is cut
	// off after at most that much work.
	if room := c.limit - c.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	*c.total += int64(n)
	if c.h != nil {
		c.h.Write(p[:n])
	}
	if c.pc != nil && n > 0 {
		c.pc.add(n)
	}
	switch {
	case c.n > c.limit:
		if c.want == nil {
			return n, invalid(c.bundle, "%s is larger than %s", c.name, humanBytes(c.limit))
		}
		return n, invalid(c.bundle, "entry %q inflates to more than the %d bytes its manifest gives", c.name, c.want.Size)
	case *c.total > c.maxTotal:
		return n, invalid(c.bundle, "it inflates to more than %s, the limit", humanBytes(c.maxTotal))
	case c.n > ratioFloor && c.n > c.ratio*max(c.compressed, 1):
		return n, invalid(c.bundle, "entry %q inflates more than %d times its compressed size: refusing what looks like a zip bomb", c.name, c.ratio)
	}
	if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || err != nil && err != io.EOF {
		return n, invalid(c.bundle, "entry %q is damaged: %v", c.name, err)
	}
	if err == io.EOF && c.want != nil {
		if c.n != c.want.Size {
			return n, invalid(c.bundle, "entry %q has %d bytes, its manifest says %d", c.name, c.n, c.want.Size)
		}
		if got := hex.EncodeToString(c.h.Sum(nil)); got != c.want.SHA256 {
			return n, invalid(c.bundle, "entry %q does not match its checksum in the manifest: it was changed or damaged", c.name)
		}
	}
	return n, err
}

func (c *checkedReader) Close() error { return c.r.Close() }

// Verify reads every entry of the bundle through all the checks and
// decodes every record, without writing anything. It returns the manifest
// of a sound bundle, or the first problem found.
func (r *Reader) Verify(ctx context.Context, progress notes.Progress) error {
	pc := &progressCounter{total: r.total, fn: progress}
	return r.verify(ctx, pc)
}

func (r *Reader) verify(ctx context.Context, pc *progressCounter) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = invalid(r.name, "the file is damaged (%v)", p)
		}
	}()
	var total int64
	counts := Counts{}
	shas := map[string]bool{}
	err = r.eachRecord(ctx, &total, pc, recordFuncs{
		document: func(d *DocumentRecord) error {
			counts.Documents++
			shas[d.SHA256] = true
			_, err := d.Document()
			return err
		},
		note:     func(*NoteRecord) error { counts.Notes++; return nil },
		link:     func(*LinkRecord) error { counts.Links++; return nil },
		quote:    func(*QuoteRecord) error { counts.Quotes++; return nil },
		relation: func(*RelationRecord) error { counts.Relations++; return nil },
		event:    func(*EventRecord) error { counts.Events++; return nil },
	})
	if err != nil {
		return err
	}
	for name := range r.Manifest.Entries {
		if !fileName.MatchString(name) {
			continue
		}
		counts.Files++
		if !shas[strings.TrimPrefix(name, filesDir)] {
			return invalid(r.name, "original %q belongs to no document", name)
		}
		if err := r.drain(ctx, name, &total, pc); err != nil {
			return err
		}
	}
	if counts != r.Manifest.Counts {
		return invalid(r.name, "it holds %+v, but its manifest says %+v", counts, r.Manifest.Counts)
	}
	return nil
}

// drain reads an entry to its end through the checks.
func (r *Reader) drain(ctx context.Context, name string, total *int64, pc *progressCounter) error {
	rc, err := r.openEntry(ctx, name, total, pc)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// readFile reads a whole original through the checks.
func (r *Reader) readFile(ctx context.Context, sha string, total *int64, pc *progressCounter) ([]byte, error) {
	rc, err := r.openEntry(ctx, filesDir+sha, total, pc)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// hasFile reports whether the bundle carries the original with this hash.
func (r *Reader) hasFile(sha string) bool {
	_, ok := r.Manifest.Entries[filesDir+sha]
	return ok
}

type recordFuncs struct {
	document func(*DocumentRecord) error
	note     func(*NoteRecord) error
	link     func(*LinkRecord) error
	quote    func(*QuoteRecord) error
	relation func(*RelationRecord) error
	event    func(*EventRecord) error
}

// eachRecord decodes the data entries in load order, calling fns for each
// record. Each entry is checked against the manifest as it is read; a
// callback may already have run for records of an entry whose checksum
// then fails, so callers write nothing durable until it returns nil.
func (r *Reader) eachRecord(ctx context.Context, total *int64, pc *progressCounter, fns recordFuncs) error {
	steps := []struct {
		name string
		fn   func(dec *json.Decoder) error
	}{
		{DocumentsName, decodeAll(fns.document)},
		{NotesName, decodeAll(fns.note)},
		{LinksName, decodeAll(fns.link)},
		{QuotesName, decodeAll(fns.quote)},
		{RelationsName, decodeAll(fns.relation)},
		{EventsName, decodeAll(fns.event)},
	}
	for _, s := range steps {
		rc, err := r.openEntry(ctx, s.name, total, pc)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(rc)
		err = s.fn(dec)
		if err == nil {
			// Read to EOF even past the last record, so the size and
			// checksum are checked.
			_, err = io.Copy(io.Discard, io.MultiReader(dec.Buffered(), rc))
		}
		rc.Close()
		if err != nil {
			var ne *notes.Error
			if errors.As(err, &ne) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return invalid(r.name, "%s: %v", s.name, err)
		}
	}
	return nil
}

func decodeAll[T any](fn func(*T) error) func(*json.Decoder) error {
	return func(dec *json.Decoder) error {
		for line := 1; ; line++ {
			v := new(T)
			err := dec.Decode(v)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				var ne *notes.Error
				if errors.As(err, &ne) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					return err
				}
				return fmt.Errorf("record %d: %v", line, err)
			}
			if fn != nil {
				if err := fn(v); err != nil {
					return err
				}
			}
		}
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
