package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// snippetPart is a run of a snippet's text, marked (a matched word) or not.
type snippetPart struct {
	text string
	mark bool
}

// textLine draws one line of text, cut with an ellipsis where its row
// ends; marked parts (a snippet's matched words) are bold in the accent
// colour. List rows use it for titles, metadata and snippets instead of a
// truncating Label or RichText, which shapes its whole text again on every
// layout: that was most of the time it took to show a page of results.
type textLine struct {
	widget.BaseWidget
	parts []snippetPart
	bold  bool                // plain parts in bold
	color fyne.ThemeColorName // of plain parts; "" is the foreground
	size  fyne.ThemeSizeName  // "" is the text size
	adv   [2]advances         // plain and marked
}

func newTextLine(bold bool, color fyne.ThemeColorName, size fyne.ThemeSizeName) *textLine {
	s := &textLine{bold: bold, color: color, size: size}
	s.adv[0].style = fyne.TextStyle{Bold: bold}
	s.adv[1].style = fyne.TextStyle{Bold: true}
	s.ExtendBaseWidget(s)
	return s
}

// SetText replaces the text with one plain part.
func (s *textLine) SetText(text string) {
	s.SetParts([]snippetPart{{text: text}})
}

// advances returns the glyph widths for marked or plain text at size.
func (s *textLine) advances(size float32, mark bool) *advances {
	a := &s.adv[0]
	if mark {
		a = &s.adv[1]
	}
	if a.size != size {
		a.reset(size)
	}
	return a
}

func (s *textLine) textSize() float32 {
	if s.size == "" {
		return s.Theme().Size(theme.SizeNameText)
	}
	return s.Theme().Size(s.size)
}

// SetParts replaces the text.
func (s *textLine) SetParts(parts []snippetPart) {
	s.parts = parts
	s.Refresh()
}

func (s *textLine) CreateRenderer() fyne.WidgetRenderer {
	r := &textLineRenderer{s: s, ellipsis: canvas.NewText("…", color.Black)}
	r.Refresh()
	return r
}

type textLineRenderer struct {
	s        *textLine
	texts    []*canvas.Text
	ellipsis *canvas.Text
	objects  []fyne.CanvasObject
}

func (r *textLineRenderer) Destroy() {}

func (r *textLineRenderer) MinSize() fyne.Size {
	th := r.s.Theme()
	h := fyne.MeasureText("Mg", r.s.textSize(), fyne.TextStyle{Bold: r.s.bold}).Height
	return fyne.NewSize(4*h, h+2*th.Size(theme.SizeNameInnerPadding))
}

func (r *textLineRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *textLineRenderer) Refresh() {
	th := r.s.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	size := r.s.textSize()
	plain := theme.ColorNameForeground
	if r.s.color != "" {
		plain = r.s.color
	}
	for len(r.texts) < len(r.s.parts) {
		r.texts = append(r.texts, canvas.NewText("", color.Black))
	}
	for i, t := range r.texts {
		if i >= len(r.s.parts) {
			t.Text = ""
			continue
		}
		p := r.s.parts[i]
		t.TextSize = size
		t.TextStyle = fyne.TextStyle{Bold: p.mark || r.s.bold}
		t.Color = th.Color(plain, v)
		if p.mark {
			t.Color = th.Color(theme.ColorNamePrimary, v)
		}
	}
	r.ellipsis.TextSize = size
	r.ellipsis.TextStyle = fyne.TextStyle{Bold: r.s.bold}
	r.ellipsis.Color = th.Color(plain, v)
	r.objects = r.objects[:0]
	for _, t := range r.texts {
		r.objects = append(r.objects, t)
	}
	r.objects = append(r.objects, r.ellipsis)
	r.Layout(r.s.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

// Layout places the parts left to right and cuts the first one that does
// not fit, so that the ellipsis ends the line. Where a part goes is found
// by summing cached glyph advances; only the text actually drawn is shaped
// (and Fyne caches that), so a long snippet costs no more than a short one.
func (r *textLineRenderer) Layout(size fyne.Size) {
	th := r.s.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	x, avail := pad, size.Width-pad
	ellW := fyne.MeasureText("…", r.ellipsis.TextSize, r.ellipsis.TextStyle).Width
	r.ellipsis.Hide()
	cut := false
	for i, t := range r.texts {
		if i >= len(r.s.parts) || cut {
			t.Hide()
			continue
		}
		p := r.s.parts[i]
		adv := r.s.advances(t.TextSize, p.mark)
		room := avail - x
		if i < len(r.s.parts)-1 || adv.sum(p.text) > room {
			room -= ellW // something follows, or this part is cut
		}
		t.Text = p.text
		if adv.sum(p.text) > room {
			t.Text = adv.fit(p.text, room)
			cut = true
		}
		w := fyne.MeasureText(t.Text, t.TextSize, t.TextStyle).Width
		t.Move(fyne.NewPos(x, pad))
		t.Resize(fyne.NewSize(w, size.Height-2*pad))
		t.Show()
		x += w
		if cut {
			r.ellipsis.Move(fyne.NewPos(x, pad))
			r.ellipsis.Resize(fyne.NewSize(ellW, size.Height-2*pad))
			r.ellipsis.Show()
		}
	}
}
