package ingest_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"dossier/ingest"
	"dossier/notes"
)

// want is what Parse must make of one file in testdata. Empty strings are
// checked too: a field left "" must come out "".
type want struct {
	title, author, url, source string
	date                       string // notes.Date.String(); "" when unknown
	prec                       notes.Precision
	media, importer, lang      string
	text                       string   // the whole text, when set
	contains, absent           []string // pieces of text that must be there, or not
	tags                       []string
}

var parseCases = []struct {
	file string
	want want
}{
	// Plain text in every encoding a researcher's files come in.
	{"text/utf8.txt", want{
		title: "Kant Airbase Marks Twenty Years", author: "Leila Saralaeva",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "text/plain", importer: "text/2",
		contains: []string{"The café near Бишкек was full", "signed on May 8"},
	}},
	{"text/utf8-bom.txt", want{
		title: "Title After A BOM", media: "text/plain", importer: "text/2",
		text: "Title After A BOM\n\nSecond line with CRLF.\nThird line.\n",
	}},
	{"text/utf16le.txt", want{
		title: "Заголовок по-русски", date: "2023-10-11", prec: notes.PrecisionDay,
		media: "text/plain", importer: "text/2", contains: []string{"Ёлки и ёжики."},
	}},
	{"text/utf16be.txt", want{
		title: "Big Endian Title", date: "2023-10", prec: notes.PrecisionMonth,
		media: "text/plain", importer: "text/2", contains: []string{"naïve café."},
	}},
	{"text/utf16le-nobom.txt", want{
		title: "Notepad Without BOM", media: "text/plain", importer: "text/2",
		contains: []string{"without a byte order mark."},
	}},
	{"text/latin1.txt", want{
		title: "Élections à Genève : le débat continue", author: "François Müller",
		media: "text/plain", importer: "text/2",
		contains: []string{"la Größe du problème était « énorme »", "Straße, Mädchen, naïve, garçon, œuvre."},
	}},
	{"text/cp1251.txt", want{
		title: "Российская авиабаза в Канте", author: "Иван Петров",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "text/plain", importer: "text/2",
		contains: []string{"объединённой региональной системы ПВО. Ещё в мае"},
	}},
	{"text/koi8r.txt", want{
		title: "Российская авиабаза в Канте", author: "Иван Петров",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "text/plain", importer: "text/2",
		contains: []string{"объединённой региональной системы ПВО. Ещё в мае"},
	}},
	{"text/trailer.txt", want{
		title: "A Report With A Trailer", url: "https://www.example.org/reports/kant?id=7",
		source: "example.org", media: "text/plain", importer: "text/2",
		contains: []string{"Source URL: <https://www.example.org/reports/kant?id=7>\n"},
	}},
	{"text/no-date.txt", want{ // dates and "By …" inside sentences are not metadata
		title: "Undated Piece About Kant", media: "text/plain", importer: "text/2",
	}},
	{"text/keyed-date.txt", want{ // the date as written, not the UTC date (2023-10-11)
		title: "Keyed Date Example", author: "Jane Doe", date: "2023-10-12", prec: notes.PrecisionDay,
		media: "text/plain", importer: "text/2",
	}},
	{"text/month.txt", want{
		title: "Quarterly Review", date: "2023-10", prec: notes.PrecisionMonth,
		media: "text/plain", importer: "text/2",
	}},
	{"text/cr-only.txt", want{
		title: "Old Mac Title", media: "text/plain", importer: "text/2",
		text: "Old Mac Title\n\nLine two\nLine three\n",
	}},

	// Markdown: front matter first, then the first level-one heading.
	{"markdown/frontmatter.md", want{
		title: "Kyrgyzstan Sticks Close to Russia", author: "Leila Saralaeva",
		url:    "https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia",
		source: "iwpr.net", date: "2003-10-28", prec: notes.PrecisionDay, lang: "en",
		media: "text/markdown", importer: "markdown/2",
		text: "# A heading in the body\n\nBishkek cements its traditional alliance with Moscow.\n",
		tags: []string{"clippings", "kant"},
	}},
	{"markdown/heading.md", want{
		title: "The Real Title of Kant", author: "Jane Doe", media: "text/markdown", importer: "markdown/2",
		contains: []string{"# The *Real* Title of [Kant](https://example.org)"},
	}},
	{"markdown/setext.md", want{
		title: "Setext Title", date: "2023-10-11", prec: notes.PrecisionDay,
		media: "text/markdown", importer: "markdown/2",
	}},
	{"markdown/plain.md", want{
		title: "Just a plain first line", media: "text/markdown", importer: "markdown/2",
	}},
	{"markdown/toml.md", want{
		title: "TOML Front Matter", author: "Hugo Author", date: "2023-10-04", prec: notes.PrecisionDay,
		media: "text/markdown", importer: "markdown/2", text: "Body after TOML.\n", tags: []string{"a", "b"},
	}},
	{"markdown/flow.md", want{
		title: "It's quoted", author: "Ann One, Bob, Two", url: "https://www.example.com/post",
		source: "example.com", date: "2023-10", prec: notes.PrecisionMonth,
		media: "text/markdown", importer: "markdown/2", text: "Body.\n",
	}},

	// HTML: the article, not the page around it.
	{"html/news.html", want{
		title: "Russia, Kyrgyzstan Forge Joint Air Defense System", author: "Aida Kasymova",
		url: "https://www.dailyexample.com/world/kant-air-defense", source: "dailyexample.com",
		date: "2023-10-11", prec: notes.PrecisionDay, lang: "en", media: "text/html", importer: "html/2",
		contains: []string{
			"BISHKEK — Kyrgyzstan’s parliament ratified an agreement on Wednesday for the establishment of a joint air defense system",
			"RIA Novosti. Critics & supporters alike noted the timing, a day before the visit.\n\nWhat the agreement says\n\n",
			"\n• A joint regional air defense system for the two countries.\n• An integral part of the CIS defense system.\n",
			"specific details.\nThe Russian leader",
		},
		absent: []string{"SCRIPT_SHOULD_NOT_APPEAR", "cookies", "Home", "Sport", "RELATED_LINK_ONE",
			"FOOTER_TEXT", "Share on", "&amp;", "&nbsp;", "&rsquo;", "font-family", "\n\n\n", "  "},
	}},
	{"html/cp1251.html", want{
		title: "Авиабаза Кант: двадцать лет", media: "text/html", importer: "html/2",
		contains: []string{"Российская авиабаза в Канте была открыта 23 октября 2003 года.", "«символом дружбы»"},
		absent:   []string{"Главная"},
	}},
	{"html/meta-charset-late.html", want{
		title: "Поздняя кодировка", media: "text/html", importer: "html/2",
		text: "Текст в кодировке KOI8-R после длинного скрипта.",
	}},
	{"html/nocharset-1251.html", want{
		title: "Без кодировки", media: "text/html", importer: "html/2",
		contains: []string{"сохранённая в Windows-1251. Ещё немного"},
	}},
	{"html/jsonld.html", want{ // JSON-LD wins over a stray <time>
		title: "Putin & Japarov Meet in Bishkek", author: "Ruslan Usatov, Leila Saralaeva",
		url: "https://www.example.net/news/putin-japarov", source: "example.net",
		date: "2023-10-12", prec: notes.PrecisionDay, media: "text/html", importer: "html/2",
		contains: []string{"Presidents Putin and Japarov met in Bishkek on Thursday."},
	}},
	{"html/short.html", want{
		title: "Short note", media: "text/html", importer: "html/2", text: "Only one short paragraph here.",
	}},
	{"html/article.xhtml", want{
		title: "XHTML в кодировке 1251", date: "2023-10", prec: notes.PrecisionMonth, lang: "ru",
		media: "text/html", importer: "html/2",
		contains: []string{"Ячейка 1\tЯчейка 2\nЯчейка 3\tЯчейка 4", "  code   kept\n  as is"},
	}},

	// E-mail: headers for metadata, the readable body for text.
	{"email/plain.eml", want{ // Date is 01:30 +0600: the 11th in UTC, the 12th as written
		title: "Kant airbase: notes from the ceremony", author: "Leila Saralaeva", source: "iwpr.net",
		date: "2023-10-12", prec: notes.PrecisionDay, lang: "en", media: "message/rfc822", importer: "email/2",
		text: "Hello,\n\nPutin and Akaev attended the October 23 ceremony at the base.\nRegards, Leila\n",
	}},
	{"email/qp-latin1.eml", want{
		title: "Visite à Kant", author: "Hélène Dupré", source: "lemonde.example.fr",
		date: "2023-10-02", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		contains: []string{"Chère collègue,\n\nLe président a visité la base aérienne à Kant. Voilà le compte rendu détaillé de la visite, avec des citations très précises et une longue ligne pour forcer un saut de ligne doux.\n"},
	}},
	{"email/base64-utf8.eml", want{
		title: "Привет", author: "Иван Петров", source: "example.ru",
		date: "2023-10-05", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Привет!\nЭто письмо в кодировке UTF-8, закодированное base64.\n",
	}},
	{"email/alternative.eml", want{
		title: "Alternative parts", author: "News Desk", source: "news.example.com",
		date: "2023-10-10", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "PLAIN version of the body.",
	}},
	{"email/nested-mixed.eml", want{
		title: "Report attached", author: "analyst@example.org", source: "example.org",
		date: "2023-10-13", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Please find the report attached. Café meeting at 10.",
	}},
	{"email/koi8r.eml", want{
		title: "Авиабаза Кант", author: "Сергей Иванов", source: "mail.example.kg",
		date: "2023-10-11", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Текст письма в кодировке KOI8-R.\nБаза в Канте.\n",
	}},
	{"email/html-only.eml", want{
		title: "Weekly digest", author: "Newsletter", source: "letters.example.com",
		date: "2023-10-14", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "Weekly digest\n\nFirst story: the base in Kant expands.\n\n• Item one\n• Item two",
	}},
	{"email/iso2022jp.eml", want{
		title: "カント空軍基地", author: "tanaka@example.jp", source: "example.jp",
		date: "2023-10-16", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "カントの基地についての報告です。\n",
	}},
	{"email/flowed.eml", want{
		title: "Flowed text", author: "a@example.org", source: "example.org",
		date: "2023-10-16", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "This paragraph was wrapped by the mail client and should come back as one line.\n>Not quoted, but space-stuffed.\n-- \nSignature\n",
	}},
	{"email/truncated.eml", want{
		title: "Truncated multipart", author: "cut@example.org", source: "example.org",
		date: "2023-10-16", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "The beginning of the body survives although the file was cut in the mid",
	}},
	{"email/forwarded.eml", want{
		title: "Fwd: original", author: "fwd@example.org", source: "example.org",
		date: "2023-10-16", prec: notes.PrecisionDay, media: "message/rfc822", importer: "email/2",
		text: "See below.\n\nFrom: orig@example.com\nSubject: original\n\nFORWARDED_BODY here.",
	}},

	// Files without a known extension are sniffed.
	{"sniff/message", want{
		title: "Kant airbase: notes from the ceremony", author: "Leila Saralaeva", source: "iwpr.net",
		date: "2023-10-12", prec: notes.PrecisionDay, lang: "en", media: "message/rfc822", importer: "email/2",
	}},
	{"sniff/page", want{
		title: "Sniffed Page", media: "text/html", importer: "html/2", text: "An HTML file without an extension.",
	}},
	{"sniff/notes.xyz", want{title: "Notes With Odd Extension", media: "text/plain", importer: "text/2"}},
	{"sniff/README", want{title: "Readme Without Extension", media: "text/plain", importer: "text/2"}},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.file, func(t *testing.T) {
			data := mustRead(t, filepath.Join("testdata", tc.file))
			doc, err := ingest.Parse(tc.file, data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkInvariants(t, tc.file, data, doc)
			w := tc.want
			for _, f := range []struct{ name, got, want string }{
				{"Title", doc.Title, w.title},
				{"Author", doc.Author, w.author},
				{"URL", doc.URL, w.url},
				{"Source", doc.Source, w.source},
				{"Published", doc.Published.String(), w.date},
				{"Precision", doc.Published.Precision.String(), w.prec.String()},
				{"MediaType", doc.MediaType, w.media},
				{"Importer", doc.Importer, w.importer},
				{"Language", doc.Language, w.lang},
			} {
				if f.got != f.want {
					t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
				}
			}
			if w.text != "" && doc.Text != w.text {
				t.Errorf("Text = %q, want %q", doc.Text, w.text)
			}
			for _, s := range w.contains {
				if !strings.Contains(doc.Text, s) {
					t.Errorf("Text lacks %q; text:\n%s", s, doc.Text)
				}
			}
			for _, s := range w.absent {
				if strings.Contains(doc.Text, s) {
					t.Errorf("Text has %q; text:\n%s", s, doc.Text)
				}
			}
			if w.tags != nil && !slices.Equal(doc.Tags, w.tags) {
				t.Errorf("Tags = %q, want %q", doc.Tags, w.tags)
			}
		})
	}
}

// checkInvariants asserts what holds for every parsed document.
func checkInvariants(tb testing.TB, name string, data []byte, doc *notes.Document) {
	tb.Helper()
	sum := sha256.Sum256(data)
	if got, want := doc.SHA256, hex.EncodeToString(sum[:]); got != want {
		tb.Errorf("SHA256 = %s, want %s", got, want)
	}
	if got, want := doc.Size, int64(len(data)); got != want {
		tb.Errorf("Size = %d, want %d", got, want)
	}
	if got, want := doc.OriginalName, filepath.Base(name); got != want {
		tb.Errorf("OriginalName = %q, want %q", got, want)
	}
	if doc.ID != "" || !doc.ImportedAt.IsZero() {
		tb.Errorf("ID %q and ImportedAt %v must be left to the store", doc.ID, doc.ImportedAt)
	}
	for _, s := range []string{doc.Title, doc.Author, doc.Source, doc.URL, doc.Text} {
		if !utf8.ValidString(s) {
			tb.Errorf("invalid UTF-8 in %q", s)
		}
		if strings.ContainsRune(s, utf8.RuneError) {
			tb.Errorf("U+FFFD in %q: the charset was guessed wrong", s)
		}
	}
	if strings.ContainsAny(doc.Text, "\r\ufeff") {
		tb.Errorf("Text keeps a CR or BOM: %q", doc.Text)
	}
	if doc.Title == "" {
		tb.Errorf("Title is empty")
	}
}

func TestParse_Errors(t *testing.T) {
	for _, tc := range []struct{ file, msg string }{
		{"broken/empty.txt", "empty file"},
		{"broken/blank.txt", "file has no text (only blank space)"},
		{"broken/blank.md", "file has no text (only blank space)"},
		{"broken/blank.html", "web page has no readable text"},
		{"broken/binary.txt", "binary file, not text (found NUL bytes)"},
		{"broken/controls.txt", "binary file, not text (found too many control characters)"},
		{"broken/garbage.xyz", "unsupported file type .xyz"},
		{"broken/report.pdf", "broken PDF: its structure cannot be read (damaged or not really a PDF)"},
		{"broken/noext", "broken PDF: its structure cannot be read (damaged or not really a PDF)"}, // sniffed as PDF
		{"broken/old.doc", "unsupported file type .doc"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			doc, err := ingest.Parse(tc.file, mustRead(t, filepath.Join("testdata", tc.file)))
			if err == nil {
				t.Fatalf("Parse = %+v, want error %q", doc, tc.msg)
			}
			var e *notes.Error
			if !errors.As(err, &e) || e.Kind != notes.EINVALID {
				t.Fatalf("error %#v is not a *notes.Error of kind EINVALID", err)
			}
			if got := err.Error(); got != tc.msg {
				t.Errorf("error = %q, want %q", got, tc.msg)
			}
		})
	}
}

func TestParse_TooLarge(t *testing.T) {
	// The zero pages of a large make are never touched: Parse checks the
	// length first, so this costs no memory.
	_, err := ingest.Parse("huge.txt", make([]byte, ingest.MaxFileSize+1))
	if got, want := err.Error(), "file is 256 MB; Dossier imports files up to 256 MB"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
	if got, want := ingest.CheckSize(2254857830).Error(), "file is 2.1 GB; Dossier imports files up to 256 MB"; got != want {
		t.Errorf("CheckSize = %q, want %q", got, want)
	}
	if err := ingest.CheckSize(ingest.MaxFileSize); err != nil {
		t.Errorf("CheckSize(MaxFileSize) = %v, want nil", err)
	}
}

func TestParse_TextTooLarge(t *testing.T) {
	line := []byte("the lease of the air base was extended by fifteen years\n")
	fits := bytes.Repeat(line, ingest.MaxTextSize/len(line))
	if _, err := ingest.Parse("log.txt", fits); err != nil {
		t.Fatalf("a text just under the limit: %v", err)
	}
	_, err := ingest.Parse("log.txt", append(fits, bytes.Repeat(line, 2)...))
	if got, want := fmt.Sprint(err), "its text is 32.0 MB; Dossier takes documents of up to 32 MB of text: split the file"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestParse_TitleFallsBackToFileName(t *testing.T) {
	doc, err := ingest.Parse("dir/report-2023.eml", []byte("From: a@example.org\r\nDate: Mon, 2 Oct 2023 10:00:00 +0000\r\n\r\nNo subject here.\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := doc.Title, "report-2023"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
}

func TestParse_LongFirstLineTitleIsCut(t *testing.T) {
	line := strings.Repeat("word ", 100)
	doc, err := ingest.Parse("long.txt", []byte(line+"\n\nbody"))
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(doc.Title); n > 201 || !strings.HasSuffix(doc.Title, "word…") {
		t.Errorf("Title = %q (%d runes), want at most ~200 runes cut at a word", doc.Title, n)
	}
	if doc.Text != line+"\n\nbody" {
		t.Errorf("Text changed: %q", doc.Text)
	}
}

func TestParseFile(t *testing.T) {
	doc, data, err := ingest.ParseFile("testdata/text/utf8.txt")
	if err != nil {
		t.Fatal(err)
	}
	if doc.OriginalName != "utf8.txt" || len(data) != int(doc.Size) {
		t.Errorf("OriginalName %q, %d bytes for Size %d", doc.OriginalName, len(data), doc.Size)
	}
	_, _, err = ingest.ParseFile("testdata/nope.txt")
	if notes.ErrorKind(err) != notes.ENOTFOUND {
		t.Errorf("missing file: error %v of kind %s, want not_found", err, notes.ErrorKind(err))
	}
	_, _, err = ingest.ParseFile("testdata")
	if err == nil || err.Error() != "not a regular file" {
		t.Errorf("folder: error %v, want not a regular file", err)
	}
}

func TestSupported(t *testing.T) {
	for _, tc := range []struct {
		name string
		head string
		want bool
	}{
		{"a.txt", "", true},
		{"a.TXT", "\x00\x01", true}, // by extension; Parse will say why not
		{"a.md", "", true},
		{"a.markdown", "", true},
		{"a.html", "", true},
		{"a.htm", "", true},
		{"a.xhtml", "", true},
		{"a.eml", "", true},
		{"a.pdf", "plain looking text", true}, // by extension; Parse will say why not
		{"a.docx", "", true},
		{"a.odt", "", true},
		{"a.epub", "", true},
		{"a.rtf", "", true},
		{"letter", `{\rtf1\ansi`, true},
		{"a.doc", "", false},
		{"a.png", "", false},
		{"notes.log", "2023-10-11 started\n", true},
		{"README", "Read me\n", true},
		{"page", "<!doctype html><html>", true},
		{"msg", "From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\n\r\n", true},
		{"blob.xyz", "\x00\x01\x02\x03binary", false},
		{"doc", "%PDF-1.7\n", true},
		{"empty", "", false},
	} {
		if got := ingest.Supported(tc.name, []byte(tc.head)); got != tc.want {
			t.Errorf("Supported(%q, %q) = %v, want %v", tc.name, tc.head, got, tc.want)
		}
	}
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// TestParse_MetadataDoesNotHoldTheText: a title taken from a text's first
// line must not share the text's memory, or every title an import keeps
// (its report, lists) keeps a whole document's text alive with it.
func TestParse_MetadataDoesNotHoldTheText(t *testing.T) {
	body := "Kant airbase report\n\n" + strings.Repeat("The runway was lengthened. ", 200)
	for _, name := range []string{"report.txt", "report.md"} {
		doc, err := ingest.Parse(name, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "Kant airbase report" {
			t.Fatalf("%s: Title = %q", name, doc.Title)
		}
		text := uintptr(unsafe.Pointer(unsafe.StringData(doc.Text)))
		title := uintptr(unsafe.Pointer(unsafe.StringData(doc.Title)))
		if title >= text && title < text+uintptr(len(doc.Text)) {
			t.Errorf("%s: the title points into the %d-byte text", name, len(doc.Text))
		}
	}
}
