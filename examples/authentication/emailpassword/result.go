package emailpassword

import (
	"fmt"
	"log/slog"
)

const redacted = "[redacted]"

// String describes the result without its token.
func (r Result) String() string {
	return fmt.Sprintf("{ID:%s Token:%s}", r.ID, redacted)
}

// GoString is String, so that %#v shows no token either.
func (r Result) GoString() string { return r.String() }

// Format writes String for every verb, so that no fmt verb reaches the
// token by reflection.
func (r Result) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, r.String()) }

// LogValue logs the result without its token.
func (r Result) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", r.ID), slog.String("token", redacted))
}
