package search

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Publication dates are indexed as three keyword terms, the year, month and
// day on which the date's period begins (see indexDocument), and a date
// range becomes a disjunction of at most five term ranges over them: the
// days up to the first whole month, the months up to the first whole year,
// the whole years, then months and days again up to the end. Each term
// range expands to the terms present in the index (at most 31 days, 11
// months, and the distinct years), far below maxExpansion.

// yearTerm writes a year with four digits, so that years sort as strings.
func yearTerm(t time.Time) string {
	return fmt.Sprintf("%04d", min(max(t.Year(), 0), 9999))
}

// Bounds of an open date range. endOfTime's year has five digits, so a
// year range up to it ends before ":" (the byte after "9") instead, which
// also keeps the "undated" year value out of every range.
var (
	beginningOfTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	endOfTime       = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// dayOf returns midnight UTC of t's day (in UTC).
func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// dayBounds turns a time range as the query parser gives it into the
// half-open range of days [from, to) whose midnights it contains. Zero
// times are open ends.
func dayBounds(start, end time.Time, startIncl, endIncl bool) (from, to time.Time) {
	from, to = beginningOfTime, endOfTime
	if !start.IsZero() {
		from = dayOf(start)
		if !start.UTC().Equal(from) || !startIncl {
			from = from.AddDate(0, 0, 1) // that day's midnight is before start
		}
	}
	if !end.IsZero() {
		to = dayOf(end)
		if !end.UTC().Equal(to) || endIncl {
			to = to.AddDate(0, 0, 1) // that day's midnight is within the range
		}
	}
	return from, to
}

// dateRange matches the documents published (their period beginning) on a
// day in [from, to).
func dateRange(from, to time.Time) query.Query {
	var parts []query.Query
	add := func(field, layout string, a, b time.Time) {
		if !a.Before(b) {
			return
		}
		min, max := a.Format(layout), b.Format(layout)
		if field == fieldYear {
			min = yearTerm(a)
			max = ":"
			if b.Year() <= 9999 {
				max = yearTerm(b)
			}
		}
		yes, no := true, false
		q := query.NewTermRangeInclusiveQuery(min, max, &yes, &no)
		q.SetField(field)
		parts = append(parts, q)
	}
	firstOfMonth := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
	firstOfYear := func(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC) }

	s := from
	if s.Day() != 1 { // leading days
		m := firstOfMonth(s).AddDate(0, 1, 0)
		if !m.Before(to) {
			add(fieldDay, time.DateOnly, s, to)
			return disjunction(parts)
		}
		add(fieldDay, time.DateOnly, s, m)
		s = m
	}
	if s.Month() != 1 { // leading months
		y := firstOfYear(s).AddDate(1, 0, 0)
		if !y.Before(to) {
			add(fieldMonth, "2006-01", s, firstOfMonth(to))
			add(fieldDay, time.DateOnly, firstOfMonth(to), to)
			return disjunction(parts)
		}
		add(fieldMonth, "2006-01", s, y)
		s = y
	}
	ey := firstOfYear(to)
	add(fieldYear, "", s, ey) // whole years
	s = maxTime(s, ey)
	em := firstOfMonth(to)
	add(fieldMonth, "2006-01", s, em) // trailing months
	s = maxTime(s, em)
	add(fieldDay, time.DateOnly, s, to) // trailing days
	return disjunction(parts)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func disjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		// An empty range matches nothing, and must not be mistaken for
		// noWords and dropped.
		return query.NewDisjunctionQuery(nil)
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}
