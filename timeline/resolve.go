package timeline

import (
	"time"

	"dossier/notes"
)

// Window of the month-day and month rules, in months around publication.
const (
	monthsAhead       = 2  // a date this far after publication is still this year's
	monthsAheadFuture = 6  // ... when the sentence speaks of the future
	monthsBehind      = 10 // a date further back than this is next year's
)

// Resolve returns the event placed against published, following the rules
// in the package comment. FormAbsolute events come back unchanged. Events
// that cannot be placed (no publication date, or a weekday against a date
// not known to the day) come back with zero Start and End and YearUnknown
// set. Resolve can be called again whenever the publication date changes.
func (e Event) Resolve(published notes.Date) Event {
	if e.Form == FormAbsolute {
		e.YearUnknown = false
		return e
	}
	e.Start, e.End, e.YearUnknown = notes.Date{}, notes.Date{}, true
	switch e.Form {
	case FormMonthDay, FormMonth:
		if !published.Known() || e.Month < time.January || e.Month > time.December {
			return e
		}
		y := chooseYear(published, e.Month, e.Day, e.Future)
		if e.Form == FormMonth {
			e.Start = notes.MonthDate(y, e.Month)
			if e.EndMonth >= time.January && e.EndMonth <= time.December {
				ey := y
				if e.EndMonth < e.Month { // "from November to February"
					ey++
				}
				e.End = notes.MonthDate(ey, e.EndMonth)
			}
			e.YearUnknown = false
			return e
		}
		if !validDay(y, e.Month, e.Day) { // February 29 of a common year
			return e
		}
		e.Start = notes.DayDate(y, e.Month, e.Day)
		if e.EndDay != 0 {
			ey := y
			if e.EndMonth < e.Month || (e.EndMonth == e.Month && e.EndDay < e.Day) {
				ey++
			}
			if !validDay(ey, e.EndMonth, e.EndDay) {
				e.Start = notes.Date{}
				return e
			}
			e.End = notes.DayDate(ey, e.EndMonth, e.EndDay)
		}
		e.YearUnknown = false
	case FormWeekday, FormNextWeekday, FormLastWeekday:
		if published.Precision != notes.PrecisionDay {
			return e
		}
		p := published.Time
		ahead := (int(e.Weekday) - int(p.Weekday()) + 7) % 7 // 0..6 days to the next one
		var shift int
		switch {
		case e.Form == FormNextWeekday:
			shift = ahead
			if shift == 0 {
				shift = 7
			}
		case e.Form == FormLastWeekday:
			shift = ahead - 7
		case ahead == 0:
			shift = 0
		case e.Future:
			shift = ahead
		default:
			shift = ahead - 7
		}
		d := p.AddDate(0, 0, shift)
		e.Start = notes.DayDate(d.Year(), d.Month(), d.Day())
		e.YearUnknown = false
	}
	return e
}

// chooseYear places month m (and day d, 0 for a whole month) in the year
// that puts it within the window around publication.
func chooseYear(published notes.Date, m time.Month, d int, future bool) int {
	p := published.Time
	y := p.Year()
	if published.Precision == notes.PrecisionYear {
		return y
	}
	ahead := monthsAhead
	if future {
		ahead = monthsAheadFuture
	}
	if published.Precision == notes.PrecisionMonth || d == 0 {
		diff := int(m) - int(p.Month()) // months after publication
		switch {
		case diff > ahead:
			return y - 1
		case diff < -monthsBehind:
			return y + 1
		}
		return y
	}
	// Day precision: compare dates. Day 29 of February is placed as the
	// 28th here so that time.Date does not roll it into March.
	dd := d
	if m == time.February && dd == 29 {
		dd = 28
	}
	c := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	switch {
	case c.After(p.AddDate(0, ahead, 0)):
		return y - 1
	case c.Before(p.AddDate(0, -monthsBehind, 0)):
		return y + 1
	}
	return y
}

// validDay reports whether day d exists in month m of year y; y 0 stands for
// an unknown year, in which February 29 may exist.
func validDay(y int, m time.Month, d int) bool {
	if m < time.January || m > time.December || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y == 0 || (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
