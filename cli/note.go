package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"dossier/notes"
	"dossier/project"
)

func init() {
	commands = append(commands, &command{name: "note",
		args:    "new|list|show|rename|delete|restore|type ...",
		summary: "write and read linked notes: note new --title T, note list, note show ID, note rename ID TITLE, note delete ID, note type ID",
		run:     runNote,
		flags: func(fs *flag.FlagSet, c *call) {
			jsonFlag(fs, c)
			fs.String("title", "", "note new: the new note's `TITLE`")
			fs.String("body-file", "", "note new: read the body from `FILE` (- for stdin)")
			fs.String("tag", "", "note list: only notes with this `TAG` (or a tag under it, TAG/...)")
			fs.String("sort", notes.NoteSortTitle, "note list: order by `title` or updated (newest first)")
		}})
}

// flagValue reads a flag that the note command registered on its FlagSet.
func (c *call) flagValue(name string) string {
	if f := c.fs.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// noteJSON is the --json shape of a note: documented in README.md.
type noteJSON struct {
	ID        string       `json:"id"`
	Title     string       `json:"title"`
	Tags      []string     `json:"tags"`
	Created   string       `json:"created"`
	Updated   string       `json:"updated"`
	Version   int64        `json:"version"`
	Deleted   bool         `json:"deleted,omitempty"`
	Body      *string      `json:"body,omitempty"`
	Links     []notes.Link `json:"links,omitempty"`
	Backlinks []notes.Link `json:"backlinks,omitempty"`
}

func toNoteJSON(n *notes.Note, withBody bool) noteJSON {
	j := noteJSON{ID: n.ID, Title: n.Title, Tags: n.Tags, Created: n.Created.UTC().Format(time.RFC3339),
		Updated: n.Updated.UTC().Format(time.RFC3339), Version: n.Version, Deleted: n.Deleted}
	if j.Tags == nil {
		j.Tags = []string{}
	}
	if withBody {
		b := n.Body
		j.Body = &b
	}
	return j
}

func runNote(ctx context.Context, e *Env, c *call) error {
	if len(c.args) == 0 {
		return usageError("name a subcommand: new, list, show, rename, delete, restore or type")
	}
	sub, args := c.args[0], c.args[1:]
	want := map[string]int{"new": 0, "list": 0, "show": 1, "rename": 2, "delete": 1, "restore": 1, "type": 1}
	n, ok := want[sub]
	switch {
	case !ok:
		return usageError(fmt.Sprintf("unknown subcommand %q: use new, list, show, rename, delete, restore or type", sub))
	case sub == "new" && strings.TrimSpace(c.flagValue("title")) == "":
		return usageError("note new needs --title")
	case len(args) != n:
		return usageError(fmt.Sprintf("note %s takes %d argument(s), got %d", sub, n, len(args)))
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	switch sub {
	case "new":
		return noteNew(ctx, e, c, p)
	case "list":
		return noteList(ctx, e, c, p)
	case "show":
		return noteShow(ctx, e, c, p, args[0])
	case "rename":
		return noteRename(ctx, e, c, p, args[0], args[1])
	case "delete":
		return noteDelete(ctx, e, c, p, args[0])
	case "restore":
		return noteRestore(ctx, e, c, p, args[0])
	default:
		return noteType(ctx, e, c, p, args[0])
	}
}

func (e *Env) stdin() io.Reader {
	if e.Stdin != nil {
		return e.Stdin
	}
	return os.Stdin
}

func noteNew(ctx context.Context, e *Env, c *call, p *project.Project) error {
	var body []byte
	switch f := c.flagValue("body-file"); f {
	case "":
	case "-":
		b, err := io.ReadAll(e.stdin())
		if err != nil {
			return fmt.Errorf("reading the body from stdin: %w", err)
		}
		body = b
	default:
		b, err := os.ReadFile(f)
		if err != nil {
			return notes.Errorf(notes.EINVALID, "cannot read the body file: %w", err)
		}
		body = b
	}
	n, err := p.CreateNote(ctx, c.flagValue("title"), string(body))
	if err != nil {
		return err
	}
	if c.json {
		return writeJSON(e.Stdout, toNoteJSON(n, true))
	}
	fmt.Fprintf(e.Stdout, "Created note %s %q\n", n.ID, n.Title)
	return nil
}

func noteList(ctx context.Context, e *Env, c *call, p *project.Project) error {
	list, err := p.Notes().Notes(ctx, notes.NoteFilter{Tag: c.flagValue("tag"), Sort: c.flagValue("sort")})
	if err != nil {
		return err
	}
	if c.json {
		out := make([]noteJSON, len(list))
		for i := range list {
			out[i] = toNoteJSON(&list[i], false)
		}
		return writeJSON(e.Stdout, out)
	}
	for _, n := range list {
		tags := ""
		for _, t := range n.Tags {
			tags += " #" + t
		}
		fmt.Fprintf(e.Stdout, "%s  %s  %s%s\n", n.ID, n.Updated.Local().Format("2006-01-02 15:04"), n.Title, tags)
	}
	fmt.Fprintf(e.Stdout, "%d notes\n", len(list))
	return nil
}

// findNote takes an id or a title, so people can type what they see.
func findNote(ctx context.Context, p *project.Project, idOrTitle string) (*notes.Note, error) {
	n, err := p.Notes().Note(ctx, idOrTitle)
	if errors.Is(err, notes.ErrNotFound) {
		n, err = p.Notes().NoteByTitle(ctx, idOrTitle)
		if errors.Is(err, notes.ErrNotFound) {
			return nil, notFoundNote(idOrTitle)
		}
	}
	return n, err
}

func notFoundNote(idOrTitle string) error {
	return &notes.Error{Kind: notes.ENOTFOUND, Err: notes.ErrNotFound,
		Message: fmt.Sprintf("no note has the id or title %q (see dossier note list)", idOrTitle)}
}

func noteShow(ctx context.Context, e *Env, c *call, p *project.Project, idOrTitle string) error {
	n, err := findNote(ctx, p, idOrTitle)
	if err != nil {
		return err
	}
	links, err := p.Notes().Links(ctx, n.ID)
	if err != nil {
		return err
	}
	back, err := p.Notes().Backlinks(ctx, n.ID)
	if err != nil {
		return err
	}
	if c.json {
		j := toNoteJSON(n, true)
		j.Links, j.Backlinks = links, back
		if j.Links == nil {
			j.Links = []notes.Link{}
		}
		if j.Backlinks == nil {
			j.Backlinks = []notes.Link{}
		}
		return writeJSON(e.Stdout, j)
	}
	fmt.Fprintf(e.Stdout, "%s\n", n.Title)
	if n.Deleted {
		fmt.Fprintln(e.Stdout, "(deleted; dossier note restore "+n.ID+" brings it back)")
	}
	fmt.Fprintf(e.Stdout, "%-8s %s\n%-8s %s (version %d)\n", "ID:", n.ID, "Updated:", n.Updated.Local().Format("2006-01-02 15:04:05"), n.Version)
	if len(n.Tags) > 0 {
		fmt.Fprintf(e.Stdout, "%-8s #%s\n", "Tags:", strings.Join(n.Tags, " #"))
	}
	fmt.Fprintf(e.Stdout, "\n%s\n", n.Body)
	if len(links) > 0 {
		fmt.Fprintln(e.Stdout, "\nLinks:")
		for _, l := range links {
			fmt.Fprintf(e.Stdout, "  %s → %s %s\n", l.Text, l.TargetKind, orDash(l.TargetID))
		}
	}
	if len(back) > 0 {
		fmt.Fprintln(e.Stdout, "\nBacklinks:")
		for _, l := range back {
			fmt.Fprintf(e.Stdout, "  %s: %s\n", l.FromTitle, l.Context)
		}
	}
	return nil
}

func noteRename(ctx context.Context, e *Env, c *call, p *project.Project, idOrTitle, title string) error {
	n, err := findNote(ctx, p, idOrTitle)
	if err != nil {
		return err
	}
	renamed, changed, err := p.RenameNote(ctx, n.ID, title)
	if err != nil {
		return err
	}
	if c.json {
		return writeJSON(e.Stdout, map[string]any{"note": toNoteJSON(renamed, false), "changed": append([]string{}, changed...)})
	}
	fmt.Fprintf(e.Stdout, "Renamed %q to %q; updated links in %d other note(s).\n", n.Title, renamed.Title, len(changed))
	return nil
}

func noteDelete(ctx context.Context, e *Env, c *call, p *project.Project, idOrTitle string) error {
	n, err := findNote(ctx, p, idOrTitle)
	if err != nil {
		return err
	}
	if err := p.DeleteNote(ctx, n.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Deleted %q; undo with: dossier note restore %s\n", n.Title, n.ID)
	return nil
}

func noteRestore(ctx context.Context, e *Env, c *call, p *project.Project, id string) error {
	n, err := p.RestoreNote(ctx, id)
	if errors.Is(err, notes.ErrNotFound) {
		return notFoundNote(id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Restored %q\n", n.Title)
	return nil
}

// noteType appends each line read from stdin to the note through the same
// Autosaver the editor uses, and prints "saved LINES VERSION" on stdout
// after each save is durable: LINES is how many of the lines read so far
// the stored note holds. At the end of input it saves what is left.
func noteType(ctx context.Context, e *Env, c *call, p *project.Project, idOrTitle string) error {
	n, err := findNote(ctx, p, idOrTitle)
	if err != nil {
		return err
	}
	base := strings.Count(n.Body, "\n")
	if n.Body != "" && !strings.HasSuffix(n.Body, "\n") {
		n.Body += "\n"
		base++
	}
	var mu sync.Mutex // the Autosaver reports on its own goroutine
	a := p.NewAutosaver(n, func(ev project.AutosaveEvent) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Kind {
		case project.AutosaveSaved:
			fmt.Fprintf(e.Stdout, "saved %d %d\n", strings.Count(ev.Body, "\n")-base, ev.Note.Version)
		case project.AutosaveConflict:
			fmt.Fprintf(e.Stderr, "dossier note type: %s; typing on into note %s\n", ev.Err, ev.Note.ID)
		default:
			fmt.Fprintf(e.Stderr, "dossier note type: not saved yet (will retry): %s\n", ev.Err)
		}
	})
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(e.stdin())
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		readErr <- sc.Err()
		close(lines)
	}()
	body := n.Body
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				if err := a.Close(); err != nil {
					return err
				}
				return <-readErr
			}
			body += line + "\n"
			a.Set(body)
		case <-ctx.Done():
			return errors.Join(a.Close(), ctx.Err())
		}
	}
}
