package main

import (
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
)

// setupReply builds an X server's accepting setup reply with a vendor
// string and pixmap formats before the first screen, whose root is root.
func setupReply(vendor string, formats int, root uint32) []byte {
	pad := (len(vendor) + 3) / 4 * 4
	body := make([]byte, 32+pad+8*formats+40)
	binary.LittleEndian.PutUint16(body[16:], uint16(len(vendor)))
	body[21] = byte(formats)
	copy(body[32:], vendor)
	binary.LittleEndian.PutUint32(body[32+pad+8*formats:], root)
	head := []byte{1, 0, 11, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint16(head[6:], uint16(len(body)/4))
	return append(head, body...)
}

// fakeServer reads the client's setup request and answers with reply.
func fakeServer(t *testing.T, reply []byte) net.Conn {
	client, server := net.Pipe()
	go func() {
		req := make([]byte, 12)
		if _, err := io.ReadFull(server, req); err != nil || req[0] != 'l' || req[2] != 11 {
			t.Errorf("setup request %v, %v", req, err)
		}
		_, _ = server.Write(reply)
	}()
	return client
}

func TestSetup_FindsTheRootPastVendorAndFormats(t *testing.T) {
	for _, tc := range []struct {
		vendor  string
		formats int
	}{{"The X.Org Foundation", 7}, {"abcd", 0}, {"odd", 1}} {
		x := fakeServer(t, setupReply(tc.vendor, tc.formats, 0x1d3))
		root, err := setup(x)
		if err != nil || root != 0x1d3 {
			t.Errorf("vendor %q, %d formats: root %#x, %v; want 0x1d3", tc.vendor, tc.formats, root, err)
		}
		x.Close()
	}
}

func TestSetup_ReportsARefusal(t *testing.T) {
	reason := "No protocol specified"
	body := make([]byte, (len(reason)+3)/4*4)
	copy(body, reason)
	head := []byte{0, byte(len(reason)), 11, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint16(head[6:], uint16(len(body)/4))
	x := fakeServer(t, append(head, body...))
	defer x.Close()
	if _, err := setup(x); err == nil || !strings.Contains(err.Error(), reason) {
		t.Fatalf("got %v, want the server's reason", err)
	}
}

// event is a 32-byte X event of type code for window w.
func event(code byte, w uint32, overrideRedirect bool) []byte {
	ev := make([]byte, 32)
	ev[0] = code
	binary.LittleEndian.PutUint32(ev[8:], w)
	if overrideRedirect {
		ev[12] = 1
	}
	return ev
}

func TestWaitMap_SkipsOtherEventsAndPopups(t *testing.T) {
	var stream []byte
	stream = append(stream, event(16, 7, false)...) // CreateNotify
	stream = append(stream, event(19, 8, true)...)  // a popup mapped
	// A reply with 4 extra bytes, which must be skipped whole.
	reply := event(1, 0, false)
	binary.LittleEndian.PutUint32(reply[4:], 1)
	stream = append(stream, append(reply, 0xff, 0xff, 0xff, 0xff)...)
	stream = append(stream, event(19|0x80, 9, false)...) // the window, sent
	if err := waitMap(strings.NewReader(string(stream))); err != nil {
		t.Fatalf("waitMap: %v", err)
	}
	// Without a top-level map the stream ends first.
	if err := waitMap(strings.NewReader(string(stream[:64]))); err == nil {
		t.Fatal("waitMap returned without a map of a top-level window")
	}
	if err := waitMap(strings.NewReader(string(event(0, 0, false)))); err == nil {
		t.Fatal("an X error was not reported")
	}
}
