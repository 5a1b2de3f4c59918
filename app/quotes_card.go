package app

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// quoteView is a quote with what its card shows of its source. doc is nil
// when the source is not (yet) in the library.
type quoteView struct {
	q   notes.Quote
	doc *notes.Document
	// rels is how many relations (contradicts/supports) the quote is in.
	rels int
}

// sourceTitle is the title of the quote's source, for cards and lists.
func (v quoteView) sourceTitle() string {
	if v.doc == nil {
		return "Unknown source"
	}
	return orDefault(v.doc.Title, "Untitled")
}

// sourceMeta is the line under a card's source title: publisher, date,
// grade.
func (v quoteView) sourceMeta() string {
	if v.doc == nil {
		return ""
	}
	parts := []string{orDefault(v.doc.Source, "unknown source"), v.doc.Published.Human()}
	if v.doc.Grade != "" {
		parts = append(parts, "grade "+v.doc.Grade)
	} else {
		parts = append(parts, "ungraded")
	}
	return strings.Join(parts, "  ·  ")
}

// shortQuote is a passage on one line, cut to n characters.
func shortQuote(s string, n int) string {
	return ellipsize(foldSpace(strings.TrimSpace(s)), n)
}

// commentLine is the card's last line: the comment and the tags.
// hasCommentLine reports whether commentLine is not empty, without
// building it: the quotes pane asks for every card on each filter keystroke.
func (v quoteView) hasCommentLine() bool {
	return strings.TrimSpace(v.q.Comment) != "" || len(v.q.Tags) > 0 || v.q.Orphaned
}

func (v quoteView) commentLine() string {
	var parts []string
	if c := strings.TrimSpace(v.q.Comment); c != "" {
		parts = append(parts, c)
	}
	if len(v.q.Tags) > 0 {
		parts = append(parts, "#"+strings.Join(v.q.Tags, " #"))
	}
	if v.q.Orphaned {
		parts = append([]string{"⚠ no longer found in the source"}, parts...)
	}
	return strings.Join(parts, "  ·  ")
}

// clampText draws a text wrapped to its width and cut after maxLines with
// an ellipsis: a quote card shows the start of a long passage without the
// cost of a wrapping Label, which shapes its whole text on every layout.
type clampText struct {
	widget.BaseWidget
	text     string
	maxLines int
	// lines is how many lines it is sized for (1..maxLines): the quotes
	// pane measures each card's passage for the list's width; 0 is
	// maxLines.
	lines int
	style fyne.TextStyle
	adv   advances
}

func newClampText(maxLines int, style fyne.TextStyle) *clampText {
	c := &clampText{maxLines: maxLines, style: style}
	c.adv.style = style
	c.ExtendBaseWidget(c)
	return c
}

// SetText replaces the text; white space runs fold to one space.
func (c *clampText) SetText(s string) {
	s = foldSpace(strings.TrimSpace(s))
	if s == c.text {
		return
	}
	c.text = s
	c.Refresh()
}

func (c *clampText) CreateRenderer() fyne.WidgetRenderer {
	r := &clampRenderer{c: c}
	for range c.maxLines {
		t := canvas.NewText("", color.Black)
		t.TextStyle = c.style
		r.lines = append(r.lines, t)
		r.objects = append(r.objects, t)
	}
	r.Refresh()
	return r
}

type clampRenderer struct {
	c       *clampText
	lines   []*canvas.Text
	objects []fyne.CanvasObject
}

func (r *clampRenderer) Destroy()                     {}
func (r *clampRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *clampRenderer) lineH() float32 {
	size := r.c.Theme().Size(theme.SizeNameText)
	return fyne.MeasureText("Mg", size, r.c.style).Height * 1.2
}

func (r *clampRenderer) MinSize() fyne.Size {
	pad := r.c.Theme().Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(40, float32(r.c.shownLines())*r.lineH()+pad)
}

func (c *clampText) shownLines() int {
	if c.lines <= 0 || c.lines > c.maxLines {
		return c.maxLines
	}
	return c.lines
}

// lineCount returns how many lines the text takes at width w (the
// widget's, padding included), at most maxLines.
func (c *clampText) lineCount(w float32) int {
	pad := c.Theme().Size(theme.SizeNameInnerPadding)
	ts := c.Theme().Size(theme.SizeNameText)
	if c.adv.size != ts {
		c.adv.reset(ts)
	}
	if w -= 2 * pad; w <= 0 {
		return c.maxLines
	}
	return max(1, min(c.maxLines, len(wrapText(c.text, w, c.adv.width))))
}

func (r *clampRenderer) Refresh() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := r.c.Theme().Color(theme.ColorNameForeground, v)
	for _, t := range r.lines {
		t.Color = fg
		t.TextSize = r.c.Theme().Size(theme.SizeNameText)
	}
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *clampRenderer) Layout(size fyne.Size) {
	c := r.c
	pad := c.Theme().Size(theme.SizeNameInnerPadding)
	ts := c.Theme().Size(theme.SizeNameText)
	if c.adv.size != ts {
		c.adv.reset(ts)
	}
	w := size.Width - 2*pad
	if w <= 0 {
		w = 200
	}
	wrapped := wrapText(c.text, w, c.adv.width)
	lh := r.lineH()
	n := c.shownLines()
	for i, t := range r.lines {
		if i >= len(wrapped) || i >= n {
			t.Text = ""
			t.Hide()
			continue
		}
		ln := strings.TrimSpace(c.text[wrapped[i].start:wrapped[i].end])
		if i == n-1 && len(wrapped) > n {
			ln = strings.TrimSpace(c.adv.fit(ln, w-c.adv.width('…'))) + "…"
		}
		t.Text = ln
		t.Move(fyne.NewPos(pad, pad/2+float32(i)*lh))
		t.Resize(fyne.NewSize(w, lh))
		t.Show()
		t.Refresh()
	}
}

// quoteCard is one pinned quote in the quotes pane: a stripe in the
// quote's colour, the passage, its source with date and grade, the
// comment and tags, and buttons. Tapping it opens the passage in the
// reader; dragging it out of the pane inserts it into the open note.
type quoteCard struct {
	widget.BaseWidget
	v       quoteView
	stripe  *canvas.Rectangle
	exact   *clampText
	source  *textLine
	meta    *textLine
	comment *textLine
	insert  *widget.Button
	edit    *widget.Button
	more    *widget.Button
	buttons *fyne.Container
	content fyne.CanvasObject

	onTap  func(quoteView)
	onMenu func(quoteView, *widget.Button)
	onEdit func(quoteView)
	onIns  func(quoteView)
	// onDrag and onDrop follow a drag with the pointer's absolute
	// position; onDrop also ends it.
	onDrag func(quoteView, fyne.Position)
	onDrop func(quoteView, fyne.Position)

	dragPos fyne.Position
	drag    bool
}

var (
	_ fyne.Tappable      = (*quoteCard)(nil)
	_ fyne.Draggable     = (*quoteCard)(nil)
	_ desktop.Cursorable = (*quoteCard)(nil)
)

// quoteExactLines is how many lines of the passage a card shows.
const quoteExactLines = 3

func newQuoteCard() *quoteCard {
	c := &quoteCard{
		stripe:  &canvas.Rectangle{CornerRadius: 2},
		exact:   newClampText(quoteExactLines, fyne.TextStyle{Italic: true}),
		source:  newTextLine(true, "", theme.SizeNameCaptionText),
		meta:    newTextLine(false, colorNameMuted, theme.SizeNameCaptionText),
		comment: newTextLine(false, "", theme.SizeNameCaptionText),
	}
	c.insert = widget.NewButtonWithIcon("", theme.ContentPasteIcon(), func() {
		if c.onIns != nil {
			c.onIns(c.v)
		}
	})
	c.edit = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() {
		if c.onEdit != nil {
			c.onEdit(c.v)
		}
	})
	c.more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() {
		if c.onMenu != nil {
			c.onMenu(c.v, c.more)
		}
	})
	for _, b := range []*widget.Button{c.insert, c.edit, c.more} {
		b.Importance = widget.LowImportance
	}
	// The buttons sit beside the passage, so that the source's title, its
	// date and the comment get the card's full width in a narrow pane.
	c.buttons = container.NewHBox(c.insert, c.edit, c.more)
	top := container.NewBorder(nil, nil, nil, container.NewVBox(c.buttons), c.exact)
	stripe := container.New(&stretchLayout{w: 4}, c.stripe)
	pad := theme.Padding()
	c.content = container.New(layout.NewCustomPaddedLayout(pad, pad, 2*pad, pad),
		container.NewBorder(nil, nil, stripe, nil, container.New(&rowLayout{}, top, c.source, c.meta, c.comment)))
	c.ExtendBaseWidget(c)
	return c
}

// stretchLayout gives its object a fixed width and the full height: the
// colour stripe runs down the card's side.
type stretchLayout struct{ w float32 }

func (l *stretchLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(l.w, 1) }
func (l *stretchLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 2))
		o.Resize(fyne.NewSize(l.w, size.Height-4))
	}
}

// Set fills the card for v.
func (c *quoteCard) Set(v quoteView) {
	c.v = v
	dark := isDark()
	c.stripe.FillColor = quoteColor(v.q.Color, dark)
	c.stripe.Refresh()
	c.exact.SetText("“" + strings.TrimSpace(v.q.Exact) + "”")
	c.source.SetText(v.sourceTitle())
	c.meta.SetText(v.sourceMeta())
	line := v.commentLine()
	if v.rels > 0 {
		line = strings.TrimSuffix(plural(v.rels, "relation", "relations")+"  ·  "+line, "  ·  ")
	}
	c.comment.SetText(line)
	c.comment.Hidden = line == ""
}

// isDark reports whether widgets are drawn in the dark variant of Dossier's
// theme, which may differ from the system's when the user picked one.
func isDark() bool {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	if t, ok := fyne.CurrentApp().Settings().Theme().(*dossierTheme); ok {
		v = t.variant(v)
	}
	return v == theme.VariantDark
}

func (c *quoteCard) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(c.content)
}

func (c *quoteCard) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (c *quoteCard) Tapped(*fyne.PointEvent) {
	if c.onTap != nil {
		c.onTap(c.v)
	}
}

func (c *quoteCard) Dragged(ev *fyne.DragEvent) {
	c.drag = true
	c.dragPos = ev.AbsolutePosition
	if c.onDrag != nil {
		c.onDrag(c.v, ev.AbsolutePosition)
	}
}

func (c *quoteCard) DragEnd() {
	if !c.drag {
		return
	}
	c.drag = false
	if c.onDrop != nil {
		c.onDrop(c.v, c.dragPos)
	}
}
