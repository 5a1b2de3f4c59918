package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"dossier/notes"
)

// ErrCorrupt is wrapped by the error Open returns when dir holds an index
// that cannot be used: damaged files (a torn write, kill -9 during a
// rebuild), an unfinished rebuild, or an index built by another version of
// Dossier. The index is derived data: delete dir and rebuild it.
var ErrCorrupt = errors.New("search index is damaged")

// TextSource gives the text of an item by id; the store implements it.
// Snippets and Matches are computed from this text rather than from the
// index, so the index does not keep a second copy of every text.
type TextSource interface {
	Text(ctx context.Context, id string) (string, error)
}

// openTimeout bounds how long Open waits for the index's lock file. Bolt
// waits forever by default when another process holds it.
const openTimeout = 3 * time.Second

// schemaKey holds schemaVersion in every index. Bump schemaVersion whenever
// the mapping or the analysis changes: Open then reports ErrCorrupt and the
// caller rebuilds, instead of searching an index whose terms no longer match
// what queries produce. A rebuild writes the key last, so an interrupted
// rebuild is detected too.
var schemaKey = []byte("dossier_schema")

const schemaVersion = "1"

// genKey and genFile hold the number of the last batch written, inside the
// index and beside it. Scorch, finding its newest snapshot unreadable (a
// damaged segment file), silently falls back to an older one; an index
// whose generation is behind the file's has done so and lost batches.
// The file is written after each batch returns, when the batch is on disk.
var genKey = []byte("dossier_generation")

const genFile = "dossier_generation"

// Index is the full-text index of a project, kept in a folder. It is safe
// for concurrent use.
type Index struct {
	idx   bleve.Index
	texts TextSource
	dir   string

	// rebuilding is set by OpenRebuild: batches are not waited for on disk,
	// so Close must wait for the last one before writing schemaKey.
	rebuilding bool

	writeMu sync.Mutex // orders batches, so generations grow with them
	gen     uint64     // of the last batch; guarded by writeMu

	facets facetCache

	mu     sync.Mutex // guards closed
	closed bool
}

var _ notes.Index = (*Index)(nil)

// Index fields. Only what a query, a facet or a hit needs is kept: the text
// is indexed with term vectors (phrases and match locations need them) but
// not stored; facet fields alone carry doc values; the metadata a hit shows
// is stored once, as JSON in metaField.
const (
	fieldText        = "text"
	fieldTitle       = "title"
	fieldAuthor      = "author"
	fieldSource      = "source" // words of the source, for source:radio
	fieldSourceFacet = "source_facet"
	fieldType        = "type"
	fieldYear        = "year"
	fieldFormat      = "format"
	fieldGrade       = "grade"
	fieldPublished   = "published"
	fieldMeta        = "meta"
)

// undatedYear is the year facet value of documents without a known date.
const undatedYear = "undated"

// buildMapping describes the fields as Index builds them. Documents are
// built directly (see indexDocument), not mapped from structs, but queries look
// up analyzers and date parsers here, and Bleve keeps it in the index.
func buildMapping() *mapping.IndexMappingImpl {
	words := func(store bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: wordsAnalyzerName, Index: true,
			IncludeTermVectors: true, Store: store}
	}
	kw := func() *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Index: true, DocValues: true}
	}
	dm := mapping.NewDocumentStaticMapping()
	dm.Dynamic = false
	dm.AddFieldMappingsAt(fieldText, words(false))
	dm.AddFieldMappingsAt(fieldTitle, words(false))
	dm.AddFieldMappingsAt(fieldAuthor, words(false))
	dm.AddFieldMappingsAt(fieldSource, words(false))
	dm.AddFieldMappingsAt(fieldSourceFacet, kw())
	dm.AddFieldMappingsAt(fieldType, kw())
	dm.AddFieldMappingsAt(fieldYear, kw())
	dm.AddFieldMappingsAt(fieldFormat, kw())
	dm.AddFieldMappingsAt(fieldGrade, kw())
	dm.AddFieldMappingsAt(fieldPublished, &mapping.FieldMapping{Type: "datetime", Index: true})
	dm.AddFieldMappingsAt(fieldMeta, &mapping.FieldMapping{Type: "text", Store: true})

	m := mapping.NewIndexMapping()
	m.DefaultMapping = dm
	m.DefaultAnalyzer = wordsAnalyzerName
	m.DefaultField = fieldText
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}

// meta is what a hit shows without a trip to the store.
type meta struct {
	Type      string `json:"k,omitempty"`
	Title     string `json:"t,omitempty"`
	Author    string `json:"a,omitempty"`
	Source    string `json:"s,omitempty"`
	Published string `json:"p,omitempty"` // notes.Date.String: keeps the precision
	Grade     string `json:"g,omitempty"`
}

const (
	optWords   = bindex.IndexField | bindex.IncludeTermVectors
	optKeyword = bindex.IndexField | bindex.DocValues
)

// indexDocument builds the index document of d.
func indexDocument(d *notes.Document) (*document.Document, error) {
	m, err := json.Marshal(meta{Type: notes.KindSource, Title: d.Title, Author: d.Author,
		Source: d.Source, Published: d.Published.String(), Grade: d.Grade})
	if err != nil {
		return nil, err
	}
	doc := document.NewDocument(d.ID)
	words := func(name, value string) {
		if value != "" {
			doc.AddField(document.NewTextFieldCustom(name, nil, []byte(value), optWords, wordsAnalyzer))
		}
	}
	// A nil analyzer indexes the value as one term.
	keyword := func(name, value string) {
		if value != "" {
			doc.AddField(document.NewTextFieldCustom(name, nil, []byte(value), optKeyword, nil))
		}
	}
	words(fieldText, d.Text)
	words(fieldTitle, d.Title)
	words(fieldAuthor, d.Author)
	words(fieldSource, d.Source)
	keyword(fieldSourceFacet, d.Source)
	keyword(fieldType, notes.KindSource)
	keyword(fieldFormat, normalizeKeyword(fieldFormat, d.MediaType))
	keyword(fieldGrade, normalizeKeyword(fieldGrade, d.Grade))
	if d.Published.Known() {
		keyword(fieldYear, strconv.Itoa(d.Published.Time.Year()))
		f, err := document.NewDateTimeFieldWithIndexingOptions(fieldPublished, nil, d.Published.Time,
			time.RFC3339, bindex.IndexField)
		if err != nil {
			return nil, err
		}
		doc.AddField(f)
	} else {
		keyword(fieldYear, undatedYear)
	}
	doc.AddField(document.NewTextFieldCustom(fieldMeta, nil, m, bindex.StoreField, nil))
	return doc, nil
}

// normalizeKeyword brings a keyword value to the form it is indexed in, so
// that grade:b2 finds "B2" and format:TEXT/HTML finds "text/html".
func normalizeKeyword(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case fieldGrade:
		return strings.ToUpper(v)
	case fieldType, fieldFormat, fieldYear:
		return strings.ToLower(v)
	}
	return v
}

// Open opens the index in dir, creating it if dir is missing or empty.
//
// If the index exists but cannot be used it returns an error wrapping
// ErrCorrupt: the caller deletes dir and rebuilds. If another process (or
// another Index in this one) holds the index, Open gives up after about
// three seconds with an error wrapping notes.ErrLocked instead of waiting
// forever as Bleve does.
func Open(dir string, texts TextSource) (*Index, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0:
		idx, err := create(dir, true)
		if err != nil {
			return nil, err
		}
		// Reopened so that scorchConfig applies, as it does on later opens.
		if err := idx.Close(); err != nil {
			return nil, fmt.Errorf("create search index: %w", err)
		}
		if idx, err = openExisting(dir, false); err != nil {
			return nil, err
		}
		return &Index{idx: idx, texts: texts, dir: dir}, nil
	case err != nil:
		return nil, fmt.Errorf("open search index: %w", err)
	}
	idx, err := openExisting(dir, false)
	if err != nil {
		return nil, err
	}
	ix := &Index{idx: idx, texts: texts, dir: dir}
	if v, err := idx.GetInternal(genKey); err == nil && v != nil {
		ix.gen, _ = strconv.ParseUint(string(v), 10, 64)
	}
	if b, err := os.ReadFile(filepath.Join(dir, genFile)); err == nil {
		if want, err := strconv.ParseUint(string(b), 10, 64); err == nil && ix.gen < want {
			idx.Close()
			return nil, fmt.Errorf("%w: %s: holds batch %d of %d; a newer snapshot is unreadable", ErrCorrupt, dir, ix.gen, want)
		}
	}
	return ix, nil
}

// OpenRebuild creates a fresh index in dir, removing whatever is there,
// tuned for indexing everything at once: a batch returns before it is on
// disk. Close waits until all of it is, then marks the index complete; an
// index whose rebuild did not reach Close (a crash) is reported by Open as
// ErrCorrupt. Reopen with Open after Close.
func OpenRebuild(dir string, texts TextSource) (*Index, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("remove old search index: %w", err)
	}
	// Created with the default (safe) configuration, because Bleve stores
	// the creation configuration and would otherwise reuse unsafe_batch on
	// every later open.
	idx, err := create(dir, false)
	if err != nil {
		return nil, err
	}
	if err := idx.Close(); err != nil {
		return nil, fmt.Errorf("create search index: %w", err)
	}
	idx, err = openExisting(dir, true)
	if err != nil {
		return nil, err
	}
	return &Index{idx: idx, texts: texts, dir: dir, rebuilding: true}, nil
}

func create(dir string, complete bool) (bleve.Index, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create search index: %w", err)
	}
	idx, err := bleve.NewUsing(dir, buildMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create search index: %w", err)
	}
	if complete {
		if err := idx.SetInternal(schemaKey, []byte(schemaVersion)); err != nil {
			idx.Close()
			return nil, fmt.Errorf("create search index: %w", err)
		}
	}
	return idx, nil
}

// scorchConfig tunes Scorch at every open.
var scorchConfig = map[string]any{}

// openExisting opens the index in dir with a time limit. Bolt's own
// timeout covers a lock held elsewhere; the outer timer covers anything else
// that might block, and the goroutine recovers from panics that damaged
// files can cause in the decoders.
func openExisting(dir string, rebuilding bool) (bleve.Index, error) {
	type result struct {
		idx bleve.Index
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("panic while opening: %v", r)}
			}
		}()
		config := map[string]any{
			"bolt_timeout": openTimeout.String(),
			// Always explicit: Bleve merges the creation configuration in.
			"unsafe_batch": rebuilding,
		}
		for k, v := range scorchConfig {
			config[k] = v
		}
		idx, err := bleve.OpenUsing(dir, config)
		done <- result{idx, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(openTimeout + 2*time.Second):
		go func() {
			if r := <-done; r.idx != nil {
				r.idx.Close()
			}
		}()
		return nil, &notes.Error{Kind: notes.ECONFLICT, Err: notes.ErrLocked,
			Message: fmt.Sprintf("search index %s did not open in time; is another Dossier using it?", dir)}
	}
	switch {
	case errors.Is(r.err, bolterrors.ErrTimeout):
		return nil, &notes.Error{Kind: notes.ECONFLICT, Err: notes.ErrLocked,
			Message: fmt.Sprintf("search index %s is in use by another process", dir)}
	case r.err != nil:
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, dir, r.err)
	}
	if rebuilding {
		return r.idx, nil
	}
	v, err := r.idx.GetInternal(schemaKey)
	if err != nil || string(v) != schemaVersion {
		r.idx.Close()
		if err == nil && v == nil {
			err = errors.New("no schema version: an unfinished rebuild or an index of another program")
		} else if err == nil {
			err = fmt.Errorf("built with schema %q, want %q", v, schemaVersion)
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, dir, err)
	}
	return r.idx, nil
}

// Index adds or replaces docs in one batch: either all of them are indexed
// or, on error, none. If ctx is cancelled before the batch is handed to
// Bleve it returns ctx.Err() and indexes nothing; once handed over, the
// batch completes.
func (ix *Index) Index(ctx context.Context, docs []*notes.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := ix.idx.NewBatch()
	for i, d := range docs {
		if i%64 == 63 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if d.ID == "" {
			return notes.Errorf(notes.EINVALID, "cannot index a document without an id (%q)", d.Title)
		}
		doc, err := indexDocument(d)
		if err != nil {
			return fmt.Errorf("index %s: %w", d.ID, err)
		}
		if err := b.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("index %s: %w", d.ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return ix.batch(b)
}

// batch applies b, numbering it unless the index is being rebuilt.
func (ix *Index) batch(b *bleve.Batch) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if ix.rebuilding {
		return ix.idx.Batch(b)
	}
	gen := strconv.FormatUint(ix.gen+1, 10)
	b.SetInternal(genKey, []byte(gen))
	if err := ix.idx.Batch(b); err != nil {
		return err
	}
	ix.gen++
	// Not synced: after a crash of the process the page cache still holds
	// it, and after a power cut an older number only weakens the check.
	_ = os.WriteFile(filepath.Join(ix.dir, genFile), []byte(gen), 0o644)
	return nil
}

// Delete removes items by id in one batch. Ids that are not indexed are
// ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := ix.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	return ix.batch(b)
}

// Count returns the number of indexed items.
func (ix *Index) Count() (uint64, error) { return ix.idx.DocCount() }

// Close closes the index. After OpenRebuild it first waits until every
// batch is on disk and marks the index complete. Calling Close again does
// nothing.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	var err error
	if ix.rebuilding {
		err = ix.finishRebuild()
	}
	if cerr := ix.idx.Close(); err == nil {
		err = cerr
	}
	return err
}

// finishRebuild writes schemaKey in a last batch and waits until Bleve's
// persister reports that batch on disk. It persists snapshots in order, so
// every earlier batch is on disk too.
func (ix *Index) finishRebuild() error {
	persisted := make(chan error, 1)
	b := ix.idx.NewBatch()
	b.SetInternal(schemaKey, []byte(schemaVersion))
	b.SetPersistedCallback(func(err error) {
		select {
		case persisted <- err:
		default:
		}
	})
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("finish search index: %w", err)
	}
	select {
	case err := <-persisted:
		if err != nil {
			return fmt.Errorf("finish search index: %w", err)
		}
		return nil
	case <-time.After(10 * time.Minute):
		return fmt.Errorf("finish search index: not written to disk after 10 minutes")
	}
}
