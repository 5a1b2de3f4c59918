//go:build !windows

package app

// winRegistry is only asked on Windows.
func winRegistry(key, name string) string { return "" }
