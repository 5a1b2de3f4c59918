package app

import (
	"fyne.io/fyne/v2"

	"dossier/notes"
)

// initNotes adds the Notes tab beside the open source's details, where a
// researcher writes while reading, and its shortcut Ctrl+N.
func (u *UI) initNotes() {
	u.notes = newNotesPane(u)
	u.details.tabs.Append(u.notes.tab)
	u.details.tabs.Select(u.notes.tab)
	newNote := shortcut(fyne.KeyN, ctrl)
	u.shortcuts[newNote.ShortcutName()] = u.newNote
	u.win.Canvas().AddShortcut(newNote, func(fyne.Shortcut) { u.newNote() })
}

// newNote creates a note and opens it (Ctrl+N).
func (u *UI) newNote() {
	u.showNotes()
	u.notes.New("")
}

// showNotes shows the right-hand pane if it was hidden, at its Notes tab.
func (u *UI) showNotes() {
	if !u.details.content.Visible() {
		u.toggleDetails()
	}
	u.details.tabs.Select(u.notes.tab)
}

// openHit opens a search result where it belongs: a note in the editor
// with its hits marked, a quote at its passage, a source in the reader.
func (u *UI) openHit(h notes.Hit) {
	switch h.Type {
	case notes.KindNote:
		u.showNotes()
		u.notes.Open(h.ID, highlightQuery(u.query))
	case notes.KindQuote:
		u.openQuoteByID(h.ID)
	default:
		u.open(h.ID)
	}
}

// openQuoteByID shows quote id's passage selected in the reader (its
// source alone when the passage is orphaned).
func (u *UI) openQuoteByID(id string) { u.quotes.openQuote(id) }

// insertIntoNote inserts markdown at the caret of the open note as a
// block of its own (a pinned quote as a block quote, say), opening the
// Notes tab; with no note open it creates one holding markdown.
func (u *UI) insertIntoNote(markdown string) {
	u.showNotes()
	u.notes.Insert(markdown)
}
