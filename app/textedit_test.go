package app

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func newTestEditor(tb testing.TB, text string) (*docView, fyne.Window) {
	tb.Helper()
	newTestApp(tb)
	d := newEditorView()
	w := test.NewTempWindow(tb, d)
	w.Resize(fyne.NewSize(800, 600))
	d.SetEditText(text)
	w.Canvas().Focus(d.tv)
	return d, w
}

func key(tv *textView, names ...fyne.KeyName) {
	for _, n := range names {
		tv.TypedKey(&fyne.KeyEvent{Name: n})
	}
}

func TestEditor_TypeMoveDeleteAndUndo(t *testing.T) {
	d, _ := newTestEditor(t, "")
	tv := d.tv
	test.Type(tv, "Kant airbase")
	if got, want := tv.text, "Kant airbase"; got != want {
		t.Fatalf("typed text = %q, want %q", got, want)
	}
	key(tv, fyne.KeyHome)
	test.Type(tv, "The ")
	key(tv, fyne.KeyEnd, fyne.KeyReturn)
	test.Type(tv, "Кант")
	key(tv, fyne.KeyBackspace, fyne.KeyLeft, fyne.KeyDelete)
	if got, want := tv.text, "The Kant airbase\nКа"; got != want {
		t.Fatalf("after editing = %q, want %q", got, want)
	}
	steps := []string{"The Kant airbase\nКант", "The Kant airbase", "Kant airbase", "Kant ", ""}
	for _, want := range steps {
		tv.TypedShortcut(&fyne.ShortcutUndo{})
		if tv.text != want {
			t.Fatalf("undo gave %q, want %q", tv.text, want)
		}
	}
	if tv.Undo() {
		t.Fatal("undo past the first change")
	}
	slices.Reverse(steps)
	for _, want := range append(steps[1:], "The Kant airbase\nКа") {
		tv.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: ctrl | fyne.KeyModifierShift})
		if tv.text != want {
			t.Fatalf("redo gave %q, want %q", tv.text, want)
		}
	}
}

func TestEditor_ShiftSelectionCutPaste(t *testing.T) {
	d, w := newTestEditor(t, "alpha beta gamma")
	tv := d.tv
	key(tv, fyne.KeyHome)
	tv.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	for range len("alpha") {
		key(tv, fyne.KeyRight)
	}
	tv.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	if got := tv.SelectedText(); got != "alpha" {
		t.Fatalf("Shift+Right selected %q", got)
	}
	tv.TypedShortcut(&fyne.ShortcutCut{Clipboard: w.Clipboard()})
	tv.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyEnd, Modifier: ctrl})
	test.Type(tv, " ")
	tv.TypedShortcut(&fyne.ShortcutPaste{Clipboard: w.Clipboard()})
	if got, want := tv.text, " beta gamma alpha"; got != want {
		t.Fatalf("after cut and paste = %q, want %q", got, want)
	}
	tv.TypedShortcut(&fyne.ShortcutSelectAll{})
	test.Type(tv, "x")
	if tv.text != "x" {
		t.Fatalf("typing over Ctrl+A left %q", tv.text)
	}
}

func TestEditor_UpDownKeepColumnAndTabIndents(t *testing.T) {
	d, _ := newTestEditor(t, "abcdef\nab\nabcdef")
	tv := d.tv
	tv.moveCaret(5, false, false)
	key(tv, fyne.KeyDown)
	if tv.caret != 9 {
		t.Fatalf("Down from column 5 onto a 2-letter line: caret %d, want 9 (line end)", tv.caret)
	}
	key(tv, fyne.KeyDown)
	if tv.caret != 15 {
		t.Fatalf("Down again: caret %d, want 15 (column 5 kept)", tv.caret)
	}
	key(tv, fyne.KeyTab)
	if !strings.Contains(tv.text, "abcde    f") {
		t.Fatalf("Tab inserted nothing: %q", tv.text)
	}
}

// The incremental rewrap after each edit must lay the text out exactly as
// wrapping it all from scratch would.
func TestEditor_IncrementalWrapMatchesFullWrap(t *testing.T) {
	d, _ := newTestEditor(t, longText(6000))
	tv := d.tv
	rng := rand.New(rand.NewSource(1))
	inserts := []string{"x", " ", "\n", "word ", "\n\n", "Кант", "long paragraph text that wraps over the line end and more "}
	for i := range 400 {
		o := tv.clampOffset(rng.Intn(len(tv.text) + 1))
		switch rng.Intn(3) {
		case 0:
			tv.moveCaret(o, false, false)
			tv.Insert(inserts[rng.Intn(len(inserts))])
		case 1:
			tv.moveCaret(o, false, false)
			key(tv, fyne.KeyBackspace)
		case 2:
			e := tv.clampOffset(o + rng.Intn(200))
			tv.Replace(o, e, "")
		}
		want := wrapText(tv.text, tv.colW, tv.adv.width)
		if !slices.Equal(tv.lines, want) {
			t.Fatalf("edit %d: incremental wrap differs from a full wrap", i)
		}
		if len(tv.tops) != len(tv.lines)+1 {
			t.Fatalf("edit %d: %d tops for %d lines", i, len(tv.tops), len(tv.lines))
		}
	}
}

func TestEditor_TypingRunsAreOneUndoStep(t *testing.T) {
	d, _ := newTestEditor(t, "")
	tv := d.tv
	test.Type(tv, "one two")
	tv.ed.undo[len(tv.ed.undo)-1].when = time.Now().Add(-time.Hour) // a pause
	test.Type(tv, "three")
	tv.Undo()
	if tv.text != "one two" {
		t.Fatalf("undo after a pause gave %q, want %q", tv.text, "one two")
	}
	tv.Undo()
	if tv.text != "one " {
		t.Fatalf("second undo gave %q, want %q (a word with its space is one step)", tv.text, "one ")
	}
}

// BenchmarkNoteKeystroke50k types into the middle of a 50,000-character
// note in the editor and measures each keystroke until its lines are
// redrawn. Target: p95 under 16 ms (one frame).
func BenchmarkNoteKeystroke50k(b *testing.B) {
	text := []rune(longText(60_000))
	d, _ := newTestEditor(b, string(text[:50_000]))
	tv := d.tv
	tv.moveCaret(len(tv.text)/2, false, false)
	tv.moveCaret(tv.lines[tv.lineAt(tv.caret)].start, false, false)
	typed := []rune("the airbase in Kant opened in 2003; Кант. ")
	lat := make([]time.Duration, 0, 1024)
	i := 0
	for b.Loop() {
		start := time.Now()
		if i%50 == 49 {
			tv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		} else {
			tv.TypedRune(typed[i%len(typed)])
		}
		lat = append(lat, time.Since(start))
		i++
	}
	b.ReportMetric(float64(percentile(lat, 50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 95).Microseconds())/1000, "p95-ms")
}
