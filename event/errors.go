package event

import (
	"errors"
	"fmt"
)

var (
	// ErrTooLarge is returned by Parse for input over MaxEventSize bytes.
	// The size is checked before anything is decoded.
	ErrTooLarge = errors.New("event: too large")

	// ErrMalformed is returned by Parse for input that is not a Graphcool
	// function event: not JSON, not a JSON object, a field of the wrong
	// JSON type, or an API-gateway envelope whose body is not an event.
	ErrMalformed = errors.New("event: malformed")

	// ErrNoData is returned by Event.Bind when the event has no data, or
	// its data is JSON null.
	ErrNoData = errors.New("event: no data")

	// ErrInvalidData is returned by Event.Bind when the event's data does
	// not decode into the value given: a JSON type that does not fit the
	// Go type of a field, a number out of range, or an error from the
	// value's own UnmarshalJSON or UnmarshalText method.
	ErrInvalidData = errors.New("event: invalid data")
)

// decodeError is the error of Parse and Bind. Its message names the field
// (a dotted path of JSON names from the schema or of the caller's struct
// tags) and what was wrong with it, and never quotes the input: an event
// carries tokens, and its data may carry passwords.
type decodeError struct {
	kind  error  // the sentinel it matches
	where string // path of the field, "" for the whole input
	msg   string
	cause error // a caller's own decoding error, reachable with errors.As only
}

func (e *decodeError) Error() string {
	if e.where == "" {
		return "event: " + e.msg
	}
	return "event: " + e.where + ": " + e.msg
}

func (e *decodeError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.kind, e.cause}
	}
	return []error{e.kind}
}

// malformed returns an error matching ErrMalformed.
func malformed(where, format string, args ...any) error {
	return &decodeError{kind: ErrMalformed, where: where, msg: fmt.Sprintf(format, args...)}
}

// wrongType returns an error matching ErrMalformed for a field of the
// wrong JSON type, e.g. "event: context.graphcool.serviceId: want string,
// got number".
func wrongType(where, want string, raw []byte) error {
	return malformed(where, "want %s, got %s", want, kindOf(raw))
}

// sizeError is the error of input over the size limit. It is formatted
// lazily so that refusing oversized input costs one small allocation.
type sizeError struct {
	size, limit int
}

func (e *sizeError) Error() string {
	return fmt.Sprintf("event: %d bytes, over the %d-byte limit", e.size, e.limit)
}

func (e *sizeError) Unwrap() error { return ErrTooLarge }
