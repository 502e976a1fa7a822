package middleware

import (
	"fmt"
	"log/slog"
	"net/http"
)

// An Option configures the middleware made by New. Options are plain
// values: one may be shared by several calls to New and used from several
// goroutines.
type Option func(*config)

// An ErrorHandler writes the response of a request the middleware or a
// guard refuses. status is 400, 401 or 403 and code the RFC 6750 error
// code: "" (no credentials were sent), [CodeInvalidRequest],
// [CodeInvalidToken] or [CodeInsufficientScope].
//
// When it is called, the WWW-Authenticate header is already set on w, and r
// is a copy of the request from which the Authorization header (and the
// token cookie, see [FromCookie]) has been removed. It must write the status
// and may write a body; it must not write the token, which it is not given.
//
// An ErrorHandler is called from many goroutines at once and must be safe
// for concurrent use.
type ErrorHandler func(w http.ResponseWriter, r *http.Request, status int, code string)

// config is the immutable configuration of one middleware. It is built once
// by New and then only read, from any number of goroutines.
type config struct {
	required   bool
	strict     bool
	realm      string
	cookie     string
	cookieSet  bool
	onError    ErrorHandler
	logger     *slog.Logger
	challenges challenges
}

// defaultRealm is the realm of the WWW-Authenticate challenge.
const defaultRealm = "graphcool"

// newConfig applies opts over the defaults. It panics on an option value
// that can only be a programming error, as New documents.
func newConfig(opts []Option) *config {
	c := &config{realm: defaultRealm, onError: writeJSONError}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	if err := checkRealm(c.realm); err != nil {
		panic(fmt.Sprintf("middleware: WithRealm: %v", err))
	}
	if c.cookieSet && !isCookieName(c.cookie) {
		panic(fmt.Sprintf("middleware: FromCookie: %q is not a valid cookie name", c.cookie))
	}
	c.strict = c.strict || c.required
	c.challenges = newChallenges(c.realm)
	return c
}

// defaultConfig is what a guard uses when no middleware made by New ran
// before it. It is never modified.
var defaultConfig = newConfig(nil)

// Required makes credentials mandatory: a request without them is refused
// with 401 and a WWW-Authenticate challenge carrying no error code, a
// request with bad credentials with 401 and error="invalid_token", and a
// malformed one (two Authorization headers, say) with 400 and
// error="invalid_request". The handler only ever sees Node or Root callers.
//
// Default: credentials are optional; without valid ones the handler sees
// the anonymous caller.
func Required() Option {
	return func(c *config) { c.required = true }
}

// Strict refuses bad credentials even where credentials are optional: a
// request with a bad token gets 401 and error="invalid_token", a malformed
// request 400 and error="invalid_request", while a request without any
// credentials still reaches the handler as the anonymous caller. [Required]
// implies Strict.
//
// Default: off; as in Graphcool, a request with a bad token is served as if
// it had sent none.
func Strict() Option {
	return func(c *config) { c.strict = true }
}

// WithRealm sets the realm named in the WWW-Authenticate challenges of the
// middleware and of the guards after it. The realm is sent as an RFC 9110
// quoted-string (quotes and backslashes escaped); an empty realm leaves the
// realm parameter out. A realm holding a control character other than
// horizontal tab makes New panic.
//
// Default: "graphcool".
func WithRealm(realm string) Option {
	return func(c *config) { c.realm = realm }
}

// WithErrorHandler sets the function that writes the responses of refused
// requests, for the middleware and the guards after it. A nil handler
// restores the default.
//
// Default: a small JSON body such as {"error":"invalid_token"} with
// Content-Type: application/json and Cache-Control: no-store
// ({"error":"unauthorized"} when no credentials were sent).
func WithErrorHandler(h ErrorHandler) Option {
	return func(c *config) {
		if h == nil {
			h = writeJSONError
		}
		c.onError = h
	}
}

// FromCookie also accepts the token as the value of the cookie called name,
// for browser clients. The cookie value must be a b64token, as in the
// header. A request carrying both an Authorization header and the cookie,
// or the cookie twice, is malformed (RFC 6750 §2 allows one method per
// request) and is never resolved by choosing one. When credentials are
// refused, the cookie is removed from the request along with the header.
// An invalid cookie name makes New panic.
//
// Default: the token is read from the Authorization header only.
func FromCookie(name string) Option {
	return func(c *config) { c.cookie, c.cookieSet = name, true }
}

// WithLogger records the outcome of every request with logger: identified
// callers (and requests without credentials) at [slog.LevelDebug], refused
// or ignored credentials at [slog.LevelInfo]. A record has the attributes
// kind ("anonymous", "node" or "root"), model_type for a node, reason (such
// as "token_rejected" or "multiple_credentials"), status and code for a
// refusal, and error, the text of the Verifier's error. No token is ever
// logged: in that text, every copy of the token and every piece of it 8
// bytes or longer is replaced by "[redacted]". A nil logger turns logging
// off.
//
// Default: nothing is logged.
func WithLogger(logger *slog.Logger) Option {
	return func(c *config) { c.logger = logger }
}

// isCookieName reports whether s is an RFC 6265 cookie-name (an RFC 9110
// token).
func isCookieName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

// isTchar reports whether c is an RFC 9110 tchar.
func isTchar(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}
