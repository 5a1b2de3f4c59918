package ingest

import (
	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// columnGap is the horizontal gap, in line heights, from which two runs
// of text on one line are taken for table columns rather than words: word
// spaces, even in justified text, stay under one.
const columnGap = 1.5

// maxRectCalls bounds the PDFium calls markColumns makes for one page. A
// line is one to a few text objects in most files, but some writers set
// every glyph on its own; their pages are then left as PDFium gives them
// rather than cost seconds per book.
const maxRectCalls = 2000

// markColumns turns the spaces PDFium puts between table columns into
// tabs. PDFium writes one space for any gap on a line, so a table row
// reads like prose and the reflow would run rows into one another. A
// space counts as a column gap when it is wider than columnGap line
// heights and the line above or below has such a gap where the same
// column starts: a justified line with a few long words has wide spaces
// too, but not in line with its neighbours'.
//
// raw has one character per PDFium character index, lines ending in
// "\r\n". A line's spaces are measured only when its text objects
// (FPDFText_CountRects: one rectangle per run of an object on a line)
// leave a wide gap, so prose costs a call or two per line.
func markColumns(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, raw string) string {
	rs := []rune(raw)
	type gap struct {
		at int     // index of the space in rs
		x  float64 // where the text after it starts
		h  float64 // the line's height
	}
	var lines [][]gap
	budget := maxRectCalls
	start := 0
	for i := 0; i <= len(rs); i++ {
		if i < len(rs) && rs[i] != '\r' && rs[i] != '\n' {
			continue
		}
		if i < len(rs) && rs[i] == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
			i++ // one line end, not an empty line between two
		}
		var gaps []gap
		end := i
		if end < len(rs) && rs[end] == '\n' && end > 0 && rs[end-1] == '\r' {
			end--
		}
		if end-start > 2 && budget > 0 && hasWideGap(inst, tp, start, end-start, &budget) {
			for s := start + 1; s < end-1; s++ {
				if rs[s] != ' ' || rs[s-1] == ' ' || rs[s+1] == ' ' {
					continue
				}
				budget -= 2
				a, err1 := inst.FPDFText_GetCharBox(&requests.FPDFText_GetCharBox{TextPage: tp, Index: s - 1})
				b, err2 := inst.FPDFText_GetCharBox(&requests.FPDFText_GetCharBox{TextPage: tp, Index: s + 1})
				if err1 != nil || err2 != nil {
					continue
				}
				h := max(a.Top-a.Bottom, b.Top-b.Bottom)
				if h > 0 && b.Left-a.Right > columnGap*h {
					gaps = append(gaps, gap{s, b.Left, h})
				}
			}
		}
		lines = append(lines, gaps)
		start = i + 1
	}
	aligned := func(g gap, others []gap) bool {
		for _, o := range others {
			if d := g.x - o.x; d < g.h/2 && d > -g.h/2 {
				return true
			}
		}
		return false
	}
	changed := false
	for l, gaps := range lines {
		for _, g := range gaps {
			if (l > 0 && aligned(g, lines[l-1])) || (l+1 < len(lines) && aligned(g, lines[l+1])) {
				rs[g.at] = '\t'
				changed = true
			}
		}
	}
	if !changed {
		return raw
	}
	return string(rs)
}

// hasWideGap reports whether the characters [start, start+n) lie in
// rectangles with a column gap between two of them on the same line. Each
// call to PDFium is taken from budget.
func hasWideGap(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, start, n int, budget *int) bool {
	*budget--
	c, err := inst.FPDFText_CountRects(&requests.FPDFText_CountRects{TextPage: tp, StartIndex: start, Count: n})
	if err != nil || c.Count < 2 || c.Count > *budget {
		return false
	}
	*budget -= c.Count
	var prevLeft, prevRight, prevTop, prevBottom float64
	for k := 0; k < c.Count; k++ {
		r, err := inst.FPDFText_GetRect(&requests.FPDFText_GetRect{TextPage: tp, Index: k})
		if err != nil {
			return false
		}
		if k > 0 {
			h := max(prevTop-prevBottom, r.Top-r.Bottom)
			sameLine := r.Bottom < prevTop && r.Top > prevBottom
			if sameLine && h > 0 && r.Left-prevRight > columnGap*h && r.Left > prevLeft {
				return true
			}
		}
		prevLeft, prevRight, prevTop, prevBottom = r.Left, r.Right, r.Top, r.Bottom
	}
	return false
}
