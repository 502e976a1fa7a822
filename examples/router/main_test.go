package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/token"
)

// The WWW-Authenticate challenges of RFC 6750 the routes answer with.
const (
	challengeNone      = `Bearer realm="graphcool"`
	challengeInvalid   = `Bearer realm="graphcool", error="invalid_token"`
	challengeForbidden = `Bearer realm="graphcool", error="insufficient_scope"`
)

// callers are the Authorization headers of the kinds of caller, "" for
// none.
type callers struct {
	root, node, post, tampered, expired, foreign string
}

func newCallers(t *testing.T) (*auth.Client, callers) {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	client, err := auth.New(serviceID, []string{root})
	require.NoError(t, err)
	mint := func(c *auth.Client, model string, opts ...token.Option) string {
		tok, err := c.GenerateAuthToken("cj9user0ada", model, opts...)
		require.NoError(t, err)
		return tok
	}
	node := mint(client, "User")

	// A token that expired an hour ago, minted by a clock two days slow.
	slow, err := auth.New(serviceID, []string{root},
		auth.WithClock(func() time.Time { return time.Now().Add(-48 * time.Hour) }))
	require.NoError(t, err)
	// A token of the same service signed with another root token.
	other, err := token.NewRootToken()
	require.NoError(t, err)
	foreign, err := auth.New(serviceID, []string{other})
	require.NoError(t, err)

	return client, callers{
		root:     "Bearer " + root,
		node:     "Bearer " + node,
		post:     "Bearer " + mint(client, "Post"),
		tampered: "Bearer " + node[:len(node)-2] + flip(node[len(node)-2]),
		expired:  "Bearer " + mint(slow, "User", token.ExpiresIn(47*time.Hour)),
		foreign:  "Bearer " + mint(foreign, "User"),
	}
}

// want is the expected answer to a request.
type want struct {
	status    int
	challenge string // WWW-Authenticate, "" for none
	body      string // for 200: the text, or JSON compared as JSON
}

func ok(body string) want         { return want{status: http.StatusOK, body: body} }
func unauthorized(ch string) want { return want{status: http.StatusUnauthorized, challenge: ch} }
func forbidden() want             { return want{status: http.StatusForbidden, challenge: challengeForbidden} }

// routers returns the constructors of the two routers, which must behave
// alike.
func routers() map[string]func(*auth.Client) http.Handler {
	return map[string]func(*auth.Client) http.Handler{
		"mux": newMux,
		"chi": func(c *auth.Client) http.Handler { return newChi(c) },
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	client, c := newCallers(t)
	ada := `{"id":"cj9user0ada","modelType":"User"}`
	adaNode := `{"kind":"node","id":"cj9user0ada","modelType":"User"}`
	postNode := `{"kind":"node","id":"cj9user0ada","modelType":"Post"}`

	type request struct {
		name, authz string
		want        want
	}
	routes := []struct {
		path     string
		requests []request
	}{
		{"/hello", []request{
			{"no token", "", ok("hello, anonymous\n")},
			{"tampered token", c.tampered, ok("hello, anonymous\n")},
			{"expired token", c.expired, ok("hello, anonymous\n")},
			{"token of another root", c.foreign, ok("hello, anonymous\n")},
			{"not Bearer", "Basic YWRhOnB3", ok("hello, anonymous\n")},
			{"node token", c.node, ok("hello, cj9user0ada\n")},
			{"root token", c.root, ok("hello, root\n")},
		}},
		{"/me", []request{
			{"no token", "", unauthorized(challengeNone)},
			{"tampered token", c.tampered, unauthorized(challengeInvalid)},
			{"expired token", c.expired, unauthorized(challengeInvalid)},
			{"token of another root", c.foreign, unauthorized(challengeInvalid)},
			{"node token", c.node, ok(ada)},
			{"node token of a Post", c.post, forbidden()},
			{"root token", c.root, forbidden()},
		}},
		{"/admin/config", []request{
			{"no token", "", unauthorized(challengeNone)},
			{"tampered token", c.tampered, unauthorized(challengeInvalid)},
			{"expired token", c.expired, unauthorized(challengeInvalid)},
			{"node token", c.node, forbidden()},
			{"root token", c.root, ok(`{"serviceId":"cj9example0router"}`)},
		}},
		{"/account/whoami", []request{
			{"no token", "", unauthorized(challengeNone)},
			{"tampered token", c.tampered, unauthorized(challengeInvalid)},
			{"expired token", c.expired, unauthorized(challengeInvalid)},
			{"token of another root", c.foreign, unauthorized(challengeInvalid)},
			{"not Bearer", "Basic YWRhOnB3", unauthorized(challengeInvalid)},
			{"node token", c.node, ok(adaNode)},
			{"node token of a Post", c.post, ok(postNode)},
			{"root token", c.root, ok(`{"kind":"root"}`)},
		}},
		{"/account/token", []request{
			{"no token", "", unauthorized(challengeNone)},
			{"tampered token", c.tampered, unauthorized(challengeInvalid)},
			{"root token", c.root, ok(`{"expires":"never"}`)},
		}},
	}

	for name, newRouter := range routers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(newRouter(client))
			t.Cleanup(srv.Close)
			for _, route := range routes {
				for _, req := range route.requests {
					t.Run(route.path+"/"+req.name, func(t *testing.T) {
						t.Parallel()
						status, header, body := get(t, srv.URL+route.path, req.authz)
						assert.Equal(t, req.want.status, status)
						assert.Equal(t, req.want.challenge, header.Get("WWW-Authenticate"))
						switch {
						case req.want.status != http.StatusOK:
							assert.NotContains(t, body, "cj9user0ada", "a refusal tells nothing of the caller")
						case json.Valid([]byte(req.want.body)):
							assert.JSONEq(t, req.want.body, body)
						default:
							assert.Equal(t, req.want.body, body)
						}
					})
				}
			}
		})
	}
}

// TestTokenInfoOfANode checks that the group sees the node's claims.
func TestTokenInfoOfANode(t *testing.T) {
	t.Parallel()
	client, c := newCallers(t)
	for name, newRouter := range routers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(newRouter(client))
			t.Cleanup(srv.Close)
			status, _, body := get(t, srv.URL+"/account/token", c.node)
			require.Equal(t, http.StatusOK, status)
			var out struct{ Expires time.Time }
			require.NoError(t, json.Unmarshal([]byte(body), &out))
			assert.WithinDuration(t, time.Now().Add(30*24*time.Hour), out.Expires, time.Minute,
				"a node token lasts 30 days by default")
		})
	}
}

// TestTwoAuthorizationHeaders: the middleware never picks one of two
// credentials. On the public route the request is served as anonymous;
// in the Required group it is refused as malformed.
func TestTwoAuthorizationHeaders(t *testing.T) {
	t.Parallel()
	client, c := newCallers(t)
	for name, newRouter := range routers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(newRouter(client))
			t.Cleanup(srv.Close)
			for path, want := range map[string]want{
				"/hello":          ok("hello, anonymous\n"),
				"/account/whoami": {status: http.StatusBadRequest, challenge: `Bearer realm="graphcool", error="invalid_request"`},
			} {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
				require.NoError(t, err)
				req.Header.Add("Authorization", c.root)
				req.Header.Add("Authorization", c.node)
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				assert.Equal(t, want.status, resp.StatusCode, path)
				assert.Equal(t, want.challenge, resp.Header.Get("WWW-Authenticate"), path)
				if want.body != "" {
					assert.Equal(t, want.body, string(body), path)
				}
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	client, c := newCallers(t)
	for name, newRouter := range routers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(newRouter(client))
			t.Cleanup(srv.Close)
			for _, path := range []string{"/hello", "/account/whoami"} {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, nil)
				require.NoError(t, err)
				req.Header.Set("Authorization", c.root)
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, path)
				assert.Contains(t, resp.Header.Get("Allow"), http.MethodGet, path)
			}
		})
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	for _, router := range []string{"mux", "chi"} {
		t.Run(router, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			cancel() // start, print, and stop at once
			var out bytes.Buffer
			require.NoError(t, run(ctx, []string{"-router", router}, &out))
			assert.Contains(t, out.String(), "listening on http://127.0.0.1:")
			assert.Contains(t, out.String(), "(router: "+router+")")
		})
	}
	t.Run("unknown router", func(t *testing.T) {
		t.Parallel()
		err := run(t.Context(), []string{"-router", "gorilla"}, io.Discard)
		assert.ErrorContains(t, err, `unknown router "gorilla"`)
	})
}

// get sends GET url with the Authorization header authz (none when "").
func get(t *testing.T, url, authz string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(body)
}

// flip returns a base64url character other than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
