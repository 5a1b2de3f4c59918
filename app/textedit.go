package app

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// editState turns a textView into the note editor. Fyne's multi-line Entry
// lays out its whole text on every change (5,000 characters take ten
// seconds to show), so the editor is the reader's virtualized view with a
// caret: a keystroke changes the string, wraps again only the paragraph it
// touched, shifts the lines after it, and redraws the lines in view whose
// text changed.
type editState struct {
	undo, redo []textEdit
	// goalX is the x the caret keeps while it moves up and down through
	// shorter lines; negative when not moving vertically.
	goalX float32
	// shift is whether Shift is down: Fyne hands widgets Shift+arrow as
	// a plain key, so the editor follows Shift's KeyDown and KeyUp.
	shift bool

	// onChange runs after every change of the text (typing, paste, undo);
	// onCaret after every change and every caret move.
	onChange func()
	onCaret  func()
	// onCtrlClick gets the offset of a Ctrl+click (following a link) and
	// reports whether it used it.
	onCtrlClick func(offset int) bool
}

// editKind tells which edits may merge into one undo step.
type editKind int

const (
	editOther    editKind = iota
	editTyping            // a typed character
	editDeleting          // Backspace or Delete without a selection
)

// textEdit is one undoable change: at byte offset at, del was replaced by
// ins.
type textEdit struct {
	at       int
	del, ins string
	anchor   int // the selection before the change, restored by undo
	caret    int
	kind     editKind
	when     time.Time
}

// undoMergeWindow is how long after the last keystroke typing still adds
// to the same undo step.
const undoMergeWindow = 2 * time.Second

// newEditorView returns a docView whose text the user can edit.
func newEditorView() *docView {
	d := newDocView()
	d.tv.ed = &editState{goalX: -1}
	return d
}

// SetEditText shows text from its top in the editor and forgets the undo
// history (another note was opened).
func (d *docView) SetEditText(text string) {
	d.SetText(text, nil)
	d.tv.ed.undo, d.tv.ed.redo = nil, nil
	d.tv.ed.goalX = -1
}

// AcceptsTab keeps Tab in the editor instead of moving the focus.
func (tv *textView) AcceptsTab() bool { return tv.ed != nil }

func (tv *textView) KeyDown(ev *fyne.KeyEvent) {
	if tv.ed != nil && (ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight) {
		tv.ed.shift = true
	}
}

func (tv *textView) KeyUp(ev *fyne.KeyEvent) {
	if tv.ed != nil && (ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight) {
		tv.ed.shift = false
	}
}

func (tv *textView) shiftDown() bool { return tv.ed.shift || shiftHeld() }

func (tv *textView) typeRune(r rune) {
	if r == '\r' || (r < ' ' && r != '\t') {
		return
	}
	s, e := tv.selectionBytes()
	tv.edit(s, e, string(r), editTyping)
}

// Insert replaces the selection (or inserts at the caret) with s as one
// undo step.
func (tv *textView) Insert(s string) {
	a, b := tv.selectionBytes()
	tv.edit(a, b, s, editOther)
}

// Replace replaces the bytes [s, e) with ins as one undo step and puts
// the caret after it.
func (tv *textView) Replace(s, e int, ins string) {
	s, e = tv.clampOffset(s), tv.clampOffset(e)
	if s > e {
		s, e = e, s
	}
	tv.edit(s, e, ins, editOther)
}

// Caret returns the caret's byte offset.
func (tv *textView) Caret() int { return tv.caret }

// edit replaces the bytes [s, e) with ins, records the change for undo
// (merging a run of typing or deleting into one step) and puts the caret
// after the inserted text.
func (tv *textView) edit(s, e int, ins string, kind editKind) {
	if s == e && ins == "" {
		return
	}
	ed := tv.ed
	now := time.Now()
	del := tv.text[s:e]
	merged := false
	if n := len(ed.undo); n > 0 && kind != editOther && now.Sub(ed.undo[n-1].when) < undoMergeWindow {
		last := &ed.undo[n-1]
		switch {
		case kind == editTyping && last.kind == editTyping && s == e && s == last.at+len(last.ins) &&
			!strings.Contains(ins, "\n") && (ins == " " || !strings.HasSuffix(last.ins, " ")):
			// A word and the spaces after it are one step; the next
			// word starts a new one.
			last.ins += ins
			merged = true
		case kind == editDeleting && last.kind == editDeleting && last.ins == "" && e == last.at:
			last.at, last.del = s, del+last.del // Backspace again
			merged = true
		case kind == editDeleting && last.kind == editDeleting && last.ins == "" && s == last.at:
			last.del += del // Delete again
			merged = true
		}
		if merged {
			last.when = now
		}
	}
	if !merged {
		ed.undo = append(ed.undo, textEdit{at: s, del: del, ins: ins, anchor: tv.anchor, caret: tv.caret, kind: kind, when: now})
	}
	ed.redo = ed.redo[:0]
	tv.applyEdit(s, e, ins)
	tv.anchor = s + len(ins)
	tv.caret = tv.anchor
	tv.afterEdit()
}

// Undo reverts the last change; it reports whether there was one.
func (tv *textView) Undo() bool {
	ed := tv.ed
	if len(ed.undo) == 0 {
		return false
	}
	u := ed.undo[len(ed.undo)-1]
	ed.undo = ed.undo[:len(ed.undo)-1]
	tv.applyEdit(u.at, u.at+len(u.ins), u.del)
	tv.anchor, tv.caret = tv.clampOffset(u.anchor), tv.clampOffset(u.caret)
	u.when = time.Time{} // a redone step never merges with new typing
	ed.redo = append(ed.redo, u)
	tv.afterEdit()
	return true
}

// Redo applies the last undone change again; it reports whether there
// was one.
func (tv *textView) Redo() bool {
	ed := tv.ed
	if len(ed.redo) == 0 {
		return false
	}
	r := ed.redo[len(ed.redo)-1]
	ed.redo = ed.redo[:len(ed.redo)-1]
	tv.applyEdit(r.at, r.at+len(r.del), r.ins)
	tv.anchor = r.at + len(r.ins)
	tv.caret = tv.anchor
	ed.undo = append(ed.undo, r)
	tv.afterEdit()
	return true
}

// applyEdit changes the text and its layout: only the paragraphs the
// change touches are wrapped again; the lines after them move by the
// change in length.
func (tv *textView) applyEdit(s, e int, ins string) {
	old := tv.text
	tv.text = old[:s] + ins + old[e:]
	tv.hits, tv.cur = nil, -1 // their offsets no longer hold
	if tv.wrapW == 0 || tv.lineH == 0 || len(tv.tops) != len(tv.lines)+1 {
		tv.wrapW = 0 // not laid out yet: the next layout wraps it all
		tv.textGen++
		return
	}
	delta := len(ins) - (e - s)
	ps := strings.LastIndexByte(old[:s], '\n') + 1
	pe := len(old)
	if i := strings.IndexByte(old[e:], '\n'); i >= 0 {
		pe = e + i
	}
	i0, i1 := tv.lineAt(ps), tv.lineAt(pe)
	fresh := wrapText(tv.text[ps:pe+delta], tv.colW, tv.adv.width)
	tail := tv.lines[i1+1:]
	lines := make([]lineSpan, 0, i0+len(fresh)+len(tail))
	lines = append(lines, tv.lines[:i0]...)
	for _, ln := range fresh {
		lines = append(lines, lineSpan{ln.start + ps, ln.end + ps})
	}
	for _, ln := range tail {
		lines = append(lines, lineSpan{ln.start + delta, ln.end + delta})
	}
	tv.lines = lines
	tv.tops = tv.placeLines()
	tv.layoutGen++
}

// afterEdit grows or shrinks the scrolled area to the text, brings the
// caret into view, redraws, and tells the listeners.
func (tv *textView) afterEdit() {
	tv.ed.goalX = -1
	tv.fitScroll()
	tv.ensureCaretVisible()
	tv.Refresh()
	if tv.ed.onChange != nil {
		tv.ed.onChange()
	}
	tv.caretMoved()
}

// fitScroll resizes the view to its text's height when that changed, so
// that the scroll bar and the scroll limits follow the text.
func (tv *textView) fitScroll() {
	if tv.scroll == nil || tv.lineH == 0 {
		return
	}
	h := max(tv.MinSize().Height, tv.scroll.Size().Height)
	if h != tv.Size().Height {
		tv.Resize(fyne.NewSize(tv.Size().Width, h))
		tv.scroll.Refresh()
	}
}

func (tv *textView) caretMoved() {
	if tv.ed.onCaret != nil {
		tv.ed.onCaret()
	}
}

// ensureCaretVisible scrolls as little as it takes to show the caret's
// line.
func (tv *textView) ensureCaretVisible() {
	if tv.scroll == nil || tv.lineH == 0 || tv.viewH <= 0 {
		return
	}
	i := tv.lineAt(tv.caret)
	top, bottom := tv.lineTop(i), tv.lineTop(i)+tv.lineH
	y := tv.viewY
	switch {
	case top < tv.viewY:
		y = top - tv.padTop
	case bottom > tv.viewY+tv.viewH:
		y = bottom + tv.padTop - tv.viewH
	default:
		return
	}
	y = max(0, min(y, tv.Size().Height-tv.viewH))
	tv.scroll.ScrollToOffset(fyne.NewPos(0, y))
	tv.viewY = tv.scroll.Offset.Y
}

// moveCaret puts the caret at byte offset o; with extend the selection's
// other end stays where it is.
func (tv *textView) moveCaret(o int, extend, vertical bool) {
	tv.caret = tv.clampOffset(o)
	if !extend {
		tv.anchor = tv.caret
	}
	if !vertical {
		tv.ed.goalX = -1
	}
	tv.ensureCaretVisible()
	tv.Refresh()
	tv.caretMoved()
}

// lineOffset returns the offset n visual lines above (n < 0) or below the
// caret, as near as those lines allow to the x the caret started from.
func (tv *textView) lineOffset(n int) int {
	i := tv.lineAt(tv.caret)
	if tv.ed.goalX < 0 {
		tv.ed.goalX = tv.measure(tv.lines[i].start, tv.caret)
	}
	switch j := i + n; {
	case j < 0:
		return 0
	case j >= len(tv.lines):
		return len(tv.text)
	default:
		return tv.offsetInLine(j, tv.ed.goalX)
	}
}

func prevRune(s string, o int) int {
	if o <= 0 {
		return 0
	}
	_, n := utf8.DecodeLastRuneInString(s[:o])
	return o - n
}

func nextRune(s string, o int) int {
	if o >= len(s) {
		return len(s)
	}
	_, n := utf8.DecodeRuneInString(s[o:])
	return o + n
}

// wordLeft and wordRight find where Ctrl+Left and Ctrl+Right go: the
// start of the word before, the end of the word after.
func wordLeft(s string, o int) int {
	for o > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:o])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		o -= n
	}
	for o > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:o])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		o -= n
	}
	return o
}

func wordRight(s string, o int) int {
	for o < len(s) {
		r, n := utf8.DecodeRuneInString(s[o:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		o += n
	}
	for o < len(s) {
		r, n := utf8.DecodeRuneInString(s[o:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		o += n
	}
	return o
}

// editKey handles the keys that edit or move the caret.
func (tv *textView) editKey(ev *fyne.KeyEvent) {
	shift := tv.shiftDown()
	s, e := tv.selectionBytes()
	page := max(1, int((tv.viewH-tv.lineH)/max(tv.lineH, 1)))
	switch ev.Name {
	case fyne.KeyLeft:
		if s != e && !shift {
			tv.moveCaret(s, false, false)
		} else {
			tv.moveCaret(prevRune(tv.text, tv.caret), shift, false)
		}
	case fyne.KeyRight:
		if s != e && !shift {
			tv.moveCaret(e, false, false)
		} else {
			tv.moveCaret(nextRune(tv.text, tv.caret), shift, false)
		}
	case fyne.KeyUp:
		tv.moveCaret(tv.lineOffset(-1), shift, true)
	case fyne.KeyDown:
		tv.moveCaret(tv.lineOffset(1), shift, true)
	case fyne.KeyPageUp:
		tv.moveCaret(tv.lineOffset(-page), shift, true)
	case fyne.KeyPageDown:
		tv.moveCaret(tv.lineOffset(page), shift, true)
	case fyne.KeyHome:
		tv.moveCaret(tv.lines[tv.lineAt(tv.caret)].start, shift, false)
	case fyne.KeyEnd:
		i := tv.lineAt(tv.caret)
		end := tv.lines[i].end
		if i+1 < len(tv.lines) && tv.lines[i+1].start == end && end > tv.lines[i].start {
			// A wrapped line: its end is the next line's start, where
			// the caret would show; stop before the space it broke at.
			if p := prevRune(tv.text, end); unicode.IsSpace(rune(tv.text[p])) {
				end = p
			}
		}
		tv.moveCaret(end, shift, false)
	case fyne.KeyBackspace:
		if s != e {
			tv.edit(s, e, "", editOther)
		} else if tv.caret > 0 {
			tv.edit(prevRune(tv.text, tv.caret), tv.caret, "", editDeleting)
		}
	case fyne.KeyDelete:
		if s != e {
			tv.edit(s, e, "", editOther)
		} else if tv.caret < len(tv.text) {
			tv.edit(tv.caret, nextRune(tv.text, tv.caret), "", editDeleting)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		tv.edit(s, e, "\n", editTyping)
	case fyne.KeyTab:
		// Markdown nests lists by spaces; a tab would also draw as one
		// space.
		tv.edit(s, e, "    ", editTyping)
	}
}

// editShortcut handles the editing shortcuts and reports whether s was
// one.
func (tv *textView) editShortcut(s fyne.Shortcut) bool {
	switch sc := s.(type) {
	case *fyne.ShortcutUndo:
		tv.Undo()
	case *fyne.ShortcutRedo:
		tv.Redo()
	case *fyne.ShortcutCut:
		if a, b := tv.selectionBytes(); a < b {
			tv.copySelection()
			tv.edit(a, b, "", editOther)
		}
	case *fyne.ShortcutPaste:
		// The app's clipboard, which Copy and Cut write (the shortcut's
		// is the same one in a real window).
		if t := strings.ReplaceAll(fyne.CurrentApp().Clipboard().Content(), "\r\n", "\n"); t != "" {
			tv.Insert(t)
		}
	case *desktop.CustomShortcut:
		shift := sc.Modifier&fyne.KeyModifierShift != 0
		if sc.Modifier&^fyne.KeyModifierShift != ctrl {
			return false
		}
		switch sc.KeyName {
		case fyne.KeyZ:
			if !shift {
				return false
			}
			tv.Redo()
		case fyne.KeyHome:
			tv.moveCaret(0, shift, false)
		case fyne.KeyEnd:
			tv.moveCaret(len(tv.text), shift, false)
		case fyne.KeyLeft:
			tv.moveCaret(wordLeft(tv.text, tv.caret), shift, false)
		case fyne.KeyRight:
			tv.moveCaret(wordRight(tv.text, tv.caret), shift, false)
		default:
			return false
		}
	default:
		return false
	}
	return true
}
