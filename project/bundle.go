package project

import "dossier/store"

// DB returns the project's SQLite store itself, for the bundle and export
// code that copies rows (ids, versions, deleted notes) which the
// notes.Store interface rightly does not expose.
func (p *Project) DB() *store.Store { return p.db }
