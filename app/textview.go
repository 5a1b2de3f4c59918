package app

import (
	"image/color"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// lineSpan is one visual line: the bytes [start, end) of the text, without
// the newline that may follow.
type lineSpan struct{ start, end int }

// textView shows a long plain text read-only, with highlighted spans and a
// mouse selection. Fyne's Label, Entry and RichText lay out every line of
// their text on every change (a 100 KB Label takes over a minute), so this
// widget wraps the text once per width with cached glyph advances and keeps
// canvas objects only for the lines in view: a 200 KB document costs about
// as much to show and scroll as a short one.
//
// It is the content of a docView, which owns the scroll container and tells
// it its width and viewport.
type textView struct {
	widget.BaseWidget

	text    string
	textGen int // bumped by SetText, so the renderer knows to redraw
	lines   []lineSpan
	r       *textViewRenderer

	// Layout, valid for wrapW and textSize.
	wrapW, textSize float32
	lineH, textH    float32
	colX, colW      float32
	padTop, paraGap float32
	tops            []float32 // tops[i] is where line i starts; tops[len(lines)] the end
	layoutGen       int       // bumped by every rewrap, so the renderer redraws
	adv             advances

	viewY, viewH float32

	hits []notes.Span // sorted by Start
	cur  int          // index into hits of the current hit, or -1

	// marks are pinned quotes, drawn under hits and selection in their
	// quote's colour (see quotes_marks.go).
	marks []quoteMark

	pages      pageMarks // page starts of a PDF, drawn as rules (pages.go)
	onViewport func()    // called after every scroll; may be nil

	// The selection runs from anchor to caret (byte offsets); it is empty
	// when they are equal. The caret moves as the mouse drags.
	anchor, caret int
	selecting     bool

	scroll *container.Scroll

	// ed makes the view an editor (the note editor, see textedit.go); nil
	// for the read-only reader.
	ed      *editState
	focused bool

	// onKey is offered every typed key first and returns whether it used
	// it; onShortcut likewise for shortcuts the view does not handle itself
	// (Ctrl+K while the reader has focus). Both may be nil.
	onKey      func(*fyne.KeyEvent) bool
	onShortcut func(fyne.Shortcut) bool
	// menuItems, if set, gives the items that head the right-click menu
	// for a click at byte offset o (Pin quote, Edit quote).
	menuItems func(o int) []*fyne.MenuItem
}

var (
	_ fyne.Widget            = (*textView)(nil)
	_ fyne.Draggable         = (*textView)(nil)
	_ desktop.Mouseable      = (*textView)(nil)
	_ desktop.Cursorable     = (*textView)(nil)
	_ fyne.Focusable         = (*textView)(nil)
	_ fyne.Shortcutable      = (*textView)(nil)
	_ fyne.SecondaryTappable = (*textView)(nil)
	_ fyne.DoubleTappable    = (*textView)(nil)
)

// maxColumnEms caps the text column at a comfortable reading width: a
// researcher keeps the window wide, and 200-character lines are hard to
// follow.
const maxColumnEms = 48

func newTextView() *textView {
	tv := &textView{cur: -1, lines: []lineSpan{{}}}
	tv.ExtendBaseWidget(tv)
	return tv
}

// SetText replaces the text and its highlighted spans and clears the
// selection. Spans that fall outside the text or split a UTF-8 sequence are
// dropped rather than drawn in the wrong place.
func (tv *textView) SetText(text string, hits []notes.Span) {
	tv.text = text
	tv.textGen++
	tv.pages.starts = tv.pages.starts[:0] // they were byte offsets of the old text
	tv.anchor, tv.caret = 0, 0
	tv.wrapW = 0 // force a rewrap at the current width
	tv.setHits(hits)
	tv.rewrap(tv.Size().Width)
	tv.Refresh()
}

// SetHits replaces the highlighted spans, keeping text and selection.
func (tv *textView) SetHits(hits []notes.Span) {
	tv.setHits(hits)
	tv.Refresh()
}

func (tv *textView) setHits(hits []notes.Span) {
	clean := make([]notes.Span, 0, len(hits))
	for _, h := range hits {
		if h.Start < 0 || h.End > len(tv.text) || h.Start >= h.End ||
			!utf8.RuneStart(tv.text[h.Start]) || (h.End < len(tv.text) && !utf8.RuneStart(tv.text[h.End])) {
			continue
		}
		clean = append(clean, h)
	}
	sort.Slice(clean, func(i, j int) bool { return clean[i].Start < clean[j].Start })
	tv.hits = clean
	tv.cur = -1
}

// SetCurrentHit marks hit i (an index into the spans) as the current one
// and scrolls it into view; -1 marks none.
func (tv *textView) SetCurrentHit(i int) {
	if i < -1 || i >= len(tv.hits) {
		i = -1
	}
	tv.cur = i
	if i >= 0 {
		tv.scrollToOffset(tv.hits[i].Start)
	}
	tv.Refresh()
}

// Selection returns the selected range in Unicode code points, the unit
// quotes are stored in; start == end when nothing is selected.
func (tv *textView) Selection() (start, end int) {
	s, e := tv.selectionBytes()
	start = utf8.RuneCountInString(tv.text[:s])
	return start, start + utf8.RuneCountInString(tv.text[s:e])
}

// SelectedText returns the selected text, or "".
func (tv *textView) SelectedText() string {
	s, e := tv.selectionBytes()
	return tv.text[s:e]
}

// Select selects the bytes [start, end) of the text, clamped to it.
func (tv *textView) Select(start, end int) {
	tv.anchor, tv.caret = tv.clampOffset(start), tv.clampOffset(end)
	tv.Refresh()
}

func (tv *textView) selectionBytes() (int, int) {
	s, e := tv.anchor, tv.caret
	if s > e {
		s, e = e, s
	}
	return tv.clampOffset(s), tv.clampOffset(e)
}

func (tv *textView) clampOffset(o int) int {
	o = max(0, min(o, len(tv.text)))
	for o > 0 && o < len(tv.text) && !utf8.RuneStart(tv.text[o]) {
		o--
	}
	return o
}

// rewrap lays the text out for width w, unless it already is (and the text
// size has not changed). It reports whether the lines changed.
func (tv *textView) rewrap(w float32) bool {
	size := theme.TextSize()
	if w <= 0 {
		w = 600
	}
	if w == tv.wrapW && size == tv.textSize && tv.lines != nil {
		return false
	}
	if size != tv.textSize {
		tv.adv.reset(size)
		tv.textSize = size
		tv.textH = fyne.MeasureText("Mg", size, fyne.TextStyle{}).Height
		tv.lineH = float32(math.Ceil(float64(tv.textH * 1.45)))
	}
	pad := theme.Padding()
	tv.padTop = pad * 3
	tv.wrapW = w
	tv.colW = min(w-6*pad, maxColumnEms*size)
	tv.colW = max(tv.colW, 10*size)
	tv.colX = max(3*pad, (w-tv.colW)/2)
	tv.lines = wrapText(tv.text, tv.colW, tv.adv.width)
	tv.paraGap = float32(math.Round(float64(tv.lineH * 0.6)))
	tv.tops = tv.placeLines()
	tv.layoutGen++
	return true
}

// placeLines returns the tops of the lines: the reader spaces paragraphs,
// the editor shows every line of its source (blank ones too) one line
// high, so that the caret can sit on each.
func (tv *textView) placeLines() []float32 {
	if tv.ed != nil {
		return uniformTops(len(tv.lines), tv.padTop, tv.lineH)
	}
	return lineTops(tv.text, tv.lines, tv.padTop, tv.lineH, tv.paraGap)
}

// uniformTops places n lines one below the other.
func uniformTops(n int, top, lineH float32) []float32 {
	tops := make([]float32, n+1)
	for i := range tops {
		tops[i] = top + float32(i)*lineH
	}
	return tops
}

// lineTops places the lines. Texts separate paragraphs either with a blank
// line or with a single newline; both read best as the same gap, so a
// blank line is a gap tall and a paragraph that follows a single newline
// gets a gap above it.
func lineTops(text string, lines []lineSpan, top, lineH, gap float32) []float32 {
	tops := make([]float32, len(lines)+1)
	y := top
	prevEmpty := true // no gap above the first paragraph
	for i, ln := range lines {
		empty := ln.start == ln.end
		newPara := i > 0 && lines[i-1].end < len(text) && text[lines[i-1].end] == '\n'
		switch {
		case empty:
			if !prevEmpty {
				tops[i] = y
				y += gap
			} else {
				tops[i] = y // runs of blank lines collapse into one gap
			}
		default:
			if newPara && !prevEmpty {
				y += gap
			}
			tops[i] = y
			y += lineH
		}
		prevEmpty = empty
	}
	tops[len(lines)] = y
	return tops
}

// wrapText breaks text into lines no wider than maxW, at spaces and after
// hyphens where it can and inside a word where it must. Newlines always
// break. width measures one rune.
func wrapText(text string, maxW float32, width func(rune) float32) []lineSpan {
	lines := make([]lineSpan, 0, len(text)/60+1)
	start := 0
	for start <= len(text) {
		nl := strings.IndexByte(text[start:], '\n')
		end := len(text)
		if nl >= 0 {
			end = start + nl
		}
		lines = wrapParagraph(lines, text, start, end, maxW, width)
		if nl < 0 {
			break
		}
		start = end + 1
	}
	return lines
}

func wrapParagraph(lines []lineSpan, text string, start, end int, maxW float32, width func(rune) float32) []lineSpan {
	lineStart := start
	var w, wAtBreak float32
	brk := -1 // byte offset where the current line may end
	for i := start; i < end; {
		r, n := utf8.DecodeRuneInString(text[i:end])
		a := width(r)
		if w+a > maxW && i > lineStart && !unicode.IsSpace(r) {
			if brk > lineStart {
				lines = append(lines, lineSpan{lineStart, brk})
				lineStart, w = brk, w-wAtBreak
			} else {
				lines = append(lines, lineSpan{lineStart, i})
				lineStart, w = i, 0
			}
			brk = -1
		}
		w += a
		i += n
		if unicode.IsSpace(r) || r == '-' || r == '–' || r == '—' || r == '/' {
			brk, wAtBreak = i, w
		}
	}
	return append(lines, lineSpan{lineStart, end})
}

// advances caches glyph widths for one text size: measuring each rune once
// makes wrapping 200 KB take milliseconds, where shaping every word would
// take most of a second.
type advances struct {
	size  float32
	style fyne.TextStyle
	ascii [128]float32
	other map[rune]float32
}

func (a *advances) reset(size float32) {
	a.size = size
	a.ascii = [128]float32{}
	a.other = nil
}

// sum returns the width of s as the sum of its runes' advances: a slight
// overestimate of the shaped width (kerning only tightens Latin text).
func (a *advances) sum(s string) float32 {
	var w float32
	for _, r := range s {
		w += a.width(r)
	}
	return w
}

// fit returns the longest prefix of s whose advances add up to at most w.
func (a *advances) fit(s string, w float32) string {
	var x float32
	for i, r := range s {
		x += a.width(r)
		if x > w {
			return s[:i]
		}
	}
	return s
}

func (a *advances) width(r rune) float32 {
	if r == '\t' || r == '\r' {
		r = ' '
	}
	if r < 128 {
		if w := a.ascii[r]; w > 0 || r < ' ' {
			return w
		}
		w := fyne.MeasureText(string(r), a.size, a.style).Width
		a.ascii[r] = w
		return w
	}
	if w, ok := a.other[r]; ok {
		return w
	}
	if a.other == nil {
		a.other = make(map[rune]float32)
	}
	w := fyne.MeasureText(string(r), a.size, a.style).Width
	a.other[r] = w
	return w
}

// display returns what is drawn for the bytes [s, e): tabs and carriage
// returns become spaces, which is also how they were measured.
func (tv *textView) display(s, e int) string {
	t := tv.text[s:e]
	if strings.ContainsAny(t, "\t\r") {
		t = strings.NewReplacer("\t", " ", "\r", " ").Replace(t)
	}
	return t
}

// measure returns the drawn width of the bytes [s, e) of one line. It shapes
// the text (exact, and cached by Fyne) rather than summing advances, so
// highlights line up with the glyphs drawn.
func (tv *textView) measure(s, e int) float32 {
	if e <= s {
		return 0
	}
	return fyne.MeasureText(tv.display(s, e), tv.textSize, fyne.TextStyle{}).Width
}

func (tv *textView) lineTop(i int) float32 {
	if len(tv.tops) == 0 {
		return tv.padTop
	}
	return tv.tops[max(0, min(i, len(tv.tops)-1))]
}

// lineAtY returns the line at height y, clamped to the first and last.
func (tv *textView) lineAtY(y float32) int {
	i := sort.Search(len(tv.lines), func(i int) bool { return tv.tops[i+1] > y })
	return min(i, len(tv.lines)-1)
}

// lineAt returns the index of the line holding byte offset o. An offset at a
// wrap point belongs to the line it starts.
func (tv *textView) lineAt(o int) int {
	i := sort.Search(len(tv.lines), func(i int) bool { return tv.lines[i].start > o }) - 1
	return max(0, i)
}

// offsetAt returns the byte offset nearest to pos, in the widget's
// coordinates.
func (tv *textView) offsetAt(pos fyne.Position) int {
	if len(tv.lines) == 0 || tv.lineH == 0 {
		return 0
	}
	if pos.Y < tv.lineTop(0) {
		return 0
	}
	if pos.Y >= tv.lineTop(len(tv.lines)) {
		return len(tv.text)
	}
	return tv.offsetInLine(tv.lineAtY(pos.Y), pos.X-tv.colX)
}

// offsetInLine returns the byte offset in line i nearest to x, measured
// from the start of the text column.
func (tv *textView) offsetInLine(i int, x float32) int {
	ln := tv.lines[i]
	if x <= 0 {
		return ln.start
	}
	// Binary search over the rune boundaries of the line for the one
	// nearest to x.
	var bounds []int
	for o := ln.start; o < ln.end; {
		bounds = append(bounds, o)
		_, n := utf8.DecodeRuneInString(tv.text[o:ln.end])
		o += n
	}
	bounds = append(bounds, ln.end)
	k := sort.Search(len(bounds), func(k int) bool { return tv.measure(ln.start, bounds[k]) >= x })
	if k >= len(bounds) {
		return ln.end
	}
	if k > 0 {
		before, after := tv.measure(ln.start, bounds[k-1]), tv.measure(ln.start, bounds[k])
		if x-before < after-x {
			k--
		}
	}
	return bounds[k]
}

// scrollToOffset scrolls so that byte offset o is in view, a third of the
// way down when it has to move, so the context above a hit shows too.
func (tv *textView) scrollToOffset(o int) {
	if tv.scroll == nil || tv.lineH == 0 {
		return
	}
	y := tv.lineTop(tv.lineAt(o))
	if y >= tv.viewY+tv.lineH && y+2*tv.lineH <= tv.viewY+tv.viewH {
		return
	}
	target := y - tv.viewH/3
	maxY := tv.MinSize().Height - tv.viewH
	target = max(0, min(target, maxY))
	tv.scroll.ScrollToOffset(fyne.NewPos(0, target))
	tv.viewY = tv.scroll.Offset.Y
}

func (tv *textView) scrollBy(dy float32) {
	if tv.scroll == nil {
		return
	}
	maxY := max(0, tv.MinSize().Height-tv.viewH)
	y := max(0, min(tv.viewY+dy, maxY))
	tv.scroll.ScrollToOffset(fyne.NewPos(0, y))
	tv.viewY = tv.scroll.Offset.Y
	tv.Refresh()
}

// MinSize is as tall as all the lines: the scroll container around it
// scrolls, the renderer draws only what is in view.
func (tv *textView) MinSize() fyne.Size {
	if tv.lineH == 0 {
		tv.rewrap(tv.Size().Width)
	}
	return fyne.NewSize(10*tv.textSize, tv.lineTop(len(tv.lines))+tv.padTop)
}

func (tv *textView) Cursor() desktop.Cursor { return desktop.TextCursor }

func (tv *textView) requestFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(tv); c != nil && c.Focused() != tv {
		c.Focus(tv)
	}
}

func (tv *textView) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	tv.requestFocus()
	o := tv.offsetAt(ev.Position)
	if tv.ed != nil && ev.Modifier&ctrl != 0 && tv.ed.onCtrlClick != nil && tv.ed.onCtrlClick(o) {
		return
	}
	if ev.Modifier&fyne.KeyModifierShift == 0 {
		tv.anchor = o
	}
	tv.caret = o
	tv.selecting = true
	tv.Refresh()
}

func (tv *textView) MouseUp(*desktop.MouseEvent) {
	tv.selecting = false
	if tv.ed != nil {
		tv.caretMoved()
	}
}

func (tv *textView) Dragged(ev *fyne.DragEvent) {
	if !tv.selecting {
		// A drag that began without a MouseDown (a test, or a touch
		// device) starts the selection where it began.
		tv.selecting = true
		tv.anchor = tv.offsetAt(ev.Position.Subtract(ev.Dragged))
	}
	tv.caret = tv.offsetAt(ev.Position)
	// Dragging past the top or bottom edge scrolls, so a selection can
	// span more than a screen.
	switch {
	case ev.Position.Y < tv.viewY+tv.lineH/2:
		tv.scrollBy(-tv.lineH)
	case tv.viewH > 0 && ev.Position.Y > tv.viewY+tv.viewH-tv.lineH/2:
		tv.scrollBy(tv.lineH)
	}
	tv.Refresh()
}

func (tv *textView) DragEnd() {
	tv.selecting = false
	if tv.ed != nil {
		tv.caretMoved()
	}
}

func (tv *textView) DoubleTapped(ev *fyne.PointEvent) {
	s, e := wordAt(tv.text, tv.offsetAt(ev.Position))
	tv.Select(s, e)
}

// wordAt returns the word around byte offset o, or the empty range at o.
func wordAt(text string, o int) (int, int) {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' }
	s, e := o, o
	for s > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:s])
		if !isWord(r) {
			break
		}
		s -= n
	}
	for e < len(text) {
		r, n := utf8.DecodeRuneInString(text[e:])
		if !isWord(r) {
			break
		}
		e += n
	}
	return s, e
}

func (tv *textView) TappedSecondary(ev *fyne.PointEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(tv)
	if c == nil {
		return
	}
	tv.requestFocus()
	cp := fyne.NewMenuItem("Copy", tv.copySelection)
	cp.Disabled = tv.SelectedText() == ""
	cp.Shortcut = &fyne.ShortcutCopy{}
	all := fyne.NewMenuItem("Select all", func() { tv.Select(0, len(tv.text)) })
	all.Shortcut = &fyne.ShortcutSelectAll{}
	items := []*fyne.MenuItem{cp, all}
	if tv.ed != nil {
		cut := fyne.NewMenuItem("Cut", func() { tv.editShortcut(&fyne.ShortcutCut{}) })
		cut.Disabled, cut.Shortcut = cp.Disabled, &fyne.ShortcutCut{}
		paste := fyne.NewMenuItem("Paste", func() { tv.editShortcut(&fyne.ShortcutPaste{}) })
		paste.Shortcut = &fyne.ShortcutPaste{}
		items = []*fyne.MenuItem{cut, cp, paste, fyne.NewMenuItemSeparator(), all}
	}
	if tv.menuItems != nil {
		if extra := tv.menuItems(tv.offsetAt(ev.Position)); len(extra) > 0 {
			items = append(append(extra, fyne.NewMenuItemSeparator()), items...)
		}
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, ev.AbsolutePosition)
}

func (tv *textView) copySelection() {
	if t := tv.SelectedText(); t != "" {
		fyne.CurrentApp().Clipboard().SetContent(t)
	}
}

func (tv *textView) FocusGained() { tv.setFocused(true) }
func (tv *textView) FocusLost()   { tv.setFocused(false) }

func (tv *textView) setFocused(f bool) {
	tv.focused = f
	if tv.ed != nil {
		tv.Refresh() // shows or hides the caret
	}
}

func (tv *textView) TypedRune(r rune) {
	if tv.ed != nil {
		tv.typeRune(r)
	}
}

func (tv *textView) TypedKey(ev *fyne.KeyEvent) {
	if tv.onKey != nil && tv.onKey(ev) {
		return
	}
	if tv.ed != nil {
		tv.editKey(ev)
		return
	}
	page := max(tv.lineH, tv.viewH-2*tv.lineH)
	switch ev.Name {
	case fyne.KeyUp:
		tv.scrollBy(-tv.lineH)
	case fyne.KeyDown:
		tv.scrollBy(tv.lineH)
	case fyne.KeyPageUp:
		tv.scrollBy(-page)
	case fyne.KeyPageDown, fyne.KeySpace:
		tv.scrollBy(page)
	case fyne.KeyHome:
		tv.scrollBy(-tv.MinSize().Height)
	case fyne.KeyEnd:
		tv.scrollBy(tv.MinSize().Height)
	}
}

func (tv *textView) TypedShortcut(s fyne.Shortcut) {
	if tv.ed != nil && tv.editShortcut(s) {
		return
	}
	switch s.(type) {
	case *fyne.ShortcutCopy:
		tv.copySelection()
		return
	case *fyne.ShortcutSelectAll:
		tv.Select(0, len(tv.text))
		return
	}
	if tv.onShortcut != nil {
		tv.onShortcut(s)
	}
}

// setViewport records which part of the view the scroll container shows;
// the renderer draws only that.
func (tv *textView) setViewport(y, h float32) {
	if y == tv.viewY && h == tv.viewH {
		return
	}
	tv.viewY, tv.viewH = y, h
	tv.Refresh()
	if tv.onViewport != nil {
		tv.onViewport()
	}
}

func (tv *textView) CreateRenderer() fyne.WidgetRenderer {
	tv.r = &textViewRenderer{tv: tv}
	return tv.r
}

// textViewRenderer keeps a ring of canvas.Text objects, one per line in
// view (plus a margin), indexed by line number modulo the ring's size: a
// scroll by one line re-renders one line, not all of them.
type textViewRenderer struct {
	tv       *textView
	texts    []*canvas.Text
	textLine []int // the line texts[k] shows, or -1
	rects    []*canvas.Rectangle
	caret    *canvas.Rectangle // the editor's caret
	rules    pageRules
	objects  []fyne.CanvasObject

	// What the texts were drawn with; a change redraws them all.
	fg                 color.Color
	layoutGen, textGen int
}

// overscan lines are kept drawn above and below the view so that small
// scrolls need no new text at all.
const overscan = 8

func (r *textViewRenderer) Destroy() {}

func (r *textViewRenderer) MinSize() fyne.Size { return r.tv.MinSize() }

func (r *textViewRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *textViewRenderer) Layout(size fyne.Size) {
	r.tv.rewrap(size.Width)
	r.update()
}

func (r *textViewRenderer) Refresh() {
	r.tv.rewrap(r.tv.Size().Width)
	r.update()
}

func (r *textViewRenderer) colors() (fg, hit, cur, sel color.Color) {
	th := r.tv.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	return th.Color(theme.ColorNameForeground, v), th.Color(colorNameHit, v),
		th.Color(colorNameHitCurrent, v), th.Color(theme.ColorNameSelection, v)
}

func (r *textViewRenderer) update() {
	tv := r.tv
	if tv.lineH == 0 || len(tv.lines) == 0 {
		return
	}
	fg, hitC, curC, selC := r.colors()
	viewH := tv.viewH
	if viewH <= 0 {
		viewH = 40 * tv.lineH
	}
	first := max(0, tv.lineAtY(tv.viewY)-overscan)
	last := min(len(tv.lines)-1, tv.lineAtY(tv.viewY+viewH)+overscan)

	all := fg != r.fg || tv.layoutGen != r.layoutGen || tv.textGen != r.textGen
	r.fg, r.layoutGen, r.textGen = fg, tv.layoutGen, tv.textGen
	grew := false
	if n := last - first + 1; n > len(r.texts) {
		for len(r.texts) < n+overscan {
			t := canvas.NewText("", fg)
			t.Hide()
			r.texts = append(r.texts, t)
			r.textLine = append(r.textLine, -1)
		}
		// The ring's size changed, so every slot now maps to a new line.
		all, grew = true, true
	}
	n := len(r.texts)
	for k := range r.texts {
		if all {
			// Every slot is redrawn below or stays hidden: a text with
			// fewer lines than slots must not keep the old lines.
			r.textLine[k] = -1
			r.texts[k].Hide()
		}
		if l := r.textLine[k]; l != -1 && (l < first || l > last) {
			r.textLine[k] = -1
			r.texts[k].Hide()
		}
	}
	yOff := (tv.lineH - tv.textH) / 2
	for i := first; i <= last; i++ {
		k := i % n
		if r.textLine[k] == i {
			continue
		}
		ln := tv.lines[i]
		t := r.texts[k]
		s, pos := tv.display(ln.start, ln.end), fyne.NewPos(tv.colX, tv.lineTop(i)+yOff)
		r.textLine[k] = i
		// After an edit every line is redrawn, but most show what they
		// showed: skipping those keeps a keystroke to one shaped line.
		if t.Visible() && t.Text == s && t.Position() == pos && t.Color == fg && t.TextSize == tv.textSize &&
			t.Size().Width == tv.colW+tv.textSize {
			continue
		}
		t.Text = s
		t.Color = fg
		t.TextSize = tv.textSize
		t.Move(pos)
		t.Resize(fyne.NewSize(tv.colW+tv.textSize, tv.textH))
		t.Show()
		t.Refresh()
	}
	if all {
		// Slots no line took still show what they showed before the
		// rewrap, maybe a line an edit has since removed.
		for k, t := range r.texts {
			if r.textLine[k] == -1 && t.Visible() {
				t.Hide()
			}
		}
	}

	// Highlights: rebuilt for the lines in view on every update, which is
	// cheap (a handful of rectangles, no text shaping beyond cached widths).
	// A band of 0 fills the line's height; else it is that many pixels at
	// the line's foot (a quote's underline).
	used := 0
	rectBand := func(c color.Color, line int, s, e int, extra, band float32) {
		ln := tv.lines[line]
		x0 := tv.colX + tv.measure(ln.start, max(s, ln.start))
		x1 := tv.colX + tv.measure(ln.start, min(e, ln.end)) + extra
		if x1 <= x0 {
			return
		}
		if used == len(r.rects) {
			r.rects = append(r.rects, canvas.NewRectangle(c))
			grew = true
		}
		rc := r.rects[used]
		used++
		rc.FillColor = c
		rc.CornerRadius = 2
		h := min(tv.lineH, tv.lineTop(line+1)-tv.lineTop(line))
		if band > 0 {
			rc.CornerRadius = 0
			rc.Move(fyne.NewPos(x0-1, tv.lineTop(line)+h-1-band))
			rc.Resize(fyne.NewSize(x1-x0+2, band))
		} else {
			rc.Move(fyne.NewPos(x0-1, tv.lineTop(line)+1))
			rc.Resize(fyne.NewSize(x1-x0+2, h-2))
		}
		rc.Show()
		rc.Refresh()
	}
	rect := func(c color.Color, line int, s, e int, extra float32) { rectBand(c, line, s, e, extra, 0) }
	r.drawMarks(first, last, false, rectBand)
	if len(tv.hits) > 0 {
		lo, hi := tv.lines[first].start, tv.lines[last].end
		k := sort.Search(len(tv.hits), func(k int) bool { return tv.hits[k].End > lo })
		for ; k < len(tv.hits) && tv.hits[k].Start < hi; k++ {
			h := tv.hits[k]
			c := hitC
			if k == tv.cur {
				c = curC
			}
			for i := max(first, tv.lineAt(h.Start)); i <= last && tv.lines[i].start < h.End; i++ {
				rect(c, i, h.Start, h.End, 0)
			}
		}
	}
	r.drawMarks(first, last, true, rectBand)
	if s, e := tv.selectionBytes(); s < e {
		space := tv.adv.width(' ')
		for i := max(first, tv.lineAt(s)); i <= last && tv.lines[i].start < e; i++ {
			ln := tv.lines[i]
			var extra float32
			if e > ln.end && ln.end < len(tv.text) && tv.text[ln.end] == '\n' {
				extra = space // show that the line break is selected too
			}
			rect(selC, i, s, e, extra)
		}
	}
	for _, rc := range r.rects[used:] {
		if rc.Visible() {
			rc.Hide()
		}
	}
	if tv.ed != nil {
		if r.caret == nil {
			r.caret = canvas.NewRectangle(fg)
			grew = true
		}
		r.placeCaret(fg, first, last)
	}
	if r.rules.update(tv, first, last) {
		grew = true
	}
	if grew || r.objects == nil {
		r.objects = make([]fyne.CanvasObject, 0, len(r.rects)+len(r.texts))
		r.objects = append(r.objects, r.rules.objects()...)
		for _, rc := range r.rects {
			r.objects = append(r.objects, rc)
		}
		for _, t := range r.texts {
			r.objects = append(r.objects, t)
		}
		if r.caret != nil {
			r.objects = append(r.objects, r.caret)
		}
	}
}

// placeCaret draws the editor's caret: a bar at the caret's place while
// the editor has the focus and nothing is selected.
func (r *textViewRenderer) placeCaret(c color.Color, first, last int) {
	tv := r.tv
	i := tv.lineAt(tv.caret)
	if !tv.focused || tv.anchor != tv.caret || i < first || i > last {
		r.caret.Hide()
		return
	}
	ln := tv.lines[i]
	x := tv.colX + tv.measure(ln.start, min(tv.caret, ln.end))
	r.caret.FillColor = c
	r.caret.Move(fyne.NewPos(x, tv.lineTop(i)+2))
	r.caret.Resize(fyne.NewSize(max(1, float32(math.Round(float64(tv.textSize/10)))), tv.lineH-4))
	r.caret.Show()
	r.caret.Refresh()
}

// docView is a textView in a vertical scroll container. It exists to break
// a circle: the text's height depends on the width it wraps to, which the
// scroll container only knows while laying it out.
type docView struct {
	widget.BaseWidget
	tv     *textView
	scroll *container.Scroll
}

func newDocView() *docView {
	d := &docView{tv: newTextView()}
	d.scroll = container.NewVScroll(d.tv)
	d.tv.scroll = d.scroll
	d.scroll.OnScrolled = func(p fyne.Position) { d.tv.setViewport(p.Y, d.scroll.Size().Height) }
	d.ExtendBaseWidget(d)
	return d
}

// SetText shows a new text from its top.
func (d *docView) SetText(text string, hits []notes.Span) {
	d.scroll.Offset = fyne.Position{}
	d.tv.viewY = 0
	d.tv.SetText(text, hits)
	d.tv.Resize(d.tv.MinSize().Max(d.scroll.Size()))
	d.scroll.Refresh()
}

func (d *docView) CreateRenderer() fyne.WidgetRenderer {
	return &docViewRenderer{d: d}
}

type docViewRenderer struct{ d *docView }

func (r *docViewRenderer) Destroy() {}
func (r *docViewRenderer) Layout(size fyne.Size) {
	d := r.d
	d.tv.viewH = size.Height
	if d.tv.rewrap(size.Width) || d.tv.Size().Width != size.Width {
		d.tv.Resize(d.tv.MinSize().Max(size))
	}
	d.scroll.Resize(size)
	// Only repositions the lines in view: a Layout must not Refresh.
	d.tv.viewY = d.scroll.Offset.Y
	if d.tv.r != nil {
		d.tv.r.update()
	}
}
func (r *docViewRenderer) MinSize() fyne.Size           { return fyne.NewSize(100, 100) }
func (r *docViewRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.d.scroll} }
func (r *docViewRenderer) Refresh() {
	d := r.d
	if d.tv.rewrap(d.scroll.Size().Width) {
		d.tv.Resize(d.tv.MinSize().Max(d.scroll.Size()))
	}
	d.scroll.Refresh()
}
