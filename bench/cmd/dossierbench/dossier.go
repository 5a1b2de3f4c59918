package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime/pprof"
	"strconv"
	"time"

	"dossier/bench/childrss"
	"dossier/project"
)

// importChild runs `dossier import` on view into a new project proj and
// returns its wall time, CPU time and max RSS.
func importChild(ctx context.Context, bin, proj, view string, n int) (importRecord, error) {
	logf("dossier: %s --project %s --no-seeds import %s", bin, proj, view)
	cmd := exec.CommandContext(ctx, bin, "--project", proj, "--no-seeds", "import", view)
	rss := childrss.Wrap(cmd)
	var out bytes.Buffer
	errTail := &tail{max: 4096}
	cmd.Stdout, cmd.Stderr = &out, errTail
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return importRecord{}, fmt.Errorf("dossier import: %v\n%s\n%s", err, head(out.String(), 2000), errTail)
	}
	imported, failed, err := parseImportSummary(out.String())
	if err != nil {
		return importRecord{}, err
	}
	if imported != n {
		return importRecord{}, fmt.Errorf("dossier imported %d of %d documents (%d failed):\n%s", imported, n, failed, head(out.String(), 2000))
	}
	return importRecord{N: n, Wall: wall, CPU: cpuTime(cmd.ProcessState), MaxRSS: rss(), At: time.Now(), Dir: proj}, nil
}

// profileImport imports the same folder in this process with a CPU profile,
// for finding where an import spends its time.
func profileImport(ctx context.Context, profPath, proj, view string) error {
	f, err := os.Create(profPath)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := project.Open(ctx, proj, project.Options{NoSeeds: true})
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		p.Close()
		return err
	}
	start := time.Now()
	_, err = p.Import(ctx, []string{view}, nil)
	pprof.StopCPUProfile()
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	logf("dossier: in-process import with CPU profile took %s; profile in %s", time.Since(start).Round(time.Millisecond), profPath)
	return err
}

var summaryRe = regexp.MustCompile(`Imported (\d+), skipped (\d+), failed (\d+)`)

// parseImportSummary reads the first line `dossier import` prints.
func parseImportSummary(out string) (imported, failed int, err error) {
	m := summaryRe.FindStringSubmatch(out)
	if m == nil {
		return 0, 0, fmt.Errorf("dossier import printed no summary:\n%s", head(out, 2000))
	}
	imported, _ = strconv.Atoi(m[1])
	failed, _ = strconv.Atoi(m[3])
	return imported, failed, nil
}
