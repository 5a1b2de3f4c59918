package ingest

import (
	"strings"
	"time"
	"unicode"

	"dossier/notes"
)

// parseDate reads a string that is only a date, possibly with a weekday
// and a time of day, and returns it with the precision it states:
// "2023-10-11", "2023-10-11T09:30:00+06:00", "Wed Oct 11 2023",
// "Wednesday, October 4, 2023", "11 October 2023", "11.10.2023" (day);
// "October 2023", "2023-10" (month); "2023" (year, only when allowYear,
// since a bare number in running text is rarely a date).
//
// Anything else in the string makes it fail: a dateline must be nothing but
// a date, so dates mentioned in running text are never taken for the
// publication date. A date-time is read in the zone it is written in.
func parseDate(s string, allowYear bool) (notes.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return notes.Date{}, false
	}
	if d, ok := parseNumericDate(s, allowYear); ok {
		return d, true
	}
	return parseWordDate(s)
}

func parseNumericDate(s string, allowYear bool) (notes.Date, bool) {
	a, wa, rest := readNum(s)
	switch {
	case wa == 0:
		return notes.Date{}, false
	case wa == 4 && rest == "":
		if !allowYear {
			return notes.Date{}, false
		}
		return yearDate(a)
	case wa == 4 && (rest[0] == '-' || rest[0] == '/'):
		sep := rest[0]
		b, wb, rest := readNum(rest[1:])
		if wb == 0 || wb > 2 {
			return notes.Date{}, false
		}
		if rest == "" {
			return monthDate(a, b)
		}
		if rest[0] != sep {
			return notes.Date{}, false
		}
		c, wc, rest := readNum(rest[1:])
		if wc == 0 || wc > 2 || !isTimeTail(rest) {
			return notes.Date{}, false
		}
		return dayDate(a, b, c)
	case wa <= 2 && rest != "" && rest[0] == '.':
		// 11.10.2023, the European and Russian numeric date. Slashed
		// forms (10/11/2023) are refused: month or day first is a guess.
		b, wb, rest := readNum(rest[1:])
		if wb == 0 || wb > 2 || rest == "" || rest[0] != '.' {
			return notes.Date{}, false
		}
		c, wc, rest := readNum(rest[1:])
		if wc != 4 {
			return notes.Date{}, false
		}
		rest = strings.TrimSpace(rest)
		if rest != "" && rest != "г." && rest != "г" && !isTimeTail(" "+rest) {
			return notes.Date{}, false
		}
		return dayDate(c, b, a)
	}
	return notes.Date{}, false
}

// isTimeTail accepts what may follow a numeric date: nothing, or a time
// of day and zone ("T09:30:00.000+06:00", " 09:30 UTC").
func isTimeTail(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != 'T' && s[0] != ' ' {
		return false
	}
	s = strings.TrimSpace(s[1:])
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == ':', r == '.', r == '+', r == '-', r == ' ', r == 'Z', r == 'z':
		case r >= 'A' && r <= 'Z': // zone abbreviations: UTC, GMT, MSK
		default:
			return false
		}
	}
	return true
}

// readNum reads leading ASCII digits (at most 9), returning their value and
// count.
func readNum(s string) (n, width int, rest string) {
	for width < len(s) && width < 9 && s[width] >= '0' && s[width] <= '9' {
		n = n*10 + int(s[width]-'0')
		width++
	}
	return n, width, s[width:]
}

func validYear(y int) bool { return y >= 1000 && y <= 2999 }

func yearDate(y int) (notes.Date, bool) {
	if !validYear(y) {
		return notes.Date{}, false
	}
	return notes.YearDate(y), true
}

func monthDate(y, m int) (notes.Date, bool) {
	if !validYear(y) || m < 1 || m > 12 {
		return notes.Date{}, false
	}
	return notes.MonthDate(y, time.Month(m)), true
}

func dayDate(y, m, d int) (notes.Date, bool) {
	if !validYear(y) || m < 1 || m > 12 || d < 1 || d > 31 {
		return notes.Date{}, false
	}
	date := notes.DayDate(y, time.Month(m), d)
	if date.Time.Day() != d { // 31 April rolls over: not a date
		return notes.Date{}, false
	}
	return date, true
}

// parseWordDate reads dates with a month name, in English, French, German
// or Russian, with an optional leading weekday and trailing time.
func parseWordDate(s string) (notes.Date, bool) {
	toks := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '-' || r == '/' || r == '|'
	})
	if len(toks) < 2 || len(toks) > 12 {
		return notes.Date{}, false
	}
	for i, t := range toks {
		toks[i] = strings.ToLower(strings.TrimRight(t, "."))
	}
	if weekdays[toks[0]] {
		toks = toks[1:]
	}
	if len(toks) < 2 {
		return notes.Date{}, false
	}
	if m, ok := months[toks[0]]; ok { // October 2023, Oct 11 2023
		if y, ok := year(toks[1]); ok && (len(toks) == 2 || isClockTail(toks[2:])) {
			return monthDate(y, m)
		}
		if len(toks) >= 3 {
			if d, ok := day(toks[1]); ok {
				if y, ok := year(toks[2]); ok && isClockTail(toks[3:]) {
					return dayDate(y, m, d)
				}
				if y, ok := year(toks[len(toks)-1]); ok && isAsctimeClock(toks[2:len(toks)-1]) {
					return dayDate(y, m, d)
				}
			}
		}
		return notes.Date{}, false
	}
	if d, ok := day(toks[0]); ok && len(toks) >= 3 { // 11 October 2023
		if m, ok := months[toks[1]]; ok {
			if y, ok := year(toks[2]); ok && isClockTail(toks[3:]) {
				return dayDate(y, m, d)
			}
		}
	}
	return notes.Date{}, false
}

// isClockTail accepts what may follow a written date: nothing, a Russian
// "г."/"года", or a time of day ("10:32", "at 10:32 am", "10:32:00
// GMT+0600 (Bishkek Time)"). A time must come first, so "October 2023
// saw riots" is not a date.
func isClockTail(toks []string) bool {
	if len(toks) > 0 && (toks[0] == "г" || toks[0] == "года" || toks[0] == "г.") {
		toks = toks[1:]
	}
	if len(toks) == 0 {
		return true
	}
	if toks[0] == "at" || toks[0] == "à" || toks[0] == "um" || toks[0] == "в" {
		toks = toks[1:]
	}
	return len(toks) > 0 && len(toks) <= 6 && isClock(toks[0])
}

// isAsctimeClock accepts the time of day that C's asctime and date(1) put
// between the day and the year: "Wed Oct 11 10:00:00 2023", "Wed Oct 11
// 10:00:00 UTC 2023".
func isAsctimeClock(toks []string) bool {
	switch len(toks) {
	case 1:
		return isClock(toks[0])
	case 2: // a zone abbreviation, lower-cased by parseWordDate
		zone := toks[1]
		return isClock(toks[0]) && len(zone) >= 3 && len(zone) <= 5 &&
			strings.IndexFunc(zone, func(r rune) bool { return r < 'a' || r > 'z' }) < 0
	}
	return false
}

// isClock accepts a time of day: "10:32", "10:32:00", "10:32:00.000".
func isClock(t string) bool {
	colon := strings.IndexByte(t, ':')
	if colon < 1 || colon > 2 {
		return false
	}
	for _, r := range t {
		if (r < '0' || r > '9') && r != ':' && r != '.' {
			return false
		}
	}
	return true
}

func day(t string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th", "er"} {
		if len(t) > len(suf) {
			t = strings.TrimSuffix(t, suf)
		}
	}
	n, w, rest := readNum(t)
	if w == 0 || w > 2 || rest != "" || n < 1 || n > 31 {
		return 0, false
	}
	return n, true
}

func year(t string) (int, bool) {
	t = strings.TrimSuffix(strings.TrimSuffix(t, "г"), ".")
	n, w, rest := readNum(t)
	if w != 4 || rest != "" || !validYear(n) {
		return 0, false
	}
	return n, true
}

var months = map[string]int{}
var weekdays = map[string]bool{}

func init() {
	for i, names := range []string{
		"january jan janvier janv januar jän январь января янв",
		"february feb février fév févr fevrier februar февраль февраля фев",
		"march mar mars märz maerz март марта мар",
		"april apr avril avr апрель апреля апр",
		"may mai май мая",
		"june jun juin juni июнь июня июн",
		"july jul juillet juil juli июль июля июл",
		"august aug août aout авг август августа",
		"september sep sept septembre sep. сентябрь сентября сен",
		"october oct octobre oktober okt октябрь октября окт",
		"november nov novembre ноябрь ноября ноя",
		"december dec décembre déc decembre dezember dez декабрь декабря дек",
	} {
		for _, n := range strings.Fields(names) {
			months[n] = i + 1
		}
	}
	for _, n := range strings.Fields(`monday mon tuesday tue tues wednesday wed thursday thu thur thurs
		friday fri saturday sat sunday sun lundi mardi mercredi jeudi vendredi samedi dimanche
		montag dienstag mittwoch donnerstag freitag samstag sonntag
		понедельник вторник среда четверг пятница суббота воскресенье пн вт ср чт пт сб вс`) {
		weekdays[n] = true
	}
}
