package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Typing a sentence into a word-wrapped entry of any width keeps every
// space where it was typed, and Backspace deletes what was typed last,
// wherever the rows wrap.
func TestWrapEntry_SpacesAtWrapPointsStay(t *testing.T) {
	test.NewTempApp(t)
	const text = "Named reporter; officials on record, and a second source confirms the date"
	for w := float32(120); w <= 320; w += 10 {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			e := newWrapEntry(2)
			var changed string
			e.OnChanged = func(s string) { changed = s }
			win := test.NewTempWindow(t, e)
			win.Resize(fyne.NewSize(w, 120))
			win.Canvas().Focus(e)
			for _, r := range text {
				e.TypedRune(r)
			}
			if e.Text != text || changed != text {
				t.Fatalf("typed %q, entry has %q (OnChanged saw %q)", text, e.Text, changed)
			}
			for _, r := range " xy" {
				e.TypedRune(r)
			}
			for range 3 {
				e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
			}
			if e.Text != text {
				t.Fatalf("after typing and deleting \" xy\": %q", e.Text)
			}
		})
	}
}
