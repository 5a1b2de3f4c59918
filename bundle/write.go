package bundle

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"slices"
	"time"

	"dossier/internal/fileio"
	"dossier/notes"
	"dossier/store"
)

// CreateOptions change how Create writes a bundle.
type CreateOptions struct {
	// AppVersion goes into the manifest, e.g. "0.1.0".
	AppVersion string
	// Progress is told how many documents and originals are written, of
	// how many.
	Progress notes.Progress
}

// Create writes every row of the project in db and its original files to a
// new bundle at path. The file appears whole or not at all: it is written
// to a temporary file beside path, synced, then renamed over path. If ctx
// is cancelled, nothing is left behind and ctx's error is returned.
//
// Create also records, in the project, the content hash of every item it
// wrote, so that a later merge of a bundle made from this one can tell
// which side changed an item.
func Create(ctx context.Context, db *store.Store, path string, opts CreateOptions) (*Manifest, error) {
	pf, err := fileio.NewPending(path, 0o644)
	if err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot write bundle %s: %w", path, err)
	}
	defer pf.Cleanup()

	name, _ := db.Meta(store.MetaName)
	m := &Manifest{Format: Format, FormatVersion: FormatVersion,
		Project: Project{ID: db.ProjectID(), Name: name}, Created: time.Now().UTC().Truncate(time.Second),
		AppVersion: opts.AppVersion, Entries: map[string]Entry{}}
	w := &bundleWriter{zw: zip.NewWriter(pf), m: m}

	history, err := db.AllHistory(ctx)
	if err != nil {
		return nil, err
	}
	shared := map[string]string{} // id → content hash written now
	withHistory := func(id, h string) []string {
		shared[id] = h
		hs := append(slices.Clone(history[id]), h)
		slices.Sort(hs)
		return slices.Compact(hs)
	}
	total, err := db.CountDocuments(ctx)
	if err != nil {
		return nil, err
	}
	done := 0
	step := func() {
		done++
		if opts.Progress != nil {
			opts.Progress(done, 2*total)
		}
	}
	var shas []string
	err = db.Dump(ctx, store.DumpFuncs{
		Document: func(d *notes.Document) error {
			r := documentRecord(d)
			r.History = withHistory(d.ID, docHash(d))
			shas = append(shas, d.SHA256)
			m.Counts.Documents++
			step()
			return w.record(DocumentsName, r)
		},
		Note: func(n *notes.Note, deletedAt string) error {
			r := &NoteRecord{Note: *n, DeletedAt: deletedAt, History: withHistory(n.ID, noteHash(n, deletedAt))}
			r.Tags = list(r.Tags)
			m.Counts.Notes++
			return w.record(NotesName, r)
		},
		Link: func(l *notes.Link) error {
			m.Counts.Links++
			return w.record(LinksName, l)
		},
		Quote: func(q *notes.Quote) error {
			r := &QuoteRecord{Quote: *q, History: withHistory(q.ID, quoteHash(q))}
			r.Tags = list(r.Tags)
			m.Counts.Quotes++
			return w.record(QuotesName, r)
		},
		Relation: func(rel *notes.Relation) error {
			m.Counts.Relations++
			return w.record(RelationsName, &RelationRecord{Relation: *rel, History: withHistory(rel.ID, relationHash(rel))})
		},
		Event: func(e *notes.Event) error {
			r := &EventRecord{Event: *e, History: withHistory(e.ID, eventHash(e))}
			r.Links = list(r.Links)
			m.Counts.Events++
			return w.record(EventsName, r)
		},
	})
	if err != nil {
		return nil, err
	}
	// Every data entry exists, even for a kind the project has none of,
	// so readers need not guess whether one is missing or empty.
	w.close()
	for _, n := range dataNames {
		if _, ok := m.Entries[n]; !ok {
			if err := w.open(n); err != nil {
				return nil, err
			}
			w.close()
		}
	}
	for _, sha := range shas {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ok, err := w.original(db, sha)
		if err != nil {
			return nil, err
		}
		if ok {
			m.Counts.Files++
		}
		step()
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	if err := pf.Commit(); err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot write bundle %s: %w", path, err)
	}
	// Recorded only once the bundle exists: a version counts as shared
	// when someone could have received it.
	if err := db.AddHistory(ctx, shared); err != nil {
		return nil, err
	}
	return m, nil
}

// bundleWriter writes zip entries one at a time, hashing each for the
// manifest.
type bundleWriter struct {
	zw  *zip.Writer
	m   *Manifest
	cur string
	w   io.Writer
	h   hash.Hash
	n   int64
	enc *json.Encoder
}

func (b *bundleWriter) close() {
	if b.cur != "" {
		b.m.Entries[b.cur] = Entry{Size: b.n, SHA256: hex.EncodeToString(b.h.Sum(nil))}
		b.cur = ""
	}
}

func (b *bundleWriter) open(name string) error {
	b.close()
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: b.m.Created}
	fh.SetMode(0o644)
	zw, err := b.zw.CreateHeader(fh)
	if err != nil {
		return fmt.Errorf("bundle: writing %s: %w", name, err)
	}
	b.cur, b.h, b.n = name, sha256.New(), 0
	b.w = io.MultiWriter(zw, b.h, counter{&b.n})
	b.enc = json.NewEncoder(b.w)
	b.enc.SetEscapeHTML(false)
	return nil
}

func (b *bundleWriter) record(name string, v any) error {
	if b.cur != name {
		if _, ok := b.m.Entries[name]; ok {
			return fmt.Errorf("bundle: %s written twice", name)
		}
		if err := b.open(name); err != nil {
			return err
		}
	}
	// Encode ends each value with a newline: one record per line.
	if err := b.enc.Encode(v); err != nil {
		return fmt.Errorf("bundle: writing %s: %w", name, err)
	}
	return nil
}

// original copies the original kept under sha into files/<sha>. A missing
// original (a document whose file was never kept) is skipped: the bundle
// still carries its text.
func (b *bundleWriter) original(db *store.Store, sha string) (bool, error) {
	name := filesDir + sha
	if _, ok := b.m.Entries[name]; ok || b.cur == name {
		return false, nil
	}
	f, err := db.OpenOriginal(sha)
	if notes.ErrorKind(err) == notes.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bundle: reading original %s: %w", sha, err)
	}
	defer f.Close()
	if err := b.open(name); err != nil {
		return false, err
	}
	if _, err := io.Copy(b.w, f); err != nil {
		return false, fmt.Errorf("bundle: copying original %s: %w", sha, err)
	}
	return true, nil
}

// finish writes manifest.json last (it holds every other entry's hash) and
// the zip's central directory.
func (b *bundleWriter) finish() error {
	b.close()
	fh := &zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: b.m.Created}
	fh.SetMode(0o644)
	w, err := b.zw.CreateHeader(fh)
	if err != nil {
		return fmt.Errorf("bundle: writing manifest: %w", err)
	}
	out, err := json.MarshalIndent(b.m, "", "  ")
	if err != nil {
		return fmt.Errorf("bundle: writing manifest: %w", err)
	}
	if _, err := w.Write(append(out, '\n')); err != nil {
		return fmt.Errorf("bundle: writing manifest: %w", err)
	}
	if err := b.zw.Close(); err != nil {
		return fmt.Errorf("bundle: finishing zip: %w", err)
	}
	return nil
}

type counter struct{ n *int64 }

func (c counter) Write(p []byte) (int, error) { *c.n += int64(len(p)); return len(p), nil }
