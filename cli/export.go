package cli

import (
	"context"
	"flag"
	"fmt"

	"dossier/bundle"
	"dossier/export"
	"dossier/internal/fileio"
)

func init() {
	commands = append(commands, &command{name: "export", args: "markdown DIR | note [-o FILE] ID-or-title...",
		summary: "export the project as a Markdown vault (Obsidian, Pandoc), or notes as one Markdown file",
		run:     runExport, flags: func(fs *flag.FlagSet, c *call) {
			jsonFlag(fs, c)
			fs.StringVar(&c.output, "o", "", "note: write to `FILE` instead of standard output")
		}})
}

func runExport(ctx context.Context, e *Env, c *call) error {
	if len(c.args) < 2 {
		return usageError("give what to export: dossier export markdown DIR, or dossier export note ID-or-title...")
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	switch c.args[0] {
	case "markdown":
		if len(c.args) != 2 {
			return usageError("give one folder: dossier export markdown DIR")
		}
		pr := newProgress(e.Stderr, "exporting")
		sum, err := export.Vault(ctx, p.DB(), c.args[1], export.Options{Progress: func(done, total int) { pr.update(done, total, "") }})
		pr.finish()
		if err != nil {
			return cancelled(err, "nothing was written")
		}
		if c.json {
			return writeJSON(e.Stdout, sum)
		}
		fmt.Fprintf(e.Stdout, "Exported %s to %s (open it as an Obsidian vault, or start at index.md).\n",
			describeCounts(bundle.Counts{Notes: sum.Notes, Documents: sum.Sources, Quotes: sum.Quotes, Events: sum.Events}), sum.Dir)
		return nil
	case "note", "notes":
		if c.output == "" {
			return export.Notes(ctx, p.DB(), c.args[1:], e.Stdout)
		}
		f, err := fileio.NewPending(c.output, 0o644)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", c.output, err)
		}
		defer f.Cleanup()
		if err := export.Notes(ctx, p.DB(), c.args[1:], f); err != nil {
			return err
		}
		if err := f.Commit(); err != nil {
			return fmt.Errorf("cannot write %s: %w", c.output, err)
		}
		fmt.Fprintf(e.Stderr, "Wrote %s.\n", c.output)
		return nil
	}
	return usageError(fmt.Sprintf("unknown export %q: use markdown or note", c.args[0]))
}
