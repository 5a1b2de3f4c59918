//  Copyright (c) 2017 Couchbase, Inc.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
// 		http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
//
// Modified for Dossier (see DOSSIER.md).

package zap

import (
	"hash/crc32"
	"io"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// CountHashWriter is a wrapper around a Writer which counts the number of
// bytes which have been written and computes a crc32 hash
type CountHashWriter struct {
	w   io.Writer
	crc uint32
	n   int
	s   segment.StatsReporter

	// Dossier: bytes written but not yet in crc. Zap writes mostly a few
	// bytes at a time (a varint, a length), and CRC-32 of a few bytes
	// takes the slow table path; gathered here, they take the fast one.
	// The bytes themselves go to w at once, as before.
	pending    [512]byte
	npending   int // bytes at the start of pending
	unreported int // bytes written but not yet reported to s
}

// NewCountHashWriter returns a CountHashWriter which wraps the provided Writer
func NewCountHashWriter(w io.Writer) *CountHashWriter {
	return &CountHashWriter{w: w}
}

func NewCountHashWriterWithStatsReporter(w io.Writer, s segment.StatsReporter) *CountHashWriter {
	return &CountHashWriter{w: w, s: s}
}

// Write writes the provided bytes to the wrapped writer and counts the bytes
func (c *CountHashWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.hash(b[:n])
	c.n += n
	if c.s != nil {
		// Dossier: reported by the 64 KB (and at Sum32), not per write:
		// the report is an atomic add, and most writes are a few bytes.
		if c.unreported += n; c.unreported >= 64<<10 {
			c.report()
		}
	}
	return n, err
}

// Count returns the number of bytes written
func (c *CountHashWriter) Count() int {
	return c.n
}

// Sum32 returns the CRC-32 hash of the content written to this writer
func (c *CountHashWriter) Sum32() uint32 {
	c.hashPending()
	c.report()
	return c.crc
}

func (c *CountHashWriter) report() {
	if c.s != nil && c.unreported > 0 {
		c.s.ReportBytesWritten(uint64(c.unreported))
		c.unreported = 0
	}
}

// hash adds b to the CRC-32, through pending when it is small.
func (c *CountHashWriter) hash(b []byte) {
	large := len(b) >= len(c.pending)/2
	if large || c.npending+len(b) > len(c.pending) {
		c.hashPending()
	}
	if large {
		c.crc = crc32.Update(c.crc, crc32.IEEETable, b)
		return
	}
	c.npending += copy(c.pending[c.npending:], b)
}

func (c *CountHashWriter) hashPending() {
	if c.npending > 0 {
		c.crc = crc32.Update(c.crc, crc32.IEEETable, c.pending[:c.npending])
		c.npending = 0
	}
}
