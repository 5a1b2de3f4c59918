package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// mustFixture writes a small source tree in the layout of
// bench/fetch-corpus.sh's output, with every source the corpus reads.
func mustFixture(tb testing.TB) string {
	tb.Helper()
	root := tb.TempDir()
	write := func(rel string, b []byte) {
		tb.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	dictd := func(name string, words []string) {
		var dict, idx bytes.Buffer
		dict.WriteString("00-database-url\n   https://example.invalid/\n\n")
		fmt.Fprintf(&idx, "00-database-url\t%s\t%s\n", enc(0), enc(dict.Len()))
		for i, w := range words {
			off := dict.Len()
			fmt.Fprintf(&dict, "%s \\%s\\, n.\n   The %s of article %d, which explains the word at some length\n   so that it reads like a definition.\n   [1913 Webster]\n\n", w, w, w, i)
			fmt.Fprintf(&idx, "%s\t%s\t%s\n", w, enc(off), enc(dict.Len()-off))
		}
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(dict.Bytes())
		zw.Close()
		write("usr/share/dictd/"+name+".dict.dz", z.Bytes())
		write("usr/share/dictd/"+name+".index", idx.Bytes())
	}
	var words []string
	for i := range 60 {
		words = append(words, fmt.Sprintf("Word%02d", i))
	}
	dictd("gcide", words)
	dictd("foldoc", words[:20])

	sentences := map[string]string{
		"en":    "The quick brown fox jumps over the lazy dog.",
		"de":    "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.",
		"ru":    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
		"es":    "El veloz murciélago hindú comía feliz cardillo y kiwi.",
		"it":    "Ma la volpe col suo balzo ha raggiunto il quieto Fido.",
		"pl":    "Pchnąć w tę łódź jeża lub ośm skrzyń fig.",
		"cs":    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
		"fr":    "Portez ce vieux whisky au juge blond qui fume.",
		"uk":    "Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів!",
		"pt_BR": "Jane quer LP, fax, CD, giz, TV e bichos de pelúcia.",
	}
	for _, l := range []struct{ lang, dir string }{{"en", ""}, {"de", "de"}, {"ru", "ru"}, {"es", "es"}, {"it", "it"}, {"pl", "pl"}, {"cs", "cs"}} {
		var b strings.Builder
		for i := range 12 {
			fmt.Fprintf(&b, "%s (%d)\n%s\n\t\t-- Author %d\n%%\n", sentences[l.lang], i, sentences[l.lang], i)
		}
		write(filepath.Join("usr/share/games/fortunes", l.dir, "quotes"), []byte(b.String()))
		write(filepath.Join("usr/share/games/fortunes", l.dir, "quotes.dat"), []byte{0, 1, 2, 0xff})
		write(filepath.Join("usr/share/games/fortunes", l.dir, "latin1"), []byte("caf\xe9\n%\n"))
	}
	for _, lang := range []string{"en", "de", "fr", "it", "es", "ru", "uk", "pl", "pt_BR"} {
		var b strings.Builder
		for i := range 15 {
			fmt.Fprintf(&b, "Package: pkg%02d\nDescription-md5: %032x\nDescription-%s: %s\n %s\n .\n %s\n\n",
				i, i, lang, sentences[lang], sentences[lang], sentences[lang])
		}
		write("i18n/Translation-"+lang, []byte(b.String()))
	}
	return root
}

func enc(n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if n == 0 {
		return "A"
	}
	var s []byte
	for ; n > 0; n /= 64 {
		s = append([]byte{digits[n%64]}, s...)
	}
	return string(s)
}

func TestDictdNum(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 4095, 4096, 123456789} {
		if got, ok := dictdNum(enc(n)); !ok || got != n {
			t.Errorf("dictdNum(%q)=%d,%v, want %d", enc(n), got, ok, n)
		}
	}
	if _, ok := dictdNum("a-b"); ok {
		t.Error("dictdNum accepted a bad digit")
	}
}

func TestBuildFrom_Deterministic(t *testing.T) {
	src := mustFixture(t)
	ctx := context.Background()
	a, err := BuildFrom(ctx, src, t.TempDir(), 50)
	if err != nil {
		t.Fatal(err)
	}
	b, err := BuildFrom(ctx, src, t.TempDir(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		ba, _ := os.ReadFile(a[i].Path)
		bb, _ := os.ReadFile(b[i].Path)
		if !bytes.Equal(ba, bb) {
			t.Fatalf("message %d differs between two builds:\n%s\n----\n%s", i, ba, bb)
		}
		if a[i].Title != b[i].Title || a[i].TextBytes != b[i].TextBytes {
			t.Fatalf("message %d: list differs: %+v vs %+v", i, a[i], b[i])
		}
	}
}

func TestBuildFrom_NRespected(t *testing.T) {
	src := mustFixture(t)
	out := t.TempDir()
	ctx := context.Background()
	for _, n := range []int{7, 30, 12} {
		docs, err := BuildFrom(ctx, src, out, n)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(docs); got != n {
			t.Fatalf("n=%d: got %d messages", n, got)
		}
	}
	// The cache holds 30 (the largest asked); a smaller n is a prefix of it.
	files, _ := filepath.Glob(filepath.Join(out, "docs", "*", "*.eml"))
	if got, want := len(files), 30; got != want {
		t.Errorf("%d files on disk, want %d", got, want)
	}
	if _, err := BuildFrom(ctx, filepath.Join(src, "missing"), out, 5); err == nil {
		t.Error("no error for a missing source tree")
	}
}

func TestBuildFrom_ValidMessages(t *testing.T) {
	src := mustFixture(t)
	docs, err := BuildFrom(context.Background(), src, t.TempDir(), 50)
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]bool{}
	sourcesSeen := map[string]bool{}
	var dec mime.WordDecoder
	for _, d := range docs {
		b, err := os.ReadFile(d.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			t.Fatalf("%s is not valid UTF-8", d.Path)
		}
		if len(b) != d.FileBytes {
			t.Errorf("%s: FileBytes=%d, file has %d", d.Path, d.FileBytes, len(b))
		}
		m, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", d.Path, err)
		}
		subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
		if err != nil || subj != d.Title {
			t.Errorf("%s: Subject %q decodes to %q (%v), want %q", d.Path, m.Header.Get("Subject"), subj, err, d.Title)
		}
		if _, err := m.Header.Date(); err != nil {
			t.Errorf("%s: Date: %v", d.Path, err)
		}
		body, _ := io.ReadAll(m.Body)
		if got := Body(b); got+"\n" != string(body) {
			t.Errorf("%s: Body()=%q, want %q", d.Path, got, body)
		}
		if got, want := d.TextBytes, len(d.Title)+len(Body(b)); got != want {
			t.Errorf("%s: TextBytes=%d, want %d", d.Path, got, want)
		}
		if strings.Contains(string(b), "1913 Webster") || strings.Contains(string(b), "00-database") || strings.Contains(string(b), "café") {
			t.Errorf("%s: holds text the readers should drop:\n%s", d.Path, b)
		}
		langs[m.Header.Get("Content-Language")] = true
		sourcesSeen[d.Source] = true
	}
	for _, l := range []string{"en", "de", "ru", "fr", "uk", "pt-BR"} {
		if !langs[l] {
			t.Errorf("no message in %s among the first %d", l, len(docs))
		}
	}
	if got, want := len(sourcesSeen), len(sources()); got != want {
		t.Errorf("%d sources among the first %d messages, want all %d", got, len(docs), want)
	}
}

var real = flag.Bool("real", false, "also check the real corpus sources (bench/fetch-corpus.sh); slow under -race")

// TestRealSources checks that the real sources, once bench/fetch-corpus.sh
// has fetched them, make the 100,000 messages the benchmark needs:
// go test ./bench/corpus -real.
func TestRealSources(t *testing.T) {
	if !*real {
		t.Skip("run with -real to check the fetched corpus sources")
	}
	src := filepath.Join(DefaultDir(), "src")
	if _, err := os.Stat(filepath.Join(src, ".complete")); err != nil {
		t.Fatal("corpus sources not fetched: run bench/fetch-corpus.sh")
	}
	pool, err := makePool(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(pool.msgs) < 100_000 {
		t.Errorf("the sources make %d messages, want at least 100,000", len(pool.msgs))
	}
}
