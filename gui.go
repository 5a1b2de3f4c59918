package main

import "dossier/app"

// runGUI opens the window; kept apart from main.go so the wiring reads at a
// glance.
var runGUI = app.Run
