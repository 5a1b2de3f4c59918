package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// readerPane shows one document: a metadata header, its full text with
// every hit of the current query highlighted, and buttons that step from
// hit to hit.
type readerPane struct {
	store func() notes.Store
	index func() notes.Index
	do    func(func())

	doc   *notes.Document
	query string
	hits  []notes.Span
	cur   int
	gen   uint64 // of the latest load; older loads are dropped

	title   *widget.Label
	meta    *widget.RichText
	url     *widget.Label
	counter *widget.Label
	prev    *widget.Button
	next    *widget.Button
	nav     *fyne.Container
	actions *fyne.Container // buttons other panes add (Pin quote)
	view    *docView
	pages   *pageBar
	content fyne.CanvasObject
	win     fyne.Window // for dialogs; may be nil in tests

	onLoaded func(*notes.Document)
	onError  func(error)
}

func newReader(store func() notes.Store, index func() notes.Index, do func(func())) *readerPane {
	r := &readerPane{store: store, index: index, do: do, cur: -1}
	r.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameSubHeadingText}
	r.meta = &widget.RichText{Scroll: fyne.ScrollNone, Wrapping: fyne.TextWrapWord}
	r.url = &widget.Label{Truncation: fyne.TextTruncateEllipsis, Selectable: true, SizeName: theme.SizeNameCaptionText}
	r.counter = &widget.Label{Alignment: fyne.TextAlignCenter}
	r.prev = widget.NewButtonWithIcon("", theme.MoveUpIcon(), r.PrevHit)
	r.next = widget.NewButtonWithIcon("", theme.MoveDownIcon(), r.NextHit)
	r.prev.Importance, r.next.Importance = widget.LowImportance, widget.LowImportance
	r.nav = container.NewHBox(r.prev, r.counter, r.next)
	r.actions = container.NewHBox()
	r.view = newDocView()
	r.pages = newPageBar(r)

	header := container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(r.nav, r.actions), r.pages.box), container.New(&rowLayout{}, r.title, r.meta, r.url))
	r.content = container.NewBorder(
		container.NewVBox(container.NewPadded(header), widget.NewSeparator()),
		nil, nil, nil, r.view)
	r.showEmpty()
	return r
}

func (r *readerPane) showEmpty() {
	r.title.SetText("No document open")
	r.meta.Segments = []widget.RichTextSegment{mutedSegment("Open a source from the results or the library.")}
	r.meta.Refresh()
	r.url.Hide()
	r.nav.Hide()
	r.view.SetText("", nil)
	r.pages.setDoc(nil)
}

// Doc returns the open document, or nil.
func (r *readerPane) Doc() *notes.Document { return r.doc }

// Open loads document id in the background and shows it with the hits of
// query highlighted, the first one current and in view.
func (r *readerPane) Open(id, query string) { r.OpenAt(id, query, -1, -1) }

// OpenAt loads document id like Open, then selects the passage [start,
// end) in code points (the unit of quotes and events) and brings it into
// view instead of the first hit. A negative start selects nothing.
func (r *readerPane) OpenAt(id, query string, start, end int) {
	r.gen++
	gen := r.gen
	st, idx := r.store(), r.index()
	if st == nil {
		return
	}
	go func() {
		ctx := context.Background()
		doc, err := st.Document(ctx, id)
		var spans []notes.Span
		if err == nil && idx != nil && strings.TrimSpace(query) != "" {
			// A query that fails here (malformed) just highlights
			// nothing: the search field already says what is wrong.
			spans, _ = idx.Matches(ctx, id, query)
		}
		r.do(func() {
			if gen != r.gen {
				return
			}
			if err != nil {
				if r.onError != nil {
					r.onError(err)
				}
				return
			}
			r.show(doc, query, spans)
			if start >= 0 {
				r.SelectPassage(start, end)
			}
		})
	}()
}

// SelectPassage selects [start, end), in code points, in the open document
// and scrolls it into view.
func (r *readerPane) SelectPassage(start, end int) {
	tv := r.view.tv
	s, e := notes.ByteOffset(tv.text, start), notes.ByteOffset(tv.text, end)
	tv.Select(s, e)
	tv.scrollToOffset(s)
}

// SetQuery re-highlights the open document for a new query, keeping the
// reader where it is unless a hit has to be brought into view.
func (r *readerPane) SetQuery(query string) {
	if r.doc == nil || query == r.query {
		return
	}
	r.gen++
	gen := r.gen
	idx, id := r.index(), r.doc.ID
	go func() {
		var spans []notes.Span
		if idx != nil && strings.TrimSpace(query) != "" {
			var err error
			if spans, err = idx.Matches(context.Background(), id, query); err != nil {
				return // keep the old highlights for a query being typed
			}
		}
		r.do(func() {
			if gen != r.gen || r.doc == nil || r.doc.ID != id {
				return
			}
			r.query = query
			r.setHits(spans, false)
		})
	}()
}

func (r *readerPane) show(doc *notes.Document, query string, spans []notes.Span) {
	r.doc, r.query = doc, query
	r.title.SetText(orDefault(doc.Title, "Untitled"))
	r.meta.Segments = []widget.RichTextSegment{mutedSegment(docMeta(doc))}
	r.meta.Refresh()
	if doc.URL != "" {
		r.url.SetText(doc.URL)
		r.url.Show()
	} else {
		r.url.Hide()
	}
	r.view.SetText(doc.Text, nil)
	r.view.tv.SetPages(doc.Pages)
	r.pages.setDoc(doc)
	r.setHits(spans, true)
	if r.onLoaded != nil {
		r.onLoaded(doc)
	}
}

// setHits highlights spans; with jump the first becomes current and is
// scrolled to.
func (r *readerPane) setHits(spans []notes.Span, jump bool) {
	r.view.tv.SetHits(spans)
	r.hits = r.view.tv.hits // cleaned and sorted
	r.cur = -1
	if len(r.hits) > 0 && jump {
		r.goTo(0)
	}
	r.updateNav()
}

func (r *readerPane) updateNav() {
	switch {
	case r.doc == nil || strings.TrimSpace(r.query) == "":
		r.nav.Hide()
		return
	case len(r.hits) == 0:
		r.counter.SetText("No matches")
	case r.cur < 0:
		r.counter.SetText(plural(len(r.hits), "match", "matches"))
	default:
		r.counter.SetText(fmt.Sprintf("%d of %d", r.cur+1, len(r.hits)))
	}
	enabled := len(r.hits) > 0
	for _, b := range []*widget.Button{r.prev, r.next} {
		if enabled {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	r.nav.Show()
}

func (r *readerPane) goTo(i int) {
	r.cur = i
	r.view.tv.SetCurrentHit(i)
	r.updateNav()
}

// NextHit makes the next hit current, wrapping from the last to the first.
func (r *readerPane) NextHit() {
	if len(r.hits) == 0 {
		return
	}
	r.goTo((r.cur + 1) % len(r.hits))
}

// PrevHit makes the previous hit current, wrapping from the first to the
// last.
func (r *readerPane) PrevHit() {
	if len(r.hits) == 0 {
		return
	}
	if r.cur <= 0 {
		r.goTo(len(r.hits) - 1)
		return
	}
	r.goTo(r.cur - 1)
}

// Selection returns the selected range of the open document's text in
// Unicode code points (the unit quotes store), and the selected text;
// start == end when nothing is selected.
func (r *readerPane) Selection() (start, end int, text string) {
	start, end = r.view.tv.Selection()
	return start, end, r.view.tv.SelectedText()
}

// HitCounter returns what the hit counter says, for tests and the status
// line.
func (r *readerPane) HitCounter() string {
	if !r.nav.Visible() {
		return ""
	}
	return r.counter.Text
}

// Close empties the reader (File → Open project).
func (r *readerPane) Close() {
	r.gen++
	r.doc, r.query, r.hits, r.cur = nil, "", nil, -1
	r.showEmpty()
}

// docMeta is the line under a document's title.
func docMeta(d *notes.Document) string {
	var parts []string
	if d.Author != "" {
		parts = append(parts, "By "+d.Author)
	}
	parts = append(parts, orDefault(d.Source, "unknown source"), d.Published.Human())
	if d.Grade != "" {
		parts = append(parts, "grade "+d.Grade)
	} else {
		parts = append(parts, "ungraded")
	}
	if len(d.Tags) > 0 {
		parts = append(parts, "#"+strings.Join(d.Tags, " #"))
	}
	return strings.Join(parts, "  ·  ")
}
