package app

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/timeline"
)

// tlItem is one dated entry placed on the axis. x0 and x1 are days since
// 1970-01-01: the first day of the entry and the end of its last one, so a
// single day spans one day and "2003–2005" three years.
type tlItem struct {
	x0, x1 float64
	lane   int
	e      *timeline.Entry
}

// tlCluster is what the view draws for one lane at one spot: a single
// entry or, when entries crowd within a few pixels, a bubble with their
// count. Its members are the lane's items first..last (indices into
// byLane[lane]) that reach into the visible range.
type tlCluster struct {
	lane        int
	x           float32 // centre, in the widget's coordinates
	first, last int
	n           int
	x0, x1      float32 // where the first and last members are
}

// Geometry of the view, in pixels.
const (
	tlAxisH      = 26  // tick labels across the top
	tlLabelW     = 112 // lane titles down the left
	tlRightPad   = 12
	tlBucket     = 20 // entries closer than this share a bubble
	tlDot        = 5  // radius of a single entry
	tlMinLaneH   = 22
	tlMaxLaneH   = 84
	tlMinTickPx  = 64  // labels need about this much room
	tlMaxPxDay   = 400 // the closest zoom: a day is 400 px
	tlMinSpanDay = 365.2425 * 600
)

// timelineView is the time axis: lanes of entries under adaptive ticks,
// zoomed with the wheel or +/-, panned by dragging or the arrow keys. It
// keeps canvas objects only for what is in view, and merges entries that
// fall within a few pixels of each other into one bubble, so 50,000
// entries cost about as much to draw as 500.
type timelineView struct {
	widget.BaseWidget

	items  []tlItem
	lanes  []string
	byLane [][]int32 // per lane, indices into items sorted by x0
	maxDur []float64 // per lane, the longest x1-x0, for ranges that start off screen

	t0    float64 // the day at the plot's left edge
	scale float64 // pixels per day
	fit   bool    // fit the items once the width is known

	clusters []tlCluster
	stale    bool // clusters need computing for the current view

	hover   int // index into clusters under the mouse, or -1
	hoverAt fyne.Position

	// onOpen is called for a tap on a single entry; sentence returns the
	// sentence around an entry if it is known, asking for it otherwise.
	onOpen   func(*timeline.Entry)
	sentence func(*timeline.Entry) string

	r *timelineRenderer
}

// laneKind picks the colour of a mark: each kind has its own, in either
// lane mode.
type laneKind int

const (
	lanePublished laneKind = iota
	laneMentioned
	laneMine
)

var (
	_ fyne.Tappable      = (*timelineView)(nil)
	_ fyne.Draggable     = (*timelineView)(nil)
	_ fyne.Scrollable    = (*timelineView)(nil)
	_ fyne.Focusable     = (*timelineView)(nil)
	_ desktop.Hoverable  = (*timelineView)(nil)
	_ desktop.Cursorable = (*timelineView)(nil)
)

func newTimelineView() *timelineView {
	v := &timelineView{scale: 1, hover: -1, fit: true}
	v.ExtendBaseWidget(v)
	return v
}

// dayOf converts a time to days since 1970-01-01.
func dayOf(t time.Time) float64 { return float64(t.Unix()) / 86400 }

// timeOf converts days since 1970-01-01 back to a time (UTC).
func timeOf(d float64) time.Time { return time.Unix(int64(math.Floor(d*86400)), 0).UTC() }

// SetItems replaces what the view shows. Items must be sorted by x0. The
// view keeps its zoom and position unless fitAll is set or it showed
// nothing before.
func (v *timelineView) SetItems(items []tlItem, lanes []string, fitAll bool) {
	v.items, v.lanes = items, lanes
	v.byLane = make([][]int32, len(lanes))
	v.maxDur = make([]float64, len(lanes))
	for i := range items {
		l := items[i].lane
		v.byLane[l] = append(v.byLane[l], int32(i))
		v.maxDur[l] = max(v.maxDur[l], items[i].x1-items[i].x0)
	}
	v.hover = -1
	if fitAll {
		v.fit = true
	}
	if v.fit && v.plotW() > 0 {
		v.FitAll()
	}
	v.changed()
}

func (v *timelineView) plotW() float32 {
	return max(0, v.Size().Width-tlLabelW-tlRightPad)
}

// xOf returns where day d is drawn, in widget coordinates.
func (v *timelineView) xOf(d float64) float32 {
	return tlLabelW + float32((d-v.t0)*v.scale)
}

// dayAt returns the day at widget x.
func (v *timelineView) dayAt(x float32) float64 {
	return v.t0 + float64(x-tlLabelW)/v.scale
}

// visibleDays returns the first and last day in view.
func (v *timelineView) visibleDays() (float64, float64) {
	return v.t0, v.t0 + float64(v.plotW())/v.scale
}

// FitAll zooms so that every item is in view.
func (v *timelineView) FitAll() {
	w := float64(v.plotW())
	if w <= 0 {
		v.fit = true
		return
	}
	v.fit = false
	if len(v.items) == 0 {
		now := dayOf(time.Now())
		v.setView(now-5*365, w/(10*365))
		return
	}
	lo, hi := v.items[0].x0, v.items[0].x1
	for i := range v.items {
		hi = max(hi, v.items[i].x1)
	}
	span := max(hi-lo, 30)
	v.setView(lo-span*0.04, w/(span*1.08))
}

// setView moves and zooms, keeping the scale within bounds, and marks the
// clusters stale.
func (v *timelineView) setView(t0, scale float64) {
	w := float64(max(v.plotW(), 1))
	scale = min(max(scale, w/tlMinSpanDay), tlMaxPxDay)
	v.t0, v.scale = t0, scale
	v.changed()
}

func (v *timelineView) changed() {
	v.stale = true
	v.hover = -1
	v.Refresh()
}

// ZoomAt zooms by factor (above 1 is in) keeping the day under widget x in
// place.
func (v *timelineView) ZoomAt(factor float64, x float32) {
	d := v.dayAt(x)
	scale := min(max(v.scale*factor, float64(max(v.plotW(), 1))/tlMinSpanDay), tlMaxPxDay)
	v.setView(d-float64(x-tlLabelW)/scale, scale)
}

// Zoom zooms about the centre of the plot.
func (v *timelineView) Zoom(factor float64) { v.ZoomAt(factor, tlLabelW+v.plotW()/2) }

// Pan moves the view right by dx pixels' worth of time (a drag to the
// right shows earlier dates, so it pans by -dx).
func (v *timelineView) Pan(dx float32) { v.setView(v.t0+float64(dx)/v.scale, v.scale) }

// Scrolled zooms with the mouse wheel (or a touchpad's vertical swipe)
// about the pointer, and pans with a horizontal swipe.
func (v *timelineView) Scrolled(ev *fyne.ScrollEvent) {
	switch {
	case ev.Scrolled.DY != 0:
		f := math.Pow(1.25, float64(ev.Scrolled.DY)/10)
		f = min(max(f, 1/1.6), 1.6)
		v.ZoomAt(f, ev.Position.X)
	case ev.Scrolled.DX != 0:
		v.Pan(-ev.Scrolled.DX)
	}
}

func (v *timelineView) Dragged(ev *fyne.DragEvent) { v.Pan(-ev.Dragged.DX) }
func (v *timelineView) DragEnd()                   {}

func (v *timelineView) Cursor() desktop.Cursor {
	if v.hover >= 0 {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

func (v *timelineView) FocusGained() {}
func (v *timelineView) FocusLost()   {}

func (v *timelineView) TypedRune(r rune) {
	switch r {
	case '+', '=':
		v.Zoom(1.5)
	case '-', '_':
		v.Zoom(1 / 1.5)
	case '0':
		v.FitAll()
		v.changed()
	}
}

func (v *timelineView) TypedKey(ev *fyne.KeyEvent) {
	step := v.plotW() / 8
	switch ev.Name {
	case fyne.KeyLeft:
		v.Pan(-step)
	case fyne.KeyRight:
		v.Pan(step)
	case fyne.KeyUp, fyne.KeyPlus, fyne.KeyEqual:
		v.Zoom(1.5)
	case fyne.KeyDown, fyne.KeyMinus:
		v.Zoom(1 / 1.5)
	case fyne.KeyHome:
		v.FitAll()
		v.changed()
	}
}

// Tapped opens a single entry, and zooms into a bubble until its entries
// come apart.
func (v *timelineView) Tapped(ev *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		c.Focus(v)
	}
	v.ensureClusters()
	k := v.clusterAt(ev.Position)
	if k < 0 {
		return
	}
	c := v.clusters[k]
	if c.n == 1 {
		if v.onOpen != nil {
			v.onOpen(v.items[v.byLane[c.lane][c.first]].e)
		}
		return
	}
	v.splitCluster(c)
}

// splitCluster zooms so that the bubble's entries spread over a third of
// the plot, centred where the bubble was; entries on the same day can come
// no further apart than the closest zoom allows.
func (v *timelineView) splitCluster(c tlCluster) {
	idx := v.byLane[c.lane]
	lo, hi := v.items[idx[c.first]].x0, v.items[idx[c.first]].x0
	for k := c.first; k <= c.last; k++ {
		lo, hi = min(lo, v.items[idx[k]].x0), max(hi, v.items[idx[k]].x0)
	}
	span := max(hi-lo, 0.5)
	scale := max(float64(v.plotW())/3/span, v.scale*2)
	mid := (lo + hi) / 2
	scale = min(scale, tlMaxPxDay)
	v.setView(mid-float64(v.plotW())/2/scale, scale)
}

func (v *timelineView) MouseIn(ev *desktop.MouseEvent) { v.MouseMoved(ev) }

func (v *timelineView) MouseMoved(ev *desktop.MouseEvent) {
	v.ensureClusters()
	k := v.clusterAt(ev.Position)
	if k == v.hover && (k < 0 || v.hoverAt == ev.Position) {
		return
	}
	v.hover, v.hoverAt = k, ev.Position
	v.Refresh()
}

func (v *timelineView) MouseOut() {
	if v.hover >= 0 {
		v.hover = -1
		v.Refresh()
	}
}

// laneGeom returns the top of the first lane and the height of each.
func (v *timelineView) laneGeom() (top, h float32) {
	n := max(len(v.lanes), 1)
	h = (v.Size().Height - tlAxisH) / float32(n)
	return tlAxisH, min(max(h, tlMinLaneH), tlMaxLaneH)
}

// clusterAt returns the cluster drawn at pos, or -1.
func (v *timelineView) clusterAt(pos fyne.Position) int {
	top, lh := v.laneGeom()
	if pos.Y < top || pos.X < tlLabelW-tlBucket {
		return -1
	}
	lane := int((pos.Y - top) / lh)
	if lane >= len(v.lanes) {
		return -1
	}
	best, bestD := -1, float32(tlBucket)/2+3
	for k, c := range v.clusters {
		if c.lane != lane {
			continue
		}
		if d := float32(math.Abs(float64(c.x - pos.X))); d <= max(bestD, v.radius(c.n)) && (best < 0 || d < bestD) {
			best, bestD = k, d
		}
	}
	return best
}

// radius of the mark for a cluster of n entries.
func (v *timelineView) radius(n int) float32 {
	if n <= 1 {
		return tlDot
	}
	return min(tlDot+3+float32(math.Log10(float64(n)))*3, tlBucket/2)
}

func (v *timelineView) ensureClusters() {
	if v.stale {
		v.clusters = v.buildClusters(v.clusters[:0])
		v.stale = false
	}
}

// buildClusters groups, lane by lane, the items in view into clusters: an
// item joins the open cluster while it lies within tlBucket pixels of the
// cluster's first item. Only items in view are visited (found by binary
// search), so the cost follows what is on screen.
func (v *timelineView) buildClusters(out []tlCluster) []tlCluster {
	from, to := v.visibleDays()
	margin := float64(tlBucket) / v.scale
	for lane, idx := range v.byLane {
		lo := sort.Search(len(idx), func(k int) bool { return v.items[idx[k]].x0 >= from-margin-v.maxDur[lane] })
		laneStart := len(out)
		open := false
		var cur tlCluster
		for k := lo; k < len(idx); k++ {
			it := &v.items[idx[k]]
			if it.x0 > to+margin {
				break
			}
			if it.x1 < from-margin {
				continue
			}
			x := max(v.xOf(it.x0), tlLabelW)
			if open && x-cur.x0 <= tlBucket {
				cur.last, cur.n, cur.x1 = k, cur.n+1, x
				continue
			}
			if open {
				out = appendCluster(out, laneStart, cur)
			}
			cur, open = tlCluster{lane: lane, first: k, last: k, n: 1, x0: x, x1: x}, true
		}
		if open {
			out = appendCluster(out, laneStart, cur)
		}
	}
	return out
}

// appendCluster adds c to the lane's clusters, merging it into the one
// before when their marks would touch: a bubble is drawn at the middle of
// its members, so two neighbours can end up closer than their members.
func appendCluster(out []tlCluster, laneStart int, c tlCluster) []tlCluster {
	c.x = (c.x0 + c.x1) / 2
	if n := len(out); n > laneStart && c.x-out[n-1].x < tlBucket {
		p := &out[n-1]
		p.last, p.n, p.x1 = c.last, p.n+c.n, c.x1
		p.x = (p.x0 + p.x1) / 2
		return out
	}
	return append(out, c)
}

// tick is one mark of the axis.
type tick struct {
	x     float32
	label string
	major bool // the start of a larger unit (a year among months)
}

// tickStep is one candidate spacing of the axis's ticks.
type tickStep struct {
	unit string  // "years", "months" or "days": what the ticks count
	n    int     // every n units
	days float64 // about how many days apart
}

var tickSteps = []tickStep{
	{"days", 1, 1}, {"days", 2, 2}, {"days", 5, 5}, {"days", 10, 10},
	{"months", 1, 30.44}, {"months", 3, 91.3}, {"months", 6, 182.6},
	{"years", 1, 365.24}, {"years", 2, 730.5}, {"years", 5, 1826},
	{"years", 10, 3652}, {"years", 20, 7305}, {"years", 50, 18262},
	{"years", 100, 36524},
}

// tickStep returns the finest spacing whose ticks are at least
// tlMinTickPx apart at the current zoom.
func (v *timelineView) tickStep() tickStep {
	for _, s := range tickSteps {
		if s.days*v.scale >= tlMinTickPx {
			return s
		}
	}
	return tickSteps[len(tickSteps)-1]
}

// TickUnit names what the axis's ticks count now: "decades" (10 years or
// more), "years", "months" or "days".
func (v *timelineView) TickUnit() string {
	s := v.tickStep()
	if s.unit == "years" && s.n >= 10 {
		return "decades"
	}
	return s.unit
}

// ticks returns the axis's ticks in view, aligned to calendar units.
func (v *timelineView) ticks(out []tick) []tick {
	s := v.tickStep()
	from, to := v.visibleDays()
	t, end := timeOf(from), timeOf(to)
	var cur time.Time
	switch s.unit {
	case "years":
		y := t.Year() - t.Year()%s.n
		cur = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	case "months":
		m := (int(t.Month()) - 1) / s.n * s.n
		cur = time.Date(t.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
	default:
		cur = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	for i := 0; !cur.After(end) && i < 400; i++ {
		next := cur
		var label string
		major := false
		switch s.unit {
		case "years":
			next = cur.AddDate(s.n, 0, 0)
			label = cur.Format("2006")
			major = cur.Year()%(s.n*5) == 0 || s.n == 1 && cur.Year()%10 == 0
		case "months":
			next = cur.AddDate(0, s.n, 0)
			label = cur.Format("Jan")
			if cur.Month() == time.January {
				label, major = cur.Format("2006"), true
			}
		default:
			// Days restart at each month's first, so the 1st is always a
			// tick (1, 6, 11 ... for every fifth day) and the month's last
			// tick keeps its distance from the next 1st.
			next = cur.AddDate(0, 0, s.n)
			if next.Month() != cur.Month() || s.n > 1 && next.Day() > daysInMonth(cur)-s.n/2 {
				next = time.Date(cur.Year(), cur.Month()+1, 1, 0, 0, 0, 0, time.UTC)
			}
			label, major = cur.Format("2 Jan"), cur.Day() == 1
			if major && cur.Month() == time.January {
				label = cur.Format("2 Jan 2006")
			}
		}
		out = append(out, tick{x: v.xOf(dayOf(cur)), label: label, major: major})
		cur = next
	}
	return out
}

func daysInMonth(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (v *timelineView) MinSize() fyne.Size {
	return fyne.NewSize(tlLabelW+200, tlAxisH+tlMinLaneH*3)
}

func (v *timelineView) CreateRenderer() fyne.WidgetRenderer {
	v.r = &timelineRenderer{v: v}
	v.r.tipBG = canvas.NewRectangle(color.Transparent)
	v.r.tipBG.CornerRadius = 4
	v.r.tipBG.StrokeWidth = 1
	v.r.tipBG.Hide()
	return v.r
}

// pool hands out canvas objects of one kind, making more when a frame
// needs more than any before, and hides those a frame did not use.
type pool[T fyne.CanvasObject] struct {
	objs []T
	used int
	mk   func() T
	grew bool
}

func (p *pool[T]) next() T {
	if p.used == len(p.objs) {
		p.objs = append(p.objs, p.mk())
		p.grew = true
	}
	o := p.objs[p.used]
	p.used++
	return o
}

func (p *pool[T]) finish() {
	for _, o := range p.objs[p.used:] {
		if o.Visible() {
			o.Hide()
		}
	}
	p.used = 0
}

type timelineRenderer struct {
	v *timelineView

	grid      pool[*canvas.Line]
	tickTexts pool[*canvas.Text]
	laneLines pool[*canvas.Line]
	laneTexts pool[*canvas.Text]
	bars      pool[*canvas.Rectangle]
	dots      pool[*canvas.Circle]
	counts    pool[*canvas.Text]
	tipBG     *canvas.Rectangle
	tipTexts  pool[*canvas.Text]

	ticks   []tick
	objects []fyne.CanvasObject
}

func (r *timelineRenderer) Destroy()                     {}
func (r *timelineRenderer) MinSize() fyne.Size           { return r.v.MinSize() }
func (r *timelineRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *timelineRenderer) Layout(fyne.Size)             { r.update() }
func (r *timelineRenderer) Refresh()                     { r.update() }

// Marks are coloured by kind, in every theme.
func kindColor(th fyne.Theme, v fyne.ThemeVariant, k laneKind) color.Color {
	switch k {
	case lanePublished:
		return th.Color(theme.ColorNamePrimary, v)
	case laneMine:
		return th.Color(theme.ColorNameSuccess, v)
	case laneMentioned:
		return th.Color(theme.ColorNameWarning, v)
	}
	return th.Color(theme.ColorNameForeground, v)
}

func entryKind(e *timeline.Entry) laneKind {
	switch e.Kind {
	case timeline.KindPublished:
		return lanePublished
	case timeline.KindMine:
		return laneMine
	}
	return laneMentioned
}

// update places every object for the current view. It runs on each
// Refresh and Layout and never calls Refresh on the widget itself.
func (r *timelineRenderer) update() {
	v := r.v
	size := v.Size()
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	if v.fit && v.plotW() > 0 {
		v.fit = false
		v.FitAll()
	}
	v.ensureClusters()
	th := v.Theme()
	vr := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, vr)
	muted := th.Color(colorNameMuted, vr)
	gridC := th.Color(theme.ColorNameSeparator, vr)
	bg := th.Color(theme.ColorNameBackground, vr)
	capSize := th.Size(theme.SizeNameCaptionText)
	plotR := size.Width - tlRightPad

	if r.grid.mk == nil {
		r.grid.mk = func() *canvas.Line { return canvas.NewLine(gridC) }
		r.laneLines.mk = r.grid.mk
		mkText := func() *canvas.Text { return canvas.NewText("", fg) }
		r.tickTexts.mk, r.laneTexts.mk, r.counts.mk, r.tipTexts.mk = mkText, mkText, mkText, mkText
		r.bars.mk = func() *canvas.Rectangle { return canvas.NewRectangle(fg) }
		r.dots.mk = func() *canvas.Circle { return canvas.NewCircle(fg) }
	}

	// Ticks: a faint line down through every lane, a label at the top.
	top, lh := v.laneGeom()
	lanesBottom := top + lh*float32(len(v.lanes))
	r.ticks = v.ticks(r.ticks[:0])
	lastLabelEnd := float32(-1e9)
	for _, t := range r.ticks {
		if t.x < tlLabelW || t.x > plotR {
			continue
		}
		ln := r.grid.next()
		ln.StrokeColor = gridC
		ln.StrokeWidth = 1
		if t.major {
			ln.StrokeWidth = 2
		}
		ln.Position1, ln.Position2 = fyne.NewPos(t.x, tlAxisH-6), fyne.NewPos(t.x, lanesBottom)
		ln.Show()
		ln.Refresh()
		tx := r.tickTexts.next()
		tx.Text, tx.TextSize, tx.Color = t.label, capSize, muted
		tx.TextStyle = fyne.TextStyle{Bold: t.major}
		w := fyne.MeasureText(t.label, capSize, tx.TextStyle).Width
		if t.x+3 < lastLabelEnd+4 || t.x+3+w > plotR+tlRightPad/2 {
			tx.Hide()
			continue
		}
		lastLabelEnd = t.x + 3 + w
		tx.Move(fyne.NewPos(t.x+3, 4))
		tx.Show()
		tx.Refresh()
	}

	// Lanes: a title on the left and a line under each.
	for i, name := range v.lanes {
		y := top + float32(i)*lh
		ln := r.laneLines.next()
		ln.StrokeColor, ln.StrokeWidth = gridC, 1
		ln.Position1, ln.Position2 = fyne.NewPos(0, y+lh), fyne.NewPos(size.Width, y+lh)
		ln.Show()
		ln.Refresh()
		tx := r.laneTexts.next()
		tx.Text = ellipsize(name, 16)
		tx.TextSize, tx.Color = capSize, fg
		tx.TextStyle = fyne.TextStyle{Bold: true}
		tx.Move(fyne.NewPos(theme.Padding(), y+(lh-capSize*1.3)/2))
		tx.Show()
		tx.Refresh()
	}
	base := r.grid.next() // the axis line under the tick labels
	base.StrokeColor, base.StrokeWidth = gridC, 1
	base.Position1, base.Position2 = fyne.NewPos(tlLabelW, tlAxisH), fyne.NewPos(plotR, tlAxisH)
	base.Show()
	base.Refresh()

	// Entries: a bar under a single entry that spans several pixels, a dot
	// for a single entry, a bubble with a count for a cluster.
	for k, c := range v.clusters {
		y := top + float32(c.lane)*lh + lh/2
		it := &v.items[v.byLane[c.lane][c.first]]
		col := kindColor(th, vr, entryKind(it.e))
		if c.n == 1 {
			if x0, x1 := max(v.xOf(it.x0), tlLabelW), min(v.xOf(it.x1), plotR); x1-x0 > 2*tlDot {
				bar := r.bars.next()
				bar.FillColor = withAlpha(col, 0x60)
				bar.CornerRadius = 3
				bar.Move(fyne.NewPos(x0, y-tlDot+1))
				bar.Resize(fyne.NewSize(x1-x0, 2*tlDot-2))
				bar.Show()
				bar.Refresh()
			}
		}
		rad := v.radius(c.n)
		if k == v.hover {
			rad += 2
		}
		if c.x < tlLabelW-1 || c.x > plotR+1 {
			continue
		}
		d := r.dots.next()
		d.FillColor = col
		d.StrokeColor, d.StrokeWidth = bg, 1.5
		if c.n > 1 {
			d.FillColor = withAlpha(col, 0xd0)
		}
		d.Move(fyne.NewPos(c.x-rad, y-rad))
		d.Resize(fyne.NewSize(2*rad, 2*rad))
		d.Show()
		d.Refresh()
		if c.n > 1 {
			tx := r.counts.next()
			tx.Text = compactCount(c.n)
			tx.TextSize = capSize * 0.85
			tx.Color = bg
			tx.TextStyle = fyne.TextStyle{Bold: true}
			tx.Alignment = fyne.TextAlignCenter
			tw := fyne.MeasureText(tx.Text, tx.TextSize, tx.TextStyle)
			tx.Move(fyne.NewPos(c.x-tw.Width/2, y-tw.Height/2))
			tx.Resize(tw)
			tx.Show()
			tx.Refresh()
		}
	}

	r.drawTip(th, vr, capSize)

	grew := r.grid.grew || r.tickTexts.grew || r.laneLines.grew || r.laneTexts.grew ||
		r.bars.grew || r.dots.grew || r.counts.grew || r.tipTexts.grew || r.objects == nil
	for _, p := range []interface{ finish() }{&r.grid, &r.tickTexts, &r.laneLines, &r.laneTexts, &r.bars, &r.dots, &r.counts, &r.tipTexts} {
		p.finish()
	}
	if grew {
		r.grid.grew, r.tickTexts.grew, r.laneLines.grew, r.laneTexts.grew = false, false, false, false
		r.bars.grew, r.dots.grew, r.counts.grew, r.tipTexts.grew = false, false, false, false
		r.objects = r.objects[:0]
		for _, o := range r.grid.objs {
			r.objects = append(r.objects, o)
		}
		for _, o := range r.laneLines.objs {
			r.objects = append(r.objects, o)
		}
		for _, o := range r.bars.objs {
			r.objects = append(r.objects, o)
		}
		for _, o := range r.dots.objs {
			r.objects = append(r.objects, o)
		}
		for _, o := range r.counts.objs {
			r.objects = append(r.objects, o)
		}
		for _, o := range r.tickTexts.objs {
			r.objects = append(r.objects, o)
		}
		for _, o := range r.laneTexts.objs {
			r.objects = append(r.objects, o)
		}
		r.objects = append(r.objects, r.tipBG)
		for _, o := range r.tipTexts.objs {
			r.objects = append(r.objects, o)
		}
	}
}

// drawTip shows, next to the hovered mark, what it stands for: the
// entry's date, kind and title, and the sentence it comes from; for a
// bubble, how many entries it holds and over what dates.
func (r *timelineRenderer) drawTip(th fyne.Theme, vr fyne.ThemeVariant, textSize float32) {
	v := r.v
	if v.hover < 0 || v.hover >= len(v.clusters) {
		r.tipBG.Hide()
		return
	}
	lines := v.tipLines(v.clusters[v.hover])
	const maxW = 380
	var w, h float32
	style := fyne.TextStyle{}
	lineH := fyne.MeasureText("Mg", textSize, style).Height
	for i, l := range lines {
		s := style
		if i == 0 {
			s.Bold = true
		}
		tx := r.tipTexts.next()
		tx.Text, tx.TextSize, tx.TextStyle = l, textSize, s
		tx.Color = th.Color(theme.ColorNameForeground, vr)
		w = max(w, min(fyne.MeasureText(l, textSize, s).Width, maxW))
		h += lineH
	}
	pad := theme.Padding()
	size := v.Size()
	x := v.hoverAt.X + 14
	if x+w+2*pad > size.Width {
		x = max(0, v.hoverAt.X-14-w-2*pad)
	}
	y := v.hoverAt.Y + 16
	if y+h+2*pad > size.Height {
		y = max(0, v.hoverAt.Y-16-h-2*pad)
	}
	r.tipBG.FillColor = th.Color(theme.ColorNameOverlayBackground, vr)
	r.tipBG.StrokeColor = th.Color(theme.ColorNameSeparator, vr)
	r.tipBG.Move(fyne.NewPos(x, y))
	r.tipBG.Resize(fyne.NewSize(w+2*pad, h+2*pad))
	r.tipBG.Show()
	r.tipBG.Refresh()
	for i, tx := range r.tipTexts.objs[:r.tipTexts.used] {
		tx.Move(fyne.NewPos(x+pad, y+pad+float32(i)*lineH))
		tx.Show()
		tx.Refresh()
	}
}

// tipLines returns the hover text for a cluster, wrapped for the tooltip.
func (v *timelineView) tipLines(c tlCluster) []string {
	idx := v.byLane[c.lane]
	first := v.items[idx[c.first]].e
	if c.n > 1 {
		last := v.items[idx[c.last]].e
		lines := []string{fmt.Sprintf("%s entries, %s – %s", compactCount(c.n), first.Human(), last.Human())}
		shown := 0
		for k := c.first; k <= c.last && shown < 4; k++ {
			e := v.items[idx[k]].e
			lines = append(lines, ellipsize(e.Human()+"  "+orDefault(e.Text, e.Label), 60))
			shown++
		}
		if c.n > shown {
			lines = append(lines, "… click to zoom in")
		}
		return lines
	}
	e := first
	var what string
	switch e.Kind {
	case timeline.KindPublished:
		what = "published"
	case timeline.KindMine:
		what = "my event"
	default:
		what = "“" + e.Text + "”"
	}
	lines := []string{ellipsize(e.Human()+" · "+what, 60), ellipsize(orDefault(e.Label, "Untitled"), 60)}
	if e.Kind == timeline.KindMentioned && v.sentence != nil {
		if s := v.sentence(e); s != "" {
			lines = append(lines, wrapWords(s, 60, 4)...)
		} else {
			lines = append(lines, "…")
		}
	}
	if e.Note != "" {
		lines = append(lines, wrapWords(e.Note, 60, 2)...)
	}
	return lines
}

// wrapWords breaks s into at most maxLines lines of about width
// characters, with an ellipsis when it had to cut.
func wrapWords(s string, width, maxLines int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(s) {
		if cur.Len() > 0 && len([]rune(cur.String()))+1+len([]rune(w)) > width {
			lines = append(lines, cur.String())
			cur.Reset()
			if len(lines) == maxLines {
				lines[maxLines-1] = ellipsize(lines[maxLines-1], width-1) + "…"
				return lines
			}
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, ellipsize(cur.String(), width))
	}
	return lines
}

func compactCount(n int) string {
	switch {
	case n >= 10000:
		return fmt.Sprintf("%dk", n/1000)
	case n >= 1000:
		return fmt.Sprintf("%.1fk", float64(n)/1000)
	}
	return fmt.Sprint(n)
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), a}
}
