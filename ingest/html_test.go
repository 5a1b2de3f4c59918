package ingest_test

import (
	"strings"
	"sync"
	"testing"

	"dossier/ingest"
	"dossier/notes"
)

// htmlCases join parseCases, so TestParse and TestParse_Concurrent read
// them; they live here to keep the HTML importer's cases beside its tests.
var htmlCases = []struct {
	file string
	want want
}{
	// A <time> that is not the article's own: the date is unknown, not guessed.
	{"html/rw-time-in-aside.html", want{title: "Undated in aside", media: "text/html", importer: "html/2"}},
	{"html/rw-time-in-main-related.html", want{title: "Undated in main", media: "text/html", importer: "html/2"}},
	{"html/rw-time-in-footer.html", want{title: "Undated with footer", media: "text/html", importer: "html/2"}},
	{"html/rw-time-in-comments.html", want{title: "Undated with comments", media: "text/html", importer: "html/2"}},
	{"html/rw-time-in-text.html", want{title: "Undated with a date in its text", media: "text/html", importer: "html/2"}},
	{"html/rw-time-listing.html", want{title: "Latest stories", media: "text/html", importer: "html/2"}},
	{"html/rw-time-byline.html", want{ // under a standfirst, past a page header's clock; not the comment's
		title: "Dated by its byline", author: "Jane Doe", date: "2023-10-11", prec: notes.PrecisionDay,
		media: "text/html", importer: "html/2"}},
	// Bylines of common themes: a Hugo/Jekyll <header> outside <article>, a
	// permalink <li> in the entry meta, a wrapper flagged "with-sidebar",
	// and hAtom's "entry-date updated" (the publication date).
	{"html/rw-time-hugo.html", want{title: "Post", date: "2023-10-11", prec: notes.PrecisionDay, media: "text/html", importer: "html/2"}},
	{"html/rw-time-li-permalink.html", want{title: "Post", author: "Jane", date: "2023-10-11", prec: notes.PrecisionDay, media: "text/html", importer: "html/2"}},
	{"html/rw-time-nohtml5.html", want{title: "Post", date: "2023-10-11", prec: notes.PrecisionDay, media: "text/html", importer: "html/2"}},
	{"html/rw-time-tdnews.html", want{title: "Post", author: "Jane", date: "2023-10-11", prec: notes.PrecisionDay, media: "text/html", importer: "html/2"}},

	// Nested deeper than the tree parser's 512 elements: read flat.
	{"html/rw-unclosed-font.html", want{
		title: "Old forum thread", author: "Forum Admin", media: "text/html", importer: "html/2",
		contains: []string{"u0: post 0\nu1: post 1\n", "u519: post 519"},
		absent:   []string{"SCRIPT_SHOULD_NOT_APPEAR", "Old forum thread"},
	}},
	{"html/rw-unclosed-div.html", want{
		title: "Unclosed divs", media: "text/html", importer: "html/2",
		contains: []string{"Post 0.\n\nPost 1.\n\n", "Post 519.\n\n1. first item\n2. last item"},
		absent:   []string{"NOSCRIPT_SHOULD_NOT_APPEAR", "TEMPLATE_SHOULD_NOT_APPEAR", "color:red", "Unclosed divs"},
	}},
}

func init() { parseCases = append(parseCases, htmlCases...) }

func TestParseHTML_Text(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"headings on their own lines", "<h2>Head</h2><p>Text.</p><h3>Sub</h3><p>More.</p>", "Head\n\nText.\n\nSub\n\nMore."},
		{"line breaks", "<p>a<br>b<br><br>c</p>", "a\nb\n\nc"},
		{"unordered list", "<ul><li>x</li><li> y </li></ul>", "• x\n• y"},
		{"ordered list", "<ol><li>x</li><li>y</li></ol>", "1. x\n2. y"},
		{"empty item leaves no marker", "<ul><li></li></ul><p>After.</p>", "After."},
		{"white space collapsed", "<p>  a \n\t b&nbsp;&nbsp;c  </p>", "a b c"},
		{"inline spacing kept", "<p><b>foo</b> <i>bar</i>baz</p>", "foo barbaz"},
		{"entities decoded", "<p>&lt;tag&gt; &amp; &#x2014; &quot;q&quot; &eacute;</p>", "<tag> & — \"q\" é"},
		{"invisible characters dropped", "<p>soft\u00adhy\u200bphen</p>", "softhyphen"},
		{"pre kept as is", "<pre>  a\n    b</pre><p>c</p>", "  a\n    b\n\nc"},
		{"hidden dropped", `<p>shown</p><p hidden>H1</p><p aria-hidden="true">H2</p><p style="display: none">H3</p>`, "shown"},
		{"scripts and styles dropped", "<p>a</p><script>evil()</script><style>p{}</style><noscript>enable js</noscript>", "a"},
		{"table cells", "<table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table>", "k\tv\n1\t2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ingest.Parse("x.html", []byte("<html><head><title>T</title></head><body>"+tc.body+"</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tc.want {
				t.Errorf("Text = %q, want %q", doc.Text, tc.want)
			}
		})
	}
}

func TestParseHTML_Metadata(t *testing.T) {
	for _, tc := range []struct{ name, head, body, title, author, date string }{
		{"site name trimmed from title",
			`<title>Story of Kant | Daily Example</title><meta property="og:site_name" content="Daily Example">`, "",
			"Story of Kant", "", ""},
		{"h1 shows which side is the title",
			`<title>Daily Example - Story of Kant</title>`, "<h1>Story of Kant</h1>",
			"Story of Kant", "", ""},
		{"title kept whole when unsure",
			`<title>Kant - the base and the town</title>`, "",
			"Kant - the base and the town", "", ""},
		{"no title: first line of text", "", "<p>First line here.</p>", "First line here.", "", ""},
		{"article:author URL ignored, byline used",
			`<title>T</title><meta property="article:author" content="https://facebook.com/x"><meta name="author" content="By Jane Doe">`, "",
			"T", "Jane Doe", ""},
		{"meta date over time",
			`<title>T</title><meta name="date" content="2023-10-04">`, `<article><time datetime="2020-01-01">x</time></article>`,
			"T", "", "2023-10-04"},
		{"time in article", `<title>T</title>`, `<article><time datetime="2023-10-11T10:00:00+06:00">x</time><p>y</p></article>`,
			"T", "", "2023-10-11"},
		{"lone time", `<title>T</title>`, `<time datetime="2023-10">Oct</time><p>y</p>`, "T", "", "2023-10"},
		{"several stray times are no date", `<title>T</title>`,
			`<time datetime="2023-10-01">a</time><time datetime="2023-10-02">b</time><p>y</p>`, "T", "", ""},
		{"time in the article header", `<title>T</title>`,
			`<article><header><h1>H</h1><p>By Jane Doe</p><time datetime="2023-10-11">x</time></header><p>y</p></article>`,
			"T", "", "2023-10-11"},
		{"time in a byline below the text", `<title>T</title>`,
			`<article><p>` + strings.Repeat("Body text. ", 40) + `</p><p class="dateline">Published <time datetime="2023-10-11">x</time></p></article>`,
			"T", "", "2023-10-11"},
		{"time after the text is no date", `<title>T</title>`,
			`<article><p>` + strings.Repeat("Body text. ", 40) + `</p><p><time datetime="2023-10-11">x</time></p></article>`,
			"T", "", ""},
		{"WordPress marks an unedited post published updated", `<title>T</title>`,
			`<article><div class="entry-meta"><a href="/p" rel="bookmark"><time class="entry-date published updated" datetime="2023-10-11">x</time></a></div><p>y</p></article>`,
			"T", "", "2023-10-11"},
		{"flags on the wrapper of the article do not hide its date", `<title>T</title>`,
			`<div class="layout has-sidebar nav-open"><div class="commentary"><h1>H</h1><span>By Jane Doe</span> <time datetime="2023-10-11">x</time><p>y</p></div></div>`,
			"T", "", "2023-10-11"},
		{"updated time is no publication date", `<title>T</title>`,
			`<article><p class="meta">Updated <time class="updated" datetime="2024-01-01">x</time></p><p>y</p></article>`,
			"T", "", ""},
		{"pubdate in a comment is no date", `<title>T</title>`,
			`<article><p>y</p><ol class="comments"><li><time pubdate datetime="2025-01-02">x</time> Nice.</li></ol></article>`,
			"T", "", ""},
		{"microdata of a comment is no date nor author", `<title>T</title>`,
			`<article><p>y</p><div itemprop="comment" itemscope itemtype="https://schema.org/Comment">` +
				`<meta itemprop="author" content="Troll"><meta itemprop="datePublished" content="2025-01-02"><p>Nice.</p></div></article>`,
			"T", "", ""},
		{"citation date with slashes", `<title>T</title><meta name="citation_publication_date" content="2003/10/28">`, "",
			"T", "", "2003-10-28"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body + "<p>Some body text.</p>"
			doc, err := ingest.Parse("x.html", []byte("<html><head>"+tc.head+"</head><body>"+body+"</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tc.title || doc.Author != tc.author || doc.Published.String() != tc.date {
				t.Errorf("Title %q, Author %q, Published %q; want %q, %q, %q",
					doc.Title, doc.Author, doc.Published, tc.title, tc.author, tc.date)
			}
		})
	}
}

// TestHTMLBody_DeeplyNested checks that an e-mail whose HTML body the tree
// parser refuses (over 512 open elements) still has its text.
func TestHTMLBody_DeeplyNested(t *testing.T) {
	body := strings.Repeat("<font size=2>Comment on the lease.<br>\n", 600)
	msg := "From: a@example.org\nSubject: Forum digest\nMIME-Version: 1.0\n" +
		"Content-Type: text/html; charset=utf-8\n\n<html><body>" + body + "</body></html>"
	doc, err := ingest.Parse("digest.eml", []byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(doc.Text, "Comment on the lease."), 600; got != want {
		t.Errorf("%d comments in Text, want %d; text:\n%s", got, want, doc.Text)
	}
}

// TestParse_Concurrent runs every importer on many goroutines at once, for
// the race detector: a pipeline parses on one goroutine per CPU.
func TestParse_Concurrent(t *testing.T) {
	var files [][]byte
	var names []string
	for _, tc := range parseCases {
		files = append(files, mustRead(t, "testdata/"+tc.file))
		names = append(names, tc.file)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range files {
				j := (i + g) % len(files)
				if _, err := ingest.Parse(names[j], files[j]); err != nil {
					t.Errorf("%s: %v", names[j], err)
				}
			}
		})
	}
	wg.Wait()
}

func TestParseMarkdown_HeadingInPlainText(t *testing.T) {
	doc, err := ingest.Parse("notes.txt", []byte("## Field notes ##\n\nBody.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Field notes" || !strings.HasPrefix(doc.Text, "## Field notes ##") {
		t.Errorf("Title %q, Text %q", doc.Title, doc.Text)
	}
}
