package search

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"dossier/notes"
)

// TestSearch_DateRangesMatchTheDates checks date queries against the dates
// themselves: a document matches when the first day of its date's period
// lies in the range, whatever its precision. Comparisons must all hold;
// periods (published:2003 published:2005) are alternatives.
func TestSearch_DateRangesMatchTheDates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	randomDay := func() time.Time {
		return time.Date(1998+r.IntN(8), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	}
	var docs []*notes.Document
	for i := range 400 {
		d := randomDay()
		var pub notes.Date
		switch r.IntN(5) {
		case 0:
		case 1:
			pub = notes.YearDate(d.Year())
		case 2:
			pub = notes.MonthDate(d.Year(), d.Month())
		default:
			pub = notes.DayDate(d.Year(), d.Month(), d.Day())
		}
		docs = append(docs, &notes.Document{ID: fmt.Sprintf("d%03d", i), Title: "t", Text: "words", Published: pub})
	}
	ix, _ := MustOpen(t, docs...)

	// A bound: the query text and the test it stands for.
	type bound struct {
		q  string
		ok func(time.Time) bool
		eq bool // a period, not a comparison: periods are alternatives
	}
	randomBound := func() bound {
		day := randomDay()
		var v string
		var start, end time.Time
		switch r.IntN(4) {
		case 0:
			v, start, end = day.Format("2006"), time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC), time.Date(day.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
		case 1:
			m := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
			v, start, end = day.Format("2006-01"), m, m.AddDate(0, 1, 0)
		case 2:
			v, start, end = day.Format(time.DateOnly), day, day.AddDate(0, 0, 1)
		default: // a moment within a day
			at := day.Add(time.Duration(1+r.IntN(23)) * time.Hour)
			v, start, end = at.Format(time.RFC3339), at, at
		}
		quote := func(v string) string {
			if r.IntN(2) == 0 && len(v) == 4 {
				return v
			}
			return `"` + v + `"`
		}
		switch r.IntN(5) {
		case 0:
			return bound{"published:>=" + quote(v), func(t time.Time) bool { return !t.Before(start) }, false}
		case 1:
			if start.Equal(end) {
				return bound{"published:>" + quote(v), func(t time.Time) bool { return t.After(start) }, false}
			}
			return bound{"published:>" + quote(v), func(t time.Time) bool { return !t.Before(end) }, false}
		case 2:
			return bound{"published:<" + quote(v), func(t time.Time) bool { return t.Before(start) }, false}
		case 3:
			if start.Equal(end) {
				return bound{"published:<=" + quote(v), func(t time.Time) bool { return !t.After(start) }, false}
			}
			return bound{"published:<=" + quote(v), func(t time.Time) bool { return t.Before(end) }, false}
		default:
			if start.Equal(end) {
				return bound{"published:>=" + quote(v), func(t time.Time) bool { return !t.Before(start) }, false}
			}
			return bound{"published:" + quote(v), func(t time.Time) bool { return !t.Before(start) && t.Before(end) }, true}
		}
	}
	for range 300 {
		bs := []bound{randomBound()}
		if r.IntN(2) == 0 {
			bs = append(bs, randomBound())
		}
		q := ""
		for _, b := range bs {
			q += b.q + " "
		}
		var want []string
		for _, d := range docs {
			if !d.Published.Known() {
				continue
			}
			ok, anyPeriod, inPeriod := true, false, false
			for _, b := range bs {
				if b.eq {
					anyPeriod = true
					inPeriod = inPeriod || b.ok(d.Published.Time)
				} else {
					ok = ok && b.ok(d.Published.Time)
				}
			}
			if ok && (!anyPeriod || inPeriod) {
				want = append(want, d.ID)
			}
		}
		if got := find(t, ix, q); !same(got, set(want...)) {
			t.Fatalf("%s: got %d documents, want %d\n got  %v\n want %v", q, len(got), len(want), got, set(want...))
		}
	}
	// year: ranges are published: ranges over whole years.
	if got, want := find(t, ix, "year:>=2003"), find(t, ix, `published:>="2003-01-01"`); !same(got, want) || len(got) == 0 {
		t.Fatalf("year:>=2003 found %d, published:>= %d", len(got), len(want))
	}
	if got := find(t, ix, "year:undated"); len(got) == 0 {
		t.Fatal("no undated documents")
	}
	for _, id := range find(t, ix, `published:<"9999-01-01"`) {
		for _, d := range docs {
			if d.ID == id && !d.Published.Known() {
				t.Fatalf("an undated document matched a date range: %s", id)
			}
		}
	}
}
