// Package export writes a project as Markdown that opens as an Obsidian
// vault and reads well in any editor and in Pandoc: one file per note and
// per source with YAML front matter, [[links]] that each resolve to a file
// of the vault, quotes as block quotes with a citation linking to their
// source, timeline.md, index.md, and the sources as CSL-JSON and BibTeX.
// It also writes one or a few notes as a single Markdown file with their
// quotes and a source list. docs/FORMATS.md describes the output.
package export

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"dossier/notes"
	"dossier/store"
)

// Folders and files of a vault.
const (
	NotesDir     = "notes"
	SourcesDir   = "sources"
	IndexFile    = "index.md"
	TimelineFile = "timeline.md"
	CSLFile      = "sources.json"
	BibFile      = "sources.bib"
)

// Options change what an export writes.
type Options struct {
	// Now is the export time written into index.md; zero means now.
	Now time.Time
	// Progress is told how many files are written, of how many.
	Progress notes.Progress
}

// Summary says what an export wrote.
type Summary struct {
	Dir     string `json:"dir"`
	Notes   int    `json:"notes"`
	Sources int    `json:"sources"`
	Quotes  int    `json:"quotes"`
	Events  int    `json:"events"`
	Files   int    `json:"files"`
}

// book is a project read for export, with every item's file name and
// every source's citation key decided.
type book struct {
	name        string
	docs        []*notes.Document // sorted by title; texts dropped
	notes       []*notes.Note     // live notes, sorted by title
	quotes      []*notes.Quote
	events      []*notes.Event
	docByID     map[string]*notes.Document
	noteByID    map[string]*notes.Note
	noteByTitle map[string]*notes.Note // lower-cased title
	noteByExact map[string]*notes.Note
	quoteByID   map[string]*notes.Quote
	quotesByDoc map[string][]*notes.Quote
	base        map[string]string // note or document id → file name without .md
	cite        map[string]string // document id → citation key
	linkedFrom  map[string][]string
}

func load(ctx context.Context, db *store.Store) (*book, error) {
	b := &book{docByID: map[string]*notes.Document{}, noteByID: map[string]*notes.Note{},
		noteByTitle: map[string]*notes.Note{}, noteByExact: map[string]*notes.Note{}, quoteByID: map[string]*notes.Quote{},
		quotesByDoc: map[string][]*notes.Quote{}, base: map[string]string{}, cite: map[string]string{},
		linkedFrom: map[string][]string{}}
	b.name, _ = db.Meta(store.MetaName)
	err := db.Dump(ctx, store.DumpFuncs{
		Document: func(d *notes.Document) error {
			d.Text = "" // an export carries metadata and quotes, not whole texts
			b.docs = append(b.docs, d)
			return nil
		},
		Note: func(n *notes.Note, deletedAt string) error {
			if deletedAt == "" {
				b.notes = append(b.notes, n)
			}
			return nil
		},
		Quote: func(q *notes.Quote) error { b.quotes = append(b.quotes, q); return nil },
		Event: func(e *notes.Event) error { b.events = append(b.events, e); return nil },
	})
	if err != nil {
		return nil, err
	}
	byTitle := func(t1, id1, t2, id2 string) int {
		return cmp.Or(cmp.Compare(strings.ToLower(t1), strings.ToLower(t2)), cmp.Compare(t1, t2), cmp.Compare(id1, id2))
	}
	slices.SortFunc(b.notes, func(x, y *notes.Note) int { return byTitle(x.Title, x.ID, y.Title, y.ID) })
	slices.SortFunc(b.docs, func(x, y *notes.Document) int { return byTitle(x.Title, x.ID, y.Title, y.ID) })
	slices.SortStableFunc(b.quotes, func(x, y *notes.Quote) int {
		return cmp.Or(cmp.Compare(x.DocID, y.DocID), cmp.Compare(x.Start, y.Start), cmp.Compare(x.ID, y.ID))
	})
	names := newNamer("index", "timeline", "sources")
	for _, n := range b.notes {
		b.noteByID[n.ID] = n
		if _, dup := b.noteByTitle[strings.ToLower(n.Title)]; !dup {
			b.noteByTitle[strings.ToLower(n.Title)] = n
		}
		if _, dup := b.noteByExact[n.Title]; !dup {
			b.noteByExact[n.Title] = n
		}
		b.base[n.ID] = names.name(n.Title)
	}
	keys := newCiteKeys()
	for _, d := range b.docs {
		b.docByID[d.ID] = d
		b.base[d.ID] = names.name(d.Title)
		b.cite[d.ID] = keys.key(d)
	}
	for _, q := range b.quotes {
		b.quoteByID[q.ID] = q
		b.quotesByDoc[q.DocID] = append(b.quotesByDoc[q.DocID], q)
	}
	// Backlinks for source pages: which notes cite each source.
	for _, n := range b.notes {
		rewriteLinks(n.Body, func(target, _ string) string {
			id := ""
			if rest, ok := strings.CutPrefix(target, "source:"); ok {
				id = rest
			} else if rest, ok := strings.CutPrefix(target, "quote:"); ok {
				if q := b.quoteByID[rest]; q != nil {
					id = q.DocID
				}
			}
			if id != "" && !slices.Contains(b.linkedFrom[id], n.ID) {
				b.linkedFrom[id] = append(b.linkedFrom[id], n.ID)
			}
			return ""
		})
	}
	return b, nil
}

// Vault writes the project in db as a Markdown vault in dir, which must not
// exist or be empty. The vault is built in a temporary folder beside dir
// and renamed into place at the end, so dir never holds half an export. If
// ctx is cancelled, nothing is left behind.
func Vault(ctx context.Context, db *store.Store, dir string, opts Options) (*Summary, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot export to %s: %w", dir, err)
	}
	empty := false
	if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) > 0 {
			return nil, notes.Errorf(notes.EINVALID, "folder %s is not empty: choose a new or empty folder for the export", dir)
		}
		empty = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, notes.Errorf(notes.EINVALID, "cannot export to %s: %w", dir, err)
	}
	b, err := load(ctx, db)
	if err != nil {
		return nil, err
	}
	files, err := b.files(opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot export to %s: %w", dir, err)
	}
	// A killed export leaves its temporary folder behind; the next export
	// to the same place clears it away. (Two exports to one folder at once
	// would make the other fail, never leave half a vault at dir.)
	pattern := "." + filepath.Base(dir) + ".export-*"
	if stale, err := filepath.Glob(filepath.Join(filepath.Dir(dir), pattern)); err == nil {
		for _, s := range stale {
			_ = os.RemoveAll(s)
		}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), pattern)
	if err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot export to %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := writeFiles(ctx, tmp, files, opts.Progress); err != nil {
		return nil, err
	}
	if empty {
		if err := os.Remove(dir); err != nil {
			return nil, notes.Errorf(notes.EINVALID, "cannot export to %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, notes.Errorf(notes.EINVALID, "cannot export to %s: %w", dir, err)
	}
	return &Summary{Dir: dir, Notes: len(b.notes), Sources: len(b.docs), Quotes: len(b.quotes),
		Events: len(b.events), Files: len(files)}, nil
}

// file is one file of a vault: a slash-separated path and its content.
type file struct {
	path string
	data []byte
}

func writeFiles(ctx context.Context, root string, files []file, progress notes.Progress) error {
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if progress != nil {
			progress(i+1, len(files))
		}
	}
	return nil
}

// files renders every file of the vault in memory: a project's notes and
// metadata are small next to the texts, which a vault does not carry.
func (b *book) files(opts Options) ([]file, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	var out []file
	for _, n := range b.notes {
		md, err := b.noteFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, file{NotesDir + "/" + b.base[n.ID] + ".md", md})
	}
	for _, d := range b.docs {
		md, err := b.sourceFile(d)
		if err != nil {
			return nil, err
		}
		out = append(out, file{SourcesDir + "/" + b.base[d.ID] + ".md", md})
	}
	tl := b.timelineFile()
	idx, err := b.indexFile(now)
	if err != nil {
		return nil, err
	}
	csl, err := b.cslJSON()
	if err != nil {
		return nil, err
	}
	out = append(out, file{TimelineFile, tl}, file{IndexFile, idx}, file{CSLFile, csl}, file{BibFile, b.bibTeX()})
	return out, nil
}

// frontMatter writes v as a YAML front matter block.
func frontMatter(sb *strings.Builder, v any) error {
	y, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Errorf("export: front matter: %w", err)
	}
	sb.WriteString("---\n")
	sb.Write(y)
	sb.WriteString("---\n\n")
	return nil
}

type noteFront struct {
	ID      string   `yaml:"id"`
	Title   string   `yaml:"title"`
	Aliases []string `yaml:"aliases,omitempty"`
	Tags    []string `yaml:"tags"`
	Created string   `yaml:"created"`
	Updated string   `yaml:"updated"`
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// noteFile is a note's Markdown: front matter, its body with every link
// pointing at a vault file, and the quotes it links to as block quotes with
// their citations.
func (b *book) noteFile(n *notes.Note) ([]byte, error) {
	var sb strings.Builder
	fm := noteFront{ID: n.ID, Title: n.Title, Tags: nonNil(n.Tags), Created: stamp(n.Created), Updated: stamp(n.Updated)}
	if b.base[n.ID] != n.Title {
		// Obsidian then also resolves [[Title]] typed by hand.
		fm.Aliases = []string{n.Title}
	}
	if err := frontMatter(&sb, fm); err != nil {
		return nil, err
	}
	var quoted []*notes.Quote
	body := rewriteLinks(n.Body, func(target, alias string) string {
		s, q := b.wikilink(target, alias)
		if q != nil && !slices.Contains(quoted, q) {
			quoted = append(quoted, q)
		}
		return s
	})
	sb.WriteString(strings.TrimRight(body, "\n"))
	sb.WriteString("\n")
	if len(quoted) > 0 {
		sb.WriteString("\n## Quotes\n")
		for _, q := range quoted {
			sb.WriteString("\n")
			b.blockQuote(&sb, q, "", "../"+SourcesDir+"/")
		}
	}
	return []byte(sb.String()), nil
}

// wikilink renders a [[target|alias]] link of a note body as a link to a
// vault file, or as plain text when its target is not in the vault. It
// returns the quote a quote link points at.
func (b *book) wikilink(target, alias string) (string, *notes.Quote) {
	link := func(base, frag, text string) string {
		text = linkText(text)
		if frag == "" && (text == "" || text == base) {
			return "[[" + base + "]]"
		}
		if text == "" {
			text = base
		}
		return "[[" + base + frag + "|" + text + "]]"
	}
	plain := func(s string) string { return escapeInline(s) }
	if id, ok := strings.CutPrefix(target, "source:"); ok {
		d := b.docByID[id]
		if d == nil {
			return plain(cmp.Or(alias, target)), nil
		}
		return link(b.base[id], "", cmp.Or(alias, d.Title)), nil
	}
	if id, ok := strings.CutPrefix(target, "quote:"); ok {
		q := b.quoteByID[id]
		if q == nil || b.docByID[q.DocID] == nil {
			return plain(cmp.Or(alias, target)), nil
		}
		return link(b.base[q.DocID], "#^"+blockID(q), cmp.Or(alias, ellipsis(q.Exact, 60))), q
	}
	title, frag, _ := strings.Cut(target, "#")
	if frag != "" {
		frag = "#" + frag
	}
	n := b.noteNamed(title)
	if id, ok := strings.CutPrefix(target, "note:"); ok {
		n = b.noteByID[id]
	}
	if n == nil {
		return plain(cmp.Or(alias, target)), nil
	}
	text := alias
	if text == "" && b.base[n.ID] != n.Title {
		text = n.Title
	}
	return link(b.base[n.ID], frag, text), nil
}

// noteNamed finds a note by title: the one spelled exactly so, else one
// that differs only in case, as the notes pane resolves [[Title]].
func (b *book) noteNamed(title string) *notes.Note {
	title = strings.TrimSpace(title)
	if n := b.noteByExact[title]; n != nil {
		return n
	}
	return b.noteByTitle[strings.ToLower(title)]
}

// blockID is the Obsidian block id of a quote in its source's file.
func blockID(q *notes.Quote) string { return "q-" + q.ID }

// blockQuote writes q as a block quote followed by its citation: a link
// to its source's file (under dir, relative to the file being written),
// the page, and the Pandoc citation key. anchor, if set, ends the quote
// with an Obsidian block id.
func (b *book) blockQuote(sb *strings.Builder, q *notes.Quote, anchor, dir string) {
	lines := strings.Split(strings.TrimSpace(q.Exact), "\n")
	for i, l := range lines {
		sb.WriteString(">")
		if l = strings.TrimSpace(l); l != "" {
			sb.WriteString(" " + escapeInline(l))
		}
		if i == len(lines)-1 && anchor != "" {
			sb.WriteString(" ^" + anchor)
		}
		sb.WriteString("\n")
	}
	d := b.docByID[q.DocID]
	sb.WriteString("\n— ")
	if dir != "" && d != nil {
		fmt.Fprintf(sb, "[%s](<%s%s.md>)", escapeInline(d.Title), dir, b.base[d.ID])
	} else if d != nil {
		sb.WriteString("*" + escapeInline(d.Title) + "*")
	}
	if p := pages(q); p != "" {
		sb.WriteString(", " + p)
	}
	if d != nil {
		fmt.Fprintf(sb, " [@%s]", b.cite[d.ID])
	}
	sb.WriteString("\n")
	if c := strings.TrimSpace(q.Comment); c != "" {
		sb.WriteString("\n" + escapeInline(c) + "\n")
	}
}

func pages(q *notes.Quote) string {
	switch {
	case q.Page > 0 && q.PageEnd > q.Page:
		return fmt.Sprintf("pp. %d–%d", q.Page, q.PageEnd)
	case q.Page > 0:
		return fmt.Sprintf("p. %d", q.Page)
	}
	return ""
}

type sourceFront struct {
	ID           string   `yaml:"id"`
	Title        string   `yaml:"title"`
	Author       string   `yaml:"author"`
	URL          string   `yaml:"url"`
	Published    string   `yaml:"published"`
	Grade        string   `yaml:"grade"`
	GradeNote    string   `yaml:"grade_note,omitempty"`
	Publisher    string   `yaml:"source,omitempty"`
	Tags         []string `yaml:"tags"`
	Citekey      string   `yaml:"citekey"`
	MediaType    string   `yaml:"media_type,omitempty"`
	OriginalName string   `yaml:"original_name,omitempty"`
	SHA256       string   `yaml:"sha256"`
}

func (b *book) sourceFile(d *notes.Document) ([]byte, error) {
	var sb strings.Builder
	err := frontMatter(&sb, sourceFront{ID: d.ID, Title: d.Title, Author: d.Author, URL: d.URL,
		Published: d.Published.String(), Grade: d.Grade, GradeNote: d.GradeNote, Publisher: d.Source,
		Tags: nonNil(d.Tags), Citekey: b.cite[d.ID], MediaType: d.MediaType, OriginalName: d.OriginalName,
		SHA256: d.SHA256})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&sb, "# %s\n\n", escapeInline(cmp.Or(d.Title, "Untitled")))
	var facts []string
	add := func(label, v string) {
		if v != "" {
			facts = append(facts, "**"+label+":** "+v)
		}
	}
	add("Author", escapeInline(d.Author))
	add("Published", d.Published.Human())
	add("Source", escapeInline(d.Source))
	if d.URL != "" && !strings.ContainsAny(d.URL, "<> \n") {
		add("URL", "<"+d.URL+">")
	}
	grade := d.Grade
	if grade != "" && d.GradeNote != "" {
		grade += " — " + escapeInline(d.GradeNote)
	}
	add("Grade", grade)
	add("Cite as", "[@"+b.cite[d.ID]+"]")
	sb.WriteString(strings.Join(facts, "  \n"))
	sb.WriteString("\n")
	if qs := b.quotesByDoc[d.ID]; len(qs) > 0 {
		sb.WriteString("\n## Quotes\n")
		for _, q := range qs {
			sb.WriteString("\n")
			b.blockQuote(&sb, q, blockID(q), "")
		}
	}
	if from := b.linkedFrom[d.ID]; len(from) > 0 {
		sb.WriteString("\n## Linked from\n\n")
		for _, id := range from {
			sb.WriteString("- " + b.noteLink(id) + "\n")
		}
	}
	return []byte(sb.String()), nil
}

// noteLink is a wikilink to note or source id, reading as its title.
func (b *book) noteLink(id string) string {
	title := ""
	if n := b.noteByID[id]; n != nil {
		title = n.Title
	} else if d := b.docByID[id]; d != nil {
		title = d.Title
	}
	base := b.base[id]
	if t := linkText(title); t != "" && t != base {
		return "[[" + base + "|" + t + "]]"
	}
	return "[[" + base + "]]"
}

// timelineFile lists the user's events and the sources' publication dates
// in date order, undated last, each with links to what it is about.
func (b *book) timelineFile() []byte {
	type entry struct {
		date, end notes.Date
		line      string
	}
	var es []entry
	for _, e := range b.events {
		line := escapeInline(e.Label)
		if n := strings.TrimSpace(e.Note); n != "" {
			line += " — " + escapeInline(strings.Join(strings.Fields(n), " "))
		}
		var links []string
		for _, id := range e.Links {
			switch {
			case b.noteByID[id] != nil || b.docByID[id] != nil:
				links = append(links, b.noteLink(id))
			case b.quoteByID[id] != nil && b.docByID[b.quoteByID[id].DocID] != nil:
				s, _ := b.wikilink("quote:"+id, "")
				links = append(links, s)
			}
		}
		if len(links) > 0 {
			line += " (" + strings.Join(links, ", ") + ")"
		}
		es = append(es, entry{e.Date, e.End, line})
	}
	for _, d := range b.docs {
		if d.Published.Known() {
			es = append(es, entry{date: d.Published, line: "*published:* " + b.noteLink(d.ID)})
		}
	}
	slices.SortStableFunc(es, func(x, y entry) int {
		if x.date.Known() != y.date.Known() {
			if x.date.Known() {
				return -1
			}
			return 1
		}
		return cmp.Or(x.date.Time.Compare(y.date.Time), cmp.Compare(x.date.Precision, y.date.Precision), cmp.Compare(x.line, y.line))
	})
	var sb strings.Builder
	sb.WriteString("# Timeline\n\n")
	if len(es) == 0 {
		sb.WriteString("No dated events yet.\n")
	}
	undated := false
	for _, e := range es {
		if !e.date.Known() {
			if !undated {
				sb.WriteString("\n## Undated\n\n")
				undated = true
			}
			sb.WriteString("- " + e.line + "\n")
			continue
		}
		when := e.date.String()
		if e.end.Known() && e.end != e.date {
			when += " – " + e.end.String()
		}
		sb.WriteString("- **" + when + "** " + e.line + "\n")
	}
	return []byte(sb.String())
}

func (b *book) indexFile(now time.Time) ([]byte, error) {
	var sb strings.Builder
	name := cmp.Or(b.name, "Dossier project")
	if err := frontMatter(&sb, struct {
		Title    string `yaml:"title"`
		Exported string `yaml:"exported"`
	}{name, stamp(now)}); err != nil {
		return nil, err
	}
	fmt.Fprintf(&sb, "# %s\n\n", escapeInline(name))
	fmt.Fprintf(&sb, "Exported from Dossier on %s: %d notes, %d sources, %d quotes, %d events.\n\n",
		now.UTC().Format("2 Jan 2006"), len(b.notes), len(b.docs), len(b.quotes), len(b.events))
	sb.WriteString("- [[timeline|Timeline]]\n")
	fmt.Fprintf(&sb, "- [Sources as CSL-JSON](%s) (Zotero, Pandoc)\n", CSLFile)
	fmt.Fprintf(&sb, "- [Sources as BibTeX](%s)\n", BibFile)
	fmt.Fprintf(&sb, "\n## Notes\n\n")
	if len(b.notes) == 0 {
		sb.WriteString("None yet.\n")
	}
	for _, n := range b.notes {
		sb.WriteString("- " + b.noteLink(n.ID) + "\n")
	}
	fmt.Fprintf(&sb, "\n## Sources\n\n")
	if len(b.docs) == 0 {
		sb.WriteString("None yet.\n")
	}
	for _, d := range b.docs {
		line := "- " + b.noteLink(d.ID)
		var about []string
		for _, s := range []string{escapeInline(d.Author), escapeInline(d.Source), d.Published.String()} {
			if s != "" {
				about = append(about, s)
			}
		}
		if d.Grade != "" {
			about = append(about, "grade "+d.Grade)
		}
		if len(about) > 0 {
			line += " — " + strings.Join(about, ", ")
		}
		sb.WriteString(line + "\n")
	}
	return []byte(sb.String()), nil
}

// escapeInline backslash-escapes the characters that would turn plain text
// into Markdown structure: emphasis, code, links and wikilinks, HTML, block
// ids and headings.
func escapeInline(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|^", r) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// linkText makes a title safe as the text of a wikilink, which ends at
// the first ] or |.
func linkText(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("[]|\n", r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func ellipsis(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
