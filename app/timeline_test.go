package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/notes"
	"dossier/timeline"
)

// openTimeline shows the Timeline tab of a UI on the seeded corpus and
// waits until it has collected the timeline.
func openTimeline(t *testing.T) (*UI, *uiLoop, *timelineView) {
	t.Helper()
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	u.tabs.Select(u.timelineTab)
	l.until(t, "the timeline to load", func() bool { return u.timeline.set != nil })
	v := u.timeline.view
	if v.Size().Width < 300 {
		t.Fatalf("the timeline view is %v wide", v.Size())
	}
	return u, l, v
}

// viewPos returns where pos of the view is on the window's canvas.
func viewPos(v *timelineView, pos fyne.Position) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(v).Add(pos)
}

// itemFor returns the item the view shows for the entry that satisfies
// match.
func itemFor(t *testing.T, v *timelineView, what string, match func(e *timeline.Entry) bool) *tlItem {
	t.Helper()
	for i := range v.items {
		if match(v.items[i].e) {
			return &v.items[i]
		}
	}
	t.Fatalf("no item for %s on the timeline", what)
	return nil
}

// clusterOf returns the cluster drawn for item it, or fails.
func clusterOf(t *testing.T, v *timelineView, it *tlItem) tlCluster {
	t.Helper()
	v.ensureClusters()
	for _, c := range v.clusters {
		if c.lane != it.lane {
			continue
		}
		for k := c.first; k <= c.last; k++ {
			if &v.items[v.byLane[c.lane][k]] == it {
				return c
			}
		}
	}
	t.Fatalf("item %q (%s) is not drawn", it.e.Text, it.e.Human())
	return tlCluster{}
}

// laneY returns the vertical middle of lane i.
func laneY(v *timelineView, i int) float32 {
	top, h := v.laneGeom()
	return top + float32(i)*h + h/2
}

func TestTimelinePane_WheelZoomRefinesTicksFromYearsToMonthsToDays(t *testing.T) {
	u, _, v := openTimeline(t)
	if got := v.TickUnit(); got != "years" {
		t.Fatalf("the seeds span 2017–2023: ticks count %q, want years", got)
	}
	at := viewPos(v, fyne.NewPos(tlLabelW+v.plotW()*0.9, laneY(v, 1)))
	var seen []string
	for i := 0; i < 60 && v.TickUnit() != "days"; i++ {
		test.Scroll(u.win.Canvas(), at, 0, 10) // one wheel notch towards the user: zoom in
		if unit := v.TickUnit(); len(seen) == 0 || seen[len(seen)-1] != unit {
			seen = append(seen, unit)
		}
	}
	if got, want := strings.Join(seen, " → "), "years → months → days"; got != want {
		t.Fatalf("zooming in, ticks went %s, want %s", got, want)
	}
	ticks := v.ticks(nil)
	if len(ticks) < 2 {
		t.Fatalf("only %d day ticks in view", len(ticks))
	}
	// Zooming back out with the keyboard returns to years.
	u.win.Canvas().Focus(v)
	for i := 0; i < 40 && v.TickUnit() != "years"; i++ {
		v.TypedRune('-')
	}
	if got := v.TickUnit(); got != "years" {
		t.Fatalf("after zooming out with '-', ticks count %q", got)
	}
}

func TestTimelinePane_DragPansTheVisibleRange(t *testing.T) {
	u, _, v := openTimeline(t)
	from, to := v.visibleDays()
	perPx := (to - from) / float64(v.plotW())
	test.Drag(u.win.Canvas(), viewPos(v, fyne.NewPos(tlLabelW+100, laneY(v, 2))), 120, 0)
	from2, to2 := v.visibleDays()
	if shift := from - from2; shift < 119*perPx || shift > 121*perPx {
		t.Fatalf("dragging right by 120 px moved the start by %.1f days, want %.1f (earlier dates)", shift, 120*perPx)
	}
	if span, span2 := to-from, to2-from2; span2 < span*0.999 || span2 > span*1.001 {
		t.Fatalf("panning changed the span from %.1f to %.1f days", span, span2)
	}
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if from3, _ := v.visibleDays(); from3 <= from2 {
		t.Fatalf("the right arrow should show later dates: start %.1f, was %.1f", from3, from2)
	}
}

func TestTimelinePane_ClickOnDateOpensReaderAtPassage(t *testing.T) {
	u, l, v := openTimeline(t)
	it := itemFor(t, v, "“on Thursday” (12 Oct 2023)", func(e *timeline.Entry) bool {
		return e.Kind == timeline.KindMentioned && e.Text == "on Thursday"
	})
	// Zoom in on it until it stands alone, then click it.
	for i := 0; i < 40 && clusterOf(t, v, it).n > 1; i++ {
		v.ZoomAt(1.5, v.xOf(it.x0))
	}
	c := clusterOf(t, v, it)
	if c.n != 1 {
		t.Fatalf("“on Thursday” still shares a bubble with %d entries at the closest zoom", c.n)
	}
	test.TapAt(v, fyne.NewPos(c.x, laneY(v, it.lane)))
	l.until(t, "the reader to open the source", func() bool {
		d := u.reader.Doc()
		return d != nil && d.ID == it.e.Doc
	})
	if u.tabs.Selected() != u.readerTab {
		t.Fatal("clicking a date should show the reader")
	}
	s, e := u.reader.view.tv.Selection()
	if s != it.e.Offset || e != it.e.OffsetEnd {
		t.Fatalf("reader selects [%d,%d), want the passage [%d,%d)", s, e, it.e.Offset, it.e.OffsetEnd)
	}
	if got := u.reader.view.tv.SelectedText(); got != "on Thursday" {
		t.Fatalf("reader selects %q", got)
	}
}

func TestTimelinePane_BubblesSplitWhenZoomedIn(t *testing.T) {
	_, _, v := openTimeline(t)
	v.ensureClusters()
	var big *tlCluster
	for i := range v.clusters {
		if c := &v.clusters[i]; c.n > 1 && (big == nil || c.n > big.n) {
			big = c
		}
	}
	if big == nil {
		t.Fatal("at the whole-corpus zoom no entries share a bubble")
	}
	members := map[*tlItem]bool{}
	for k := big.first; k <= big.last; k++ {
		members[&v.items[v.byLane[big.lane][k]]] = true
	}
	n := big.n
	test.TapAt(v, fyne.NewPos(big.x, laneY(v, big.lane)))
	v.ensureClusters()
	parts := 0
	shown := 0
	for _, c := range v.clusters {
		in := 0
		for k := c.first; k <= c.last; k++ {
			if members[&v.items[v.byLane[c.lane][k]]] {
				in++
			}
		}
		if in > 0 {
			parts++
			shown += in
		}
	}
	if parts < 2 {
		t.Fatalf("after clicking a bubble of %d, its entries are still in %d bubble", n, parts)
	}
	if shown != n {
		t.Fatalf("after the split %d of the bubble's %d entries are in view", shown, n)
	}
}

func TestTimelinePane_HoverShowsTheSentence(t *testing.T) {
	u, l, v := openTimeline(t)
	it := itemFor(t, v, "“since 2017”", func(e *timeline.Entry) bool { return e.Text == "since 2017" })
	c := clusterOf(t, v, it)
	if c.n != 1 {
		t.Fatalf("“since 2017” shares a bubble of %d", c.n)
	}
	test.MoveMouse(u.win.Canvas(), viewPos(v, fyne.NewPos(c.x, laneY(v, it.lane))))
	if v.hover < 0 {
		t.Fatal("hovering the mark does not select it")
	}
	l.until(t, "the sentence in the tooltip", func() bool {
		return strings.Contains(strings.Join(v.tipLines(v.clusters[v.hover]), " "), "operational")
	})
	if !v.r.tipBG.Visible() {
		t.Fatal("the tooltip is not drawn")
	}
}

func TestTimelinePane_FilterByCurrentSearch(t *testing.T) {
	u, l, v := openTimeline(t)
	all := len(v.items)
	docsAll := map[string]bool{}
	for _, it := range v.items {
		docsAll[it.e.Doc] = true
	}
	test.Tap(u.timeline.filter)
	q := "Thursday"
	typeQuery(u, q)
	l.until(t, "the filtered timeline", func() bool { return u.timeline.matchQ == q })
	if u.tabs.Selected() != u.timelineTab {
		t.Fatal("typing a search while the timeline follows it should keep the timeline in front")
	}
	res, err := u.proj.Index.Search(context.Background(), notes.SearchRequest{Query: q, PrefixLast: true, Limit: 100, Snippets: -1})
	if err != nil {
		t.Fatal(err)
	}
	match := map[string]bool{}
	for _, h := range res.Hits {
		match[h.ID] = true
	}
	if len(v.items) == 0 || len(v.items) >= all {
		t.Fatalf("filter by %q shows %d of %d dates", q, len(v.items), all)
	}
	for _, it := range v.items {
		if !match[it.e.Doc] {
			t.Fatalf("%q from %q is shown but its source does not match %q", it.e.Text, it.e.Label, q)
		}
	}
	for _, r := range u.timeline.rows {
		if r.doc != "" && !match[r.doc] {
			t.Fatalf("side list shows %q, which does not match", r.title)
		}
	}
	// Switching the filter off shows everything again.
	test.Tap(u.timeline.filter)
	if got := len(v.items); got != all {
		t.Fatalf("with the filter off %d dates are shown, want %d", got, all)
	}
}

func TestTimelinePane_AddEditDeleteUserEvent(t *testing.T) {
	u, l, v := openTimeline(t)
	mine := func() []*timeline.Entry {
		var out []*timeline.Entry
		for _, it := range v.items {
			if it.e.Kind == timeline.KindMine {
				out = append(out, it.e)
			}
		}
		return out
	}
	u.timeline.editEvent(nil)
	ed := u.timeline.editor
	test.Type(ed.label, "Base opens")
	test.Type(ed.date, "2003-10-23")
	iwpr := ""
	for _, d := range u.docs {
		if d.Title == "Kyrgyzstan Sticks Close to Russia" {
			iwpr = d.ID
		}
	}
	ed.pick.SetSelected("Kyrgyzstan Sticks Close to Russia")
	if ed.links.Text != iwpr {
		t.Fatalf("picking a source by title links %q, want its id %q", ed.links.Text, iwpr)
	}
	ed.form.OnSubmit()
	l.until(t, "the new event on the axis", func() bool { return len(mine()) == 1 })
	e := mine()[0]
	if e.Label != "Base opens" || e.Start != notes.DayDate(2003, time.October, 23) || len(e.Links) != 1 || e.Links[0] != iwpr {
		t.Fatalf("event on the axis: %+v", e)
	}
	if lane := v.lanes[len(v.lanes)-1]; lane != "Mine" {
		t.Fatalf("user events go in lane %q", lane)
	}

	// Clicking it opens the editor with its values.
	u.timeline.openEntry(e)
	l.until(t, "the editor", func() bool { return u.timeline.editor != ed && u.timeline.editor.label.Text == "Base opens" })
	ed = u.timeline.editor
	ed.end.SetText("2003-11")
	ed.form.OnSubmit()
	l.until(t, "the edited event", func() bool { m := mine(); return len(m) == 1 && m[0].End.Known() })

	if err := u.proj.Events().DeleteEvent(context.Background(), mine()[0].EventID); err != nil {
		t.Fatal(err)
	}
	u.timeline.Reload()
	l.until(t, "the event to go", func() bool { return len(mine()) == 0 })

	// A bad date never reaches the store.
	u.timeline.editEvent(nil)
	ed = u.timeline.editor
	test.Type(ed.label, "x")
	test.Type(ed.date, "23/10/2003")
	if err := ed.date.Validate(); err == nil {
		t.Fatal("the date field accepts 23/10/2003")
	}
	evs, _ := u.proj.Events().Events(context.Background())
	if len(evs) != 0 {
		t.Fatalf("store holds %d events", len(evs))
	}
}

func TestTimelinePane_UndatedSourcesAndYearUnknownDatesAreListed(t *testing.T) {
	u, _, _ := openTimeline(t)
	var undated, unknown []string
	for _, r := range u.timeline.rows {
		if r.entry != nil {
			unknown = append(unknown, r.entry.Text)
		} else {
			undated = append(undated, r.title)
		}
	}
	if len(undated) != 3 {
		t.Fatalf("undated sources listed: %q, want the 3 undated seeds", undated)
	}
	if !strings.Contains(strings.Join(unknown, "|"), "on November 25") {
		t.Fatalf("year-unknown dates listed: %q", unknown)
	}
	if got := u.timeline.sideHead.Text; !strings.Contains(got, fmt.Sprintf("%d sources", len(undated))) {
		t.Fatalf("side header %q", got)
	}
}

func TestTimelinePane_LanesBySource(t *testing.T) {
	u, l, v := openTimeline(t)
	// Give the dated seeds a source of their own (they have none).
	ctx := context.Background()
	for _, d := range u.docs {
		if d.Published.Known() {
			full, err := u.proj.Store.Document(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			full.Source = "akipress.org"
			if err := u.proj.Store.UpdateDocument(ctx, full); err != nil {
				t.Fatal(err)
			}
		}
	}
	set := u.timeline.set
	u.timeline.Reload()
	l.until(t, "the timeline to reload", func() bool { return u.timeline.set != set })
	n := len(v.items)
	u.timeline.lanes.SetSelected(lanesBySource)
	if got := strings.Join(v.lanes, "|"); !strings.Contains(got, "akipress.org") || !strings.HasSuffix(got, "|Mine") {
		t.Fatalf("lanes by source = %q, want one per source and Mine last", got)
	}
	if len(v.items) != n {
		t.Fatalf("switching lanes shows %d dates, was %d", len(v.items), n)
	}
	for _, it := range v.items {
		if want := orDefault(it.e.Source, "No source"); it.e.Kind != timeline.KindMine && v.lanes[it.lane] != want {
			t.Fatalf("%q of %q is in lane %q, want %q", it.e.Text, it.e.Label, v.lanes[it.lane], want)
		}
	}
	u.timeline.lanes.SetSelected(lanesByKind)
	if got := strings.Join(v.lanes, "|"); got != "Published|Mentioned|Mine" {
		t.Fatalf("lanes by kind = %q", got)
	}
}

func TestTimelinePane_YearUnknownDateOpensItsPassage(t *testing.T) {
	u, l, _ := openTimeline(t)
	row := -1
	for i, r := range u.timeline.rows {
		if r.entry != nil && r.entry.Text == "on November 25" {
			row = i
		}
	}
	if row < 0 {
		t.Fatal("“on November 25” is not listed beside the axis")
	}
	e := u.timeline.rows[row].entry
	u.timeline.side.Select(row)
	l.until(t, "the reader", func() bool { d := u.reader.Doc(); return d != nil && d.ID == e.Doc })
	if s, end := u.reader.view.tv.Selection(); s != e.Offset || end != e.OffsetEnd {
		t.Fatalf("reader selects [%d,%d), want [%d,%d)", s, end, e.Offset, e.OffsetEnd)
	}
}
