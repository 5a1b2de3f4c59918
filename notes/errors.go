package notes

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// Error kinds, for callers that branch on what went wrong.
const (
	EINTERNAL = "internal"
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
)

// Error is an error a user may read. Message is written for a person;
// low-level causes are wrapped in Err and stay out of dialogs.
type Error struct {
	Kind    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind. A %w verb wraps its argument.
func Errorf(kind, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Kind: kind, Message: err.Error(), Err: errors.Unwrap(err)}
}

// ErrorKind returns the kind of the first *Error in err's chain, or
// EINTERNAL.
func ErrorKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EINTERNAL
}

// ErrNotFound is returned when an item asked for by id does not exist.
var ErrNotFound = &Error{Kind: ENOTFOUND, Message: "not found"}

// ErrLocked is wrapped by the error returned when another process holds the
// project's lock.
var ErrLocked = errors.New("project is locked by another process")

// EDISK is the kind of errors about the medium the project is on: full,
// read-only or not writable. Nothing already saved is lost by them.
const EDISK = "disk"

// Explain turns the low-level errors of a full or read-only disk, from the
// file system or from SQLite, into an *Error of kind EDISK that says what
// happened and what to do; any other error is returned as it is. Callers
// that show errors to a person (the CLI, the window, long jobs) pass them
// through here.
func Explain(err error) error {
	if err == nil || ErrorKind(err) == EDISK {
		return err
	}
	msg := err.Error()
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT),
		strings.Contains(msg, "database or disk is full"), strings.Contains(msg, "no space left"):
		return &Error{Kind: EDISK, Err: err, Message: "the disk holding the project is full; nothing saved before is lost. " +
			"Free some space and try again"}
	case errors.Is(err, syscall.EROFS), strings.Contains(msg, "read-only file system"),
		strings.Contains(msg, "attempt to write a readonly database"):
		return &Error{Kind: EDISK, Err: err, Message: "the project is on a read-only medium, and Dossier needs to write to its folder. " +
			"Copy the project folder to a writable disk and open it there"}
	}
	return err
}
