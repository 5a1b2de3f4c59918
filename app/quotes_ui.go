package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
	"dossier/project"
)

// Icons of the quote features (Material Design paths), themed so that
// they follow the foreground colour.
var (
	quoteIcon = theme.NewThemedResource(fyne.NewStaticResource("quote.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="M6 17h3l2-4V7H5v6h3zm8 0h3l2-4V7h-6v6h3z"/></svg>`)))
	pinIcon = theme.NewThemedResource(fyne.NewStaticResource("pin.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="M16 9V4h1c.55 0 1-.45 1-1s-.45-1-1-1H7c-.55 0-1 .45-1 1s.45 1 1 1h1v5c0 1.66-1.34 3-3 3v2h5.97v7l1 1 1-1v-7H19v-2c-1.66 0-3-1.34-3-3z"/></svg>`)))
	compareIcon = theme.NewThemedResource(fyne.NewStaticResource("compare.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="M9.01 14H2v2h7.01v3L13 15l-3.99-4v3zm5.98-1v-3H22V8h-7.01V5L11 9l3.99 4z"/></svg>`)))
)

// quotesUI owns everything about quotes in the window: pinning from the
// reader, the Quotes tab beside Details, the passages drawn in the reader,
// the Compare tab, and quotes among the search results. It keeps every
// quote and relation of the project in memory (a researcher pins hundreds,
// not millions) and reloads them after each change.
type quotesUI struct {
	u          *UI
	pane       *quotesPane
	compare    *compareView
	tab        *container.TabItem // Quotes, in the right-hand tabs
	compareTab *container.TabItem // Compare, in the centre tabs
	pin        *widget.Button     // Pin quote, in the reader's header

	quotes []notes.Quote
	rels   []notes.Relation
	docs   map[string]*notes.Document // the library's sources by id
	gen    uint64                     // of the latest reload

	deleted *deletedQuote // the last deletion, until undone or replaced
	ghost   *widget.PopUp // follows the pointer while a card is dragged

	// insertIntoNote inserts Markdown at the caret of the open note: the
	// notes pane's UI.insertIntoNote when the window has one. While it is
	// nil a quote is copied to the clipboard instead, and the status line
	// says so.
	insertIntoNote func(markdown string)
	// acceptsDrop, if set, says whether a card dropped at this absolute
	// position lands in the note editor; while it is nil any drop outside
	// the quotes pane inserts the quote.
	acceptsDrop func(abs fyne.Position) bool

	// onChanged, if set, runs after every reload (tests wait on it).
	onChanged func()
}

// deletedQuote is what undoing a deletion restores.
type deletedQuote struct {
	q    notes.Quote
	rels []notes.Relation
}

// pinShortcut is Ctrl+Shift+Q, Pin quote.
var pinShortcut = shortcut(fyne.KeyQ, ctrl|fyne.KeyModifierShift)

// newQuotesUI adds the quote features to u's window: it must run after
// the panes and the window's shortcuts exist.
func newQuotesUI(u *UI) *quotesUI {
	q := &quotesUI{u: u, docs: map[string]*notes.Document{}}
	q.pane = newQuotesPane(u.do)
	q.pane.onOpen = q.open
	q.pane.onInsert = q.insert
	q.pane.onEdit = q.edit
	q.pane.onMenu = q.showMenu
	q.pane.onDrag = q.dragged
	q.pane.onDrop = q.dropped
	q.pane.onUndo = q.undoDelete
	q.tab = newLazyTab("Quotes", quoteIcon, q.pane.content)
	u.details.tabs.Append(q.tab)

	q.compare = newCompareView()
	q.compare.onOpen = q.openQuote
	q.compare.onDelete = q.deleteRelation
	q.compareTab = newLazyTab("Compare", compareIcon, q.compare.content)
	u.tabs.Append(q.compareTab)

	q.pin = widget.NewButtonWithIcon("Pin quote", pinIcon, q.pinSelection)
	q.pin.Importance = widget.LowImportance
	u.reader.actions.Add(q.pin)
	u.reader.view.tv.menuItems = q.readerMenu

	// The notes pane (another file, merged separately) provides
	// UI.insertIntoNote; found this way, it needs no wiring here and its
	// absence no stub.
	if n, ok := any(u).(interface{ insertIntoNote(string) }); ok {
		q.insertIntoNote = n.insertIntoNote
	}

	u.shortcuts[pinShortcut.ShortcutName()] = q.pinSelection
	u.win.Canvas().AddShortcut(pinShortcut, func(fyne.Shortcut) { q.pinSelection() })
	return q
}

func (q *quotesUI) project() *project.Project { return q.u.proj }

// reload reads every quote and relation again and refreshes what shows
// them. Call it after any change and when a project opens.
func (q *quotesUI) reload() {
	p := q.project()
	q.gen++
	gen := q.gen
	if p == nil {
		q.quotes, q.rels = nil, nil
		q.refresh()
		return
	}
	q.u.bg.Add(1)
	go func() {
		defer q.u.bg.Done()
		ctx := context.Background()
		qs, err := p.Quotes().Quotes(ctx, notes.QuoteFilter{})
		var rels []notes.Relation
		if err == nil {
			rels, err = p.Quotes().Relations(ctx, "")
		}
		q.u.do(func() {
			if gen != q.gen || q.project() != p {
				return
			}
			if err != nil {
				q.u.showError(err)
				return
			}
			q.quotes, q.rels = qs, rels
			q.refresh()
			q.u.startupLoaded()
		})
	}()
}

// docsChanged takes the library's new list of sources (titles, dates and
// grades on the cards).
func (q *quotesUI) docsChanged() {
	q.docs = make(map[string]*notes.Document, len(q.u.docs))
	for i := range q.u.docs {
		q.docs[q.u.docs[i].ID] = &q.u.docs[i]
	}
	q.refresh()
}

// views joins the quotes with their sources.
func (q *quotesUI) views() []quoteView {
	rels := map[string]int{}
	for _, r := range q.rels {
		rels[r.A]++
		rels[r.B]++
	}
	vs := make([]quoteView, len(q.quotes))
	for i, qt := range q.quotes {
		vs[i] = quoteView{q: qt, doc: q.docs[qt.DocID], rels: rels[qt.ID]}
	}
	return vs
}

func (q *quotesUI) view(id string) (quoteView, bool) {
	for _, v := range q.views() {
		if v.q.ID == id {
			return v, true
		}
	}
	return quoteView{}, false
}

func (q *quotesUI) refresh() {
	vs := q.views()
	q.pane.SetQuotes(vs)
	q.compare.SetRelations(q.rels, vs)
	q.markReader()
	if q.onChanged != nil {
		q.onChanged()
	}
}

// markReader draws the open document's quotes in the reader.
func (q *quotesUI) markReader() {
	r := q.u.reader
	if r.Doc() == nil {
		return
	}
	var mine []notes.Quote
	for _, qt := range q.quotes {
		if qt.DocID == r.Doc().ID {
			mine = append(mine, qt)
		}
	}
	r.view.tv.SetMarks(quoteMarks(r.view.tv.text, mine))
}

// docLoaded runs when the reader shows a document.
func (q *quotesUI) docLoaded(*notes.Document) { q.markReader() }

// setStatus says something on the status line.
func (q *quotesUI) setStatus(msg string) { q.u.status.SetText(msg) }

// pinSelection pins the reader's selection as a quote (Pin quote,
// Ctrl+Shift+Q, the reader's right-click menu).
func (q *quotesUI) pinSelection() {
	p, doc := q.project(), q.u.reader.Doc()
	if p == nil || doc == nil {
		q.setStatus("Open a source and select a passage to pin it as a quote.")
		return
	}
	start, end, text := q.u.reader.Selection()
	if start == end || strings.TrimSpace(text) == "" {
		q.setStatus("Select a passage in the reader first, then pin it.")
		return
	}
	qt := &notes.Quote{DocID: doc.ID, Start: start, End: end, Color: defaultQuoteColor}
	q.u.bg.Add(1)
	go func() {
		defer q.u.bg.Done()
		err := p.AddQuote(context.Background(), qt)
		q.u.do(func() {
			if q.project() != p {
				return
			}
			if err != nil && qt.ID == "" {
				q.u.showError(err)
				return
			}
			if err != nil {
				q.u.showError(err) // stored, but the index lags: still shown
			}
			q.quotes = append(q.quotes, *qt)
			q.refresh()
			q.u.details.tabs.Select(q.tab)
			q.pane.Reveal(qt.ID)
			q.setStatus(fmt.Sprintf("Pinned “%s”.", shortQuote(qt.Exact, 60)))
			q.reload()
		})
	}()
}

// readerMenu heads the reader's right-click menu: pin the selection, and
// for a click on a pinned passage, edit or delete that quote.
func (q *quotesUI) readerMenu(o int) []*fyne.MenuItem {
	pin := fyne.NewMenuItem("Pin quote", q.pinSelection)
	pin.Icon = pinIcon
	pin.Shortcut = pinShortcut
	pin.Disabled = q.u.reader.view.tv.SelectedText() == ""
	items := []*fyne.MenuItem{pin}
	if id := q.u.reader.view.tv.markAt(o); id != "" {
		if v, ok := q.view(id); ok {
			items = append(items,
				fyne.NewMenuItem("Edit quote…", func() { q.edit(v) }),
				fyne.NewMenuItem("Show in Quotes", func() { q.reveal(v.q.ID) }),
				fyne.NewMenuItem("Delete quote", func() { q.delete(v) }))
		}
	}
	return items
}

// reveal shows quote id's card in the Quotes tab.
func (q *quotesUI) reveal(id string) {
	q.u.details.tabs.Select(q.tab)
	if q.pane.index(id) < 0 {
		q.pane.filter.SetText("")
		q.pane.ShowSource("")
		q.pane.tag.SetSelected(allQuoteTags)
	}
	q.pane.Reveal(id)
}

// open shows a quote's passage selected in the reader.
func (q *quotesUI) open(v quoteView) {
	if v.q.Orphaned {
		q.u.open(v.q.DocID)
		q.setStatus("This quote is no longer found in its source; the source is open instead.")
		return
	}
	q.u.openAt(v.q.DocID, v.q.Start, v.q.End)
}

// openQuote opens quote id in the reader, loading it if it is not in
// memory yet (a search hit from another window's pin).
func (q *quotesUI) openQuote(id string) {
	if v, ok := q.view(id); ok {
		q.open(v)
		return
	}
	p := q.project()
	if p == nil {
		return
	}
	go func() {
		qt, err := p.Quotes().Quote(context.Background(), id)
		q.u.do(func() {
			if err != nil {
				q.u.showError(err)
				return
			}
			q.open(quoteView{q: *qt})
		})
	}()
}

// hitTitle is a search result's title line: a quote's says what it is
// and where it comes from (a quote item's Title is its source's title).
func hitTitle(h notes.Hit) string {
	if h.Type == notes.KindQuote {
		return "Quote · " + orDefault(h.Title, "Untitled")
	}
	return orDefault(h.Title, "Untitled")
}

// quoteMarkdown is a quote as a Markdown block quote that links back to
// it, the way it goes into a note:
//
//	> The airbase, operational since 2017, has long been …
//	> — [[quote:ID|Source title]], ria.ru, 2023
func quoteMarkdown(v quoteView) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(v.q.Exact), "\n") {
		line = strings.TrimSpace(line)
		// A [[ in the passage must not become a link in the note.
		line = strings.ReplaceAll(line, "[[", `\[[`)
		b.WriteString("> " + line + "\n")
	}
	alias := strings.NewReplacer("|", "/", "]]", "] ]", "[[", "[ [", "\n", " ").Replace(v.sourceTitle())
	link := "[[quote:" + v.q.ID + "|" + alias + "]]"
	if v.doc != nil {
		// "Author, [[quote:…|Title]], Source, date, p. 12": a citation
		// whose title opens the passage.
		b.WriteString("> — " + notes.CitationWithTitle(v.doc, v.q.Page, link))
	} else {
		b.WriteString("> — " + link)
	}
	b.WriteString("\n")
	return b.String()
}

// insert puts the quote into the open note as a block quote.
func (q *quotesUI) insert(v quoteView) {
	md := quoteMarkdown(v)
	if q.insertIntoNote != nil {
		q.insertIntoNote(md)
		q.setStatus("Quote inserted into the note.")
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(md)
	q.setStatus("No note is open: the quote is on the clipboard as Markdown.")
}

// dragged moves a small label with the pointer while a card is dragged.
func (q *quotesUI) dragged(v quoteView, pos fyne.Position) {
	if q.ghost == nil {
		lbl := widget.NewLabelWithStyle("“"+shortQuote(v.q.Exact, 40)+"”", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		q.ghost = widget.NewPopUp(container.NewHBox(widget.NewIcon(quoteIcon), lbl), q.u.win.Canvas())
		q.ghost.ShowAtPosition(pos.AddXY(12, 12))
		return
	}
	q.ghost.Move(pos.AddXY(12, 12))
}

// dropped ends a card's drag: dropped on the note (or, while the notes
// pane does not say where that is, anywhere outside the quotes pane), the
// quote is inserted.
func (q *quotesUI) dropped(v quoteView, pos fyne.Position) {
	if q.ghost != nil {
		q.ghost.Hide()
		q.ghost = nil
	}
	var into bool
	if q.acceptsDrop != nil {
		into = q.acceptsDrop(pos)
	} else {
		into = !within(q.pane.content, pos)
	}
	if into {
		q.insert(v)
	}
}

// within reports whether the absolute position pos lies on o.
func within(o fyne.CanvasObject, pos fyne.Position) bool {
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(o)
	s := o.Size()
	return o.Visible() && pos.X >= at.X && pos.Y >= at.Y && pos.X < at.X+s.Width && pos.Y < at.Y+s.Height
}

// showMenu is a card's ⋯ menu.
func (q *quotesUI) showMenu(v quoteView, b *widget.Button) {
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Open in reader", func() { q.open(v) }),
		fyne.NewMenuItem("Insert into note", func() { q.insert(v) }),
		fyne.NewMenuItem("Copy text", func() { fyne.CurrentApp().Clipboard().SetContent(v.q.Exact) }),
		fyne.NewMenuItem("Edit…", func() { q.edit(v) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Contradicts…", func() { q.relate(v, notes.RelContradicts) }),
		fyne.NewMenuItem("Supports…", func() { q.relate(v, notes.RelSupports) }),
	}
	if v.rels > 0 {
		items = append(items, fyne.NewMenuItem("Compare", func() { q.showCompare(v.q.ID) }))
	}
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Delete", func() { q.delete(v) }))
	c := q.u.win.Canvas()
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", items...), c, fyne.NewPos(0, b.Size().Height), b)
}

// quoteEditor is the Edit quote dialog.
type quoteEditor struct {
	comment *wrapEntry
	tags    *widget.Entry
	colour  *widget.RadioGroup
	dlg     *dialog.FormDialog
}

// edit asks for a quote's comment, tags and colour and saves them.
func (q *quotesUI) edit(v quoteView) { q.editDialog(v) }

func (q *quotesUI) editDialog(v quoteView) *quoteEditor {
	comment := newWrapEntry(4)
	comment.SetText(v.q.Comment)
	tags := widget.NewEntry()
	tags.SetText(strings.Join(v.q.Tags, ", "))
	tags.SetPlaceHolder("claim, dates, kant")
	var labels []string
	for _, c := range quoteColors {
		labels = append(labels, quoteColorLabels[c])
	}
	colour := widget.NewRadioGroup(labels, nil)
	colour.Horizontal = true
	colour.Required = true
	colour.Selected = quoteColorLabels[orDefault(v.q.Color, defaultQuoteColor)]
	passage := newClampText(4, fyne.TextStyle{Italic: true})
	passage.SetText("“" + strings.TrimSpace(v.q.Exact) + "”")
	passage.lines = passage.lineCount(440)
	items := []*widget.FormItem{
		widget.NewFormItem("Passage", passage),
		widget.NewFormItem("Source", widget.NewLabel(ellipsize(v.sourceTitle(), 60))),
		widget.NewFormItem("Comment", comment),
		widget.NewFormItem("Tags", tags),
		widget.NewFormItem("Colour", colour),
	}
	d := dialog.NewForm("Edit quote", "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		nq := v.q
		nq.Comment = strings.TrimSpace(comment.Text)
		nq.Tags = notes.NormalizeTags(strings.Split(tags.Text, ","))
		for c, l := range quoteColorLabels {
			if l == colour.Selected {
				nq.Color = c
			}
		}
		q.save(nq)
	}, q.u.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	q.u.win.Canvas().Focus(comment)
	return &quoteEditor{comment: comment, tags: tags, colour: colour, dlg: d}
}

// save stores a quote's comment, tags and colour.
func (q *quotesUI) save(nq notes.Quote) {
	p := q.project()
	if p == nil {
		return
	}
	q.u.bg.Add(1)
	go func() {
		defer q.u.bg.Done()
		err := p.UpdateQuote(context.Background(), &nq)
		q.u.do(func() {
			if err != nil {
				q.u.showError(err)
			} else {
				q.setStatus("Quote saved.")
			}
			q.reload()
		})
	}()
}

// delete removes a quote at once and offers to undo it: a deletion is one
// click away from being taken back, so it needs no confirmation.
func (q *quotesUI) delete(v quoteView) {
	p := q.project()
	if p == nil {
		return
	}
	del := &deletedQuote{q: v.q}
	for _, r := range q.rels {
		if r.A == v.q.ID || r.B == v.q.ID {
			del.rels = append(del.rels, r)
		}
	}
	q.u.bg.Add(1)
	go func() {
		defer q.u.bg.Done()
		err := p.DeleteQuote(context.Background(), v.q.ID)
		q.u.do(func() {
			if err != nil {
				q.u.showError(err)
			} else {
				q.deleted = del
				q.pane.ShowUndo(fmt.Sprintf("Deleted “%s”.", shortQuote(v.q.Exact, 40)))
				q.setStatus("Quote deleted. Undo in the Quotes pane brings it back.")
			}
			q.reload()
		})
	}()
}

// undoDelete restores the last deleted quote with its id, comment, tags,
// colour and relations.
func (q *quotesUI) undoDelete() {
	p, del := q.project(), q.deleted
	q.deleted = nil
	q.pane.HideUndo()
	if p == nil || del == nil {
		return
	}
	q.u.bg.Add(1)
	go func() {
		defer q.u.bg.Done()
		ctx := context.Background()
		qt := del.q
		err := p.AddQuote(ctx, &qt)
		if err == nil {
			for _, r := range del.rels {
				if _, rerr := p.Quotes().AddRelation(ctx, r.A, r.B, r.Kind, r.Note); rerr != nil && notes.ErrorKind(rerr) != notes.ECONFLICT {
					err = rerr
				}
			}
		}
		q.u.do(func() {
			if err != nil {
				q.u.showError(err)
			} else {
				q.setStatus("Quote restored.")
			}
			q.reload()
		})
	}()
}

// relateOptions are the choices of the relation dialog: every other
// quote, labelled by its passage and source, with the ids they stand for.
func (q *quotesUI) relateOptions(v quoteView) ([]string, map[string]string) {
	var labels []string
	ids := map[string]string{}
	for _, o := range q.views() {
		if o.q.ID == v.q.ID {
			continue
		}
		exact := shortQuote(o.q.Exact, 48)
		l := fmt.Sprintf("“%s” — %s", exact, ellipsize(o.sourceTitle(), 32))
		for n := 2; ids[l] != ""; n++ {
			l = fmt.Sprintf("“%s” — %s (%d)", exact, ellipsize(o.sourceTitle(), 32), n)
		}
		ids[l] = o.q.ID
		labels = append(labels, l)
	}
	return labels, ids
}

// relateDialog is the Relate quotes dialog.
type relateDialog struct {
	other *widget.Select
	note  *widget.Entry
	dlg   *dialog.FormDialog
}

// relate asks which other quote v contradicts or supports (kind) and
// records it, then shows the pair in Compare.
func (q *quotesUI) relate(v quoteView, kind string) { q.relateDialog(v, kind) }

func (q *quotesUI) relateDialog(v quoteView, kind string) *relateDialog {
	labels, ids := q.relateOptions(v)
	if len(labels) == 0 {
		dialog.ShowInformation("Nothing to compare with", "Pin another quote first: a relation links two quotes.", q.u.win)
		return nil
	}
	other := widget.NewSelect(labels, nil)
	other.PlaceHolder = "Choose a quote"
	note := widget.NewEntry()
	note.SetPlaceHolder("Why (optional)")
	verb := "Contradicts"
	if kind == notes.RelSupports {
		verb = "Supports"
	}
	passage := newClampText(3, fyne.TextStyle{Italic: true})
	passage.SetText("“" + strings.TrimSpace(v.q.Exact) + "”")
	passage.lines = passage.lineCount(560)
	items := []*widget.FormItem{
		widget.NewFormItem("This quote", passage),
		widget.NewFormItem(verb, other),
		widget.NewFormItem("Note", note),
	}
	d := dialog.NewForm("Relate quotes", "Save", "Cancel", items, func(ok bool) {
		if ok && other.Selected != "" {
			q.addRelation(v.q.ID, ids[other.Selected], kind, strings.TrimSpace(note.Text))
		}
	}, q.u.win)
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
	return &relateDialog{other: other, note: note, dlg: d}
}

// addRelation records that quote a relates to b, then compares them.
func (q *quotesUI) addRelation(a, b, kind, note string) {
	p := q.project()
	if p == nil {
		return
	}
	q.u.bg.Add(1)
	go func() {
		defer q.u.bg.Done()
		rel, err := p.Quotes().AddRelation(context.Background(), a, b, kind, note)
		q.u.do(func() {
			if err != nil {
				q.u.showError(err)
				return
			}
			q.rels = append(q.rels, *rel)
			q.refresh()
			q.showCompare(rel.ID)
			q.reload()
		})
	}()
}

// deleteRelation removes a relation after asking.
func (q *quotesUI) deleteRelation(id string) {
	p := q.project()
	if p == nil {
		return
	}
	dialog.ShowConfirm("Remove relation", "Remove this relation? Both quotes stay.", func(ok bool) {
		if !ok {
			return
		}
		q.u.bg.Add(1)
		go func() {
			defer q.u.bg.Done()
			err := p.Quotes().DeleteRelation(context.Background(), id)
			q.u.do(func() {
				if err != nil {
					q.u.showError(err)
				}
				q.reload()
			})
		}()
	}, q.u.win)
}

// showCompare opens the Compare tab at relation id, or at the first
// relation of quote id.
func (q *quotesUI) showCompare(id string) {
	q.compare.Select(id)
	q.u.tabs.Select(q.compareTab)
}
