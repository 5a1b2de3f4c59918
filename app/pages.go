package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// Pages in the GUI: the reader draws a rule where each page of a PDF
// begins, says which page is in view, goes to a page (Ctrl+L), and opens
// the original in the system's viewer; results say the page of each
// snippet.

// pageMarks are the page starts of the text a textView shows, as byte
// offsets (Document.Pages counts code points).
type pageMarks struct {
	starts []int
}

// setPages converts a document's page starts to byte offsets of text in
// one pass.
func (m *pageMarks) setPages(text string, pages []int) {
	m.starts = m.starts[:0]
	if len(pages) < 2 {
		return
	}
	k, n := 0, 0
	for i := range text {
		for k < len(pages) && pages[k] <= n {
			m.starts = append(m.starts, i)
			k++
		}
		n++
	}
	for ; k < len(pages); k++ {
		m.starts = append(m.starts, len(text))
	}
}

// pageAt returns the 1-based page of byte offset o, 0 without pages.
func (m *pageMarks) pageAt(o int) int {
	if len(m.starts) == 0 {
		return 0
	}
	return max(1, sort.Search(len(m.starts), func(i int) bool { return m.starts[i] > o }))
}

// SetPages gives the view the page starts (code points) of its text.
func (tv *textView) SetPages(pages []int) {
	tv.pages.setPages(tv.text, pages)
	tv.Refresh()
}

// pageInView returns the page at the top of the view, 0 without pages.
func (tv *textView) pageInView() int {
	if len(tv.pages.starts) == 0 || len(tv.lines) == 0 {
		return 0
	}
	// The first line of text mostly in view decides; the blank line
	// between two pages belongs to neither.
	l := tv.lineAtY(tv.viewY + tv.lineH/2)
	for l+1 < len(tv.lines) && tv.lines[l].start == tv.lines[l].end {
		l++
	}
	return tv.pages.pageAt(tv.lines[l].start)
}

// scrollToPage brings the start of page n (1-based) to the top of the
// view.
func (tv *textView) scrollToPage(n int) {
	if len(tv.pages.starts) == 0 || tv.scroll == nil {
		return
	}
	n = max(1, min(n, len(tv.pages.starts)))
	y := tv.lineTop(tv.lineAt(tv.pages.starts[n-1])) - tv.paraGap
	maxY := max(0, tv.MinSize().Height-tv.viewH)
	tv.scroll.ScrollToOffset(fyne.NewPos(0, max(0, min(y, maxY))))
	tv.setViewport(tv.scroll.Offset.Y, tv.viewH)
}

// pageRules draws a thin rule labelled "p. N" in the gap above the first
// line of each page in view (lines first..last).
type pageRules struct {
	lines  []*canvas.Line
	labels []*canvas.Text
}

// update places the rules and reports whether it made new objects.
func (p *pageRules) update(tv *textView, first, last int) (grew bool) {
	used := 0
	if len(tv.pages.starts) > 1 && len(tv.lines) > 0 {
		th := tv.Theme()
		v := fyne.CurrentApp().Settings().ThemeVariant()
		c := th.Color(theme.ColorNameDisabled, v)
		lo, hi := tv.lines[first].start, tv.lines[last].end
		k := sort.Search(len(tv.pages.starts), func(i int) bool { return tv.pages.starts[i] >= lo })
		for k = max(k, 1); k < len(tv.pages.starts) && tv.pages.starts[k] <= hi; k++ {
			if k+1 < len(tv.pages.starts) && tv.pages.starts[k+1] == tv.pages.starts[k] {
				continue // an empty page: label the page whose text starts here
			}
			if used == len(p.lines) {
				p.lines = append(p.lines, canvas.NewLine(c))
				p.labels = append(p.labels, canvas.NewText("", c))
				grew = true
			}
			ln, lb := p.lines[used], p.labels[used]
			used++
			y := tv.lineTop(tv.lineAt(tv.pages.starts[k])) - tv.paraGap/2
			lb.Text = "p. " + strconv.Itoa(k+1)
			lb.TextSize = tv.textSize * 0.75
			lb.Color = c
			sz := fyne.MeasureText(lb.Text, lb.TextSize, fyne.TextStyle{})
			right := tv.colX + tv.colW
			lb.Move(fyne.NewPos(right-sz.Width, y-sz.Height/2))
			lb.Resize(sz)
			ln.StrokeColor = c
			ln.StrokeWidth = 1
			ln.Position1 = fyne.NewPos(tv.colX, y)
			ln.Position2 = fyne.NewPos(max(tv.colX, right-sz.Width-theme.Padding()), y)
			ln.Show()
			lb.Show()
			ln.Refresh()
			lb.Refresh()
		}
	}
	for i := used; i < len(p.lines); i++ {
		p.lines[i].Hide()
		p.labels[i].Hide()
	}
	return grew
}

func (p *pageRules) objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, 2*len(p.lines))
	for i := range p.lines {
		out = append(out, p.lines[i], p.labels[i])
	}
	return out
}

// pageBar is the reader's row for paged documents: which page is in view,
// "Go to page…" and "Open original" (which works for every document).
type pageBar struct {
	r     *readerPane
	label *widget.Label
	goBtn *widget.Button
	open  *widget.Button
	box   *fyne.Container
	shown int // the page the label says, to refresh only on change
}

func newPageBar(r *readerPane) *pageBar {
	b := &pageBar{r: r, label: &widget.Label{SizeName: theme.SizeNameCaptionText}}
	b.goBtn = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), r.ShowGoToPage)
	b.goBtn.Importance = widget.LowImportance
	b.open = widget.NewButtonWithIcon("Open original", theme.FileIcon(), r.OpenOriginal)
	b.open.Importance = widget.LowImportance
	b.box = container.NewHBox(b.label, b.goBtn, b.open)
	b.box.Hide()
	r.view.tv.onViewport = b.update
	return b
}

// setDoc shows the bar for a document (nil hides it).
func (b *pageBar) setDoc(d *notes.Document) {
	b.shown = -1
	if d == nil {
		b.box.Hide()
		return
	}
	paged := len(d.Pages) > 0
	for _, o := range []fyne.CanvasObject{b.label, b.goBtn} {
		if paged {
			o.Show()
		} else {
			o.Hide()
		}
	}
	b.box.Show()
	b.update()
}

// update says which page is in view; it runs on every scroll.
func (b *pageBar) update() {
	d := b.r.doc
	if d == nil || len(d.Pages) == 0 {
		return
	}
	p := max(1, b.r.view.tv.pageInView())
	if p == b.shown {
		return
	}
	b.shown = p
	b.label.SetText(fmt.Sprintf("Page %d of %d", p, len(d.Pages)))
}

// CurrentPage returns the page in view of the open document, 0 when it has
// no pages.
func (r *readerPane) CurrentPage() int {
	if r.doc == nil || len(r.doc.Pages) == 0 {
		return 0
	}
	return max(1, r.view.tv.pageInView())
}

// GoToPage scrolls the open document to the start of page n (1-based,
// clamped to its pages). It does nothing for a document without pages.
func (r *readerPane) GoToPage(n int) {
	if r.doc == nil || len(r.doc.Pages) == 0 {
		return
	}
	r.view.tv.scrollToPage(n)
	r.pages.update()
}

// ShowGoToPage asks for a page number and goes there (Ctrl+L).
func (r *readerPane) ShowGoToPage() {
	if r.doc == nil || len(r.doc.Pages) == 0 || r.win == nil {
		return
	}
	n := len(r.doc.Pages)
	e := widget.NewEntry()
	e.SetPlaceHolder(fmt.Sprintf("1–%d", n))
	e.Validator = func(s string) error {
		if _, err := parsePage(s, n); err != nil {
			return err
		}
		return nil
	}
	d := dialog.NewForm("Go to page", "Go", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Page", e)},
		func(ok bool) {
			if p, err := parsePage(e.Text, n); ok && err == nil {
				r.GoToPage(p)
			}
		}, r.win)
	e.OnSubmitted = func(string) { d.Submit() } // Enter goes, as in every viewer
	d.Show()
	r.win.Canvas().Focus(e)
}

// parsePage reads a page number typed by a person, within 1..n.
func parsePage(s string, n int) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "p.")))
	if err != nil || p < 1 || p > n {
		return 0, notes.Errorf(notes.EINVALID, "type a page number from 1 to %d", n)
	}
	return p, nil
}

// OpenOriginal hands the open document's original file to the system's
// viewer, at the page in view where the viewer can be told a page (Evince,
// Okular, Zathura, qpdfview, MuPDF; SumatraPDF, Adobe Acrobat and Reader,
// Edge, Chrome, Firefox on Windows; Skim on macOS); other viewers open it
// at its first page. Originals are kept in the project's packs, so a copy
// named like the imported file is made in the temporary folder.
func (r *readerPane) OpenOriginal() {
	d, st := r.doc, r.store()
	if d == nil || st == nil {
		return
	}
	page := r.CurrentPage()
	go func() {
		err := openOriginal(context.Background(), st, d.OriginalName, d.SHA256, d.MediaType, page)
		if err != nil && r.onError != nil {
			r.do(func() { r.onError(err) })
		}
	}()
}

func openOriginal(ctx context.Context, st notes.Store, name, sha, media string, page int) error {
	path, err := viewableCopy(st, name, sha)
	if err != nil {
		return err
	}
	// Asking the system for its viewer must not hang the open.
	vctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	viewer := defaultViewer(vctx, runtime.GOOS, media)
	cancel()
	name, args := openCommand(runtime.GOOS, viewer, path, page)
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return notes.Errorf(notes.EINVALID, "cannot open the original with %s: %v", name, err)
	}
	go cmd.Wait() // reap the viewer (or the launcher) when it exits
	return nil
}

// viewableCopy copies the original kept under sha to the temporary folder
// under its imported name (so the viewer knows its type from the
// extension), once per file: a copy already there is reused.
func viewableCopy(st notes.Store, name, sha string) (string, error) {
	base := filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if base == "." || base == "/" || base == "" {
		base = "original"
	}
	dir := filepath.Join(os.TempDir(), "dossier-originals", sha[:min(len(sha), 16)])
	dst := filepath.Join(dir, base)
	if fi, err := os.Stat(dst); err == nil && fi.Mode().IsRegular() {
		return dst, nil
	}
	in, err := st.OpenOriginal(sha)
	if notes.ErrorKind(err) == notes.ENOTFOUND {
		return "", notes.Errorf(notes.ENOTFOUND, "the original file is missing from the project: %v", err)
	}
	if err != nil {
		return "", fmt.Errorf("reading the original: %w", err)
	}
	defer in.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("copying the original: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".copy-*")
	if err != nil {
		return "", fmt.Errorf("copying the original: %w", err)
	}
	_, err = io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Read-only: the viewer must not change what looks like the source.
		_ = os.Chmod(tmp.Name(), 0o400)
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("copying the original: %w", err)
	}
	return dst, nil
}

// SetPages tells the results which documents have pages, so each snippet
// can say its page.
func (r *resultsPane) SetPages(docs []notes.Document) {
	r.pages = map[string][]int{}
	for _, d := range docs {
		if len(d.Pages) > 0 {
			r.pages[d.ID] = d.Pages
		}
	}
}

// withPage puts "p. N" before a snippet of a paged document.
func (r *resultsPane) withPage(id string, s notes.Snippet, parts []snippetPart) []snippetPart {
	pages := r.pages[id]
	if len(pages) == 0 {
		return parts
	}
	return append([]snippetPart{{text: "p. " + strconv.Itoa(notes.PageAt(pages, s.Offset)) + "  "}}, parts...)
}
