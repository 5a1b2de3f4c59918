package app

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// resultsPane lists the hits of the current search: type, title, source,
// date, grade and up to two snippets with the matched words in bold.
type resultsPane struct {
	hits     []notes.Hit
	query    string
	selected int              // -1 when no row is selected
	pages    map[string][]int // page starts of paged documents (pages.go)

	header   *widget.Label
	timing   *widget.Label
	kind     *kindFilter
	list     *widget.List
	template *rowHolder      // measures row heights
	empty    *fyne.Container // shown instead of the list: welcome, no hits
	emptyBox *fyne.Container
	content  fyne.CanvasObject

	// onOpen opens a hit in the reader; onQuery replaces the search text
	// (the "try a looser query" and example buttons).
	onOpen  func(notes.Hit)
	onQuery func(string)
}

// snippetsShown is how many snippets a row has room for.
const snippetsShown = 2

func newResultsPane(onOpen func(notes.Hit), onQuery func(string)) *resultsPane {
	r := &resultsPane{selected: -1, onOpen: onOpen, onQuery: onQuery}
	r.header = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	r.timing = &widget.Label{SizeName: theme.SizeNameCaptionText}
	r.list = widget.NewList(func() int { return len(r.hits) }, r.createRow, r.updateRow)
	r.list.OnSelected = func(id widget.ListItemID) { r.selected = id }
	r.list.OnUnselected = func(widget.ListItemID) { r.selected = -1 }
	r.emptyBox = container.NewVBox()
	r.empty = container.NewCenter(r.emptyBox)
	r.kind = newKindFilter(nil)
	top := container.NewBorder(nil, nil, nil, container.NewHBox(r.kind.sel, r.timing), r.header)
	r.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewStack(r.list, r.empty))
	return r
}

// resultRow is the template of one row; updateRow only fills it in.
type resultRow struct {
	badgeBG   *canvas.Rectangle
	badge     *canvas.Text
	title     *textLine
	meta      *textLine
	snippets  [snippetsShown]*textLine
	container *fyne.Container
}

func (r *resultsPane) createRow() fyne.CanvasObject {
	row := &resultRow{
		badgeBG: &canvas.Rectangle{CornerRadius: 4},
		badge:   &canvas.Text{TextSize: theme.CaptionTextSize() * 0.9, TextStyle: fyne.TextStyle{Bold: true}},
		title:   newTextLine(true, "", ""),
		meta:    newTextLine(false, colorNameMuted, theme.SizeNameCaptionText),
	}
	badge := container.NewStack(row.badgeBG, container.New(layout.NewCustomPaddedLayout(1, 1, 6, 6), row.badge))
	lines := []fyne.CanvasObject{
		container.NewBorder(nil, nil, container.NewCenter(badge), nil, row.title),
		row.meta,
	}
	for i := range row.snippets {
		row.snippets[i] = newTextLine(false, "", "")
		lines = append(lines, row.snippets[i])
	}
	row.container = container.New(&rowLayout{}, lines...)
	pad := theme.Padding()
	h := newRowHolder(container.New(layout.NewCustomPaddedLayout(0, 0, 2*pad, 2*pad), row.container), row)
	h.onTap = r.tapRow
	return h
}

// tapRow opens the hit in row id. Rows take the tap themselves, rather
// than leaving it to List.OnSelected, so that clicking the row the
// keyboard has already selected opens it too.
func (r *resultsPane) tapRow(id widget.ListItemID) {
	if id < 0 || id >= len(r.hits) {
		return
	}
	r.list.Select(id)
	if r.onOpen != nil {
		r.onOpen(r.hits[id])
	}
}

// rowHolder is a list row template: a widget around the row's container
// that lets updateRow get back to the parts without walking the tree. (A
// struct embedding *fyne.Container would not do: the renderer draws
// containers by their exact type.)
type rowHolder struct {
	widget.BaseWidget
	content fyne.CanvasObject
	row     *resultRow
	id      widget.ListItemID // the row it shows now
	onTap   func(widget.ListItemID)
}

func (h *rowHolder) Tapped(*fyne.PointEvent) {
	if h.onTap != nil {
		h.onTap(h.id)
	}
}

func newRowHolder(content fyne.CanvasObject, row *resultRow) *rowHolder {
	h := &rowHolder{content: content, row: row}
	h.ExtendBaseWidget(h)
	return h
}

func (h *rowHolder) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.content) }

func (r *resultsPane) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	h, ok := o.(*rowHolder)
	if !ok || id < 0 || id >= len(r.hits) {
		return
	}
	h.id = id
	row, hit := h.row, r.hits[id]
	th := fyne.CurrentApp().Settings().Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	row.badgeBG.FillColor = th.Color(colorNameBadge, v)
	row.badgeBG.Refresh()
	row.badge.Text = strings.ToUpper(ellipsize(orDefault(hit.Type, notes.KindSource), 12))
	row.badge.Color = th.Color(theme.ColorNamePrimary, v)
	row.badge.Refresh()
	row.title.SetText(hitTitle(hit))
	row.meta.SetText(hitMeta(hit))
	for i, s := range row.snippets {
		if i < len(hit.Snippets) {
			s.SetParts(r.withPage(hit.ID, hit.Snippets[i], snippetParts(hit.Snippets[i], 70)))
			s.Show()
		} else {
			s.Hide()
		}
	}
}

// rowLayout stacks a row's lines tightly: a VBox's padding between every
// line would make a row of four lines half again as tall.
type rowLayout struct{}

func (l *rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height - 2*pad
	}
	return fyne.NewSize(w, h+3*pad)
}

func (l *rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	y := pad
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		// Labels and rich texts carry their own inner padding; overlapping
		// it between lines keeps the row compact and the text aligned.
		o.Move(fyne.NewPos(0, y-pad))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - 2*pad
	}
}

// hitMeta is the line under a hit's title: source, date, grade, author.
func hitMeta(h notes.Hit) string {
	if h.Type == notes.KindNote {
		return "your note: opens in the Notes tab" // a note has no source or date
	}
	parts := []string{orDefault(h.Source, "unknown source"), h.Published.Human()}
	if h.Grade != "" {
		parts = append(parts, "grade "+h.Grade)
	}
	if h.Author != "" {
		parts = append(parts, h.Author)
	}
	return strings.Join(parts, "  ·  ")
}

// mutedText is a paragraph in the muted colour: readable, unlike a
// low-importance label, which takes the disabled colour.
func mutedText(text string, align fyne.TextAlign, size fyne.ThemeSizeName) *widget.RichText {
	seg := &widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		Alignment: align, ColorName: colorNameMuted, SizeName: size}}
	return &widget.RichText{Scroll: fyne.ScrollNone, Segments: []widget.RichTextSegment{seg}}
}

func mutedSegment(text string) *widget.TextSegment {
	return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		Inline: true, ColorName: colorNameMuted, SizeName: theme.SizeNameCaptionText}}
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// snippetParts splits a snippet into plain and marked runs. White space is
// folded to single spaces (a snippet may span lines), and when the first
// mark is more than lead bytes in, the text before it is cut at a word
// boundary so that the mark is visible on a one-line row.
func snippetParts(s notes.Snippet, lead int) []snippetPart {
	text, marks := s.Text, validMarks(s)
	start := 0
	if len(marks) > 0 && marks[0].Start > lead {
		start = marks[0].Start - lead
		for start < marks[0].Start && !utf8.RuneStart(text[start]) {
			start++
		}
		if sp := strings.IndexByte(text[start:marks[0].Start], ' '); sp >= 0 {
			start += sp + 1
		}
	}
	var parts []snippetPart
	if start > 0 {
		parts = append(parts, snippetPart{text: "…"})
	}
	last := start
	for _, m := range marks {
		if m.Start < last {
			continue
		}
		if m.Start > last {
			parts = append(parts, snippetPart{text: foldSpace(text[last:m.Start])})
		}
		parts = append(parts, snippetPart{text: foldSpace(text[m.Start:m.End]), mark: true})
		last = m.End
	}
	if last < len(text) {
		parts = append(parts, snippetPart{text: foldSpace(text[last:])})
	}
	// Join a leading ellipsis to the text after it: one object fewer.
	if len(parts) > 1 && parts[0].text == "…" && !parts[1].mark {
		parts = append([]snippetPart{{text: "…" + parts[1].text}}, parts[2:]...)
	}
	return parts
}

// validMarks returns the snippet's marks that lie inside its text on rune
// boundaries, in order; a bad span from the index must not panic the UI.
func validMarks(s notes.Snippet) []notes.Span {
	var out []notes.Span
	last := 0
	for _, m := range s.Marks {
		if m.Start < last || m.End > len(s.Text) || m.Start >= m.End ||
			!utf8.RuneStart(s.Text[m.Start]) || (m.End < len(s.Text) && !utf8.RuneStart(s.Text[m.End])) {
			continue
		}
		out = append(out, m)
		last = m.End
	}
	return out
}

func foldSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// SetResults shows the hits of a finished search.
func (r *resultsPane) SetResults(query string, res *notes.SearchResult, filtered bool) {
	r.query = query
	r.hits = res.Hits
	r.selected = -1
	r.list.UnselectAll()
	for i, h := range r.hits {
		r.list.SetItemHeight(i, r.rowHeight(h))
	}
	r.list.ScrollToTop()
	r.list.Refresh()
	scope := ""
	if filtered {
		scope = " (filtered)"
	}
	switch {
	case res.Total == 0:
		r.header.SetText(fmt.Sprintf("No results for “%s”%s", query, scope))
		r.showNoResults(query, filtered)
	case uint64(len(res.Hits)) < res.Total:
		r.header.SetText(fmt.Sprintf("Top %d of %d results for “%s”%s", len(res.Hits), res.Total, query, scope))
		r.empty.Hide()
	default:
		r.header.SetText(fmt.Sprintf("%s for “%s”%s", plural(int(res.Total), "result", "results"), query, scope))
		r.empty.Hide()
	}
	r.timing.SetText(fmt.Sprintf("%.0f ms", float64(res.Took.Microseconds())/1000))
}

// rowHeight sizes a row for the snippets it has, by measuring a template
// row: the heights follow the theme's text sizes.
func (r *resultsPane) rowHeight(h notes.Hit) float32 {
	if r.template == nil {
		r.template = r.createRow().(*rowHolder)
		r.template.row.title.SetText("Mg")
		r.template.row.meta.SetText("Mg")
		for _, s := range r.template.row.snippets {
			s.SetParts([]snippetPart{{text: "Mg"}})
		}
	}
	n := min(len(h.Snippets), snippetsShown)
	for i, s := range r.template.row.snippets {
		s.Hidden = i >= n
	}
	return r.template.row.container.MinSize().Height
}

// ShowWelcome replaces the list with what to do when nothing is searched
// yet: how many sources there are and a few example queries.
func (r *resultsPane) ShowWelcome(sources int, examples []string) {
	r.hits, r.query, r.selected = nil, "", -1
	r.list.UnselectAll()
	r.list.Refresh()
	r.header.SetText("")
	r.timing.SetText("")
	title := widget.NewLabelWithStyle(fmt.Sprintf("Search %s", plural(sources, "source", "sources")),
		fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	hint := mutedText("Type words to find them in every source, note and quote at once. Use \"quotes\" for a phrase,\n"+
		"+word to require and -word to exclude a word, title:word for a field, word~1 for a fuzzy match.",
		fyne.TextAlignCenter, theme.SizeNameText)
	var chips []fyne.CanvasObject
	for _, q := range examples {
		b := widget.NewButton(q, func() { r.onQuery(q) })
		b.Importance = widget.LowImportance
		chips = append(chips, b)
	}
	icon := widget.NewIcon(theme.SearchIcon())
	r.emptyBox.Objects = []fyne.CanvasObject{
		container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(48), icon)),
		title, hint, container.NewCenter(container.NewHBox(chips...)),
	}
	r.emptyBox.Refresh()
	r.empty.Show()
}

func (r *resultsPane) showNoResults(query string, filtered bool) {
	msg := widget.NewLabelWithStyle("Nothing matches. Check the spelling, use fewer words, or try a looser query:",
		fyne.TextAlignCenter, fyne.TextStyle{})
	objs := []fyne.CanvasObject{widget.NewLabelWithStyle("No results", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), msg}
	if loose := looserQuery(query); loose != "" && loose != query {
		b := widget.NewButtonWithIcon(loose, theme.SearchIcon(), func() { r.onQuery(loose) })
		objs = append(objs, container.NewCenter(b))
	}
	if r.kind.kind != "" {
		objs = append(objs, widget.NewLabelWithStyle("Only "+r.kind.label()+" are searched: choose All types above for the rest.", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	} else if filtered {
		objs = append(objs, widget.NewLabelWithStyle("Filters in the sidebar narrow the search too.", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	}
	r.emptyBox.Objects = objs
	r.emptyBox.Refresh()
	r.empty.Show()
}

// looserQuery suggests a query likely to match more: without quotes,
// required terms and field names; else every word made fuzzy.
func looserQuery(q string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return ""
	}
	var words []string
	changed := false
	for _, w := range strings.Fields(q) {
		orig := w
		if w == "AND" || w == "&&" || w == "NOT" || strings.HasPrefix(w, "-") {
			changed = true
			continue
		}
		w = strings.TrimLeft(w, "+")
		if i := strings.IndexByte(w, ':'); i > 0 && i < len(w)-1 {
			w = w[i+1:]
		}
		w = strings.Trim(w, "\"()")
		if w != orig {
			changed = true
		}
		if w != "" {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return ""
	}
	if !changed {
		for i, w := range words {
			if !strings.ContainsAny(w, "~*?") && utf8.RuneCountInString(w) > 3 {
				words[i] = w + "~1"
				changed = true
			}
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}

// MoveSelection moves the highlighted row by delta (Up/Down in the search
// field) without opening it.
func (r *resultsPane) MoveSelection(delta int) {
	if len(r.hits) == 0 {
		return
	}
	next := r.selected + delta
	if r.selected < 0 {
		next = 0
		if delta < 0 {
			next = len(r.hits) - 1
		}
	}
	next = max(0, min(next, len(r.hits)-1))
	r.list.Select(next)
	r.list.ScrollTo(next)
}

// OpenSelected opens the highlighted row, or the first when none is; it
// reports whether there was one to open.
func (r *resultsPane) OpenSelected() bool {
	if len(r.hits) == 0 {
		return false
	}
	i := max(0, r.selected)
	if r.onOpen != nil {
		r.onOpen(r.hits[i])
	}
	return true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
