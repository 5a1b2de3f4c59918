package app

import (
	"context"
	"testing"
	"time"

	"dossier/notes"
)

func TestZZProf(t *testing.T) {
	p := mustOpenProject(t)
	u, l := newTestUI(t, p, Options{})
	for _, w := range []string{"airbase", "kyrgyzstan", "memo"} {
		for i := 1; i <= len(w); i++ {
			q := w[:i]
			s := time.Now()
			res, err := p.Index.Search(context.Background(), notes.SearchRequest{Query: q, Limit: 50, PrefixLast: true, Snippets: 2})
			d1 := time.Since(s)
			s = time.Now()
			if err == nil {
				u.results.SetResults(q, res, false)
			}
			d2 := time.Since(s)
			s = time.Now()
			u.bar.entry.SetText(q)
			l.until(t, q, func() bool { return u.results.query == q })
			t.Logf("%-12s search %6.1fms  show %6.1fms  e2e %6.1fms hits %d", q, ms(d1), ms(d2), ms(time.Since(s)), len(res.Hits))
		}
	}
}
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
