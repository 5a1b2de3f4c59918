package app

import (
	"context"

	"dossier/project"
)

// openAsync starts opening the project in dir on its own goroutine and
// returns a func that waits for it. Run builds the window meanwhile: at
// 100,000 documents opening (lock, SQLite, Bleve's two shards, the count
// check) takes 50–80 ms that no longer delay the window, on a second core.
// The project touches no Fyne state, so it needs no fyne.Do.
func openAsync(dir string, opts project.Options) func() (*project.Project, error) {
	type opened struct {
		p   *project.Project
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		p, err := project.Open(context.Background(), dir, opts)
		ch <- opened{p, err}
	}()
	return func() (*project.Project, error) {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		return r.p, nil
	}
}
