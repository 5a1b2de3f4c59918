package cli

import (
	"context"
	"flag"
	"fmt"

	"dossier/notes"
	"dossier/project"
)

func init() {
	commands = append(commands, &command{name: "source",
		args:    "grade|set|tag|update|show ID ...",
		summary: "edit a source: source grade ID B2 [--note WHY], source set ID [--title T] [--published 2023-10] ..., source tag ID TAG... [--remove], source update ID FILE (a new version), source show ID",
		run:     runSource,
		flags: func(fs *flag.FlagSet, c *call) {
			jsonFlag(fs, c)
			fs.String("note", "", "source grade: why the source has this grade")
			fs.String("title", "", "source set: the `TITLE`")
			fs.String("author", "", "source set: the `AUTHOR`")
			fs.String("url", "", "source set: the `URL`")
			fs.String("publisher", "", "source set: the `PUBLISHER` or site")
			fs.String("published", "", "source set: publication `DATE` as 2023-10-11, 2023-10 or 2023 (its precision); \"\" for unknown")
			fs.Bool("remove", false, "source tag: remove the tags instead of adding them")
		}})
}

func runSource(ctx context.Context, e *Env, c *call) error {
	if len(c.args) == 0 {
		return usageError("name a subcommand: grade, set, tag, update or show")
	}
	sub, args := c.args[0], c.args[1:]
	if sub == "tag" {
		return sourceTag(ctx, e, c, args)
	}
	want := map[string]int{"grade": 2, "set": 1, "update": 2, "show": 1}
	n, ok := want[sub]
	switch {
	case !ok:
		return usageError(fmt.Sprintf("unknown subcommand %q: use grade, set, tag, update or show", sub))
	case sub == "grade" && len(args) == 1:
		return usageError("source grade takes the id and a grade: letter A–F for the source's reliability, digit 1–6 for the information's credibility, e.g. B2 (\"\" removes it)")
	case len(args) != n:
		return usageError(fmt.Sprintf("source %s takes %d argument(s), got %d", sub, n, len(args)))
	}
	if sub == "show" {
		c.args = args
		return runShow(ctx, e, c)
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	switch sub {
	case "grade":
		if err := p.SetGrade(ctx, args[0], args[1], c.flagValue("note")); err != nil {
			return err
		}
	case "set":
		if err := sourceSet(ctx, c, p, args[0]); err != nil {
			return err
		}
	default:
		u, err := p.UpdateSource(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		if c.json {
			return writeJSON(e.Stdout, u)
		}
		fmt.Fprintf(e.Stdout, "New version of %q: %s.\n", u.Doc.Title, u)
		return nil
	}
	d, err := p.Store.Document(ctx, args[0])
	if err != nil {
		return err
	}
	if c.json {
		return writeJSON(e.Stdout, toJSON(d, false))
	}
	fmt.Fprintf(e.Stdout, "Saved %q: %s · %s · %s · grade %s\n", d.Title, orDash(d.Author), orDash(d.Source), d.Published.Human(), orDash(d.Grade))
	return nil
}

// sourceSet changes only the fields whose flags were given; an empty
// value clears the field.
func sourceSet(ctx context.Context, c *call, p *project.Project, id string) error {
	d, err := p.Store.Document(ctx, id)
	if err != nil {
		return err
	}
	changed := false
	for flagName, field := range map[string]*string{"title": &d.Title, "author": &d.Author, "url": &d.URL, "publisher": &d.Source} {
		if c.flagWasSet(flagName) {
			*field, changed = c.flagValue(flagName), true
		}
	}
	if c.flagWasSet("published") {
		pub, err := notes.ParseDate(c.flagValue("published"))
		if err != nil {
			return err
		}
		d.Published, changed = pub, true
	}
	if !changed {
		return usageError("give at least one of --title, --author, --url, --publisher or --published")
	}
	if d.Title == "" {
		return notes.Errorf(notes.EINVALID, "a source needs a title")
	}
	return p.UpdateSourceMeta(ctx, d)
}
