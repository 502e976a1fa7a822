package middleware

import (
	"context"
	"net/http"

	"github.com/graphcool-go/graphcool-lib/auth"
)

// A Verifier checks a bearer token and returns who presented it: a Node or
// Root identity, or an error for any token it does not accept. Every
// non-nil error is a rejection. *auth.Client is a Verifier.
//
// The middleware calls Verify from many goroutines at once: an
// implementation must be safe for concurrent use.
type Verifier interface {
	Verify(ctx context.Context, tok string) (auth.Identity, error)
}

// *auth.Client is the Verifier of a Graphcool service.
var _ Verifier = (*auth.Client)(nil)

// New returns middleware that authenticates each request with v and stores
// the caller's [auth.Identity] in the request context, where
// [auth.FromContext] finds it (with ok == true for every request that
// reaches the next handler).
//
// The bearer token is read from the request's one Authorization header,
// "Bearer" (in any case), one or more spaces and a b64token (RFC 6750
// §2.1); see [FromCookie] for a cookie. Without options, New follows
// Graphcool: a request with no credentials, or with bad ones, reaches the
// next handler as the anonymous caller. Bad credentials (a malformed
// header, another scheme, two Authorization headers, a token v refuses)
// never reach it: the handler gets a copy of the request without the
// Authorization header and without the token cookie. [Required] and
// [Strict] refuse such requests instead.
//
// New panics if v is nil, or if an option is given a value that can only
// be a programming error (see [WithRealm] and [FromCookie]): both are
// found the first time the program runs, never by a request.
//
// The returned middleware, and every handler it wraps, is safe for
// concurrent use.
func New(v Verifier, opts ...Option) func(http.Handler) http.Handler {
	if v == nil {
		panic("middleware: New: nil Verifier")
	}
	if c, ok := v.(*auth.Client); ok && c == nil {
		panic("middleware: New: nil *auth.Client")
	}
	c := newConfig(opts)
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("middleware: New: nil next handler")
		}
		h := &handler{verifier: v, config: c, next: next}
		for why := range h.states {
			h.states[why] = state{config: c, why: reason(why)}
		}
		return h
	}
}

// handler is the http.Handler New wraps around next.
type handler struct {
	verifier Verifier
	config   *config
	next     http.Handler
	// states holds, for each reason, what the guards after the middleware
	// find in the request context; made once so no request allocates one.
	states [numReasons]state
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := h.config
	tok, why := credentials(r, c.cookie)
	var err error
	switch why {
	case reasonMissing:
		if c.required {
			c.log(r, "", outcome{status: http.StatusUnauthorized, why: why})
			c.refuse(w, r, http.StatusUnauthorized, "")
			return
		}
		c.log(r, "", outcome{why: why})
		h.serve(w, r, auth.Identity{}, why, false)
		return
	case reasonToken:
		var id auth.Identity
		id, err = h.verifier.Verify(r.Context(), tok)
		switch {
		case err != nil:
			// Whatever identity came with the error is dropped.
			why = reasonRejected
		case id.Kind != auth.Node && id.Kind != auth.Root:
			why = reasonNoIdentity
		default:
			c.log(r, tok, outcome{id: id, why: why})
			h.serve(w, r, id, why, false)
			return
		}
	}
	// Bad credentials or a malformed request: refused, or served as the
	// anonymous caller without them.
	if c.strict {
		status, code := http.StatusUnauthorized, CodeInvalidToken
		if why.malformedRequest() {
			status, code = http.StatusBadRequest, CodeInvalidRequest
		}
		c.log(r, tok, outcome{status: status, code: code, why: why, err: err})
		c.refuse(w, r, status, code)
		return
	}
	c.log(r, tok, outcome{why: why, err: err})
	h.serve(w, r, auth.Identity{}, why, true)
}

// serve runs the next handler with id and the state of why in the context
// of r, and without r's credentials if strip is set.
func (h *handler) serve(w http.ResponseWriter, r *http.Request, id auth.Identity, why reason, strip bool) {
	ctx := auth.NewContext(context.WithValue(r.Context(), stateKey{}, &h.states[why]), id)
	if strip {
		r = withoutCredentials(ctx, r, h.config.cookie)
	} else {
		r = r.WithContext(ctx)
	}
	h.next.ServeHTTP(w, r)
}

// state is what the middleware leaves in the request context for the
// guards after it: its configuration, so that they answer with the same
// realm, error handler and logger, and what it found in the request's
// credentials. It is never modified.
type state struct {
	config *config
	why    reason
}

// rejected reports whether the request's credentials were refused.
func (s *state) rejected() bool { return s.why != reasonToken && s.why != reasonMissing }

// stateKey is the context key of a *state.
type stateKey struct{}

// stateFrom returns the state New left in ctx, or the defaults when no
// middleware made by New ran.
func stateFrom(ctx context.Context) *state {
	if st, ok := ctx.Value(stateKey{}).(*state); ok {
		return st
	}
	return defaultState
}

// defaultState is the state of a request no middleware made by New saw.
var defaultState = &state{config: defaultConfig, why: reasonMissing}
