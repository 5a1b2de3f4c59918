// Package timeline finds the dates a document's text mentions ("on
// Thursday", "May 8", "at the end of April", "since 2017", "from 25 to 27
// November", "2003-10-23") and places them against the document's
// publication date. It owns the rules that turn words into dates; storing
// events and drawing them belong to other packages.
//
// Precision matters more than recall: a number becomes a date only when its
// form or the words around it make that certain, so "No. 107", "25,000 men",
// "75%", "Article 6", "424 km" or "in 5 years" never become events. A date
// the text does not fully give (a weekday, a day and month without a year)
// is kept with what the text does give and resolved against the publication
// date; when that date is unknown the event says so (YearUnknown) and
// Resolve places it once the date is set.
//
// What is recognised, and how precise it is:
//
//   - Full dates, to the day: "October 23, 2003", "23 October 2003", "the
//     23rd of October 2003", "Wednesday, October 4, 2023", "Wed Oct 11
//     2023", ISO "2003-10-23" and "2003/10/23". Numeric "23/10/2003" only
//     when the order is certain: a part over 12, both parts equal, dots
//     ("23.10.2003", written day first), or the document's other numeric
//     dates all showing the same order. "11/10/2023" alone is skipped.
//   - Month and year: "October 2003", "in March 2022", "April of 2016".
//   - A day and month without a year: "May 8", "on 8 May", "Oct. 2".
//   - A month without a year, only after date words: "in April", "at the end
//     of April", "in early May", "mid-March", "since June".
//   - A weekday, only after date words ("on", "by", "until", "since", "last",
//     "next", "this", "late" ...) or before "morning", "night" ...
//   - A bare year, only after date words: "since 2017", "in 1812", "by
//     2030", "the end of 2023", "the War of 1812", "in early 2017",
//     "mid-2017", "the year 2000"; and never when a lower-case noun follows
//     ("in 1500 villages") or a verb of change leads ("rose by 2000").
//   - Decades: "the 1990s", "the 1980's" (Decade set). "the 1800s" is read
//     as a century and comes out as the years 1800–1899.
//   - Ranges: "from 25 to 27 November", "25–27 November 2003", "May 8–19",
//     "between May 8 and May 19", "from 25 November to 2 December 2003",
//     "from April to June 2023", "from 2003 to 2005", "between 2003 and
//     2005", and "2003–2005" or "2017-18" after date words or in brackets.
//     Two dates joined by plain "and" ("commenced on November 25 and will
//     conclude on November 27") stay two events.
//
// Resolution rules, chosen to be simple and predictable:
//
//   - A weekday ("on Thursday") needs a publication date known to the day.
//     The same weekday as publication is the publication day itself ("the
//     parliament ratified ... on Wednesday" in a Wednesday paper). Otherwise
//     it is the next such day if the sentence speaks of the future, else the
//     most recent one before publication. The sentence speaks of the future
//     when the word just before the expression is not a past-tense verb
//     ("said on Thursday" is past) and either a future marker appears in it
//     ("will", "scheduled", "is expected", "is due", "to hold", "next" ...)
//     or the expression is a deadline ("until Monday", "by Friday") in a
//     sentence without a past-tense verb. "next Thursday" and "last
//     Thursday" are always strictly after or before publication, and "this
//     Thursday" is never before it.
//   - A day and month without a year ("May 8") take the publication year,
//     moved so that the date falls at most two months after publication
//     (six when the sentence speaks of the future) and at most ten months
//     before it: news mostly reports the recent past and the near future.
//     "May 8" in a piece from October 2023 is 2023-05-08; "December 20" in a
//     piece from February 2024 is 2023-12-20; "January 5" in a piece from
//     December 2023 is 2024-01-05. A month without a year ("at the end of
//     April") follows the same window, counted in months.
//   - A publication date known only to the month or year resolves days and
//     months by the same window where it can, and leaves weekdays unknown.
package timeline

import (
	"fmt"
	"time"
	"unicode/utf8"

	"dossier/notes"
)

// Form says how the text gave a date, which decides how it resolves.
type Form uint8

const (
	// FormAbsolute is a date whose year the text gives: "23 October 2003",
	// "October 2003", "since 2017", "the 1990s", "2003–2005", "2003-10-23".
	// It never changes with the publication date.
	FormAbsolute Form = iota
	// FormMonthDay is a day of a month without a year: "May 8", "from 25 to
	// 27 November". Month, Day (and EndMonth, EndDay) keep what was written.
	FormMonthDay
	// FormMonth is a month without a year: "at the end of April", "in early
	// May". Month (and EndMonth) keep what was written.
	FormMonth
	// FormWeekday is a weekday: "on Thursday". Weekday and Future keep what
	// was written.
	FormWeekday
	// FormNextWeekday is "next Thursday": strictly after publication.
	FormNextWeekday
	// FormLastWeekday is "last Thursday": strictly before publication.
	FormLastWeekday
)

var formNames = [...]string{"absolute", "month-day", "month", "weekday", "next-weekday", "last-weekday"}

func (f Form) String() string {
	if int(f) < len(formNames) {
		return formNames[f]
	}
	return fmt.Sprintf("Form(%d)", f)
}

// Event is one date mentioned in a text.
//
// Start is the date, or the first date of a range, at the precision the text
// gives. End is the last date of a range ("from 25 to 27 November",
// "2003–2005") and zero otherwise. A decade ("the 1990s") is Start 1990 and
// End 1999, both of year precision, with Decade set: notes.Precision stops
// at years, and a year range is what a timeline that ignores Decade should
// draw anyway.
//
// When the text leaves the year (or, for a weekday, the whole date) to the
// publication date and that date is not known well enough, Start and End are
// zero and YearUnknown is set; Form, Month, Day, EndMonth, EndDay, Weekday
// and Future keep what the text gave, so Resolve can place the event later.
type Event struct {
	Start notes.Date `json:"start"`
	End   notes.Date `json:"end"`
	// Decade marks "the 1990s": Start and End span the ten years.
	Decade bool `json:"decade,omitempty"`
	// YearUnknown marks an event that cannot be placed until the
	// publication date is known (to the day, for weekdays).
	YearUnknown bool `json:"year_unknown,omitempty"`

	Form Form `json:"form"`
	// Month and Day are what the text gave for FormMonthDay and FormMonth
	// (Day is 0 for FormMonth); EndMonth and EndDay close a range.
	Month    time.Month `json:"month,omitempty"`
	Day      int        `json:"day,omitempty"`
	EndMonth time.Month `json:"end_month,omitempty"`
	EndDay   int        `json:"end_day,omitempty"`
	// Weekday is the day named by the weekday forms.
	Weekday time.Weekday `json:"weekday,omitempty"`
	// Future records that the sentence speaks of what is to come, which
	// moves weekdays forward and widens the window for days and months.
	Future bool `json:"future,omitempty"`

	// Offset and EndOffset are byte offsets of the expression in the text:
	// Text == text[Offset:EndOffset]. RuneOffset and RuneEnd are the same in
	// code points, as quotes count them.
	Offset     int `json:"offset"`
	EndOffset  int `json:"end_offset"`
	RuneOffset int `json:"rune_offset"`
	RuneEnd    int `json:"rune_end"`
	// Text is the expression as written, with the words that make it a
	// date: "on Thursday", "since 2017", "At the end of April".
	Text string `json:"text"`
	// Sentence is the sentence around the expression, cut to a few hundred
	// bytes on either side; it is always a substring of the text.
	Sentence string `json:"sentence"`
}

// Precision names how much of the event's date is known: "decade", "year",
// "month", "day", or "unknown" for an event not yet placed.
func (e Event) Precision() string {
	if e.Decade {
		return "decade"
	}
	return e.Start.Precision.String()
}

// Human writes the event for people: "11 Oct 2023", "25 Nov 2003 – 27 Nov
// 2003", "1990s", "25 Nov (year unknown)", "Thursday (date unknown)".
func (e Event) Human() string {
	if e.YearUnknown {
		switch e.Form {
		case FormMonthDay:
			s := fmt.Sprintf("%d %s", e.Day, e.Month.String()[:3])
			if e.EndDay != 0 {
				s += fmt.Sprintf(" – %d %s", e.EndDay, e.EndMonth.String()[:3])
			}
			return s + " (year unknown)"
		case FormMonth:
			s := e.Month.String()
			if e.EndMonth != 0 {
				s += " – " + e.EndMonth.String()
			}
			return s + " (year unknown)"
		default:
			return e.Weekday.String() + " (date unknown)"
		}
	}
	if e.Decade {
		return fmt.Sprintf("%ds", e.Start.Time.Year())
	}
	if e.End.Known() {
		return e.Start.Human() + " – " + e.End.Human()
	}
	return e.Start.Human()
}

// Extract finds the dates mentioned in text and resolves them against
// published, which may be unknown (the zero Date). Events come in text
// order and never overlap; a text without dates gives nil. Datelines get no
// special treatment: one written as a full date ("Wednesday, October 4,
// 2023") comes out like any other date, and finding the publication date
// itself is the importers' job.
func Extract(text string, published notes.Date) []Event {
	s := getScanner(text)
	defer putScanner(s)
	s.scan()
	if len(s.matches) == 0 {
		return nil
	}
	events := make([]Event, 0, len(s.matches))
	runes, last := 0, 0 // running code point count up to byte offset last
	for i := range s.matches {
		m := &s.matches[i]
		if m.drop {
			continue
		}
		e := s.event(m)
		runes += utf8.RuneCountInString(text[last:e.Offset])
		e.RuneOffset = runes
		runes += utf8.RuneCountInString(e.Text)
		e.RuneEnd = runes
		last = e.EndOffset
		events = append(events, e.Resolve(published))
	}
	if len(events) == 0 {
		return nil
	}
	return events
}
