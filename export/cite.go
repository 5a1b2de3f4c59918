package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"dossier/notes"
)

// citeKeys hands out Pandoc/BibTeX citation keys: author's family name,
// year and first word of the title, in ASCII ("saralaeva2003kyrgyzstan"),
// made unique with a, b, c….
type citeKeys struct{ taken map[string]bool }

func newCiteKeys() *citeKeys { return &citeKeys{taken: map[string]bool{}} }

func (c *citeKeys) key(d *notes.Document) string {
	family, _ := splitName(d.Author)
	if family == "" {
		family = d.Source
	}
	year := ""
	if d.Published.Known() {
		year = d.Published.Time.Format("2006")
	}
	word := ""
	for _, w := range strings.Fields(d.Title) {
		if a := asciiWord(w); len(a) > 3 {
			word = a
			break
		}
	}
	base := asciiWord(family) + year + word
	if base == "" {
		base = "source"
	}
	if !unicode.IsLetter(rune(base[0])) {
		base = "s" + base
	}
	key := base
	for i := 0; c.taken[key]; i++ {
		key = base + suffix(i)
	}
	c.taken[key] = true
	return key
}

// suffix is a, b, … z, aa, ab, …
func suffix(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('a'+(i-1)%26)) + s
	}
	return s
}

// asciiWord keeps the ASCII letters and digits of s, lower-cased, after
// dropping accents ("Çağrı" → "cagr").
func asciiWord(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		r = unicode.ToLower(r)
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// splitName reads "Given Family" or "Family, Given".
func splitName(author string) (family, given string) {
	author = strings.TrimSpace(author)
	if f, g, ok := strings.Cut(author, ","); ok {
		return strings.TrimSpace(f), strings.TrimSpace(g)
	}
	if i := strings.LastIndex(author, " "); i > 0 {
		return author[i+1:], author[:i]
	}
	return author, ""
}

// cslType maps a media type to the CSL item type Zotero and citeproc
// expect.
func cslType(d *notes.Document) string {
	switch {
	case strings.HasPrefix(d.MediaType, "text/html"), strings.HasPrefix(d.MediaType, "application/xhtml"):
		if d.Source != "" {
			return "article-newspaper"
		}
		return "webpage"
	case strings.HasPrefix(d.MediaType, "message/"):
		return "personal_communication"
	case strings.HasPrefix(d.MediaType, "application/pdf"):
		return "report"
	}
	return "document"
}

type cslName struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Literal string `json:"literal,omitempty"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

type cslItem struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Title     string    `json:"title"`
	Author    []cslName `json:"author,omitempty"`
	Container string    `json:"container-title,omitempty"`
	URL       string    `json:"URL,omitempty"`
	Issued    *cslDate  `json:"issued,omitempty"`
	Note      string    `json:"note,omitempty"`
	Language  string    `json:"language,omitempty"`
}

func cslDateOf(d notes.Date) *cslDate {
	t := d.Time
	switch d.Precision {
	case notes.PrecisionYear:
		return &cslDate{[][]int{{t.Year()}}}
	case notes.PrecisionMonth:
		return &cslDate{[][]int{{t.Year(), int(t.Month())}}}
	case notes.PrecisionDay:
		return &cslDate{[][]int{{t.Year(), int(t.Month()), t.Day()}}}
	}
	return nil
}

func gradeNote(d *notes.Document) string {
	if d.Grade == "" {
		return ""
	}
	s := "Reliability grade " + d.Grade
	if d.GradeNote != "" {
		s += ": " + d.GradeNote
	}
	return s
}

// cslJSON is every source as a CSL-JSON array, the format Zotero imports
// and Pandoc's citeproc reads; ids are the citation keys.
func (b *book) cslJSON() ([]byte, error) {
	items := make([]cslItem, 0, len(b.docs))
	for _, d := range b.docs {
		it := cslItem{ID: b.cite[d.ID], Type: cslType(d), Title: d.Title, Container: d.Source, URL: d.URL,
			Issued: cslDateOf(d.Published), Note: gradeNote(d), Language: d.Language}
		if d.Author != "" {
			if f, g := splitName(d.Author); g != "" {
				it.Author = []cslName{{Family: f, Given: g}}
			} else {
				it.Author = []cslName{{Literal: d.Author}}
			}
		}
		items = append(items, it)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(items); err != nil {
		return nil, fmt.Errorf("export: CSL-JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// bibTeX is every source as a BibTeX @misc entry (biblatex reads the same
// file), with the same keys as the CSL-JSON.
func (b *book) bibTeX() []byte {
	var sb strings.Builder
	for i, d := range b.docs {
		if i > 0 {
			sb.WriteString("\n")
		}
		fmt.Fprintf(&sb, "@misc{%s,\n", b.cite[d.ID])
		field := func(name, v string) {
			if v != "" {
				fmt.Fprintf(&sb, "  %s = {%s},\n", name, v)
			}
		}
		// Double braces keep the title's capitals as they are.
		field("title", "{"+bibEscape(d.Title)+"}")
		if d.Author != "" {
			if f, g := splitName(d.Author); g != "" {
				field("author", bibEscape(f)+", "+bibEscape(g))
			} else {
				field("author", "{"+bibEscape(d.Author)+"}")
			}
		}
		if d.Published.Known() {
			field("year", d.Published.Time.Format("2006"))
			if d.Published.Precision >= notes.PrecisionMonth {
				field("month", strings.ToLower(d.Published.Time.Format("Jan")))
			}
			field("date", d.Published.String())
		}
		field("howpublished", bibEscape(d.Source))
		if d.URL != "" {
			field("url", bibURL(d.URL))
		}
		field("note", bibEscape(gradeNote(d)))
		sb.WriteString("}\n")
	}
	return []byte(sb.String())
}

// bibEscape escapes the characters BibTeX and LaTeX give meaning to.
func bibEscape(s string) string {
	var sb strings.Builder
	for _, r := range strings.Join(strings.Fields(s), " ") {
		switch r {
		case '\\':
			sb.WriteString(`\textbackslash{}`)
		case '{', '}', '&', '%', '$', '#', '_':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case '~':
			sb.WriteString(`\textasciitilde{}`)
		case '^':
			sb.WriteString(`\textasciicircum{}`)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// bibURL keeps a URL verbatim (the url package reads it so) except for the
// braces and percent signs that would end the field or start a comment.
func bibURL(u string) string {
	return strings.NewReplacer("{", "%7B", "}", "%7D", "%", `\%`, " ", "%20").Replace(u)
}
