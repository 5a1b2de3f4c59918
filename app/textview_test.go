package app

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"dossier/notes"
)

// longText returns about n bytes of prose in paragraphs, with some
// non-ASCII text so that byte and code point offsets differ.
func longText(n int) string {
	para := "The Russian airbase in Kant, Kyrgyzstan, opened on October 23, 2003 — a ceremony Putin attended. " +
		"Insiders cite a “leaked memo”; others say the base has been operational since 2017. Кант авиабаза. "
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(para)
		if i%4 == 3 {
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// newTestApp starts a headless app with Dossier's theme (its highlight
// colours are not in Fyne's test theme).
func newTestApp(tb testing.TB) fyne.App {
	a := test.NewTempApp(tb)
	a.Settings().SetTheme(newTheme(themeLight))
	return a
}

func newTestDocView(t testing.TB, text string, hits []notes.Span) (*docView, fyne.Window) {
	t.Helper()
	newTestApp(t)
	d := newDocView()
	w := test.NewTempWindow(t, d)
	w.Resize(fyne.NewSize(800, 600))
	d.SetText(text, hits)
	return d, w
}

func TestWrapText_CoversTextWithinWidth(t *testing.T) {
	text := longText(5000) + "\nsupercalifragilisticexpialidocious-and-then-some-more-words\n\nend"
	width := func(rune) float32 { return 7 }
	lines := wrapText(text, 200, width)
	next := 0
	for i, ln := range lines {
		if ln.start != next {
			t.Fatalf("line %d starts at %d, want %d (lines must tile the text)", i, ln.start, next)
		}
		w := float32(0)
		for _, r := range strings.TrimRight(text[ln.start:ln.end], " ") {
			w += width(r)
		}
		if w > 200 {
			t.Errorf("line %d %q is %.0f wide, want ≤ 200", i, text[ln.start:ln.end], w)
		}
		next = ln.end
		if next < len(text) && text[next] == '\n' {
			next++
		}
	}
	if next != len(text) {
		t.Fatalf("lines end at %d, want %d", next, len(text))
	}
}

func TestWrapText_EmptyAndBlankLines(t *testing.T) {
	if got := wrapText("", 100, func(rune) float32 { return 5 }); len(got) != 1 {
		t.Fatalf("empty text: %d lines, want 1", len(got))
	}
	if got := wrapText("a\n\nb", 100, func(rune) float32 { return 5 }); len(got) != 3 {
		t.Fatalf("a, blank, b: %d lines, want 3", len(got))
	}
}

func TestTextView_DrawsOnlyVisibleLines(t *testing.T) {
	text := longText(200_000)
	d, _ := newTestDocView(t, text, nil)
	tv := d.tv
	if len(tv.lines) < 1000 {
		t.Fatalf("200 KB wrapped into %d lines; want over a thousand", len(tv.lines))
	}
	visible := 0
	for _, o := range tv.r.texts {
		if o.Visible() {
			visible++
		}
	}
	if visible == 0 || visible > 100 {
		t.Fatalf("%d text objects drawn for a 600 px view; want a screenful", visible)
	}
}

func TestTextView_SelectionIsInCodePoints(t *testing.T) {
	text := "Кант base — “memo” here"
	d, _ := newTestDocView(t, text, nil)
	tv := d.tv
	s := strings.Index(text, "“memo”")
	e := s + len("“memo”")
	tv.Select(s, e)
	gs, ge := tv.Selection()
	if want := utf8.RuneCountInString(text[:s]); gs != want {
		t.Errorf("Selection start = %d, want %d code points", gs, want)
	}
	if want := utf8.RuneCountInString(text[:e]); ge != want {
		t.Errorf("Selection end = %d, want %d code points", ge, want)
	}
	if got := tv.SelectedText(); got != "“memo”" {
		t.Errorf("SelectedText = %q", got)
	}
}

func TestTextView_DragSelectsAndCtrlCCopies(t *testing.T) {
	text := "First line of the document.\nSecond line follows here."
	d, w := newTestDocView(t, text, nil)
	tv := d.tv
	y := tv.lineTop(0) + tv.lineH/2
	start := fyne.NewPos(tv.colX+1, y)
	tv.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: start}, Button: desktop.MouseButtonPrimary})
	end := fyne.NewPos(tv.colX+tv.measure(0, len("First line")), y)
	tv.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: end}, Dragged: fyne.NewDelta(end.X-start.X, 0)})
	tv.DragEnd()
	if got := tv.SelectedText(); got != "First line" {
		t.Fatalf("dragged selection = %q, want %q", got, "First line")
	}
	tv.TypedShortcut(&fyne.ShortcutCopy{Clipboard: w.Clipboard()})
	if got := fyne.CurrentApp().Clipboard().Content(); got != "First line" {
		t.Fatalf("clipboard = %q after Ctrl+C", got)
	}
	tv.TypedShortcut(&fyne.ShortcutSelectAll{})
	if got := tv.SelectedText(); got != text {
		t.Fatalf("Ctrl+A selected %q", got)
	}
}

func TestTextView_DoubleTapSelectsWord(t *testing.T) {
	text := "The airbase in Kant."
	d, _ := newTestDocView(t, text, nil)
	tv := d.tv
	x := tv.colX + tv.measure(0, strings.Index(text, "airbase")+2)
	tv.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(x, tv.lineTop(0)+tv.lineH/2)})
	if got := tv.SelectedText(); got != "airbase" {
		t.Fatalf("double tap selected %q, want airbase", got)
	}
}

func TestTextView_CurrentHitScrollsIntoView(t *testing.T) {
	text := longText(100_000)
	last := strings.LastIndex(text, "Putin")
	hits := []notes.Span{{Start: 4, End: 10}, {Start: last, End: last + len("Putin")}}
	d, _ := newTestDocView(t, text, hits)
	tv := d.tv
	tv.SetCurrentHit(1)
	y := tv.lineTop(tv.lineAt(last))
	if y < tv.viewY || y > tv.viewY+tv.viewH {
		t.Fatalf("hit at y=%.0f not in view [%.0f, %.0f]", y, tv.viewY, tv.viewY+tv.viewH)
	}
	if d.scroll.Offset.Y == 0 {
		t.Fatal("scroll offset did not move")
	}
}

func TestTextView_BadSpansAreDropped(t *testing.T) {
	text := "Кант"
	d, _ := newTestDocView(t, text, []notes.Span{{Start: 1, End: 3}, {Start: 0, End: 99}, {Start: 2, End: 4}, {Start: 3, End: 2}})
	if got := len(d.tv.hits); got != 1 {
		t.Fatalf("kept %d spans, want only the one on rune boundaries inside the text", got)
	}
}

// BenchmarkReader_Open200KB measures showing a 200 KB document: wrapping it
// and drawing the first screen.
func BenchmarkReader_Open200KB(b *testing.B) {
	newTestApp(b)
	text := longText(200_000)
	d := newDocView()
	w := test.NewTempWindow(b, d)
	w.Resize(fyne.NewSize(900, 700))
	var worst time.Duration
	for b.Loop() {
		start := time.Now()
		d.SetText(text, nil)
		// A different text each time defeats the unchanged-text shortcut.
		d.tv.wrapW = 0
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}

// BenchmarkReader_Scroll200KB measures one scroll step through a 200 KB
// document.
func BenchmarkReader_Scroll200KB(b *testing.B) {
	newTestApp(b)
	d := newDocView()
	w := test.NewTempWindow(b, d)
	w.Resize(fyne.NewSize(900, 700))
	d.SetText(longText(200_000), nil)
	maxY := d.tv.MinSize().Height - 700
	y := float32(0)
	for b.Loop() {
		y += 40
		if y > maxY {
			y = 0
		}
		d.scroll.ScrollToOffset(fyne.NewPos(0, y))
		d.tv.setViewport(y, 700)
	}
}
