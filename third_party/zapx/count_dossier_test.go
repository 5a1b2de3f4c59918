//  Dossier's addition to zapx (see DOSSIER.md); Apache 2.0 like the rest.

package zap

import (
	"bytes"
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// The CRC-32 gathered from writes of every size is the CRC-32 of all that
// was written, whenever it is asked.
func TestCountHashWriter_SumOfWritesOfEverySize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var out bytes.Buffer
	w := NewCountHashWriter(&out)
	for i := range 2000 {
		n := r.IntN(8)
		if i%50 == 0 {
			n = r.IntN(3000)
		}
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		if i%97 == 0 || i == 1999 {
			if got, want := w.Sum32(), crc32.ChecksumIEEE(out.Bytes()); got != want {
				t.Fatalf("after %d writes (%d bytes): %08x, want %08x", i+1, out.Len(), got, want)
			}
			if w.Count() != out.Len() {
				t.Fatalf("count %d, wrote %d", w.Count(), out.Len())
			}
		}
	}
}
