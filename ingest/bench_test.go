package ingest_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"testing"

	"dossier/ingest"
	"dossier/seeds"
)

// BenchmarkParse measures each importer on a typical file; MB/s comes from
// SetBytes and docs/s is what an import of 100,000 files cares about.
func BenchmarkParse(b *testing.B) {
	seed, err := fs.ReadFile(seeds.FS, "002_5937e69cfba3e3de.txt")
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"txt-4KB.txt", seed},
		{"txt-cp1251.txt", mustRead(b, "testdata/text/cp1251.txt")},
		{"md-frontmatter.md", mustRead(b, "testdata/markdown/frontmatter.md")},
		{"html-news-2KB.html", mustRead(b, "testdata/html/news.html")},
		{"html-article-60KB.html", bigPage(b, 60<<10)},
		{"eml-plain.eml", mustRead(b, "testdata/email/plain.eml")},
		{"eml-nested-mixed.eml", mustRead(b, "testdata/email/nested-mixed.eml")},
		{"rtf-word.rtf", mustRead(b, "testdata/rtf/word.rtf")},
		{"rtf-1MB.rtf", bigRTF(b, 1<<20)},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if _, err := ingest.Parse(tc.name, tc.data); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// bigPage builds a news page of about size bytes: the test page's
// furniture around an article of many paragraphs.
func bigPage(tb testing.TB, size int) []byte {
	tb.Helper()
	page := mustRead(tb, "testdata/html/news.html")
	i := bytes.Index(page, []byte("<h2>"))
	var article bytes.Buffer
	for n := 0; article.Len() < size-len(page); n++ {
		fmt.Fprintf(&article, "<p>Paragraph %d. Kyrgyzstan&rsquo;s parliament ratified an agreement for the establishment of a joint "+
			"air defense system with Russia, aimed at <a href=\"/x\">bolstering</a> regional security efforts; the accord "+
			"is set to remain valid for five years, according to <em>RIA Novosti</em>.</p>\n", n)
		if n%8 == 7 {
			fmt.Fprintf(&article, "<h2>Section %d</h2>\n<ul><li>One point</li><li>Another point</li></ul>\n", n/8)
		}
	}
	return append(append(page[:i:i], article.Bytes()...), page[i:]...)
}
