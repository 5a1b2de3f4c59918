// Package ingest turns files into notes.Documents: it reads plain text,
// Markdown, HTML, e-mail (.eml), PDF (page by page), Word (.docx),
// OpenDocument text (.odt), EPUB and RTF, finds their metadata (title, author,
// URL, publication date with its precision) and extracts their plain text.
// It also walks folders to list the files worth importing.
//
// The package only parses: it neither stores nor indexes. Parse is pure and
// safe for concurrent use, so a pipeline may run one Parse per CPU.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"dossier/internal/fileio"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"dossier/notes"
)

// MaxFileSize is the largest file Parse accepts. Larger files are refused
// with an error that says so, before anything is decoded.
const MaxFileSize = 256 << 20

// MaxTextSize is the most text one document may have. Indexing holds
// about 20 bytes of memory for every byte of a document's text at once,
// and 35 all told (a 50 MB text took 1.75 GB to import), so a 250 MB log
// file would take 8 GB. A book is 1 to 5 MB; Zotero indexes 0.5 MB of a
// file by default. A larger text is refused whole, with a message, rather
// than indexed in part: a search must never silently miss what a
// document holds.
const MaxTextSize = 32 << 20

// Importer names stored in notes.Document.Importer. The number after the
// slash changes whenever the extracted text of a file could change, so a
// document's provenance says exactly which code made its text.
const (
	ImporterText     = "text/2"
	ImporterMarkdown = "markdown/2"
	ImporterHTML     = "html/2"
	ImporterEmail    = "email/2"
	ImporterPDF      = "pdf/2"
	ImporterDOCX     = "docx/1"
	ImporterODT      = "odt/1"
	ImporterEPUB     = "epub/1"
	ImporterRTF      = "rtf/1"
)

// Media types stored in notes.Document.MediaType.
const (
	MediaText     = "text/plain"
	MediaMarkdown = "text/markdown"
	MediaHTML     = "text/html"
	MediaEmail    = "message/rfc822"
	MediaPDF      = "application/pdf"
	MediaDOCX     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	MediaODT      = "application/vnd.oasis.opendocument.text"
	MediaEPUB     = "application/epub+zip"
	MediaRTF      = "application/rtf"
)

// maxTitle caps titles in runes: a first line of text may be a whole
// paragraph.
const maxTitle = 200

type format int

const (
	formatNone format = iota
	formatText
	formatMarkdown
	formatHTML
	formatEmail
	formatPDF
	formatDOCX
	formatODT
	formatEPUB
	formatRTF
	formatBinary // a known binary type that no importer reads yet
)

var extFormats = map[string]format{
	".txt": formatText, ".text": formatText,
	".md": formatMarkdown, ".markdown": formatMarkdown, ".mdown": formatMarkdown,
	".mkd": formatMarkdown, ".mkdn": formatMarkdown,
	".html": formatHTML, ".htm": formatHTML, ".xhtml": formatHTML, ".shtml": formatHTML,
	".eml": formatEmail,
	".pdf": formatPDF, ".docx": formatDOCX, ".odt": formatODT, ".epub": formatEPUB,
	".rtf": formatRTF,
}

// binaryExts are types we know are not plain text, so they are refused
// without sniffing: a PDF's first kilobyte can look like text.
var binaryExts = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`.pdf .doc .docx .odt .epub .mobi .djvu .xls .xlsx .ods
		.ppt .pptx .odp .msg .mbox .pst .zip .gz .tgz .bz2 .xz .zst .7z .rar .tar .iso .dmg
		.png .jpg .jpeg .gif .webp .bmp .tif .tiff .heic .ico .svg .psd .mp3 .m4a .wav .ogg
		.flac .mp4 .m4v .mov .avi .mkv .webm .exe .dll .so .dylib .bin .o .a .class .jar
		.pyc .db .sqlite .sqlite3 .woff .woff2 .ttf .otf`) {
		binaryExts[e] = true
	}
}

// Parse turns the bytes of one file into a document: its metadata (Title,
// Author, Source, URL, Published with its precision, MediaType, Language
// when declared), its provenance (SHA256 of data, Size, OriginalName, the
// Importer and its version) and its plain Text. ID and ImportedAt are left
// for the store.
//
// The format comes from the extension of name (.txt, .md, .html, .eml,
// .pdf, .docx, .odt, .epub, .rtf and their variants); a file with a missing
// or unknown extension is sniffed and read as PDF, RTF, HTML, e-mail or
// plain text.
// A PDF's Pages hold the offset where each page begins. Title falls back to the file name
// when the file has none.
//
// Errors are *notes.Error of kind notes.EINVALID with a message for a
// person, such as "empty file" or "unsupported file type .xyz"; they do not
// repeat the file name, which callers show beside them.
func Parse(name string, data []byte) (*notes.Document, error) {
	return ParseContext(context.Background(), name, data)
}

// ParseContext is Parse with a context: a PDF stops between pages (or
// mid-page, at worst after PDFTimeout) once ctx is done, returning ctx's
// error. The other formats parse in a blink and do not look at ctx.
func ParseContext(ctx context.Context, name string, data []byte) (*notes.Document, error) {
	if len(data) > MaxFileSize {
		return nil, errTooLarge(int64(len(data)))
	}
	if len(data) == 0 {
		return nil, invalid("empty file")
	}
	ext := strings.ToLower(filepath.Ext(name))
	f, ok := extFormats[ext]
	if !ok {
		if binaryExts[ext] {
			return nil, errUnsupported(ext)
		}
		f = sniff(data)
		if f == formatNone && isPDF(data) {
			f = formatPDF
		}
		if f == formatNone {
			if ext == "" {
				return nil, errBinary(data)
			}
			return nil, errUnsupported(ext)
		}
	}

	doc := &notes.Document{}
	var err error
	switch f {
	case formatText:
		err = parseText(doc, data)
	case formatMarkdown:
		err = parseMarkdown(doc, data)
	case formatHTML:
		err = parseHTML(doc, data)
	case formatEmail:
		err = parseEmail(doc, data)
	case formatPDF:
		err = parsePDF(ctx, doc, data)
	case formatDOCX:
		err = parseDOCX(doc, data)
	case formatODT:
		err = parseODT(doc, data)
	case formatEPUB:
		err = parseEPUB(doc, data)
	case formatRTF:
		err = parseRTF(doc, data)
	}
	if err != nil {
		return nil, err
	}
	if len(doc.Text) > MaxTextSize {
		return nil, invalid("its text is %s; Dossier takes documents of up to %s of text: split the file", humanSize(int64(len(doc.Text))), humanSize(MaxTextSize))
	}

	sum := sha256.Sum256(data)
	doc.SHA256 = hex.EncodeToString(sum[:])
	doc.Size = int64(len(data))
	doc.OriginalName = filepath.Base(name)
	if doc.Title == "" {
		doc.Title = cutTitle(strings.TrimSuffix(doc.OriginalName, filepath.Ext(doc.OriginalName)))
	}
	if doc.Source == "" && doc.URL != "" {
		doc.Source = hostOf(doc.URL)
	}
	// Every importer already yields UTF-8; this is the guarantee callers
	// and the index rely on, kept in one place.
	for _, s := range []*string{&doc.Title, &doc.Author, &doc.Source, &doc.URL, &doc.Language, &doc.Text} {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
	}
	// The metadata gets its own bytes: a title cut from a text's first
	// line kept the whole text (or the whole file) in memory for as long
	// as the title lived, which in an import's report is until it ends: a
	// 100,000-file import, half of it plain text, peaked at 504 MB of
	// memory instead of 425 MB.
	for _, s := range []*string{&doc.Title, &doc.Author, &doc.Source, &doc.URL, &doc.Language} {
		*s = strings.Clone(*s)
	}
	return doc, nil
}

// ParseFile reads and parses the file at path, refusing what is not a
// regular file or is larger than MaxFileSize before reading it. It returns
// the file's bytes too (also when Parse refuses them), for the caller to
// keep the original. A missing file is an error of kind notes.ENOTFOUND;
// every other error is of kind notes.EINVALID.
func ParseFile(path string) (*notes.Document, []byte, error) {
	return ParseFileContext(context.Background(), path)
}

// ParseFileContext is ParseFile with a context, as ParseContext.
func ParseFileContext(ctx context.Context, path string) (*notes.Document, []byte, error) {
	var tooLarge error
	data, err := fileio.ReadRegular(path, func(size int64) error {
		tooLarge = CheckSize(size)
		return tooLarge
	})
	switch {
	case tooLarge != nil:
		return nil, nil, tooLarge
	case err == fileio.ErrNotRegular:
		return nil, nil, invalid("not a regular file")
	case err != nil:
		return nil, nil, readError(err)
	}
	doc, err := ParseContext(ctx, path, data)
	if err != nil {
		return nil, data, err
	}
	return doc, data, nil
}

// CheckSize returns the error Parse would give for a file of this many
// bytes if it is larger than MaxFileSize, so callers can refuse a file
// before reading it.
func CheckSize(size int64) error {
	if size > MaxFileSize {
		return errTooLarge(size)
	}
	return nil
}

// Supported reports whether Parse reads files like this one: by the
// extension of name, and by sniffing head (the first kilobyte or so of the
// file) when the extension is missing or unknown.
func Supported(name string, head []byte) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if _, ok := extFormats[ext]; ok {
		return true
	}
	if binaryExts[ext] {
		return false
	}
	return sniff(head) != formatNone || isPDF(head)
}

// isPDF reports whether a file without a known extension is a PDF.
func isPDF(head []byte) bool { return bytes.HasPrefix(head, []byte("%PDF-")) }

// hostOf returns the host of a URL without "www.", the site name Dossier
// shows for a source.
func hostOf(u string) string {
	h := u
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndexByte(h, '@'); i >= 0 {
		h = h[i+1:]
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	h = strings.ToLower(h)
	return strings.TrimPrefix(h, "www.")
}

// cutTitle trims s and shortens it to maxTitle runes at a word boundary.
func cutTitle(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= maxTitle {
		return s
	}
	n := 0
	for i := range s {
		if n == maxTitle {
			cut := s[:i]
			if j := strings.LastIndexByte(cut, ' '); j > len(cut)/2 {
				cut = cut[:j]
			}
			return strings.TrimRight(cut, " ,;:-–—") + "…"
		}
		n++
	}
	return s
}

func invalid(format string, args ...any) *notes.Error {
	return notes.Errorf(notes.EINVALID, format, args...)
}

func errNUL() *notes.Error { return invalid("binary file, not text (found NUL bytes)") }
func errControls() *notes.Error {
	return invalid("binary file, not text (found too many control characters)")
}

func errUnsupported(ext string) *notes.Error {
	return invalid("unsupported file type %s", ext)
}

func errTooLarge(size int64) *notes.Error {
	return invalid("file is %s; Dossier imports files up to %s", humanSize(size), humanSize(MaxFileSize))
}

func readError(err error) *notes.Error {
	kind := notes.EINVALID
	if os.IsNotExist(err) {
		kind = notes.ENOTFOUND
	}
	msg := err.Error()
	if pe, ok := err.(*os.PathError); ok {
		msg = pe.Err.Error()
	}
	return &notes.Error{Kind: kind, Message: "cannot read file: " + msg, Err: err}
}

// humanSize writes a byte count the way file managers do: "512 bytes",
// "3.4 KB", "256 MB", "2.1 GB" (powers of 1024).
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, u := float64(n)/unit, "KB"
	for _, next := range []string{"MB", "GB", "TB"} {
		if v < unit {
			break
		}
		v, u = v/unit, next
	}
	if v == float64(int64(v)) || v >= 100 {
		return fmt.Sprintf("%.0f %s", v, u)
	}
	return fmt.Sprintf("%.1f %s", v, u)
}
