package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"dossier/notes"
)

// Readability limits: past maxReadabilityElems elements the article
// heuristics cost more than they are worth and the whole body is read
// instead; below minArticleRunes the article found is too small to trust.
const (
	maxReadabilityElems = 30000
	minArticleRunes     = 250
)

func parseHTML(doc *notes.Document, data []byte) error {
	src, err := decodeHTML(data)
	if err != nil {
		return err
	}
	var (
		m            *htmlMeta
		text, byline string
	)
	if root, err := html.Parse(strings.NewReader(src)); err == nil {
		m = readHTMLMeta(root)
		pruneNoise(root)
		text, byline = mainText(root)
		if isBlank(text) {
			// The heuristics threw the baby out with the bath water: read the
			// page again and keep every visible word.
			if root, err = html.Parse(strings.NewReader(src)); err == nil {
				text = extractText(fallbackRoot(root))
			}
		}
	} else {
		text, m = flatText(src)
	}
	if isBlank(text) {
		return invalid("web page has no readable text")
	}
	doc.Text = text
	doc.MediaType = MediaHTML
	doc.Importer = ImporterHTML
	doc.Title = m.bestTitle()
	if doc.Title == "" {
		doc.Title = scanText(text, true).title
	}
	doc.Author = m.bestAuthor()
	if doc.Author == "" {
		doc.Author = cleanByline(byline)
	}
	doc.URL = m.bestURL()
	doc.Published = m.bestDate()
	doc.Language = m.lang
	if doc.URL == "" {
		doc.Source = m.siteName
	}
	return nil
}

// decodeHTML converts a page to UTF-8 following the HTML standard's order:
// byte order mark, then <meta charset> or http-equiv (or an XML
// declaration), then sniffing.
func decodeHTML(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD"), nil
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16(data[2:], false), nil
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16(data[2:], true), nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		if be, ok := sniffUTF16(data); ok {
			return decodeUTF16(data, be), nil
		}
		return "", errNUL()
	}
	label := declaredCharset(data)
	// A document that could read its own meta tag is not UTF-16, whatever
	// the tag says.
	if strings.HasPrefix(strings.ToLower(label), "utf-16") {
		label = "utf-8"
	}
	return decodeLabeled(data, label), nil
}

// declaredCharset finds the charset a page declares in an XML declaration
// or a <meta> tag in its head. It looks further than the standard's 1024
// bytes, since saved pages often put scripts first.
func declaredCharset(data []byte) string {
	head := data[:min(len(data), 16<<10)]
	if bytes.HasPrefix(head, []byte("<?xml")) {
		if end := bytes.Index(head, []byte("?>")); end > 0 {
			decl := string(head[:end])
			if i := strings.Index(decl, "encoding="); i >= 0 {
				v := decl[i+len("encoding="):]
				if v != "" && (v[0] == '"' || v[0] == '\'') {
					if j := strings.IndexByte(v[1:], v[0]); j >= 0 {
						return v[1 : j+1]
					}
				}
			}
		}
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for range 4000 {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				var cs, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "charset":
						cs = string(v)
					case "content":
						content = string(v)
					}
				}
				if cs != "" {
					return strings.TrimSpace(cs)
				}
				if c := charsetParam(content); c != "" {
					return c
				}
			}
		}
	}
	return ""
}

// charsetParam extracts the charset from "text/html; charset=windows-1251".
func charsetParam(s string) string {
	i := indexFold(s, "charset")
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len("charset"):], " \t")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.Trim(strings.TrimSpace(s[1:]), `"'`)
	if j := strings.IndexAny(s, `;"' `); j >= 0 {
		s = s[:j]
	}
	return s
}

// mainText returns the article text of a page, found by Readability, or
// the text of the whole body when Readability finds nothing or too little.
// It also returns the byline Readability saw, if any.
func mainText(root *html.Node) (text, byline string) {
	art := runReadability(root)
	if art != nil && art.Node != nil {
		n := art.Node
		if n.Parent != nil {
			n = n.Parent // the wrapper holding every page of the article
		}
		text = extractText(n)
		byline = art.Byline
		if utf8.RuneCountInString(text) >= minArticleRunes {
			return text, byline
		}
	}
	if body := fallbackRoot(root); body != nil {
		if full := extractText(body); len(full) > len(text) {
			text = full
		}
	}
	return text, byline
}

// pruneNoise removes hidden elements and page furniture (menus, share
// bars, cookie banners, footers) before Readability sees the page:
// Readability scores by text length, so a long menu can win, and it
// rewrites the elements it keeps without the classes that would let them
// be spotted afterwards.
//
// Class names are a weak signal (sites put "sidebar" on the layout that
// holds the article, or every feature flag on one wrapper), so no element
// holding more than a quarter of the page's text (and over 200 bytes) is
// removed.
func pruneNoise(root *html.Node) {
	const maxNoiseShare = 4 // at most a quarter of the text
	lens := textLens(root)
	limit := max(lens[root]/maxNoiseShare, 200)
	var doomed []*html.Node
	traverse(root, func(n *html.Node) bool {
		switch n.Type {
		case html.DocumentNode:
			return true
		case html.ElementNode:
			if skipped[n.DataAtom] && n.DataAtom != atom.Head || lens[n] <= limit && isNoise(n) {
				doomed = append(doomed, n)
				return false
			}
			return true
		}
		return false
	}, nil)
	for _, n := range doomed {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// textLens returns the bytes of visible text under each element, in one
// pass over the tree.
func textLens(root *html.Node) map[*html.Node]int {
	lens := map[*html.Node]int{}
	traverse(root, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			for p := n.Parent; p != nil; p = p.Parent {
				if p.Type == html.ElementNode || p.Type == html.DocumentNode {
					lens[p] += len(n.Data)
					break
				}
			}
			return false
		case html.DocumentNode:
			return true
		case html.ElementNode:
			return !skipped[n.DataAtom] || n.DataAtom == atom.Head
		}
		return false
	}, func(n *html.Node) {
		if n.Parent != nil && n != root {
			lens[n.Parent] += lens[n]
		}
	})
	return lens
}

// runReadability runs go-readability, which has not been hardened against
// hostile input: a panic in it costs this page its article detection, not
// the import.
func runReadability(root *html.Node) (art *readability.Article) {
	defer func() {
		if recover() != nil {
			art = nil
		}
	}()
	p := readability.NewParser()
	p.MaxElemsToParse = maxReadabilityElems
	a, err := p.ParseDocument(root, nil)
	if err != nil {
		return nil
	}
	return &a
}

// fallbackRoot picks what to read when Readability fails: <main>, else the
// only <article>, else <body>.
func fallbackRoot(root *html.Node) *html.Node {
	var main, article, body *html.Node
	articles := 0
	traverse(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return n.Type == html.DocumentNode
		}
		switch n.DataAtom {
		case atom.Main:
			if main == nil {
				main = n
			}
			return false
		case atom.Article:
			articles++
			if article == nil {
				article = n
			}
			return false
		case atom.Body:
			body = n
		case atom.Script, atom.Style, atom.Template, atom.Head:
			return false
		}
		return true
	}, nil)
	switch {
	case main != nil:
		return main
	case articles == 1:
		return article
	case body != nil:
		return body
	}
	return root
}

// htmlToText reads an HTML body of an e-mail: no article detection, just
// the visible text without scripts, navigation and footers.
func htmlToText(b []byte, charset string) string {
	if charset == "" {
		charset = declaredCharset(b)
	}
	if strings.HasPrefix(strings.ToLower(charset), "utf-16") {
		charset = "utf-8"
	}
	src := decodeLabeled(b, charset)
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		text, _ := flatText(src)
		return text
	}
	pruneNoise(root)
	return extractText(fallbackRoot(root))
}

// flatSkipped elements hold no visible text, for flatText. Unlike
// skipped, it leaves out elements whose end tag a broken page may omit
// (<button>, <select>): skipping to an end tag that never comes would lose
// the rest of the page.
var flatSkipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Textarea: true, atom.Iframe: true, atom.Noembed: true, atom.Noframes: true,
	atom.Xmp: true, atom.Svg: true, atom.Math: true,
}

// maxFlatLists bounds the open lists flatText numbers; deeper ones, left
// open by a broken page, get no markers of their own.
const maxFlatLists = 64

// flatText reads a page that html.Parse refuses, with the tokenizer and no
// tree. Parsing a strings.Reader fails only when the parser gives up,
// which it does past 512 open elements: old forums and mailing-list
// archives leave every <font> or <div> open, and browsers show them all
// the same. Without a tree there is no article detection and no <time>
// whose place could be trusted; the text is every visible word, laid out
// as extractText does, and the metadata what <head> says.
func flatText(src string) (string, *htmlMeta) {
	m := &htmlMeta{}
	w := &textWriter{}
	z := html.NewTokenizer(strings.NewReader(src))
	var (
		skip      atom.Atom // the element whose content is being skipped
		skipDepth int
		capture   atom.Atom // <title>, <h1> or JSON-LD <script>, whose text is kept
		captured  strings.Builder
		lists     []int // as in extractText
		deepLists int   // open lists past maxFlatLists
	)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.sb.String(), m
		case html.TextToken:
			t := z.Text()
			if skip != 0 && capture != atom.Script {
				continue
			}
			if capture != 0 && captured.Len() < 1<<20 {
				captured.Write(t)
			}
			if skip == 0 && capture != atom.Title {
				w.text(string(t))
			}
			continue
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		default:
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if tt == html.EndTagToken {
			if skip != 0 {
				if a == skip {
					if skipDepth--; skipDepth == 0 {
						if skip == atom.Script && capture == atom.Script {
							m.jsonLD(captured.String())
							capture = 0
						}
						skip = 0
					}
				}
				continue
			}
			if a != 0 && a == capture {
				if a == atom.Title {
					setOnce(&m.title, cleanText(captured.String()))
				} else {
					setOnce(&m.h1, cleanText(captured.String()))
				}
				capture = 0
			}
			switch a {
			case atom.Pre:
				w.pre = max(w.pre-1, 0)
			case atom.Li:
				w.prefix = ""
			case atom.Ul, atom.Menu, atom.Ol:
				if deepLists > 0 {
					deepLists--
				} else if len(lists) > 0 {
					lists = lists[:len(lists)-1]
				}
			case atom.Tr:
				w.row()
			}
			if b := blockBreaks[a]; b > 0 {
				w.block(b)
			}
			continue
		}
		if skip != 0 {
			if a == skip && tt == html.StartTagToken {
				skipDepth++
			}
			continue
		}
		n := &html.Node{Type: html.ElementNode, DataAtom: a} // for attr and meta
		if a == atom.Html || a == atom.Meta || a == atom.Link || a == atom.Script {
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				n.Attr = append(n.Attr, html.Attribute{Key: string(k), Val: string(v)})
			}
		}
		if flatSkipped[a] {
			if tt == html.StartTagToken {
				skip, skipDepth = a, 1
				if a == atom.Script && strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
					capture = atom.Script
					captured.Reset()
				}
			}
			continue
		}
		switch a {
		case atom.Html:
			if l := firstNonEmpty(attr(n, "lang"), attr(n, "xml:lang")); l != "" {
				m.lang = langTag(l)
			}
		case atom.Title, atom.H1:
			if capture == 0 && tt == html.StartTagToken {
				capture = a
				captured.Reset()
			}
		case atom.Meta:
			m.meta(n)
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
				m.canonical = cleanURL(attr(n, "href"))
			}
		case atom.Br:
			w.lineBreak()
		case atom.Pre:
			w.pre++
		case atom.Ul, atom.Menu, atom.Ol:
			if len(lists) >= maxFlatLists {
				deepLists++
			} else if a == atom.Ol {
				lists = append(lists, 0)
			} else {
				lists = append(lists, -1)
			}
		case atom.Li:
			w.listItem(lists)
			continue
		case atom.Tr:
			w.row() // a row left open ends when the next begins
		case atom.Td, atom.Th:
			w.cell()
			continue
		}
		if b := blockBreaks[a]; b > 0 {
			w.block(b)
		}
	}
}

// traverse visits the tree under root in document order without
// recursion, so deeply nested hostile pages cannot exhaust the stack.
// enter returns whether to visit a node's children; leave is called after
// the children of every node enter accepted.
func traverse(root *html.Node, enter func(*html.Node) bool, leave func(*html.Node)) {
	n := root
	for {
		if enter(n) {
			if n.FirstChild != nil {
				n = n.FirstChild
				continue
			}
			if leave != nil {
				leave(n)
			}
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
			if leave != nil {
				leave(n)
			}
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

// blockBreaks says how many line breaks surround each block element: two
// (a blank line) around paragraphs and headings, one around list items,
// table rows and definition terms.
var blockBreaks = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Blockquote: 2, atom.Pre: 2, atom.Table: 2, atom.Ul: 2, atom.Ol: 2, atom.Dl: 2,
	atom.Figure: 2, atom.Figcaption: 2, atom.Hr: 2, atom.Div: 2, atom.Section: 2,
	atom.Article: 2, atom.Main: 2, atom.Header: 2, atom.Footer: 2, atom.Aside: 2,
	atom.Nav: 2, atom.Address: 2, atom.Details: 2, atom.Summary: 2, atom.Fieldset: 2,
	atom.Form: 2, atom.Center: 2, atom.Hgroup: 2, atom.Caption: 2, atom.Legend: 2,
	atom.Li: 1, atom.Tr: 1, atom.Dt: 1, atom.Dd: 1, atom.Option: 1,
}

// skipped elements never hold readable text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Svg: true, atom.Math: true, atom.Canvas: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Video: true,
	atom.Audio: true, atom.Map: true, atom.Button: true, atom.Select: true,
	atom.Input: true, atom.Textarea: true, atom.Dialog: true, atom.Link: true,
	atom.Meta: true, atom.Picture: true, atom.Source: true, atom.Track: true,
}

// noiseTags are page furniture, which pruneNoise drops.
var noiseTags = map[atom.Atom]bool{atom.Nav: true, atom.Aside: true, atom.Footer: true}

var noiseRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
	"search": true, "menu": true, "menubar": true, "dialog": true, "alertdialog": true,
	"toolbar": true, "tablist": true,
}

// noiseWords in a class or id mark cookie banners, share bars, menus and
// the like.
var noiseWords = []string{
	"cookie", "consent", "gdpr", "newsletter", "subscribe", "signup", "sign-up",
	"share", "social", "breadcrumb", "menu", "navbar", "sidebar", "related",
	"recommend", "promo", "advert", "popup", "modal", "comment", "footer",
	"masthead", "skip-link", "sr-only", "visually-hidden", "paywall",
}

var noiseTokens = map[string]bool{"ad": true, "ads": true, "nav": true, "sponsored": true, "hidden": true}

// contentWords in a class or id overrule noiseWords, as in Readability:
// "comment-body" or "main-menu-content" may hold the article.
var contentWords = []string{"article", "body", "column", "content", "main", "story", "entry", "text", "shadow"}

// containers are never dropped for their class: sites hang every feature
// flag of the page on <body class="…">.
var containers = map[atom.Atom]bool{atom.Html: true, atom.Body: true, atom.Main: true, atom.Article: true}

// isNoise reports whether an element is hidden, or page furniture rather
// than content.
func isNoise(n *html.Node) bool {
	if noiseTags[n.DataAtom] {
		return true
	}
	if n.DataAtom == atom.Header && !insideContent(n) {
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			s := strings.ToLower(a.Val)
			if strings.Contains(strings.ReplaceAll(s, " ", ""), "display:none") {
				return true
			}
		case "role":
			if noiseRoles[strings.ToLower(a.Val)] {
				return true
			}
		case "class", "id":
			if !containers[n.DataAtom] && noisyName(a.Val) {
				return true
			}
		}
	}
	return false
}

func noisyName(v string) bool {
	if v == "" {
		return false
	}
	l := strings.ToLower(v)
	noisy := false
	for _, w := range noiseWords {
		if strings.Contains(l, w) {
			noisy = true
			break
		}
	}
	if !noisy {
		for _, t := range strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }) {
			if noiseTokens[t] {
				noisy = true
				break
			}
		}
	}
	if !noisy {
		return false
	}
	for _, w := range contentWords {
		if strings.Contains(l, w) {
			return false
		}
	}
	return true
}

func insideContent(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main {
			return true
		}
	}
	return false
}

// extractText renders the text under n: paragraphs and headings separated
// by blank lines, list items and table rows on lines of their own, white
// space collapsed except in <pre>. It drops what never shows (scripts,
// styles, form controls); pruneNoise has already removed the rest.
func extractText(n *html.Node) string {
	w := &textWriter{}
	var lists []int // item counters of open lists; -1 for <ul>
	traverse(n, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			w.text(n.Data)
			return false
		case html.DocumentNode:
			return true
		case html.ElementNode:
		default:
			return false
		}
		if skipped[n.DataAtom] {
			return false
		}
		switch n.DataAtom {
		case atom.Br:
			w.lineBreak()
			return false
		case atom.Pre:
			w.pre++
		case atom.Ul, atom.Menu:
			lists = append(lists, -1)
		case atom.Ol:
			lists = append(lists, 0)
		case atom.Li:
			w.listItem(lists)
			return true
		case atom.Td, atom.Th:
			w.cell()
			return true
		}
		if b := blockBreaks[n.DataAtom]; b > 0 {
			w.block(b)
		}
		return true
	}, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.Pre:
			w.pre--
		case atom.Li:
			w.prefix = "" // an empty item leaves no marker behind
		case atom.Ul, atom.Menu, atom.Ol:
			if len(lists) > 0 {
				lists = lists[:len(lists)-1]
			}
		case atom.Tr:
			w.row()
		}
		if b := blockBreaks[n.DataAtom]; b > 0 {
			w.block(b)
		}
	})
	return w.sb.String()
}

// textWriter collapses white space and holds line breaks back until text
// follows them, so the output has no leading, trailing or doubled blank
// lines whatever the markup.
type textWriter struct {
	sb       strings.Builder
	brk      int    // line breaks wanted before the next text
	space    bool   // a space is wanted before the next text
	tab      bool   // a cell separator is wanted before the next text
	prefix   string // list marker for the next text
	pre      int    // depth of <pre>
	trailing int    // newlines at the end of sb
	cells    int    // cells seen in the current table row
}

func (w *textWriter) block(n int) {
	w.brk = max(w.brk, n)
	w.space, w.tab = false, false
}

func (w *textWriter) lineBreak() {
	if w.pre > 0 {
		w.flush()
		w.write("\n")
		return
	}
	w.brk = min(w.brk+1, 2)
	w.space = false
}

func (w *textWriter) cell() {
	if w.cells > 0 {
		w.tab = true
	}
	w.cells++
}

func (w *textWriter) row() { w.cells = 0; w.block(1) }

// listItem begins an item of the innermost of lists: numbered when it is
// an ordered list (its last number, 0 or more, is counted on), bulleted
// otherwise or outside any list.
func (w *textWriter) listItem(lists []int) {
	w.block(1)
	if len(lists) > 0 && lists[len(lists)-1] >= 0 {
		lists[len(lists)-1]++
		w.prefix = fmt.Sprintf("%d. ", lists[len(lists)-1])
	} else {
		w.prefix = "• "
	}
}

// flush writes the breaks, separator and list marker owed before new
// text.
func (w *textWriter) flush() {
	if w.sb.Len() > 0 {
		switch {
		case w.brk > w.trailing:
			w.write("\n\n"[:w.brk-w.trailing])
		case w.brk == 0 && w.tab:
			w.write("\t")
		case w.brk == 0 && w.space && w.trailing == 0:
			w.write(" ")
		}
	}
	w.brk, w.space, w.tab = 0, false, false
	if w.prefix != "" {
		w.write(w.prefix)
		w.prefix = ""
	}
}

func (w *textWriter) write(s string) {
	if s == "" {
		return
	}
	w.sb.WriteString(s)
	n := len(s) - len(strings.TrimRight(s, "\n"))
	if n == len(s) {
		w.trailing += n
	} else {
		w.trailing = n
	}
}

func (w *textWriter) text(s string) {
	if w.pre > 0 {
		if s != "" {
			w.flush()
			w.write(strings.ToValidUTF8(s, "\uFFFD"))
		}
		return
	}
	for s != "" {
		// Copy runs of non-space bytes in one write.
		i := 0
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
					break
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if isSpaceRune(r) || r == '\u200B' || r == '\uFEFF' || r == '\u00AD' {
				break
			}
			i += size
		}
		if i > 0 {
			w.flush()
			w.write(s[:i])
			s = s[i:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		if r != '\u200B' && r != '\uFEFF' && r != '\u00AD' { // invisible: zero-width space, BOM, soft hyphen
			w.space = true
		}
		s = s[size:]
	}
}

func isSpaceRune(r rune) bool {
	switch r {
	case '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\u0085':
		return true
	}
	return r >= '\u2000' && r <= '\u200A'
}

// htmlMeta gathers what a page says about itself, each field by source so
// the most reliable one wins.
type htmlMeta struct {
	title, ogTitle, twTitle, h1 string
	siteName, lang              string
	authors                     [2][]string // meta author and article:author; then Dublin Core and others
	dates                       [6]string   // by priority, see readHTMLMeta
	canonical, ogURL            string
	ld                          ldArticle
}

// ldArticle is what JSON-LD says about the page's article.
type ldArticle struct {
	headline, date, url, publisher string
	authors                        []string
}

// Date sources, most reliable first.
const (
	dateOG     = iota // article:published_time
	dateLD            // JSON-LD datePublished
	dateItem          // itemprop=datePublished
	dateMeta          // meta date, pubdate, DC.date, citation_publication_date…
	dateTime          // <time pubdate>, or a <time datetime> heading an <article>/<main>
	dateLoneTm        // the page's only <time datetime>, if it heads the text
)

var metaDates = map[string]int{
	"article:published_time": dateOG, "og:published_time": dateOG, "og:article:published_time": dateOG,
	"published_time": dateOG, "article.published": dateOG,
	"datepublished": dateItem,
	"date":          dateMeta, "pubdate": dateMeta, "publishdate": dateMeta, "publish-date": dateMeta,
	"publish_date": dateMeta, "dc.date": dateMeta, "dc.date.issued": dateMeta, "dcterms.date": dateMeta,
	"dcterms.issued": dateMeta, "dcterms.created": dateMeta, "sailthru.date": dateMeta,
	"parsely-pub-date": dateMeta, "citation_publication_date": dateMeta, "citation_date": dateMeta,
	"article_date_original": dateMeta, "original-publish-date": dateMeta, "cxenseparse:recs:publishtime": dateMeta,
}

var metaAuthors = map[string]int{
	"author": 0, "article:author": 0, "og:article:author": 0, "byl": 0,
	"dc.creator": 1, "dcterms.creator": 1, "parsely-author": 1, "sailthru.author": 1,
	"citation_author": 1, "cxenseparse:author": 1,
}

func readHTMLMeta(root *html.Node) *htmlMeta {
	m := &htmlMeta{}
	heading, article := articlePaths(root)
	s := &dateScan{heading: heading, article: article}
	traverse(root, func(n *html.Node) bool {
		switch n.Type {
		case html.DocumentNode:
			return true
		case html.TextNode:
			s.text(n)
			return false
		case html.ElementNode:
		default:
			return false
		}
		switch n.DataAtom {
		case atom.Html:
			if l := firstNonEmpty(attr(n, "lang"), attr(n, "xml:lang")); l != "" {
				m.lang = langTag(l)
			}
		case atom.Title:
			if m.title == "" {
				m.title = cleanText(nodeText(n))
			}
			return false
		case atom.H1:
			if m.h1 == "" {
				m.h1 = cleanText(nodeText(n))
			}
			return false
		case atom.Meta:
			// Microdata of a comment or a teaser names its own author and
			// date, not the page's.
			if s.furniture == 0 && !s.isFurniture(n) {
				if strings.EqualFold(attr(n, "itemprop"), "datePublished") {
					s.add(dateItem, attr(n, "content"))
				} else {
					m.meta(n)
				}
			}
			return false
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
				m.canonical = cleanURL(attr(n, "href"))
			}
			return false
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
				m.jsonLD(nodeText(n))
			}
			return false
		case atom.Style, atom.Template, atom.Svg:
			return false
		case atom.Time:
			s.time(n)
		}
		if strings.EqualFold(attr(n, "itemprop"), "datePublished") && n.DataAtom != atom.Time &&
			s.furniture == 0 && !s.isFurniture(n) {
			s.add(dateItem, firstNonEmpty(attr(n, "content"), nodeText(n)))
		}
		s.enter(n)
		return true
	}, s.leave)
	s.finish(m)
	return m
}

// dateScan follows readHTMLMeta through the page to tell an article's own
// <time> from the many others a page shows: those of related stories,
// comments, footers and dates quoted in the text. Only a <time> marked as
// the byline's, or one that comes before the text of its article, is taken:
// a wrong date is worse than none.
type dateScan struct {
	open      []uint8     // per element entered: the scan* flags it set
	furniture int         // depth of page furniture
	quiet     int         // depth of elements whose text is not the article's prose
	articles  int         // depth of <article>
	content   int         // depth of <article> and <main>
	starts    []int       // prose before each open <article> and <main>
	prose     int         // bytes of prose so far, outside furniture
	para      *html.Node  // the open <p>
	paraStart int         // prose before it
	pending   []foundDate // dates in it, if it proves to be a byline
	tops      int         // <article>s outside furniture and other articles
	times     int         // <time datetime>s outside furniture
	found     []foundDate
	heading   map[*html.Node]bool // the elements holding the page's first <h1>
	article   map[*html.Node]bool // the elements holding most of its paragraphs
}

type foundDate struct {
	prio      int // dateItem, dateTime or dateLoneTm
	v         string
	inArticle bool
}

const (
	scanFurniture uint8 = 1 << iota
	scanQuiet
	scanArticle
	scanContent
	scanPara
)

// maxFoundDates bounds the dates a page may offer, and maxTimesWeighed the
// <time>s weighed: past a few, a page is a listing, and the first ones are
// all that could count anyway.
const (
	maxFoundDates   = 64
	maxTimesWeighed = 256
)

// Prose allowed before an article's date, for a standfirst above the
// byline; and prose a paragraph may have beside a <time> and still be a
// byline ("By Jane Doe, Central Asia correspondent,"), where a sentence
// with a date in it is not.
const (
	maxProseBeforeDate = 300
	maxBylineProse     = 60
)

func (s *dateScan) enter(n *html.Node) {
	var f uint8
	if s.furniture > 0 || s.isFurniture(n) || n.DataAtom == atom.Article && s.articles > 0 {
		// An <article> inside another is a comment or a teaser.
		f |= scanFurniture
	}
	switch n.DataAtom {
	case atom.Article:
		if f&scanFurniture == 0 && s.articles == 0 {
			s.tops++
		}
		f |= scanArticle | scanContent
	case atom.Main:
		f |= scanContent
	case atom.P:
		if s.para == nil {
			s.para, s.paraStart, s.pending = n, s.prose, s.pending[:0]
			f |= scanPara
		}
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.A, atom.Time, atom.Figcaption, atom.Label:
		f |= scanQuiet
	default:
		if skipped[n.DataAtom] && n.DataAtom != atom.Head || isDateMark(n) {
			f |= scanQuiet
		}
	}
	if f&scanFurniture != 0 {
		s.furniture++
	}
	if f&scanQuiet != 0 {
		s.quiet++
	}
	if f&scanArticle != 0 {
		s.articles++
	}
	if f&scanContent != 0 {
		s.content++
		s.starts = append(s.starts, s.prose)
	}
	s.open = append(s.open, f)
}

func (s *dateScan) leave(n *html.Node) {
	if n.Type != html.ElementNode || len(s.open) == 0 {
		return
	}
	f := s.open[len(s.open)-1]
	s.open = s.open[:len(s.open)-1]
	if f&scanFurniture != 0 {
		s.furniture--
	}
	if f&scanQuiet != 0 {
		s.quiet--
	}
	if f&scanArticle != 0 {
		s.articles--
	}
	if f&scanContent != 0 {
		s.content--
		s.starts = s.starts[:len(s.starts)-1]
	}
	if f&scanPara != 0 {
		if s.prose-s.paraStart <= maxBylineProse {
			s.found = append(s.found, s.pending[:min(len(s.pending), maxFoundDates-len(s.found))]...)
		}
		s.para, s.pending = nil, s.pending[:0]
	}
}

func (s *dateScan) text(n *html.Node) {
	if s.furniture == 0 && s.quiet == 0 {
		s.prose += len(strings.TrimSpace(n.Data))
	}
}

func (s *dateScan) add(prio int, v string) {
	if len(s.found) < maxFoundDates {
		s.found = append(s.found, foundDate{prio, v, s.articles > 0})
	}
}

// time weighs a <time datetime>, which has not been entered yet.
func (s *dateScan) time(n *html.Node) {
	dt := attr(n, "datetime")
	if dt == "" || s.furniture > 0 || s.isFurniture(n) {
		return
	}
	s.times++
	if len(s.found) >= maxFoundDates || s.times > maxTimesWeighed {
		return
	}
	marked := false
	for p := n; p != nil && p.DataAtom != atom.Article && p.DataAtom != atom.Main && p.DataAtom != atom.Body; p = p.Parent {
		// WordPress marks a post never edited "published updated".
		// hAtom themes mark the publication time "entry-date updated".
		if hasWordIn(p, "updat", "modif") && !hasWordIn(p, "publish", "entry-date") {
			return // when it was last changed, not published
		}
		marked = marked || isDateMark(p) || p.DataAtom == atom.Header && s.content > 0
	}
	switch {
	case strings.EqualFold(attr(n, "itemprop"), "datePublished"):
		s.add(dateItem, dt)
	case hasAttr(n, "pubdate"):
		s.add(dateTime, dt)
	case marked:
		s.add(s.timePrio(), dt)
	case s.prose-s.start() > maxProseBeforeDate:
		// In the text, or after it.
	case s.para != nil:
		// Its paragraph decides, once read, whether it is a byline or
		// the first sentence of the text.
		if len(s.pending) < maxFoundDates {
			s.pending = append(s.pending, foundDate{s.timePrio(), dt, s.articles > 0})
		}
	default:
		s.add(s.timePrio(), dt)
	}
}

// timePrio is the priority of a byline's <time>. Outside <article> and
// <main> a byline looks like a listing's entry, so it counts only as the
// page's single <time>.
func (s *dateScan) timePrio() int {
	if s.content > 0 {
		return dateTime
	}
	return dateLoneTm
}

// start returns the prose seen before the innermost open <article> or
// <main>, or none outside them.
func (s *dateScan) start() int {
	if len(s.starts) == 0 {
		return 0
	}
	return s.starts[len(s.starts)-1]
}

// finish hands the dates found to m. A page of several articles is a
// listing, whose articles' dates are not its own.
func (s *dateScan) finish(m *htmlMeta) {
	for _, d := range s.found {
		if d.inArticle && s.tops > 1 || d.prio == dateLoneTm && s.times > 1 {
			continue
		}
		m.setDate(d.prio, d.v)
	}
}

// furnitureWords in a class or id mark where other stories' dates and
// readers' comments are shown. Unlike noiseWords, no content word
// overrules them: "more-stories" and "comment-body" hold no article date.
var furnitureWords = []string{
	"related", "stories", "comment", "recommend", "reply", "replies", "disqus", "sidebar", "footer",
	"promo", "popular", "trending", "teaser", "widget", "breadcrumb", "menu", "nav",
}

// isFurniture reports whether a date under n belongs to something other
// than the article: page furniture, comments, or a list of links to other
// stories.
func (s *dateScan) isFurniture(n *html.Node) bool {
	switch {
	case noiseTags[n.DataAtom]:
		return true
	case n.DataAtom == atom.Header && s.content == 0 && !s.heading[n]:
		// A page's header, unless it heads the article (Hugo, Jekyll).
		return true
	case n.DataAtom == atom.Li && holdsLink(n) && !isDateMark(n) && !isDateMark(n.Parent):
		// A link to another story; not a permalink in the entry's meta.
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			if noiseRoles[strings.ToLower(a.Val)] {
				return true
			}
		case "itemprop":
			if v := strings.ToLower(a.Val); v == "comment" || v == "review" {
				return true
			}
		case "itemtype":
			if v := strings.ToLower(a.Val); strings.Contains(v, "comment") || strings.Contains(v, "review") {
				return true
			}
		case "class", "id":
			// Sites hang flags of the page ("has-sidebar", "nav-open")
			// on the wrappers that hold the article and its title.
			if containers[n.DataAtom] || s.heading[n] || s.article[n] {
				continue
			}
			if hasFurnitureWord(a.Val) {
				return true
			}
		}
	}
	return false
}

// hasFurnitureWord reports whether a class or id names furniture: a word
// of it (split at anything but letters) that begins with one of
// furnitureWords, as "comments" and "navbar" do ("commentary" does not),
// and that is not a flag of the page ("with-sidebar", "has-sidebar", "no-sidebar").
func hasFurnitureWord(v string) bool {
	words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return !unicode.IsLetter(r) })
	for i, w := range words {
		if i > 0 && (words[i-1] == "with" || words[i-1] == "has" || words[i-1] == "no") {
			continue
		}
		for _, f := range furnitureWords {
			if strings.HasPrefix(w, f) && !strings.HasPrefix(w, "commentar") {
				return true
			}
		}
	}
	return false
}

// articlePaths returns, each with the elements that hold it, the page's
// first <h1> and the element holding the most paragraph text: the
// article's own wrappers, whose flags ("wrapper with-sidebar") must not
// make its byline furniture. One walk finds both.
func articlePaths(root *html.Node) (heading, article map[*html.Node]bool) {
	var h1, best *html.Node
	text := map[*html.Node]int{}
	traverse(root, func(n *html.Node) bool {
		if n.Type == html.DocumentNode {
			return true
		}
		if n.Type != html.ElementNode || skipped[n.DataAtom] {
			return false
		}
		switch {
		case n.DataAtom == atom.H1:
			if h1 == nil {
				h1 = n
			}
		case n.DataAtom == atom.P && n.Parent != nil:
			if text[n.Parent] += len(nodeText(n)); best == nil || text[n.Parent] > text[best] {
				best = n.Parent
			}
			return false
		}
		return true
	}, nil)
	return ancestors(h1), ancestors(best)
}

// ancestors returns n and the elements that hold it.
func ancestors(n *html.Node) map[*html.Node]bool {
	path := map[*html.Node]bool{}
	for ; n != nil; n = n.Parent {
		path[n] = true
	}
	return path
}

// holdsLink reports whether a list item links elsewhere, looking no
// further than its first few descendants.
func holdsLink(li *html.Node) bool {
	n := li.FirstChild
	for budget := 64; n != nil && budget > 0; budget-- {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && hasAttr(n, "href") {
			return true
		}
		if n.Type == html.ElementNode && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != li && n.NextSibling == nil {
			n = n.Parent
		}
		if n == li {
			return false
		}
		n = n.NextSibling
	}
	return false
}

// isDateMark reports whether n's class, id or itemprop marks it as a
// byline or dateline.
func isDateMark(n *html.Node) bool {
	return hasWordIn(n, "byline", "dateline", "date", "publish", "posted", "timestamp", "meta")
}

// hasWordIn reports whether n's class, id or itemprop contains one of words.
func hasWordIn(n *html.Node, words ...string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" && a.Key != "itemprop" || a.Namespace != "" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, w := range words {
			if strings.Contains(v, w) {
				return true
			}
		}
	}
	return false
}

func (m *htmlMeta) meta(n *html.Node) {
	key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
	content := attr(n, "content")
	if key == "" || strings.TrimSpace(content) == "" {
		if strings.EqualFold(attr(n, "http-equiv"), "content-language") && m.lang == "" {
			m.lang = langTag(content)
		}
		return
	}
	if p, ok := metaDates[key]; ok {
		m.setDate(p, content)
		return
	}
	if p, ok := metaAuthors[key]; ok {
		// Facebook wants article:author to be a profile URL.
		if !strings.Contains(content, "://") {
			m.authors[p] = append(m.authors[p], content)
		}
		return
	}
	switch key {
	case "og:title":
		setOnce(&m.ogTitle, cleanText(content))
	case "twitter:title":
		setOnce(&m.twTitle, cleanText(content))
	case "og:url":
		setOnce(&m.ogURL, cleanURL(content))
	case "og:site_name", "application-name":
		setOnce(&m.siteName, cleanText(content))
	case "og:locale", "language", "content-language", "dc.language":
		if m.lang == "" {
			m.lang = langTag(content)
		}
	}
}

func (m *htmlMeta) setDate(p int, v string) {
	if m.dates[p] == "" {
		if _, ok := parseDate(v, true); ok {
			m.dates[p] = v
		}
	}
}

// jsonLD reads schema.org metadata from a <script type="application/ld+json">.
func (m *htmlMeta) jsonLD(src string) {
	if len(src) > 1<<20 {
		return
	}
	var v any
	if json.Unmarshal([]byte(src), &v) != nil {
		return
	}
	m.ldWalk(v, 0)
}

var ldArticleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "backgroundnewsarticle": true, "reviewnewsarticle": true,
	"blogposting": true, "liveblogposting": true, "report": true, "scholarlyarticle": true,
	"techarticle": true, "socialmediaposting": true, "discussionforumposting": true,
}

func (m *htmlMeta) ldWalk(v any, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			m.ldWalk(e, depth+1)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			m.ldWalk(g, depth+1)
		}
		if !ldIsArticle(x["@type"]) {
			if me, ok := x["mainEntity"]; ok {
				m.ldWalk(me, depth+1)
			}
			return
		}
		a := &m.ld
		setOnce(&a.headline, cleanText(firstNonEmpty(ldString(x["headline"]), ldString(x["name"]))))
		setOnce(&a.date, ldString(x["datePublished"]))
		setOnce(&a.url, cleanURL(ldString(x["url"])))
		if a.url == "" {
			if me, ok := x["mainEntityOfPage"].(map[string]any); ok {
				a.url = cleanURL(ldString(me["@id"]))
			} else {
				a.url = cleanURL(ldString(x["mainEntityOfPage"]))
			}
		}
		if len(a.authors) == 0 {
			a.authors = ldNames(x["author"], nil, 0)
		}
		if a.publisher == "" {
			if p := ldNames(x["publisher"], nil, 0); len(p) > 0 {
				a.publisher = p[0]
			}
		}
	}
}

func ldIsArticle(t any) bool {
	switch x := t.(type) {
	case string:
		return ldArticleTypes[strings.ToLower(x)]
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && ldArticleTypes[strings.ToLower(s)] {
				return true
			}
		}
	}
	return false
}

func ldString(v any) string {
	s, _ := v.(string)
	return s
}

func ldNames(v any, out []string, depth int) []string {
	if depth > 4 {
		return out
	}
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case map[string]any:
		if s := ldString(x["name"]); s != "" {
			out = append(out, s)
		}
	case []any:
		for _, e := range x {
			out = ldNames(e, out, depth+1)
		}
	}
	return out
}

func (m *htmlMeta) bestTitle() string {
	for _, t := range []string{m.ogTitle, m.ld.headline, m.twTitle, m.title, m.h1} {
		if t != "" {
			return cutTitle(m.trimSiteName(t))
		}
	}
	return ""
}

// trimSiteName removes a site name that a title carries after or before a
// separator ("Kyrgyzstan Sticks Close to Russia | IWPR"), when the page
// names its site or its <h1> shows which side is the title.
func (m *htmlMeta) trimSiteName(t string) string {
	site := firstNonEmpty(m.siteName, m.ld.publisher)
	for _, sep := range []string{" | ", " – ", " — ", " - ", " :: ", " · ", " • ", " « ", " » "} {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		left, right := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
		switch {
		case site != "" && strings.EqualFold(right, site), m.h1 != "" && strings.EqualFold(left, m.h1):
			return left
		case site != "" && strings.EqualFold(left, site), m.h1 != "" && strings.EqualFold(right, m.h1):
			return right
		}
	}
	return t
}

func (m *htmlMeta) bestAuthor() string {
	lists := [][]string{m.authors[0], m.ld.authors, m.authors[1]}
	for _, l := range lists {
		var names []string
		seen := map[string]bool{}
		for _, a := range l {
			a = cleanText(a)
			if hasPrefixFold(a, "by ") { // "By Jane Doe, Senior Writer"
				a = cutAffiliation(a[3:])
			}
			if a = cleanName(a); a != "" && !seen[strings.ToLower(a)] {
				seen[strings.ToLower(a)] = true
				names = append(names, a)
			}
		}
		if len(names) > 0 {
			return strings.Join(names, ", ")
		}
	}
	return ""
}

func (m *htmlMeta) bestURL() string {
	return firstNonEmpty(m.canonical, m.ogURL, m.ld.url)
}

func (m *htmlMeta) bestDate() notes.Date {
	if m.dates[dateLD] == "" && m.ld.date != "" {
		m.setDate(dateLD, m.ld.date)
	}
	for _, v := range m.dates {
		if d, ok := parseDate(v, true); ok {
			return d
		}
	}
	return notes.Date{}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// nodeText concatenates the text under n, without any layout.
func nodeText(n *html.Node) string {
	var sb strings.Builder
	traverse(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			if sb.Len() < 1<<20 {
				sb.WriteString(c.Data)
			}
			return false
		}
		return c == n || c.Type == html.ElementNode
	}, nil)
	return sb.String()
}

// cleanText tidies a metadata value: entities left by double escaping are
// decoded and white space is collapsed.
func cleanText(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// langTag reduces a language tag ("en-US", "ru_RU") to its primary
// language subtag ("en", "ru"), or "" if it is not one.
func langTag(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_,; "); i >= 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return ""
		}
	}
	return s
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
