package app

import (
	"fmt"
	"image/color"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// The facets the sidebar filters by, in the order shown; the names are
// those of notes.SearchRequest.Filters. There is no Type facet: the
// library lists sources only, so it could only ever offer "source"; the
// results pane has the type filter instead (results_kind.go).
var facetNames = []string{"source", "year"}

var facetTitles = map[string]string{"source": "Source", "year": "Year"}

// undatedYear is the year facet value of a document without a known date,
// the same value the index uses.
const undatedYear = "undated"

// libraryPane is the left sidebar: every source with its title, source,
// date and grade, and facets by source and year that filter both
// this list and the search.
type libraryPane struct {
	all      []notes.Document
	shown    []notes.Document
	selected map[string]map[string]bool // facet → value → checked
	openID   string

	count   *widget.Label
	list    *widget.List
	facets  *fyne.Container
	clear   *widget.Button
	top     fyne.CanvasObject
	bottom  fyne.CanvasObject
	split   *container.Split
	content fyne.CanvasObject

	onOpen   func(id string)
	onFilter func(filters map[string][]string)
}

func newLibrary(onOpen func(string), onFilter func(map[string][]string)) *libraryPane {
	l := &libraryPane{selected: map[string]map[string]bool{}, onOpen: onOpen, onFilter: onFilter}
	l.count = &widget.Label{SizeName: theme.SizeNameCaptionText}
	l.list = widget.NewList(func() int { return len(l.shown) }, l.createRow, l.updateRow)

	l.facets = container.NewVBox()
	l.clear = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), l.clearFilters)
	l.clear.Importance = widget.LowImportance
	l.clear.Hide()

	l.top = container.NewBorder(sectionHeader("Library", l.count), nil, nil, nil, l.list)
	l.bottom = container.NewBorder(sectionHeader("Filter", l.clear), nil, nil, nil, container.NewVScroll(l.facets))
	l.split = container.NewVSplit(l.top, l.bottom)
	l.split.Offset = 0.6
	l.content = container.NewStack(newThemedBG(colorNameSidebar), l.split)
	return l
}

// themedBG is a plain background in a theme colour. It is a widget, not a
// bare rectangle, so that a theme switch (which refreshes widgets) repaints
// it.
type themedBG struct {
	widget.BaseWidget
	name fyne.ThemeColorName
}

func newThemedBG(name fyne.ThemeColorName) *themedBG {
	b := &themedBG{name: name}
	b.ExtendBaseWidget(b)
	return b
}

func (b *themedBG) CreateRenderer() fyne.WidgetRenderer {
	r := canvas.NewRectangle(b.color())
	return &themedBGRenderer{b: b, rect: r}
}

func (b *themedBG) color() color.Color {
	return b.Theme().Color(b.name, fyne.CurrentApp().Settings().ThemeVariant())
}

type themedBGRenderer struct {
	b    *themedBG
	rect *canvas.Rectangle
}

func (r *themedBGRenderer) Destroy()                     {}
func (r *themedBGRenderer) Layout(s fyne.Size)           { r.rect.Resize(s) }
func (r *themedBGRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (r *themedBGRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect} }
func (r *themedBGRenderer) Refresh() {
	r.rect.FillColor = r.b.color()
	r.rect.Refresh()
}

// sectionHeader is a small upper-case heading with something at its right.
func sectionHeader(title string, right fyne.CanvasObject) fyne.CanvasObject {
	seg := &widget.TextSegment{Text: strings.ToUpper(title), Style: widget.RichTextStyle{
		ColorName: colorNameMuted, SizeName: theme.SizeNameCaptionText, TextStyle: fyne.TextStyle{Bold: true}}}
	return container.NewBorder(nil, nil, widget.NewRichText(seg), right)
}

// libraryRow is the list row template (see rowHolder for why a widget).
type libraryRow struct {
	widget.BaseWidget
	content *fyne.Container
	title   *textLine
	meta    *textLine
	id      widget.ListItemID
	onTap   func(widget.ListItemID)
}

// Tapped opens the row's document, even when it is the selected row (List
// reports a selection only when it changes).
func (r *libraryRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap(r.id)
	}
}

func (r *libraryRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func (l *libraryPane) createRow() fyne.CanvasObject {
	r := &libraryRow{
		title: newTextLine(true, "", ""),
		meta:  newTextLine(false, colorNameMuted, theme.SizeNameCaptionText),
	}
	r.content = container.New(&rowLayout{}, r.title, r.meta)
	r.onTap = l.tapRow
	r.ExtendBaseWidget(r)
	return r
}

func (l *libraryPane) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r, ok := o.(*libraryRow)
	if !ok || id < 0 || id >= len(l.shown) {
		return
	}
	r.id = id
	d := l.shown[id]
	r.title.SetText(orDefault(d.Title, "Untitled"))
	meta := []string{orDefault(d.Source, "unknown source"), d.Published.Human()}
	if d.Grade != "" {
		meta = append(meta, d.Grade)
	}
	r.meta.SetText(strings.Join(meta, " · "))
}

// SetDocuments replaces the list of sources (after an import, or for a new
// project) and rebuilds the facets, keeping the filters that still apply.
func (l *libraryPane) SetDocuments(docs []notes.Document) {
	l.all = docs
	counts := facetCounts(docs)
	for name, values := range l.selected {
		for v := range values {
			if counts[name][v] == 0 {
				delete(values, v)
			}
		}
	}
	l.buildFacets(counts)
	l.applyFilter()
}

// Filters returns the checked facet values in SearchRequest form, or nil.
func (l *libraryPane) Filters() map[string][]string {
	var f map[string][]string
	for _, name := range facetNames {
		var vs []string
		for v, on := range l.selected[name] {
			if on {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			sort.Strings(vs)
			if f == nil {
				f = map[string][]string{}
			}
			f[name] = vs
		}
	}
	return f
}

func (l *libraryPane) tapRow(id widget.ListItemID) {
	if id < 0 || id >= len(l.shown) {
		return
	}
	l.list.Select(id)
	l.openID = l.shown[id].ID
	if l.onOpen != nil {
		l.onOpen(l.openID)
	}
}

// Highlight selects the row of document id, if shown, without opening it.
func (l *libraryPane) Highlight(id string) {
	l.openID = id
	for i, d := range l.shown {
		if d.ID == id {
			l.list.Select(i)
			return
		}
	}
	l.list.UnselectAll()
}

// facetCounts counts the documents per facet value. It runs over every
// document on each library load, so it reads the values without building
// anything per document.
func facetCounts(docs []notes.Document) map[string]map[string]int {
	c := map[string]map[string]int{"type": {}, "source": {}, "year": {}}
	years := map[int]int{}
	undated := 0
	for i := range docs {
		d := &docs[i]
		c["type"][notes.KindSource]++
		if v := strings.TrimSpace(d.Source); v != "" {
			c["source"][v]++
		}
		if d.Published.Known() {
			years[d.Published.Time.Year()]++
		} else {
			undated++
		}
	}
	for y, n := range years {
		c["year"][strconv.Itoa(y)] = n
	}
	if undated > 0 {
		c["year"][undatedYear] = undated
	}
	return c
}

// docFacet returns a document's value for facet name.
func docFacet(d *notes.Document, name string) string {
	switch name {
	case "type":
		return notes.KindSource
	case "source":
		return strings.TrimSpace(d.Source)
	case "year":
		if d.Published.Known() {
			return strconv.Itoa(d.Published.Time.Year())
		}
		return undatedYear
	}
	return ""
}

func (l *libraryPane) buildFacets(counts map[string]map[string]int) {
	var objs []fyne.CanvasObject
	for _, name := range facetNames {
		values := make([]string, 0, len(counts[name]))
		for v := range counts[name] {
			values = append(values, v)
		}
		if len(values) == 0 {
			continue
		}
		sortFacet(name, values, counts[name])
		objs = append(objs, &widget.Label{Text: facetTitles[name], TextStyle: fyne.TextStyle{Bold: true}})
		for _, v := range values {
			name, v := name, v
			chk := widget.NewCheck(v, func(on bool) {
				if l.selected[name] == nil {
					l.selected[name] = map[string]bool{}
				}
				if on {
					l.selected[name][v] = true
				} else {
					delete(l.selected[name], v)
				}
				l.applyFilter()
				if l.onFilter != nil {
					l.onFilter(l.Filters())
				}
			})
			chk.Checked = l.selected[name][v]
			n := &widget.Label{Text: strconv.Itoa(counts[name][v]), SizeName: theme.SizeNameCaptionText}
			objs = append(objs, container.NewBorder(nil, nil, nil, n, chk))
		}
	}
	l.facets.Objects = objs
	l.facets.Refresh()
}

// sortFacet orders values: sources by count then name, years newest first
// with "undated" last, anything else by name.
func sortFacet(name string, values []string, counts map[string]int) {
	sort.Slice(values, func(i, j int) bool {
		a, b := values[i], values[j]
		switch name {
		case "year":
			if (a == undatedYear) != (b == undatedYear) {
				return b == undatedYear
			}
			return a > b
		case "source":
			if counts[a] != counts[b] {
				return counts[a] > counts[b]
			}
			return strings.ToLower(a) < strings.ToLower(b)
		}
		return a < b
	})
}

func (l *libraryPane) applyFilter() {
	f := l.Filters()
	if len(f) == 0 {
		// Unfiltered, the list shows all: sharing the slice saves a copy of
		// every document (tens of MB at 100,000) on the UI goroutine.
		l.shown = l.all
	} else {
		l.shown = nil
		for i := range l.all {
			if matchesFilters(&l.all[i], f) {
				l.shown = append(l.shown, l.all[i])
			}
		}
	}
	if len(f) > 0 {
		l.count.SetText(fmt.Sprintf("%d of %d", len(l.shown), len(l.all)))
		l.clear.Show()
	} else {
		l.count.SetText(strconv.Itoa(len(l.all)))
		l.clear.Hide()
	}
	l.list.Refresh()
	l.Highlight(l.openID)
}

// matchesFilters applies SearchRequest.Filters semantics to a document:
// values of one facet are ORed, facets are ANDed; sources compare without
// case, as the index keeps them.
func matchesFilters(d *notes.Document, f map[string][]string) bool {
	for name, values := range f {
		have := docFacet(d, name)
		ok := false
		for _, v := range values {
			if strings.EqualFold(have, v) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (l *libraryPane) clearFilters() {
	l.selected = map[string]map[string]bool{}
	l.buildFacets(facetCounts(l.all))
	l.applyFilter()
	if l.onFilter != nil {
		l.onFilter(nil)
	}
}
