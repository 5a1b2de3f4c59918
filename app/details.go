package app

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// detailsPane is the right-hand pane for the open document: its editable
// metadata and grade (the source editor) and, below, everything known
// about the file it came from. It is the first of the right-hand panes
// (notes, pinned quotes and links come next), so it lives in tabs.
type detailsPane struct {
	editor   *sourceEditor
	form     *fyne.Container
	empty    *widget.RichText
	tabs     *container.AppTabs
	fileHead fyne.CanvasObject
	content  fyne.CanvasObject
}

func newDetails(do func(func())) *detailsPane {
	d := &detailsPane{editor: newSourceEditor(do)}
	d.form = container.New(layout.NewFormLayout())
	d.empty = mutedText("Open a source to see where it came from, edit its details and grade it.", fyne.TextAlignLeading, theme.SizeNameText)
	d.empty.Wrapping = fyne.TextWrapWord
	d.fileHead = sectionHeader("File", nil)
	body := container.NewVScroll(container.NewPadded(container.NewVBox(d.empty, d.editor.content, d.fileHead, d.form)))
	d.tabs = container.NewAppTabs(newLazyTab("Details", theme.InfoIcon(), body))
	d.content = d.tabs
	d.Show(nil)
	return d
}

// Show fills the pane for doc; nil empties it.
func (d *detailsPane) Show(doc *notes.Document) {
	d.editor.Show(doc)
	if doc == nil {
		d.form.Objects = nil
		d.form.Refresh()
		d.fileHead.Hide()
		d.empty.Show()
		return
	}
	d.empty.Hide()
	d.fileHead.Show()
	words := len(strings.Fields(doc.Text))
	// Title, author, publisher, URL, date and grade are in the editor.
	rows := [][2]string{
		{"Tags", strings.Join(doc.Tags, ", ")},
		{"Length", fmt.Sprintf("%s, %s", plural(words, "word", "words"), plural(utf8.RuneCountInString(doc.Text), "character", "characters"))},
		{"Language", doc.Language},
		{"Format", doc.MediaType},
		{"File", doc.OriginalName},
		{"Size", humanSize(doc.Size)},
		{"Importer", doc.Importer},
		{"Imported", importedAt(doc)},
		{"SHA-256", doc.SHA256},
	}
	var objs []fyne.CanvasObject
	for _, r := range rows {
		if strings.TrimSpace(r[1]) == "" {
			continue
		}
		k := &widget.Label{Text: r[0], TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText}
		wrap := fyne.TextWrapWord
		if !strings.Contains(r[1], " ") {
			wrap = fyne.TextWrapBreak // hashes, URLs and file names have no spaces to break at
		}
		v := &widget.Label{Text: r[1], Wrapping: wrap, Selectable: true, SizeName: theme.SizeNameCaptionText}
		objs = append(objs, k, v)
	}
	d.form.Objects = objs
	d.form.Refresh()
}

func importedAt(doc *notes.Document) string {
	if doc.ImportedAt.IsZero() {
		return ""
	}
	return doc.ImportedAt.Local().Format("2 Jan 2006 15:04")
}

func humanSize(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1024:
		return fmt.Sprintf("%d bytes", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1024/1024)
}
