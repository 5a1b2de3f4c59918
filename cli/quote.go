package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"dossier/notes"
	"dossier/project"
)

func init() {
	commands = append(commands,
		&command{name: "quote",
			args:    "add|edit|relate|delete ...",
			summary: "pin and manage quotes: quote add --doc ID --start N --end M (offsets in code points), quote edit ID, quote relate A B --contradicts|--supports, quote delete ID",
			run:     runQuote,
			flags: func(fs *flag.FlagSet, c *call) {
				jsonFlag(fs, c)
				fs.String("doc", "", "quote add: the source's document `ID` (see dossier docs)")
				fs.Int("start", -1, "quote add: where the passage starts, in Unicode code points (characters) from the start of the text, counting from 0")
				fs.Int("end", -1, "quote add: where the passage ends (exclusive), in Unicode code points")
				fs.String("comment", "", "quote add/edit: a `COMMENT` on the quote")
				fs.String("tags", "", "quote add/edit: comma-separated `TAGS`")
				fs.String("color", "", "quote add/edit: highlight `COLOUR` (a palette name such as yellow)")
				fs.Bool("contradicts", false, "quote relate: A contradicts B")
				fs.Bool("supports", false, "quote relate: A supports B")
				fs.String("note", "", "quote relate: a `NOTE` on the relation")
			}},
		&command{name: "quotes",
			summary: "list pinned quotes with their anchors (offsets in code points)",
			run:     runQuotes,
			flags: func(fs *flag.FlagSet, c *call) {
				jsonFlag(fs, c)
				fs.String("doc", "", "only quotes of document `ID`, in text order")
				fs.String("tag", "", "only quotes with this `TAG`")
			}})
}

// quoteJSON is the --json shape of a quote: documented in README.md.
type quoteJSON struct {
	notes.Quote
	Title     string           `json:"title"` // the source's
	Relations []notes.Relation `json:"relations,omitempty"`
}

// flagWasSet reports whether a flag was given on the command line, so an
// explicit empty value ("--comment ”") can clear a field.
func (c *call) flagWasSet(name string) bool {
	set := false
	c.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func splitTags(s string) []string {
	return notes.NormalizeTags(strings.Split(s, ","))
}

func runQuote(ctx context.Context, e *Env, c *call) error {
	if len(c.args) == 0 {
		return usageError("name a subcommand: add, edit, relate or delete")
	}
	sub, args := c.args[0], c.args[1:]
	want := map[string]int{"add": 0, "edit": 1, "relate": 2, "delete": 1}
	n, ok := want[sub]
	switch {
	case !ok:
		return usageError(fmt.Sprintf("unknown subcommand %q: use add, edit, relate or delete", sub))
	case len(args) != n:
		return usageError(fmt.Sprintf("quote %s takes %d argument(s), got %d", sub, n, len(args)))
	case sub == "add" && (c.flagValue("doc") == "" || !c.flagWasSet("start") || !c.flagWasSet("end")):
		return usageError("quote add needs --doc ID --start N --end M (offsets in code points)")
	case sub == "relate" && c.flagWasSet("contradicts") == c.flagWasSet("supports"):
		return usageError("quote relate needs exactly one of --contradicts or --supports")
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	switch sub {
	case "add":
		return quoteAdd(ctx, e, c, p)
	case "edit":
		return quoteEdit(ctx, e, c, p, args[0])
	case "relate":
		kind := notes.RelSupports
		if c.flagWasSet("contradicts") {
			kind = notes.RelContradicts
		}
		r, err := p.Quotes().AddRelation(ctx, args[0], args[1], kind, c.flagValue("note"))
		if err != nil {
			return err
		}
		if c.json {
			return writeJSON(e.Stdout, r)
		}
		fmt.Fprintf(e.Stdout, "Quote %s %s quote %s (relation %s)\n", r.A, r.Kind, r.B, r.ID)
		return nil
	default:
		if err := p.DeleteQuote(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Deleted quote %s\n", args[0])
		return nil
	}
}

func quoteAdd(ctx context.Context, e *Env, c *call, p *project.Project) error {
	q := &notes.Quote{DocID: c.flagValue("doc"), Comment: c.flagValue("comment"),
		Tags: splitTags(c.flagValue("tags")), Color: c.flagValue("color")}
	// The flag package already refused anything but integers.
	q.Start, _ = strconv.Atoi(c.flagValue("start"))
	q.End, _ = strconv.Atoi(c.flagValue("end"))
	if err := p.AddQuote(ctx, q); err != nil {
		return err
	}
	return printQuote(ctx, e, c, p, q, "Pinned")
}

func quoteEdit(ctx context.Context, e *Env, c *call, p *project.Project, id string) error {
	q, err := p.Quotes().Quote(ctx, id)
	if err != nil {
		return err
	}
	if c.flagWasSet("comment") {
		q.Comment = c.flagValue("comment")
	}
	if c.flagWasSet("tags") {
		q.Tags = splitTags(c.flagValue("tags"))
	}
	if c.flagWasSet("color") {
		q.Color = c.flagValue("color")
	}
	if err := p.UpdateQuote(ctx, q); err != nil {
		return err
	}
	return printQuote(ctx, e, c, p, q, "Saved")
}

func printQuote(ctx context.Context, e *Env, c *call, p *project.Project, q *notes.Quote, verb string) error {
	title := ""
	if d, err := p.Store.Document(ctx, q.DocID); err == nil {
		title = d.Title
	}
	if c.json {
		return writeJSON(e.Stdout, quoteJSON{Quote: *q, Title: title})
	}
	fmt.Fprintf(e.Stdout, "%s quote %s: %q (%s, characters %d–%d)\n", verb, q.ID, clip(q.Exact, 80), title, q.Start, q.End)
	return nil
}

func runQuotes(ctx context.Context, e *Env, c *call) error {
	if len(c.args) != 0 {
		return usageError("quotes takes no arguments; narrow with --doc or --tag")
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	qs, err := p.Quotes().Quotes(ctx, notes.QuoteFilter{DocID: c.flagValue("doc"), Tag: c.flagValue("tag")})
	if err != nil {
		return err
	}
	rels, err := p.Quotes().Relations(ctx, "")
	if err != nil {
		return err
	}
	relsOf := map[string][]notes.Relation{}
	for _, r := range rels {
		relsOf[r.A] = append(relsOf[r.A], r)
		relsOf[r.B] = append(relsOf[r.B], r)
	}
	titles := map[string]string{}
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		titles[d.ID] = d.Title
	}
	if c.json {
		out := make([]quoteJSON, len(qs))
		for i, q := range qs {
			out[i] = quoteJSON{Quote: q, Title: titles[q.DocID], Relations: relsOf[q.ID]}
		}
		return writeJSON(e.Stdout, out)
	}
	for _, q := range qs {
		state := ""
		if q.Orphaned {
			state = " [orphaned: not found in the current version]"
		}
		fmt.Fprintf(e.Stdout, "%s  %q%s\n   %s, characters %d–%d", q.ID, clip(q.Exact, 100), state, titles[q.DocID], q.Start, q.End)
		if len(q.Tags) > 0 {
			fmt.Fprintf(e.Stdout, " · #%s", strings.Join(q.Tags, " #"))
		}
		fmt.Fprintln(e.Stdout)
		if q.Comment != "" {
			fmt.Fprintf(e.Stdout, "   %s\n", q.Comment)
		}
		for _, r := range relsOf[q.ID] {
			other := r.B
			if other == q.ID {
				other = r.A
			}
			fmt.Fprintf(e.Stdout, "   %s %s\n", r.Kind, other)
		}
	}
	fmt.Fprintf(e.Stdout, "%d quotes\n", len(qs))
	return nil
}

// clip shortens s to at most n code points, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
