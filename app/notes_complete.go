package app

import (
	"context"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// completion is the list that typing "[[" in the editor opens: notes,
// sources and quotes whose title or text holds what follows the brackets.
// Choosing one (Enter, Tab or a click) replaces the "[[…" with a link.
//
// It is drawn inside the notes pane at the caret, not as a Fyne pop-up:
// a pop-up is an overlay, and an overlay takes the keyboard focus, so the
// editor would stop receiving the keys typed to narrow the list.
type completion struct {
	p     *notesPane
	items []candidate
	sel   int

	start   int    // byte offset of the "[[" in the editor's text
	query   string // what follows it up to the caret
	closed  int    // the start of a "[[" the user dismissed with Esc; -1 none
	gen     uint64 // of the latest quote search
	moving  bool   // the list's selection is being set by a key
	list    *widget.List
	bg      *canvas.Rectangle
	content *fyne.Container
}

// candidate is one entry of the completion list.
type candidate struct {
	kind   string // notes.TargetNote, TargetSource, TargetQuote or TargetMissing
	id     string
	title  string // what the entry shows and the link reads as
	detail string // a second, muted line: the source of a quote, a date
}

// Limits per kind, so one kind cannot push the others out of the list.
const (
	completeNotes   = 8
	completeSources = 6
	completeQuotes  = 6
)

func newCompletion(p *notesPane) *completion {
	c := &completion{p: p, closed: -1}
	c.list = widget.NewList(func() int { return len(c.items) }, func() fyne.CanvasObject {
		return container.New(&rowLayout{}, newTextLine(true, "", ""), newTextLine(false, colorNameMuted, theme.SizeNameCaptionText))
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i >= len(c.items) {
			return
		}
		it := c.items[i]
		row := o.(*fyne.Container)
		row.Objects[0].(*textLine).SetText(kindMark(it.kind) + it.title)
		row.Objects[1].(*textLine).SetText(it.detail)
	})
	c.list.OnSelected = func(i widget.ListItemID) {
		if !c.moving {
			c.Choose(i)
		}
	}
	c.bg = &canvas.Rectangle{StrokeWidth: 1}
	c.content = container.NewStack(c.bg, container.NewPadded(c.list))
	c.content.Hide()
	return c
}

func kindMark(kind string) string {
	switch kind {
	case notes.TargetSource:
		return "Source · "
	case notes.TargetQuote:
		return "Quote · "
	case notes.TargetMissing:
		return "New note · "
	}
	return ""
}

// Visible reports whether the list is open.
func (c *completion) Visible() bool { return c.content.Visible() }

// Hide closes the list.
func (c *completion) Hide() {
	c.gen++
	if c.content.Visible() {
		c.content.Hide()
	}
}

// Update opens, narrows or closes the list for the text before the caret:
// open while the caret follows a "[[" on the same line that no "]]" has
// closed yet.
func (c *completion) Update() {
	tv := c.p.editor.tv
	if c.p.note == nil || c.p.preview || tv.anchor != tv.caret {
		c.Hide()
		return
	}
	ls := strings.LastIndexByte(tv.text[:tv.caret], '\n') + 1
	seg := tv.text[ls:tv.caret]
	i := strings.LastIndex(seg, "[[")
	if i < 0 || strings.Contains(seg[i:], "]]") || (i > 0 && seg[i-1] == '\\') || runeLen(seg[i:]) > 100 {
		c.Hide()
		return
	}
	start, query := ls+i, seg[i+2:]
	if start == c.closed {
		c.Hide()
		return
	}
	c.closed = -1
	c.start, c.query = start, query
	c.items = c.local(query)
	c.show()
	c.searchQuotes(query)
}

// local returns the notes and sources that match query, from the lists
// the window holds; best matches (title starts with the query) first.
func (c *completion) local(query string) []candidate {
	q := strings.ToLower(strings.TrimSpace(query))
	rank := func(title string) int {
		t := strings.ToLower(title)
		switch {
		case q == "":
			return 1
		case strings.HasPrefix(t, q):
			return 0
		case strings.Contains(t, q):
			return 1
		}
		return -1
	}
	type ranked struct {
		candidate
		r int
	}
	pick := func(rs []ranked, limit int) []candidate {
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].r < rs[j].r })
		out := make([]candidate, 0, min(limit, len(rs)))
		for _, r := range rs[:min(limit, len(rs))] {
			out = append(out, r.candidate)
		}
		return out
	}
	var ns, ss []ranked
	exact := false
	for _, n := range c.p.all {
		if c.p.note != nil && n.ID == c.p.note.ID {
			continue // a note linking to itself is never what is meant
		}
		if r := rank(n.Title); r >= 0 {
			ns = append(ns, ranked{candidate{kind: notes.TargetNote, id: n.ID, title: n.Title, detail: "note, edited " + humanTime(n.Updated)}, r})
			exact = exact || strings.EqualFold(strings.TrimSpace(n.Title), strings.TrimSpace(query))
		}
	}
	for _, d := range c.p.u.docs {
		if r := rank(d.Title); r >= 0 {
			ss = append(ss, ranked{candidate{kind: notes.TargetSource, id: d.ID, title: orDefault(d.Title, "Untitled"),
				detail: strings.Join(nonEmpty(d.Source, d.Published.Human()), " · ")}, r})
		}
	}
	out := append(pick(ns, completeNotes), pick(ss, completeSources)...)
	if t := strings.TrimSpace(query); t != "" && !exact {
		out = append(out, candidate{kind: notes.TargetMissing, title: t, detail: "a link to a note that does not exist yet"})
	}
	return out
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// searchQuotes adds the quotes whose text matches query, found by the
// search index in the background.
func (c *completion) searchQuotes(query string) {
	pr := c.p.project()
	if pr == nil {
		return
	}
	c.gen++
	gen := c.gen
	q := "type:quote"
	if t := strings.TrimSpace(query); t != "" {
		q = t + " " + q
	}
	go func() {
		res, err := pr.Index.Search(context.Background(), notes.SearchRequest{Query: q, Limit: completeQuotes, PrefixLast: true, Snippets: 1, NoFacets: true})
		if err != nil || len(res.Hits) == 0 {
			return
		}
		c.p.u.do(func() {
			if gen != c.gen || !c.Visible() {
				return
			}
			var qs []candidate
			for _, h := range res.Hits {
				if h.Type != notes.KindQuote {
					continue
				}
				text := h.Title
				if len(h.Snippets) > 0 {
					text = strings.TrimSpace(h.Snippets[0].Text)
				}
				qs = append(qs, candidate{kind: notes.TargetQuote, id: h.ID, title: ellipsize(text, 60), detail: "quote from " + h.Title})
			}
			// Quotes go before the "new note" entry, which stays last.
			n := len(c.items)
			if n > 0 && c.items[n-1].kind == notes.TargetMissing {
				c.items = append(append(c.items[:n-1:n-1], qs...), c.items[n-1])
			} else {
				c.items = append(c.items, qs...)
			}
			c.show()
		})
	}()
}

func (c *completion) show() {
	if len(c.items) == 0 {
		c.Hide()
		return
	}
	c.sel = min(c.sel, len(c.items)-1)
	if !c.content.Visible() {
		c.sel = 0
		// Colours are read at each opening, so a theme switch shows.
		c.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
		c.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
		c.bg.CornerRadius = theme.InputRadiusSize()
		c.bg.Refresh()
		c.content.Show()
	}
	c.list.Refresh()
	c.selectRow(c.sel)
	c.p.body.Refresh() // the layout places the list at the caret
}

func (c *completion) selectRow(i int) {
	c.moving = true
	c.list.Select(i)
	c.moving = false
}

// Key handles the keys that steer the open list; it reports whether it
// used ev.
func (c *completion) Key(ev *fyne.KeyEvent) bool {
	if !c.Visible() {
		return false
	}
	switch ev.Name {
	case fyne.KeyDown:
		c.sel = (c.sel + 1) % len(c.items)
		c.selectRow(c.sel)
	case fyne.KeyUp:
		c.sel = (c.sel - 1 + len(c.items)) % len(c.items)
		c.selectRow(c.sel)
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
		c.Choose(c.sel)
	case fyne.KeyEscape:
		c.closed = c.start
		c.Hide()
	default:
		return false
	}
	return true
}

// Choose replaces the "[[…" before the caret with a link to item i.
func (c *completion) Choose(i int) {
	if i < 0 || i >= len(c.items) {
		return
	}
	tv := c.p.editor.tv
	it := c.items[i]
	end := tv.caret
	if strings.HasPrefix(tv.text[end:], "]]") {
		end += 2
	}
	c.Hide()
	if c.start > end || !strings.HasPrefix(tv.text[c.start:], "[[") {
		return // the text changed under the list
	}
	tv.Replace(c.start, end, linkMarkup(it))
	c.p.u.win.Canvas().Focus(tv)
}

// linkMarkup is the Markdown of a link to it: notes by title, sources and
// quotes by id with the title (or the quote's start) to read as.
func linkMarkup(it candidate) string {
	switch it.kind {
	case notes.TargetSource, notes.TargetQuote:
		return "[[" + it.kind + ":" + it.id + "|" + linkText(ellipsize(it.title, 60)) + "]]"
	}
	return "[[" + linkText(it.title) + "]]"
}

// linkText makes s safe inside [[…]]: no brackets, bars or line breaks.
func linkText(s string) string {
	return strings.TrimSpace(strings.NewReplacer("[", "(", "]", ")", "|", "/", "\n", " ", "\r", " ").Replace(s))
}

// editorLayout fills its space with the editor, the preview and the empty
// message (one visible at a time) and floats the completion list under
// the caret.
type editorLayout struct{ p *notesPane }

func (l *editorLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(100, 100)
}

func (l *editorLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs[:len(objs)-1] {
		o.Move(fyne.Position{})
		o.Resize(size)
	}
	box := objs[len(objs)-1]
	if !box.Visible() {
		return
	}
	tv := l.p.editor.tv
	row := l.p.complete.list.MinSize().Height + theme.Padding()
	h := min(float32(len(l.p.complete.items))*row+4*theme.Padding(), 8*row, size.Height/2)
	w := min(420, size.Width-2*theme.Padding())
	x, y := theme.Padding(), float32(0)
	if len(tv.lines) > 0 && tv.lineH > 0 {
		i := tv.lineAt(tv.caret)
		ln := tv.lines[i]
		x = tv.colX + tv.measure(ln.start, min(tv.caret, ln.end)) - 2*theme.Padding()
		// Below the caret's line if the list fits there, else above it,
		// else on the roomier side, shortened: never over the line typed.
		top := tv.lineTop(i) - tv.viewY
		bottom := top + tv.lineH
		below, above := size.Height-bottom, top
		switch {
		case below >= h:
			y = bottom
		case above >= h:
			y = top - h
		case below >= above:
			y, h = bottom, max(below, row)
		default:
			h = max(above, row)
			y = top - h
		}
	}
	x = max(theme.Padding(), min(x, size.Width-w-theme.Padding()))
	y = max(0, y)
	box.Move(fyne.NewPos(x, y))
	box.Resize(fyne.NewSize(w, h))
}
