package cli

import (
	"context"
	"fmt"
	"sort"

	"dossier/notes"
	"dossier/timeline"
)

// eventJSON is one line of `dossier timeline --json`: documented in README.md.
type eventJSON struct {
	Date      string `json:"date"` // "" when the year is unknown
	End       string `json:"end,omitempty"`
	Precision string `json:"precision"`
	Kind      string `json:"kind"` // published or mentioned
	Label     string `json:"label"`
	Doc       string `json:"doc"`
	Offset    int    `json:"offset"` // in code points, like quote offsets
	Text      string `json:"text"`
	Sentence  string `json:"sentence,omitempty"`
	// YearUnknown events carry what the text gave: "November 25" is
	// precision day, year unknown, until the document gets a date.
	YearUnknown bool `json:"year_unknown,omitempty"`
}

func init() {
	commands = append(commands, &command{name: "timeline",
		summary: "list the dates of the corpus: publications and dates mentioned in the text",
		run:     runTimeline, flags: jsonFlag})
}

// runTimeline derives events from the stored texts each time, so an event
// whose year was unknown resolves as soon as its document gets a date.
func runTimeline(ctx context.Context, e *Env, c *call) error {
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	var evs []eventJSON
	err = p.Store.EachDocument(ctx, func(d *notes.Document) error {
		if d.Published.Known() {
			evs = append(evs, eventJSON{Date: d.Published.String(), Precision: d.Published.Precision.String(),
				Kind: "published", Label: d.Title, Doc: d.ID})
		}
		for _, ev := range timeline.Extract(d.Text, d.Published) {
			j := eventJSON{Precision: ev.Precision(), Kind: "mentioned", Label: d.Title, Doc: d.ID,
				Offset: ev.RuneOffset, Text: ev.Text, Sentence: ev.Sentence}
			if ev.YearUnknown {
				j.YearUnknown, j.Precision = true, "month"
				if ev.Day > 0 || ev.Form == timeline.FormWeekday {
					j.Precision = "day"
				}
			} else {
				j.Date, j.End = ev.Start.String(), ev.End.String()
			}
			evs = append(evs, j)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Dated first, by date; year-unknown ones last. ISO strings sort by date.
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if (a.Date == "") != (b.Date == "") {
			return b.Date == ""
		}
		return a.Date < b.Date
	})
	if c.json {
		if evs == nil {
			evs = []eventJSON{}
		}
		return writeJSON(e.Stdout, evs)
	}
	for _, ev := range evs {
		date := ev.Date
		if date == "" {
			date = "year unknown"
		}
		if ev.End != "" && ev.End != ev.Date {
			date += " – " + ev.End
		}
		what := ev.Text
		if ev.Kind == "published" {
			what = "published"
		}
		fmt.Fprintf(e.Stdout, "%-25s %-22s %s\n", date, what, ellipsis(ev.Label, 60))
	}
	return nil
}

func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
