// Package cli is Dossier's command line: every capability of the notebook
// as a subcommand with --json output for scripts. With no command it starts
// the GUI through the function main.go hands it.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"dossier/notes"
	"dossier/project"
)

// GUI starts the window on the project folder dir; main.go supplies it so
// this package needs no graphics libraries.
type GUI func(dir string, opts project.Options) error

// Env is what a command runs with: its output streams and the GUI starter.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader // nil means os.Stdin
	GUI            GUI
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *Env, c *call) error
	flags               func(fs *flag.FlagSet, c *call)
}

// call holds the flags every command shares plus the parsed arguments.
type call struct {
	project string
	noSeeds bool
	json    bool
	limit   int
	repair  bool
	merge   bool   // bundle open --merge
	output  string // export note -o
	orig    bool   // show --original
	args    []string
	fs      *flag.FlagSet
}

var commands []*command

func init() {
	// Other files register their commands with init functions too, which
	// may run before or after this one (files are initialized in name
	// order): keep theirs, after these.
	commands = append([]*command{
		{name: "gui", summary: "open the window (the default when no command is given)", run: runGUI},
		{name: "import", args: "PATH...", summary: "import files and folders (recursively)", run: runImport, flags: jsonFlag},
		{name: "search", args: "QUERY", summary: "search sources; see the query syntax in README.md", run: runSearch, flags: func(fs *flag.FlagSet, c *call) {
			jsonFlag(fs, c)
			fs.IntVar(&c.limit, "limit", 20, "show at most `N` hits")
		}},
		{name: "docs", summary: "list every document with its metadata", run: runDocs, flags: jsonFlag},
		{name: "show", args: "ID", summary: "show one document with its text", run: runShow, flags: func(fs *flag.FlagSet, c *call) {
			jsonFlag(fs, c)
			fs.BoolVar(&c.orig, "original", false, "write the imported file itself, byte for byte, to stdout")
		}},
		{name: "reindex", summary: "rebuild the search index from the project store", run: runReindex},
	}, commands...)
}

func jsonFlag(fs *flag.FlagSet, c *call) {
	fs.BoolVar(&c.json, "json", false, "print JSON for scripts")
}

// Main runs the command line args (without the program name) and returns
// the process exit status: 0 on success, 1 on failure, 2 on bad usage.
func Main(args []string, e *Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	// Global flags may come before the command: dossier --project DIR search x.
	var g call
	gfs := newFlagSet("dossier", &g, e.Stderr)
	if err := gfs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(e.Stdout)
			return 0
		}
		usage(e.Stderr)
		return 2
	}
	args = gfs.Args()
	name := "gui"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		usage(e.Stdout)
		return 0
	}
	var cmd *command
	for _, c := range commands {
		if c.name == name {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(e.Stderr, "dossier: unknown command %q\n\n", name)
		usage(e.Stderr)
		return 2
	}
	c := g
	fs := newFlagSet("dossier "+cmd.name, &c, e.Stderr)
	if cmd.flags != nil {
		cmd.flags(fs, &c)
	}
	printUsage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: dossier %s [flags] %s\n\n%s.\n\nFlags:\n", cmd.name, cmd.args, capitalize(cmd.summary))
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(e.Stderr)
	}
	c.fs = fs
	if err := parseInterleaved(fs, args, &c.args, cmd.name == "search"); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(e.Stdout)
			return 0
		}
		printUsage(e.Stderr)
		return 2
	}
	if cmd.args == "" && len(c.args) > 0 {
		fmt.Fprintf(e.Stderr, "dossier %s: takes no arguments, got %q\n", cmd.name, strings.Join(c.args, " "))
		printUsage(e.Stderr)
		return 2
	}
	if err := cmd.run(ctx, e, &c); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(e.Stderr, "dossier %s: %s\n", cmd.name, ue)
			printUsage(e.Stderr)
			return 2
		}
		fmt.Fprintf(e.Stderr, "dossier %s: %s\n", cmd.name, notes.Explain(err))
		return 1
	}
	return 0
}

type usageError string

func (u usageError) Error() string { return string(u) }

// newFlagSet returns a flag set that prints only its errors, to out: Main
// prints the usage once, on stdout for --help and on out after an error
// (the flag package alone printed it on both for --help).
func newFlagSet(name string, c *call, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {}
	fs.StringVar(&c.project, "project", c.project, "project folder `DIR` (default $DOSSIER_PROJECT, else the user data dir)")
	fs.BoolVar(&c.noSeeds, "no-seeds", c.noSeeds, "create a new project empty, without the seed corpus")
	return fs
}

// parseInterleaved lets flags follow positional arguments, as in
// "dossier search kant --json", which the flag package alone stops at.
// With queryWords, an argument that looks like a flag but names none is
// a word of the query: "dossier search kant -manas" excludes manas.
func parseInterleaved(fs *flag.FlagSet, args []string, rest *[]string, queryWords bool) error {
	if queryWords {
		return parseQueryWords(fs, args, rest)
	}
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		args = fs.Args()
		if len(args) == 0 {
			return nil
		}
		if args[0] == "--" {
			*rest = append(*rest, args[1:]...)
			return nil
		}
		*rest = append(*rest, args[0])
		args = args[1:]
	}
}

// parseQueryWords sorts args into flags and query words before parsing
// the flags: the flag package would take -manas, after a flag, for one.
func parseQueryWords(fs *flag.FlagSet, args []string, rest *[]string) error {
	var flags []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			*rest = append(*rest, args[i+1:]...)
			break
		}
		if !isFlag(fs, a) {
			*rest = append(*rest, a)
			continue
		}
		flags = append(flags, a)
		// A flag's value is the next argument unless given with "=", or
		// the flag is a switch.
		name := strings.TrimLeft(a, "-")
		if f := fs.Lookup(name); f != nil && !isSwitch(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return fs.Parse(flags)
}

func isSwitch(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// isFlag reports whether arg is meant as a flag rather than as a query word
// such as -manas or -year:undated: a flag of fs, or anything after two
// dashes, so that a mistyped --lmit is reported as such.
func isFlag(fs *flag.FlagSet, arg string) bool {
	if strings.HasPrefix(arg, "--") {
		return true
	}
	name, ok := strings.CutPrefix(arg, "-")
	name, _, _ = strings.Cut(name, "=")
	return ok && (fs.Lookup(name) != nil || name == "h" || name == "help")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Dossier — an offline research notebook.")
	fmt.Fprintln(w, "\nUsage: dossier [--project DIR] [command] [flags] [args]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'dossier COMMAND --help' for a command's flags.")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (c *call) dir() string {
	if c.project != "" {
		return c.project
	}
	return project.DefaultDir()
}

// open opens the project, telling stderr about a first-run seed import or
// an index rebuild, which can take a while on a big project.
func (c *call) open(ctx context.Context, e *Env) (*project.Project, error) {
	dir := c.dir()
	pr := newProgress(e.Stderr, "rebuilding search index")
	defer pr.finish()
	return project.Open(ctx, dir, project.Options{NoSeeds: c.noSeeds, Progress: func(done, total int) { pr.update(done, total, "") }})
}

func runGUI(ctx context.Context, e *Env, c *call) error {
	if e.GUI == nil {
		return errors.New("this build has no GUI")
	}
	return e.GUI(c.dir(), project.Options{NoSeeds: c.noSeeds})
}

func runImport(ctx context.Context, e *Env, c *call) error {
	if len(c.args) == 0 {
		return usageError("name at least one file or folder to import")
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	pr := newProgress(e.Stderr, "importing")
	start := time.Now()
	rep, err := p.Import(ctx, c.args, func(ip project.ImportProgress) {
		if ip.Compacting {
			pr.label = "compacting the search index after importing"
		}
		pr.update(ip.Done, ip.Total, ip.Path)
	})
	pr.finish()
	if rep != nil {
		if c.json {
			if jerr := writeJSON(e.Stdout, rep); jerr != nil {
				return jerr
			}
		} else {
			printReport(e.Stdout, rep, time.Since(start))
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errors.New("import cancelled; the documents listed as imported are in the project")
		}
		return err
	}
	if rep != nil && len(rep.Failed) > 0 && len(rep.Imported) == 0 && len(rep.Skipped) == 0 {
		return fmt.Errorf("no file could be imported")
	}
	return nil
}

func printReport(w io.Writer, rep *project.ImportReport, took time.Duration) {
	fmt.Fprintf(w, "Imported %d, skipped %d, failed %d (%.1fs).\n",
		len(rep.Imported), len(rep.Skipped), len(rep.Failed), took.Seconds())
	if len(rep.Updated) > 0 {
		fmt.Fprintln(w, "\nUpdated (new versions of sources already in the project):")
		for _, it := range rep.Updated {
			fmt.Fprintf(w, "  %s: %s\n", it.Path, it.Reason)
		}
	}
	if len(rep.Skipped) > 0 {
		fmt.Fprintln(w, "\nSkipped:")
		for _, it := range rep.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", it.Path, it.Reason)
		}
	}
	if len(rep.Failed) > 0 {
		fmt.Fprintln(w, "\nFailed:")
		for _, it := range rep.Failed {
			fmt.Fprintf(w, "  %s: %s\n", it.Path, it.Reason)
		}
	}
}

// searchJSON is the --json shape of a search: documented in README.md.
type searchJSON struct {
	Total  uint64                   `json:"total"`
	Hits   []hitJSON                `json:"hits"`
	Facets map[string][]notes.Facet `json:"facets,omitempty"`
	TookMS float64                  `json:"took_ms"`
}

type hitJSON struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Title     string   `json:"title"`
	Score     float64  `json:"score"`
	Published string   `json:"published"`
	Precision string   `json:"precision"`
	Source    string   `json:"source,omitempty"`
	Author    string   `json:"author,omitempty"`
	Grade     string   `json:"grade,omitempty"`
	Snippets  []string `json:"snippets"`
	Pages     []int    `json:"pages,omitempty"` // page of each snippet, for PDFs
}

func runSearch(ctx context.Context, e *Env, c *call) error {
	q := strings.Join(c.args, " ")
	if strings.TrimSpace(q) == "" {
		return usageError("give a query, e.g. dossier search '\"air base\" -manas'")
	}
	if c.limit < 1 {
		return usageError(fmt.Sprintf("--limit must be at least 1, not %d", c.limit))
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.Index.Search(ctx, notes.SearchRequest{Query: q, Limit: c.limit})
	if err != nil {
		return err
	}
	if c.json {
		out := searchJSON{Total: res.Total, Hits: []hitJSON{}, Facets: res.Facets, TookMS: float64(res.Took.Microseconds()) / 1000}
		for _, h := range res.Hits {
			hj := hitJSON{ID: h.ID, Type: h.Type, Title: h.Title, Score: h.Score, Published: h.Published.String(),
				Precision: h.Published.Precision.String(), Source: h.Source, Author: h.Author, Grade: h.Grade, Snippets: []string{}}
			for _, s := range h.Snippets {
				hj.Snippets = append(hj.Snippets, s.MarkedHTML())
			}
			hj.Pages = snippetPages(ctx, p.Store, h)
			out.Hits = append(out.Hits, hj)
		}
		return writeJSON(e.Stdout, out)
	}
	fmt.Fprintf(e.Stdout, "%d hits (%.1f ms)\n", res.Total, float64(res.Took.Microseconds())/1000)
	bold, reset := "[", "]"
	if isTerminal(e.Stdout) {
		bold, reset = "\x1b[1;33m", "\x1b[0m"
	}
	for i, h := range res.Hits {
		fmt.Fprintf(e.Stdout, "\n%d. %s\n   %s · %s · %s · %s\n", i+1, h.Title, h.Type, orDash(h.Source), h.Published.Human(), h.ID)
		pages := snippetPages(ctx, p.Store, h)
		for j, s := range h.Snippets {
			if j < len(pages) {
				fmt.Fprintf(e.Stdout, "   p. %d: %s\n", pages[j], s.Marked(bold, reset))
				continue
			}
			fmt.Fprintf(e.Stdout, "   %s\n", s.Marked(bold, reset))
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// docJSON is the --json shape of a document: documented in README.md.
type docJSON struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Author       string   `json:"author"`
	Source       string   `json:"source"`
	URL          string   `json:"url"`
	Published    string   `json:"published"`
	Precision    string   `json:"precision"`
	MediaType    string   `json:"media_type"`
	Language     string   `json:"language,omitempty"`
	SHA256       string   `json:"sha256"`
	Grade        string   `json:"grade,omitempty"`
	GradeNote    string   `json:"grade_note,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	OriginalName string   `json:"original_name"`
	Size         int64    `json:"size"`
	Importer     string   `json:"importer"`
	ImportedAt   string   `json:"imported_at"`
	Chars        int      `json:"chars,omitempty"`
	Pages        []int    `json:"pages,omitempty"` // code-point offset where each page begins (PDF)
	Text         *string  `json:"text,omitempty"`
}

func toJSON(d *notes.Document, withText bool) docJSON {
	j := docJSON{ID: d.ID, Title: d.Title, Author: d.Author, Source: d.Source, URL: d.URL,
		Published: d.Published.String(), Precision: d.Published.Precision.String(), MediaType: d.MediaType,
		Language: d.Language, SHA256: d.SHA256, Grade: d.Grade, GradeNote: d.GradeNote, Tags: d.Tags, OriginalName: d.OriginalName,
		Size: d.Size, Importer: d.Importer, ImportedAt: d.ImportedAt.UTC().Format(time.RFC3339), Pages: d.Pages}
	if withText {
		t := d.Text
		j.Text = &t
		j.Chars = len([]rune(t))
	}
	return j
}

func runDocs(ctx context.Context, e *Env, c *call) error {
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	docs, err := p.Store.Documents(ctx)
	if err != nil {
		return err
	}
	if c.json {
		out := make([]docJSON, len(docs))
		for i := range docs {
			out[i] = toJSON(&docs[i], false)
		}
		return writeJSON(e.Stdout, out)
	}
	for _, d := range docs {
		fmt.Fprintf(e.Stdout, "%s  %-11s  %-20.20s  %s\n", d.ID, orDash(d.Published.String()), orDash(d.Source), d.Title)
	}
	fmt.Fprintf(e.Stdout, "%d documents\n", len(docs))
	return nil
}

func runShow(ctx context.Context, e *Env, c *call) error {
	if len(c.args) != 1 {
		return usageError("give exactly one document id (see dossier docs)")
	}
	if c.json && c.orig {
		return usageError("--json and --original do not go together")
	}
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	d, err := p.Store.Document(ctx, c.args[0])
	if err != nil {
		return err
	}
	if c.orig {
		// Originals live in tar packs (see store.PutOriginals): this is
		// how a script gets one back without tar.
		r, err := p.Store.OpenOriginal(d.SHA256)
		if err != nil {
			return err
		}
		defer r.Close()
		_, err = io.Copy(e.Stdout, r)
		return err
	}
	if c.json {
		return writeJSON(e.Stdout, toJSON(d, true))
	}
	fmt.Fprintf(e.Stdout, "%s\n", d.Title)
	for _, kv := range [][2]string{{"Author", d.Author}, {"Source", d.Source}, {"URL", d.URL},
		{"Published", d.Published.Human()}, {"Type", d.MediaType}, {"Grade", d.Grade}, {"Why", d.GradeNote}, {"File", d.OriginalName}, {"SHA-256", d.SHA256}, {"ID", d.ID}} {
		if kv[1] != "" {
			fmt.Fprintf(e.Stdout, "%-10s %s\n", kv[0]+":", kv[1])
		}
	}
	fmt.Fprintf(e.Stdout, "\n%s\n", d.Text)
	return nil
}

func runReindex(ctx context.Context, e *Env, c *call) error {
	p, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer p.Close()
	pr := newProgress(e.Stderr, "reindexing")
	start := time.Now()
	err = p.Reindex(ctx, func(done, total int) { pr.update(done, total, "") })
	pr.finish()
	if err != nil {
		return err
	}
	n, _ := p.Index.Count()
	fmt.Fprintf(e.Stdout, "Reindexed %d items in %.1fs.\n", n, time.Since(start).Seconds())
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// progress prints "importing 1,234/5,000" on stderr at most a few times a
// second: in place on a terminal, as separate lines otherwise (logs, CI).
type progress struct {
	w     io.Writer
	label string
	tty   bool
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, label string) *progress {
	return &progress{w: w, label: label, tty: isTerminal(w)}
}

func (p *progress) update(done, total int, path string) {
	now := time.Now()
	if now.Sub(p.last) < 250*time.Millisecond && done != total {
		return
	}
	if !p.tty && now.Sub(p.last) < 2*time.Second && done != total {
		return
	}
	p.last = now
	p.shown = true
	line := fmt.Sprintf("%s %d/%d", p.label, done, total)
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) finish() {
	if p.shown && p.tty {
		fmt.Fprintln(p.w)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
