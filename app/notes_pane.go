package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
	"dossier/project"
)

// Sort orders of the notes list, as the sort selector names them.
const (
	sortByTitle  = "Title"
	sortByEdited = "Last edit"
	allTags      = "All tags"
)

// notesPane is the Notes tab on the right of the window, beside the
// reader: the list of notes (sorted by title or last edit, filtered by
// tag), the open note's editor or rendered preview, and its backlinks.
// Every keystroke goes to an autosaver that writes the note within a
// second; there is no Save button.
type notesPane struct {
	u *UI

	all   []notes.Note // every live note, without bodies
	shown []notes.Note // all, filtered by tag and sorted
	tags  []notes.Facet
	gen   uint64 // of the latest list load

	note    *notes.Note // the open note; its Body is the last text saved or loaded
	saver   *project.Autosaver
	preview bool

	list      *widget.List
	count     *widget.Label
	sortSel   *widget.Select
	tagSel    *widget.Select
	tag       string // the tag the list is filtered by; "" for all
	tagSearch *widget.Button
	title     *widget.Entry
	rename    *widget.Button
	del       *widget.Button
	toggle    *widget.Button
	state     *widget.Label // Saved, Saving…, conflicts
	undoBar   *fyne.Container
	undoLabel *widget.Label
	editor    *docView
	prev      *notePreview
	body      *fyne.Container // editor or preview
	empty     fyne.CanvasObject
	backTitle *widget.Label
	backBox   *fyne.Container
	srcTitle  *widget.Label
	srcBox    *fyne.Container
	srcDoc    *notes.Document
	complete  *completion
	split     *container.Split
	tab       *container.TabItem
	content   fyne.CanvasObject

	deleted *notes.Note   // the last deleted note, for Undo
	saving  chan struct{} // closed when the last autosaver has stopped

	// onSaved, if set, sees every finished save (tests wait on it).
	onSaved func(error)
}

func newNotesPane(u *UI) *notesPane {
	p := &notesPane{u: u, saving: make(chan struct{})}
	close(p.saving)
	p.count = &widget.Label{SizeName: theme.SizeNameCaptionText}
	p.list = widget.NewList(func() int { return len(p.shown) }, p.createRow, p.updateRow)
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.shown) && (p.note == nil || p.note.ID != p.shown[i].ID) {
			p.Open(p.shown[i].ID, "")
		}
	}
	p.sortSel = widget.NewSelect([]string{sortByTitle, sortByEdited}, func(string) { p.refilter() })
	p.sortSel.Selected = sortByEdited
	p.tagSel = widget.NewSelect([]string{allTags}, func(opt string) {
		p.tag = ""
		if opt != allTags {
			p.tag = strings.TrimPrefix(strings.Split(opt, " (")[0], "#")
		}
		p.refilter()
	})
	p.tagSel.Selected = allTags
	// Tags are a search facet: this finds the sources, quotes and notes
	// that carry the chosen tag.
	p.tagSearch = widget.NewButtonWithIcon("", theme.SearchIcon(), func() {
		if p.tag != "" {
			p.u.setQuery("tag:" + p.tag)
			p.u.showResults()
		}
	})
	p.tagSearch.Importance = widget.LowImportance
	p.tagSearch.Disable()
	newBtn := widget.NewButtonWithIcon("New", theme.ContentAddIcon(), func() { p.New("") })
	newBtn.Importance = widget.HighImportance
	listTop := container.NewBorder(nil, nil, nil, container.NewHBox(p.tagSearch, newBtn), container.NewGridWithColumns(2, p.sortSel, p.tagSel))
	listBox := container.NewBorder(container.NewVBox(listTop, p.count), nil, nil, nil, p.list)

	p.title = widget.NewEntry()
	p.title.SetPlaceHolder("Title")
	p.title.TextStyle = fyne.TextStyle{Bold: true}
	p.title.OnChanged = func(s string) {
		if p.note != nil && strings.TrimSpace(s) != p.note.Title {
			p.rename.Show()
		} else {
			p.rename.Hide()
		}
	}
	// Enter in the title is done with the title: writing goes on in the
	// body, as in Obsidian.
	p.title.OnSubmitted = func(string) {
		p.Rename()
		if p.note != nil {
			p.u.win.Canvas().Focus(p.editor.tv)
		}
	}
	p.rename = widget.NewButtonWithIcon("Rename", theme.ConfirmIcon(), p.Rename)
	p.rename.Hide()
	p.toggle = widget.NewButtonWithIcon("", theme.VisibilityIcon(), p.TogglePreview)
	p.toggle.Importance = widget.LowImportance
	p.del = widget.NewButtonWithIcon("", theme.DeleteIcon(), p.Delete)
	p.del.Importance = widget.LowImportance
	p.state = &widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}
	p.undoLabel = &widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}
	undo := widget.NewButton("Undo", p.UndoDelete)
	undo.Importance = widget.LowImportance
	p.undoBar = container.NewBorder(nil, nil, nil, undo, p.undoLabel)
	p.undoBar.Hide()

	p.editor = newEditorView()
	tv := p.editor.tv
	tv.ed.onChange = p.edited
	tv.ed.onCaret = p.caretMoved
	tv.onKey = p.editorKey
	tv.ed.onCtrlClick = p.followLinkAt
	tv.onShortcut = u.handleShortcut
	p.prev = newNotePreview(u.do)
	p.empty = container.NewCenter(mutedText("No note open: press New (Ctrl+N) or pick one above.", fyne.TextAlignCenter, theme.SizeNameText))
	p.complete = newCompletion(p)
	p.body = container.New(&editorLayout{p}, p.editor, p.prev.content, p.empty, p.complete.content)

	p.backTitle = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText}
	p.backBox = container.NewVBox()
	p.srcTitle = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}
	p.srcBox = container.NewVBox()
	backScroll := container.NewVScroll(container.NewVBox(p.backTitle, p.backBox, p.srcTitle, p.srcBox))
	backScroll.SetMinSize(fyne.NewSize(100, 110))

	head := container.NewBorder(nil, nil, nil, container.NewHBox(p.rename, p.toggle, p.del), p.title)
	editorBox := container.NewBorder(container.NewVBox(head, p.state, p.undoBar), container.NewVBox(widget.NewSeparator(), backScroll), nil, nil, p.body)
	p.split = container.NewVSplit(listBox, editorBox)
	p.split.Offset = 0.28
	p.content = p.split
	p.tab = container.NewTabItemWithIcon("Notes", theme.DocumentCreateIcon(), p.content)
	p.showNote(nil)
	return p
}

// project returns the open project, or nil.
func (p *notesPane) project() *project.Project { return p.u.proj }

// --- the list --------------------------------------------------------

type noteRow struct {
	title, meta *textLine
	box         *fyne.Container
}

func (p *notesPane) createRow() fyne.CanvasObject {
	r := &noteRow{title: newTextLine(true, "", ""), meta: newTextLine(false, colorNameMuted, theme.SizeNameCaptionText)}
	return container.New(&rowLayout{}, r.title, r.meta)
}

func (p *notesPane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(p.shown) {
		return
	}
	n := p.shown[i]
	c := o.(*fyne.Container)
	c.Objects[0].(*textLine).SetText(n.Title)
	meta := "edited " + humanTime(n.Updated)
	if len(n.Tags) > 0 {
		meta += "  ·  #" + strings.Join(n.Tags, " #")
	}
	c.Objects[1].(*textLine).SetText(meta)
}

// humanTime says when t was, briefly.
func humanTime(t time.Time) string {
	t = t.Local()
	now := time.Now()
	switch {
	case now.Sub(t) < time.Minute:
		return "just now"
	case t.YearDay() == now.YearDay() && t.Year() == now.Year():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("2 Jan 15:04")
	}
	return t.Format("2 Jan 2006")
}

// Reload reads the list of notes and their tags again, in the background.
func (p *notesPane) Reload() {
	pr := p.project()
	p.gen++
	gen := p.gen
	if pr == nil {
		p.all, p.tags = nil, nil
		p.refilter()
		return
	}
	saved := p.afterSave()
	p.u.bg.Add(1)
	go func() {
		defer p.u.bg.Done()
		<-saved
		ctx := context.Background()
		all, err := pr.Notes().Notes(ctx, notes.NoteFilter{Sort: notes.NoteSortTitle})
		var tags []notes.Facet
		if err == nil {
			tags, err = pr.Notes().NoteTags(ctx)
		}
		p.u.do(func() {
			if gen != p.gen || pr != p.project() {
				return
			}
			if err != nil {
				p.u.showError(err)
				return
			}
			p.all, p.tags = all, tags
			p.refilter()
		})
	}()
}

// refilter applies the sort and tag choices to the loaded list.
func (p *notesPane) refilter() {
	// The options carry counts, which change as notes are saved: the
	// choice is kept by tag, not by option text.
	opts, sel := []string{allTags}, allTags
	for _, t := range p.tags {
		o := fmt.Sprintf("#%s (%d)", t.Value, t.Count)
		opts = append(opts, o)
		if t.Value == p.tag {
			sel = o
		}
	}
	if sel == allTags {
		p.tag = "" // the tag is gone
	}
	p.tagSel.Options, p.tagSel.Selected = opts, sel
	p.tagSel.Refresh()
	if p.tag == "" {
		p.tagSearch.Disable()
	} else {
		p.tagSearch.Enable()
	}
	tag := p.tag
	p.shown = p.shown[:0]
	for _, n := range p.all {
		if tag == "" || hasTag(n.Tags, tag) {
			p.shown = append(p.shown, n)
		}
	}
	if p.sortSel.Selected == sortByEdited {
		sort.SliceStable(p.shown, func(i, j int) bool { return p.shown[i].Updated.After(p.shown[j].Updated) })
	}
	p.count.SetText(plural(len(p.shown), "note", "notes"))
	p.list.Refresh()
	p.selectOpen()
}

// hasTag reports whether tags has tag or a tag nested under it, as the
// store's tag filter does.
func hasTag(tags []string, tag string) bool {
	for _, t := range tags {
		if strings.EqualFold(t, tag) || strings.HasPrefix(strings.ToLower(t), strings.ToLower(tag)+"/") {
			return true
		}
	}
	return false
}

// selectOpen marks the open note in the list without reopening it.
func (p *notesPane) selectOpen() {
	for i, n := range p.shown {
		if p.note != nil && n.ID == p.note.ID {
			p.list.Select(i)
			return
		}
	}
	p.list.UnselectAll()
}

// noteByTitle finds a live note in the loaded list, ignoring case.
func (p *notesPane) noteByTitle(title string) *notes.Note {
	key := notes.TitleKey(title)
	for i := range p.all {
		if notes.TitleKey(p.all[i].Title) == key {
			return &p.all[i]
		}
	}
	return nil
}

// --- opening, creating, renaming, deleting ---------------------------

// SetProject empties the pane for another project (nil for none).
func (p *notesPane) SetProject() {
	p.Close() // the old project closes soon: its last save must be done
	p.showNote(nil)
	p.srcDoc = nil
	p.showSourceBacklinks(nil, nil)
	p.Reload()
}

// Open loads note id into the editor, with the hits of query highlighted
// (opening a search result), and shows the Notes tab.
func (p *notesPane) Open(id, query string) {
	pr := p.project()
	if pr == nil {
		return
	}
	p.u.details.tabs.Select(p.tab)
	if p.note != nil && p.note.ID == id {
		p.highlight(query)
		return
	}
	saved := p.afterSave()
	p.u.bg.Add(1)
	go func() {
		defer p.u.bg.Done()
		<-saved // reopening a note must not read it from before its last edit
		ctx := context.Background()
		n, err := pr.Notes().Note(ctx, id)
		var spans []notes.Span
		if err == nil && strings.TrimSpace(query) != "" {
			spans, _ = pr.Index.Matches(ctx, id, query)
		}
		p.u.do(func() {
			if pr != p.project() {
				return
			}
			if err != nil {
				p.u.showError(err)
				return
			}
			p.showNote(n)
			if len(spans) > 0 {
				tv := p.editor.tv
				tv.SetHits(spans)
				tv.SetCurrentHit(0)
			}
		})
	}()
}

// highlight marks the hits of query in the open note.
func (p *notesPane) highlight(query string) {
	pr, n := p.project(), p.note
	if pr == nil || n == nil || strings.TrimSpace(query) == "" {
		return
	}
	body := p.editor.tv.text
	go func() {
		spans, err := pr.Index.Matches(context.Background(), n.ID, query)
		p.u.do(func() {
			// The index matched the saved text: only highlight if the
			// editor still shows it.
			if err == nil && p.note == n && p.editor.tv.text == body && n.Body == body {
				p.editor.tv.SetHits(spans)
				if len(spans) > 0 {
					p.editor.tv.SetCurrentHit(0)
				}
			}
		})
	}()
}

// showNote puts n (nil for none) in the editor, saving the one open
// before.
func (p *notesPane) showNote(n *notes.Note) {
	p.stopSaver()
	p.note = n
	p.complete.Hide()
	if n == nil {
		p.title.SetText("")
		p.title.Disable()
		p.del.Disable()
		p.toggle.Disable()
		p.state.SetText("")
		p.editor.Hide()
		p.prev.content.Hide()
		p.empty.Show()
		p.showBacklinks(nil)
		p.selectOpen()
		return
	}
	p.title.Enable()
	p.title.SetText(n.Title)
	p.rename.Hide()
	p.del.Enable()
	p.toggle.Enable()
	p.state.SetText("Edited " + humanTime(n.Updated))
	p.empty.Hide()
	p.editor.SetEditText(n.Body)
	p.startSaver(n)
	p.showBody()
	p.selectOpen()
	p.loadBacklinks()
}

// New creates a note and opens it with its title selected for typing. An
// empty title picks "Untitled", "Untitled 2"…
func (p *notesPane) New(title string) {
	p.create(title, "", func(*notes.Note) {
		p.u.win.Canvas().Focus(p.title)
		p.title.TypedShortcut(&fyne.ShortcutSelectAll{})
	})
}

// create makes a note in the background and opens it, then runs then.
func (p *notesPane) create(title, body string, then func(*notes.Note)) {
	pr := p.project()
	if pr == nil {
		p.u.showError(notes.Errorf(notes.EINVALID, "no project is open"))
		return
	}
	if title == "" {
		title = "Untitled"
		for i := 2; p.noteByTitle(title) != nil; i++ {
			title = fmt.Sprintf("Untitled %d", i)
		}
	}
	p.u.details.tabs.Select(p.tab)
	p.u.bg.Add(1)
	go func() {
		defer p.u.bg.Done()
		n, err := pr.CreateNote(context.Background(), title, body)
		p.u.do(func() {
			if pr != p.project() {
				return
			}
			if err != nil && n == nil {
				p.u.showError(err)
				return
			}
			p.all = append(p.all, *n)
			// A new note is for writing: its source, with the caret in it.
			p.preview = false
			p.showNote(n)
			p.refilter()
			p.Reload()
			p.u.win.Canvas().Focus(p.editor.tv)
			if then != nil {
				then(n)
			}
		})
	}()
}

// Rename gives the open note the title typed in the title field. Every
// link to it is rewritten by the store, so none breaks.
func (p *notesPane) Rename() {
	pr, n := p.project(), p.note
	title := strings.TrimSpace(p.title.Text)
	if pr == nil || n == nil || title == n.Title {
		p.rename.Hide()
		return
	}
	// A rename makes a new version of the note: the autosaver that
	// knows the old one stops first, and a new one starts from the
	// renamed note, so that the next save is no false conflict.
	p.stopSaver()
	saved := p.afterSave()
	p.u.bg.Add(1)
	go func() {
		defer p.u.bg.Done()
		<-saved
		renamed, changed, err := pr.RenameNote(context.Background(), n.ID, title)
		if err != nil && renamed == nil {
			renamed, _ = pr.Notes().Note(context.Background(), n.ID)
		}
		p.u.do(func() {
			if p.note != n {
				return
			}
			if renamed != nil {
				*n = *renamed
				p.startSaver(n)
				p.saver.Set(p.editor.tv.text) // what was typed during the rename
			}
			p.title.SetText(n.Title)
			p.rename.Hide()
			if err != nil {
				p.u.showError(err)
				return
			}
			p.state.SetText(fmt.Sprintf("Renamed; %s updated", plural(len(changed), "linking note", "linking notes")))
			p.Reload()
		})
	}()
}

// Delete moves the open note to the trash; the bar that says so offers
// Undo.
func (p *notesPane) Delete() {
	pr, n := p.project(), p.note
	if pr == nil || n == nil {
		return
	}
	p.showNote(nil) // saves it first
	saved := p.afterSave()
	p.u.bg.Add(1)
	go func() {
		defer p.u.bg.Done()
		<-saved
		err := pr.DeleteNote(context.Background(), n.ID)
		p.u.do(func() {
			if err != nil {
				p.u.showError(err)
				return
			}
			p.deleted = n
			p.undoLabel.SetText(fmt.Sprintf("Deleted “%s”.", n.Title))
			p.undoBar.Show()
			p.Reload()
		})
	}()
}

// UndoDelete restores the last deleted note and opens it.
func (p *notesPane) UndoDelete() {
	pr, n := p.project(), p.deleted
	p.undoBar.Hide()
	if pr == nil || n == nil {
		return
	}
	p.deleted = nil
	go func() {
		restored, err := pr.RestoreNote(context.Background(), n.ID)
		p.u.do(func() {
			if err != nil {
				p.u.showError(err)
				return
			}
			p.showNote(restored)
			p.Reload()
		})
	}()
}

// TogglePreview switches between the Markdown source and its rendering.
func (p *notesPane) TogglePreview() {
	p.preview = !p.preview
	p.showBody()
}

func (p *notesPane) showBody() {
	if p.note == nil {
		return
	}
	if p.preview {
		p.complete.Hide()
		p.prev.Show(p.editor.tv.text, p.resolveLink, p.followLink)
		p.editor.Hide()
		p.prev.content.Show()
		p.toggle.SetIcon(theme.DocumentCreateIcon())
	} else {
		p.prev.Stop()
		p.prev.content.Hide()
		p.editor.Show()
		p.toggle.SetIcon(theme.VisibilityIcon())
	}
}

// --- saving ----------------------------------------------------------

// startSaver makes the autosaver for note n, as loaded.
func (p *notesPane) startSaver(n *notes.Note) {
	pr := p.project()
	if pr == nil {
		return
	}
	var s *project.Autosaver
	s = pr.NewAutosaver(n, func(ev project.AutosaveEvent) {
		p.u.do(func() { p.saved(s, n, ev) })
	})
	p.saver = s
}

// stopSaver saves what the open note's editor holds and stops its
// autosaver. The save runs in the background; work that reads notes waits
// for it first (afterSave), so it never reads a note older than the
// editor showed.
func (p *notesPane) stopSaver() {
	s := p.saver
	if s == nil {
		return
	}
	p.saver = nil
	done := make(chan struct{})
	prev := p.saving
	p.saving = done
	p.u.bg.Add(1)
	go func() {
		defer p.u.bg.Done()
		defer close(done)
		<-prev
		_ = s.Close()
	}()
}

// afterSave returns a channel that is closed once every save started so
// far has finished.
func (p *notesPane) afterSave() <-chan struct{} { return p.saving }

// edited runs after every change in the editor.
func (p *notesPane) edited() {
	if p.saver == nil {
		return
	}
	p.saver.Set(p.editor.tv.text)
	p.state.SetText("Editing…")
}

// Close saves the open note and waits for every save: the window is
// closing.
func (p *notesPane) Close() {
	p.stopSaver()
	<-p.afterSave()
}

// saved runs on the UI goroutine after each save by autosaver s of note
// n (the note it was started for).
func (p *notesPane) saved(s *project.Autosaver, n *notes.Note, ev project.AutosaveEvent) {
	current := s == p.saver && p.note != nil
	switch ev.Kind {
	case project.AutosaveConflict:
		// Both sides are kept: the stored note as the other window left
		// it, this window's text as a copy, into which the autosaver
		// saves from now on. Say so, and show the copy.
		cp := ev.Note
		cp.Body = ev.Body
		if current {
			p.note = &cp
			p.title.SetText(cp.Title)
			p.rename.Hide()
			p.state.SetText("Saved as “" + cp.Title + "”")
		}
		dialog.ShowInformation("Note changed in another window", fmt.Sprintf(
			"“%s” was changed elsewhere (another window) while you typed here. Nothing is lost: "+
				"the other version stays in “%s”, and the text typed here is saved as “%s”.",
			n.Title, n.Title, cp.Title), p.u.win)
	case project.AutosaveError:
		if current {
			p.state.SetText("Not saved yet (" + ev.Err.Error() + "); trying again")
		}
	default:
		if current {
			p.note.Version, p.note.Body, p.note.Updated, p.note.Tags = ev.Note.Version, ev.Body, ev.Note.Updated, ev.Note.Tags
			if ev.Err != nil {
				p.state.SetText("Saved; search is behind: " + ev.Err.Error())
			} else {
				p.state.SetText("Saved")
			}
		}
	}
	p.reloadAfterSave()
	if p.onSaved != nil {
		p.onSaved(ev.Err)
	}
}

// reloadAfterSave refreshes what a save can change: titles in the list
// (last edit), tags, backlinks.
func (p *notesPane) reloadAfterSave() {
	p.Reload()
	p.loadBacklinks() // the note saved may have been another one linking here
	if p.srcDoc != nil {
		p.loadSourceBacklinks(p.srcDoc)
	}
}

// --- backlinks -------------------------------------------------------

func (p *notesPane) loadBacklinks() {
	pr, n := p.project(), p.note
	if pr == nil || n == nil {
		return
	}
	go func() {
		links, err := pr.Notes().Backlinks(context.Background(), n.ID)
		p.u.do(func() {
			if err == nil && p.note == n {
				p.showBacklinks(links)
			}
		})
	}()
}

func (p *notesPane) showBacklinks(links []notes.Link) {
	if p.note == nil {
		p.backTitle.SetText("")
		p.backBox.Objects = nil
		p.backBox.Refresh()
		return
	}
	p.backTitle.SetText(fmt.Sprintf("Linked from (%d)", len(links)))
	p.backBox.Objects = p.backlinkRows(links)
	p.backBox.Refresh()
}

// backlinkRows shows each linking note with the sentence around its link;
// tapping one opens that note.
func (p *notesPane) backlinkRows(links []notes.Link) []fyne.CanvasObject {
	var rows []fyne.CanvasObject
	for _, l := range links {
		btn := widget.NewButton(ellipsize(orDefault(l.FromTitle, "Untitled"), 40), func() { p.Open(l.From, "") })
		btn.Importance = widget.LowImportance
		btn.Alignment = widget.ButtonAlignLeading
		ctx := &widget.Label{Text: l.Context, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
		rows = append(rows, container.NewVBox(btn, container.New(layout.NewCustomPaddedLayout(0, 4, 12, 0), ctx)))
	}
	if len(rows) == 0 {
		rows = append(rows, mutedText("No note links here yet.", fyne.TextAlignLeading, theme.SizeNameCaptionText))
	}
	return rows
}

// ShowSource shows the backlinks of the source open in the reader, so
// that reading it shows which notes cite it.
func (p *notesPane) ShowSource(doc *notes.Document) {
	p.srcDoc = doc
	p.loadSourceBacklinks(doc)
}

func (p *notesPane) loadSourceBacklinks(doc *notes.Document) {
	pr := p.project()
	if pr == nil || doc == nil {
		return
	}
	go func() {
		links, err := pr.Notes().Backlinks(context.Background(), doc.ID)
		p.u.do(func() {
			if err == nil && p.srcDoc == doc {
				p.showSourceBacklinks(doc, links)
			}
		})
	}()
}

func (p *notesPane) showSourceBacklinks(doc *notes.Document, links []notes.Link) {
	if doc == nil {
		p.srcTitle.SetText("")
		p.srcBox.Objects = nil
		p.srcBox.Refresh()
		return
	}
	p.srcTitle.SetText(fmt.Sprintf("Notes citing “%s” (%d)", ellipsize(orDefault(doc.Title, "Untitled"), 40), len(links)))
	p.srcBox.Objects = p.backlinkRows(links)
	p.srcBox.Refresh()
}

// --- links -----------------------------------------------------------

// resolveLink says how a link reads in the preview and whether its
// target exists, from what the window already holds.
func (p *notesPane) resolveLink(l notes.LinkRef) linkView {
	switch l.Kind {
	case notes.TargetSource:
		for _, d := range p.u.docs {
			if d.ID == l.Target {
				return linkView{text: orDefault(l.Alias, orDefault(d.Title, "Untitled source"))}
			}
		}
		return linkView{text: orDefault(l.Alias, "unknown source")}
	case notes.TargetQuote:
		return linkView{text: orDefault(l.Alias, "quote")}
	}
	text := orDefault(l.Alias, l.Target)
	return linkView{text: text, missing: p.noteByTitle(l.Target) == nil}
}

// followLink opens what a link points at: a note (created first when it
// does not exist yet), a source in the reader, or a quote's passage.
func (p *notesPane) followLink(l notes.LinkRef) {
	switch l.Kind {
	case notes.TargetSource:
		p.u.open(l.Target)
	case notes.TargetQuote:
		p.u.openQuoteByID(l.Target)
	default:
		if n := p.noteByTitle(l.Target); n != nil {
			p.Open(n.ID, "")
			return
		}
		p.create(strings.TrimSpace(l.Target), "", nil)
	}
}

// followLinkAt follows the link at byte offset o of the editor's text
// (Ctrl+click); it reports whether there was one.
func (p *notesPane) followLinkAt(o int) bool {
	text := p.editor.tv.text
	r := notes.RuneOffset(text, o)
	links, _ := notes.ParseBody(text)
	for _, l := range links {
		if l.Start <= r && r < l.End {
			p.followLink(l)
			return true
		}
	}
	return false
}

// --- keys --------------------------------------------------------------

// editorKey sees every key typed in the editor first: the completion list
// takes the ones it uses, and F1/F3 keep their window-wide meaning.
func (p *notesPane) editorKey(ev *fyne.KeyEvent) bool {
	if p.complete.Key(ev) {
		return true
	}
	switch ev.Name {
	case fyne.KeyF1, fyne.KeyF3:
		return p.u.handleKey(ev)
	}
	return false
}

func (p *notesPane) caretMoved() { p.complete.Update() }

// Insert puts markdown at the caret of the open note as a block of its
// own; with no note open it creates one.
func (p *notesPane) Insert(markdown string) {
	if p.note == nil {
		p.create("", markdown, nil)
		return
	}
	p.u.details.tabs.Select(p.tab)
	if p.preview {
		p.TogglePreview()
	}
	tv := p.editor.tv
	s, _ := tv.selectionBytes()
	before := tv.text[:s]
	switch {
	case before == "" || strings.HasSuffix(before, "\n\n"):
	case strings.HasSuffix(before, "\n"):
		markdown = "\n" + markdown
	default:
		markdown = "\n\n" + markdown
	}
	if !strings.HasSuffix(markdown, "\n") {
		markdown += "\n"
	}
	tv.Insert(markdown)
	p.u.win.Canvas().Focus(tv)
}

// runeLen is the number of code points in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
