// Package notes is Dossier's domain: documents (sources), their dates and
// grades, search requests and results, and the Store and Index interfaces that
// the storage and search packages implement. It imports nothing heavier than
// the standard library and uuid, so every other package can depend on it.
// It also parses notes' Markdown for [[links]] and #tags (see ParseBody).
package notes

import (
	"context"
	"html"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Kinds of searchable items. The search index keeps them in one field so a
// query can be narrowed with type:source, type:note or type:quote.
const (
	KindSource = "source"
	KindNote   = "note"
	KindQuote  = "quote"
)

// NewID returns a new identifier for any stored item: a UUID of version 7,
// whose first 48 bits are the time it was made, so that ids made one after
// the other sort together. The store's unique index on ids then grows at
// its end: with random (version 4) ids every batch of 1,000 imported
// documents rewrote most of that index's pages, and an import of 100,000
// wrote 3.3 GB to disk instead of 2.9.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Document is one imported source. Text is the extracted plain text. It
// changes only when a new version of the source replaces it (same id; see
// project.UpdateSource), and then every quote pointing into it by offset is
// re-anchored in the same transaction.
type Document struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Author    string   `json:"author"`
	Source    string   `json:"source"` // publisher or site, e.g. "iwpr.net"
	URL       string   `json:"url"`
	Published Date     `json:"-"`
	MediaType string   `json:"media_type"`
	Language  string   `json:"language,omitempty"`
	SHA256    string   `json:"sha256"` // of the original file's bytes
	Text      string   `json:"text,omitempty"`
	Grade     string   `json:"grade,omitempty"` // Admiralty code such as "B2"; empty when ungraded
	GradeNote string   `json:"grade_note,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	// Pages holds the code-point offset in Text at which each page begins,
	// for documents that have pages (PDF); Pages[0] is 0. Empty otherwise.
	Pages []int `json:"pages,omitempty"`

	// Provenance: where the text came from and what extracted it.
	OriginalName string    `json:"original_name"`
	Size         int64     `json:"size"`
	Importer     string    `json:"importer"` // name/version, e.g. "html/1"
	ImportedAt   time.Time `json:"imported_at"`
}

// Span is a half-open range [Start, End) of byte offsets into a string.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Progress reports how much of a long job is done. Total is 0 when unknown.
// It is called from the worker's goroutine: GUI callers must hop to the UI
// goroutine themselves.
type Progress func(done, total int)

// Store is the project's source of truth. Implementations are safe for
// concurrent use.
type Store interface {
	// AddDocuments stores new documents in one transaction and returns, for
	// each, whether it was added. A document whose SHA256 is already stored is
	// skipped (added=false) and left untouched. Empty IDs and ImportedAt are
	// filled in. On error nothing of the batch is stored.
	AddDocuments(ctx context.Context, docs []*Document) (added []bool, err error)
	// DocumentBySHA returns the id of the document imported from a file with
	// this hash, or ErrNotFound.
	DocumentBySHA(ctx context.Context, sha256 string) (string, error)
	// Document returns one document with its text, or ErrNotFound.
	Document(ctx context.Context, id string) (*Document, error)
	// Text returns only the text of a document, or ErrNotFound.
	Text(ctx context.Context, id string) (string, error)
	// Documents lists every document's metadata, without text, ordered by
	// publication date (undated last) then title.
	Documents(ctx context.Context) ([]Document, error)
	// Listing is Documents with only ID, Title, Source, Published, Grade
	// and Pages filled in: what the library shows, read faster.
	Listing(ctx context.Context) ([]Document, error)
	// EachDocument calls fn for every document with its text, in a stable
	// order, stopping at the first error fn returns.
	EachDocument(ctx context.Context, fn func(*Document) error) error
	// CountDocuments returns the number of stored documents.
	CountDocuments(ctx context.Context) (int, error)
	// UpdateDocument saves a document's editable metadata (title, author,
	// source, URL, published date, grade, tags). Text and hash never change
	// here: only a new version of the source replaces them.
	UpdateDocument(ctx context.Context, d *Document) error
	// PutOriginals keeps many originals at once, durably, with far fewer
	// disk flushes than one PutOriginal each. Each file is whole or absent
	// after a crash. Files already there are left alone.
	PutOriginals(files []Original) error
	// OpenOriginal opens the original with this hash for reading; it
	// reports ENOTFOUND when the project does not keep it.
	OpenOriginal(sha256 string) (io.ReadCloser, error)
	// HasOriginal reports whether the project keeps the original with
	// this hash.
	HasOriginal(sha256 string) bool
	Close() error
}

// Original is an imported file's bytes under their SHA-256.
type Original struct {
	SHA256 string
	Data   []byte
}

// Index is the derived full-text index. It can always be rebuilt from a
// Store, so losing it loses nothing.
type Index interface {
	// Index adds or replaces documents in one batch.
	Index(ctx context.Context, docs []*Document) error
	// IndexItems adds or replaces sources, notes and quotes in one batch.
	IndexItems(ctx context.Context, items []*Item) error
	// Delete removes items by id.
	Delete(ctx context.Context, ids []string) error
	// Search runs a query. A malformed query returns an *Error of kind
	// EINVALID whose message is the parser's.
	Search(ctx context.Context, r SearchRequest) (*SearchResult, error)
	// Matches returns every span of the document's text that the query
	// matches, in order, for highlighting in the reader. Adjacent matched
	// words (a phrase) are one span, so the reader counts phrases.
	Matches(ctx context.Context, id, query string) ([]Span, error)
	// Count returns the number of indexed items.
	Count() (uint64, error)
	// Compact rewrites the index compactly after a large change (a big
	// import, a rebuild). It can take seconds; searches go on meanwhile.
	Compact(ctx context.Context) error
	Close() error
}

// SearchRequest is one query. Query uses the syntax in README.md.
type SearchRequest struct {
	Query string
	// Limit caps the hits returned (default 20); Offset skips the first ones.
	Limit, Offset int
	// PrefixLast treats the last bare word as a prefix, for search as you type.
	PrefixLast bool
	// Filters narrows results to facet values, e.g. {"type": {"source"},
	// "year": {"2023"}}. Values of one facet are ORed, facets are ANDed.
	Filters map[string][]string
	// Snippets is the number of snippets wanted per hit (default 3, -1 none).
	Snippets int
	// NoFacets skips counting facets: counting visits every match, which
	// callers that show no facets need not pay for.
	NoFacets bool
}

// SearchResult is the answer to a SearchRequest.
type SearchResult struct {
	Total  uint64             `json:"total"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Facet `json:"facets,omitempty"`
	Took   time.Duration      `json:"-"`
}

// Hit is one matching item.
type Hit struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Title     string    `json:"title"`
	Score     float64   `json:"score"`
	Source    string    `json:"source,omitempty"`
	Author    string    `json:"author,omitempty"`
	Published Date      `json:"-"`
	Grade     string    `json:"grade,omitempty"`
	Snippets  []Snippet `json:"-"`
}

// Snippet is a short excerpt of a hit's text with the matched words marked
// by byte spans into Text.
type Snippet struct {
	Text  string
	Marks []Span
	// Offset is where the snippet's first match (or, without one, the
	// snippet) is in the item's text, in code points: with
	// PageAt(doc.Pages, Offset) it gives the page a hit is on.
	Offset int
}

// Marked returns the snippet with every mark wrapped in open and close, e.g.
// "[" and "]" or a terminal's colours.
func (s Snippet) Marked(open, close string) string {
	return s.marked(open, close, func(t string) string { return t })
}

// MarkedHTML returns the snippet as HTML: the text escaped, every mark
// wrapped in <mark> and </mark>. Unescaped, a "<" in the text could break
// the markup, or a literal "<mark>" in it pass for a match.
func (s Snippet) MarkedHTML() string {
	return s.marked("<mark>", "</mark>", html.EscapeString)
}

func (s Snippet) marked(open, close string, text func(string) string) string {
	var b strings.Builder
	b.Grow(len(s.Text) + len(s.Marks)*(len(open)+len(close)))
	last := 0
	for _, m := range s.Marks {
		if m.Start < last || m.End > len(s.Text) || m.Start > m.End {
			continue
		}
		b.WriteString(text(s.Text[last:m.Start]))
		b.WriteString(open)
		b.WriteString(text(s.Text[m.Start:m.End]))
		b.WriteString(close)
		last = m.End
	}
	b.WriteString(text(s.Text[last:]))
	return b.String()
}

// Facet is one value of a facet with the number of hits that have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
