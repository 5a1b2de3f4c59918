package app

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"dossier/project"
)

// percentile returns the p-th percentile (0–100) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// BenchmarkSearch_KeystrokeToResults types queries a letter at a time into
// the search field of the real UI on the seed corpus and measures, for each
// keystroke, the time until the results for the text typed so far are in
// the list: the debounce, the search on its goroutine, and the list update
// on the UI goroutine. Target: p95 under 100 ms. With DOSSIER_BENCH_PROJECT
// naming a big project (such as the 100,000-document one `make bench`
// leaves in ~/.cache/dossier-bench/run/dossier-1) it measures that instead:
// target p95 under 150 ms.
func BenchmarkSearch_KeystrokeToResults(b *testing.B) {
	p := mustOpenProject(b)
	if dir := os.Getenv("DOSSIER_BENCH_PROJECT"); dir != "" {
		p.Close()
		var err error
		if p, err = project.Open(context.Background(), dir, project.Options{NoSeeds: true}); err != nil {
			b.Fatal(err)
		}
	}
	u, l := newTestUI(b, p, Options{})
	words := []string{"airbase", "kyrgyzstan", "ceremony", "russia", "insiders", "memo"}
	var lat []time.Duration
	for b.Loop() {
		for _, w := range words {
			for i := 1; i <= len(w); i++ {
				q := w[:i]
				start := time.Now()
				u.bar.entry.SetText(q)
				l.until(b, "results for "+q, func() bool { return u.results.query == q })
				lat = append(lat, time.Since(start))
			}
		}
	}
	b.ReportMetric(float64(percentile(lat, 50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 95).Microseconds())/1000, "p95-ms")
	// What the debounce does not account for: search plus list update.
	b.ReportMetric(float64((percentile(lat, 95)-u.opts.Debounce).Microseconds())/1000, "p95-after-debounce-ms")
}

// BenchmarkColdStart measures opening an existing seeded project and
// building the window up to a searchable state (library loaded): what a
// second run of `dossier` does before the window can answer a query.
// Target: under a second.
func BenchmarkColdStart(b *testing.B) {
	dir := b.TempDir()
	p, err := project.Open(context.Background(), dir, project.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := p.Close(); err != nil {
		b.Fatal(err)
	}
	a := newTestApp(b)
	var worst time.Duration
	for b.Loop() {
		start := time.Now()
		p, err := project.Open(context.Background(), dir, project.Options{})
		if err != nil {
			b.Fatal(err)
		}
		l := newUILoop()
		u := New(a, p, Options{do: l.do})
		l.until(b, "the library", func() bool { return u.docs != nil })
		worst = max(worst, time.Since(start))
		if err := u.Close(); err != nil {
			b.Fatal(err)
		}
		u.win.Close()
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}
