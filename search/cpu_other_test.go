//go:build !unix

package search

import "time"

// cpuTime is not measured here; benchmarks then omit docs/cpu-s.
func cpuTime() time.Duration { return 0 }
