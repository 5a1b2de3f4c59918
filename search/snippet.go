package search

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"dossier/notes"
)

// Snippet geometry, in characters (runes).
const (
	snippetLen    = 180 // a snippet's length, give or take a word
	snippetBefore = 50  // context shown before the first match
	// maxAnchors bounds the windows considered in a text with very many
	// matches; the best few are almost always among the first ones.
	maxAnchors = 2000
)

const ellipsis = "…"

// snippets cuts up to n snippets of text around the matches ms (sorted by
// position). Windows showing more distinct terms, then more matches, win;
// the chosen ones are returned in text order. Without matches (a hit on the
// title or on metadata only) the snippet is the beginning of the text.
func snippets(text string, ms []match, n int) []notes.Snippet {
	ms = validMatches(text, ms)
	if text == "" {
		return nil
	}
	if len(ms) == 0 {
		w := window(text, 0, 0, nil)
		return []notes.Snippet{cut(text, w.start, w.end, nil)}
	}

	// Score a window anchored at each match by what follows it within
	// roughly a snippet's length (in bytes, from the average rune width of
	// the text's beginning; exact widths are only needed for the chosen few).
	head := text[:min(len(text), 1<<16)]
	bytesPerRune := float64(len(head)) / float64(max(utf8.RuneCountInString(head), 1))
	span := int(float64(snippetLen-snippetBefore) * bytesPerRune)
	type candidate struct{ anchor, distinct, count int }
	cands := make([]candidate, 0, min(len(ms), maxAnchors))
	inWindow := map[int]int{} // term → matches in ms[i:j]
	j := 0
	for i := 0; i < len(ms) && i < maxAnchors; i++ {
		j = max(j, i)
		for j < len(ms) && ms[j].End <= ms[i].Start+span {
			inWindow[ms[j].term]++
			j++
		}
		if i == 0 || ms[i-1].Start != ms[i].Start {
			cands = append(cands, candidate{i, len(inWindow), j - i})
		}
		if j > i {
			if inWindow[ms[i].term]--; inWindow[ms[i].term] == 0 {
				delete(inWindow, ms[i].term)
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].distinct != cands[b].distinct {
			return cands[a].distinct > cands[b].distinct
		}
		return cands[a].count > cands[b].count
	})

	var chosen []win
	for _, c := range cands {
		if len(chosen) == n {
			break
		}
		m := ms[c.anchor]
		overlaps := false
		for _, w := range chosen {
			if m.Start < w.end && m.End > w.start {
				overlaps = true
				break
			}
		}
		if overlaps {
			continue
		}
		if w := window(text, m.Start, m.End, chosen); w.start < w.end {
			chosen = append(chosen, w)
		}
	}
	sort.Slice(chosen, func(a, b int) bool { return chosen[a].start < chosen[b].start })
	out := make([]notes.Snippet, 0, len(chosen))
	pos, runes := 0, 0 // counted forward once: windows are in text order
	for _, w := range chosen {
		s := cut(text, w.start, w.end, ms)
		at := w.start
		if k := sort.Search(len(ms), func(i int) bool { return ms[i].End > w.start }); k < len(ms) && ms[k].Start < w.end {
			at = max(ms[k].Start, w.start)
		}
		runes += utf8.RuneCountInString(text[pos:at])
		pos = at
		s.Offset = runes
		out = append(out, s)
	}
	return out
}

// validMatches drops matches that do not fit text: the index and the store
// should agree, but a snippet must never slice a string out of range or
// through a rune.
func validMatches(text string, ms []match) []match {
	out := ms[:0:0]
	for _, m := range ms {
		if m.Start >= 0 && m.Start < m.End && m.End <= len(text) &&
			utf8.RuneStart(text[m.Start]) && (m.End == len(text) || utf8.RuneStart(text[m.End])) {
			out = append(out, m)
		}
	}
	return out
}

// win is a snippet's byte range in the text.
type win struct{ start, end int }

// window chooses the byte range of a snippet showing text[s:e]: about
// snippetBefore runes before it and snippetLen in all, both ends moved to
// word boundaries, not overlapping the windows already chosen.
func window(text string, s, e int, chosen []win) win {
	lo, hi := 0, len(text)
	for _, w := range chosen {
		if w.end <= s && w.end > lo {
			lo = w.end
		}
		if w.start >= e && w.start < hi {
			hi = w.start
		}
	}
	start := wordStart(text, back(text, s, snippetBefore, lo), s, lo)
	end := forward(text, start, snippetLen, hi)
	if end == hi {
		// The text (or the room) ends first: show more before instead.
		if short := snippetLen - utf8.RuneCountInString(text[start:end]); short > 0 {
			start = wordStart(text, back(text, start, short, lo), s, lo)
		}
	}
	if end < e {
		end = e
	}
	if end < hi {
		// End at a space, so the last word is whole, without cutting into
		// the match.
		if i := strings.LastIndexFunc(text[e:end], unicode.IsSpace); i >= 0 {
			end = e + i
		} else if j := strings.IndexFunc(text[end:hi], unicode.IsSpace); j >= 0 && j < 40 {
			end += j
		}
	}
	return win{start, end}
}

// wordStart moves start forward to a space, so that the first word shown
// is whole (cut trims the space), without passing s; lo is where the room
// begins and needs no moving.
func wordStart(text string, start, s, lo int) int {
	if start <= lo {
		return start
	}
	if i := strings.IndexFunc(text[start:s], unicode.IsSpace); i >= 0 {
		return start + i
	}
	return s
}

// back returns the offset n runes before i, not before lo.
func back(text string, i, n, lo int) int {
	for ; n > 0 && i > lo; n-- {
		_, size := utf8.DecodeLastRuneInString(text[lo:i])
		i -= size
	}
	return i
}

// forward returns the offset n runes after i, not after hi.
func forward(text string, i, n, hi int) int {
	for ; n > 0 && i < hi; n-- {
		_, size := utf8.DecodeRuneInString(text[i:hi])
		i += size
	}
	return i
}

// cut builds the snippet of text[start:end]: runs of white space (line
// breaks included) become one space, an ellipsis marks each side where the
// text goes on (white space alone, such as the newline that ends most
// files, is not more text), invalid UTF-8 becomes U+FFFD, and the matches
// inside become marks.
func cut(text string, start, end int, ms []match) notes.Snippet {
	// Skip white space at both ends: it would only show as a blank.
	for start < end {
		r, size := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	var b strings.Builder
	b.Grow(end - start + 2*len(ellipsis))
	if strings.TrimLeftFunc(text[:start], unicode.IsSpace) != "" {
		b.WriteString(ellipsis)
	}
	var marks []notes.Span
	mi := sort.Search(len(ms), func(i int) bool { return ms[i].End > start })
	markStart, markEnd := -1, 0 // the open mark: where it began in b, where it ends in text
	space := false              // white space seen but not yet written
	for i := start; i < end; {
		// Matches begin on a word, never in white space, so i meets each
		// start exactly (or is already past it for one cut by the window).
		if markStart < 0 && mi < len(ms) && ms[mi].Start <= i {
			if space {
				b.WriteByte(' ')
				space = false
			}
			markStart, markEnd = b.Len(), ms[mi].End
			for mi++; mi < len(ms) && ms[mi].Start < markEnd; mi++ {
				markEnd = max(markEnd, ms[mi].End) // overlapping matches share a mark
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:end])
		switch {
		case unicode.IsSpace(r):
			space = true
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			if r == utf8.RuneError && size == 1 {
				b.WriteRune(utf8.RuneError) // a snippet is always valid UTF-8
			} else {
				b.WriteString(text[i : i+size])
			}
		}
		i += size
		if markStart >= 0 && i >= markEnd {
			marks = append(marks, notes.Span{Start: markStart, End: b.Len()})
			markStart = -1
		}
	}
	if markStart >= 0 {
		marks = append(marks, notes.Span{Start: markStart, End: b.Len()})
	}
	if strings.TrimRightFunc(text[end:], unicode.IsSpace) != "" {
		b.WriteString(ellipsis)
	}
	return notes.Snippet{Text: b.String(), Marks: marks}
}
