package app

import (
	"context"
	"image/color"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
	"dossier/project"
)

// docWith returns the stored document whose text contains phrase, and the
// phrase's code-point offsets in it.
func docWith(tb testing.TB, p *project.Project, phrase string) (doc *notes.Document, start, end int) {
	tb.Helper()
	err := p.Store.EachDocument(context.Background(), func(d *notes.Document) error {
		if i := strings.Index(d.Text, phrase); i >= 0 && doc == nil {
			doc = d
			start = utf8.RuneCountInString(d.Text[:i])
			end = start + utf8.RuneCountInString(phrase)
		}
		return nil
	})
	if err != nil || doc == nil {
		tb.Fatalf("no seed document contains %q (err %v)", phrase, err)
	}
	return doc, start, end
}

// openDoc opens id in the reader and waits until it shows.
func openDoc(tb testing.TB, u *UI, l *uiLoop, id string) {
	tb.Helper()
	u.open(id)
	l.until(tb, "the reader to open the document", func() bool {
		return u.reader.Doc() != nil && u.reader.Doc().ID == id
	})
}

// mustPin stores a quote the way the backend does and waits for the UI to
// show it.
func mustPin(tb testing.TB, u *UI, l *uiLoop, p *project.Project, docID string, start, end int) notes.Quote {
	tb.Helper()
	q := &notes.Quote{DocID: docID, Start: start, End: end, Color: "blue"}
	if err := p.AddQuote(context.Background(), q); err != nil {
		tb.Fatalf("add quote: %v", err)
	}
	u.quotes.reload()
	l.until(tb, "the quotes pane to list the quote", func() bool { return u.quotes.pane.index(q.ID) >= 0 })
	return *q
}

// drawnColors returns the fill colours of the highlight rectangles the
// reader draws now.
func drawnColors(u *UI) []color.Color {
	tv := u.reader.view.tv
	if tv.r == nil {
		test.WidgetRenderer(tv)
	}
	tv.r.update()
	var cs []color.Color
	for _, o := range tv.r.objects {
		if rc, ok := o.(*canvas.Rectangle); ok && rc.Visible() {
			cs = append(cs, rc.FillColor)
		}
	}
	return cs
}

func hasColor(cs []color.Color, want color.Color) bool {
	wr, wg, wb, wa := want.RGBA()
	for _, c := range cs {
		r, g, b, a := c.RGBA()
		if r == wr && g == wg && b == wb && a == wa {
			return true
		}
	}
	return false
}

func TestQuotes_PinSelectionStoresQuoteAndHighlightsIt(t *testing.T) {
	const phrase = "operational since 2017"
	for _, how := range []string{"shortcut", "button", "menu"} {
		t.Run(how, func(t *testing.T) {
			p := mustOpenProject(t)
			u, l := newTestUI(t, p, Options{})
			doc, start, end := docWith(t, p, phrase)
			openDoc(t, u, l, doc.ID)
			test.WidgetRenderer(u.reader.view) // draw the reader as a window would

			// Select the passage as a drag would leave it, in bytes.
			tv := u.reader.view.tv
			tv.Select(strings.Index(doc.Text, phrase), strings.Index(doc.Text, phrase)+len(phrase))
			if s, e, text := u.reader.Selection(); s != start || e != end || text != phrase {
				t.Fatalf("selection = %d,%d %q, want %d,%d %q", s, e, text, start, end, phrase)
			}
			switch how {
			case "shortcut":
				// The reader has the focus and hands shortcuts it does not
				// use to the window's, as it does for Ctrl+Shift+Q.
				u.win.Canvas().Focus(tv)
				tv.TypedShortcut(pinShortcut)
			case "button":
				test.Tap(u.quotes.pin)
			case "menu":
				items := tv.menuItems(strings.Index(doc.Text, phrase))
				if len(items) == 0 || items[0].Label != "Pin quote" || items[0].Disabled {
					t.Fatalf("the reader's menu should offer Pin quote, got %v", items)
				}
				items[0].Action()
			}
			l.until(t, "the quote to be pinned", func() bool { return len(u.quotes.pane.all) == 1 })

			qs, err := p.Quotes().Quotes(context.Background(), notes.QuoteFilter{DocID: doc.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(qs) != 1 {
				t.Fatalf("store has %d quotes of the document, want 1", len(qs))
			}
			q := qs[0]
			if q.Start != start || q.End != end || q.Exact != phrase {
				t.Fatalf("stored quote = %d,%d %q, want %d,%d %q", q.Start, q.End, q.Exact, start, end, phrase)
			}
			if !strings.HasSuffix(q.Prefix, "The airbase, ") || !strings.HasPrefix(q.Suffix, ", has long") {
				t.Errorf("prefix/suffix = %q / %q", q.Prefix, q.Suffix)
			}
			if q.Color != defaultQuoteColor {
				t.Errorf("colour = %q, want %q", q.Color, defaultQuoteColor)
			}

			// The passage stays marked in the reader, in the quote's colour.
			if len(tv.marks) != 1 || doc.Text[tv.marks[0].Start:tv.marks[0].End] != phrase {
				t.Fatalf("reader marks = %v, want the pinned passage", tv.marks)
			}
			tv.Select(0, 0)
			if cs := drawnColors(u); !hasColor(cs, quoteTint(defaultQuoteColor, isDark())) {
				t.Fatalf("the reader draws no rectangle in the quote's colour (drew %v)", cs)
			}
			if u.details.tabs.Selected() != u.quotes.tab {
				t.Error("pinning should show the Quotes tab")
			}
		})
	}
}

func TestQuotes_PinWithoutSelectionSaysWhatToDo(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc, _, _ := docWith(t, p, "operational since 2017")
	openDoc(t, u, l, doc.ID)
	u.quotes.pinSelection()
	l.runFor(50 * 1e6)
	if !strings.Contains(u.status.Text, "Select a passage") {
		t.Fatalf("status = %q, want a hint to select a passage", u.status.Text)
	}
	if qs, _ := p.Quotes().Quotes(context.Background(), notes.QuoteFilter{}); len(qs) != 0 {
		t.Fatalf("pinning nothing stored %d quotes", len(qs))
	}
}

func TestQuotes_HitsAndSelectionStayVisibleOverAQuote(t *testing.T) {
	const phrase = "operational since 2017"
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc, start, end := docWith(t, p, phrase)
	mustPin(t, u, l, p, doc.ID, start, end)
	typeQuery(u, "operational")
	waitResults(t, u, l, "operational")
	openDoc(t, u, l, doc.ID)
	l.until(t, "the hits to be highlighted", func() bool { return len(u.reader.view.tv.hits) > 0 })
	test.WidgetRenderer(u.reader.view)
	tv := u.reader.view.tv
	tv.Select(strings.Index(doc.Text, phrase), strings.Index(doc.Text, phrase)+len(phrase))

	th := u.app.Settings().Theme()
	v := u.app.Settings().ThemeVariant()
	cs := drawnColors(u)
	for name, want := range map[string]color.Color{
		"quote tint":      quoteTint("blue", isDark()),
		"quote underline": quoteColor("blue", isDark()),
		"search hit":      th.Color(colorNameHitCurrent, v),
		"selection":       th.Color("selection", v),
	} {
		if !hasColor(cs, want) {
			t.Errorf("no %s drawn over the pinned passage", name)
		}
	}
	// Drawn in this order: the quote's tint under the hit, its underline
	// over the hit (so the passage still shows where a hit covers it), the
	// selection over everything.
	idx := func(want color.Color) int {
		for i, c := range cs {
			if hasColor([]color.Color{c}, want) {
				return i
			}
		}
		return -1
	}
	tint, hit := idx(quoteTint("blue", isDark())), idx(th.Color(colorNameHitCurrent, v))
	line, sel := idx(quoteColor("blue", isDark())), idx(th.Color("selection", v))
	if !(tint < hit && hit < line && line < sel) {
		t.Errorf("drawn in the order tint %d, hit %d, underline %d, selection %d", tint, hit, line, sel)
	}
}

func TestQuotes_TappingACardOpensThePassageSelected(t *testing.T) {
	const phrase = "attended the October 23 ceremony"
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc, start, end := docWith(t, p, phrase)
	q := mustPin(t, u, l, p, doc.ID, start, end)

	card := u.quotes.pane.createCard().(*quoteCard)
	u.quotes.pane.updateCard(u.quotes.pane.index(q.ID), card)
	if !strings.Contains(card.exact.text, phrase) {
		t.Fatalf("card shows %q", card.exact.text)
	}
	if got := card.source.parts[0].text; got != doc.Title {
		t.Errorf("card source = %q, want %q", got, doc.Title)
	}
	if got := card.meta.parts[0].text; !strings.Contains(got, doc.Published.Human()) || !strings.Contains(got, "ungraded") {
		t.Errorf("card meta = %q, want the source date and grade", got)
	}
	test.Tap(card)
	l.until(t, "the reader to open the quote's source", func() bool {
		return u.reader.Doc() != nil && u.reader.Doc().ID == doc.ID
	})
	if s, e, text := u.reader.Selection(); s != start || e != end || text != phrase {
		t.Fatalf("reader selection = %d,%d %q, want %d,%d %q", s, e, text, start, end, phrase)
	}
	if u.tabs.Selected() != u.readerTab {
		t.Error("opening a quote should show the reader")
	}
}

func TestQuotes_SearchResultSaysQuoteAndOpensAtPassage(t *testing.T) {
	const phrase = "operational since 2017"
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc, start, end := docWith(t, p, phrase)
	mustPin(t, u, l, p, doc.ID, start, end)

	typeQuery(u, "type:quote operational")
	waitResults(t, u, l, "type:quote operational")
	if len(u.results.hits) != 1 {
		t.Fatalf("%d quote hits, want 1", len(u.results.hits))
	}
	row := u.results.createRow().(*rowHolder)
	u.results.updateRow(0, row)
	if got, want := row.row.title.parts[0].text, "Quote · "+doc.Title; got != want {
		t.Fatalf("result row title = %q, want %q", got, want)
	}
	press(u, fyne.KeyReturn)
	l.until(t, "the reader to open the quote", func() bool {
		s, e, _ := u.reader.Selection()
		return u.reader.Doc() != nil && u.reader.Doc().ID == doc.ID && s == start && e == end
	})
}

func TestQuotes_FilterAndSort(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	d1, s1, e1 := docWith(t, p, "operational since 2017")
	d2, s2, e2 := docWith(t, p, "attended the October 23 ceremony")
	q2 := mustPin(t, u, l, p, d2.ID, s2, e2)
	q1 := mustPin(t, u, l, p, d1.ID, s1, e1)
	q2.Tags = []string{"dates"}
	q2.Comment = "the opening"
	if err := p.UpdateQuote(context.Background(), &q2); err != nil {
		t.Fatal(err)
	}
	d2.Published = notes.MonthDate(2003, 10)
	if err := p.UpdateSourceMeta(context.Background(), d2); err != nil {
		t.Fatal(err)
	}
	u.reloadLibrary()
	u.quotes.reload()
	l.until(t, "the tag and date to reach the pane", func() bool {
		v, _ := u.quotes.view(q2.ID)
		return len(u.quotes.pane.tag.Options) == 2 && v.doc != nil && v.doc.Published.Known()
	})
	pane := u.quotes.pane
	ids := func() (out []string) {
		for _, v := range pane.shown {
			out = append(out, v.q.ID)
		}
		return out
	}
	only := func(what, id string) {
		t.Helper()
		if got := ids(); len(got) != 1 || got[0] != id {
			t.Fatalf("%s = %v, want only %s", what, got, id)
		}
	}
	if got := ids(); len(got) != 2 || got[0] != q1.ID {
		t.Fatalf("newest pinned first: %v, want %s first", got, q1.ID)
	}
	// 002 (now dated Oct 2003) comes before 001 (undated, so last either
	// way) in source date order.
	for _, how := range []string{sortSourceOld, sortSourceNew} {
		pane.sortBy.SetSelected(how)
		if got := ids(); got[0] != q2.ID {
			t.Fatalf("%s = %v, want %s first", how, got, q2.ID)
		}
	}
	if !strings.Contains(pane.shown[0].sourceMeta(), "Oct 2003") {
		t.Errorf("card meta = %q, want the source date", pane.shown[0].sourceMeta())
	}
	pane.tag.SetSelected("dates")
	only("tag filter", q2.ID)
	pane.tag.SetSelected(allQuoteTags)
	pane.filter.SetText("OPERATIONAL")
	only("text filter", q1.ID)
	// Comments and tags are searched too, and filtering keeps the order.
	pane.filter.SetText("Opening")
	only("comment filter", q2.ID)
	pane.sortBy.SetSelected(sortPinnedOld)
	pane.filter.SetText("")
	if got := ids(); len(got) != 2 || got[0] != q2.ID {
		t.Fatalf("oldest pinned first, unfiltered: %v, want %s first", got, q2.ID)
	}
	pane.filter.SetText("dates")
	only("tag text filter", q2.ID)
	pane.filter.SetText("")
	pane.ShowSource(d2.ID)
	only("source filter", q2.ID)
}

func TestQuotes_EditDeleteUndo(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	d, s, e := docWith(t, p, "operational since 2017")
	q := mustPin(t, u, l, p, d.ID, s, e)
	v, _ := u.quotes.view(q.ID)

	ed := u.quotes.editDialog(v)
	ed.comment.SetText("contradicts the 2003 ceremony")
	ed.tags.SetText("dates, claim ,dates")
	ed.colour.SetSelected("Pink")
	ed.dlg.Submit()
	l.until(t, "the edit to be saved", func() bool {
		v, _ := u.quotes.view(q.ID)
		return v.q.Comment != ""
	})
	got, err := p.Quotes().Quote(context.Background(), q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Comment != "contradicts the 2003 ceremony" || strings.Join(got.Tags, ",") != "dates,claim" || got.Color != "pink" {
		t.Fatalf("stored quote = %q %v %q", got.Comment, got.Tags, got.Color)
	}
	if m := u.reader.view.tv.marks; len(m) > 0 && m[0].color != "pink" {
		t.Errorf("reader mark colour = %q after the edit", m[0].color)
	}

	v, _ = u.quotes.view(q.ID)
	u.quotes.delete(v)
	l.until(t, "the quote to go", func() bool { return len(u.quotes.pane.all) == 0 })
	if _, err := p.Quotes().Quote(context.Background(), q.ID); notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Fatalf("after delete the store answers %v", err)
	}
	if !u.quotes.pane.undo.Visible() {
		t.Fatal("a deletion should offer Undo")
	}
	u.quotes.pane.onUndo()
	l.until(t, "the quote to come back", func() bool { return len(u.quotes.pane.all) == 1 })
	back, err := p.Quotes().Quote(context.Background(), q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Comment != got.Comment || back.Color != "pink" || back.Exact != q.Exact {
		t.Fatalf("restored quote = %+v", back)
	}
}

func TestQuotes_InsertIntoNote(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	d, s, e := docWith(t, p, "operational since 2017")
	q := mustPin(t, u, l, p, d.ID, s, e)
	var got string
	u.quotes.insertIntoNote = func(md string) { got += md }

	card := u.quotes.pane.createCard().(*quoteCard)
	u.quotes.pane.updateCard(u.quotes.pane.index(q.ID), card)
	test.Tap(card.insert)
	want := "> operational since 2017\n> — [[quote:" + q.ID + "|" + d.Title + "]]"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("inserted %q, want it to start with %q", got, want)
	}

	// Dragging the card out of the pane and dropping it inserts it too;
	// dropping it back on the pane does not.
	got = ""
	u.details.tabs.Select(u.quotes.tab)
	paneAt := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.quotes.pane.content)
	inside := paneAt.AddXY(10, 10)
	card.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: inside}})
	card.DragEnd()
	if got != "" {
		t.Fatalf("a drop inside the pane inserted %q", got)
	}
	card.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(300, 300)}})
	card.DragEnd()
	if !strings.HasPrefix(got, want) {
		t.Fatalf("a drop on the centre inserted %q", got)
	}

	// Without a note to insert into, the Markdown goes to the clipboard.
	u.quotes.insertIntoNote = nil
	test.Tap(card.insert)
	if clip := u.app.Clipboard().Content(); !strings.HasPrefix(clip, want) {
		t.Fatalf("clipboard = %q", clip)
	}
}

func TestCompare_ContradictingQuotesSideBySide(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	d1, s1, e1 := docWith(t, p, "operational since 2017")
	d2, s2, e2 := docWith(t, p, "attended the October 23 ceremony")
	q1 := mustPin(t, u, l, p, d1.ID, s1, e1)
	q2 := mustPin(t, u, l, p, d2.ID, s2, e2)
	if err := p.SetGrade(context.Background(), d2.ID, "B2", "named reporter, official sources"); err != nil {
		t.Fatal(err)
	}
	u.reloadLibrary()
	l.until(t, "the grade to reach the cards", func() bool {
		v, _ := u.quotes.view(q2.ID)
		return v.doc != nil && v.doc.Grade == "B2"
	})
	if u.quotes.compare.empty.Hidden {
		t.Fatal("Compare should explain itself before any relation exists")
	}

	v1, _ := u.quotes.view(q1.ID)
	rd := u.quotes.relateDialog(v1, notes.RelContradicts)
	if len(rd.other.Options) != 1 {
		t.Fatalf("relate offers %v, want the one other quote", rd.other.Options)
	}
	rd.other.SetSelected(rd.other.Options[0])
	rd.note.SetText("2017 vs the 2003 opening")
	rd.dlg.Submit()
	l.until(t, "the compare view to show the pair", func() bool { return u.quotes.compare.cur != "" })

	rels, err := p.Quotes().Relations(context.Background(), q1.ID)
	if err != nil || len(rels) != 1 || rels[0].Kind != notes.RelContradicts || rels[0].B != q2.ID {
		t.Fatalf("stored relations = %+v, %v", rels, err)
	}
	if u.tabs.Selected() != u.quotes.compareTab {
		t.Fatal("relating two quotes should show Compare")
	}
	c := u.quotes.compare
	if c.left.id != q1.ID || c.right.id != q2.ID {
		t.Fatalf("compare shows %s | %s, want %s | %s", c.left.id, c.right.id, q1.ID, q2.ID)
	}
	if c.left.title.Text != ellipsize(d1.Title, 120) || c.right.title.Text != d2.Title {
		t.Errorf("compare titles = %q | %q", c.left.title.Text, c.right.title.Text)
	}
	if c.left.grade.Text != "ungraded" || c.right.grade.Text != "grade B2" {
		t.Errorf("compare grades = %q | %q", c.left.grade.Text, c.right.grade.Text)
	}
	if !strings.Contains(c.left.text.tv.text, "operational since 2017") || !strings.Contains(c.right.text.tv.text, "October 23 ceremony") {
		t.Errorf("compare texts = %q | %q", c.left.text.tv.text, c.right.text.tv.text)
	}
	var verdict string
	for _, s := range c.verdict.Segments {
		verdict += s.Textual()
	}
	if !strings.Contains(verdict, "contradicts") || !strings.Contains(verdict, "2017 vs the 2003 opening") {
		t.Errorf("verdict = %q", verdict)
	}
	if !strings.Contains(c.right.meta.Text, d2.Published.Human()) {
		t.Errorf("right meta = %q, want the source date", c.right.meta.Text)
	}

	// "Open in reader" on the right opens the ceremony at its passage.
	test.Tap(c.right.open)
	l.until(t, "the reader to open the right quote", func() bool {
		s, e, _ := u.reader.Selection()
		return u.reader.Doc() != nil && u.reader.Doc().ID == d2.ID && s == s2 && e == e2
	})
}

func TestSourcePanel_GradeShowsEverywhereAndIsSearchable(t *testing.T) {
	const phrase = "attended the October 23 ceremony"
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc, start, end := docWith(t, p, phrase)
	q := mustPin(t, u, l, p, doc.ID, start, end)
	openDoc(t, u, l, doc.ID)
	ed := u.details.editor
	ed.delay = 20 * time.Millisecond
	if ed.title.Text != doc.Title || ed.reliability.Selected != notGraded {
		t.Fatalf("editor shows %q / %q", ed.title.Text, ed.reliability.Selected)
	}

	// One half of a grade is not saved, and says why.
	ed.reliability.SetSelected(choiceFor(reliabilityChoices, "B"))
	if !strings.Contains(ed.status.Text, "credibility") || ed.status.Importance != widget.DangerImportance {
		t.Fatalf("status = %q, want a request for the credibility", ed.status.Text)
	}
	ed.credibility.SetSelected(choiceFor(credibilityChoices, "2"))
	test.Type(ed.gradeNote, "named reporter")
	ed.published.SetText("2003-10-23")
	l.until(t, "the grade to be saved", func() bool { return strings.HasPrefix(ed.status.Text, "Saved") })

	got, err := p.Store.Document(context.Background(), doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Grade != "B2" || got.GradeNote != "named reporter" || got.Published != notes.DayDate(2003, 10, 23) {
		t.Fatalf("stored %q %q %v", got.Grade, got.GradeNote, got.Published)
	}

	// The library's row says B2.
	l.until(t, "the library to show the grade", func() bool {
		for _, d := range u.library.shown {
			if d.ID == doc.ID {
				return d.Grade == "B2"
			}
		}
		return false
	})
	row := u.library.createRow().(*libraryRow)
	for i, d := range u.library.shown {
		if d.ID == doc.ID {
			u.library.updateRow(i, row)
		}
	}
	if meta := row.meta.parts[0].text; !strings.Contains(meta, "B2") || !strings.Contains(meta, "23 Oct 2003") {
		t.Errorf("library row = %q, want the grade and the new date", meta)
	}
	// The reader's header and the quote's card too.
	if m := u.reader.meta.Segments[0].Textual(); !strings.Contains(m, "grade B2") {
		t.Errorf("reader header = %q", m)
	}
	if v, _ := u.quotes.view(q.ID); !strings.Contains(v.sourceMeta(), "grade B2") {
		t.Errorf("quote card meta = %q", v.sourceMeta())
	}

	// grade:B2 finds the source and its quote, and the results say B2.
	typeQuery(u, "grade:B2")
	waitResults(t, u, l, "grade:B2")
	found := map[string]bool{}
	for i, h := range u.results.hits {
		found[h.ID] = true
		r := u.results.createRow().(*rowHolder)
		u.results.updateRow(i, r)
		if meta := r.row.meta.parts[0].text; !strings.Contains(meta, "grade B2") {
			t.Errorf("result %q meta = %q", h.Title, meta)
		}
	}
	if !found[doc.ID] || !found[q.ID] || len(found) != 2 {
		t.Fatalf("grade:B2 found %v, want the source %s and its quote %s", found, doc.ID, q.ID)
	}
}

func TestSourcePanel_BadDateIsRefusedAndEditsFlushOnSwitch(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	d1, _, _ := docWith(t, p, "operational since 2017")
	d2, _, _ := docWith(t, p, "attended the October 23 ceremony")
	openDoc(t, u, l, d1.ID)
	ed := u.details.editor
	ed.delay = time.Hour // only a flush saves

	ed.published.SetText("23/10/2003")
	if ed.status.Importance != widget.DangerImportance || !strings.Contains(ed.status.Text, "2003-10-23") {
		t.Fatalf("status = %q, want how to write a date", ed.status.Text)
	}
	ed.published.SetText("2017")
	if got := ed.precision.Text; !strings.HasPrefix(got, "Year precision") {
		t.Errorf("precision = %q", got)
	}
	ed.title.SetText("Japarov on the Kant airbase")
	openDoc(t, u, l, d2.ID) // shows another source: the edit is saved first
	l.until(t, "the first source's edit to be saved", func() bool {
		d, err := p.Store.Document(context.Background(), d1.ID)
		return err == nil && d.Title == "Japarov on the Kant airbase" && d.Published == notes.YearDate(2017)
	})
	if ed.title.Text != d2.Title {
		t.Fatalf("editor shows %q, want the second source", ed.title.Text)
	}
}

// A short text shown after a longer one (the compare view's sides, the
// reader after a long document) draws only its own lines.
func TestTextView_ShorterTextLeavesNoStaleLines(t *testing.T) {
	d, _ := newTestDocView(t, longText(3000), nil)
	d.SetText("…and his Kyrgyz counterpart Askar Akaev attended the October 23 ceremony at the base…", nil)
	d.Refresh()
	var shown []string
	for _, o := range d.tv.r.objects {
		if tx, ok := o.(*canvas.Text); ok && tx.Visible() && tx.Text != "" {
			shown = append(shown, tx.Text)
		}
	}
	if got := strings.Join(shown, " "); !strings.Contains(got, "Akaev") || strings.Contains(got, "Kant") {
		t.Fatalf("the view draws %q", shown)
	}
}

// Closing the window saves a source edit still waiting for its pause.
func TestSourcePanel_CloseSavesPendingEdit(t *testing.T) {
	p := mustOpenProject(t)
	dir := p.Dir
	u, l := newTestUI(t, p, Options{})
	d, _, _ := docWith(t, p, "operational since 2017")
	openDoc(t, u, l, d.ID)
	u.details.editor.delay = time.Hour
	u.details.editor.publisher.SetText("ria.ru")
	if err := u.Close(); err != nil {
		t.Fatal(err)
	}
	p2, err := project.Open(context.Background(), dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	got, err := p2.Store.Document(context.Background(), d.ID)
	if err != nil || got.Source != "ria.ru" {
		t.Fatalf("after close the source's publisher is %q (%v), want ria.ru", got.Source, err)
	}
}

// Right-clicking a pinned passage offers to edit or delete its quote.
func TestQuotes_ReaderMenuOnAPinnedPassage(t *testing.T) {
	const phrase = "operational since 2017"
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	doc, start, end := docWith(t, p, phrase)
	mustPin(t, u, l, p, doc.ID, start, end)
	openDoc(t, u, l, doc.ID)
	tv := u.reader.view.tv
	var labels []string
	for _, it := range tv.menuItems(strings.Index(doc.Text, phrase) + 3) {
		labels = append(labels, it.Label)
	}
	if got := strings.Join(labels, ", "); got != "Pin quote, Edit quote…, Show in Quotes, Delete quote" {
		t.Fatalf("menu on the passage = %s", got)
	}
	if items := tv.menuItems(0); len(items) != 1 || !items[0].Disabled {
		t.Fatalf("menu away from any passage, nothing selected = %v, want only a disabled Pin quote", items)
	}
}

func TestQuoteMarkdown_CitesAuthorTitleAndPage(t *testing.T) {
	pub, _ := notes.ParseDate("2003-10-23")
	v := quoteView{
		q:   notes.Quote{ID: "q1", Exact: "Akaev attended\nthe ceremony [[x]]", Page: 12},
		doc: &notes.Document{Title: "Kyrgyzstan Sticks Close to Russia", Author: "Leila Saralaeva", Source: "iwpr.net", Published: pub},
	}
	want := "> Akaev attended\n> the ceremony \\[[x]]\n" +
		"> — Leila Saralaeva, [[quote:q1|Kyrgyzstan Sticks Close to Russia]], iwpr.net, " + pub.Human() + ", p. 12\n"
	if got := quoteMarkdown(v); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
