package emailpassword

import "log/slog"

// An Option configures the Functions made by New.
type Option func(*Functions)

// DefaultMinPasswordLength is the shortest password Signup accepts unless
// WithMinPasswordLength says otherwise.
const DefaultMinPasswordLength = 8

// WithBcryptCost sets the bcrypt cost of the hashes Signup stores. New
// fails for a cost outside bcrypt's 4 to 31; tests use bcrypt.MinCost to
// run fast. Default: bcrypt.DefaultCost (10).
func WithBcryptCost(cost int) Option {
	return func(f *Functions) { f.cost = cost }
}

// WithMinPasswordLength sets the shortest password, in characters, that
// Signup accepts. New fails for less than 1 or more than 72. Default: 8.
func WithMinPasswordLength(n int) Option {
	return func(f *Functions) { f.minPassword = n }
}

// WithLogger sets the logger that records why a function answered
// ErrUnavailable. A nil logger is ignored. Default: slog.Default().
func WithLogger(logger *slog.Logger) Option {
	return func(f *Functions) {
		if logger != nil {
			f.logger = logger
		}
	}
}
