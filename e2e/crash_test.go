package e2e

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"dossier/internal/testbin"
)

// TestCrash_KillDuringImportAndReindex kills `dossier import` and `dossier
// reindex` with SIGKILL at random moments, over many rounds, and after
// each checks with `dossier check` that the project opens, that no
// document is half-imported (every one has its original) and that the
// index agrees with the store. A last, uninterrupted import must then
// bring in exactly the files still missing.
func TestCrash_KillDuringImportAndReindex(t *testing.T) {
	if testing.Short() {
		t.Skip("crash rounds skipped in -short mode")
	}
	bin := testbin.Dossier(t)
	tmp := t.TempDir()
	src := filepath.Join(tmp, "corpus")
	const files = 3000
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("kant manas bishkek airbase treaty garrison summit pipeline border customs grain harbour ministry")
	for i := range files {
		var b strings.Builder
		fmt.Fprintf(&b, "Report %d\n\n", i)
		for range 200 + rng.IntN(400) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		path := filepath.Join(src, fmt.Sprintf("d%02d", i%30), fmt.Sprintf("r%05d.txt", i))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proj := filepath.Join(tmp, "project")
	run(t, nil, "--project", proj, "--no-seeds", "docs")

	rounds := 12
	for r := range rounds {
		args := []string{"--project", proj, "import", src}
		if r%4 == 3 {
			args = []string{"--project", proj, "reindex"}
		}
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(100+rng.IntN(900)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()

		out, errOut, err := runErr(nil, bin, "--project", proj, "check", "--json")
		if err != nil {
			t.Fatalf("round %d (%s): check failed: %v\n%s\n%s", r, args[2], err, out, errOut)
		}
		var rep struct {
			Documents int
			Indexed   uint64
			Problems  []string
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("round %d: %v\n%s", r, err, out)
		}
		if len(rep.Problems) > 0 || uint64(rep.Documents) != rep.Indexed {
			t.Fatalf("round %d (%s): %+v", r, args[2], rep)
		}
		t.Logf("round %d: killed %s; %d documents, all sound", r, args[2], rep.Documents)
	}
	run(t, nil, "--project", proj, "import", src)
	var docs []json.RawMessage
	if err := json.Unmarshal([]byte(run(t, nil, "--project", proj, "docs", "--json")), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != files {
		t.Fatalf("after a full import: %d documents, want %d", len(docs), files)
	}
}
