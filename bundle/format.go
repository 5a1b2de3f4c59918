// Package bundle writes, checks, opens and merges .dossier bundle files: one
// zip with a project's documents, notes, quotes, relations and events (one
// JSON-lines file per kind), the original imported files, and a
// manifest.json with the SHA-256 of every entry. The search index is not in
// a bundle; it is rebuilt from the rows on open. docs/FORMATS.md describes
// the format for other tools.
//
// A bundle is untrusted input. Before anything is written, every entry is
// read through a reader that refuses names that climb out of the folder,
// absolute names, links and anything but regular files; counts the bytes
// actually inflated (per entry, in total, and against the compressed size,
// so a zip bomb is stopped while streaming); and checks each entry's size
// and SHA-256 against the manifest. Rows are then loaded in one SQLite
// transaction, so a merge is all or nothing.
package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"time"

	"dossier/notes"
)

// Format names the file type in manifest.json.
const Format = "dossier-bundle"

// FormatVersion is the version of the bundle layout this build writes and
// the newest it reads. A bundle with a higher version is refused.
const FormatVersion = 1

// Ext is the file name extension of bundles.
const Ext = ".dossier"

// Entry names inside a bundle.
const (
	ManifestName  = "manifest.json"
	DocumentsName = "data/documents.jsonl"
	NotesName     = "data/notes.jsonl"
	LinksName     = "data/links.jsonl"
	QuotesName    = "data/quotes.jsonl"
	RelationsName = "data/relations.jsonl"
	EventsName    = "data/events.jsonl"
	filesDir      = "files/"
)

// dataNames are the data entries in the order they are written and loaded:
// quotes need their documents, relations their quotes, links their notes.
var dataNames = []string{DocumentsName, NotesName, LinksName, QuotesName, RelationsName, EventsName}

// fileName matches the name of an original: files/ and its SHA-256.
var fileName = regexp.MustCompile(`^files/[0-9a-f]{64}$`)

// Manifest is manifest.json: what the bundle holds and how to check it.
type Manifest struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	Project       Project   `json:"project"`
	Created       time.Time `json:"created"`
	AppVersion    string    `json:"app_version"`
	Counts        Counts    `json:"counts"`
	// Entries lists every other entry of the zip with its size and
	// SHA-256; an entry not listed here, or listed and absent, makes the
	// bundle invalid.
	Entries map[string]Entry `json:"entries"`
}

// Project names the project a bundle was made from.
type Project struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Counts are the numbers of records of each kind (and of original files).
type Counts struct {
	Documents int `json:"documents"`
	Notes     int `json:"notes"`
	Links     int `json:"links"`
	Quotes    int `json:"quotes"`
	Relations int `json:"relations"`
	Events    int `json:"events"`
	Files     int `json:"files"`
}

// Entry is the size in bytes and SHA-256 (lowercase hex) of one zip entry,
// uncompressed.
type Entry struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Records: one JSON object per line in each data/*.jsonl entry. History
// lists content hashes (see hashOf) of versions of the item that the
// sending project shared or received before; merge uses them to tell an
// edit on one side from edits on both.

// DocumentRecord is a line of data/documents.jsonl.
type DocumentRecord struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Author       string    `json:"author"`
	Source       string    `json:"source"`
	URL          string    `json:"url"`
	Published    string    `json:"published"` // "", "YYYY", "YYYY-MM" or "YYYY-MM-DD"
	MediaType    string    `json:"media_type"`
	Language     string    `json:"language"`
	SHA256       string    `json:"sha256"`
	Grade        string    `json:"grade"`
	GradeNote    string    `json:"grade_note"`
	Tags         []string  `json:"tags"`
	Pages        []int     `json:"pages"`
	OriginalName string    `json:"original_name"`
	Size         int64     `json:"size"`
	Importer     string    `json:"importer"`
	ImportedAt   time.Time `json:"imported_at"`
	Text         string    `json:"text"`
	History      []string  `json:"history,omitempty"`
}

func documentRecord(d *notes.Document) *DocumentRecord {
	return &DocumentRecord{ID: d.ID, Title: d.Title, Author: d.Author, Source: d.Source, URL: d.URL,
		Published: d.Published.String(), MediaType: d.MediaType, Language: d.Language, SHA256: d.SHA256,
		Grade: d.Grade, GradeNote: d.GradeNote, Tags: list(d.Tags), Pages: ints(d.Pages),
		OriginalName: d.OriginalName, Size: d.Size, Importer: d.Importer, ImportedAt: d.ImportedAt.UTC(),
		Text: d.Text}
}

// Document converts the record back; a malformed date is an error.
func (r *DocumentRecord) Document() (*notes.Document, error) {
	pub, err := notes.ParseDate(r.Published)
	if err != nil {
		return nil, err
	}
	return &notes.Document{ID: r.ID, Title: r.Title, Author: r.Author, Source: r.Source, URL: r.URL,
		Published: pub, MediaType: r.MediaType, Language: r.Language, SHA256: r.SHA256, Text: r.Text,
		Grade: r.Grade, GradeNote: r.GradeNote, Tags: r.Tags, Pages: r.Pages, OriginalName: r.OriginalName,
		Size: r.Size, Importer: r.Importer, ImportedAt: r.ImportedAt}, nil
}

// NoteRecord is a line of data/notes.jsonl. Deleted notes (in the trash)
// travel too, with DeletedAt set.
type NoteRecord struct {
	notes.Note
	DeletedAt string   `json:"deleted_at,omitempty"`
	History   []string `json:"history,omitempty"`
}

// LinkRecord is a line of data/links.jsonl: a [[link]] of a note, in the
// order they appear in its body.
type LinkRecord = notes.Link

// QuoteRecord is a line of data/quotes.jsonl.
type QuoteRecord struct {
	notes.Quote
	History []string `json:"history,omitempty"`
}

// RelationRecord is a line of data/relations.jsonl.
type RelationRecord struct {
	notes.Relation
	History []string `json:"history,omitempty"`
}

// EventRecord is a line of data/events.jsonl.
type EventRecord struct {
	notes.Event
	History []string `json:"history,omitempty"`
}

// Content hashes: the SHA-256 of the fields a user edits, so two versions
// of an item compare equal exactly when nothing the user sees differs.
// Times and version counters are left out: saving without a change is not
// an edit.

func hashOf(kind string, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs of strings, ints and bools get here
	}
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func docHash(d *notes.Document) string {
	return hashOf("document", struct {
		Title, Author, Source, URL, Published, Grade, GradeNote string
		Tags                                                    []string
	}{d.Title, d.Author, d.Source, d.URL, d.Published.String(), d.Grade, d.GradeNote, list(d.Tags)})
}

func noteHash(n *notes.Note, deletedAt string) string {
	return hashOf("note", struct {
		Title, Body string
		Tags        []string
		Deleted     bool
	}{n.Title, n.Body, list(n.Tags), deletedAt != ""})
}

func quoteHash(q *notes.Quote) string {
	return hashOf("quote", struct {
		Doc                          string
		Start, End, Page, PageEnd    int
		Exact, Prefix, Suffix, Color string
		Comment                      string
		Tags                         []string
		Orphaned                     bool
	}{q.DocID, q.Start, q.End, q.Page, q.PageEnd, q.Exact, q.Prefix, q.Suffix, q.Color, q.Comment, list(q.Tags), q.Orphaned})
}

func relationHash(r *notes.Relation) string {
	return hashOf("relation", struct{ A, B, Kind, Note string }{r.A, r.B, r.Kind, r.Note})
}

func eventHash(e *notes.Event) string {
	return hashOf("event", struct {
		Label, Date, End, Note string
		Links                  []string
	}{e.Label, e.Date.String() + "/" + e.Date.Precision.String(), e.End.String(), e.Note, list(e.Links)})
}

// list makes an empty list encode as [] rather than null, so nil and empty
// compare equal in hashes and read well in the files.
func list(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	return s
}

func ints(s []int) []int {
	if len(s) == 0 {
		return []int{}
	}
	return s
}
