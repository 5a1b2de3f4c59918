package corpus

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// The sources make about 108,000 messages (the pool). Message i beyond the
// pool is composed from entries of the source of pool message i mod pool
// size, so every prefix of the corpus keeps the pool's mix of sources and
// languages: at least two entries of that source, drawn by a generator
// seeded with i, joined until the body reaches a log-normal size as in
// group, under a subject made of the first two entries' titles. A message
// whose body equals an earlier one's is drawn again (with one more entry
// after a few tries), and a subject already used gets a number, so every
// message beyond the pool differs from all before it in body and subject. Composing depends on what came before, so it
// runs in corpus order; the first pool-size messages are the pool itself,
// unchanged.
type composer struct {
	pool    pool
	seen    map[uint64]struct{} // hashes of every subject and body so far
	scratch []int
}

func newComposer(pl pool) *composer {
	c := &composer{pool: pl, seen: make(map[uint64]struct{}, 2*len(pl.msgs))}
	for _, m := range pl.msgs {
		c.seen[textHash('s', m.title)] = struct{}{}
		c.seen[textHash('b', m.body)] = struct{}{}
	}
	return c
}

// textHash hashes s, with kind keeping subjects and bodies apart. A false
// collision only makes a message be drawn again.
func textHash(kind byte, s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte{kind})
	h.Write([]byte(s))
	return h.Sum64()
}

// message returns message i; it must be called for i = 0, 1, 2, … in turn.
func (c *composer) message(i int) message {
	msgs := c.pool.msgs
	if i < len(msgs) {
		return msgs[i]
	}
	src := msgs[i%len(msgs)].src
	es := c.pool.entries[src]
	rng := rand.New(rand.NewPCG(uint64(i), 0xd055_1e5))
	least := 2
	for try := 1; ; try++ {
		target := lognormal(rng)
		picked := c.scratch[:0]
		var b strings.Builder
		for {
			k := rng.IntN(len(es))
			// No entry twice in one message, unless the source is too
			// small for that.
			if len(picked) < len(es) && containsInt(picked, k) {
				continue
			}
			e := es[k].text
			if len(picked) >= least && (b.Len() >= target || b.Len()+len(e) > target+target/4) {
				break
			}
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(e)
			picked = append(picked, k)
		}
		c.scratch = picked
		body := b.String()
		hb := textHash('b', body)
		if _, dup := c.seen[hb]; dup {
			if try%4 == 0 {
				least++
			}
			continue
		}
		c.seen[hb] = struct{}{}
		// Titles of one source often share their first words, so two
		// messages can still get the same subject: the later one is
		// numbered, as mail clients do with repeated subjects.
		base := cut(cut(es[picked[0]].title, 36)+" / "+es[picked[1]].title, 64)
		title := base
		for k := 2; ; k++ {
			hs := textHash('s', title)
			if _, dup := c.seen[hs]; !dup {
				c.seen[hs] = struct{}{}
				break
			}
			title = fmt.Sprintf("%s (%d)", base, k)
		}
		return message{src: src, title: title, body: body}
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
