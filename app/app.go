// Package app is Dossier's window: a Fyne GUI over the project's store and
// index. The window has a search field across the top, the library with its
// facets on the left, search results and the reader in the centre, and the
// open document's details on the right, where notes and quotes will join
// them.
//
// Every pane lives in its own file with a constructor; New wires them
// together for one fyne.App so that tests drive the real UI headless with
// fyne.io/fyne/v2/test. Work that touches the disk (searching, loading a
// document, importing) runs on its own goroutine and hands its result to
// the UI goroutine through one function, UI.do (fyne.Do in the app).
package app

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	_ "dossier/app/internal/locale" // before Fyne initialises: see its doc
	"dossier/assets"
	"dossier/notes"
	"dossier/project"
)

// AppID identifies Dossier to the desktop and names its preferences
// folder; FyneApp.toml carries the same value.
const AppID = "io.dossier.app"

// Version is shown in Help → About.
const Version = "0.1.0"

// Preference keys. Split offsets are fractions of the split's width.
const (
	prefTheme        = "theme"
	prefLastProject  = "project.last"
	prefSplitSidebar = "split.sidebar"
	prefSplitRight   = "split.right"
	prefSplitLibrary = "split.library"
	prefDetails      = "pane.details"
	prefWidth        = "window.width"
	prefHeight       = "window.height"
)

// Options change how New builds the window.
type Options struct {
	// OpenProject opens a project folder for File → Open project and
	// File → New project; nil uses project.Open.
	OpenProject func(ctx context.Context, dir string, opts project.Options) (*project.Project, error)
	// Debounce is how long typing must pause before a search runs; zero
	// uses 50 ms.
	Debounce time.Duration

	// do runs a func on the UI goroutine; nil uses fyne.Do. Tests set it
	// to a queue they drain, since Fyne's test driver runs fyne.Do on the
	// caller's goroutine.
	do func(func())
	// prof, when set, hears of the moments of startup (see EnvProfile).
	prof *startupProfile
	// deferLibrary leaves the first library load to StartLoading, so that
	// at 100,000 documents reading the list does not compete with showing
	// the window.
	deferLibrary bool
	// projectLater leaves the window without a project, not even the
	// "no project" state, until the caller's setProject (Run opens the
	// project while New builds the window).
	projectLater bool
}

// UI is Dossier's main window and its panes.
type UI struct {
	app   fyne.App
	win   fyne.Window
	opts  Options
	do    func(func())
	prefs fyne.Preferences

	proj *project.Project
	docs []notes.Document
	// sources is how many documents the project has, known before docs
	// is loaded so the welcome does not say "0 sources" meanwhile.
	sources int

	bar                   *searchBar
	searcher              *searcher
	results               *resultsPane
	reader                *readerPane
	library               *libraryPane
	details               *detailsPane
	notes                 *notesPane
	quotes                *quotesUI
	importer              *importer
	tabs                  *container.AppTabs
	resultsTab, readerTab *container.TabItem
	timeline              *timelinePane // see timeline_pane.go
	timelineTab           *container.TabItem
	status                *widget.Label
	sideSplit             *container.Split // library | the rest
	mainSplit             *container.Split // centre | details
	menus                 *fyne.MainMenu
	themeItems            map[string]*fyne.MenuItem
	detailsItem           *fyne.MenuItem
	shortcuts             map[string]func()

	query   string              // the text of the search field, trimmed
	filters map[string][]string // the sidebar's facet filters

	// onResults, if set, sees every search result shown (tests and
	// benchmarks measure with it).
	onResults func(searchOutcome)

	startupLoads int    // loads startLoading began that have not arrived yet
	startupGC    func() // restores the GC target when they have

	repair *indexRepair   // see index_repair.go
	bg     sync.WaitGroup // background work that uses the project
	closed atomic.Bool    // set by Close; later UI callbacks do nothing
}

// New builds the main window for project p (which may be nil: the window
// then offers to open one) without showing it. The UI owns p from then on
// and closes it in Close or when another project is opened.
func New(a fyne.App, p *project.Project, opts Options) *UI {
	u := &UI{app: a, opts: opts, prefs: a.Preferences()}
	do := opts.do
	if do == nil {
		do = fyne.Do
	}
	// Work that finishes after Close (Fyne runs fyne.Do inline once its
	// loop has stopped) must not touch the torn-down window.
	u.do = func(f func()) {
		do(func() {
			if !u.closed.Load() {
				f()
			}
		})
	}
	if opts.Debounce <= 0 {
		u.opts.Debounce = defaultDebounce
	}
	a.Settings().SetTheme(newTheme(u.prefs.StringWithFallback(prefTheme, themeSystem)))
	a.SetIcon(assets.Icon)
	u.win = a.NewWindow("Dossier")
	u.win.SetIcon(assets.WindowIcon)

	u.bar = newSearchBar()
	u.bar.entry.OnChanged = u.queryChanged
	u.bar.entry.onKey = u.searchKey
	u.bar.entry.onShortcut = u.handleShortcut
	u.searcher = newSearcher(u.index, u.do, u.opts.Debounce, u.deliver)
	u.results = newResultsPane(u.openHit, u.setQuery)
	u.results.kind.onChange = func(string) { u.filtersChanged(u.filters) }
	u.reader = newReader(u.store, u.index, u.do)
	u.reader.win = u.win
	u.reader.onLoaded = u.loaded
	u.reader.onError = u.showError
	u.reader.view.tv.onKey = u.handleKey
	u.reader.view.tv.onShortcut = u.handleShortcut
	u.library = newLibrary(u.open, u.filtersChanged)
	u.details = newDetails(u.do)
	u.details.editor.bind = u.bindSourceSaver
	u.importer = &importer{win: u.win, do: u.do, project: func() *project.Project { return u.proj }, onDone: u.imported, bg: &u.bg}

	u.resultsTab = container.NewTabItemWithIcon("Results", theme.SearchIcon(), u.results.content)
	u.readerTab = newLazyTab("Reader", theme.FileTextIcon(), u.reader.content)
	u.timeline = newTimelinePane(u)
	u.timelineTab = newLazyTab("Timeline", theme.HistoryIcon(), u.timeline.content)
	u.tabs = container.NewAppTabs(u.resultsTab, u.readerTab, u.timelineTab)
	u.tabs.OnSelected = func(t *container.TabItem) {
		if t == u.timelineTab {
			u.timeline.Shown()
		}
	}

	var importBtn *widget.Button
	importBtn = widget.NewButtonWithIcon("Import", theme.ContentAddIcon(), func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem("Import files…", u.importer.ChooseFile),
			fyne.NewMenuItem("Import folder…", u.importer.ChooseFolder))
		widget.ShowPopUpMenuAtRelativePosition(menu, u.win.Canvas(), fyne.NewPos(0, importBtn.Size().Height), importBtn)
	})
	themeBtn := widget.NewButtonWithIcon("", theme.ColorPaletteIcon(), u.toggleTheme)
	themeBtn.Importance = widget.LowImportance
	helpBtn := widget.NewButtonWithIcon("", theme.HelpIcon(), u.showShortcuts)
	helpBtn.Importance = widget.LowImportance
	top := container.NewBorder(nil, nil, nil, container.NewHBox(importBtn, themeBtn, helpBtn), u.bar.box)

	u.mainSplit = container.NewHSplit(u.tabs, u.details.content)
	u.mainSplit.Offset = u.prefs.FloatWithFallback(prefSplitRight, 0.6)
	u.sideSplit = container.NewHSplit(u.library.content, u.mainSplit)
	u.sideSplit.Offset = u.prefs.FloatWithFallback(prefSplitSidebar, 0.22)
	u.library.split.Offset = u.prefs.FloatWithFallback(prefSplitLibrary, 0.6)
	if !u.prefs.BoolWithFallback(prefDetails, true) {
		u.details.content.Hide()
	}
	u.status = &widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}

	// The panes that add tabs come before SetContent, which lays the
	// window out: the tabs in front then are the ones measured and built.
	u.bindShortcuts()
	u.initNotes()
	u.quotes = newQuotesUI(u)
	u.win.SetContent(container.NewBorder(
		container.NewVBox(container.NewPadded(top), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), u.status),
		nil, nil, u.sideSplit))
	u.win.SetMainMenu(u.buildMenu())
	u.win.SetOnDropped(u.importer.Dropped)
	// Every way out (closing the window, File → Quit, SIGTERM) stops the
	// app, and Fyne writes the preferences to disk right after this hook.
	a.Lifecycle().SetOnStopped(u.savePrefs)
	u.win.Resize(fyne.NewSize(
		float32(u.prefs.FloatWithFallback(prefWidth, 1280)),
		float32(u.prefs.FloatWithFallback(prefHeight, 800))))

	if !opts.projectLater {
		u.setProject(p)
	}
	return u
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Project returns the open project, or nil.
func (u *UI) Project() *project.Project { return u.proj }

func (u *UI) store() notes.Store {
	if u.proj == nil {
		return nil
	}
	return u.proj.Store
}

func (u *UI) index() notes.Index {
	if u.proj == nil {
		return nil
	}
	return u.proj.Index
}

// Close saves the window's layout, cancels a running import, waits for
// background work and closes the project.
func (u *UI) Close() error {
	if u.closed.Swap(true) {
		return nil
	}
	u.savePrefs()
	u.details.editor.Flush()
	u.searcher.Stop()
	u.importer.Cancel()
	u.repair.stop()
	u.notes.Close()
	u.bg.Wait()
	if u.proj != nil {
		return u.proj.Close()
	}
	return nil
}

// savePrefs records the open project and the window's layout. Only
// changed values are set: each set makes Fyne rewrite its preferences
// file, and a write before Fyne's event loop runs can race with Fyne's own
// file watcher (it then logs "Preferences load error: EOF"), so nothing is
// written while the window is being built.
func (u *UI) savePrefs() {
	set := func(key string, v float64) {
		if u.prefs.FloatWithFallback(key, -1) != v {
			u.prefs.SetFloat(key, v)
		}
	}
	if u.proj != nil && u.prefs.String(prefLastProject) != u.proj.Dir {
		u.prefs.SetString(prefLastProject, u.proj.Dir)
	}
	set(prefSplitSidebar, u.sideSplit.Offset)
	set(prefSplitRight, u.mainSplit.Offset)
	set(prefSplitLibrary, u.library.split.Offset)
	if s := u.win.Canvas().Size(); s.Width > 100 && s.Height > 100 {
		set(prefWidth, float64(s.Width))
		set(prefHeight, float64(s.Height))
	}
}

// setProject shows project p (nil for none), dropping everything of the
// previous one, which it closes.
func (u *UI) setProject(p *project.Project) {
	old := u.proj
	u.searcher.Stop()
	repairing := u.repair.stop()
	u.repair = nil
	u.proj = p
	u.docs = nil
	u.sources = 0
	u.reader.Close()
	u.details.Show(nil)
	u.timeline.Reset()
	u.notes.SetProject()
	u.readerTab.Text = "Reader"
	u.tabs.Select(u.resultsTab)
	u.bar.entry.SetText("")
	u.queryChanged("")
	if p == nil {
		u.win.SetTitle("Dossier")
		u.status.SetText("No project open: use File → Open project or File → New project.")
		u.library.SetDocuments(nil)
	} else {
		u.win.SetTitle("Dossier — " + p.Name)
		if !u.opts.deferLibrary {
			u.reloadLibrary()
		}
		u.startIndexRepair(p)
	}
	if !u.opts.deferLibrary { // else startLoading reads them
		u.quotes.reload()
	}
	if old != nil && old != p {
		// An import into the old project is cancelled by now but may still
		// be committing its last batch: close the project after it.
		running := u.importer.Done()
		u.importer.Cancel()
		go func() {
			if running != nil {
				<-running
			}
			<-repairing
			_ = old.Close()
		}()
	}
}

// started runs once the window is on screen: typing then goes to the
// search field, as in any search-first tool, and the library and quotes
// begin to load.
func (u *UI) started() {
	if u.proj != nil {
		u.win.Canvas().Focus(u.bar.entry)
	}
	u.startLoading()
}

// startLoading loads the library that New left for later (see
// Options.deferLibrary).
func (u *UI) startLoading() {
	if !u.opts.deferLibrary {
		return
	}
	u.opts.deferLibrary = false
	u.startupLoads = 2 // the library and the quotes: see startupLoaded
	u.startupGC = project.LowerGC(startupGCPercent)
	u.reloadLibrary()
	u.quotes.reload()
}

// reloadLibrary reads the list of sources again (after an import).
func (u *UI) reloadLibrary() {
	st := u.store()
	if st == nil {
		return
	}
	p := u.proj
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		if n, err := st.CountDocuments(context.Background()); err == nil {
			u.do(func() {
				if u.proj == p && u.docs == nil {
					u.sources = n
					if u.query == "" {
						u.results.ShowWelcome(n, welcomeExamples)
					}
				}
			})
		}
		docs, err := st.Listing(context.Background())
		u.opts.prof.mark("library read")
		u.do(func() {
			if u.proj != p {
				return
			}
			if err != nil {
				u.showError(err)
				return
			}
			u.docs = docs
			u.sources = len(docs)
			u.library.SetDocuments(docs)
			u.opts.prof.mark("library shown")
			u.startupLoaded()
			time.AfterFunc(3*time.Second, u.opts.prof.finish)
			u.quotes.docsChanged()
			u.results.SetPages(docs)
			if u.repair == nil { // else the rebuild's progress keeps the status bar
				u.status.SetText(fmt.Sprintf("%s  ·  %s", plural(len(docs), "source", "sources"), tildeHome(p.Dir)))
			}
			if u.query == "" {
				u.results.ShowWelcome(len(docs), welcomeExamples)
			}
		})
	}()
}

// welcomeExamples are the example queries offered before the first search.
var welcomeExamples = []string{"airbase", `"opening ceremony"`, "russia -putin", "kyrg*"}

// queryChanged runs for every edit of the search field.
func (u *UI) queryChanged(text string) {
	u.query = strings.TrimSpace(text)
	if u.query == "" {
		u.searcher.Stop()
		u.bar.showError("")
		u.results.ShowWelcome(u.sources, welcomeExamples)
		u.reader.SetQuery("")
		u.timeline.QueryChanged()
		return
	}
	// The timeline stays in front while it follows the search.
	if u.tabs.Selected() != u.resultsTab && u.win.Canvas().Focused() == u.bar.entry &&
		!(u.tabs.Selected() == u.timelineTab && u.timeline.filtering()) {
		u.tabs.Select(u.resultsTab)
	}
	u.searcher.Request(u.request())
}

func (u *UI) request() notes.SearchRequest {
	return notes.SearchRequest{Query: u.query, Limit: 50, PrefixLast: true, Filters: withKind(u.filters, u.results.kind.kind), Snippets: snippetsShown}
}

// setQuery puts q in the search field and searches at once (the example
// and "looser query" buttons).
func (u *UI) setQuery(q string) {
	u.bar.entry.SetText(q)
	u.searcher.Now(u.request())
	u.FocusSearch()
}

// deliver shows a finished search; the searcher has already dropped stale
// ones.
func (u *UI) deliver(o searchOutcome) {
	if o.req.Query != u.query {
		return
	}
	if o.err != nil {
		if k := notes.ErrorKind(o.err); k == notes.EINVALID || k == project.EBUSY {
			u.bar.showError(o.err.Error())
		} else {
			u.bar.showError("Search failed: " + o.err.Error())
		}
		return
	}
	u.bar.showError("")
	u.results.kind.Results(o.req.Query, o.res, len(o.req.Filters["type"]) > 0)
	u.results.SetResults(o.req.Query, o.res, len(o.req.Filters) > 0)
	u.reader.SetQuery(highlightQuery(o.req.Query))
	u.timeline.QueryChanged()
	if u.onResults != nil {
		u.onResults(o)
	}
}

func (u *UI) filtersChanged(f map[string][]string) {
	u.filters = f
	if u.query != "" {
		u.searcher.Now(u.request())
	}
}

// FocusSearch puts the keyboard focus in the search field with its text
// selected, so typing replaces the query.
func (u *UI) FocusSearch() {
	u.win.Canvas().Focus(u.bar.entry)
	u.bar.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// open shows document id in the reader, with the current query's hits.
func (u *UI) open(id string) {
	u.reader.Open(id, highlightQuery(u.query))
	u.library.Highlight(id)
	u.tabs.Select(u.readerTab)
}

// openAt shows document id in the reader with the passage [start, end)
// (code points) selected and in view: where quotes, links and events lead.
func (u *UI) openAt(id string, start, end int) {
	u.reader.OpenAt(id, highlightQuery(u.query), start, end)
	u.library.Highlight(id)
	u.tabs.Select(u.readerTab)
}

// loaded runs when the reader has a document to show.
func (u *UI) loaded(d *notes.Document) {
	u.readerTab.Text = ellipsize(orDefault(d.Title, "Untitled"), 36)
	u.tabs.Refresh()
	u.details.Show(d)
	u.notes.ShowSource(d)
	u.library.Highlight(d.ID)
	u.quotes.docLoaded(d)
}

func (u *UI) showResults() { u.tabs.Select(u.resultsTab) }
func (u *UI) showReader()  { u.tabs.Select(u.readerTab) }

// imported refreshes the library and the results after an import.
func (u *UI) imported(*project.ImportReport, error) {
	u.reloadLibrary()
	if u.tabs.Selected() == u.timelineTab {
		u.timeline.Reload()
	}
	if u.query != "" {
		u.searcher.Now(u.request())
	}
}

func (u *UI) showError(err error) {
	if err != nil {
		dialog.ShowError(notes.Explain(err), u.win)
	}
}

func (u *UI) setThemeMode(mode string) {
	u.prefs.SetString(prefTheme, mode)
	u.app.Settings().SetTheme(newTheme(mode))
	for m, it := range u.themeItems {
		it.Checked = m == mode
	}
	if u.menus != nil {
		u.menus.Refresh()
	}
}

// toggleTheme flips between light and dark from whatever is showing now.
func (u *UI) toggleTheme() {
	if u.app.Settings().ThemeVariant() == theme.VariantDark && u.currentMode() == themeSystem || u.currentMode() == themeDark {
		u.setThemeMode(themeLight)
	} else {
		u.setThemeMode(themeDark)
	}
}

func (u *UI) currentMode() string { return u.prefs.StringWithFallback(prefTheme, themeSystem) }

func (u *UI) toggleDetails() {
	c := u.details.content
	if c.Visible() {
		c.Hide()
	} else {
		c.Show()
	}
	u.prefs.SetBool(prefDetails, c.Visible())
	u.detailsItem.Checked = c.Visible()
	u.mainSplit.Refresh()
	u.menus.Refresh()
}

func (u *UI) buildMenu() *fyne.MainMenu {
	item := func(label string, f func(), s fyne.Shortcut) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = s
		return it
	}
	quit := item("Quit", u.app.Quit, shortcut(fyne.KeyQ, ctrl))
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		item("Import files…", u.importer.ChooseFile, shortcut(fyne.KeyI, ctrl)),
		item("Import folder…", u.importer.ChooseFolder, shortcut(fyne.KeyI, ctrl|fyne.KeyModifierShift)),
		item("New note", func() { u.newNote() }, shortcut(fyne.KeyN, ctrl)),
		fyne.NewMenuItemSeparator(),
		item("New project…", u.newProjectDialog, shortcut(fyne.KeyN, ctrl|fyne.KeyModifierShift)),
		item("Open project…", u.openProjectDialog, shortcut(fyne.KeyO, ctrl)),
		fyne.NewMenuItemSeparator(),
		u.exportMenu(),
		item("Share bundle…", u.shareBundleDialog, nil),
		item("Open bundle…", u.openBundleDialog, nil),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	u.themeItems = map[string]*fyne.MenuItem{
		themeSystem: item("Follow the system", func() { u.setThemeMode(themeSystem) }, nil),
		themeLight:  item("Light", func() { u.setThemeMode(themeLight) }, nil),
		themeDark:   item("Dark", func() { u.setThemeMode(themeDark) }, nil),
	}
	for m, it := range u.themeItems {
		it.Checked = m == u.currentMode()
	}
	themeMenu := fyne.NewMenuItem("Theme", nil)
	themeMenu.ChildMenu = fyne.NewMenu("", u.themeItems[themeSystem], u.themeItems[themeLight], u.themeItems[themeDark])
	u.detailsItem = item("Details pane", u.toggleDetails, nil)
	u.detailsItem.Checked = u.details.content.Visible()
	view := fyne.NewMenu("View",
		item("Search", u.FocusSearch, shortcut(fyne.KeyK, ctrl)),
		item("Results", u.showResults, shortcut(fyne.Key1, ctrl)),
		item("Reader", u.showReader, shortcut(fyne.Key2, ctrl)),
		item("Timeline", u.showTimeline, shortcut(fyne.Key3, ctrl)),
		fyne.NewMenuItemSeparator(),
		item("Next hit", func() { u.reader.NextHit() }, shortcut(fyne.KeyF3, 0)),
		item("Previous hit", func() { u.reader.PrevHit() }, shortcut(fyne.KeyF3, fyne.KeyModifierShift)),
		fyne.NewMenuItemSeparator(),
		u.detailsItem,
		themeMenu,
	)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts", u.showShortcuts, shortcut(fyne.KeySlash, ctrl)),
		item("About Dossier", u.showAbout, nil),
	)
	u.menus = fyne.NewMainMenu(file, view, help)
	return u.menus
}

func (u *UI) showAbout() {
	msg := fmt.Sprintf("Dossier %s\n\nAn offline research notebook: search every source at once and read each hit in context.\nDossier never opens a network connection.", Version)
	if u.proj != nil {
		msg += "\n\nProject: " + u.proj.Dir
	}
	dialog.ShowInformation("About Dossier", msg, u.win)
}

// openProject opens dir in the background and switches to it.
func (u *UI) openProject(dir string, opts project.Options) {
	if u.proj != nil && filepath.Clean(dir) == filepath.Clean(u.proj.Dir) {
		return
	}
	open := u.opts.OpenProject
	if open == nil {
		open = project.Open
	}
	prog := dialog.NewCustomWithoutButtons("Opening project", container.NewVBox(
		widget.NewLabel("Opening "+tildeHome(dir)+"…"), widget.NewProgressBarInfinite()), u.win)
	prog.Show()
	opts.DeferIndexRepair = true // the window stays usable while it is rebuilt
	go func() {
		p, err := open(context.Background(), dir, opts)
		u.do(func() {
			prog.Hide()
			if err != nil {
				u.showError(err)
				return
			}
			u.setProject(p)
			u.savePrefs()
		})
	}()
}

func (u *UI) openProjectDialog() {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if l == nil {
			return
		}
		dir := l.Path()
		if !project.Exists(dir) {
			dialog.ShowConfirm("Not a Dossier project",
				fmt.Sprintf("%s holds no Dossier project. Create a new, empty project there?", tildeHome(dir)),
				func(ok bool) {
					if ok {
						u.openProject(dir, project.Options{NoSeeds: true})
					}
				}, u.win)
			return
		}
		u.openProject(dir, project.Options{})
	}, u.win)
	if u.proj != nil {
		d.SetLocation(listable(filepath.Dir(u.proj.Dir)))
	}
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

func (u *UI) newProjectDialog() {
	parent := filepath.Dir(project.DefaultDir())
	if u.proj != nil {
		parent = filepath.Dir(u.proj.Dir)
	}
	place := newPlaceField(u.win, parent, "name the project", func(dir string) string {
		if project.Exists(dir) {
			return "a project with this name exists there"
		}
		return ""
	})
	place.name.SetPlaceHolder("kant-airbase")
	seeds := widget.NewCheck("Start with the sample sources (Kant airbase)", nil)
	items := []*widget.FormItem{
		widget.NewFormItem("Name", place.name),
		widget.NewFormItem("In folder", place.row),
		widget.NewFormItem("", seeds),
	}
	d := dialog.NewForm("New project", "Create", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		u.openProject(place.Path(), project.Options{NoSeeds: !seeds.Checked})
	}, u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
	u.win.Canvas().Focus(place.name)
}

// tildeHome shortens a path under the home folder to ~/….
func tildeHome(p string) string {
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		if rel, err := filepath.Rel(h, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.Join("~", rel)
		}
	}
	return p
}

// ellipsize cuts s to n characters with an ellipsis.
func ellipsize(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Run opens the project in dir (creating it, seeded unless opts.NoSeeds,
// when it does not exist) and shows the window until the user quits. When
// dir is the default folder and DOSSIER_PROJECT is unset, the project open
// when Dossier last quit is opened instead. If the project cannot be
// opened (another Dossier has it), the window opens anyway and says so.
func Run(dir string, opts project.Options) error {
	prof := profileStart()
	prof.mark("started")
	log.SetOutput(&prefsNoiseFilter{w: os.Stderr})
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: AppID, Name: "Dossier", Version: Version, Build: 1, Icon: assets.Icon,
		// Every goroutine of ours reaches the UI through fyne.Do.
		Migrations: map[string]bool{"fyneDo": true},
	})
	a := fyneapp.NewWithID(AppID)
	go warmFonts()
	if dir == "" || (dir == project.DefaultDir() && os.Getenv(project.EnvProject) == "") {
		if last := a.Preferences().String(prefLastProject); last != "" && project.Exists(last) {
			dir = last
		} else if dir == "" {
			dir = project.DefaultDir()
		}
	}
	// A stale index is rebuilt once the window is up (startIndexRepair).
	opts.DeferIndexRepair = true
	opening := openAsync(dir, opts)
	u := New(a, nil, Options{prof: prof, deferLibrary: true, projectLater: true})
	prof.mark("window built")
	p, err := opening()
	prof.mark("project open")
	u.setProject(p)
	a.Lifecycle().SetOnStarted(func() {
		prof.mark("window shown")
		u.started()
	})
	if err != nil {
		u.showError(fmt.Errorf("cannot open the project in %s: %w", tildeHome(dir), err))
	}
	a.Lifecycle().SetOnStopped(func() {
		// Fyne saves the preferences file once more on the way out while
		// its file watcher, no longer serialised by the stopped event
		// loop, may read the half-written file and log "Preferences load
		// error: EOF" on most exits. Nothing is lost; silence Fyne's log
		// from here to the end of the process so that quitting is quiet.
		log.SetOutput(io.Discard)
		u.savePrefs()
	})
	u.win.ShowAndRun()
	return u.Close()
}
