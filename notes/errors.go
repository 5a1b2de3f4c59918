package notes

import (
	"errors"
	"fmt"
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
