package notes

import (
	"context"
	"strings"
)

// ContextLen is how many code points of text a quote keeps on each side of
// its passage (Prefix, Suffix), as Hypothesis does for the W3C
// TextQuoteSelector: enough to tell two occurrences of the same words
// apart, short enough to survive edits near the passage.
const ContextLen = 32

// QuoteFilter narrows Quotes. Zero fields match everything.
type QuoteFilter struct {
	DocID string // only quotes of this document, in text order
	Tag   string // only quotes with this tag (case-insensitive)
}

// QuoteStore keeps quotes and the relations between them. Implementations
// are safe for concurrent use. Offsets are code points.
type QuoteStore interface {
	// AddQuote pins the passage [q.Start, q.End) of document q.DocID. It
	// fills in Exact, Prefix and Suffix from the document's text, Page and
	// PageEnd from its pages, an empty ID, Created and Updated, and clears
	// Orphaned; Comment, Tags and Color are kept as given. Offsets outside
	// the text or an empty passage give EINVALID, an unknown document
	// ENOTFOUND, a taken ID ECONFLICT; on error nothing is stored and q is
	// unchanged. Passing the ID and Created of a deleted quote restores it.
	AddQuote(ctx context.Context, q *Quote) error
	// Quote returns one quote, or an error wrapping ErrNotFound.
	Quote(ctx context.Context, id string) (*Quote, error)
	// Quotes lists quotes matching f: with f.DocID in text order (start,
	// then end), otherwise in the order they were pinned.
	Quotes(ctx context.Context, f QuoteFilter) ([]Quote, error)
	// UpdateQuote saves a quote's comment, tags and colour; every other
	// field of q is ignored. The new Updated time is set in q.
	UpdateQuote(ctx context.Context, q *Quote) error
	// DeleteQuote removes a quote and its relations. Relations are lost;
	// the caller keeps the Quote to restore it with AddQuote.
	DeleteQuote(ctx context.Context, id string) error

	// AddRelation records that quote a contradicts or supports quote b
	// (kind RelContradicts or RelSupports) with an optional note. The
	// relation is symmetric: if a and b (in either order) already have a
	// relation of this kind, the error is ECONFLICT.
	AddRelation(ctx context.Context, a, b, kind, note string) (*Relation, error)
	// Relations lists the relations a quote takes part in (as A or B), or
	// every relation when quoteID is "", oldest first.
	Relations(ctx context.Context, quoteID string) ([]Relation, error)
	// DeleteRelation removes one relation by id.
	DeleteRelation(ctx context.Context, id string) error
}

// NormalizeTags trims tags, drops empty ones and duplicates (ignoring
// case, keeping the first spelling), so "Kant, kant ,base" is two tags.
func NormalizeTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}
