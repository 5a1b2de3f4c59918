package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/notes"
)

// The Admiralty (NATO) code: a letter for how reliable the source is and
// a digit for how credible the information is. The selects show these.
var (
	reliabilityChoices = []string{
		"A — Completely reliable",
		"B — Usually reliable",
		"C — Fairly reliable",
		"D — Not usually reliable",
		"E — Unreliable",
		"F — Reliability cannot be judged",
	}
	credibilityChoices = []string{
		"1 — Confirmed by other sources",
		"2 — Probably true",
		"3 — Possibly true",
		"4 — Doubtful",
		"5 — Improbable",
		"6 — Truth cannot be judged",
	}
)

// notGraded is the first choice of both grade selects.
const notGraded = "Not graded"

// sourceSaveDelay is how long editing must pause before the source is
// saved: short enough that an edit is on disk within a second.
const sourceSaveDelay = 400 * time.Millisecond

// sourceEditor is the editable top of the Details pane: a source's title,
// author, publisher, URL, publication date (its precision follows from
// how much of it is typed), tags, and its grade with a note on why. Edits save
// themselves shortly after typing stops; there is no Save button.
type sourceEditor struct {
	doc *notes.Document // as last shown or saved

	title       *wrapEntry
	author      *widget.Entry
	publisher   *widget.Entry
	url         *widget.Entry
	published   *widget.Entry
	precision   *widget.Label
	tags        *widget.Entry
	reliability *widget.Select
	credibility *widget.Select
	gradeNote   *wrapEntry
	status      *widget.Label
	content     fyne.CanvasObject

	filling bool // Show is filling the fields: not an edit
	gen     int  // bumped by each edit; a timer saves only the latest
	pending bool // an edit waits to be saved

	// bind is asked, when a source is shown, for the function that saves
	// it (bound to the project it belongs to); done reports the outcome
	// on the UI goroutine. Nil: nothing is saved.
	bind func() func(d *notes.Document, done func(error))
	save func(d *notes.Document, done func(error))
	do   func(func())
	// delay overrides sourceSaveDelay (tests).
	delay time.Duration
}

func newSourceEditor(do func(func())) *sourceEditor {
	e := &sourceEditor{do: do, delay: sourceSaveDelay}
	e.title = newWrapEntry(2)
	e.author = widget.NewEntry()
	e.publisher = widget.NewEntry()
	e.publisher.SetPlaceHolder("e.g. iwpr.net")
	e.url = widget.NewEntry()
	e.url.SetPlaceHolder("https://…")
	e.published = widget.NewEntry()
	e.published.SetPlaceHolder("2003-10-23, 2003-10, 2003")
	e.precision = &widget.Label{SizeName: theme.SizeNameCaptionText}
	e.tags = widget.NewEntry()
	e.tags.SetPlaceHolder("kant, airbase")
	e.reliability = widget.NewSelect(append([]string{notGraded}, reliabilityChoices...), func(string) { e.changed() })
	e.credibility = widget.NewSelect(append([]string{notGraded}, credibilityChoices...), func(string) { e.changed() })
	e.gradeNote = newWrapEntry(2)
	e.gradeNote.SetPlaceHolder("Why this grade?")
	e.status = &widget.Label{SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord}
	for _, w := range []*widget.Entry{&e.title.Entry, e.author, e.publisher, e.url, e.published, e.tags, &e.gradeNote.Entry} {
		w.OnChanged = func(string) { e.changed() }
	}
	label := func(s string) fyne.CanvasObject {
		return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText}
	}
	form := container.New(layout.NewFormLayout(),
		label("Title"), e.title,
		label("Author"), e.author,
		label("Publisher"), e.publisher,
		label("URL"), e.url,
		label("Published"), container.NewVBox(e.published, e.precision),
		label("Tags"), e.tags,
		label("Reliability"), e.reliability,
		label("Credibility"), e.credibility,
		label("Why"), e.gradeNote,
	)
	e.content = container.NewVBox(sectionHeader("Source", nil), form, e.status)
	return e
}

// Show fills the editor for doc, first saving an edit still waiting for
// the source shown before; nil hides it.
func (e *sourceEditor) Show(doc *notes.Document) {
	e.Flush()
	e.doc = doc
	if doc == nil {
		e.save = nil
		e.content.Hide()
		return
	}
	if e.bind != nil {
		e.save = e.bind()
	}
	e.filling = true
	e.title.SetText(doc.Title)
	e.author.SetText(doc.Author)
	e.publisher.SetText(doc.Source)
	e.url.SetText(doc.URL)
	e.published.SetText(doc.Published.String())
	e.tags.SetText(strings.Join(doc.Tags, ", "))
	letter, digit := notGraded, notGraded
	if len(doc.Grade) == 2 {
		letter = choiceFor(reliabilityChoices, doc.Grade[:1])
		digit = choiceFor(credibilityChoices, doc.Grade[1:])
	}
	e.reliability.SetSelected(letter)
	e.credibility.SetSelected(digit)
	e.gradeNote.SetText(doc.GradeNote)
	e.filling = false
	e.showPrecision(doc.Published)
	e.setStatus("", false)
	e.content.Show()
}

// choiceFor returns the choice that starts with code ("B", "2").
func choiceFor(choices []string, code string) string {
	for _, c := range choices {
		if strings.HasPrefix(c, code+" ") {
			return c
		}
	}
	return notGraded
}

func (e *sourceEditor) showPrecision(d notes.Date) {
	if !d.Known() {
		e.precision.SetText("Date unknown")
		return
	}
	e.precision.SetText(strings.ToUpper(d.Precision.String()[:1]) + d.Precision.String()[1:] + " precision: " + d.Human())
}

func (e *sourceEditor) setStatus(msg string, bad bool) {
	e.status.Importance = widget.MediumImportance
	if bad {
		e.status.Importance = widget.DangerImportance
	}
	e.status.SetText(msg)
	e.status.Hidden = msg == ""
}

// grade reads the two selects: "B2", "" for ungraded, or an error when
// only one is chosen.
func (e *sourceEditor) grade() (string, error) {
	l, d := e.reliability.Selected, e.credibility.Selected
	switch {
	case (l == notGraded || l == "") && (d == notGraded || d == ""):
		return "", nil
	case l == notGraded || l == "":
		return "", notes.Errorf(notes.EINVALID, "Choose the source's reliability (A–F) too, or neither.")
	case d == notGraded || d == "":
		return "", notes.Errorf(notes.EINVALID, "Choose the information's credibility (1–6) too, or neither.")
	}
	return l[:1] + d[:1], nil
}

// edited returns the shown source with the fields' values, or an error
// for a value that cannot be saved.
func (e *sourceEditor) edited() (*notes.Document, error) {
	pub, err := notes.ParseDate(e.published.Text)
	if err != nil {
		return nil, notes.Errorf(notes.EINVALID, "Published: write the date as 2003-10-23, 2003-10 or 2003, or leave it empty if unknown.")
	}
	grade, err := e.grade()
	if err != nil {
		return nil, err
	}
	d := *e.doc
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	d.Title = oneLine(e.title.Text)
	d.Author = strings.TrimSpace(e.author.Text)
	d.Source = strings.TrimSpace(e.publisher.Text)
	d.URL = strings.TrimSpace(e.url.Text)
	d.Published = pub
	d.Tags = notes.NormalizeTags(strings.Split(e.tags.Text, ","))
	d.Grade = grade
	d.GradeNote = strings.TrimSpace(e.gradeNote.Text)
	return &d, nil
}

// changed runs on every edit: it checks the values at once and saves
// them once typing pauses.
func (e *sourceEditor) changed() {
	if e.filling || e.doc == nil {
		return
	}
	e.gen++
	if pub, err := notes.ParseDate(e.published.Text); err == nil {
		e.showPrecision(pub)
	}
	if _, err := e.edited(); err != nil {
		e.pending = false
		e.setStatus(err.Error(), true)
		return
	}
	e.pending = true
	e.setStatus("Editing…", false)
	gen := e.gen
	time.AfterFunc(e.delay, func() {
		e.do(func() {
			if gen == e.gen {
				e.Flush()
			}
		})
	})
}

// Flush saves a waiting edit now (another source is shown, the window
// closes).
func (e *sourceEditor) Flush() {
	if !e.pending || e.doc == nil || e.save == nil {
		return
	}
	e.pending = false
	d, err := e.edited()
	if err != nil {
		e.setStatus(err.Error(), true)
		return
	}
	shown := e.doc
	e.save(d, func(err error) {
		if err != nil {
			e.setStatus(err.Error(), true)
			return
		}
		if e.doc == shown {
			e.doc = d
			if !e.pending {
				e.setStatus("Saved "+time.Now().Format("15:04:05"), false)
			}
		}
	})
}

// bindSourceSaver returns the function that saves an edited source to
// the project open now, which stays the target even if another project is
// opened before the save runs.
func (u *UI) bindSourceSaver() func(d *notes.Document, done func(error)) {
	p := u.proj
	return func(d *notes.Document, done func(error)) {
		if p == nil {
			return
		}
		u.bg.Add(1)
		go func() {
			defer u.bg.Done()
			err := p.UpdateSourceMeta(context.Background(), d)
			u.do(func() {
				done(err)
				if err == nil && u.proj == p {
					u.sourceSaved(d)
				}
			})
		}()
	}
}

// sourceSaved shows a source's new metadata everywhere it appears: the
// library, the results, the reader's header, the quote cards, the
// timeline.
func (u *UI) sourceSaved(d *notes.Document) {
	if r := u.reader; r.doc != nil && r.doc.ID == d.ID {
		text := r.doc.Text
		*r.doc = *d
		r.doc.Text = text
		r.title.SetText(orDefault(d.Title, "Untitled"))
		r.meta.Segments = []widget.RichTextSegment{mutedSegment(docMeta(d))}
		r.meta.Refresh()
		if d.URL != "" {
			r.url.SetText(d.URL)
			r.url.Show()
		} else {
			r.url.Hide()
		}
		u.readerTab.Text = ellipsize(orDefault(d.Title, "Untitled"), 36)
		u.tabs.Refresh()
	}
	u.reloadLibrary()
	// A corrected publication date moves the source on the timeline (it
	// reloads by itself whenever it is shown again).
	if u.tabs.Selected() == u.timelineTab {
		u.timeline.Reload()
	}
	if u.query != "" {
		u.searcher.Now(u.request())
	}
}
