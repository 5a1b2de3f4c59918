package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"dossier/bundle"
)

// Version is the app version written into bundles' manifests.
const Version = "0.1.0"

func init() {
	commands = append(commands, &command{name: "bundle", args: "create|open|verify FILE",
		summary: "share the project as one .dossier file, open or merge one, or check one",
		run:     runBundle, flags: func(fs *flag.FlagSet, c *call) {
			jsonFlag(fs, c)
			fs.BoolVar(&c.merge, "merge", false, "open: merge the bundle into the project instead of creating a new one")
		}})
}

func runBundle(ctx context.Context, e *Env, c *call) error {
	if len(c.args) != 2 {
		return usageError("give a subcommand and a file: dossier bundle create|open|verify FILE")
	}
	sub, file := c.args[0], c.args[1]
	switch sub {
	case "create":
		return bundleCreate(ctx, e, c, file)
	case "open":
		if c.merge {
			return bundleMerge(ctx, e, c, file)
		}
		return bundleOpen(ctx, e, c, file)
	case "verify":
		return bundleVerify(ctx, e, c, file)
	}
	return usageError(fmt.Sprintf("unknown subcommand %q: use create, open or verify", sub))
}

func bundleCreate(ctx context.Context, e *Env, c *call, file string) error {
	if !strings.HasSuffix(file, bundle.Ext) {
		file += bundle.Ext
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	pr := newProgress(e.Stderr, "writing bundle")
	m, err := bundle.Create(ctx, p.DB(), file, bundle.CreateOptions{AppVersion: Version,
		Progress: func(done, total int) { pr.update(done, total, "") }})
	pr.finish()
	if err != nil {
		return cancelled(err, "nothing was written")
	}
	if c.json {
		return writeJSON(e.Stdout, m)
	}
	fmt.Fprintf(e.Stdout, "Wrote %s: %s.\n", file, describeCounts(m.Counts))
	return nil
}

func bundleOpen(ctx context.Context, e *Env, c *call, file string) error {
	if c.project == "" {
		return usageError("name the new project's folder with --project NEWDIR (or add --merge to merge into a project)")
	}
	pr := newProgress(e.Stderr, "opening bundle")
	rep, err := bundle.OpenNew(ctx, file, c.project, bundle.LoadOptions{Progress: func(done, total int) { pr.update(done, total, "") }})
	pr.finish()
	if err != nil {
		return cancelled(err, "no project was created")
	}
	if c.json {
		return writeJSON(e.Stdout, rep)
	}
	dir, _ := filepath.Abs(c.project)
	fmt.Fprintf(e.Stdout, "Created project %s from %q: %s.\n", dir, rep.From.Name, describeCounts(rep.Added))
	return nil
}

func bundleMerge(ctx context.Context, e *Env, c *call, file string) error {
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	pr := newProgress(e.Stderr, "merging bundle")
	rep, err := bundle.Merge(ctx, p, file, bundle.LoadOptions{Progress: func(done, total int) { pr.update(done, total, "") }})
	pr.finish()
	if err != nil && rep == nil {
		return cancelled(err, "the project is unchanged")
	}
	if c.json {
		if jerr := writeJSON(e.Stdout, rep); jerr != nil {
			return jerr
		}
	} else {
		printMerge(e.Stdout, rep)
	}
	return err
}

func printMerge(w io.Writer, rep *bundle.Report) {
	fmt.Fprintf(w, "Merged %q. Added: %s. Updated: %s. Unchanged: %s.\n", rep.From.Name,
		describeCounts(rep.Added), describeCounts(rep.Updated), describeCounts(rep.Unchanged))
	if len(rep.Conflicts) > 0 {
		fmt.Fprintf(w, "\n%d conflicts (both sides changed these; this project's version was kept):\n", len(rep.Conflicts))
		for _, k := range rep.Conflicts {
			fmt.Fprintf(w, "  %s %q (%s): %s\n", k.Kind, k.Title, k.ID, k.Detail)
		}
	}
}

func bundleVerify(ctx context.Context, e *Env, c *call, file string) error {
	r, err := bundle.Open(file, bundle.Limits{})
	if err != nil {
		return err
	}
	defer r.Close()
	pr := newProgress(e.Stderr, "checking bundle")
	err = r.Verify(ctx, func(done, total int) { pr.update(done, total, "") })
	pr.finish()
	if err != nil {
		return cancelled(err, "")
	}
	m := r.Manifest
	if c.json {
		return writeJSON(e.Stdout, m)
	}
	fmt.Fprintf(e.Stdout, "OK: %s is a sound bundle of project %q (format %d, made %s by Dossier %s): %s.\n",
		file, m.Project.Name, m.FormatVersion, m.Created.Format("2 Jan 2006 15:04 MST"), m.AppVersion, describeCounts(m.Counts))
	return nil
}

// describeCounts reads "5 sources, 2 notes, 1 quote" and "nothing".
func describeCounts(n bundle.Counts) string {
	var parts []string
	add := func(k int, one, many string) {
		switch {
		case k == 1:
			parts = append(parts, "1 "+one)
		case k > 1:
			parts = append(parts, fmt.Sprintf("%d %s", k, many))
		}
	}
	add(n.Documents, "source", "sources")
	add(n.Notes, "note", "notes")
	add(n.Quotes, "quote", "quotes")
	add(n.Relations, "relation", "relations")
	add(n.Events, "event", "events")
	add(n.Files, "original file", "original files")
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// cancelled turns a cancel into a sentence saying what state things are in.
func cancelled(err error, state string) error {
	if errors.Is(err, context.Canceled) {
		if state == "" {
			return errors.New("cancelled")
		}
		return errors.New("cancelled; " + state)
	}
	return err
}
