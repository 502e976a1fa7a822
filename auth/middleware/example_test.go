package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

// staticVerifier stands in for *auth.Client in the examples: it knows a
// fixed set of tokens.
type staticVerifier map[string]auth.Identity

func (s staticVerifier) Verify(_ context.Context, tok string) (auth.Identity, error) {
	if id, ok := s[tok]; ok {
		return id, nil
	}
	return auth.Identity{}, errors.New("example: unknown token")
}

var exampleVerifier = staticVerifier{
	"root-token-0123456789abcdefghijklmnop": {Kind: auth.Root},
	"node-token-for-u1":                     {Kind: auth.Node, NodeID: "u1", ModelType: "User"},
}

// whoami answers with the caller found in the request context.
var whoami = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	id, _ := auth.FromContext(r.Context())
	switch id.Kind {
	case auth.Node:
		fmt.Fprintf(w, "node %s of type %s", id.NodeID, id.ModelType)
	default:
		fmt.Fprint(w, id.Kind)
	}
})

// get sends a GET request with the given Authorization header (none if
// empty) to h and prints the response.
func get(h http.Handler, authorization string) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Printf("%d %s", w.Code, strings.TrimSpace(w.Body.String()))
	if c := w.Header().Get("WWW-Authenticate"); c != "" {
		fmt.Printf(" [WWW-Authenticate: %s]", c)
	}
	fmt.Println()
}

// By default the caller is identified when it presents a valid token and
// is anonymous otherwise, as in Graphcool: a bad token counts as no token.
func ExampleNew() {
	// In a real server: client, err := auth.New(serviceID, rootTokens).
	authn := middleware.New(exampleVerifier)
	h := authn(whoami)

	get(h, "Bearer node-token-for-u1")
	get(h, "bearer root-token-0123456789abcdefghijklmnop")
	get(h, "")
	get(h, "Bearer forged-token")
	// Output:
	// 200 node u1 of type User
	// 200 root
	// 200 anonymous
	// 200 anonymous
}

// Required refuses every request without valid credentials, with the
// challenges of RFC 6750.
func ExampleRequired() {
	h := middleware.New(exampleVerifier, middleware.Required())(whoami)

	get(h, "Bearer node-token-for-u1")
	get(h, "")
	get(h, "Bearer forged-token")
	// Output:
	// 200 node u1 of type User
	// 401 {"error":"unauthorized"} [WWW-Authenticate: Bearer realm="graphcool"]
	// 401 {"error":"invalid_token"} [WWW-Authenticate: Bearer realm="graphcool", error="invalid_token"]
}

// Strict keeps credentials optional but refuses bad ones.
func ExampleStrict() {
	h := middleware.New(exampleVerifier, middleware.Strict(), middleware.WithRealm("my-service"))(whoami)

	get(h, "")
	get(h, "Bearer forged-token")
	// Output:
	// 200 anonymous
	// 401 {"error":"invalid_token"} [WWW-Authenticate: Bearer realm="my-service", error="invalid_token"]
}

// A guard protects one route behind a middleware that leaves credentials
// optional.
func ExampleRequireRoot() {
	mux := http.NewServeMux()
	mux.Handle("/", whoami)
	mux.Handle("/admin", middleware.RequireRoot()(whoami))
	h := middleware.New(exampleVerifier)(mux)

	for _, authorization := range []string{"", "Bearer node-token-for-u1", "Bearer root-token-0123456789abcdefghijklmnop"} {
		r := httptest.NewRequest(http.MethodGet, "/admin", nil)
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"))
	}
	// Output:
	// 401 Bearer realm="graphcool"
	// 403 Bearer realm="graphcool", error="insufficient_scope"
	// 200
}

// Allow takes any rule over the caller's identity.
func ExampleAllow() {
	rootOrUser := middleware.Allow(func(id auth.Identity) bool {
		return id.IsRoot() || id.IsNode("User")
	})
	h := middleware.New(exampleVerifier)(rootOrUser(whoami))

	get(h, "Bearer node-token-for-u1")
	get(h, "Bearer root-token-0123456789abcdefghijklmnop")
	// Output:
	// 200 node u1 of type User
	// 200 root
}

// FromCookie reads the token from a cookie for browser clients.
func ExampleFromCookie() {
	h := middleware.New(exampleVerifier, middleware.FromCookie("auth_token"))(whoami)

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: "auth_token", Value: "node-token-for-u1"})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.String())
	// Output:
	// 200 node u1 of type User
}
