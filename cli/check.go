package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"dossier/project"
)

func init() {
	commands = append(commands, &command{name: "check",
		summary: "verify the project: database integrity, originals' hashes, search index",
		run:     runCheck, flags: func(fs *flag.FlagSet, c *call) {
			jsonFlag(fs, c)
			fs.BoolVar(&c.repair, "repair", false, "rebuild the search index if it disagrees with the store, or index the edits it missed")
		}})
}

// errProblems makes check exit with status 1 after printing its report.
var errProblems = errors.New("problems found")

func runCheck(ctx context.Context, e *Env, c *call) error {
	// Edits that never reached the index are left for Check to report.
	pr0 := newProgress(e.Stderr, "rebuilding search index")
	p, err := project.Open(ctx, c.dir(), project.Options{NoSeeds: c.noSeeds, LeaveIndexEdits: true,
		Progress: func(done, total int) { pr0.update(done, total, "") }})
	pr0.finish()
	if err != nil {
		return err
	}
	defer p.Close()
	pr := newProgress(e.Stderr, "checking originals")
	rep, err := p.Check(ctx, c.repair, func(done, total int) { pr.update(done, total, "") })
	pr.finish()
	if err != nil {
		return err
	}
	if c.json {
		if err := writeJSON(e.Stdout, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.Stdout, "%d documents, %d originals checked, %d items indexed.\n", rep.Documents, rep.Originals, rep.Indexed)
		if msg := rep.Pending(); msg != "" {
			fmt.Fprintf(e.Stdout, "pending: %s\n", msg)
		}
		for _, r := range rep.Repaired {
			fmt.Fprintf(e.Stdout, "repaired: %s\n", r)
		}
		for _, pb := range rep.Problems {
			fmt.Fprintf(e.Stdout, "problem: %s\n", pb)
		}
		if rep.OK() {
			fmt.Fprintln(e.Stdout, "OK")
		}
	}
	if !rep.OK() {
		return errProblems
	}
	return nil
}
