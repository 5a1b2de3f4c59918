// Command scalegen copies a Dossier project and adds a generated notebook
// to the copy: notes with [[links]] and #tags, quotes pinned to its
// documents and user events, through the project's store and index (in
// batches of one transaction each). The result is the project that the
// scale benchmarks of docs/PERFORMANCE.md open:
//
//	go run ./bench/cmd/scalegen -from BASE -to COPY [-notes 10000 -quotes 50000 -events 200000]
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"time"
	"unicode/utf8"

	"dossier/notes"
	"dossier/project"
)

var topics = []string{"kant", "airbase", "pipeline", "election", "treaty", "harbour", "customs",
	"mining", "railway", "drought", "border", "ministry", "refinery", "ferry", "archive", "census"}

func main() {
	from := flag.String("from", "", "project folder to copy (left untouched)")
	to := flag.String("to", "", "new project folder to create with the notebook")
	nNotes := flag.Int("notes", 10_000, "notes to add")
	nQuotes := flag.Int("quotes", 50_000, "quotes to add")
	nEvents := flag.Int("events", 200_000, "user events to add")
	batch := flag.Int("batch", 2000, "items per transaction")
	flag.Parse()
	if *from == "" || *to == "" {
		fmt.Fprintln(os.Stderr, "scalegen: -from and -to are required")
		os.Exit(2)
	}
	if err := run(context.Background(), *from, *to, *nNotes, *nQuotes, *nEvents, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "scalegen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, from, to string, nNotes, nQuotes, nEvents, batch int) error {
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("%s exists; give a new folder", to)
	}
	start := time.Now()
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		return fmt.Errorf("copying %s: %v: %s", from, err, out)
	}
	os.Remove(to + "/dossier.lock")
	p, err := project.Open(ctx, to, project.Options{NoSeeds: true})
	if err != nil {
		return err
	}
	defer p.Close()
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return fmt.Errorf("%s has no documents to quote", from)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	title := func(i int) string { return fmt.Sprintf("Note %05d on the %s", i, topics[i%len(topics)]) }

	step := func(what string, n int, fn func(lo, hi int) error) error {
		t0 := time.Now()
		for lo := 0; lo < n; lo += batch {
			if err := fn(lo, min(lo+batch, n)); err != nil {
				return fmt.Errorf("%s %d–%d: %w", what, lo, min(lo+batch, n), err)
			}
		}
		fmt.Printf("%d %s in %s\n", n, what, time.Since(t0).Round(time.Millisecond))
		return nil
	}
	noteIDs := make([]string, 0, nNotes)
	err = step("notes", nNotes, func(lo, hi int) error {
		ns := make([]*notes.Note, 0, hi-lo)
		for i := lo; i < hi; i++ {
			a, b := rng.IntN(nNotes), rng.IntN(nNotes)
			body := fmt.Sprintf("Working note %d about the %s.\n\nSee [[%s]] and [[%s]]; compare the sources on #%s and #%s/%d.\n\n%s",
				i, topics[i%len(topics)], title(a), title(b), topics[a%len(topics)], topics[b%len(topics)], i%50,
				"Open questions: who signed, when, and which reports disagree about the date.")
			ns = append(ns, &notes.Note{Title: title(i), Body: body})
		}
		if err := p.Bulk(ctx, ns, nil, nil); err != nil {
			return err
		}
		for _, n := range ns {
			noteIDs = append(noteIDs, n.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var quoteIDs []string
	err = step("quotes", nQuotes, func(lo, hi int) error {
		texts := map[string]string{}
		for i := lo; i < hi; i++ {
			id := docs[i%len(docs)].ID
			if _, ok := texts[id]; !ok {
				t, err := p.Store.Text(ctx, id)
				if err != nil {
					return err
				}
				texts[id] = t
			}
		}
		qs := make([]*notes.Quote, 0, hi-lo)
		for i := lo; i < hi; i++ {
			d := docs[i%len(docs)]
			n := utf8.RuneCountInString(texts[d.ID])
			if n < 2 {
				continue
			}
			length := min(40+rng.IntN(160), n)
			s := rng.IntN(n - length + 1)
			qs = append(qs, &notes.Quote{DocID: d.ID, Start: s, End: s + length,
				Comment: fmt.Sprintf("quote %d, relevant to the %s", i, topics[i%len(topics)]),
				Tags:    []string{topics[i%len(topics)], fmt.Sprint("batch", i/batch)}})
		}
		if err := p.Bulk(ctx, nil, qs, nil); err != nil {
			return err
		}
		for _, q := range qs {
			if len(quoteIDs) < 10_000 {
				quoteIDs = append(quoteIDs, q.ID)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = step("events", nEvents, func(lo, hi int) error {
		es := make([]*notes.Event, 0, hi-lo)
		for i := lo; i < hi; i++ {
			day := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(36*365))
			e := &notes.Event{Label: fmt.Sprintf("Event %d: %s %s", i, topics[i%len(topics)], []string{"meeting", "report", "shipment", "ruling"}[i%4]),
				Date: notes.DayDate(day.Year(), day.Month(), day.Day())}
			switch i % 10 {
			case 0:
				e.Links = []string{docs[rng.IntN(len(docs))].ID}
			case 1:
				if len(noteIDs) > 0 {
					e.Links = []string{noteIDs[rng.IntN(len(noteIDs))]}
				}
			case 2:
				if len(quoteIDs) > 0 {
					e.Links = []string{quoteIDs[rng.IntN(len(quoteIDs))]}
				}
			case 3:
				e.Date = notes.MonthDate(day.Year(), day.Month())
				end := day.AddDate(0, 2, 0)
				e.End = notes.MonthDate(end.Year(), end.Month())
			}
			es = append(es, e)
		}
		return p.Bulk(ctx, nil, nil, es)
	})
	if err != nil {
		return err
	}
	fmt.Printf("done in %s: %s\n", time.Since(start).Round(time.Millisecond), to)
	return nil
}
