package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"

	"dossier/ingest"
	"dossier/notes"
)

// pdfPage is one page a test PDF holds: lines of text in one font, or two
// columns of lines side by side.
type pdfPage struct {
	font          string // "Helvetica", "Times", "Courier" or "Go" (Unicode)
	lines         []string
	left, right   []string   // two columns, written left column first
	rows          [][]string // a table after the lines: cells 55 mm apart
	image, noText bool       // a page that is one picture and nothing else
}

type pdfOpts struct {
	title, author string
	created       time.Time
	xmp           string // an uncompressed XMP packet
	noDate        bool   // spoil the CreationDate fpdf always writes
	protect       bool   // encrypt, with password needed to open (may be "")
	password      string
}

// makePDF writes a PDF with the go-pdf/fpdf library, the way a report
// generator would.
func makePDF(tb testing.TB, o pdfOpts, pages ...pdfPage) []byte {
	tb.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes("Go", "", goregular.TTF)
	if o.title != "" {
		f.SetTitle(o.title, true)
	}
	if o.author != "" {
		f.SetAuthor(o.author, true)
	}
	f.SetCreationDate(o.created)
	if o.xmp != "" {
		f.SetCompression(false)
		f.SetXmpMetadata([]byte(o.xmp))
	}
	if o.protect {
		f.SetProtection(fpdf.CnProtectPrint, o.password, "owner")
	}
	for _, p := range pages {
		f.AddPage()
		font := p.font
		if font == "" {
			font = "Helvetica"
		}
		f.SetFont(font, "", 12)
		if p.image {
			var buf bytes.Buffer
			img := image.NewGray(image.Rect(0, 0, 64, 64))
			for i := range img.Pix {
				img.Pix[i] = uint8(i * 7)
			}
			img.Set(3, 3, color.White)
			if err := png.Encode(&buf, img); err != nil {
				tb.Fatal(err)
			}
			name := "scan" + time.Now().Format("150405.000000000")
			f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
			f.ImageOptions(name, 10, 10, 180, 250, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			continue
		}
		y := 20.0
		for _, l := range p.lines {
			f.Text(20, y, l)
			y += 8
		}
		for i, l := range p.left {
			f.Text(20, 20+float64(i)*8, l)
		}
		for i, l := range p.right {
			f.Text(110, 20+float64(i)*8, l)
		}
		for _, r := range p.rows {
			for c, cell := range r {
				f.Text(20+55*float64(c), y, cell)
			}
			y += 8
		}
		if len(p.rows) > 0 {
			f.Text(20, y+8, "After the table, the text goes on with a paragraph long enough to")
			f.Text(20, y+16, "be joined with its second line.")
		}
	}
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		tb.Fatalf("writing the PDF: %v", err)
	}
	b := out.Bytes()
	if o.noDate {
		// Same length, so the cross-reference table stays right.
		b = bytes.Replace(b, []byte("/CreationDate (D:"), []byte("/CreationDate (x:"), 1)
	}
	return b
}

func mustParse(tb testing.TB, name string, data []byte) *notes.Document {
	tb.Helper()
	doc, err := ingest.Parse(name, data)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return doc
}

// pageOf returns the page Dossier says the first occurrence of s is on.
func pageOf(tb testing.TB, doc *notes.Document, s string) int {
	tb.Helper()
	i := strings.Index(doc.Text, s)
	if i < 0 {
		tb.Fatalf("text lacks %q:\n%s", s, doc.Text)
	}
	return notes.PageAt(doc.Pages, notes.RuneOffset(doc.Text, i))
}

func TestParsePDF_TextOnKnownPages(t *testing.T) {
	created := time.Date(2023, time.October, 11, 9, 30, 0, 0, time.UTC)
	data := makePDF(t, pdfOpts{title: "Kant Airbase Report", author: "Leila Saralaeva", created: created},
		pdfPage{font: "Helvetica", lines: []string{"Alpha page one opens the report.", "Second line of page one."}},
		pdfPage{font: "Times", lines: []string{"Bravo page two in Times."}},
		pdfPage{font: "Courier", lines: []string{"Charlie page three in Courier."}},
		pdfPage{font: "Go", lines: []string{"Кант — авиабаза, «тест».", "Ελληνικά και naïve café “quoted”."}},
	)
	doc := mustParse(t, "report.pdf", data)

	if got, want := doc.Title, "Kant Airbase Report"; got != want {
		t.Errorf("Title=%q, want %q", got, want)
	}
	if got, want := doc.Author, "Leila Saralaeva"; got != want {
		t.Errorf("Author=%q, want %q", got, want)
	}
	if got, want := doc.Published, notes.DayDate(2023, time.October, 11); got != want {
		t.Errorf("Published=%v, want %v", got, want)
	}
	if doc.MediaType != ingest.MediaPDF || doc.Importer != ingest.ImporterPDF {
		t.Errorf("MediaType, Importer = %q, %q", doc.MediaType, doc.Importer)
	}
	if len(doc.Pages) != 4 || doc.Pages[0] != 0 {
		t.Fatalf("Pages=%v, want 4 starting at 0", doc.Pages)
	}
	for _, tc := range []struct {
		text string
		page int
	}{
		{"Alpha page one opens the report.", 1},
		{"Second line of page one.", 1},
		{"Bravo page two in Times.", 2},
		{"Charlie page three in Courier.", 3},
		{"Кант — авиабаза, «тест».", 4},
		{"Ελληνικά και naïve café “quoted”.", 4},
	} {
		if got := pageOf(t, doc, tc.text); got != tc.page {
			t.Errorf("%q is on page %d, want %d", tc.text, got, tc.page)
		}
	}
	// Each page starts exactly where its text does, in code points.
	runes := []rune(doc.Text)
	for i, want := range []string{"Alpha", "Bravo", "Charlie", "Кант"} {
		if got := string(runes[doc.Pages[i]:min(len(runes), doc.Pages[i]+len([]rune(want)))]); got != want {
			t.Errorf("page %d starts with %q, want %q", i+1, got, want)
		}
	}
	if strings.Contains(doc.Text, "\r") {
		t.Errorf("text keeps CRs: %q", doc.Text)
	}
	checkPagesMapBack(t, doc)
}

func TestParsePDF_TwoColumnsReadInOrder(t *testing.T) {
	data := makePDF(t, pdfOpts{noDate: true},
		pdfPage{left: []string{"Left one.", "Left two.", "Left three."},
			right: []string{"Right one.", "Right two.", "Right three."}},
		pdfPage{lines: []string{"After the columns."}},
	)
	doc := mustParse(t, "columns.pdf", data)
	order := []string{"Left one.", "Left two.", "Left three.", "Right one.", "Right two.", "Right three.", "After the columns."}
	last := -1
	for _, s := range order {
		i := strings.Index(doc.Text, s)
		if i <= last {
			t.Fatalf("%q at %d, not after the previous line (%d):\n%s", s, i, last, doc.Text)
		}
		last = i
	}
	if got := pageOf(t, doc, "Right three."); got != 1 {
		t.Errorf("right column on page %d, want 1", got)
	}
	if got := pageOf(t, doc, "After the columns."); got != 2 {
		t.Errorf("last line on page %d, want 2", got)
	}
	// Without metadata the title is the file's name, as for every format,
	// and a date that cannot be read is unknown rather than guessed.
	if doc.Title != "columns" || doc.Author != "" || doc.Published.Known() {
		t.Errorf("Title, Author, Published = %q, %q, %v; want the file name and nothing else", doc.Title, doc.Author, doc.Published)
	}
}

func TestParsePDF_EmptyAndScannedPagesKeepNumbering(t *testing.T) {
	data := makePDF(t, pdfOpts{},
		pdfPage{lines: []string{"First."}},
		pdfPage{image: true},
		pdfPage{lines: []string{"Third."}},
	)
	doc := mustParse(t, "mixed.pdf", data)
	if len(doc.Pages) != 3 {
		t.Fatalf("Pages=%v, want 3", doc.Pages)
	}
	if got := pageOf(t, doc, "Third."); got != 3 {
		t.Fatalf("Third. is on page %d, want 3", got)
	}
}

func TestParsePDF_XMPFillsWhatInfoLacks(t *testing.T) {
	const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Засуха в Чуйской долине</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>Anna Example</rdf:li><rdf:li>Bakyt Example</rdf:li></rdf:Seq></dc:creator>
<xmp:CreateDate>2021-05</xmp:CreateDate>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`
	data := makePDF(t, pdfOpts{xmp: xmp}, pdfPage{lines: []string{"Body text."}})
	doc := mustParse(t, "drought.pdf", data)
	if got, want := doc.Title, "Засуха в Чуйской долине"; got != want {
		t.Errorf("Title=%q, want %q", got, want)
	}
	if got, want := doc.Author, "Anna Example, Bakyt Example"; got != want {
		t.Errorf("Author=%q, want %q", got, want)
	}
	// fpdf always writes a CreationDate; the information dictionary wins.
	if !doc.Published.Known() {
		t.Errorf("Published unknown")
	}
}

func TestParsePDF_Refused(t *testing.T) {
	good := makePDF(t, pdfOpts{}, pdfPage{lines: []string{"Some text."}})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"encrypted", makePDF(t, pdfOpts{protect: true, password: "secret"}, pdfPage{lines: []string{"Hidden."}}), "encrypted PDF"},
		{"image only", makePDF(t, pdfOpts{}, pdfPage{image: true}, pdfPage{image: true}), "no text layer: scanned pages need OCR"},
		{"truncated", good[:len(good)/3], "broken PDF"},
		{"garbage after header", append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("\x00garbage\xff"), 50)...), "broken PDF"},
		{"not a PDF", []byte("hello, this is plain text"), "broken PDF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ingest.Parse("x.pdf", tc.data)
			var e *notes.Error
			if doc != nil || !errors.As(err, &e) || e.Kind != notes.EINVALID {
				t.Fatalf("Parse = %v, %v; want an EINVALID error", doc, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestParsePDF_EncryptedWithEmptyUserPasswordOpens(t *testing.T) {
	// Owner-only protection (no password to open) is common on reports
	// and must not stop an import.
	data := makePDF(t, pdfOpts{protect: true}, pdfPage{lines: []string{"Readable."}})
	doc := mustParse(t, "open.pdf", data)
	if !strings.Contains(doc.Text, "Readable.") {
		t.Fatalf("text=%q", doc.Text)
	}
}

// TestParsePDF_RealFiles reads PDFs made by other tools (see
// testdata/README.md for where each comes from).
func TestParsePDF_RealFiles(t *testing.T) {
	for _, tc := range []struct {
		file                string
		title, author, date string
		pages               int
		onPage              map[string]int
		inOrder             []string
	}{
		{
			file: "pdf/ghostscript.pdf", title: "Dossier Ghostscript Sample", author: "Dossier Tests",
			date: "2019-07-04", pages: 3,
			onPage: map[string]int{
				"Ghostscript page one": 1, "Right column sentence two.": 1,
				"operational since 2017": 2, "Courier line on page two.": 2,
				"Page three, italic, the last page.": 3,
			},
			inOrder: []string{"Left column sentence one.", "Left column sentence two.",
				"Right column sentence one.", "Right column sentence two."},
		},
		{
			file: "pdf/fontconfig-user.pdf", title: "fontconfig-user", date: "2022-10-21", pages: 15,
			onPage: map[string]int{
				"fonts.conf — Font configuration files":         1,
				"MATCH 1 Brief information about font matching": 4,
				// Hyphenated across a line end in the PDF: joined whole.
				"font configuration, customization and application": 1,
				// Lines of a paragraph joined, headings kept apart.
				"configuration module which builds an internal configuration": 1,
				"Font Configuration\nThe configuration module consists":       1,
				"matching font.\nFont Configuration":                          1,
				// Table rows stay rows.
				"family String Font family names\nfamilylang String": 1,
			},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			doc := mustParse(t, tc.file, mustRead(t, "testdata/"+tc.file))
			if doc.Title != tc.title || doc.Author != tc.author || doc.Published.String() != tc.date {
				t.Errorf("Title, Author, Published = %q, %q, %q; want %q, %q, %q",
					doc.Title, doc.Author, doc.Published, tc.title, tc.author, tc.date)
			}
			if len(doc.Pages) != tc.pages {
				t.Fatalf("%d pages, want %d", len(doc.Pages), tc.pages)
			}
			for s, want := range tc.onPage {
				if got := pageOf(t, doc, s); got != want {
					t.Errorf("%q on page %d, want %d", s, got, want)
				}
			}
			last := -1
			for _, s := range tc.inOrder {
				i := strings.Index(doc.Text, s)
				if i <= last {
					t.Errorf("%q out of reading order", s)
				}
				last = i
			}
			checkPagesMapBack(t, doc)
		})
	}
}

// checkPagesMapBack checks that page starts rise, lie in the text, and
// that every code point maps to the page whose span holds it.
func checkPagesMapBack(t *testing.T, doc *notes.Document) {
	t.Helper()
	n := len([]rune(doc.Text))
	for i, start := range doc.Pages {
		if start < 0 || start > n || (i > 0 && start < doc.Pages[i-1]) || (i == 0 && start != 0) {
			t.Fatalf("page starts %v do not rise within the text of %d code points", doc.Pages, n)
		}
	}
	for off := 0; off < n; off++ {
		p := notes.PageAt(doc.Pages, off)
		end := n
		if p < len(doc.Pages) {
			end = doc.Pages[p]
		}
		if off < doc.Pages[p-1] || off >= end {
			t.Fatalf("offset %d maps to page %d, which spans [%d, %d)", off, p, doc.Pages[p-1], end)
		}
	}
}

func TestParsePDF_CancelledContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc, err := ingest.ParseContext(ctx, "book.pdf", makePDF(t, pdfOpts{}, bookPages(3)...))
	if doc != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("ParseContext after cancel = %v, %v; want context.Canceled", doc, err)
	}
}

// A PDF sets text line by line; the reader wants paragraphs. Lines of one
// paragraph join with a space, and headings, list items, short table-like
// lines and page boundaries keep their breaks.
// PDFium writes a single space for a gap between table columns; they
// become tabs, rows keep their line breaks and the paragraph after the
// table stays its own, while justified prose with wide spaces (the TeX
// manual) is left alone.
func TestParsePDF_TableRowsKeepTheirCells(t *testing.T) {
	data := makePDF(t, pdfOpts{}, pdfPage{font: "Go", lines: []string{
		"The ministry of defence published this table of the bases in the region",
		"and who holds them now, with the year each of them opened or changed:",
	}, rows: [][]string{
		{"Kant airbase near Bishkek", "Russian Air Force", "opened in 2003"},
		{"Manas transit centre", "United States Air Force", "closed in 2014"},
		{"Ayni near Dushanbe", "Indian Air Force", "renovated in 2007"},
	}})
	doc := mustParse(t, "table.pdf", data)
	want := "with the year each of them opened or changed:\n" +
		"Kant airbase near Bishkek\tRussian Air Force\topened in 2003\n" +
		"Manas transit centre\tUnited States Air Force\tclosed in 2014\n" +
		"Ayni near Dushanbe\tIndian Air Force\trenovated in 2007\n" +
		"After the table, the text goes on with a paragraph long enough to be joined with its second line."
	if !strings.Contains(doc.Text, want) {
		t.Errorf("text lacks\n%q\nin\n%q", want, doc.Text)
	}
	checkPagesMapBack(t, doc)
	for _, f := range []string{"fontconfig-user.pdf", "ghostscript.pdf"} {
		doc := mustParse(t, f, mustRead(t, filepath.Join("testdata", "pdf", f)))
		if n := strings.Count(doc.Text, "\t"); n != 0 {
			t.Errorf("%s: %d tabs in prose and two columns", f, n)
		}
	}
}

func TestParsePDF_ReflowsLinesIntoParagraphs(t *testing.T) {
	data := makePDF(t, pdfOpts{},
		pdfPage{font: "Go", lines: []string{
			"Findings",
			"The airbase at Kant was handed to the Russian air force in",
			"2003 under a bilateral agreement signed the previous year and",
			"has been operational since then, according to the ministry.",
			"Local officials dispute the date of the handover ceremony and",
			"point to photographs taken in the autumn of the same year.",
			"• first bullet point in a list of items",
			"• second bullet point in the same list",
			"1. a numbered item that is long enough to be joined",
			"2. another numbered item of the same list here",
		}},
		pdfPage{lines: []string{
			"The second page opens with a line long enough to run on",
			"into this one, and ends here.",
			"A hyphenated compound at the end of a line reads as self-",
			"contained once the lines are joined into one paragraph.",
		}},
	)
	doc := mustParse(t, "reflow.pdf", data)
	for _, want := range []string{
		"Findings\nThe airbase at Kant was handed to the Russian air force in 2003 under a bilateral agreement signed the previous year and has been operational since then, according to the ministry.\nLocal officials",
		"ceremony and point to photographs taken in the autumn of the same year.\n• first bullet point in a list of items\n• second bullet point in the same list\n1. a numbered item that is long enough to be joined\n2. another numbered item of the same list here\n\nThe second page opens with a line long enough to run on into this one, and ends here.",
	} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("text lacks\n%q\nin\n%q", want, doc.Text)
		}
	}
	if got := pageOf(t, doc, "into this one"); got != 2 {
		t.Errorf("second page's text on page %d", got)
	}
	checkPagesMapBack(t, doc)
}
