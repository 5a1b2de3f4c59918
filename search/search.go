package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"dossier/notes"
)

// Defaults of a SearchRequest.
const (
	defaultLimit    = 20
	defaultSnippets = 3
	facetSize       = 20
)

// facetNames are the facets every result carries, and facetIndexFields
// their index fields.
var (
	facetNames       = []string{"type", "source", "year", "format"}
	facetIndexFields = []string{fieldType, fieldSourceFacet, fieldYear, fieldFormat}
)

// Search runs r. A malformed query, an unknown field or filter, or a
// prefix, wildcard or fuzzy term that expands to too many words returns an
// *notes.Error of kind EINVALID whose message says what is wrong. If ctx is
// cancelled it returns ctx.Err().
//
// Snippets are cut from the texts the TextSource gives for the hits
// returned; a hit whose text cannot be read has none, rather than failing
// the search.
func (ix *Index) Search(ctx context.Context, r notes.SearchRequest) (*notes.SearchResult, error) {
	start := time.Now()
	c, err := compile(r.Query, r.PrefixLast)
	if err != nil {
		return nil, err
	}
	filter, err := filterQuery(r.Filters)
	if err != nil {
		return nil, err
	}
	limit, offset := r.Limit, max(r.Offset, 0)
	if limit <= 0 {
		limit = defaultLimit
	}
	nSnippets := r.Snippets
	if nSnippets == 0 {
		nSnippets = defaultSnippets
	}

	var counter *facetCounter
	run := func(q query.Query) (*bleve.SearchResult, error) {
		if filter != nil {
			b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
			// A filter does not score, so it neither changes the ranking
			// nor costs scoring work.
			b.AddFilter(filter)
			q = b
		}
		counter = &facetCounter{fields: facetIndexFields}
		req := bleve.NewSearchRequestOptions(&facetingQuery{Query: q, cache: &ix.facets, counter: counter},
			limit, offset, false)
		req.Fields = []string{fieldMeta}
		return ix.idx.SearchInContext(ctx, req)
	}
	res, err := run(c.q)
	if tooManyTerms(err) && c.prefixed {
		// Search as you type: the prefix of the last word is too short to
		// expand; search for the word as typed until it is longer.
		if c, err = compile(c.exact, false); err == nil {
			res, err = run(c.q)
		}
	}
	if err != nil {
		return nil, searchError(ctx, err)
	}

	out := &notes.SearchResult{Total: res.Total, Hits: make([]notes.Hit, 0, len(res.Hits)),
		Facets: counter.results(facetNames, facetSize)}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hit(h))
	}
	if nSnippets > 0 && ix.texts != nil && len(out.Hits) > 0 {
		if err := ix.addSnippets(ctx, c, out.Hits, nSnippets); err != nil {
			return nil, err
		}
	}
	out.Took = time.Since(start)
	return out, nil
}

// searchError turns Bleve's errors into ones a user can read.
func searchError(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case tooManyTerms(err):
		return errTooManyTerms
	}
	var ne *notes.Error
	if errors.As(err, &ne) {
		return err
	}
	return fmt.Errorf("search: %w", err)
}

func hit(h *search.DocumentMatch) notes.Hit {
	out := notes.Hit{ID: h.ID, Score: h.Score}
	if s, ok := h.Fields[fieldMeta].(string); ok {
		var m meta
		if json.Unmarshal([]byte(s), &m) == nil {
			out.Type, out.Title, out.Author, out.Source, out.Grade = m.Type, m.Title, m.Author, m.Source, m.Grade
			out.Published, _ = notes.ParseDate(m.Published)
		}
	}
	return out
}

// addSnippets fills in the snippets of hits. The match locations come from
// a second, small search restricted to these hits: asking for locations in
// the main search would compute them for every matching document, not just
// the ones shown.
func (ix *Index) addSnippets(ctx context.Context, c compiled, hits []notes.Hit, n int) error {
	var locs map[string][]match
	if !c.matchAll {
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.ID
		}
		var err error
		if locs, err = ix.locations(ctx, c.q, ids); err != nil {
			return err
		}
	}
	for i := range hits {
		text, err := ix.texts.Text(ctx, hits[i].ID)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		hits[i].Snippets = snippets(text, locs[hits[i].ID], n)
	}
	return nil
}

// match is one place in a text where a query term matched.
type match struct {
	notes.Span
	term int // distinct per term, to prefer snippets showing several
}

// locations returns, for each of ids that q matches, where in the text it
// matches, sorted by position.
func (ix *Index) locations(ctx context.Context, q query.Query, ids []string) (map[string][]match, error) {
	cq := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), q})
	req := bleve.NewSearchRequestOptions(cq, len(ids), 0, false)
	req.IncludeLocations = true
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	out := make(map[string][]match, len(res.Hits))
	for _, h := range res.Hits {
		terms := h.Locations[fieldText]
		names := make([]string, 0, len(terms))
		for t := range terms {
			names = append(names, t)
		}
		sort.Strings(names)
		var ms []match
		for i, t := range names {
			for _, l := range terms[t] {
				ms = append(ms, match{notes.Span{Start: int(l.Start), End: int(l.End)}, i})
			}
		}
		sort.Slice(ms, func(i, j int) bool {
			if ms[i].Start != ms[j].Start {
				return ms[i].Start < ms[j].Start
			}
			return ms[i].End < ms[j].End
		})
		out[h.ID] = ms
	}
	return out, nil
}

// Matches returns every span of the document's text that the query
// matches, sorted and with overlapping spans merged, for the reader to
// highlight and step through. Matches in the title or in metadata fields
// have no span. A document that does not match, or is not indexed, has no
// spans. Errors are as for Search.
func (ix *Index) Matches(ctx context.Context, id, q string) ([]notes.Span, error) {
	c, err := compile(q, false)
	if err != nil {
		return nil, err
	}
	if c.matchAll {
		return nil, nil
	}
	locs, err := ix.locations(ctx, c.q, []string{id})
	if err != nil {
		return nil, err
	}
	var out []notes.Span
	for _, m := range locs[id] {
		if n := len(out); n > 0 && m.Start < out[n-1].End {
			out[n-1].End = max(out[n-1].End, m.End)
			continue
		}
		out = append(out, m.Span)
	}
	return out, nil
}
