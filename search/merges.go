package search

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// eventCallback is the name under which onEvent is registered with Scorch;
// openBleve names it in every shard's configuration.
const eventCallback = "dossier"

// mergesHeld counts the bulk loads under way in this process (see
// HoldMerges).
var mergesHeld atomic.Int32

// mergeHoldPoll is how long the merger waits before asking again whether
// it may merge: it asks in a loop, so the answer must not come at once.
const mergeHoldPoll = 100 * time.Millisecond

func init() {
	scorch.RegistryEventCallbacks[eventCallback] = onEvent
}

func onEvent(e scorch.Event) bool {
	if e.Kind == scorch.EventKindPreMergeCheck && mergesHeld.Load() > 0 && compacting.Load() == 0 {
		time.Sleep(mergeHoldPoll)
		return false
	}
	return true
}

// HoldMerges stops Scorch's background merging in this process, except
// Compact's, until release is called. A bulk load that ends in Compact
// (a large import, a rebuild) holds them until Compact is done: Compact
// merges everything once, so the merges Scorch would make along the way
// (tier upon tier, each document rewritten two or three times) are wasted
// work, and a merge that began just before Compact would write the index
// out uncompressed. Meanwhile each batch stays a segment of its own, which
// searches pay for until Compact. It is process-wide because a rebuild
// reopens the index, whose merger starts as it opens.
func HoldMerges() (release func()) {
	mergesHeld.Add(1)
	var once sync.Once
	return func() { once.Do(func() { mergesHeld.Add(-1) }) }
}
