package cli

import (
	"context"
	"fmt"
	"time"

	"dossier/timeline"
)

// eventJSON is one line of `dossier timeline --json`: documented in README.md.
type eventJSON struct {
	Date      string `json:"date"` // "" when the year is unknown
	End       string `json:"end,omitempty"`
	Precision string `json:"precision"`
	Kind      string `json:"kind"` // published, mentioned or mine
	Label     string `json:"label"`
	Doc       string `json:"doc"`
	Offset    int    `json:"offset"` // in code points, like quote offsets
	Text      string `json:"text"`
	Sentence  string `json:"sentence,omitempty"`
	// YearUnknown events carry what the text gave: "November 25" is
	// precision day, year unknown, until the document gets a date.
	YearUnknown bool `json:"year_unknown,omitempty"`
	// User events only.
	ID string `json:"id,omitempty"`
	// Links is a []string for user events, even an empty one, and nil
	// (left out) for the rest.
	Links any    `json:"links,omitempty"`
	Note  string `json:"note,omitempty"`
}

func init() {
	commands = append(commands, &command{name: "timeline",
		summary: "list the dates of the corpus: publications, dates mentioned in the texts, your events",
		run:     runTimeline, flags: jsonFlag})
}

// runTimeline collects the timeline as the GUI does (project.Timeline), so
// an event whose year was unknown resolves as soon as its document gets a
// date.
func runTimeline(ctx context.Context, e *Env, c *call) error {
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	// Progress only for a scan long enough to wonder about: a small
	// project's timeline should print nothing on stderr.
	pr, start := newProgress(e.Stderr, "reading dates"), time.Now()
	set, err := p.Timeline(ctx, func(done, total int) {
		if time.Since(start) > time.Second {
			pr.update(done, total, "")
		}
	})
	pr.finish()
	if err != nil {
		return err
	}
	if c.json {
		if err := p.FillSentences(ctx, set.Entries); err != nil {
			return err
		}
		evs := make([]eventJSON, len(set.Entries))
		for i := range set.Entries {
			evs[i] = entryJSON(&set.Entries[i])
		}
		return writeJSON(e.Stdout, evs)
	}
	for i := range set.Entries {
		ev := &set.Entries[i]
		what := ev.Text
		switch ev.Kind {
		case timeline.KindPublished:
			what = "published"
		case timeline.KindMine:
			what = "mine " + ev.EventID[:min(8, len(ev.EventID))]
		}
		fmt.Fprintf(e.Stdout, "%-25s %-22s %s\n", ev.Human(), ellipsis(what, 22), ellipsis(ev.Label, 60))
	}
	return nil
}

func entryJSON(ev *timeline.Entry) eventJSON {
	j := eventJSON{Date: ev.Start.String(), End: ev.End.String(), Precision: ev.Precision, Kind: ev.Kind,
		Label: ev.Label, Doc: ev.Doc, Offset: ev.Offset, Text: ev.Text, Sentence: ev.Sentence,
		YearUnknown: ev.YearUnknown, ID: ev.EventID, Note: ev.Note}
	if ev.Kind == timeline.KindMine {
		j.Links = append([]string{}, ev.Links...)
	}
	return j
}

func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
