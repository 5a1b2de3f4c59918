package notes

import "time"

// Item is what the search index holds of anything searchable: a source, a
// note or a quote, flattened to the fields a query, a facet or a hit needs.
// The store gives the same Text for the item's id (store.Text), from which
// snippets are cut.
type Item struct {
	ID        string
	Kind      string // KindSource, KindNote or KindQuote; "" means source
	Title     string
	Text      string
	Author    string
	Source    string // publisher or site; for a quote, its document's
	MediaType string
	Grade     string
	Published Date
	Tags      []string
}

// Item returns the document as a search item.
func (d *Document) Item() *Item {
	return &Item{ID: d.ID, Kind: KindSource, Title: d.Title, Text: d.Text, Author: d.Author,
		Source: d.Source, MediaType: d.MediaType, Grade: d.Grade, Published: d.Published, Tags: d.Tags}
}

// Note is a Markdown note the researcher writes. Body is the Markdown as
// typed; links in it ([[...]]) are resolved to ids when it is saved (see
// Link). Tags are the #tags of the body, derived on every save.
type Note struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Body    string    `json:"body"`
	Tags    []string  `json:"tags"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Version grows by one with every save. A save names the version it
	// edited; if the stored one is newer, both sides are kept (see
	// ECONFLICT) instead of one silently overwriting the other.
	Version int64 `json:"version"`
	// Deleted is set while the note is in the trash (see DeleteNote).
	Deleted bool `json:"deleted,omitempty"`
}

// Kinds of link targets.
const (
	TargetNote    = "note"
	TargetSource  = "source"
	TargetQuote   = "quote"
	TargetMissing = "missing" // a [[Title]] with no such note yet
)

// Link is one [[link]] in a note's body, resolved to the id of what it
// points at. Start and End are code-point offsets into the body.
type Link struct {
	From       string `json:"from"`                 // the note that contains the link
	FromTitle  string `json:"from_title,omitempty"` // its title, in backlinks
	TargetID   string `json:"target_id,omitempty"`
	TargetKind string `json:"target_kind"`
	Text       string `json:"text"` // what the link reads as, e.g. the title or alias
	Start      int    `json:"start"`
	End        int    `json:"end"`
	// Context is the sentence around the link, for backlinks.
	Context string `json:"context,omitempty"`
}

// Quote is a passage pinned from a document. It anchors with both a W3C
// Web Annotation TextPositionSelector (Start, End: code-point offsets into
// the document's text) and a TextQuoteSelector (Exact with about 32
// characters of Prefix and Suffix), so it can be found again when the
// document's text changes. Exact is always kept, even when Orphaned.
type Quote struct {
	ID      string   `json:"id"`
	DocID   string   `json:"doc"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Exact   string   `json:"exact"`
	Prefix  string   `json:"prefix"`
	Suffix  string   `json:"suffix"`
	Page    int      `json:"page,omitempty"`     // first page of the passage, 0 when the document has no pages
	PageEnd int      `json:"page_end,omitempty"` // last page, when it spans several
	Comment string   `json:"comment"`
	Tags    []string `json:"tags"`
	Color   string   `json:"color"` // a name from the app's palette, e.g. "yellow"
	// Orphaned is set when a new version of the document no longer
	// contains the passage; Start and End then mean nothing.
	Orphaned bool      `json:"orphaned"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// Kinds of relation between two quotes.
const (
	RelContradicts = "contradicts"
	RelSupports    = "supports"
)

// Relation says that quote A contradicts or supports quote B.
type Relation struct {
	ID      string    `json:"id"`
	A       string    `json:"a"`
	B       string    `json:"b"`
	Kind    string    `json:"kind"`
	Note    string    `json:"note"`
	Created time.Time `json:"created"`
}

// Event is a dated event the user adds to the timeline. End is zero for a
// single date. Links are ids of sources, quotes or notes.
type Event struct {
	ID      string    `json:"id"`
	Label   string    `json:"label"`
	Date    Date      `json:"date"`
	End     Date      `json:"end"`
	Note    string    `json:"note"`
	Links   []string  `json:"links"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}
