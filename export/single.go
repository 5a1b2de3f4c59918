package export

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"dossier/notes"
	"dossier/store"
)

// Notes writes the notes named by refs (ids or titles, in that order) to w
// as one Markdown file: each note as a section, then the quotes they link
// to as block quotes with their citations, then the list of sources cited.
// Links to notes read as plain text; links to sources and quotes carry a
// Pandoc citation ([@key]) whose keys match the vault's sources.bib and
// sources.json. A ref that names no note is an error of kind ENOTFOUND and
// nothing is written.
func Notes(ctx context.Context, db *store.Store, refs []string, w io.Writer) error {
	b, err := load(ctx, db)
	if err != nil {
		return err
	}
	var picked []*notes.Note
	for _, ref := range refs {
		n := b.noteByID[ref]
		if n == nil {
			n = b.noteNamed(ref)
		}
		if n == nil {
			return notes.Errorf(notes.ENOTFOUND, "no note with id or title %q", ref)
		}
		if !slices.Contains(picked, n) {
			picked = append(picked, n)
		}
	}
	if len(picked) == 0 {
		return notes.Errorf(notes.EINVALID, "name at least one note to export")
	}

	var sb strings.Builder
	title := picked[0].Title
	if len(picked) > 1 {
		title = fmt.Sprintf("%s and %d more", title, len(picked)-1)
	}
	if err := frontMatter(&sb, struct {
		Title string `yaml:"title"`
	}{title}); err != nil {
		return err
	}
	var quoted []*notes.Quote
	var cited []string // document ids, in order of first citation
	cite := func(docID string) string {
		if !slices.Contains(cited, docID) {
			cited = append(cited, docID)
		}
		return " [@" + b.cite[docID] + "]"
	}
	for i, n := range picked {
		if i > 0 {
			sb.WriteString("\n")
		}
		fmt.Fprintf(&sb, "# %s\n\n", escapeInline(n.Title))
		body := rewriteLinks(n.Body, func(target, alias string) string {
			if id, ok := strings.CutPrefix(target, "source:"); ok {
				if d := b.docByID[id]; d != nil {
					return escapeInline(cmp.Or(alias, d.Title)) + cite(id)
				}
			} else if id, ok := strings.CutPrefix(target, "quote:"); ok {
				if q := b.quoteByID[id]; q != nil && b.docByID[q.DocID] != nil {
					if !slices.Contains(quoted, q) {
						quoted = append(quoted, q)
					}
					cite(q.DocID)
					return "“" + escapeInline(cmp.Or(alias, ellipsis(q.Exact, 60))) + "”"
				}
			} else if nn := b.noteNamed(strings.SplitN(target, "#", 2)[0]); nn != nil && alias == "" {
				return "*" + escapeInline(nn.Title) + "*"
			}
			return "*" + escapeInline(cmp.Or(alias, target)) + "*"
		})
		sb.WriteString(strings.TrimRight(body, "\n") + "\n")
	}
	if len(quoted) > 0 {
		sb.WriteString("\n# Quotes\n")
		for _, q := range quoted {
			sb.WriteString("\n")
			b.blockQuote(&sb, q, "", "")
		}
	}
	if len(cited) > 0 {
		sb.WriteString("\n# Sources\n\n")
		for _, id := range cited {
			sb.WriteString("- " + reference(b.docByID[id]) + " [@" + b.cite[id] + "]\n")
		}
	}
	_, err = io.WriteString(w, sb.String())
	return err
}

// reference is a source as a line of a reference list: author (date).
// Title. Publisher. URL. Grade.
func reference(d *notes.Document) string {
	var parts []string
	date := ""
	if d.Published.Known() {
		date = " (" + d.Published.String() + ")"
	}
	if d.Author != "" {
		who := d.Author
		if f, g := splitName(d.Author); g != "" {
			who = f + ", " + g
		}
		parts = append(parts, escapeInline(who)+date, "*"+escapeInline(cmp.Or(d.Title, "Untitled"))+"*")
	} else {
		parts = append(parts, "*"+escapeInline(cmp.Or(d.Title, "Untitled"))+"*"+date)
	}
	if d.Source != "" {
		parts = append(parts, escapeInline(d.Source))
	}
	if d.URL != "" && !strings.ContainsAny(d.URL, "<> \n") {
		parts = append(parts, "<"+d.URL+">")
	}
	if d.Grade != "" {
		parts = append(parts, "Grade "+d.Grade)
	}
	return strings.Join(parts, ". ") + "."
}
