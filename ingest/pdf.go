package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/klippa-app/go-pdfium"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"dossier/notes"
)

// PDF text comes from PDFium compiled to WebAssembly and run by wazero
// (pure Go, so Dossier stays one binary without cgo); docs/PDF.md says why
// this library and not another. PDFium runs in a sandbox: a malformed file
// can make it fail, never corrupt our memory or crash the process.

// PDFTimeout bounds the time one PDF may take to parse, so a pathological
// file cannot stall a folder import; a 500-page report takes a few seconds.
var PDFTimeout = 2 * time.Minute

// reuseLimit is the largest file after which a PDFium instance is reused.
const reuseLimit = 16 << 20

// pageBreak separates the text of two pages. Pages[i] points just past it.
const pageBreak = "\n\n"

var (
	pdfiumOnce sync.Once
	pdfiumPool pdfium.Pool
	pdfiumErr  error
)

// pdfPool starts PDFium once per process, on the first PDF. Compiling the
// 5.7 MB module takes seconds, so the compiled code is cached in the user's
// cache folder and later starts load it in a fraction of that.
func pdfPool() (pdfium.Pool, error) {
	pdfiumOnce.Do(func() {
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			// Lets Kill interrupt a page that takes too long.
			WithCloseOnContextDone(true)
		if dir, err := os.UserCacheDir(); err == nil {
			if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "dossier", "pdfium")); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		pdfiumPool, pdfiumErr = webassembly.Init(webassembly.Config{
			MinIdle: 0,
			MaxIdle: 0,
			// One instance per core: parsing is CPU-bound, and each
			// instance holds its document in its own memory.
			MaxTotal: max(1, runtime.GOMAXPROCS(0)),
			// An empty file system: PDFium reads the bytes we hand it and
			// nothing else on the machine.
			FSConfig:      wazero.NewFSConfig(),
			RuntimeConfig: rc,
			Stdout:        io.Discard,
			Stderr:        io.Discard,
			// Instantiating PDFium costs tens of milliseconds, more than
			// reading a short PDF; instances that read a big file are
			// dropped after it instead (see extractPDF).
			ReuseWorkers: true,
		})
	})
	return pdfiumPool, pdfiumErr
}

// pdfText is what parsePDF reads out of a PDF before it becomes a document.
type pdfText struct {
	pages []string
	meta  map[string]string // document information dictionary
}

func parsePDF(ctx context.Context, doc *notes.Document, data []byte) error {
	doc.MediaType = MediaPDF
	doc.Importer = ImporterPDF
	// PDF readers accept junk before the header within the first
	// kilobyte; PDFium does too, but refusing other files here gives a
	// clearer message than its "incorrect format".
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return invalid("broken PDF: the file does not start like a PDF (no %%PDF- header)")
	}
	pt, err := extractPDF(ctx, data)
	if err != nil {
		return err
	}

	full := fullLine(pt.pages)
	for i, p := range pt.pages {
		pt.pages[i] = reflowPDF(p, full)
	}
	var text strings.Builder
	doc.Pages = make([]int, len(pt.pages))
	runes, chars := 0, 0
	for i, p := range pt.pages {
		if i > 0 {
			text.WriteString(pageBreak)
			runes += utf8.RuneCountInString(pageBreak)
		}
		doc.Pages[i] = runes
		text.WriteString(p)
		n := utf8.RuneCountInString(p)
		runes += n
		chars += n
	}
	if chars == 0 {
		return invalid("no text layer: scanned pages need OCR, which Dossier does not do (%d %s of images only)",
			len(pt.pages), plural(len(pt.pages), "page", "pages"))
	}
	doc.Text = text.String()

	// The information dictionary is the one PDFium found through the
	// document's trailer; XMP only fills what it leaves out.
	x := parseXMP(data)
	doc.Title = cutTitle(firstNonEmpty(cleanMeta(pt.meta["Title"]), x.title))
	doc.Author = firstNonEmpty(cleanMeta(pt.meta["Author"]), x.author)
	doc.Published = pdfDate(pt.meta["CreationDate"])
	if !doc.Published.Known() {
		doc.Published = x.created
	}
	return nil
}

// extractPDF opens the PDF in a PDFium instance and reads every page's text
// and the information dictionary. A cancelled ctx stops it between pages
// (a page takes milliseconds) with ctx's error. A file still being read
// after PDFTimeout has its instance killed mid-page; go-pdfium's Kill is
// the one call made to run beside another, so it is kept for that last
// resort rather than used for every cancel.
func extractPDF(ctx context.Context, data []byte) (*pdfText, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pool, err := pdfPool()
	if err != nil {
		return nil, invalid("cannot start the PDF reader: %v", err)
	}
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, invalid("cannot start the PDF reader: %v", err)
	}
	var killed atomic.Bool
	watchdog := time.AfterFunc(PDFTimeout, func() {
		killed.Store(true)
		_ = inst.Kill()
	})
	defer func() {
		if !watchdog.Stop() {
			return // killed: the instance is gone
		}
		// WebAssembly memory never shrinks: an instance that held a big
		// file would keep its memory for good.
		if len(data) > reuseLimit {
			_ = inst.Kill()
		} else {
			_ = inst.Close()
		}
	}()

	pt, err := readPDF(ctx, inst, data)
	switch {
	case killed.Load():
		return nil, invalid("PDF took longer than %v to read; it may be damaged", PDFTimeout)
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	}
	return pt, err
}

func readPDF(ctx context.Context, inst pdfium.Pdfium, data []byte) (pt *pdfText, err error) {
	// The wasm bridge turns most failures into errors, but a malformed
	// file must never take the import down with it.
	defer func() {
		if r := recover(); r != nil {
			pt, err = nil, invalid("broken PDF: the reader failed on it")
		}
	}()
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return nil, openError(err)
	}
	d := opened.Document
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d})

	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: d})
	if err != nil {
		return nil, invalid("broken PDF: cannot count its pages")
	}
	if count.PageCount <= 0 {
		return nil, invalid("broken PDF: it has no pages")
	}
	pt = &pdfText{pages: make([]string, count.PageCount), meta: map[string]string{}}
	for _, tag := range []string{"Title", "Author", "CreationDate"} {
		if m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: d, Tag: tag}); err == nil {
			pt.meta[tag] = m.Value
		}
	}
	for i := range pt.pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// A page that cannot be read stays empty: the rest of the book
		// is still worth having, and page numbers stay right.
		pt.pages[i], _ = pageText(inst, d, i)
	}
	return pt, nil
}

// pageText returns the text of page i in PDFium's reading order, lines
// ending in "\n".
func pageText(inst pdfium.Pdfium, d references.FPDF_DOCUMENT, i int) (string, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: d, Index: i})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil || n.Count <= 0 {
		return "", err
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, Count: n.Count})
	if err != nil {
		return "", err
	}
	return cleanPageText(markColumns(inst, tp.TextPage, t.Text)), nil
}

// cleanPageText turns PDFium's page text into Dossier's: "\n" line ends,
// no NULs or other controls, no trailing blanks. PDFium joins a word that
// was hyphenated across a line end and marks the join with U+0002
// ("cus\x02tomization"): the mark goes, so the word reads and searches
// whole.
func cleanPageText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError:
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func openError(err error) error {
	switch {
	case errors.Is(err, pdferrors.ErrPassword):
		return invalid("encrypted PDF: it needs a password to open; remove the protection and import it again")
	case errors.Is(err, pdferrors.ErrSecurity):
		return invalid("encrypted PDF: its encryption is not supported; save an unprotected copy and import that")
	case errors.Is(err, pdferrors.ErrFormat), errors.Is(err, pdferrors.ErrFile):
		return invalid("broken PDF: its structure cannot be read (damaged or not really a PDF)")
	}
	return invalid("broken PDF: %v", err)
}

// cleanMeta tidies an information dictionary string: PDFium has already
// decoded PDFDocEncoding and UTF-16.
func cleanMeta(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == 0xFFFE || r == 0xFEFF {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// pdfDate reads a PDF date string, D:YYYYMMDDHHmmSSOHH'mm', to the
// precision it states: "D:2023" is a year, "D:202310" a month. Anything
// malformed is unknown rather than guessed.
func pdfDate(s string) notes.Date {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	var d notes.Date
	switch n, w, _ := readNum(s[:min(len(s), 8)]); {
	case w == 8:
		d, _ = dayDate(n/10000, n/100%100, n%100)
	case w == 6:
		d, _ = monthDate(n/100, n%100)
	case w == 4:
		d, _ = yearDate(n)
	}
	return d
}

// metaDate reads a date from XML metadata (XMP, Office, ODF, OPF): ISO
// 8601 to the precision written, or a date in words.
func metaDate(s string) notes.Date {
	d, _ := parseDate(s, true)
	return d
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
