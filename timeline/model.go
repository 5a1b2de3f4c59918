package timeline

import (
	"cmp"
	"slices"
	"strings"

	"dossier/notes"
)

// Kinds of timeline entries: when a source was published, a date its text
// mentions, and an event the researcher added.
const (
	KindPublished = "published"
	KindMentioned = "mentioned"
	KindMine      = "mine"
)

// Entry is one thing on a project's timeline: a publication, a mentioned
// date or a user event, with what is needed to draw it, list it and lead
// back to where it came from. Entries are built by the project package,
// which owns the store; this type only describes them.
type Entry struct {
	Kind  string
	Start notes.Date // zero when YearUnknown
	End   notes.Date // zero for a single date
	// Decade marks "the 1990s"; Precision is then "decade".
	Decade bool
	// YearUnknown marks a mentioned date that waits for its document's
	// publication date; Precision still says what the text gave.
	YearUnknown bool
	Precision   string

	Label  string // the document's title, or the user's label
	Doc    string // the document's id; "" for user events
	Source string // the document's publisher or site

	// Offset and OffsetEnd are code points into the document's text of the
	// expression Text ("on Thursday"), for mentioned dates.
	Offset, OffsetEnd int
	Text              string
	// Sentence is the sentence around Text, filled in on request (it is
	// cut from the text, which the timeline does not keep); SentStart and
	// SentEnd are its byte offsets in the text.
	Sentence           string
	SentStart, SentEnd int

	// For user events: the event's id, links and note.
	EventID string
	Links   []string
	Note    string
}

// Dated reports whether the entry has a place on the axis.
func (e *Entry) Dated() bool { return e.Start.Known() }

// Human writes the entry's date for people: "11 Oct 2023", "1990s",
// "25 Nov 2003 – 27 Nov 2003", "year unknown".
func (e *Entry) Human() string {
	switch {
	case !e.Start.Known():
		return "year unknown"
	case e.Decade:
		return e.Start.Time.Format("2006") + "s"
	case e.End.Known() && e.End != e.Start:
		return e.Start.Human() + " – " + e.End.Human()
	}
	return e.Start.Human()
}

var kindOrder = map[string]int{KindPublished: 0, KindMentioned: 1, KindMine: 2}

// Sort orders entries by date, earliest first, with undated ones last;
// ties go by precision (coarser first), kind (published, mentioned, mine),
// label, document and offset: a total order, so it is the same on every
// run without a stable sort (which costs twice as much here).
func Sort(es []Entry) { slices.SortFunc(es, Compare) }

// Compare orders two entries as Sort does.
func Compare(a, b Entry) int {
	if a.Dated() != b.Dated() {
		if a.Dated() {
			return -1
		}
		return 1
	}
	if c := a.Start.Time.Compare(b.Start.Time); c != 0 {
		return c
	}
	// A year before its own 1 January, as their ISO strings sort.
	if c := cmp.Compare(a.Start.Precision, b.Start.Precision); c != 0 {
		return c
	}
	if a.Kind != b.Kind {
		return cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind])
	}
	if c := strings.Compare(a.Label, b.Label); c != 0 {
		return c
	}
	if c := strings.Compare(a.Doc, b.Doc); c != 0 {
		return c
	}
	return cmp.Compare(a.Offset, b.Offset)
}

// Mentioned turns an event found in the text of document d (already
// resolved against d's publication date) into an entry.
func Mentioned(d *notes.Document, ev Event) Entry {
	e := Entry{Kind: KindMentioned, Start: ev.Start, End: ev.End, Decade: ev.Decade,
		YearUnknown: ev.YearUnknown, Precision: ev.Precision(), Label: d.Title, Doc: d.ID,
		Source: d.Source, Offset: ev.RuneOffset, OffsetEnd: ev.RuneEnd, Text: ev.Text}
	if ev.YearUnknown {
		// What the text gave: "May 8" is a day, "in April" a month, a
		// weekday a day, even though none can be placed yet.
		e.Precision = notes.PrecisionMonth.String()
		if ev.Day > 0 || ev.Form >= FormWeekday {
			e.Precision = notes.PrecisionDay.String()
		}
	}
	return e
}

// Published returns the entry for d's publication date; d must be dated.
func Published(d *notes.Document) Entry {
	return Entry{Kind: KindPublished, Start: d.Published, Precision: d.Published.Precision.String(),
		Label: d.Title, Doc: d.ID, Source: d.Source}
}

// Mine returns the entry for a user event.
func Mine(ev *notes.Event) Entry {
	e := Entry{Kind: KindMine, Start: ev.Date, End: ev.End, Precision: ev.Date.Precision.String(),
		Label: ev.Label, EventID: ev.ID, Links: ev.Links, Note: ev.Note}
	return e
}
