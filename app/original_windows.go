//go:build windows

package app

import (
	"strings"

	"golang.org/x/sys/windows/registry"
)

// winRegistry reads a string value ("" for the default one) of a key
// given as `HKCU\…` or `HKCR\…`; "" when it is missing. Read through the
// API rather than reg.exe, which would flash a console window.
func winRegistry(key, name string) string {
	root, path, _ := strings.Cut(key, `\`)
	var k registry.Key
	switch root {
	case "HKCU":
		k = registry.CURRENT_USER
	case "HKCR":
		k = registry.CLASSES_ROOT
	default:
		return ""
	}
	h, err := registry.OpenKey(k, path, registry.QUERY_VALUE)
	if err != nil {
		return ""
	}
	defer h.Close()
	v, _, err := h.GetStringValue(name)
	if err != nil {
		return ""
	}
	return v
}
