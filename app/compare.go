package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// compareView is the Compare tab: two related quotes side by side, each
// in its context with its source, date, grade and comment, under a line
// saying whether one contradicts or supports the other.
type compareView struct {
	rels  []notes.Relation
	views map[string]quoteView
	cur   string            // id of the relation shown, "" for none
	ids   map[string]string // picker label → relation id

	picker  *widget.Select
	remove  *widget.Button
	verdict *widget.RichText
	left    *compareSide
	right   *compareSide
	body    *fyne.Container
	empty   *fyne.Container
	content fyne.CanvasObject

	onOpen   func(quoteID string)
	onDelete func(relationID string)
}

// compareSide is one quote of the pair.
type compareSide struct {
	id      string // of the quote shown
	title   *widget.Label
	meta    *widget.Label
	grade   *widget.Label
	comment *widget.Label
	text    *docView
	open    *widget.Button
	content fyne.CanvasObject
}

func newCompareSide(onOpen func(string)) *compareSide {
	s := &compareSide{
		title:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
		meta:    &widget.Label{SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord},
		grade:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.HighImportance},
		comment: &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}},
		text:    newDocView(),
	}
	s.open = widget.NewButtonWithIcon("Open in reader", theme.FileTextIcon(), func() {
		if onOpen != nil && s.id != "" {
			onOpen(s.id)
		}
	})
	s.open.Importance = widget.LowImportance
	head := container.NewVBox(
		container.NewBorder(nil, nil, nil, s.grade, s.title),
		s.meta, s.comment,
		container.NewHBox(s.open),
		widget.NewSeparator())
	s.content = container.NewBorder(container.NewPadded(head), nil, nil, nil, s.text)
	return s
}

// show fills the side for v: its passage in the context kept with it
// (the prefix and suffix), the passage marked in the quote's colour.
func (s *compareSide) show(v quoteView) {
	s.id = v.q.ID
	s.title.SetText(ellipsize(v.sourceTitle(), 120))
	var meta []string
	if v.doc != nil {
		if v.doc.Author != "" {
			meta = append(meta, "By "+v.doc.Author)
		}
		meta = append(meta, orDefault(v.doc.Source, "unknown source"), v.doc.Published.Human())
	}
	s.meta.SetText(strings.Join(meta, "  ·  "))
	grade := "ungraded"
	if v.doc != nil && v.doc.Grade != "" {
		grade = "grade " + v.doc.Grade
	}
	s.grade.SetText(grade)
	s.comment.SetText(v.q.Comment)
	s.comment.Hidden = strings.TrimSpace(v.q.Comment) == ""
	text, mark := quoteInContext(v.q)
	s.text.SetText(text, nil)
	s.text.tv.SetMarks([]quoteMark{{Span: mark, id: v.q.ID, color: v.q.Color}})
}

// quoteInContext returns the quote's passage between its prefix and
// suffix, with ellipses where the source goes on, and the passage's byte
// span in that text.
func quoteInContext(q notes.Quote) (string, notes.Span) {
	var b strings.Builder
	if q.Prefix != "" {
		b.WriteString("…" + q.Prefix)
	}
	start := b.Len()
	b.WriteString(q.Exact)
	end := b.Len()
	if q.Suffix != "" {
		b.WriteString(q.Suffix + "…")
	}
	return b.String(), notes.Span{Start: start, End: end}
}

func newCompareView() *compareView {
	c := &compareView{views: map[string]quoteView{}, ids: map[string]string{}}
	c.picker = widget.NewSelect(nil, func(label string) {
		if id := c.ids[label]; id != "" && id != c.cur {
			c.show(id)
		}
	})
	c.picker.PlaceHolder = "Choose a pair of quotes"
	c.remove = widget.NewButtonWithIcon("Remove relation", theme.DeleteIcon(), func() {
		if c.onDelete != nil && c.cur != "" {
			c.onDelete(c.cur)
		}
	})
	c.remove.Importance = widget.LowImportance
	c.verdict = &widget.RichText{Wrapping: fyne.TextWrapWord, Scroll: fyne.ScrollNone}
	c.left = newCompareSide(func(id string) { c.open(id) })
	c.right = newCompareSide(func(id string) { c.open(id) })
	split := container.NewHSplit(c.left.content, c.right.content)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, c.remove, c.picker), c.verdict)
	c.body = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
	hint := mutedText("Nothing to compare yet. On a quote card in the Quotes tab, choose ⋯ → Contradicts… or Supports… "+
		"to relate it to another quote; the two then show here side by side with their sources and grades.",
		fyne.TextAlignCenter, theme.SizeNameText)
	hint.Wrapping = fyne.TextWrapWord
	c.empty = container.NewPadded(container.NewVBox(hint))
	c.content = container.NewStack(c.body, c.empty)
	c.SetRelations(nil, nil)
	return c
}

func (c *compareView) open(id string) {
	if c.onOpen != nil {
		c.onOpen(id)
	}
}

// SetRelations replaces the relations offered, keeping the pair shown if
// it still exists.
func (c *compareView) SetRelations(rels []notes.Relation, vs []quoteView) {
	c.views = make(map[string]quoteView, len(vs))
	for _, v := range vs {
		c.views[v.q.ID] = v
	}
	c.rels = c.rels[:0:0]
	c.ids = map[string]string{}
	var labels []string
	for _, r := range rels {
		a, okA := c.views[r.A]
		b, okB := c.views[r.B]
		if !okA || !okB {
			continue
		}
		c.rels = append(c.rels, r)
		l := fmt.Sprintf("“%s” %s “%s”", shortQuote(a.q.Exact, 36), r.Kind, shortQuote(b.q.Exact, 36))
		for n := 2; c.ids[l] != ""; n++ {
			l = fmt.Sprintf("“%s” %s “%s” (%d)", shortQuote(a.q.Exact, 36), r.Kind, shortQuote(b.q.Exact, 36), n)
		}
		c.ids[l] = r.ID
		labels = append(labels, l)
	}
	c.picker.Options = labels
	if len(c.rels) == 0 {
		c.cur = ""
		c.body.Hide()
		c.empty.Show()
		return
	}
	c.empty.Hide()
	c.body.Show()
	cur := c.cur
	if c.relation(cur) == nil {
		cur = c.rels[0].ID
	}
	c.show(cur)
}

func (c *compareView) relation(id string) *notes.Relation {
	for i := range c.rels {
		if c.rels[i].ID == id {
			return &c.rels[i]
		}
	}
	return nil
}

// Select shows relation id, or the first relation of quote id.
func (c *compareView) Select(id string) {
	if c.relation(id) != nil {
		c.show(id)
		return
	}
	for _, r := range c.rels {
		if r.A == id || r.B == id {
			c.show(r.ID)
			return
		}
	}
}

func (c *compareView) show(id string) {
	r := c.relation(id)
	if r == nil {
		return
	}
	c.cur = id
	for l, rid := range c.ids {
		if rid == id {
			c.picker.Selected = l
		}
	}
	c.picker.Refresh()
	a, b := c.views[r.A], c.views[r.B]
	c.left.show(a)
	c.right.show(b)
	kindColor, verb := theme.ColorNameError, "contradicts"
	if r.Kind == notes.RelSupports {
		kindColor, verb = theme.ColorNameSuccess, "supports"
	}
	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: ellipsize(a.sourceTitle(), 48) + "  ", Style: widget.RichTextStyleInline},
		&widget.TextSegment{Text: verb, Style: widget.RichTextStyle{Inline: true, ColorName: kindColor, TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: "  " + ellipsize(b.sourceTitle(), 48), Style: widget.RichTextStyleParagraph},
	}
	if n := strings.TrimSpace(r.Note); n != "" {
		segs = append(segs, &widget.TextSegment{Text: n, Style: widget.RichTextStyle{ColorName: colorNameMuted, TextStyle: fyne.TextStyle{Italic: true}}})
	}
	c.verdict.Segments = segs
	c.verdict.Refresh()
}
