package search

import (
	"regexp"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"dossier/notes"
)

// highlighter finds where a query matched in a hit's text by reading the
// text, instead of asking Bleve for term locations in a second search.
// That second search redid the whole query on the page of hits: for a
// prefix such as prov* it expanded the prefix to hundreds of terms again,
// a third of the query's time. The words the index holds are the words
// eachWord finds, lowercased, so matching them here gives the positions
// Bleve would give (TestHighlighter_AgreesWithTheIndex checks this).
type highlighter struct {
	terms    map[string]int // word → term number
	prefixes []matcherOf    // prefixes, patterns and fuzzy words
	phrases  [][]string     // runs of words that match only together
	phraseNo []int          // term number of each phrase
	n        int            // term numbers used
}

type matcherOf struct {
	match func(word string) bool
	term  int
}

// newHighlighter builds the highlighter of q, or returns false when q
// holds a query it does not know, for which Bleve must be asked.
// Only clauses that can make a document match count: words the query
// excludes (-word) are not highlighted, and neither are matches in the
// title or in metadata fields, which have no place in the text.
func newHighlighter(q query.Query) (*highlighter, bool) {
	h := &highlighter{terms: map[string]int{}}
	return h, h.add(q)
}

func (h *highlighter) add(q query.Query) bool {
	onText := func(f string) bool { return f == fieldText }
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should} {
			if sub != nil && !h.add(sub) {
				return false
			}
		}
		return true
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			if !h.add(sub) {
				return false
			}
		}
		return true
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			if !h.add(sub) {
				return false
			}
		}
		return true
	case *query.TermQuery:
		if onText(q.FieldVal) {
			if _, ok := h.terms[q.Term]; !ok {
				h.terms[q.Term] = h.next()
			}
		}
		return true
	case *query.PhraseQuery:
		if onText(q.FieldVal) {
			h.phrases = append(h.phrases, q.Terms)
			h.phraseNo = append(h.phraseNo, h.next())
		}
		return true
	case *query.PrefixQuery:
		if onText(q.FieldVal) {
			p := q.Prefix
			h.prefixes = append(h.prefixes, matcherOf{func(w string) bool { return strings.HasPrefix(w, p) }, h.next()})
		}
		return true
	case *query.WildcardQuery:
		if onText(q.FieldVal) {
			re, err := regexp.Compile("^(?:" + wildcardRegexp(q.Wildcard) + ")$")
			if err != nil {
				return false
			}
			h.prefixes = append(h.prefixes, matcherOf{re.MatchString, h.next()})
		}
		return true
	case *query.RegexpQuery:
		if onText(q.FieldVal) {
			re, err := regexp.Compile("^(?:" + strings.TrimSuffix(strings.TrimPrefix(q.Regexp, "^"), "$") + ")$")
			if err != nil {
				return false
			}
			h.prefixes = append(h.prefixes, matcherOf{re.MatchString, h.next()})
		}
		return true
	case *query.MatchQuery:
		// textQuery makes these only for fuzzy words: every word must be
		// within the fuzziness.
		if onText(q.FieldVal) {
			if q.Fuzziness <= 0 {
				return false
			}
			for _, w := range words(q.Match) {
				h.prefixes = append(h.prefixes, matcherOf{within(w, q.Fuzziness), h.next()})
			}
		}
		return true
	case *query.FuzzyQuery:
		if onText(q.FieldVal) {
			h.prefixes = append(h.prefixes, matcherOf{within(q.Term, q.Fuzziness), h.next()})
		}
		return true
	case *query.MatchAllQuery, *query.MatchNoneQuery, *query.DocIDQuery,
		*query.TermRangeQuery, *query.DateRangeQuery, *query.NumericRangeQuery:
		return true
	}
	return false
}

func (h *highlighter) next() int { h.n++; return h.n - 1 }

// empty reports whether nothing can be highlighted.
func (h *highlighter) empty() bool {
	return len(h.terms) == 0 && len(h.prefixes) == 0 && len(h.phrases) == 0
}

// positions returns the positions (1-based word numbers) in text where the
// query matched, sorted, with the term each one matched.
func (h *highlighter) positions(text string) []termPos {
	if h.empty() {
		return nil
	}
	var out []termPos
	var all []string // every word, only when there are phrases
	var scratch []byte
	pos := 0
	eachWord(text, func(start, end int) {
		pos++
		scratch = appendLower(scratch[:0], text[start:end])
		w := string(scratch)
		if h.phrases != nil {
			all = append(all, w)
		}
		if t, ok := h.terms[w]; ok {
			out = append(out, termPos{pos, t})
			return
		}
		for _, m := range h.prefixes {
			if m.match(w) {
				out = append(out, termPos{pos, m.term})
				return
			}
		}
	})
	if h.phrases == nil {
		return out
	}
	seen := make(map[int]bool, len(out))
	for _, tp := range out {
		seen[tp.pos] = true
	}
	for i, ph := range h.phrases {
		if len(ph) == 0 {
			continue
		}
	next:
		for start := 0; start+len(ph) <= len(all); start++ {
			for j, w := range ph {
				if all[start+j] != w {
					continue next
				}
			}
			for j := range ph {
				if p := start + j + 1; !seen[p] {
					seen[p] = true
					out = append(out, termPos{p, h.phraseNo[i]})
				}
			}
		}
	}
	sortTermPos(out)
	return out
}

// wildcardRegexp turns a pattern with * and ? into a regular expression, as
// Bleve does.
func wildcardRegexp(pattern string) string {
	var b strings.Builder
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// within returns a test of whether a word is at most k edits (insertions,
// deletions, substitutions of a code point) from w, as Bleve's fuzzy terms
// are.
func within(w string, k int) func(string) bool {
	a := []rune(w)
	return func(word string) bool {
		b := []rune(word)
		if d := len(a) - len(b); d > k || -d > k {
			return false
		}
		return notes.EditDistance(a, b) <= k
	}
}

func sortTermPos(tps []termPos) {
	sort.Slice(tps, func(i, j int) bool { return tps[i].pos < tps[j].pos })
}
