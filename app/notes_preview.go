package app

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// notePreview shows a note's Markdown rendered, with its [[links]]
// clickable. Each block (paragraph, heading, list item, quote, code) is its
// own RichText: one RichText holding a whole long note would wrap all of it
// on every layout (20,000 characters take seconds in Fyne 2.7), while many
// small ones cost in proportion to the text.
type notePreview struct {
	do      func(func())
	gen     int // of the latest Show; older ones stop adding blocks
	box     *fyne.Container
	scroll  *container.Scroll
	content fyne.CanvasObject
}

// linkView is how the preview shows one link: the text it reads as and
// whether its target exists.
type linkView struct {
	text    string
	missing bool
}

// previewChunk is how many blocks the preview lays out per turn of the UI
// goroutine: a 50,000-character note takes over a second to lay out, and
// in chunks the window keeps answering meanwhile.
const previewChunk = 8

func newNotePreview(do func(func())) *notePreview {
	p := &notePreview{do: do, box: container.NewVBox()}
	p.scroll = container.NewVScroll(container.NewPadded(p.box))
	p.content = p.scroll
	return p
}

// Show renders body. resolve says how each link reads; follow runs when
// the user clicks one. The first blocks show at once, the rest follow a
// chunk at a time.
func (p *notePreview) Show(body string, resolve func(notes.LinkRef) linkView, follow func(notes.LinkRef)) {
	p.gen++
	gen := p.gen
	blocks := previewBlocks(body)
	p.box.Objects = nil
	if len(blocks) == 0 {
		p.box.Objects = []fyne.CanvasObject{mutedText("Nothing written yet.", fyne.TextAlignLeading, theme.SizeNameText)}
	}
	var add func(int)
	add = func(from int) {
		if gen != p.gen {
			return
		}
		to := min(from+previewChunk, len(blocks))
		for _, b := range blocks[from:to] {
			p.box.Objects = append(p.box.Objects, &widget.RichText{Wrapping: fyne.TextWrapWord, Scroll: fyne.ScrollNone,
				Segments: blockSegments(b, resolve, follow)})
		}
		p.box.Refresh()
		if to < len(blocks) {
			go p.do(func() { add(to) })
		}
	}
	add(0)
	p.scroll.ScrollToTop()
}

// Stop ends the chunked layout of the last Show: the preview is hidden.
func (p *notePreview) Stop() { p.gen++ }

// Block kinds of the preview.
const (
	blockPara = iota
	blockHeading
	blockSubHeading
	blockQuote
	blockItem
	blockCode
	blockRule
)

type previewBlock struct {
	kind   int
	text   string
	bullet string // of a list item: "•" or "3."
}

var (
	headingRe = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	itemRe    = regexp.MustCompile(`^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$`)
	ruleRe    = regexp.MustCompile(`^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$`)
)

// previewBlocks splits Markdown into the blocks the preview draws: the
// common CommonMark blocks, enough for notes, not a full parser.
func previewBlocks(body string) []previewBlock {
	var out []previewBlock
	var para []string
	kind := blockPara
	flush := func() {
		if len(para) > 0 {
			out = append(out, previewBlock{kind: kind, text: strings.Join(para, " ")})
		}
		para, kind = nil, blockPara
	}
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		trim := strings.TrimSpace(ln)
		switch {
		case trim == "":
			flush()
		case strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~"):
			flush()
			fence := trim[:3]
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
				code = append(code, lines[i])
			}
			out = append(out, previewBlock{kind: blockCode, text: strings.Join(code, "\n")})
		case headingRe.MatchString(trim):
			flush()
			m := headingRe.FindStringSubmatch(trim)
			k := blockSubHeading
			if len(m[1]) == 1 {
				k = blockHeading
			}
			out = append(out, previewBlock{kind: k, text: m[2]})
		case ruleRe.MatchString(trim):
			flush()
			out = append(out, previewBlock{kind: blockRule})
		case itemRe.MatchString(ln):
			flush()
			m := itemRe.FindStringSubmatch(ln)
			bullet := m[2]
			if strings.ContainsAny(bullet, "-*+") {
				bullet = "•"
			}
			out = append(out, previewBlock{kind: blockItem, text: m[3], bullet: strings.Repeat("    ", len(m[1])/2) + bullet})
		case strings.HasPrefix(trim, ">"):
			if kind != blockQuote {
				flush()
				kind = blockQuote
			}
			para = append(para, strings.TrimSpace(strings.TrimPrefix(trim, ">")))
		default:
			if kind == blockQuote {
				flush()
			}
			para = append(para, trim)
		}
	}
	flush()
	return out
}

func blockSegments(b previewBlock, resolve func(notes.LinkRef) linkView, follow func(notes.LinkRef)) []widget.RichTextSegment {
	style := widget.RichTextStyleInline
	switch b.kind {
	case blockHeading:
		style = widget.RichTextStyleHeading
	case blockSubHeading:
		style = widget.RichTextStyleSubHeading
	case blockQuote:
		style = widget.RichTextStyleBlockquote
	case blockCode:
		return []widget.RichTextSegment{&widget.TextSegment{Text: b.text, Style: widget.RichTextStyleCodeBlock}}
	case blockRule:
		return []widget.RichTextSegment{&widget.SeparatorSegment{}}
	}
	style.Inline = true
	var segs []widget.RichTextSegment
	if b.kind == blockItem {
		segs = append(segs, &widget.TextSegment{Text: b.bullet + " ", Style: style})
	}
	return append(segs, inlineSegments(b.text, style, resolve, follow)...)
}

// inlineSegments renders one block's text: links, **strong**, *emphasis*
// and `code`.
func inlineSegments(text string, style widget.RichTextStyle, resolve func(notes.LinkRef) linkView, follow func(notes.LinkRef)) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	links, _ := notes.ParseBody(text)
	rs := []rune(text)
	last := 0
	for _, l := range links {
		segs = append(segs, markupSegments(strings.ReplaceAll(string(rs[last:l.Start]), `\[[`, "[["), style)...)
		v := resolve(l)
		// A hyperlink does not wrap: a long one would widen the pane.
		segs = append(segs, &widget.HyperlinkSegment{Text: ellipsize(v.text, 30), OnTapped: func() { follow(l) }})
		if v.missing {
			muted := style
			muted.ColorName = theme.ColorNamePlaceHolder
			muted.TextStyle.Italic = true
			segs = append(segs, &widget.TextSegment{Text: " (no such note yet: click to create)", Style: muted})
		}
		last = l.End
	}
	return append(segs, markupSegments(strings.ReplaceAll(string(rs[last:]), `\[[`, "[["), style)...)
}

var markupRe = regexp.MustCompile("\\*\\*([^*]+)\\*\\*|__([^_]+)__|\\*([^*\\s][^*]*)\\*|\\b_([^_\\s][^_]*)_\\b|`([^`]+)`")

func markupSegments(s string, style widget.RichTextStyle) []widget.RichTextSegment {
	if s == "" {
		return nil
	}
	var segs []widget.RichTextSegment
	last := 0
	for _, m := range markupRe.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > last {
			segs = append(segs, &widget.TextSegment{Text: s[last:m[0]], Style: style})
		}
		st := style
		var inner string
		switch {
		case m[2] >= 0:
			st.TextStyle.Bold, inner = true, s[m[2]:m[3]]
		case m[4] >= 0:
			st.TextStyle.Bold, inner = true, s[m[4]:m[5]]
		case m[6] >= 0:
			st.TextStyle.Italic, inner = true, s[m[6]:m[7]]
		case m[8] >= 0:
			st.TextStyle.Italic, inner = true, s[m[8]:m[9]]
		default:
			st.TextStyle.Monospace, inner = true, s[m[10]:m[11]]
		}
		segs = append(segs, &widget.TextSegment{Text: inner, Style: st})
		last = m[1]
	}
	if last < len(s) {
		segs = append(segs, &widget.TextSegment{Text: s[last:], Style: style})
	}
	return segs
}
