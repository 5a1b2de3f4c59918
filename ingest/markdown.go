package ingest

import (
	"strings"

	"dossier/notes"
)

func parseMarkdown(doc *notes.Document, data []byte) error {
	text, err := decodeText(data)
	if err != nil {
		return err
	}
	fm, body, hasFM := splitFrontMatter(text)
	if isBlank(body) {
		return invalid("file has no text (only blank space)")
	}
	doc.Text = body
	doc.MediaType = MediaMarkdown
	doc.Importer = ImporterMarkdown
	if hasFM {
		fm.apply(doc)
	}
	if doc.Title == "" {
		doc.Title = markdownHeading(body)
	}
	m := scanText(body, doc.Title == "")
	if m.title != "" {
		m.title = strings.TrimSpace(strings.TrimLeft(m.title, ">"))
	}
	m.apply(doc)
	return nil
}

// frontMatter holds the fields Dossier reads from a YAML (---) or TOML
// (+++) header, as written by Obsidian, its Web Clipper, Hugo and Jekyll.
type frontMatter struct {
	title, author, url, source, lang string
	date                             notes.Date
	tags                             []string
}

func (fm frontMatter) apply(doc *notes.Document) {
	doc.Title = cutTitle(fm.title)
	doc.Author = fm.author
	doc.URL = fm.url
	doc.Source = fm.source
	doc.Published = fm.date
	doc.Language = fm.lang
	doc.Tags = fm.tags
}

// splitFrontMatter separates a leading front matter block from the body.
// A block that is never closed is not front matter: the whole text is
// body.
func splitFrontMatter(text string) (fm frontMatter, body string, ok bool) {
	var fence string
	switch {
	case strings.HasPrefix(text, "---\n"):
		fence = "---"
	case strings.HasPrefix(text, "+++\n"):
		fence = "+++"
	default:
		return fm, text, false
	}
	rest := text[4:]
	var lines []string
	for off := 0; ; {
		i := strings.IndexByte(rest[off:], '\n')
		var line string
		if i < 0 {
			line = rest[off:]
		} else {
			line = rest[off : off+i]
		}
		trimmed := strings.TrimRight(line, " \t")
		if trimmed == fence || (fence == "---" && trimmed == "...") {
			if i < 0 {
				body = ""
			} else {
				body = rest[off+i+1:]
			}
			return parseFrontMatter(lines, fence == "+++"), body, true
		}
		if i < 0 || len(lines) >= 1000 {
			return fm, text, false
		}
		lines = append(lines, line)
		off += i + 1
	}
}

// parseFrontMatter reads the subset of YAML (or TOML) that front matter
// uses in practice: "key: value" with plain or quoted scalars, flow lists
// "[a, b]" and block lists of "- item". Nested maps and multi-line
// scalars are skipped.
func parseFrontMatter(lines []string, toml bool) frontMatter {
	var fm frontMatter
	values := map[string][]string{}
	var listKey string
	for _, line := range lines {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' || line[0] == '-' {
			item := strings.TrimSpace(line)
			if listKey != "" && strings.HasPrefix(item, "- ") {
				values[listKey] = append(values[listKey], unquote(strings.TrimSpace(item[2:])))
			}
			continue
		}
		sep := ":"
		if toml {
			sep = "="
		}
		i := strings.Index(line, sep)
		if i <= 0 {
			listKey = ""
			continue
		}
		key := strings.ToLower(strings.TrimSpace(line[:i]))
		v := strings.TrimSpace(line[i+1:])
		listKey = ""
		switch {
		case v == "":
			listKey = key
		case v == "|" || v == ">" || v == "|-" || v == ">-":
			// multi-line scalar: its indented lines are skipped above
		case strings.HasPrefix(v, "["):
			values[key] = append(values[key], flowList(v)...)
		default:
			values[key] = append(values[key], unquote(v))
		}
	}
	first := func(keys ...string) string {
		for _, k := range keys {
			for _, v := range values[k] {
				if v != "" {
					return v
				}
			}
		}
		return ""
	}
	fm.title = cleanText(stripInline(first("title", "name", "headline")))
	var authors []string
	for _, k := range []string{"author", "authors", "by", "creator", "byline"} {
		for _, v := range values[k] {
			if n := cleanName(v); n != "" {
				authors = append(authors, n)
			}
		}
		if len(authors) > 0 {
			break
		}
	}
	fm.author = strings.Join(authors, ", ")
	for _, k := range []string{"date", "published", "pubdate", "publish_date", "publishdate",
		"publication_date", "date_published", "datepublished", "published_at"} {
		if d, ok := parseDate(first(k), true); ok {
			fm.date = d
			break
		}
	}
	fm.url = cleanURL(first("url", "source_url", "original_url", "canonical", "canonical_url", "link", "source"))
	// As for every format, a known URL names the source by its host;
	// only without one does a declared publisher name it.
	if fm.url == "" {
		for _, k := range []string{"source", "publisher", "site", "site_name", "sitename"} {
			if s := first(k); s != "" && cleanURL(s) == "" {
				fm.source = cleanText(stripInline(s))
				break
			}
		}
	}
	if l := first("lang", "language"); l != "" {
		fm.lang = langTag(l)
	}
	for _, k := range []string{"tags", "tag", "keywords"} {
		for _, v := range values[k] {
			if t := strings.TrimPrefix(strings.TrimSpace(v), "#"); t != "" && len(t) <= 100 {
				fm.tags = append(fm.tags, t)
			}
		}
	}
	return fm
}

// flowList splits a YAML or TOML flow list, "[a, "b, c"]".
func flowList(v string) []string {
	v = strings.TrimPrefix(v, "[")
	if i := strings.LastIndexByte(v, ']'); i >= 0 {
		v = v[:i]
	}
	var out []string
	for v != "" {
		v = strings.TrimLeft(v, " \t")
		var item string
		if v != "" && (v[0] == '"' || v[0] == '\'') {
			end := strings.IndexByte(v[1:], v[0])
			if end < 0 {
				item, v = v, ""
			} else {
				item, v = v[:end+2], v[end+2:]
			}
			v = strings.TrimLeft(v, " \t")
			v = strings.TrimPrefix(v, ",")
		} else if i := strings.IndexByte(v, ','); i >= 0 {
			item, v = v[:i], v[i+1:]
		} else {
			item, v = v, ""
		}
		if s := unquote(strings.TrimSpace(item)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// unquote reads a YAML scalar: "double" with backslash escapes, 'single'
// with a doubled quote for a quote, or plain with an optional " # comment".
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		if !strings.Contains(v, `\`) {
			return v
		}
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) {
				i++
				switch v[i] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				default:
					b.WriteByte(v[i])
				}
				continue
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// markdownHeading returns the text of the first level-one heading, ATX
// ("# Title") or Setext ("Title" over "====="), outside code blocks.
func markdownHeading(body string) string {
	inFence := ""
	prev := ""
	for n := 0; body != "" && n < 2000; n++ {
		line := body
		if i := strings.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = ""
		}
		t := strings.TrimSpace(line)
		if inFence != "" {
			if strings.HasPrefix(t, inFence) {
				inFence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inFence = t[:3]
			prev = ""
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if indent < 4 && (t == "#" || strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "#\t")) {
			h := strings.TrimSpace(t[1:])
			h = strings.TrimSpace(strings.TrimRight(h, "#"))
			if h = cutTitle(stripInline(h)); h != "" {
				return h
			}
		}
		if indent < 4 && prev != "" && len(t) >= 2 && strings.Trim(t, "=") == "" {
			return cutTitle(stripInline(prev))
		}
		prev = t
	}
	return ""
}
