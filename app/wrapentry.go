package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// wrapEntry is a multi-line Entry that wraps at word boundaries, for short
// texts (a title, a note on a grade, a quote's comment). Fyne 2.7.1's
// word-wrapped Entry cannot place its caret after a space typed where a
// row wraps: the caret stays before the space, so the next letters land in
// front of it ("officials on" becomes "officialson ") and Backspace
// deletes the letter before it. This one remembers where the caret
// belongs and types or deletes there itself.
type wrapEntry struct {
	widget.Entry
	// after is the rune offset the caret belongs at but Fyne cannot show,
	// or -1.
	after int
}

func newWrapEntry(rows int) *wrapEntry {
	e := &wrapEntry{after: -1}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	e.SetMinRowsVisible(rows)
	return e
}

// pending returns where the caret belongs if Fyne has it one place short.
func (e *wrapEntry) pending() (int, bool) {
	off := e.after
	e.after = -1
	if off < 1 || e.SelectedText() != "" || e.CursorTextOffset() != off-1 || off > len([]rune(e.Text)) {
		return 0, false
	}
	return off, true
}

func (e *wrapEntry) TypedRune(r rune) {
	if off, ok := e.pending(); ok {
		runes := []rune(e.Text)
		e.setTextAt(string(runes[:off])+string(r)+string(runes[off:]), off+1)
		return
	}
	if e.SelectedText() != "" {
		e.Entry.TypedRune(r)
		return
	}
	want := e.CursorTextOffset() + 1
	e.Entry.TypedRune(r)
	if e.CursorTextOffset() != want && !e.caretTo(want) {
		e.after = want
	}
}

func (e *wrapEntry) TypedKey(k *fyne.KeyEvent) {
	if off, ok := e.pending(); ok && k.Name == fyne.KeyBackspace {
		runes := []rune(e.Text)
		e.setTextAt(string(runes[:off-1])+string(runes[off:]), off-1)
		return
	}
	if k.Name != fyne.KeyBackspace || e.SelectedText() != "" {
		e.Entry.TypedKey(k)
		return
	}
	want := e.CursorTextOffset() - 1
	e.Entry.TypedKey(k)
	if want >= 0 && e.CursorTextOffset() != want && !e.caretTo(want) {
		e.after = want
	}
}

// setTextAt replaces the text and puts the caret at rune offset off.
func (e *wrapEntry) setTextAt(text string, off int) {
	e.SetText(text)
	if !e.caretTo(off) {
		e.after = off
	}
}

// caretTo puts the caret at rune offset off, trying each row in turn, and
// reports whether that place exists.
func (e *wrapEntry) caretTo(off int) bool {
	row, col := e.CursorRow, e.CursorColumn
	prev := -1
	for r := 0; r < 1<<16; r++ {
		e.CursorRow, e.CursorColumn = r, 0
		base := e.CursorTextOffset()
		if base > off || base <= prev {
			break
		}
		prev = base
		e.CursorColumn = off - base
		// A refresh clamps the column to its row: only a place that
		// survives it exists.
		e.Refresh()
		if e.CursorTextOffset() == off {
			return true
		}
	}
	e.CursorRow, e.CursorColumn = row, col
	e.Refresh()
	return false
}
