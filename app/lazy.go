package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// lazyPane holds a tab's content out of the widget tree until the tab is
// first shown. container.AppTabs asks every tab's content for its MinSize,
// which builds the renderers of every widget in it and measures their
// text: for the tabs nobody sees at startup (Reader, Timeline, Compare,
// Details, Quotes) that was work done before the window could appear.
// AppTabs shows the selected tab's content and hides the others, so the
// first Show is the moment to put the content in.
type lazyPane struct {
	widget.BaseWidget
	content fyne.CanvasObject
	box     *fyne.Container // empty until the first Show
}

// newLazyTab returns a tab item whose content is built on first show.
func newLazyTab(text string, icon fyne.Resource, content fyne.CanvasObject) *container.TabItem {
	return container.NewTabItemWithIcon(text, icon, newLazyPane(content))
}

func newLazyPane(content fyne.CanvasObject) *lazyPane {
	l := &lazyPane{content: content, box: container.NewStack()}
	l.ExtendBaseWidget(l)
	return l
}

func (l *lazyPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.box)
}

// Show puts the content in on the first call with the pane given room:
// AppTabs sizes its selected content, then shows it, on every layout, and
// also lays out when a tab is appended, at its own size of zero (the
// content's height then is minus the tab bar's) before the window's layout
// and before New selects the tab that will be in front.
func (l *lazyPane) Show() {
	if s := l.Size(); !l.filled() && s.Width > 0 && s.Height > 0 {
		l.box.Objects = []fyne.CanvasObject{l.content}
		l.box.Refresh()
	}
	l.BaseWidget.Show()
}

func (l *lazyPane) filled() bool { return len(l.box.Objects) > 0 }
