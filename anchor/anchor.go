// Package anchor finds a quoted passage again in a changed text. A quote
// is described the way the W3C Web Annotation model describes a
// selection: by position (TextPositionSelector: start and end in code
// points) and by quote (TextQuoteSelector: the exact text with some
// context before and after). When a source's text changes, Locate looks
// for the exact text, preferring the occurrence whose context and position
// fit best, then for the closest approximate match near the old position;
// a passage found nowhere is orphaned.
package anchor

import (
	"slices"
	"strings"
	"unicode/utf8"

	"dossier/notes"
)

// Selector is a passage of a text: Start and End are code-point offsets,
// Exact the passage, Prefix and Suffix up to notes.ContextLen code points
// of text before and after it.
type Selector struct {
	Start, End            int
	Exact, Prefix, Suffix string
}

// Select cuts the selector of the passage [start, end) (code points) out
// of text. An empty passage or offsets outside the text give an error of
// kind EINVALID.
func Select(text string, start, end int) (Selector, error) {
	n := notes.RuneOffset(text, len(text))
	if start < 0 || end > n || start >= end {
		return Selector{}, notes.Errorf(notes.EINVALID,
			"cannot quote characters %d to %d: the document has %d characters and a quote needs at least one", start, end, n)
	}
	bs, be := notes.ByteOffset(text, start), notes.ByteOffset(text, end)
	bp := notes.ByteOffset(text, max(0, start-notes.ContextLen))
	bx := notes.ByteOffset(text, end+notes.ContextLen)
	return Selector{Start: start, End: end, Exact: text[bs:be], Prefix: text[bp:bs], Suffix: text[be:bx]}, nil
}

// How Locate found a passage.
const (
	HowUnchanged = "unchanged" // the exact text is still at its old offsets with its context
	HowExact     = "exact"     // the exact text, at the occurrence whose context fits best
	HowContext   = "context"   // the text between the intact prefix and suffix, edited but similar
	HowFuzzy     = "fuzzy"     // the most similar passage near the old position
	HowOrphaned  = "orphaned"  // nothing similar enough: the quote keeps its text, unanchored
)

// Thresholds, as fractions of a perfect match (1).
const (
	// minContextExact is how similar to Exact the text between an intact
	// prefix and suffix must be: the context on both sides already says
	// this is the place, so a heavily edited passage still counts.
	minContextExact = 0.5
	// minFuzzy is the similarity a match found by approximate search
	// needs, averaged over the passage and its context by their lengths:
	// a short passage says little by itself, so a similar or even equal
	// phrase elsewhere, in another context, stays below it.
	minFuzzy = 0.65
	// minFuzzyExact keeps a passage whose context happens to match from
	// being accepted on context alone.
	minFuzzyExact = 0.6
)

// Bounds on the approximate search, so that a 1 MB text costs
// milliseconds: the pattern is at most fuzzyPattern code points (longer
// passages are searched by their head and tail), and it is looked for
// within fuzzyWindow code points of where the passage was.
const (
	fuzzyPattern = 64
	fuzzyWindow  = 2048
	// exactMinLong is the length from which an exact text is accepted
	// even where none of its context survived: that many code points
	// agreeing is not chance. A shorter one that lost its context may be
	// other words that happen to read the same (the quoted sentence was
	// deleted, its twin elsewhere remains), so only the fuzzy stages,
	// which weigh the context, may take it.
	exactMinLong = 2 * notes.ContextLen
	// maxEditCells caps the edit-distance table used to compare a
	// candidate with Exact; beyond it a cheaper estimate is used.
	maxEditCells = 4 << 20
)

// Locate finds the passage sel describes in text, a new version of the
// text sel was cut from, and returns its code-point offsets. It tries, in
// order: the exact text with its context (of several occurrences, the one
// whose prefix and suffix fit best, then the nearest to the old position);
// the text between the intact prefix and suffix when it is still similar
// to the exact text (an edit inside the passage); and an approximate
// search near the old position that must match the passage and its context
// well enough. If all fail, ok is false and how is HowOrphaned. The result
// is always a non-empty range inside text. Locate never panics, whatever
// sel holds.
func Locate(text string, sel Selector) (start, end int, ok bool, how string) {
	if sel.Exact == "" || text == "" {
		return 0, 0, false, HowOrphaned
	}
	if s, e, how, ok := locateExact(text, sel); ok {
		return s, e, true, how
	}
	rt := []rune(text)
	rs := selRunes{exact: []rune(sel.Exact), prefix: []rune(sel.Prefix), suffix: []rune(sel.Suffix)}
	if s, e, ok := locateBetweenContext(text, rt, sel, rs); ok {
		return s, e, true, HowContext
	}
	if s, e, ok := locateFuzzy(rt, sel, rs); ok {
		return s, e, true, HowFuzzy
	}
	return 0, 0, false, HowOrphaned
}

type selRunes struct{ exact, prefix, suffix []rune }

// locateExact looks at every occurrence of sel.Exact and keeps the one
// whose context matches best, then the one nearest the old start. It
// accepts it when at least a quarter of the context still adjoins it, or
// when the passage is long; otherwise a short passage that lost its
// context may be other words that read the same, and the fuzzy stages,
// which weigh the context, decide.
func locateExact(text string, sel Selector) (start, end int, how string, ok bool) {
	exactRunes := utf8.RuneCountInString(sel.Exact)
	// Context shorter than notes.ContextLen was cut by an edge of the
	// text; being at that same edge again is as good as the full context.
	const ctxTotal = 2 * notes.ContextLen
	preEdge := utf8.RuneCountInString(sel.Prefix) < notes.ContextLen
	sufEdge := utf8.RuneCountInString(sel.Suffix) < notes.ContextLen
	best, bestScore, bestDist := -1, -1, 0
	runePos, bytePos := 0, 0 // code-point offset of bytePos, advanced incrementally
	for from := 0; from <= len(text); {
		i := strings.Index(text[from:], sel.Exact)
		if i < 0 {
			break
		}
		b := from + i
		runePos += utf8.RuneCountInString(text[bytePos:b])
		bytePos = b
		score := contextScore(text[:b], sel.Prefix, preEdge, commonSuffixRunes) +
			contextScore(text[b+len(sel.Exact):], sel.Suffix, sufEdge, commonPrefixRunes)
		dist := abs(runePos - sel.Start)
		if score > bestScore || score == bestScore && dist < bestDist {
			best, bestScore, bestDist = runePos, score, dist
		}
		// Step one code point, not one byte, so b stays on a boundary
		// and overlapping occurrences ("aa" in "aaa") are all seen.
		_, size := utf8.DecodeRuneInString(text[b:])
		from = b + size
	}
	if best < 0 {
		return 0, 0, "", false
	}
	switch {
	case best == sel.Start && bestScore == ctxTotal:
		how = HowUnchanged
	case 4*bestScore >= ctxTotal, exactRunes >= exactMinLong:
		how = HowExact
	default:
		return 0, 0, "", false
	}
	return best, best + exactRunes, how, true
}

// locateBetweenContext finds the prefix and the suffix intact, the prefix
// ending before the suffix begins, and takes what lies between as the
// edited passage if it is similar enough to the exact text.
func locateBetweenContext(text string, rt []rune, sel Selector, rs selRunes) (start, end int, ok bool) {
	// Context shorter than notes.ContextLen means the passage was at an
	// edge of the text: then it must still be at that edge.
	var preEnds []int // code-point offsets where an occurrence of the prefix ends
	switch {
	case len(rs.prefix) < notes.ContextLen:
		if strings.HasPrefix(text, sel.Prefix) {
			preEnds = []int{len(rs.prefix)}
		}
	default:
		preEnds = occurrences(text, sel.Prefix, true)
	}
	var sufStarts []int
	switch {
	case len(rs.suffix) < notes.ContextLen:
		if strings.HasSuffix(text, sel.Suffix) {
			sufStarts = []int{len(rt) - len(rs.suffix)}
		}
	default:
		sufStarts = occurrences(text, sel.Suffix, false)
	}
	if len(preEnds) == 0 || len(sufStarts) == 0 || len(preEnds)*len(sufStarts) > 64 {
		return 0, 0, false
	}
	// Comparing texts costs up to maxEditCells each: only the few pairs
	// whose gap is closest to the passage's length, then nearest to where
	// it was, are compared.
	m := len(rs.exact)
	type pair struct{ s, e, rank int }
	var pairs []pair
	for _, ps := range preEnds {
		for _, ss := range sufStarts {
			n := ss - ps
			if n <= 0 || n > 2*m+notes.ContextLen || 2*n+notes.ContextLen < m {
				continue
			}
			pairs = append(pairs, pair{ps, ss, abs(n-m)*4 + abs(ps-sel.Start)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return a.rank - b.rank })
	bestSim := -1.0
	for _, p := range pairs[:min(len(pairs), 3)] {
		if sim := similarity(rt[p.s:p.e], rs.exact); sim > bestSim {
			bestSim, start, end = sim, p.s, p.e
		}
	}
	if bestSim < minContextExact {
		return 0, 0, false
	}
	return start, end, true
}

// occurrences returns where each (non-overlapping) occurrence of sub in
// text ends (ends=true) or begins, in code points; at most 16.
func occurrences(text, sub string, ends bool) []int {
	var out []int
	runePos, bytePos := 0, 0
	for from := 0; len(out) < 16; {
		i := strings.Index(text[from:], sub)
		if i < 0 {
			break
		}
		b := from + i
		runePos += utf8.RuneCountInString(text[bytePos:b])
		bytePos = b
		if ends {
			out = append(out, runePos+utf8.RuneCountInString(sub))
		} else {
			out = append(out, runePos)
		}
		from = b + len(sub)
	}
	return out
}

// locateFuzzy searches near the old position for the substring closest to
// the exact text (its head and tail when it is long), then weighs the
// candidate's similarity together with its context's.
func locateFuzzy(rt []rune, sel Selector, rs selRunes) (start, end int, ok bool) {
	m := len(rs.exact)
	n := len(rt)
	expect := min(max(sel.Start, 0), n)
	lo, hi := max(0, expect-fuzzyWindow), min(n, expect+m+fuzzyWindow)
	if m <= fuzzyPattern {
		s, e, _ := bestSubstring(rt[lo:hi], rs.exact)
		start, end = lo+s, lo+e
	} else {
		head, tail := rs.exact[:fuzzyPattern/2], rs.exact[m-fuzzyPattern/2:]
		hs, _, hd := bestSubstring(rt[lo:hi], head)
		hs += lo
		// The tail lies about m-len(tail) after the head, give or take
		// what an edit added or removed.
		tlo, thi := min(n, hs+m/2), min(n, hs+2*m+fuzzyWindow/8)
		_, te, td := bestSubstring(rt[tlo:thi], tail)
		if hd > len(head)/2 || td > len(tail)/2 {
			return 0, 0, false
		}
		start, end = hs, tlo+te
	}
	if start >= end {
		return 0, 0, false
	}
	exactSim := similarity(rt[start:end], rs.exact)
	ctxSim := contextSimilarity(rt, start, end, rs)
	ctxLen := float64(len(rs.prefix) + len(rs.suffix))
	if exactSim < minFuzzyExact || (float64(m)*exactSim+ctxLen*ctxSim)/(float64(m)+ctxLen) < minFuzzy {
		return 0, 0, false
	}
	return start, end, true
}

// contextSimilarity compares the text around [start, end) with the
// prefix and suffix the quote was pinned with.
func contextSimilarity(rt []rune, start, end int, rs selRunes) float64 {
	lp, ls := len(rs.prefix), len(rs.suffix)
	if lp+ls == 0 {
		return 1
	}
	before := rt[max(0, start-lp):start]
	after := rt[end:min(len(rt), end+ls)]
	return (similarity(before, rs.prefix)*float64(lp) + similarity(after, rs.suffix)*float64(ls)) / float64(lp+ls)
}

// bestSubstring returns the substring of t with the smallest edit
// distance to p (Sellers' algorithm: an edit-distance table whose first
// row is free, so a match may start anywhere), its bounds and distance.
// Ties go to the earlier end. Cost is len(p)×len(t).
func bestSubstring(t, p []rune) (start, end, dist int) {
	m := len(p)
	if m == 0 || len(t) == 0 {
		return 0, 0, m
	}
	// col[i] is the distance of p[:i] to the best substring ending at the
	// current text position; from[i] is where that substring starts.
	col := make([]int, m+1)
	from := make([]int, m+1)
	prev := make([]int, m+1)
	prevFrom := make([]int, m+1)
	for i := range prev {
		prev[i] = i
	}
	dist = m + 1
	for j := 1; j <= len(t); j++ {
		col[0], from[0] = 0, j
		for i := 1; i <= m; i++ {
			// Substitution (or match), deletion from the text, insertion.
			c, f := prev[i-1], prevFrom[i-1]
			if p[i-1] != t[j-1] {
				c++
			}
			if prev[i]+1 < c {
				c, f = prev[i]+1, prevFrom[i]
			}
			if col[i-1]+1 < c {
				c, f = col[i-1]+1, from[i-1]
			}
			col[i], from[i] = c, f
		}
		if col[m] < dist {
			dist, start, end = col[m], from[m], j
		}
		col, prev = prev, col
		from, prevFrom = prevFrom, from
	}
	return start, end, dist
}

// similarity is 1 - editDistance/max(len): 1 for equal texts, 0 for
// nothing in common. Very long pairs are estimated from their common
// prefix and suffix, which bounds the cost.
func similarity(a, b []rune) float64 {
	la, lb := len(a), len(b)
	if la == 0 && lb == 0 {
		return 1
	}
	longest := max(la, lb)
	if la*lb > maxEditCells {
		p := 0
		for p < la && p < lb && a[p] == b[p] {
			p++
		}
		s := 0
		for s < la-p && s < lb-p && a[la-1-s] == b[lb-1-s] {
			s++
		}
		return float64(p+s) / float64(longest)
	}
	return 1 - float64(notes.EditDistance(a, b))/float64(longest)
}

// contextScore counts the code points of ctx that adjoin an occurrence
// (side is the text before or after it), or notes.ContextLen if ctx was
// cut short by the text's edge (atEdge) and side is exactly ctx again.
func contextScore(side, ctx string, atEdge bool, common func(a, b string) int) int {
	if atEdge && side == ctx {
		return notes.ContextLen
	}
	return common(side, ctx)
}

// commonSuffixRunes counts the code points that a and b share at their
// ends.
func commonSuffixRunes(a, b string) int {
	n := 0
	for len(a) > 0 && len(b) > 0 {
		ra, sa := utf8.DecodeLastRuneInString(a)
		rb, sb := utf8.DecodeLastRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[:len(a)-sa], b[:len(b)-sb]
		n++
	}
	return n
}

// commonPrefixRunes counts the code points that a and b share at their
// starts.
func commonPrefixRunes(a, b string) int {
	n := 0
	for len(a) > 0 && len(b) > 0 {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[sa:], b[sb:]
		n++
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
