package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
	"dossier/project"
	"dossier/timeline"
)

// Lane modes of the timeline.
const (
	lanesByKind   = "By kind"
	lanesBySource = "By source"
)

// maxSourceLanes caps the lanes of the by-source mode; the remaining
// sources share one lane.
const maxSourceLanes = 10

// searchAllLimit bounds the ids fetched for "filter by current search".
const searchAllLimit = 1 << 20

// timelinePane is the Timeline tab: the time axis with its toolbar, and
// beside it what has no place on the axis (undated sources, dates whose
// year is unknown). It collects the timeline through project.Timeline in
// the background, with progress, whenever the tab is shown; after the
// first time that is quick, since the dates found in texts are cached.
type timelinePane struct {
	u *UI

	set      *project.TimelineSet
	gen      uint64 // of the latest load; older ones are dropped
	loaded   *project.Project
	stale    bool
	fitNext  bool
	matches  map[string]bool // ids matching the search, when filtering
	matchGen uint64
	matchQ   string

	sentences map[sentKey]string
	asked     map[sentKey]bool

	view     *timelineView
	lanes    *widget.Select
	filter   *widget.Check
	status   *widget.Label
	progress *widget.ProgressBar
	side     *widget.List
	sideHead *widget.Label
	rows     []sideRow
	content  fyne.CanvasObject
	editor   *eventEditor
	cancel   context.CancelFunc // stops the running load
}

type sentKey struct {
	doc   string
	start int
}

// sideRow is a line of the list beside the axis: an undated source or a
// date whose year is unknown.
type sideRow struct {
	title, sub string
	doc        string
	entry      *timeline.Entry
}

func newTimelinePane(u *UI) *timelinePane {
	t := &timelinePane{u: u, sentences: map[sentKey]string{}, asked: map[sentKey]bool{}, fitNext: true}
	t.view = newTimelineView()
	t.view.onOpen = t.openEntry
	t.view.sentence = t.sentence
	t.lanes = widget.NewSelect([]string{lanesByKind, lanesBySource}, func(string) { t.rebuild(true) })
	t.lanes.Selected = lanesByKind
	t.filter = widget.NewCheck("Filter by current search", func(bool) { t.applyFilter(true) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { t.view.Zoom(1 / 1.5) })
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { t.view.Zoom(1.5) })
	fit := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), func() { t.view.FitAll(); t.view.changed() })
	for _, b := range []*widget.Button{zoomOut, zoomIn, fit} {
		b.Importance = widget.LowImportance
	}
	add := widget.NewButtonWithIcon("Add event", theme.ContentAddIcon(), func() { t.editEvent(nil) })
	t.status = &widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}
	t.progress = widget.NewProgressBar()
	t.progress.Hide()
	bar := container.NewBorder(nil, nil,
		container.NewHBox(t.lanes, t.filter, zoomOut, zoomIn, fit),
		add, container.NewStack(t.status, t.progress))

	t.sideHead = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Text: "Not on the axis", Wrapping: fyne.TextWrapWord}
	t.side = widget.NewList(func() int { return len(t.rows) }, t.createRow, t.updateRow)
	t.side.OnSelected = func(id widget.ListItemID) {
		t.side.Unselect(id)
		t.tapRow(id)
	}
	side := container.NewBorder(container.NewPadded(t.sideHead), nil, nil, nil, t.side)
	split := container.NewHSplit(t.view, side)
	split.Offset = 0.75
	t.content = container.NewBorder(container.NewVBox(container.NewPadded(bar), widget.NewSeparator()), nil, nil, nil, split)
	return t
}

func (t *timelinePane) createRow() fyne.CanvasObject {
	title := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	sub := &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText}
	return container.New(&rowLayout{}, title, sub)
}

func (t *timelinePane) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	title, sub := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
	r := t.rows[id]
	title.SetText(r.title)
	sub.SetText(r.sub)
}

func (t *timelinePane) tapRow(id widget.ListItemID) {
	if id < 0 || id >= len(t.rows) {
		return
	}
	r := t.rows[id]
	if r.entry != nil {
		t.openEntry(r.entry)
	} else if r.doc != "" {
		t.u.open(r.doc)
	}
}

// showTimeline brings the Timeline tab to the front with the keyboard on
// the axis.
func (u *UI) showTimeline() {
	u.tabs.Select(u.timelineTab)
	u.win.Canvas().Focus(u.timeline.view)
}

// Shown runs when the Timeline tab is selected: it collects the timeline
// again, since documents may have been imported or re-dated meanwhile.
func (t *timelinePane) Shown() { t.Reload() }

// Reset forgets the previous project's timeline.
func (t *timelinePane) Reset() {
	if t.cancel != nil {
		t.cancel()
	}
	t.gen++
	t.set, t.loaded, t.matches, t.matchQ = nil, nil, nil, ""
	t.sentences, t.asked = map[sentKey]string{}, map[sentKey]bool{}
	t.fitNext = true
	t.rebuild(true)
}

// Reload collects the timeline in the background and shows it.
func (t *timelinePane) Reload() {
	p := t.u.proj
	if p == nil {
		return
	}
	t.gen++
	gen := t.gen
	// The first look at a big project scans every text: a newer load, a
	// project switch or closing the window stops it (Close waits for
	// background work, so it must not wait for a whole scan).
	if t.cancel != nil {
		t.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	t.u.bg.Add(1)
	go func() {
		defer t.u.bg.Done()
		defer cancel()
		set, err := p.Timeline(ctx, func(done, total int) {
			if t.u.closed.Load() {
				cancel()
			}
			t.u.do(func() {
				if gen != t.gen {
					return
				}
				t.progress.Max = float64(total)
				t.progress.SetValue(float64(done))
				t.progress.Show()
				t.status.Hide()
			})
		})
		t.u.do(func() {
			if gen != t.gen || t.u.proj != p {
				return
			}
			t.progress.Hide()
			t.status.Show()
			if errors.Is(err, context.Canceled) {
				return
			}
			if err != nil {
				t.u.showError(err)
				return
			}
			t.set, t.loaded = set, p
			t.rebuild(t.fitNext)
			t.fitNext = false
		})
	}()
}

// filtering reports whether the timeline follows the search box.
func (t *timelinePane) filtering() bool { return t.filter.Checked }

// QueryChanged runs when the search box's query changes or the filter is
// switched: with the filter on, it looks up every item that matches the
// query (ids only, no snippets or facets) and shows their events.
func (t *timelinePane) QueryChanged() { t.applyFilter(false) }

// applyFilter brings the shown entries in line with the filter switch and
// the query; force redraws even when nothing seems to have changed (the
// switch was just flipped, which changes the status line).
func (t *timelinePane) applyFilter(force bool) {
	q := t.u.query
	if !t.filter.Checked || q == "" {
		t.matchGen++
		if t.matches != nil || force {
			t.matches, t.matchQ = nil, ""
			t.rebuild(false)
		}
		return
	}
	if q == t.matchQ && t.matches != nil {
		return
	}
	idx := t.u.index()
	if idx == nil {
		return
	}
	t.matchGen++
	gen := t.matchGen
	t.u.bg.Add(1)
	go func() {
		defer t.u.bg.Done()
		res, err := idx.Search(context.Background(), notes.SearchRequest{Query: q, Limit: searchAllLimit,
			PrefixLast: true, Snippets: -1, NoFacets: true})
		t.u.do(func() {
			if gen != t.matchGen {
				return
			}
			if err != nil {
				// The search bar already says what is wrong with the query.
				t.status.SetText("Filter: " + err.Error())
				return
			}
			m := make(map[string]bool, len(res.Hits))
			for _, h := range res.Hits {
				m[h.ID] = true
			}
			t.matches, t.matchQ = m, q
			t.rebuild(false)
		})
	}()
}

// keep reports whether e passes the search filter. A user event passes
// when it links to a matching source, quote or note.
func (t *timelinePane) keep(e *timeline.Entry) bool {
	if t.matches == nil {
		return true
	}
	if e.Kind == timeline.KindMine {
		for _, l := range e.Links {
			if t.matches[l] {
				return true
			}
		}
		return false
	}
	return t.matches[e.Doc]
}

// rebuild lays the collected entries out in lanes for the view and fills
// the list beside it.
func (t *timelinePane) rebuild(fitAll bool) {
	var entries []timeline.Entry
	var undated []notes.Document
	if t.set != nil {
		entries, undated = t.set.Entries, t.set.Undated
	}
	bySource := t.lanes.Selected == lanesBySource

	var lanes []string
	laneOf := map[string]int{}
	if bySource {
		count := map[string]int{}
		for i := range entries {
			if e := &entries[i]; e.Kind != timeline.KindMine && e.Dated() && t.keep(e) {
				count[e.Source]++
			}
		}
		names := make([]string, 0, len(count))
		for s := range count {
			names = append(names, s)
		}
		sort.Slice(names, func(i, j int) bool {
			if count[names[i]] != count[names[j]] {
				return count[names[i]] > count[names[j]]
			}
			return names[i] < names[j]
		})
		for i, s := range names {
			if i == maxSourceLanes && len(names) > maxSourceLanes+1 {
				lanes = append(lanes, "Other sources")
				for _, rest := range names[i:] {
					laneOf[rest] = len(lanes) - 1
				}
				break
			}
			laneOf[s] = len(lanes)
			lanes = append(lanes, orDefault(s, "No source"))
		}
		lanes = append(lanes, "Mine")
	} else {
		lanes = []string{"Published", "Mentioned", "Mine"}
	}

	items := make([]tlItem, 0, len(entries))
	t.rows = t.rows[:0]
	unknown := 0
	for i := range entries {
		e := &entries[i]
		if !t.keep(e) {
			continue
		}
		if !e.Dated() {
			unknown++
			continue
		}
		var lane int
		switch {
		case e.Kind == timeline.KindMine:
			lane = len(lanes) - 1
		case bySource:
			lane = laneOf[e.Source]
		case e.Kind == timeline.KindMentioned:
			lane = 1
		}
		x0 := dayOf(e.Start.Time)
		last := e.Start
		if e.End.Known() {
			last = e.End
		}
		x1 := dayOf(last.LastDay().Time) + 1
		items = append(items, tlItem{x0: x0, x1: max(x1, x0+1), lane: lane, e: e})
	}
	// Entries come sorted by date, and x0 follows the date.
	t.view.SetItems(items, lanes, fitAll)

	nUndated := 0
	for i := range undated {
		d := &undated[i]
		if t.matches != nil && !t.matches[d.ID] {
			continue
		}
		nUndated++
		t.rows = append(t.rows, sideRow{title: orDefault(d.Title, "Untitled"), sub: "undated source · " + orDefault(d.Source, "no source"), doc: d.ID})
	}
	for i := range entries {
		e := &entries[i]
		if e.Dated() || !t.keep(e) {
			continue
		}
		t.rows = append(t.rows, sideRow{title: "“" + e.Text + "” · year unknown", sub: orDefault(e.Label, "Untitled"), doc: e.Doc, entry: e})
	}
	t.sideHead.SetText(fmt.Sprintf("Undated: %d sources, %d dates", nUndated, unknown))
	t.side.Refresh()

	switch {
	case t.set == nil && t.u.proj != nil:
		// Reading 100,000 sources' dates and 200,000 events takes seconds
		// even when no text needs scanning (no progress bar then).
		t.status.SetText("Reading the dates of every source and event…")
	case t.set == nil:
		t.status.SetText("")
	case t.filter.Checked && t.u.query == "":
		t.status.SetText(fmt.Sprintf("%s · type a search to filter", plural(len(items), "date", "dates")))
	case t.matches != nil:
		t.status.SetText(fmt.Sprintf("%s for “%s”", plural(len(items), "date", "dates"), ellipsize(t.matchQ, 30)))
	default:
		t.status.SetText(plural(len(items), "date", "dates") + " · drag to pan, wheel or +/- to zoom")
	}
}

// openEntry leads from an entry to where it came from: the passage of a
// mentioned date, the source of a publication date, the editor of a user
// event.
func (t *timelinePane) openEntry(e *timeline.Entry) {
	switch e.Kind {
	case timeline.KindMentioned:
		t.u.openAt(e.Doc, e.Offset, e.OffsetEnd)
	case timeline.KindPublished:
		t.u.open(e.Doc)
	case timeline.KindMine:
		t.editEventID(e.EventID)
	}
}

// sentence returns the sentence around a mentioned date if it has been
// read, and asks for it otherwise; the view redraws when it arrives.
func (t *timelinePane) sentence(e *timeline.Entry) string {
	k := sentKey{e.Doc, e.SentStart}
	if s, ok := t.sentences[k]; ok {
		return s
	}
	p := t.u.proj
	if t.asked[k] || p == nil {
		return ""
	}
	t.asked[k] = true
	one := []timeline.Entry{*e}
	t.u.bg.Add(1)
	go func() {
		defer t.u.bg.Done()
		err := p.FillSentences(context.Background(), one)
		t.u.do(func() {
			if err == nil && t.u.proj == p {
				t.sentences[k] = one[0].Sentence
				t.view.Refresh()
			}
		})
	}()
	return ""
}

func (t *timelinePane) editEventID(id string) {
	p := t.u.proj
	if p == nil {
		return
	}
	go func() {
		ev, err := p.Events().Event(context.Background(), id)
		t.u.do(func() {
			if err != nil {
				t.u.showError(err)
				return
			}
			t.editEvent(ev)
		})
	}()
}

// editEvent opens the event dialog: a new event when ev is nil (linked to
// the source open in the reader, if any), else ev with a Delete button.
func (t *timelinePane) editEvent(ev *notes.Event) {
	p := t.u.proj
	if p == nil {
		return
	}
	isNew := ev == nil
	if isNew {
		ev = &notes.Event{}
		if d := t.u.reader.Doc(); d != nil {
			ev.Links = []string{d.ID}
		}
	}
	label := widget.NewEntry()
	label.SetText(ev.Label)
	label.SetPlaceHolder("What happened")
	label.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("give the event a label")
		}
		return nil
	}
	date := widget.NewEntry()
	date.SetText(ev.Date.String())
	date.SetPlaceHolder("YYYY, YYYY-MM or YYYY-MM-DD")
	date.Validator = func(s string) error {
		d, err := notes.ParseDate(s)
		if err == nil && !d.Known() {
			return fmt.Errorf("give a date")
		}
		return err
	}
	end := widget.NewEntry()
	end.SetText(ev.End.String())
	end.SetPlaceHolder("optional: last day of a range")
	end.Validator = func(s string) error { _, err := notes.ParseDate(s); return err }
	links := widget.NewEntry()
	links.SetText(strings.Join(ev.Links, ", "))
	links.SetPlaceHolder("ids of sources, quotes or notes, separated by commas")
	// Linking a source by title: the ids are what is stored, but nobody
	// remembers them.
	titles := make([]string, 0, len(t.u.docs))
	byTitle := map[string]string{}
	for _, d := range t.u.docs {
		title := ellipsize(orDefault(d.Title, "Untitled"), 60)
		if _, dup := byTitle[title]; !dup {
			titles = append(titles, title)
			byTitle[title] = d.ID
		}
	}
	pick := widget.NewSelect(titles, nil)
	pick.PlaceHolder = "Link a source…"
	pick.OnChanged = func(title string) {
		id := byTitle[title]
		if id == "" || strings.Contains(links.Text, id) {
			return
		}
		if strings.TrimSpace(links.Text) == "" {
			links.SetText(id)
		} else {
			links.SetText(strings.TrimRight(links.Text, ", ") + ", " + id)
		}
	}
	note := widget.NewMultiLineEntry()
	note.SetText(ev.Note)
	note.SetMinRowsVisible(2)
	items := []*widget.FormItem{
		widget.NewFormItem("Label", label),
		widget.NewFormItem("Date", date),
		widget.NewFormItem("Until", end),
		widget.NewFormItem("Links", links),
		widget.NewFormItem("", pick),
		widget.NewFormItem("Note", note),
	}
	var d dialog.Dialog
	save := func() {
		e := *ev
		e.Label, e.Note = label.Text, note.Text
		e.Date, _ = notes.ParseDate(date.Text)
		e.End, _ = notes.ParseDate(end.Text)
		e.Links = strings.FieldsFunc(links.Text, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
		if err := e.Validate(); err != nil {
			t.u.showError(err)
			return
		}
		d.Hide()
		go func() {
			var err error
			if isNew {
				err = p.Events().AddEvent(context.Background(), &e)
			} else {
				err = p.Events().UpdateEvent(context.Background(), &e)
			}
			t.u.do(func() {
				if err != nil {
					t.u.showError(err)
					d.Show()
					return
				}
				t.Reload()
			})
		}()
	}
	form := &widget.Form{Items: items, SubmitText: "Save", OnSubmit: save, OnCancel: func() { d.Hide() }}
	content := fyne.CanvasObject(form)
	title := "Add event"
	if !isNew {
		title = "Edit event"
		del := widget.NewButtonWithIcon("Delete event", theme.DeleteIcon(), func() {
			dialog.ShowConfirm("Delete event", fmt.Sprintf("Delete “%s”?", ev.Label), func(ok bool) {
				if !ok {
					return
				}
				d.Hide()
				go func() {
					err := p.Events().DeleteEvent(context.Background(), ev.ID)
					t.u.do(func() {
						if err != nil {
							t.u.showError(err)
						}
						t.Reload()
					})
				}()
			}, t.u.win)
		})
		del.Importance = widget.DangerImportance
		content = container.NewVBox(form, widget.NewSeparator(), container.NewHBox(del))
	}
	d = dialog.NewCustomWithoutButtons(title, content, t.u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
	t.u.win.Canvas().Focus(label)
	t.editor = &eventEditor{dialog: d, form: form, label: label, date: date, end: end, links: links, note: note, pick: pick}
}

// eventEditor is the open event dialog, kept for tests.
type eventEditor struct {
	dialog                        dialog.Dialog
	form                          *widget.Form
	label, date, end, links, note *widget.Entry
	pick                          *widget.Select
}
