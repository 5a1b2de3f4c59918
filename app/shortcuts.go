package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// ctrl is the platform's shortcut modifier: Command on macOS, Ctrl
// elsewhere.
const ctrl = fyne.KeyModifierShortcutDefault

func shortcut(key fyne.KeyName, mods fyne.KeyModifier) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: mods}
}

// ctrlName is how the sheet writes the shortcut modifier.
func ctrlName() string {
	if runtime.GOOS == "darwin" {
		return "⌘"
	}
	return "Ctrl"
}

// shortcutSheet is Help → Keyboard shortcuts, in sections.
func shortcutSheet() []struct {
	title string
	keys  [][2]string
} {
	c := ctrlName()
	return []struct {
		title string
		keys  [][2]string
	}{
		{"Search", [][2]string{
			{c + "+K  or  " + c + "+F", "Go to the search field"},
			{"↑  ↓", "Move through the results"},
			{"Enter", "Open the selected result"},
			{"Esc", "Back to the results; again to clear the search"},
		}},
		{"Reader", [][2]string{
			{"F3  or  " + c + "+G", "Next hit"},
			{"Shift+F3  or  " + c + "+Shift+G", "Previous hit"},
			{c + "+C", "Copy the selected text"},
			{c + "+Shift+Q", "Pin the selected passage as a quote"},
			{c + "+A", "Select the whole document"},
			{"Page Up  Page Down  Home  End", "Scroll"},
			{c + "+L", "Go to a page (PDF)"},
			{c + "+1  " + c + "+2", "Show the results or the reader"},
		}},
		{"Timeline", [][2]string{
			{c + "+3", "Show the timeline"},
			{"Wheel  +  -  ↑  ↓", "Zoom in and out"},
			{"Drag  ←  →", "Move through time"},
			{"Home  or  0", "Show every date"},
		}},
		{"Notes", [][2]string{
			{c + "+N", "New note"},
			{"[[", "Link to a note, source or quote (↑ ↓ Enter, Esc)"},
			{c + "+click", "Follow the link under the mouse"},
			{c + "+Z  " + c + "+Shift+Z", "Undo, redo in the editor"},
		}},
		{"Project", [][2]string{
			{c + "+I", "Import files"},
			{c + "+Shift+I", "Import a folder"},
			{c + "+O", "Open a project"},
			{c + "+Shift+N", "New project"},
			{c + "+/", "This sheet"},
			{c + "+Q", "Quit"},
		}},
	}
}

// showShortcuts shows the keyboard shortcut sheet.
func (u *UI) showShortcuts() {
	var objs []fyne.CanvasObject
	for i, sec := range shortcutSheet() {
		if i > 0 {
			objs = append(objs, layout.NewSpacer(), layout.NewSpacer())
		}
		objs = append(objs, &widget.Label{Text: sec.title, TextStyle: fyne.TextStyle{Bold: true}}, layout.NewSpacer())
		for _, k := range sec.keys {
			key := &widget.Label{Text: k[0], TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.HighImportance}
			objs = append(objs, key, widget.NewLabel(k[1]))
		}
	}
	content := container.NewVScroll(container.New(layout.NewFormLayout(), objs...))
	content.SetMinSize(fyne.NewSize(600, 520))
	dialog.NewCustom("Keyboard shortcuts", "Close", content, u.win).Show()
}

// bindShortcuts registers the window-wide shortcuts. Focused widgets that
// take shortcuts themselves (the search field, the reader) hand the ones
// they do not use to handleShortcut, so these work wherever the focus is.
func (u *UI) bindShortcuts() {
	focus := func() { u.FocusSearch() }
	u.shortcuts = map[string]func(){}
	add := func(s fyne.Shortcut, f func()) {
		u.shortcuts[s.ShortcutName()] = f
		u.win.Canvas().AddShortcut(s, func(fyne.Shortcut) { f() })
	}
	add(shortcut(fyne.KeyK, ctrl), focus)
	add(shortcut(fyne.KeyF, ctrl), focus)
	add(shortcut(fyne.KeyG, ctrl), u.reader.NextHit)
	add(shortcut(fyne.KeyG, ctrl|fyne.KeyModifierShift), u.reader.PrevHit)
	add(shortcut(fyne.KeyL, ctrl), u.reader.ShowGoToPage)
	add(shortcut(fyne.Key1, ctrl), u.showResults)
	add(shortcut(fyne.Key2, ctrl), u.showReader)
	add(shortcut(fyne.Key3, ctrl), u.showTimeline)
	add(shortcut(fyne.KeySlash, ctrl), u.showShortcuts)
	u.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { u.handleKey(ev) })
}

// handleShortcut runs a window-wide shortcut and reports whether s was
// one.
func (u *UI) handleShortcut(s fyne.Shortcut) bool {
	f, ok := u.shortcuts[s.ShortcutName()]
	if ok {
		f()
		return true
	}
	// Menu shortcuts (Ctrl+O, Ctrl+I…) are matched by the window before
	// any widget sees them; nothing else to do.
	return false
}

// handleKey handles the keys that mean the same wherever the focus is; it
// reports whether it used ev.
func (u *UI) handleKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyF3:
		if shiftHeld() {
			u.reader.PrevHit()
		} else {
			u.reader.NextHit()
		}
		return true
	case fyne.KeyF1:
		u.showShortcuts()
		return true
	case fyne.KeyEscape:
		if u.tabs.Selected() == u.readerTab {
			u.showResults()
			u.FocusSearch()
			return true
		}
		if u.bar.entry.Text != "" {
			u.bar.entry.SetText("")
			return true
		}
	case fyne.KeyUp, fyne.KeyDown:
		if u.win.Canvas().Focused() == nil {
			u.moveResult(ev.Name)
			return true
		}
	}
	return false
}

// shiftHeld reports whether Shift is down; Shift+F3 reaches widgets as a
// plain F3 key, since Fyne makes shortcuts only of Ctrl, Alt and Super.
func shiftHeld() bool {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0
	}
	return false
}

// searchKey handles the keys the search field passes on: Up/Down move
// through the results, Enter opens one.
func (u *UI) searchKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyUp, fyne.KeyDown:
		u.moveResult(ev.Name)
		return true
	case fyne.KeyReturn, fyne.KeyEnter:
		if u.tabs.Selected() != u.resultsTab {
			u.showResults()
		}
		u.results.OpenSelected()
		return true
	}
	return u.handleKey(ev)
}

func (u *UI) moveResult(key fyne.KeyName) {
	if u.tabs.Selected() != u.resultsTab {
		u.showResults()
	}
	if key == fyne.KeyUp {
		u.results.MoveSelection(-1)
	} else {
		u.results.MoveSelection(1)
	}
}
