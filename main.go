// Command dossier is an offline research notebook: with no command it opens
// the window; with one it runs that command (see dossier --help).
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"dossier/cli"
)

// envCPUProfile names a file to write a CPU profile of the whole command
// to, for measuring imports and searches (docs/PERFORMANCE.md); users never
// need it. The window's startup has its own (app.EnvProfile).
const envCPUProfile = "DOSSIER_CPUPROFILE"

func main() {
	os.Exit(run())
}

func run() int {
	if path := os.Getenv(envCPUProfile); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "dossier: %s: %v\n", envCPUProfile, err)
			return 1
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	return cli.Main(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, GUI: runGUI})
}
