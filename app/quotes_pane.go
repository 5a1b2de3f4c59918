package app

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// Choices of the quotes pane's selects.
const (
	allQuoteSources = "All sources"
	allQuoteTags    = "All tags"

	sortPinnedNew = "Pinned, newest first"
	sortPinnedOld = "Pinned, oldest first"
	sortSourceOld = "Source date, oldest first"
	sortSourceNew = "Source date, newest first"
)

var quoteSorts = []string{sortPinnedNew, sortPinnedOld, sortSourceOld, sortSourceNew}

// quotesPane lists pinned quotes as cards, filtered by text, source and
// tag and sorted by when they were pinned or by their source's date.
type quotesPane struct {
	// all is every quote, as SetQuotes got them; order lists their
	// indexes in the order sortedBy names, so that a filter keystroke only
	// selects (a filter keeps that order). hay[i] is what the text filter
	// looks in for all[i], lower-cased once, made on the first filter.
	all      []quoteView
	order    []int32
	hay      []string
	sortedBy string
	shown    []quoteView

	filter   *widget.Entry
	source   *widget.Select
	tag      *widget.Select
	sortBy   *widget.Select
	count    *widget.Label
	list     *widget.List    // replaced by measure
	stack    *fyne.Container // holds list
	empty    *widget.RichText
	undo     *fyne.Container
	undoMsg  *widget.Label
	template *quoteCard
	content  fyne.CanvasObject

	// sourceIDs maps the source select's options to document ids (two
	// sources may share a title).
	sourceIDs map[string]string
	// lines[i] is how many lines card i's passage takes at the list's
	// width, measured when the list is filled or changes width.
	lines   []int
	listW   float32
	heights map[int]float32 // card heights by 2×lines + has-comment
	// wrapped caches, by quote id, how many lines a passage takes at
	// listW: wrapping means shaping the text, and at 50,000 quotes doing
	// it for every card on every filter keystroke took 200 ms.
	wrapped map[string]wrapping
	do      func(func())

	// What a card's gestures and buttons do (set by quotesUI).
	onOpen   func(quoteView)
	onInsert func(quoteView)
	onEdit   func(quoteView)
	onMenu   func(quoteView, *widget.Button)
	onDrag   func(quoteView, fyne.Position)
	onDrop   func(quoteView, fyne.Position)
	onUndo   func()
}

func newQuotesPane(do func(func())) *quotesPane {
	p := &quotesPane{sourceIDs: map[string]string{}, do: do}
	p.filter = widget.NewEntry()
	p.filter.SetPlaceHolder("Filter quotes…")
	p.filter.OnChanged = func(string) { p.apply() }
	p.source = widget.NewSelect([]string{allQuoteSources}, func(string) { p.apply() })
	p.source.Selected = allQuoteSources
	p.tag = widget.NewSelect([]string{allQuoteTags}, func(string) { p.apply() })
	p.tag.Selected = allQuoteTags
	p.sortBy = widget.NewSelect(quoteSorts, func(string) { p.apply() })
	p.sortBy.Selected = sortPinnedNew
	p.count = &widget.Label{SizeName: theme.SizeNameCaptionText}
	p.list = p.newList()
	p.empty = mutedText("No quotes yet. Select a passage in the reader and pin it with the Pin button, "+
		"the right-click menu or Ctrl+Shift+Q.", fyne.TextAlignLeading, theme.SizeNameText)
	p.empty.Wrapping = fyne.TextWrapWord
	p.undoMsg = widget.NewLabel("")
	undoBtn := widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), func() {
		p.undo.Hide()
		if p.onUndo != nil {
			p.onUndo()
		}
	})
	p.undo = container.NewBorder(nil, nil, nil, undoBtn, p.undoMsg)
	p.undo.Hide()

	filters := container.NewVBox(
		p.filter,
		container.NewGridWithColumns(2, p.source, p.tag),
		container.NewBorder(nil, nil, nil, p.count, p.sortBy),
		p.undo,
	)
	p.stack = container.New(&widthWatch{onChange: p.widthChanged}, p.list, container.NewPadded(container.NewVBox(p.empty)))
	p.content = container.NewBorder(container.NewPadded(filters), nil, nil, nil, p.stack)
	p.apply()
	return p
}

func (p *quotesPane) createCard() fyne.CanvasObject {
	c := newQuoteCard()
	c.onTap = func(v quoteView) { call(p.onOpen, v) }
	c.onIns = func(v quoteView) { call(p.onInsert, v) }
	c.onEdit = func(v quoteView) { call(p.onEdit, v) }
	c.onMenu = func(v quoteView, b *widget.Button) {
		if p.onMenu != nil {
			p.onMenu(v, b)
		}
	}
	c.onDrag = func(v quoteView, pos fyne.Position) {
		if p.onDrag != nil {
			p.onDrag(v, pos)
		}
	}
	c.onDrop = func(v quoteView, pos fyne.Position) {
		if p.onDrop != nil {
			p.onDrop(v, pos)
		}
	}
	return c
}

func call(f func(quoteView), v quoteView) {
	if f != nil {
		f(v)
	}
}

func (p *quotesPane) updateCard(id widget.ListItemID, o fyne.CanvasObject) {
	c, ok := o.(*quoteCard)
	if !ok || id < 0 || id >= len(p.shown) {
		return
	}
	if id < len(p.lines) {
		c.exact.lines = p.lines[id]
	}
	c.Set(p.shown[id])
}

// cardHeight returns the height of v's card at the list's width and how
// many lines its passage takes there. Heights depend only on that line
// count and on whether the card has a comment line, so a template card is
// measured once per kind and each quote only has its passage wrapped:
// shaping 2,000 cards on every keystroke in the filter took 190 ms.
func (p *quotesPane) cardHeight(v quoteView) (float32, int) {
	if p.template == nil {
		p.template = newQuoteCard()
	}
	t := p.template
	n := quoteExactLines
	if w, ok := p.wrapped[v.q.ID]; ok && w.exact == v.q.Exact {
		n = w.lines
	} else if p.listW > 0 {
		t.exact.text = foldSpace("“" + strings.TrimSpace(v.q.Exact) + "”")
		// The card's padding, its stripe, the buttons and the list's
		// scroll bar.
		pad := theme.Padding()
		n = t.exact.lineCount(p.listW - 4*pad - 4 - theme.ScrollBarSize() - t.buttons.MinSize().Width)
		if p.wrapped == nil {
			p.wrapped = map[string]wrapping{}
		}
		p.wrapped[v.q.ID] = wrapping{v.q.Exact, n}
	}
	comment := v.hasCommentLine() || v.rels > 0
	key := 2 * n
	if comment {
		key++
	}
	if h, ok := p.heights[key]; ok {
		return h, n
	}
	t.exact.lines = n
	t.comment.Hidden = !comment
	h := t.content.MinSize().Height
	if p.heights == nil {
		p.heights = map[int]float32{}
	}
	p.heights[key] = h
	return h, n
}

// wrapping is a passage and how many lines it takes at the list's width.
type wrapping struct {
	exact string
	lines int
}

// widthChanged re-measures the cards when the list's width changes (the
// split is dragged): their passages wrap differently.
func (p *quotesPane) widthChanged(w float32) {
	if w == p.listW {
		return
	}
	p.listW = w
	p.heights, p.wrapped = nil, nil
	if p.do != nil && len(p.shown) > 0 {
		p.do(p.measure) // not from inside Layout
	}
}

func (p *quotesPane) newList() *widget.List {
	l := widget.NewList(func() int { return len(p.shown) }, p.createCard, p.updateCard)
	l.OnSelected = func(widget.ListItemID) { l.UnselectAll() } // cards take taps themselves
	return l
}

// measure sizes every shown card for the list's width. On a list that is
// on screen, each List.SetItemHeight refreshes the list, which sums every
// height: quadratic, minutes for 50,000 quotes. A new list takes the
// heights before it has a renderer, where SetItemHeight only records them.
func (p *quotesPane) measure() {
	off := p.list.GetScrollOffset()
	l := p.newList()
	p.lines = p.lines[:0]
	for i, v := range p.shown {
		h, n := p.cardHeight(v)
		p.lines = append(p.lines, n)
		l.SetItemHeight(i, h)
	}
	p.list = l
	p.stack.Objects[0] = l
	p.stack.Refresh()
	l.ScrollToOffset(off)
}

// widthWatch stacks its objects like container.NewStack and reports
// width changes.
type widthWatch struct {
	onChange func(float32)
}

func (l *widthWatch) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l *widthWatch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.Position{})
		o.Resize(size)
	}
	if l.onChange != nil {
		l.onChange(size.Width)
	}
}

// SetQuotes replaces the quotes shown, keeping the filters that still
// apply.
func (p *quotesPane) SetQuotes(vs []quoteView) {
	p.all, p.hay, p.sortedBy = vs, nil, ""
	sources := []string{allQuoteSources}
	p.sourceIDs = map[string]string{}
	tags := map[string]string{}
	for _, v := range vs {
		name := v.sourceTitle()
		if id, taken := p.sourceIDs[name]; taken && id != v.q.DocID {
			name = fmt.Sprintf("%s (%s)", name, v.q.DocID[:min(8, len(v.q.DocID))])
		}
		if _, seen := p.sourceIDs[name]; !seen {
			p.sourceIDs[name] = v.q.DocID
			sources = append(sources, name)
		}
		for _, t := range v.q.Tags {
			if _, ok := tags[strings.ToLower(t)]; !ok {
				tags[strings.ToLower(t)] = t
			}
		}
	}
	sort.Strings(sources[1:])
	tagList := []string{allQuoteTags}
	for _, t := range tags {
		tagList = append(tagList, t)
	}
	sort.Slice(tagList[1:], func(i, j int) bool {
		return strings.ToLower(tagList[1+i]) < strings.ToLower(tagList[1+j])
	})
	p.source.Options = sources
	if _, ok := p.sourceIDs[p.source.Selected]; !ok {
		p.source.Selected = allQuoteSources
	}
	p.source.Refresh()
	p.tag.Options = tagList
	if !containsFold(tagList, p.tag.Selected) {
		p.tag.Selected = allQuoteTags
	}
	p.tag.Refresh()
	p.apply()
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// ShowSource narrows the pane to one source's quotes ("" for all).
func (p *quotesPane) ShowSource(docID string) {
	p.source.Selected = allQuoteSources
	for name, id := range p.sourceIDs {
		if id == docID {
			p.source.Selected = name
		}
	}
	p.source.Refresh()
	p.apply()
}

// apply filters and sorts the quotes and refreshes the list.
func (p *quotesPane) apply() {
	if p.sortedBy != p.sortBy.Selected {
		p.sortedBy = p.sortBy.Selected
		p.order = sortQuotes(p.all, p.sortedBy)
	}
	text := strings.ToLower(strings.TrimSpace(p.filter.Text))
	if text != "" && p.hay == nil {
		p.hay = make([]string, len(p.all))
		for i, v := range p.all {
			p.hay[i] = quoteHay(v)
		}
	}
	doc := p.sourceIDs[p.source.Selected]
	tag := p.tag.Selected
	p.shown = p.shown[:0]
	for _, i := range p.order {
		v := &p.all[i]
		if doc != "" && v.q.DocID != doc {
			continue
		}
		if tag != allQuoteTags && tag != "" && !containsFold(v.q.Tags, tag) {
			continue
		}
		if text != "" && !strings.Contains(p.hay[i], text) {
			continue
		}
		p.shown = append(p.shown, *v)
	}
	p.measure()
	switch {
	case len(p.all) == 0:
		p.count.SetText("")
		p.empty.Show()
	case len(p.shown) == len(p.all):
		p.count.SetText(plural(len(p.all), "quote", "quotes"))
		p.empty.Hide()
	default:
		p.count.SetText(fmt.Sprintf("%d of %d", len(p.shown), len(p.all)))
		p.empty.Hide()
	}
}

// quoteHay is what the text filter looks in: the quote's passage, comment,
// tags and source title, lower-cased, separated by a character no filter
// text contains once trimmed (a newline), so no match spans two of them.
func quoteHay(v quoteView) string {
	return strings.ToLower(strings.Join(append([]string{v.q.Exact, v.q.Comment, v.sourceTitle()}, v.q.Tags...), "\n"))
}

// sortQuotes returns the indexes of vs in the order how names; undated
// sources sort last either way, and ties keep the order of vs.
func sortQuotes(vs []quoteView, how string) []int32 {
	date := func(v *quoteView) (notes.Date, bool) {
		if v.doc == nil || !v.doc.Published.Known() {
			return notes.Date{}, false
		}
		return v.doc.Published, true
	}
	order := make([]int32, len(vs))
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := &vs[order[i]], &vs[order[j]]
		switch how {
		case sortPinnedOld:
			return a.q.Created.Before(b.q.Created)
		case sortSourceOld, sortSourceNew:
			da, okA := date(a)
			db, okB := date(b)
			if okA != okB {
				return okA
			}
			if !da.Time.Equal(db.Time) {
				if how == sortSourceOld {
					return da.Time.Before(db.Time)
				}
				return da.Time.After(db.Time)
			}
			if a.q.DocID == b.q.DocID {
				return a.q.Start < b.q.Start // in reading order within a source
			}
			return a.q.Created.Before(b.q.Created)
		}
		return a.q.Created.After(b.q.Created)
	})
	return order
}

// index returns the row of quote id among those shown, or -1.
func (p *quotesPane) index(id string) int {
	for i, v := range p.shown {
		if v.q.ID == id {
			return i
		}
	}
	return -1
}

// Reveal scrolls to quote id's card, if it is shown.
func (p *quotesPane) Reveal(id string) {
	if i := p.index(id); i >= 0 {
		p.list.ScrollTo(i)
	}
}

// ShowUndo offers to undo what msg says was done.
func (p *quotesPane) ShowUndo(msg string) {
	p.undoMsg.SetText(msg)
	p.undo.Show()
}

// HideUndo withdraws the offer.
func (p *quotesPane) HideUndo() { p.undo.Hide() }
