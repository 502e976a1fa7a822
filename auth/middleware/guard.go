package middleware

import (
	"net/http"

	"github.com/graphcool-go/graphcool-lib/auth"
)

// Allow returns a guard: middleware, placed after the one made by [New],
// that lets a request through only if its caller is authenticated (a Node
// or Root [auth.Identity]) and allowed(caller) returns true.
//
// An anonymous caller is refused as [Required] refuses it: 401 with a
// WWW-Authenticate challenge without error code, or with
// error="invalid_token" when the request's credentials were refused. An
// authenticated caller that allowed refuses gets 403 with
// error="insufficient_scope". allowed is never called for an anonymous
// caller.
//
// A guard answers with the realm, error handler and logger of the [New]
// that ran before it. With no such middleware before it, a guard finds no
// identity, refuses every request with 401 and uses the defaults: a
// forgotten New locks a route, it never opens it.
//
// Allow panics if allowed is nil. The guard is safe for concurrent use if
// allowed is.
func Allow(allowed func(auth.Identity) bool) func(http.Handler) http.Handler {
	if allowed == nil {
		panic("middleware: Allow: nil function")
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("middleware: guard: nil next handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := stateFrom(r.Context())
			c := st.config
			id, _ := auth.FromContext(r.Context())
			if id.Kind != auth.Node && id.Kind != auth.Root {
				code := ""
				if st.rejected() {
					code = CodeInvalidToken
				}
				c.log(r, "", outcome{status: http.StatusUnauthorized, code: code, why: st.why})
				c.refuse(w, r, http.StatusUnauthorized, code)
				return
			}
			if !allowed(id) {
				c.log(r, "", outcome{status: http.StatusForbidden, code: CodeInsufficientScope, id: id, why: reasonNotAllowed})
				c.refuse(w, r, http.StatusForbidden, CodeInsufficientScope)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RequireAuthenticated returns a guard that lets through any Node or Root
// caller and refuses anonymous ones with 401. See [Allow].
func RequireAuthenticated() func(http.Handler) http.Handler {
	return Allow(func(auth.Identity) bool { return true })
}

// RequireRoot returns a guard that lets through only callers that presented
// a root token: anonymous callers get 401, node callers 403. See [Allow].
func RequireRoot() func(http.Handler) http.Handler {
	return Allow(auth.Identity.IsRoot)
}

// RequireNode returns a guard that lets through only callers holding a
// valid node token and, when modelTypes are given, whose model type is one
// of them: anonymous callers get 401, any other caller 403. A Root caller
// is not a node and is refused too; combine both with [Allow]:
//
//	middleware.Allow(func(id auth.Identity) bool { return id.IsRoot() || id.IsNode("User") })
//
// See [Allow].
func RequireNode(modelTypes ...string) func(http.Handler) http.Handler {
	types := append([]string(nil), modelTypes...)
	return Allow(func(id auth.Identity) bool { return id.IsNode(types...) })
}
