package notes

import (
	"context"
	"fmt"
)

// NoteStore keeps the researcher's notes and the links between them.
// Implementations are safe for concurrent use. Errors a person should read
// are *Error: EINVALID for a bad title, ECONFLICT for a title in use or a
// save that lost a race, and errors wrapping ErrNotFound for unknown ids.
type NoteStore interface {
	// CreateNote stores a new note with n.Title and n.Body and fills in its
	// ID, Tags, Created, Updated and Version (1). Titles are unique among
	// live notes, ignoring case (TitleKey): a taken title is ECONFLICT.
	// Links to the title that were missing now resolve to the new note.
	CreateNote(ctx context.Context, n *Note) error
	// Note returns one note with its body, deleted or not.
	Note(ctx context.Context, id string) (*Note, error)
	// NoteByTitle returns the live note with this title, ignoring case.
	NoteByTitle(ctx context.Context, title string) (*Note, error)
	// Notes lists live notes without their bodies.
	Notes(ctx context.Context, f NoteFilter) ([]Note, error)
	// SaveNote stores n.Body as the new body of note n.ID, provided
	// n.Version is the stored version (the one the edit started from). It
	// then sets n.Version, n.Updated, n.Tags, n.Title and n.Created to the
	// stored ones; the title given is ignored (see RenameNote). If the stored version is newer and its
	// body differs, the stored note is kept unchanged, n.Body is saved as a
	// new note titled "<Title> (conflict YYYY-MM-DD HH:MM)", and the error
	// is an ECONFLICT *Error that names it and wraps a *NoteConflict. A
	// deleted note can still be saved (it stays deleted), so typing is
	// never lost.
	SaveNote(ctx context.Context, n *Note) error
	// RenameNote gives a note a new title and, in the same transaction,
	// rewrites every [[Old]] and [[Old|alias]] in the bodies of the notes
	// that link to it, so no link breaks. It returns the renamed note and
	// the ids of the other notes whose bodies changed (their versions grow).
	RenameNote(ctx context.Context, id, title string) (renamed *Note, changed []string, err error)
	// DeleteNote moves a note to the trash: it is no longer listed, found
	// by title or linked to (links to it read as missing), until
	// RestoreNote. Deleting a deleted note changes nothing.
	DeleteNote(ctx context.Context, id string) error
	// RestoreNote undoes DeleteNote. If another live note has taken the
	// title meanwhile, it fails with ECONFLICT and changes nothing.
	RestoreNote(ctx context.Context, id string) (*Note, error)
	// Links returns the links in a note's body, in order, each resolved to
	// its target's id and reading as its alias or the target's current
	// title (a quote reads as the start of its text).
	Links(ctx context.Context, noteID string) ([]Link, error)
	// Backlinks returns the links in live notes that point at id (a note,
	// a source or a quote), each with the sentence around it in Context,
	// ordered by the linking note's title.
	Backlinks(ctx context.Context, id string) ([]Link, error)
	// NoteTags counts the live notes carrying each tag, by tag.
	NoteTags(ctx context.Context) ([]Facet, error)
}

// NoteFilter narrows and orders Notes.
type NoteFilter struct {
	// Tag keeps notes with this tag or a tag nested under it ("place"
	// also keeps "place/kant"). Empty keeps all.
	Tag string
	// Sort is NoteSortTitle (the default) or NoteSortUpdated (newest
	// first).
	Sort string
}

// Orders of NoteFilter.Sort.
const (
	NoteSortTitle   = "title"
	NoteSortUpdated = "updated"
)

// NoteConflict is wrapped by the error SaveNote returns when the note was
// saved meanwhile by someone else (another window): Copy is the new note
// that holds the text that could not be saved in place.
type NoteConflict struct {
	ID   string // the note the save was meant for
	Copy *Note
}

func (c *NoteConflict) Error() string {
	return fmt.Sprintf("note %s changed meanwhile; the edit was saved as %q", c.ID, c.Copy.Title)
}
