package main

import (
	"testing"
	"time"
)

func TestPercentile_NearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(101-i)*time.Millisecond) // unsorted on purpose
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := percentile(ds, tc.p); got != tc.want {
			t.Errorf("percentile(p%v)=%v, want %v", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile(nil)=%v, want 0", got)
	}
}

func TestQueryResult_SkipsFailedQueries(t *testing.T) {
	r := newQueryResult(2)
	r.add(0, time.Millisecond)
	r.add(1, time.Second)
	r.skip = map[int]bool{1: true}
	if got := r.pct(100); got != time.Millisecond {
		t.Errorf("slowest with query 1 skipped = %v, want 1ms", got)
	}
}

func TestParseImportSummary(t *testing.T) {
	imp, failed, err := parseImportSummary("Imported 99998, skipped 0, failed 2 (61.2s).\n\nFailed:\n  a: b\n")
	if err != nil || imp != 99998 || failed != 2 {
		t.Errorf("got %d, %d, %v", imp, failed, err)
	}
	if _, _, err := parseImportSummary("something else"); err == nil {
		t.Error("no error for output without a summary")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d)=%q, want %q", n, got, want)
		}
	}
}

func TestRatio_NeverRoundsOntoTheBar(t *testing.T) {
	for _, tc := range []struct {
		x, bar float64
		want   string
	}{
		{0.298, 0.3, "0.298×"}, // "0.30×" beside "no" would contradict itself
		{0.3004, 0.3, "0.300×"},
		{0.3, 0.3, "0.30×"},
		{0.36, 0.3, "0.36×"},
		{1.33, 1.5, "1.33×"},
		{1.503, 1.5, "1.503×"},
	} {
		if got := ratio(tc.x, tc.bar); got != tc.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", tc.x, tc.bar, got, tc.want)
		}
	}
}
