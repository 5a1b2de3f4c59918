package ingest

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestDbgPrune(t *testing.T) {
	dir := os.Getenv("RW_DIR")
	if dir == "" {
		t.Skip()
	}
	for _, p := range []string{"aclu", "engadget", "yahoo-2"} {
		data, _ := os.ReadFile(dir + "/" + p + "/source.html")
		src, _ := decodeHTML(data)
		root, _ := html.Parse(strings.NewReader(src))
		traverse(root, func(n *html.Node) bool {
			if n.Type == html.DocumentNode {
				return true
			}
			if n.Type != html.ElementNode {
				return false
			}
			if skipped[n.DataAtom] && n.DataAtom.String() != "head" {
				return false
			}
			if isNoise(n) {
				txt := nodeText(n)
				if len(txt) > 500 {
					t.Logf("%s: pruned <%s class=%q id=%q role=%q style=%q> %d bytes", p, n.Data, attr(n, "class"), attr(n, "id"), attr(n, "role"), attr(n, "style"), len(txt))
				}
				return false
			}
			return true
		}, nil)
	}
}
