package timeline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dossier/notes"
	"dossier/timeline"
)

// A Wednesday, as in seed 003.
var wed = notes.DayDate(2023, time.October, 11)

// got is what a test compares: the expression, its dates and precision.
type got struct {
	Text, Start, End, Precision string
	YearUnknown                 bool
}

func (g got) String() string {
	s := fmt.Sprintf("%q %s", g.Text, g.Precision)
	if g.Start != "" {
		s += " " + g.Start
	}
	if g.End != "" {
		s += ".." + g.End
	}
	if g.YearUnknown {
		s += " (year unknown)"
	}
	return s
}

func summarize(es []timeline.Event) []got {
	var out []got
	for _, e := range es {
		out = append(out, got{e.Text, e.Start.String(), e.End.String(), e.Precision(), e.YearUnknown})
	}
	return out
}

func day(t *testing.T, s string) notes.Date {
	t.Helper()
	d, err := notes.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type extractCase struct {
	name string
	text string
	pub  string // publication date, "" when unknown
	want []got
}

func runCases(t *testing.T, cases []extractCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			es := timeline.Extract(tc.text, day(t, tc.pub))
			g := summarize(es)
			if fmt.Sprint(g) != fmt.Sprint(tc.want) {
				t.Fatalf("Extract(%q, %q)\n got  %v\n want %v", tc.text, tc.pub, g, tc.want)
			}
			for _, e := range es {
				if tc.text[e.Offset:e.EndOffset] != e.Text {
					t.Fatalf("text[%d:%d]=%q, want %q", e.Offset, e.EndOffset, tc.text[e.Offset:e.EndOffset], e.Text)
				}
				if !strings.Contains(e.Sentence, e.Text) {
					t.Fatalf("sentence %q does not contain %q", e.Sentence, e.Text)
				}
			}
		})
	}
}

// Shorthands for expected events.
func dayEv(text, start string) got   { return got{text, start, "", "day", false} }
func monthEv(text, start string) got { return got{text, start, "", "month", false} }
func yearEv(text, start string) got  { return got{text, start, "", "year", false} }
func rangeEv(text, start, end, prec string) got {
	return got{text, start, end, prec, false}
}
func unknownEv(text string) got { return got{text, "", "", "unknown", true} }

func TestExtract_Weekdays(t *testing.T) {
	runCases(t, []extractCase{
		{"same weekday is the publication day", "The parliament ratified the deal on Wednesday.", "2023-10-11",
			[]got{dayEv("on Wednesday", "2023-10-11")}},
		{"scheduled is future", "He is still scheduled to hold talks with his counterpart, President Sadyr Japarov, on Thursday.", "2023-10-11",
			[]got{dayEv("on Thursday", "2023-10-12")}},
		{"will is future", "Talks will resume on Monday.", "2023-10-11",
			[]got{dayEv("on Monday", "2023-10-16")}},
		{"expected is future", "The vote is expected on Friday.", "2023-10-11",
			[]got{dayEv("on Friday", "2023-10-13")}},
		{"past tense is the last one", "The talks were held on Monday.", "2023-10-11",
			[]got{dayEv("on Monday", "2023-10-09")}},
		{"said on beats a later will", "The ministry said on Thursday that talks will resume.", "2023-10-11",
			[]got{dayEv("on Thursday", "2023-10-05")}},
		{"no verb is the last one", "Fighting broke out on Sunday.", "2023-10-11",
			[]got{dayEv("on Sunday", "2023-10-08")}},
		{"last", "They met last Wednesday.", "2023-10-11",
			[]got{dayEv("last Wednesday", "2023-10-04")}},
		{"next", "They meet again next Wednesday.", "2023-10-11",
			[]got{dayEv("next Wednesday", "2023-10-18")}},
		{"this", "The summit opens this Friday.", "2023-10-11",
			[]got{dayEv("this Friday", "2023-10-13")}},
		{"late", "Rockets struck the city late Tuesday.", "2023-10-11",
			[]got{dayEv("late Tuesday", "2023-10-10")}},
		{"time of day", "Tuesday night saw heavy shelling.", "2023-10-11",
			[]got{dayEv("Tuesday", "2023-10-10")}},
		{"until looks ahead", "The border stays closed until Monday.", "2023-10-11",
			[]got{dayEv("until Monday", "2023-10-16")}},
		{"until in the past", "He stayed in Kant until Monday.", "2023-10-11",
			[]got{dayEv("until Monday", "2023-10-09")}},
		{"by", "Parliament must vote by Friday.", "2023-10-11",
			[]got{dayEv("by Friday", "2023-10-13")}},
		{"unknown publication date", "Talks will resume on Monday.", "",
			[]got{unknownEv("on Monday")}},
		{"publication known to the month only", "Talks will resume on Monday.", "2023-10",
			[]got{unknownEv("on Monday")}},
		{"bare weekday is not a date", "Thursday is the busiest day.", "2023-10-11", nil},
		{"every is not one date", "The market opens every Thursday.", "2023-10-11", nil},
		{"Good Friday", "Shops close on Good Friday.", "2023-10-11", nil},
		{"abbreviation alone", "Wed is short for Wednesday.", "2023-10-11", nil},
	})
}

func TestExtract_MonthDay(t *testing.T) {
	runCases(t, []extractCase{
		{"seed 004 May 8", "the two countries announced on May 8 their intention", "2023-10-04",
			[]got{dayEv("on May 8", "2023-05-08")}},
		{"seed 004 On May 19", "On May 19, he said", "2023-10-04",
			[]got{dayEv("On May 19", "2023-05-19")}},
		{"no year, no publication", "which commenced on November 25 and will conclude on November 27.", "",
			[]got{unknownEv("on November 25"), unknownEv("on November 27")}},
		{"attributive", "attended the October 23 ceremony at the base", "",
			[]got{unknownEv("October 23")}},
		{"ordinal", "It opened on May 8th.", "2023-10-04", []got{dayEv("on May 8th", "2023-05-08")}},
		{"day first", "It opened on 8 May.", "2023-10-04", []got{dayEv("on 8 May", "2023-05-08")}},
		{"the 23rd of", "The ceremony is on the 23rd of October.", "2023-10-11",
			[]got{dayEv("on the 23rd of October", "2023-10-23")}},
		{"abbreviated month", "It opened on Oct. 2 and Sept 3.", "2023-10-11",
			[]got{dayEv("on Oct. 2", "2023-10-02"), dayEv("Sept 3", "2023-09-03")}},
		{"more than two months ahead is last year", "The deal was signed on December 20.", "2024-02-10",
			[]got{dayEv("on December 20", "2023-12-20")}},
		{"more than ten months back is next year", "The deal comes into force on January 5.", "2023-12-15",
			[]got{dayEv("on January 5", "2024-01-05")}},
		{"future widens the window", "The summit will open on June 5.", "2024-02-10",
			[]got{dayEv("on June 5", "2024-06-05")}},
		{"past keeps the narrow window", "The summit was held on June 5.", "2024-02-10",
			[]got{dayEv("on June 5", "2023-06-05")}},
		{"publication known to the month", "It opened on May 8.", "2023-10",
			[]got{dayEv("on May 8", "2023-05-08")}},
		{"publication known to the year", "It opened on May 8.", "2023",
			[]got{dayEv("on May 8", "2023-05-08")}},
		{"capitals", "ON MAY 8 IT OPENED.", "2023-10-04", []got{dayEv("ON MAY 8", "2023-05-08")}},
		{"In May 15 people", "In May 15 people died.", "2023-10-04", []got{monthEv("In May", "2023-05")}},
		{"February 30 does not exist", "It opened on February 30.", "2023-10-04", nil},
		{"February 29 of a leap year", "It opened on February 29, 2024.", "",
			[]got{dayEv("on February 29, 2024", "2024-02-29")}},
		{"the verb may", "Talks may 8 times fail; you may go.", "2023-10-04", nil},
		{"a name", "Jan 8 players and Theresa May said so.", "2023-10-04", nil},
		{"part of a name", "The Long March 5 rocket and Apollo 11 July mission", "2023-10-04", nil},
		{"abbreviation before a noun", "the Oct 23 ceremony", "2023-10-04", nil},
		{"passive future", "The vote will be held on June 5.", "2024-02-10",
			[]got{dayEv("on June 5", "2024-06-05")}},
	})
}

func TestExtract_Months(t *testing.T) {
	runCases(t, []extractCase{
		{"at the end of", "At the end of April, Kyrgyzstan shut down radio Azatec.", "2023-10-04",
			[]got{monthEv("At the end of April", "2023-04")}},
		{"in early", "The base reopens in early May.", "2023-10-04", []got{monthEv("in early May", "2023-05")}},
		{"mid-", "Troops arrived in mid-March.", "2023-10-04", []got{monthEv("in mid-March", "2023-03")}},
		{"in", "Elections were held in April.", "2023-10-04", []got{monthEv("in April", "2023-04")}},
		{"since", "Prices have risen since June.", "2023-10-04", []got{monthEv("since June", "2023-06")}},
		{"late, months ahead", "A vote is due in late December.", "2023-10-04", []got{monthEv("in late December", "2023-12")}},
		{"unknown publication", "At the end of April, the station closed.", "",
			[]got{unknownEv("At the end of April")}},
		{"month and year", "The base opened in October 2003.", "",
			[]got{monthEv("in October 2003", "2003-10")}},
		{"in March 2022", "in March 2022 the war widened", "", []got{monthEv("in March 2022", "2022-03")}},
		{"month of year", "since April of 2016", "", []got{monthEv("since April of 2016", "2016-04")}},
		{"abbreviated month and year", "Oct 2003", "", []got{monthEv("Oct 2003", "2003-10")}},
		{"end of month and year", "by the end of October 2003", "", []got{monthEv("by the end of October 2003", "2003-10")}},
		{"range of months", "from April to June 2023", "", []got{rangeEv("from April to June 2023", "2023-04", "2023-06", "month")}},
		{"last and next months are left out", "It rained last November and will snow next May.", "2023-10-04", nil},
		{"bare month is not a date", "April said March would be fine.", "2023-10-04", nil},
		{"possessive", "in May's government", "2023-10-04", nil},
	})
}

func TestExtract_FullDates(t *testing.T) {
	runCases(t, []extractCase{
		{"month day, year", "on October 23, 2003", "", []got{dayEv("on October 23, 2003", "2003-10-23")}},
		{"day month year", "23 October 2003", "", []got{dayEv("23 October 2003", "2003-10-23")}},
		{"dateline with weekday", "Wednesday, October 4, 2023", "", []got{dayEv("Wednesday, October 4, 2023", "2023-10-04")}},
		{"short dateline", "Wed Oct 11 2023\nicon-facebook", "", []got{dayEv("Wed Oct 11 2023", "2023-10-11")}},
		{"ordinal with year", "October 4th, 2023.", "", []got{dayEv("October 4th, 2023", "2023-10-04")}},
		{"year without comma before a noun counts", "on May 8 2000 people marched", "",
			[]got{unknownEv("on May 8")}},
		{"ISO", "Filed 2003-10-23.", "", []got{dayEv("2003-10-23", "2003-10-23")}},
		{"ISO with time", "at 2023-10-11T09:30Z", "", []got{dayEv("2023-10-11", "2023-10-11")}},
		{"ISO slashes", "2023/10/11", "", []got{dayEv("2023/10/11", "2023-10-11")}},
		{"ISO invalid", "2023-13-45", "", nil},
	})
}

func TestExtract_Years(t *testing.T) {
	runCases(t, []extractCase{
		{"since", "The airbase, operational since 2017, has long been a subject of speculation.", "",
			[]got{yearEv("since 2017", "2017")}},
		{"in", "Napoleon invaded Russia in 1812.", "", []got{yearEv("in 1812", "1812")}},
		{"by", "By 2030 the base will double.", "", []got{yearEv("By 2030", "2030")}},
		{"until", "until 2025", "", []got{yearEv("until 2025", "2025")}},
		{"after", "after 2014 the region changed", "", []got{yearEv("after 2014", "2014")}},
		{"during", "during 2019, when", "", []got{yearEv("during 2019", "2019")}},
		{"of with a head", "the War of 1812", "", []got{yearEv("the War of 1812", "1812")}},
		{"end of", "by the end of 2023", "", []got{yearEv("by the end of 2023", "2023")}},
		{"first half of", "in the first half of 2023", "", []got{yearEv("in the first half of 2023", "2023")}},
		{"early", "in early 2017", "", []got{yearEv("in early 2017", "2017")}},
		{"mid-", "until mid-2017", "", []got{yearEv("until mid-2017", "2017")}},
		{"the year", "in the year 2000", "", []got{yearEv("in the year 2000", "2000")}},
		{"followed by a capital", "In 2017 Russia moved", "", []got{yearEv("In 2017", "2017")}},
		{"decade", "in the 1990s", "", []got{{"in the 1990s", "1990", "1999", "decade", false}}},
		{"decade with apostrophe", "the 1980's", "", []got{{"the 1980's", "1980", "1989", "decade", false}}},
		{"early decade", "during the early 2000s", "", []got{{"during the early 2000s", "2000", "2009", "decade", false}}},
		{"century", "in the 1800s", "", []got{rangeEv("in the 1800s", "1800", "1899", "year")}},
		{"present", "from 2003 to present", "", []got{yearEv("from 2003", "2003")}},
	})
}

func TestExtract_Ranges(t *testing.T) {
	runCases(t, []extractCase{
		{"days of a month, no year", "from 25 to 27 November", "",
			[]got{{"from 25 to 27 November", "", "", "unknown", true}}},
		{"days of a month resolved", "from 25 to 27 November", "2023-12-01",
			[]got{rangeEv("from 25 to 27 November", "2023-11-25", "2023-11-27", "day")}},
		{"days of a month with year", "from 25 to 27 November 2003", "",
			[]got{rangeEv("from 25 to 27 November 2003", "2003-11-25", "2003-11-27", "day")}},
		{"en dash days", "25–27 November 2003", "", []got{rangeEv("25–27 November 2003", "2003-11-25", "2003-11-27", "day")}},
		{"month first days", "May 8–19, 2023", "", []got{rangeEv("May 8–19, 2023", "2023-05-08", "2023-05-19", "day")}},
		{"between dates", "between May 8 and May 19", "2023-10-04",
			[]got{rangeEv("between May 8 and May 19", "2023-05-08", "2023-05-19", "day")}},
		{"from dates", "from May 8 to 19", "2023-10-04",
			[]got{rangeEv("from May 8 to 19", "2023-05-08", "2023-05-19", "day")}},
		{"across months", "from 25 November to 2 December 2003", "",
			[]got{rangeEv("from 25 November to 2 December 2003", "2003-11-25", "2003-12-02", "day")}},
		{"across years", "from December 28 to January 3, 2004", "",
			[]got{rangeEv("from December 28 to January 3, 2004", "2003-12-28", "2004-01-03", "day")}},
		{"over the new year, no year", "from December 28 to January 3", "",
			[]got{{"from December 28 to January 3", "", "", "unknown", true}}},
		{"over the new year, resolved", "from December 28 to January 3", "2024-01-10",
			[]got{rangeEv("from December 28 to January 3", "2023-12-28", "2024-01-03", "day")}},
		{"backwards is no range", "from May 19 to May 8", "2023-10-04",
			[]got{dayEv("from May 19", "2023-05-19"), dayEv("May 8", "2023-05-08")}},
		{"years with en dash", "in 2003–2005", "", []got{rangeEv("in 2003–2005", "2003", "2005", "year")}},
		{"years with hyphen", "during 2003-2005", "", []got{rangeEv("during 2003-2005", "2003", "2005", "year")}},
		{"years in brackets", "Akaev (1990-2005) ruled", "", []got{rangeEv("1990-2005", "1990", "2005", "year")}},
		{"short years", "in 2017-18", "", []got{rangeEv("in 2017-18", "2017", "2018", "year")}},
		{"from years", "from 2003 to 2005", "", []got{rangeEv("from 2003 to 2005", "2003", "2005", "year")}},
		{"between years", "between 2003 and 2005.", "", []got{rangeEv("between 2003 and 2005", "2003", "2005", "year")}},
		{"two events, not a range", "commenced on November 25 and will conclude on November 27", "2023-11-26",
			[]got{dayEv("on November 25", "2023-11-25"), dayEv("on November 27", "2023-11-27")}},
		{"bare years range needs context", "2003–2005 troops", "", nil},
	})
}

func TestExtract_Numeric(t *testing.T) {
	runCases(t, []extractCase{
		{"day first by value", "on 25/10/2023", "", []got{dayEv("on 25/10/2023", "2023-10-25")}},
		{"month first by value", "10/25/2023", "", []got{dayEv("10/25/2023", "2023-10-25")}},
		{"dots are day first", "11.10.2023", "", []got{dayEv("11.10.2023", "2023-10-11")}},
		{"same either way", "10/10/2023", "", []got{dayEv("10/10/2023", "2023-10-10")}},
		{"ambiguous alone is skipped", "11/10/2023", "", nil},
		{"the text settles it day first", "11/10/2023 and 25/10/2023", "",
			[]got{dayEv("11/10/2023", "2023-10-11"), dayEv("25/10/2023", "2023-10-25")}},
		{"the text settles it month first", "11/10/2023 and 10/25/2023", "",
			[]got{dayEv("11/10/2023", "2023-11-10"), dayEv("10/25/2023", "2023-10-25")}},
		{"conflicting evidence drops", "11/10/2023, 25/10/2023, 10/25/2023", "",
			[]got{dayEv("25/10/2023", "2023-10-25"), dayEv("10/25/2023", "2023-10-25")}},
		{"two-digit year is skipped", "11/10/23", "", nil},
		{"version numbers", "v1.12.2020 and 3.4.2023.1", "", nil},
		{"year-month is ambiguous with a range", "in 2009-10", "", nil},
	})
}

// Numbers that are not dates never become events.
func TestExtract_NotDates(t *testing.T) {
	for _, text := range []string{
		"ranked No. 107 among the 145 largest armies",
		"ranked No. 39 among Asian armies",
		"No. 8 May Street", // a label, then "May" with no day
		"a force estimated at 25,000 men",
		"75% of its population",
		"According to Article 6, the Commander",
		"Article 6 May",
		"a rail network of 424 km",
		"5,000,268 military vehicles",
		"at least six months in advance",
		"215 tanks, 64 self-propelled guns",
		"6 million inhabitants",
		"in 5 years",
		"see page 2017",
		"a road network of 2,000 km",
		"inflation of 1.5%",
		"about 3 million represent a workforce",
		"call +7 312 2017-1812 or 555-2017",
		"(312) 555-1812",
		"it cost $2017",
		"Room 1812",
		"Two ports, 28 airports",
		"in 1500 villages",
		"in 2000 cases",
		"a total of 2000 men",
		"the number rose by 2000.",
		"it grew from 1500 to 2000.",
		"between 1500 and 2000 soldiers",
		"from 2000 to 3000 troops",
		"on 2,000 acres",
		"on 1500 hectares",
		"an A320 and a Boeing 737",
		"ISO 9001 certified",
		"the 2017 budget",
		"12:30 and 20:15",
		"at 2017 hours",
		"up to 2000 people",
		"25 °C",
		"#2017",
		"in 1999 km",
		"in 2017 2018",
		"the 1995s",
		"3000 BC",
		"in 500 BC",
		"No. 1990s",
		"1,990s",
	} {
		t.Run(text, func(t *testing.T) {
			if es := timeline.Extract(text, wed); len(es) != 0 {
				t.Fatalf("Extract(%q) = %v, want no events", text, summarize(es))
			}
		})
	}
}

func TestExtract_OffsetsAndSentence(t *testing.T) {
	text := "Kyrgyz–Russian ties. Putin’s visit, which commenced on November 25, ends soon.\n\nNext paragraph."
	es := timeline.Extract(text, notes.Date{})
	if len(es) != 1 {
		t.Fatalf("got %d events, want 1", len(es))
	}
	e := es[0]
	if got, want := e.Text, "on November 25"; got != want {
		t.Fatalf("Text=%q, want %q", got, want)
	}
	if got, want := e.Sentence, "Putin’s visit, which commenced on November 25, ends soon."; got != want {
		t.Fatalf("Sentence=%q, want %q", got, want)
	}
	runes := []rune(text)
	if got := string(runes[e.RuneOffset:e.RuneEnd]); got != e.Text {
		t.Fatalf("runes[%d:%d]=%q, want %q", e.RuneOffset, e.RuneEnd, got, e.Text)
	}
	if e.RuneOffset == e.Offset {
		t.Fatalf("RuneOffset=%d equals the byte offset despite multi-byte runes before it", e.RuneOffset)
	}
}

func TestExtract_SentenceStopsAtAbbreviations(t *testing.T) {
	text := "Gen. Mikhailov arrived. Mr. Putin spoke on Thursday in Kant. Then he left."
	es := timeline.Extract(text, wed)
	if len(es) != 1 {
		t.Fatalf("got %v", summarize(es))
	}
	if got, want := es[0].Sentence, "Mr. Putin spoke on Thursday in Kant."; got != want {
		t.Fatalf("Sentence=%q, want %q", got, want)
	}
}

func TestEvent_Resolve_YearUnknown(t *testing.T) {
	es := timeline.Extract("The visit commenced on November 25.", notes.Date{})
	if len(es) != 1 || !es[0].YearUnknown || es[0].Start.Known() {
		t.Fatalf("got %+v, want one year-unknown event", es)
	}
	e := es[0]
	if got, want := e.Human(), "25 Nov (year unknown)"; got != want {
		t.Fatalf("Human()=%q, want %q", got, want)
	}
	r := e.Resolve(notes.DayDate(2024, time.November, 28))
	if r.YearUnknown || r.Start != notes.DayDate(2024, time.November, 25) {
		t.Fatalf("Resolve=%v (unknown=%v), want 2024-11-25", r.Start, r.YearUnknown)
	}
	// A later change of the publication date moves it again.
	r = r.Resolve(notes.DayDate(2025, time.February, 1))
	if r.Start != notes.DayDate(2024, time.November, 25) {
		t.Fatalf("Resolve against Feb 2025=%v, want 2024-11-25", r.Start)
	}
	r = r.Resolve(notes.DayDate(2025, time.December, 1))
	if r.Start != notes.DayDate(2025, time.November, 25) {
		t.Fatalf("Resolve against Dec 2025=%v, want 2025-11-25", r.Start)
	}
	// Clearing the date makes it unknown again.
	if r = r.Resolve(notes.Date{}); !r.YearUnknown || r.Start.Known() {
		t.Fatalf("Resolve(unknown)=%+v, want year unknown", r)
	}
}

func TestEvent_Resolve_Forms(t *testing.T) {
	text := "Talks will resume on Thursday. At the end of April, from 25 to 27 November, since 2017."
	es := timeline.Extract(text, notes.Date{})
	var g []string
	for _, e := range es {
		g = append(g, e.Human())
	}
	if got, want := strings.Join(g, "; "), "Thursday (date unknown); April (year unknown); 25 Nov – 27 Nov (year unknown); 2017"; got != want {
		t.Fatalf("before: %s\nwant     %s", got, want)
	}
	g = g[:0]
	for _, e := range es {
		g = append(g, e.Resolve(wed).Human())
	}
	if got, want := strings.Join(g, "; "), "12 Oct 2023; Apr 2023; 25 Nov 2023 – 27 Nov 2023; 2017"; got != want {
		t.Fatalf("after: %s\nwant    %s", got, want)
	}
}

func TestEvent_Resolve_LeapDay(t *testing.T) {
	es := timeline.Extract("It happened on February 29.", notes.Date{})
	if len(es) != 1 {
		t.Fatalf("got %v", summarize(es))
	}
	if r := es[0].Resolve(notes.DayDate(2024, time.March, 10)); r.Start != notes.DayDate(2024, time.February, 29) {
		t.Fatalf("in a leap year: %v", r.Start)
	}
	if r := es[0].Resolve(notes.DayDate(2023, time.March, 10)); !r.YearUnknown {
		t.Fatalf("in a common year: %v, want year unknown", r.Start)
	}
}

func ExampleExtract() {
	text := "Kyrgyzstan's parliament ratified the agreement on Wednesday. " +
		"Putin is scheduled to hold talks in Bishkek on Thursday. The base has operated since 2017."
	for _, e := range timeline.Extract(text, notes.DayDate(2023, time.October, 11)) {
		fmt.Printf("%s: %s (%s)\n", e.Text, e.Start, e.Precision())
	}
	// Output:
	// on Wednesday: 2023-10-11 (day)
	// on Thursday: 2023-10-12 (day)
	// since 2017: 2017 (year)
}
