package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"dossier/notes"
)

func init() {
	commands = append(commands, &command{name: "event", args: "add|list|edit ID|delete ID",
		summary: "add, list, edit and delete your own timeline events",
		run:     runEvent, flags: eventFlags})
}

// linkList is a repeatable --link flag.
type linkList []string

func (l *linkList) String() string { return strings.Join(*l, ",") }
func (l *linkList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

func eventFlags(fs *flag.FlagSet, c *call) {
	jsonFlag(fs, c)
	fs.String("label", "", "what happened (`TEXT`)")
	fs.String("date", "", "when: `YYYY`, YYYY-MM or YYYY-MM-DD")
	fs.String("end", "", "last day of a range: `YYYY`, YYYY-MM or YYYY-MM-DD (\"\" on edit: a single date)")
	fs.String("note", "", "a comment on the event (`TEXT`)")
	fs.Var(&linkList{}, "link", "id of a source, quote or note the event rests on (repeat for more; on edit, replaces the links)")
	fs.Bool("no-links", false, "on edit: remove every link")
}

func runEvent(ctx context.Context, e *Env, c *call) error {
	if len(c.args) == 0 {
		return usageError("say what to do: add, list, edit ID or delete ID")
	}
	sub, rest := c.args[0], c.args[1:]
	set := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	str := func(name string) string { return c.fs.Lookup(name).Value.String() }
	links := []string(*c.fs.Lookup("link").Value.(*linkList))

	want := map[string]int{"add": 0, "list": 0, "edit": 1, "delete": 1}
	n, ok := want[sub]
	if !ok {
		return usageError(fmt.Sprintf("unknown event command %q: use add, list, edit ID or delete ID", sub))
	}
	if len(rest) != n {
		if n == 0 {
			return usageError(fmt.Sprintf("event %s takes no arguments besides flags", sub))
		}
		return usageError(fmt.Sprintf("event %s needs the event's id (see dossier event list)", sub))
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	es := p.Events()

	switch sub {
	case "add":
		ev := &notes.Event{Label: str("label"), Note: str("note"), Links: links}
		if ev.Date, err = notes.ParseDate(str("date")); err != nil {
			return err
		}
		if ev.End, err = notes.ParseDate(str("end")); err != nil {
			return err
		}
		if err := es.AddEvent(ctx, ev); err != nil {
			return err
		}
		if c.json {
			return writeJSON(e.Stdout, ev)
		}
		fmt.Fprintln(e.Stdout, ev.ID)
	case "list":
		evs, err := es.Events(ctx)
		if err != nil {
			return err
		}
		if c.json {
			if evs == nil {
				evs = []notes.Event{}
			}
			return writeJSON(e.Stdout, evs)
		}
		for _, ev := range evs {
			when := ev.Date.String()
			if ev.End.Known() {
				when += " – " + ev.End.String()
			}
			fmt.Fprintf(e.Stdout, "%s  %-25s %s\n", ev.ID, when, ev.Label)
		}
		fmt.Fprintf(e.Stdout, "%d events\n", len(evs))
	case "edit":
		ev, err := es.Event(ctx, rest[0])
		if err != nil {
			return err
		}
		if set["label"] {
			ev.Label = str("label")
		}
		if set["note"] {
			ev.Note = str("note")
		}
		if set["date"] {
			if ev.Date, err = notes.ParseDate(str("date")); err != nil {
				return err
			}
		}
		if set["end"] {
			if ev.End, err = notes.ParseDate(str("end")); err != nil {
				return err
			}
		}
		if set["no-links"] {
			ev.Links = nil
		}
		if set["link"] {
			ev.Links = links
		}
		if err := es.UpdateEvent(ctx, ev); err != nil {
			return err
		}
		if c.json {
			return writeJSON(e.Stdout, ev)
		}
		fmt.Fprintf(e.Stdout, "Saved event %s.\n", ev.ID)
	case "delete":
		if err := es.DeleteEvent(ctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Deleted event %s.\n", rest[0])
	}
	return nil
}
