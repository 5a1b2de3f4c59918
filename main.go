// Command dossier is an offline research notebook: with no command it opens
// the window; with one it runs that command (see dossier --help).
package main

import (
	"os"

	"dossier/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, GUI: runGUI}))
}
