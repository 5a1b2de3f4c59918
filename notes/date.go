package notes

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision int

const (
	PrecisionUnknown Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

var precisionNames = [...]string{"unknown", "year", "month", "day"}

func (p Precision) String() string {
	if p < 0 || int(p) >= len(precisionNames) {
		return "unknown"
	}
	return precisionNames[p]
}

// ParsePrecision reads the names String returns.
func ParsePrecision(s string) (Precision, error) {
	for i, n := range precisionNames {
		if n == s {
			return Precision(i), nil
		}
	}
	return PrecisionUnknown, Errorf(EINVALID, "unknown date precision %q (want year, month, day or unknown)", s)
}

// Date is a calendar date known to some precision. Time is midnight UTC of
// the first day of the known period; a Date of unknown precision is zero.
type Date struct {
	Time      time.Time
	Precision Precision
}

// DayDate, MonthDate and YearDate build dates of each precision.
func DayDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC), PrecisionDay}
}
func MonthDate(y int, m time.Month) Date {
	return Date{time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), PrecisionMonth}
}
func YearDate(y int) Date { return Date{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), PrecisionYear} }

// Known reports whether anything of the date is known.
func (d Date) Known() bool { return d.Precision != PrecisionUnknown }

// String writes the date as ISO 8601 cut to its precision: "2023",
// "2023-10" or "2023-10-11"; an unknown date is "".
func (d Date) String() string {
	switch d.Precision {
	case PrecisionYear:
		return d.Time.Format("2006")
	case PrecisionMonth:
		return d.Time.Format("2006-01")
	case PrecisionDay:
		return d.Time.Format("2006-01-02")
	}
	return ""
}

// Human writes the date for people: "11 Oct 2023", "Oct 2023", "2023" or
// "undated".
func (d Date) Human() string {
	switch d.Precision {
	case PrecisionYear:
		return d.Time.Format("2006")
	case PrecisionMonth:
		return d.Time.Format("Jan 2006")
	case PrecisionDay:
		return d.Time.Format("2 Jan 2006")
	}
	return "undated"
}

// ParseDate reads what String writes; "" is an unknown date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	for _, f := range []struct {
		layout string
		p      Precision
	}{{"2006-01-02", PrecisionDay}, {"2006-01", PrecisionMonth}, {"2006", PrecisionYear}} {
		if t, err := time.Parse(f.layout, s); err == nil {
			return Date{t, f.p}, nil
		}
	}
	return Date{}, Errorf(EINVALID, "cannot read date %q: use YYYY, YYYY-MM or YYYY-MM-DD", s)
}

// MarshalJSON writes the date as String does, so JSON shows "2023-10-11".
func (d Date) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", d.String())), nil }

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
