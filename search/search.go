package search

import (
	"context"
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
	facetNames       = []string{"type", "source", "year", "format", "grade", "tag"}
	facetIndexFields = []string{fieldType, fieldSourceFacet, fieldYear, fieldFormat, fieldGrade, fieldTag}
)

// Search runs r. A malformed query, an unknown field or filter, or a
// prefix, wildcard or fuzzy term that expands to too many words returns an
// *notes.Error of kind EINVALID whose message says what is wrong. If ctx is
// cancelled it returns ctx.Err().
//
// Every shard is searched at once for its best Offset+Limit hits, which
// are merged by score. Scores are computed per shard (term rarity is
// counted within the shard), which hardly matters with documents spread
// evenly by a hash. Ties keep a stable order, so pages never overlap.
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

	q := c.q
	if filter != nil {
		b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
		// A filter does not score, so it neither changes the ranking nor
		// costs scoring work.
		b.AddFilter(filter)
		q = b
	}
	results, err := ix.searchShards(ctx, q, offset+limit, !r.NoFacets)
	if tooManyTerms(err) && c.prefixed {
		// Search as you type: the prefix of the last word is too short to
		// expand; search for the word as typed until it is longer.
		if c, err = compile(c.exact, false); err == nil {
			q = c.q
			if filter != nil {
				b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
				b.AddFilter(filter)
				q = b
			}
			results, err = ix.searchShards(ctx, q, offset+limit, !r.NoFacets)
		}
	}
	if err != nil {
		return nil, searchError(ctx, err)
	}

	// Merge: totals and facet counts add up; hits are ordered by score,
	// then by shard and rank within it, a total order consistent with each
	// shard's own.
	type ranked struct {
		h           *search.DocumentMatch
		shard, rank int
	}
	var all []ranked
	counts := make([]map[string]int, len(facetNames))
	for f := range counts {
		counts[f] = map[string]int{}
	}
	out := &notes.SearchResult{}
	for i, sr := range results {
		out.Total += sr.res.Total
		for j, h := range sr.res.Hits {
			all = append(all, ranked{h, i, j})
		}
		for f, m := range sr.counts {
			for v, n := range m {
				counts[f][v] += n
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.h.Score != b.h.Score {
			return a.h.Score > b.h.Score
		}
		if a.shard != b.shard {
			return a.shard < b.shard
		}
		return a.rank < b.rank
	})
	all = all[min(offset, len(all)):min(offset+limit, len(all))]
	if !r.NoFacets {
		out.Facets = topFacets(facetNames, counts, facetSize)
	}
	out.Hits = make([]notes.Hit, 0, len(all))
	for _, h := range all {
		out.Hits = append(out.Hits, hit(h.h))
	}
	if nSnippets > 0 && ix.texts != nil && len(out.Hits) > 0 {
		if err := ix.addSnippets(ctx, c, out.Hits, nSnippets); err != nil {
			return nil, err
		}
	}
	out.Took = time.Since(start)
	return out, nil
}

// shardResult is one shard's answer to a search.
type shardResult struct {
	res    *bleve.SearchResult
	counts []map[string]int // per facet field: value → matches
}

// searchShards runs q on every shard at once, each returning its best size
// hits and counting the facets of all its matches.
func (ix *Index) searchShards(ctx context.Context, q query.Query, size int, facets bool) ([]shardResult, error) {
	results := make([]shardResult, len(ix.shards))
	err := ix.each(func(i int, s *shard) error {
		sq := q
		var counter *facetCounter
		if facets {
			counter = &facetCounter{fields: facetIndexFields}
			sq = &facetingQuery{Query: q, cache: &s.facets, counter: counter}
		}
		req := bleve.NewSearchRequestOptions(sq, size, 0, false)
		req.Fields = []string{fieldMeta}
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		results[i] = shardResult{res: res}
		if counter != nil {
			results[i].counts = counter.counts()
		}
		return nil
	})
	return results, err
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
		m := decodeMeta(s)
		out.Type, out.Title, out.Author, out.Source, out.Published, out.Grade =
			m.Type, m.Title, m.Author, m.Source, m.Published, m.Grade
	}
	return out
}

// addSnippets fills in the snippets of hits. The match locations are found
// in the texts by a highlighter; for a query it cannot read they come from
// a second, small search restricted to these hits (asking for locations in
// the main search would compute them for every matching document, not just
// the ones shown).
func (ix *Index) addSnippets(ctx context.Context, c compiled, hits []notes.Hit, n int) error {
	// The texts come from the store while the index finds the locations:
	// neither needs the other, and each is a few milliseconds.
	type fetched struct {
		texts map[string]string
		err   error
	}
	textsCh := make(chan fetched, 1)
	go func() {
		texts, err := ix.textsOf(ctx, hits)
		textsCh <- fetched{texts, err}
	}()
	locs := map[string][]termPos{}
	hl, scan := newHighlighter(c.q)
	if !c.matchAll && !scan {
		ids := make([][]string, len(ix.shards))
		for _, h := range hits {
			s := ix.shardOf(h.ID)
			ids[s] = append(ids[s], h.ID)
		}
		found := make([]map[string][]termPos, len(ix.shards))
		err := ix.each(func(i int, s *shard) error {
			var err error
			if len(ids[i]) > 0 {
				found[i], err = s.locations(ctx, c.q, ids[i])
			}
			return err
		})
		if err != nil {
			<-textsCh
			return err
		}
		for _, m := range found {
			for id, tps := range m {
				locs[id] = tps
			}
		}
	}
	f := <-textsCh
	texts, err := f.texts, f.err
	if err != nil {
		return err
	}
	for i := range hits {
		if text, ok := texts[hits[i].ID]; ok {
			tps := locs[hits[i].ID]
			if scan && !c.matchAll {
				tps = hl.positions(text)
			}
			hits[i].Snippets = snippets(text, matchesIn(text, tps), n)
		}
	}
	return nil
}

// BatchTextSource is a TextSource that can also give many texts in one
// call; the store implements it, and a page of hits then costs one query
// instead of one per hit.
type BatchTextSource interface {
	TextSource
	Texts(ctx context.Context, ids []string) (map[string]string, error)
}

// textsOf fetches the texts of hits. A text that cannot be read leaves its
// hit without snippets rather than failing the search.
func (ix *Index) textsOf(ctx context.Context, hits []notes.Hit) (map[string]string, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	if b, ok := ix.texts.(BatchTextSource); ok {
		texts, err := b.Texts(ctx, ids)
		if err == nil || ctx.Err() != nil {
			return texts, ctx.Err()
		}
	}
	texts := make(map[string]string, len(ids))
	for _, id := range ids {
		text, err := ix.texts.Text(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		texts[id] = text
	}
	return texts, nil
}

// termPos is where a query term matched: the position of a word in the
// text (1-based) and which term matched it.
type termPos struct{ pos, term int }

// match is one place in a text where a query term matched.
type match struct {
	notes.Span
	term int // distinct per term, to prefer snippets showing several
}

// matchesIn turns positions into byte spans of text. The index keeps
// positions only (see wordsField), so the words are found again in text.
func matchesIn(text string, tps []termPos) []match {
	if len(tps) == 0 {
		return nil
	}
	positions := make([]int, len(tps))
	for i, tp := range tps {
		positions[i] = tp.pos
	}
	spans := wordSpans(text, positions)
	out := make([]match, 0, len(tps))
	for i, sp := range spans {
		if sp.end > sp.start {
			out = append(out, match{notes.Span{Start: sp.start, End: sp.end}, tps[i].term})
		}
	}
	return out
}

// locations returns, for each of ids (in this shard) that q matches, the
// positions in its text where q matches, sorted.
func (s *shard) locations(ctx context.Context, q query.Query, ids []string) (map[string][]termPos, error) {
	cq := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), q})
	req := bleve.NewSearchRequestOptions(cq, len(ids), 0, false)
	req.IncludeLocations = true
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	out := make(map[string][]termPos, len(res.Hits))
	for _, h := range res.Hits {
		terms := h.Locations[fieldText]
		names := make([]string, 0, len(terms))
		for t := range terms {
			names = append(names, t)
		}
		sort.Strings(names)
		var tps []termPos
		for i, t := range names {
			for _, l := range terms[t] {
				tps = append(tps, termPos{int(l.Pos), i})
			}
		}
		sortTermPos(tps)
		out[h.ID] = tps
	}
	return out, nil
}

// Matches returns every span of the document's text that the query
// matches, sorted, with overlapping spans and adjacent matched words (a
// phrase) merged into one, for the reader to
// highlight and step through. Matches in the title or in metadata fields
// have no span. A document that does not match, or is not indexed, has no
// spans. The text comes from the TextSource; its errors are returned.
// Query errors are as for Search.
func (ix *Index) Matches(ctx context.Context, id, q string) ([]notes.Span, error) {
	c, err := compile(q, false)
	if err != nil {
		return nil, err
	}
	if c.matchAll {
		return nil, nil
	}
	locs, err := ix.shards[ix.shardOf(id)].locations(ctx, c.q, []string{id})
	if err != nil || len(locs[id]) == 0 {
		return nil, err
	}
	if ix.texts == nil {
		return nil, errors.New("search index has no TextSource to find matches in")
	}
	text, err := ix.texts.Text(ctx, id)
	if err != nil {
		return nil, err
	}
	// Matched words that stand next to each other (a phrase, or two query
	// words side by side) are one hit: the reader counts "1 of 2" for two
	// occurrences of "air base", not "1 of 4".
	tps := locs[id]
	positions := make([]int, len(tps))
	for i, tp := range tps {
		positions[i] = tp.pos
	}
	var out []notes.Span
	lastPos := -2
	for i, sp := range wordSpans(text, positions) {
		if sp.end <= sp.start {
			continue
		}
		if n := len(out); n > 0 && (sp.start < out[n-1].End || tps[i].pos == lastPos+1) {
			out[n-1].End = max(out[n-1].End, sp.end)
		} else {
			out = append(out, notes.Span{Start: sp.start, End: sp.end})
		}
		lastPos = tps[i].pos
	}
	return out, nil
}
