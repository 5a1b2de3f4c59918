// Package e2e holds end-to-end tests that run the real dossier binary as
// a separate process: killed mid-import, traced for network sockets, run
// on a full disk. It has no code of its own.
package e2e
