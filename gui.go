package main

import (
	"errors"

	"dossier/project"
)

// runGUI is replaced by the window once the app package lands.
func runGUI(dir string, opts project.Options) error {
	return errors.New("the window is not built yet; use the commands (dossier --help)")
}
