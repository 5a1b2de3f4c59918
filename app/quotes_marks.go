package app

import (
	"image/color"
	"sort"
	"unicode/utf8"

	"dossier/notes"
)

// quoteColors are the colours a quote can have, in the order the editor
// offers them; the names are what notes.Quote.Color stores.
var quoteColors = []string{"green", "yellow", "blue", "pink", "purple"}

// defaultQuoteColor is the colour of a new quote. Not yellow: search hits
// are yellow, and a fresh quote should not look like one.
const defaultQuoteColor = "green"

// quoteColorLabels name the colours in the editor.
var quoteColorLabels = map[string]string{
	"green": "Green", "yellow": "Yellow", "blue": "Blue", "pink": "Pink", "purple": "Purple",
}

// quoteColor returns the solid colour of a quote colour name (its
// underline in the reader, its card's stripe); unknown names get the
// default. The tint under the passage is the same colour, see quoteTint.
func quoteColor(name string, dark bool) color.NRGBA {
	type pair struct{ light, dark color.NRGBA }
	p, ok := map[string]pair{
		"green":  {color.NRGBA{0x2f, 0x9e, 0x44, 0xff}, color.NRGBA{0x51, 0xcf, 0x66, 0xff}},
		"yellow": {color.NRGBA{0xe6, 0xa7, 0x00, 0xff}, color.NRGBA{0xfc, 0xc4, 0x19, 0xff}},
		"blue":   {color.NRGBA{0x1c, 0x7e, 0xd6, 0xff}, color.NRGBA{0x4d, 0xab, 0xf7, 0xff}},
		"pink":   {color.NRGBA{0xd6, 0x33, 0x6c, 0xff}, color.NRGBA{0xf0, 0x65, 0x95, 0xff}},
		"purple": {color.NRGBA{0x84, 0x5e, 0xf7, 0xff}, color.NRGBA{0xb1, 0x97, 0xfc, 0xff}},
	}[name]
	if !ok {
		return quoteColor(defaultQuoteColor, dark)
	}
	if dark {
		return p.dark
	}
	return p.light
}

// quoteTint is the translucent fill under a quoted passage: light enough
// that a search hit's fill and the selection drawn over it stay visible.
func quoteTint(name string, dark bool) color.NRGBA {
	c := quoteColor(name, dark)
	c.A = 0x38
	if dark {
		c.A = 0x48
	}
	return c
}

// quoteMark is a pinned passage in the reader: byte offsets into the text
// and the quote's colour.
type quoteMark struct {
	notes.Span
	id    string
	color string
}

// quoteMarks turns quotes of the document with text into marks, dropping
// orphaned ones (their offsets mean nothing) and any that fall outside
// the text.
func quoteMarks(text string, qs []notes.Quote) []quoteMark {
	marks := make([]quoteMark, 0, len(qs))
	for _, q := range qs {
		if q.Orphaned || q.End <= q.Start {
			continue
		}
		s, e := notes.ByteOffset(text, q.Start), notes.ByteOffset(text, q.End)
		if s >= e {
			continue
		}
		marks = append(marks, quoteMark{Span: notes.Span{Start: s, End: e}, id: q.ID, color: q.Color})
	}
	return marks
}

// SetMarks replaces the pinned passages drawn in the text, keeping hits
// and selection. Marks outside the text or splitting a character are
// dropped.
func (tv *textView) SetMarks(marks []quoteMark) {
	clean := make([]quoteMark, 0, len(marks))
	for _, m := range marks {
		if m.Start < 0 || m.End > len(tv.text) || m.Start >= m.End ||
			!utf8.RuneStart(tv.text[m.Start]) || (m.End < len(tv.text) && !utf8.RuneStart(tv.text[m.End])) {
			continue
		}
		clean = append(clean, m)
	}
	sort.Slice(clean, func(i, j int) bool { return clean[i].Start < clean[j].Start })
	tv.marks = clean
	tv.Refresh()
}

// markAt returns the id of the quote whose passage holds byte offset o, or
// "" (the innermost one when passages overlap).
func (tv *textView) markAt(o int) string {
	id, best := "", -1
	for _, m := range tv.marks {
		if m.Start <= o && o < m.End && (best < 0 || m.End-m.Start < best) {
			id, best = m.id, m.End-m.Start
		}
	}
	return id
}

// drawMarks draws the pinned passages of the lines first..last: a tint
// over the words (before the hits are drawn) or a solid band at their
// foot (after them), so that a passage stays recognisable under a search
// hit or the selection.
func (r *textViewRenderer) drawMarks(first, last int, underline bool, rect func(c color.Color, line, s, e int, extra, band float32)) {
	tv := r.tv
	if len(tv.marks) == 0 {
		return
	}
	dark := isDark()
	lo, hi := tv.lines[first].start, tv.lines[last].end
	band := max(2, float32(int(tv.textSize/7)))
	for _, m := range tv.marks {
		if m.End <= lo || m.Start >= hi {
			continue
		}
		for i := max(first, tv.lineAt(m.Start)); i <= last && tv.lines[i].start < m.End; i++ {
			if underline {
				rect(quoteColor(m.color, dark), i, m.Start, m.End, 0, band)
			} else {
				rect(quoteTint(m.color, dark), i, m.Start, m.End, 0, 0)
			}
		}
	}
}
