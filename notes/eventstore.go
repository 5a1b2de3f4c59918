package notes

import (
	"context"
	"strings"
)

// EventStore keeps the researcher's own timeline events. Events found in
// texts are derived from the documents each time and are not stored.
type EventStore interface {
	// AddEvent stores a new event and fills in its ID (when empty),
	// Created and Updated. The label must not be blank, the date must be
	// known, an end must not come before the date, and every link must name
	// a stored source, quote or note: otherwise the error has kind EINVALID
	// (or ENOTFOUND for a link) and nothing is stored.
	AddEvent(ctx context.Context, e *Event) error
	// UpdateEvent saves the label, dates, note and links of an existing
	// event, checked as AddEvent checks them, and sets Updated. If there is
	// no event with e.ID, the error wraps ErrNotFound.
	UpdateEvent(ctx context.Context, e *Event) error
	// DeleteEvent removes an event. If there is none with this id, the
	// error wraps ErrNotFound.
	DeleteEvent(ctx context.Context, id string) error
	// Event returns one event, or an error that wraps ErrNotFound.
	Event(ctx context.Context, id string) (*Event, error)
	// Events lists every event by date, then label.
	Events(ctx context.Context) ([]Event, error)
}

// LastDay returns the last day of the period d names: 31 December for a
// year, the month's last day for a month, d itself for a day. An unknown
// date gives the zero time.
func (d Date) LastDay() Date {
	switch d.Precision {
	case PrecisionYear:
		return Date{d.Time.AddDate(1, 0, -1), PrecisionDay}
	case PrecisionMonth:
		return Date{d.Time.AddDate(0, 1, -1), PrecisionDay}
	}
	return d
}

// Validate checks what a user can get wrong in an event: a blank label, an
// unknown date, an end before the start. The error has kind EINVALID.
func (e *Event) Validate() error {
	switch {
	case e == nil:
		return Errorf(EINVALID, "no event")
	case strings.TrimSpace(e.Label) == "":
		return Errorf(EINVALID, "an event needs a label")
	case !e.Date.Known():
		return Errorf(EINVALID, "event %q needs a date (YYYY, YYYY-MM or YYYY-MM-DD)", e.Label)
	case e.End.Known() && e.End.LastDay().Time.Before(e.Date.Time):
		// Compared by periods so that "2023-10-11 to 2023-10" passes: the
		// end month still contains the start day.
		return Errorf(EINVALID, "event %q ends (%s) before it starts (%s)", e.Label, e.End, e.Date)
	}
	return nil
}
