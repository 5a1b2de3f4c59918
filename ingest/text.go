package ingest

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"dossier/notes"
)

// Regions of a text where metadata lines are looked for: bylines and
// datelines sit above the article, "Source URL:" trailers below it.
const (
	headLines  = 40
	tailLines  = 20
	datelineNE = 12 // a bare date counts only among the first non-empty lines
)

func parseText(doc *notes.Document, data []byte) error {
	text, err := decodeText(data)
	if err != nil {
		return err
	}
	if isBlank(text) {
		return invalid("file has no text (only blank space)")
	}
	doc.Text = text
	doc.MediaType = MediaText
	doc.Importer = ImporterText
	scanText(text, true).apply(doc)
	return nil
}

// textMeta is what the lines of a text say about it.
type textMeta struct {
	title, author, url string
	date               notes.Date
}

// apply fills the fields of doc that are still empty.
func (m textMeta) apply(doc *notes.Document) {
	if doc.Title == "" {
		doc.Title = m.title
	}
	if doc.Author == "" {
		doc.Author = m.author
	}
	if doc.URL == "" {
		doc.URL = m.url
	}
	if !doc.Published.Known() {
		doc.Published = m.date
	}
}

// scanText finds a title (the first line with a letter or digit that is
// not itself a metadata line), an author byline, a source URL line and a
// dateline. Only whole lines count: a date or URL inside a sentence is
// never metadata.
func scanText(text string, wantTitle bool) textMeta {
	var m textMeta
	var head [headLines]string
	var keyedDate, bareDate notes.Date
	bareConflict := false
	nonEmpty := 0
	lines, rest := firstLines(head[:0], text)
	for _, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		nonEmpty++
		// A "By …" line above the title is more likely a title like "By
		// Any Means Necessary" than a byline.
		if a, ok := authorLine(line, nonEmpty > 1); ok {
			if m.author == "" {
				m.author = a
			}
			continue
		}
		if u, ok := urlLine(line); ok {
			if m.url == "" {
				m.url = u
			}
			continue
		}
		if d, keyed, ok := dateLine(line, nonEmpty <= datelineNE); ok {
			switch {
			case keyed:
				if !keyedDate.Known() {
					keyedDate = d
				}
			case !bareDate.Known():
				bareDate = d
			case d != bareDate:
				// Two different bare dates near the top ("October 2003 …
				// October 2023") are a timeline, not a dateline.
				bareConflict = true
			}
			continue
		}
		if wantTitle && m.title == "" && hasAlnum(line) {
			m.title = cutTitle(stripInline(trimHeading(line)))
		}
	}
	switch {
	case keyedDate.Known():
		m.date = keyedDate
	case !bareConflict:
		m.date = bareDate
	}
	if m.author != "" && m.url != "" && m.date.Known() {
		return m
	}
	// Trailers are looked for only below the head, so a short text's
	// first line is never read as a trailer.
	var tail [tailLines]string
	for _, raw := range lastLines(tail[:0], rest) {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if a, ok := authorLine(line, true); ok {
			if m.author == "" {
				m.author = a
			}
		} else if u, ok := urlLine(line); ok {
			if m.url == "" {
				m.url = u
			}
		} else if d, _, ok := dateLine(line, false); ok && !m.date.Known() {
			m.date = d
		}
	}
	return m
}

// trimHeading drops the "# " of a Markdown heading, which plain text files
// written by Markdown users also carry.
func trimHeading(line string) string {
	t := strings.TrimLeft(line, "#")
	if len(t) < len(line) && len(line)-len(t) <= 6 && (t == "" || t[0] == ' ' || t[0] == '\t') {
		return strings.TrimSpace(strings.TrimRight(t, "# "))
	}
	return line
}

// firstLines appends the first cap(dst) lines of s to dst and returns
// what follows them.
func firstLines(dst []string, s string) ([]string, string) {
	for len(dst) < cap(dst) && s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return append(dst, s), ""
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
	return dst, s
}

// lastLines appends the last cap(dst) lines of s to dst, last line first.
func lastLines(dst []string, s string) []string {
	s = strings.TrimRight(s, "\n")
	for len(dst) < cap(dst) && s != "" {
		i := strings.LastIndexByte(s, '\n')
		dst = append(dst, s[i+1:])
		if i < 0 {
			break
		}
		s = s[:i]
	}
	return dst
}

// keyValue splits "Key: value" lines whose key is one to four words of
// letters.
func keyValue(line string) (key, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 || i > 40 {
		return "", "", false
	}
	key = strings.TrimSpace(line[:i])
	words, inWord := 0, false
	for _, r := range key {
		switch {
		case r == ' ' || r == '\t':
			inWord = false
		case unicode.IsLetter(r):
			if !inWord {
				words++
			}
			inWord = true
		default:
			return "", "", false
		}
	}
	if words == 0 || words > 4 {
		return "", "", false
	}
	return strings.ToLower(key), strings.TrimSpace(line[i+1:]), true
}

var authorKeys = map[string]bool{
	"author": true, "authors": true, "by": true, "byline": true, "written by": true,
	"reporter": true, "автор": true, "авторы": true, "auteur": true, "autor": true,
}

var urlKeys = map[string]bool{
	"url": true, "source url": true, "source": true, "link": true, "original url": true,
	"original": true, "canonical": true, "canonical url": true, "permalink": true,
	"web": true, "retrieved from": true, "available at": true, "source link": true,
	"article url": true, "источник": true, "ссылка": true,
}

var dateKeys = map[string]bool{
	"date": true, "published": true, "publication date": true, "published on": true,
	"posted": true, "posted on": true, "dated": true, "pubdate": true, "publish date": true,
	"дата": true, "опубликовано": true, "дата публикации": true,
}

// authorLine reads "Author: X", "By: X" and, when bare is set, "By X"
// bylines.
func authorLine(line string, bare bool) (string, bool) {
	if len(line) > 200 {
		return "", false
	}
	l := stripInline(line)
	if k, v, ok := keyValue(l); ok {
		if !authorKeys[k] {
			return "", false
		}
		v = cleanName(v)
		return v, v != ""
	}
	if !bare {
		return "", false
	}
	var rest string
	switch {
	case hasPrefixFold(l, "by "):
		rest = l[3:]
	case hasPrefixFold(l, "written by "):
		rest = l[11:]
	default:
		return "", false
	}
	name := rest
	if i := strings.IndexAny(name, ",(|—–"); i >= 0 {
		if len(name)-i > 60 { // "By Moscow's standards, the base is small."
			return "", false
		}
		name = name[:i]
	} else if i := strings.Index(name, " - "); i >= 0 {
		name = name[:i]
	}
	name = strings.TrimRight(strings.TrimSpace(name), ".")
	if !looksLikeName(name) {
		return "", false
	}
	return name, true
}

// cleanByline reads a byline found in a page's text rather than its
// metadata ("Dan Goodin - Apr 16, 2015 8:02 pm UTC", "By Nathan Willis
// March 25, 2015", "Par Alexandre Hervaud et Jérémy Piette") and returns
// the name in it, or "" when it does not look like one.
func cleanByline(s string) string {
	s = cleanText(s)
	for _, p := range []string{"by ", "written by ", "par ", "von ", "por ", "автор "} {
		if hasPrefixFold(s, p) {
			s = s[len(p):]
			break
		}
	}
	if i := strings.IndexFunc(s, unicode.IsDigit); i >= 0 {
		s = s[:i]
	}
	s = cutAffiliation(s)
	words := strings.Fields(s)
	for len(words) > 0 { // "Nathan Willis March" once the date's digits are gone
		l := strings.ToLower(strings.TrimRight(words[len(words)-1], "."))
		if months[l] == 0 && !weekdays[l] && l != "on" && l != "at" && l != "updated" {
			break
		}
		words = words[:len(words)-1]
	}
	s = strings.Join(words, " ")
	if !looksLikeName(s) {
		return ""
	}
	return s
}

// cutAffiliation keeps the name of "Jane Doe, Senior Writer", "Jane Doe |
// IWPR", "Jane Doe - 2 hours ago" or "Jane Doe (with John Roe)".
func cutAffiliation(s string) string {
	if i := strings.IndexAny(s, ",|(•·—–"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, " - "); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(strings.TrimSpace(s), ".-:")
}

// looksLikeName accepts one to eight words, capitalised except for
// particles ("and", "de", "van"), the first not a weekday or month, so
// "By Thursday" and "By 2025" are not bylines.
func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 8 {
		return false
	}
	if l := strings.ToLower(words[0]); weekdays[l] || months[l] != 0 {
		return false
	}
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		// Scripts without case (Chinese, Arabic…) count as capitalised.
		if unicode.IsUpper(r) || unicode.IsLetter(r) && !unicode.IsLower(r) {
			for _, c := range w {
				if !unicode.IsLetter(c) && c != '.' && c != '\'' && c != '’' && c != '-' {
					return false
				}
			}
			continue
		}
		if i == 0 || i == len(words)-1 || !nameParticles[w] {
			return false
		}
	}
	return true
}

var nameParticles = map[string]bool{
	"and": true, "&": true, "de": true, "van": true, "von": true, "der": true, "den": true,
	"la": true, "le": true, "da": true, "di": true, "du": true, "del": true, "al": true,
	"bin": true, "ibn": true, "y": true, "el": true, "и": true, "et": true, "und": true,
	"e": true, "dos": true, "das": true, "ten": true, "ter": true, "of": true,
}

// cleanName tidies an author value: "[Leila Saralaeva](#)" and "Leila
// Saralaeva <leila@example.org>" become "Leila Saralaeva".
func cleanName(v string) string {
	v = stripInline(v)
	if i := strings.IndexByte(v, '<'); i > 0 {
		v = v[:i]
	}
	v = strings.Trim(strings.TrimSpace(v), `"'“”«».;,`)
	v = strings.Join(strings.Fields(v), " ")
	if v == "" || len(v) > 120 || strings.Contains(v, "://") || !hasLetter(v) {
		return ""
	}
	return v
}

// urlLine reads "Source URL: <https://…>" and similar lines.
func urlLine(line string) (string, bool) {
	k, v, ok := keyValue(line)
	if !ok || !urlKeys[k] {
		return "", false
	}
	u := cleanURL(v)
	return u, u != ""
}

// cleanURL returns v as an absolute http(s) URL, unwrapping "<…>" and
// Markdown "[text](url)", or "" if it is not one.
func cleanURL(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, ")") {
		if i := strings.Index(v, "]("); i >= 0 {
			v = v[i+2 : len(v)-1]
		}
	}
	v = strings.TrimPrefix(v, "<")
	v = strings.TrimSuffix(v, ">")
	v = strings.TrimRight(v, ".,;")
	if len(v) > 2048 || strings.ContainsAny(v, " \t\n<>\"") {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return v
}

// dateLine reads "Date: 11 October 2023", "Published on October 4, 2023"
// (keyed) and, when bare is set, a line that is only a date.
func dateLine(line string, bare bool) (d notes.Date, keyed, ok bool) {
	if len(line) > 100 || !hasDigit(line) {
		return notes.Date{}, false, false
	}
	l := stripInline(line)
	if k, v, isKV := keyValue(l); isKV && dateKeys[k] {
		d, ok = parseDate(v, true)
		return d, true, ok
	}
	for _, p := range []string{"published on ", "published ", "posted on ", "posted ", "dated "} {
		if hasPrefixFold(l, p) {
			d, ok = parseDate(l[len(p):], true)
			return d, true, ok
		}
	}
	if !bare {
		return notes.Date{}, false, false
	}
	d, ok = parseDate(l, false)
	return d, false, ok
}

// stripInline removes Markdown inline syntax that people paste along with
// text: links and images keep their text, wiki links their alias or
// target, emphasis and code marks go.
func stripInline(s string) string {
	if !strings.ContainsAny(s, "[*_`") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '[' && strings.HasPrefix(s[i:], "[["):
			if j := strings.Index(s[i+2:], "]]"); j >= 0 {
				inner := s[i+2 : i+2+j]
				if k := strings.LastIndexByte(inner, '|'); k >= 0 {
					inner = inner[k+1:]
				}
				b.WriteString(inner)
				i += j + 4
				continue
			}
		case c == '[' || (c == '!' && strings.HasPrefix(s[i:], "![")):
			start := i + 1
			if c == '!' {
				start++
			}
			if j := strings.IndexByte(s[start:], ']'); j >= 0 {
				end := start + j
				if strings.HasPrefix(s[end:], "](") {
					if k := strings.IndexByte(s[end:], ')'); k >= 0 {
						b.WriteString(s[start:end])
						i = end + k + 1
						continue
					}
				}
			}
		case c == '`':
			i++
			continue
		case c == '*' || c == '_':
			// Emphasis marks sit at word edges; underscores inside words
			// (snake_case) stay.
			prevWord := i > 0 && isWordByte(s[i-1])
			nextWord := i+1 < len(s) && isWordByte(s[i+1])
			if !(prevWord && nextWord) || c == '*' {
				i++
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return strings.TrimSpace(b.String())
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c == '_' || c >= '0' && c <= '9' || isASCIILetter(c)
}

// indexFold is strings.Index ignoring ASCII case. Unlike an index into
// strings.ToLower(s), its result is an offset into s even when s holds
// invalid UTF-8, which ToLower widens to U+FFFD.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '\uFEFF' {
			return false
		}
	}
	return true
}
