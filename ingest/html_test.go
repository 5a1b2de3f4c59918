package ingest_test

import (
	"strings"
	"sync"
	"testing"

	"dossier/ingest"
)

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
