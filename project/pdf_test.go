package project_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dossier/notes"
	"dossier/project"
	"dossier/store"
)

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "ingest", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestImport_PDFKeepsPagesAndExplainsFailures(t *testing.T) {
	src := t.TempDir()
	gs := readTestdata(t, "pdf/ghostscript.pdf")
	writeFiles(t, src, map[string]string{
		"report.pdf": string(gs),
		"broken.pdf": string(gs[:len(gs)/4]),
	})
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx := context.Background()
	rep, err := p.Import(ctx, []string{src}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 1 || len(rep.Failed) != 1 {
		t.Fatalf("report %+v, want one imported and one failed", rep)
	}
	if r := rep.Failed[0].Reason; !strings.HasPrefix(r, "broken PDF") {
		t.Fatalf("failure reason %q does not say the PDF is broken", r)
	}
	doc, err := p.Store.Document(ctx, rep.Imported[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 3 {
		t.Fatalf("stored Pages=%v, want 3 pages", doc.Pages)
	}
	i := strings.Index(doc.Text, "operational since 2017")
	if got := notes.PageAt(doc.Pages, notes.RuneOffset(doc.Text, i)); got != 2 {
		t.Fatalf("phrase on page %d, want 2", got)
	}
	if got := searchIDs(t, p, `"operational since 2017"`); !reflect.DeepEqual(got, []string{doc.ID}) {
		t.Fatalf("search found %v, want the PDF", got)
	}
	// The original stays byte for byte.
	if b, err := p.Store.(*store.Store).ReadOriginal(doc.SHA256); err != nil || string(b) != string(gs) {
		t.Fatalf("original not kept: %v", err)
	}
}

func TestImport_CancelStopsAFolderOfPDFs(t *testing.T) {
	src := t.TempDir()
	gs := readTestdata(t, "pdf/ghostscript.pdf")
	files := map[string]string{}
	for i := range 200 {
		// A comment after %%EOF makes each file distinct; readers skip it.
		files[fmt.Sprintf("r%03d.pdf", i)] = string(gs) + fmt.Sprintf("\n%% copy %d\n", i)
	}
	writeFiles(t, src, files)
	p := MustOpen(t, t.TempDir(), project.Options{NoSeeds: true})
	ctx, cancel := context.WithCancel(context.Background())
	var last project.ImportProgress
	rep, err := p.Import(ctx, []string{src}, func(ip project.ImportProgress) {
		last = ip
		if ip.Done >= 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err=%v, want context.Canceled", err)
	}
	if last.Total != 200 {
		t.Fatalf("progress total %d, want 200", last.Total)
	}
	for _, f := range rep.Failed {
		t.Errorf("%s reported as failed (%s): a cancel is no fault of the file", f.Path, f.Reason)
	}
	n, _ := p.Store.CountDocuments(context.Background())
	idx, _ := p.Index.Count()
	if uint64(n) != idx || n != len(rep.Imported) || n == 200 {
		t.Fatalf("store %d, index %d, report %d imported of 200", n, idx, len(rep.Imported))
	}
}
