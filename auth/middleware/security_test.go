package middleware_test

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

// badCredentials are Authorization values that must never authenticate.
var badCredentials = []struct {
	name, value string
}{
	{"empty value", ""},
	{"scheme alone", "Bearer"},
	{"scheme and space", "Bearer "},
	{"scheme and spaces", "Bearer    "},
	{"token without scheme", nodeTok},
	{"basic scheme", "Basic dXNlcjpwYXNzd29yZA=="},
	{"basic scheme with a valid token", "Basic " + nodeTok},
	{"other scheme with a valid token", "Token " + nodeTok},
	{"scheme glued to token", "Bearer" + nodeTok},
	{"tab instead of space", "Bearer\t" + nodeTok},
	{"leading space", " Bearer " + nodeTok},
	{"two tokens", "Bearer " + nodeTok + " " + rootTok},
	{"token then junk", "Bearer " + nodeTok + " x"},
	{"token and trailing space", "Bearer " + nodeTok + " "},
	{"comma-separated tokens", "Bearer " + nodeTok + "," + rootTok},
	{"auth-param instead of token", `Bearer token="` + nodeTok + `"`},
	{"padding only", "Bearer ==="},
	{"padding in the middle", "Bearer abc=def"},
	{"quoted token", `Bearer "` + nodeTok + `"`},
	{"character outside b64token", "Bearer " + nodeTok + "!"},
	{"NUL byte", "Bearer " + nodeTok + "\x00"},
	{"non-ASCII", "Bearer tökén"},
	{"unknown token", "Bearer " + badTok},
	{"token too long", "Bearer " + strings.Repeat("a", 17<<10)},
}

// TestSecurityHTTP holds one test per line of the HTTP section of the
// security bar.
func TestSecurityHTTP(t *testing.T) {
	t.Parallel()

	t.Run("Bearer scheme case-insensitive", func(t *testing.T) {
		t.Parallel()
		for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
			t.Run(scheme, func(t *testing.T) {
				t.Parallel()
				w, s := serve(middleware.New(newFake(), middleware.Required()), request(scheme+" "+nodeTok))
				assert.Equal(t, http.StatusOK, w.Code)
				assert.Equal(t, nodeID, s.id)
			})
		}
	})

	t.Run("exactly one token", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name, value string
			want        auth.Identity
		}{
			{"one space", "Bearer " + nodeTok, nodeID},
			{"several spaces", "Bearer     " + nodeTok, nodeID},
			{"padded token", "Bearer " + rootTok + "==", auth.Identity{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				_, s := serve(middleware.New(newFake()), request(tc.value))
				assert.True(t, s.ok)
				assert.Equal(t, tc.want, s.id)
			})
		}
		for _, tc := range badCredentials {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				v := newFake()
				_, s := serve(middleware.New(v), request(tc.value))
				assert.True(t, s.called)
				assert.Equal(t, auth.Identity{}, s.id, "anonymous by default")

				w, s := serve(middleware.New(v, middleware.Strict()), request(tc.value))
				assert.False(t, s.called)
				assert.Equal(t, http.StatusUnauthorized, w.Code)
				assert.Equal(t, `Bearer realm="graphcool", error="invalid_token"`, w.Header().Get("WWW-Authenticate"))
			})
		}
	})

	t.Run("two Authorization headers never resolved by taking the first", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name   string
			values []string
		}{
			{"valid then garbage", []string{"Bearer " + nodeTok, "garbage"}},
			{"garbage then valid", []string{"garbage", "Bearer " + nodeTok}},
			{"valid then empty", []string{"Bearer " + nodeTok, ""}},
			{"two valid tokens", []string{"Bearer " + rootTok, "Bearer " + nodeTok}},
			{"same token twice", []string{"Bearer " + rootTok, "Bearer " + rootTok}},
			{"three headers", []string{"Bearer " + rootTok, "Bearer " + rootTok, "Bearer " + rootTok}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				v := newFake()

				_, s := serve(middleware.New(v), request(tc.values...))
				assert.True(t, s.ok)
				assert.Equal(t, auth.Identity{}, s.id, "default: anonymous")
				assert.Empty(t, s.authz, "no header reaches the handler")

				for name, opt := range map[string]middleware.Option{"Strict": middleware.Strict(), "Required": middleware.Required()} {
					w, s := serve(middleware.New(v, opt), request(tc.values...))
					assert.False(t, s.called, name)
					assert.Equal(t, http.StatusBadRequest, w.Code, name)
					assert.Equal(t, `Bearer realm="graphcool", error="invalid_request"`, w.Header().Get("WWW-Authenticate"), name)
					assert.JSONEq(t, `{"error":"invalid_request"}`, w.Body.String(), name)
				}
				assert.Zero(t, v.calls.Load(), "no token of the request is verified")
			})
		}
	})

	t.Run("default missing credentials anonymous", func(t *testing.T) {
		t.Parallel()
		v := newFake()
		w, s := serve(middleware.New(v), request())
		assert.Equal(t, http.StatusOK, w.Code)
		assert.True(t, s.called)
		assert.True(t, s.ok, "the handler finds an Identity")
		assert.Equal(t, auth.Identity{}, s.id)
		assert.Zero(t, v.calls.Load())
	})

	t.Run("default invalid credentials anonymous, no claim reaches handler", func(t *testing.T) {
		t.Parallel()
		// A verifier that returns claims along with its error, and one that
		// "accepts" a token as nobody: neither may leak an identity.
		partial := newFake()
		partial.refuse = func(string) (auth.Identity, error) {
			return auth.Identity{Kind: auth.Node, NodeID: "evil", ModelType: "User"}, errRefused
		}
		nobody := newFake()
		nobody.refuse = func(string) (auth.Identity, error) {
			return auth.Identity{Kind: auth.Anonymous, NodeID: "evil", ModelType: "User"}, nil
		}
		for name, v := range map[string]middleware.Verifier{
			"plain refusal":          newFake(),
			"identity with an error": partial,
			"anonymous identity":     nobody,
		} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				for _, tc := range badCredentials {
					r := request(tc.value)
					w, s := serve(middleware.New(v), r)
					assert.Equal(t, http.StatusOK, w.Code, tc.name)
					assert.True(t, s.ok, tc.name)
					assert.Equal(t, auth.Identity{}, s.id, tc.name)
					assert.Nil(t, s.id.Claims, tc.name)
					assert.Empty(t, s.authz, "%s: the Authorization header is removed", tc.name)
					assert.Equal(t, []string{tc.value}, r.Header.Values("Authorization"),
						"%s: the caller's request is not modified", tc.name)
				}
			})
		}
	})

	t.Run("Required no credentials 401 without error code", func(t *testing.T) {
		t.Parallel()
		w, s := serve(middleware.New(newFake(), middleware.Required()), request())
		assert.False(t, s.called)
		assert.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Equal(t, `Bearer realm="graphcool"`, w.Header().Get("WWW-Authenticate"))
		assert.NotContains(t, w.Header().Get("WWW-Authenticate"), "error")
		assert.JSONEq(t, `{"error":"unauthorized"}`, w.Body.String())
	})

	t.Run("Required bad token 401 invalid_token", func(t *testing.T) {
		t.Parallel()
		for _, tc := range badCredentials {
			w, s := serve(middleware.New(newFake(), middleware.Required()), request(tc.value))
			assert.False(t, s.called, tc.name)
			assert.Equal(t, http.StatusUnauthorized, w.Code, tc.name)
			assert.Equal(t, `Bearer realm="graphcool", error="invalid_token"`, w.Header().Get("WWW-Authenticate"), tc.name)
			assert.JSONEq(t, `{"error":"invalid_token"}`, w.Body.String(), tc.name)
		}
	})

	t.Run("Required valid token passes", func(t *testing.T) {
		t.Parallel()
		for tok, want := range map[string]auth.Identity{rootTok: rootID, nodeTok: nodeID} {
			w, s := serve(middleware.New(newFake(), middleware.Required()), request("Bearer "+tok))
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, want, s.id)
			assert.Equal(t, []string{"Bearer " + tok}, s.authz, "a valid token stays for the handler")
		}
	})

	t.Run("Strict bad token 401 on optional route", func(t *testing.T) {
		t.Parallel()
		w, s := serve(middleware.New(newFake(), middleware.Strict()), request("Bearer "+badTok))
		assert.False(t, s.called)
		assert.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Equal(t, `Bearer realm="graphcool", error="invalid_token"`, w.Header().Get("WWW-Authenticate"))
		assert.JSONEq(t, `{"error":"invalid_token"}`, w.Body.String())
	})

	t.Run("Strict missing credentials anonymous", func(t *testing.T) {
		t.Parallel()
		w, s := serve(middleware.New(newFake(), middleware.Strict()), request())
		assert.Equal(t, http.StatusOK, w.Code)
		assert.True(t, s.ok)
		assert.Equal(t, auth.Identity{}, s.id)
	})

	t.Run("error bodies and logs never contain a token", func(t *testing.T) {
		t.Parallel()
		logger, logs := debugLogger()
		v := leakyVerifier()
		modes := map[string][]middleware.Option{
			"default":  {middleware.WithLogger(logger)},
			"Strict":   {middleware.WithLogger(logger), middleware.Strict()},
			"Required": {middleware.WithLogger(logger), middleware.Required()},
			"cookie":   {middleware.WithLogger(logger), middleware.Required(), middleware.FromCookie("auth_token")},
		}
		guards := map[string]func(http.Handler) http.Handler{
			"no guard": func(h http.Handler) http.Handler { return h },
			"root":     middleware.RequireRoot(),
			"admin":    middleware.RequireNode("Admin"),
		}
		var values [][]string
		for _, tok := range allTokens {
			values = append(values, []string{"Bearer " + tok}, []string{"bearer " + tok + " extra"},
				[]string{"Bearer " + tok, "Bearer " + tok}, []string{"Basic " + tok}, []string{tok})
		}
		values = append(values, nil)
		for mode, opts := range modes {
			for gname, guard := range guards {
				for _, vals := range values {
					r := request(vals...)
					r.AddCookie(&http.Cookie{Name: "auth_token", Value: badTok})
					var s seen
					w := httptest.NewRecorder()
					chain(middleware.New(v, opts...), guard)(probe(&s)).ServeHTTP(w, r)
					if !s.get().called {
						assertNoToken(t, mode+"/"+gname+" body", w.Body.String())
						assertNoToken(t, mode+"/"+gname+" headers", strings.Join(headerLines(w.Header()), "\n"))
					}
				}
			}
		}
		out := logs.String()
		require.NotEmpty(t, out)
		assert.Contains(t, out, `"error":"leaky: refused`, "the verifier's error is logged, scrubbed")
		assert.Contains(t, out, "[redacted]")
		assertNoToken(t, "log", out)
	})

	t.Run("a panic in the handler does not print a token", func(t *testing.T) {
		t.Parallel()
		var errLog syncBuffer
		h := middleware.New(leakyVerifier(), middleware.Strict())(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			panic("handler failed")
		}))
		srv := httptest.NewUnstartedServer(h)
		srv.Config.ErrorLog = log.New(&errLog, "", 0)
		srv.Start()
		for _, tok := range []string{rootTok, nodeTok} {
			req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := srv.Client().Do(req)
			if err == nil {
				_ = resp.Body.Close()
			}
			require.Error(t, err, "the server drops the connection of a panicking handler")
		}
		srv.Close() // waits for the handlers, hence for their log lines
		out := errLog.String()
		require.Contains(t, out, "handler failed")
		assertNoToken(t, "server error log", out)
	})
}

// TestServerLoopback runs the middleware behind a real server, so that the
// headers are those net/http parses off the wire.
func TestServerLoopback(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := auth.FromContext(r.Context())
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": ok, "kind": id.Kind.String(), "node": id.NodeID})
	}))
	mux.Handle("/admin", middleware.RequireRoot()(http.NotFoundHandler()))
	srv := httptest.NewServer(middleware.New(newFake(), middleware.Strict(), middleware.WithRealm("api"))(mux))
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		name      string
		path      string
		header    http.Header
		status    int
		challenge string
		body      string
	}{
		{"no credentials", "/", nil, 200, "", `{"ok":true,"kind":"anonymous","node":""}`},
		{"node token", "/", http.Header{"Authorization": {"Bearer " + nodeTok}}, 200, "", `{"ok":true,"kind":"node","node":"u1"}`},
		{"lower-case header and scheme", "/", http.Header{"authorization": {"bearer " + nodeTok}}, 200, "", `{"ok":true,"kind":"node","node":"u1"}`},
		{"bad token", "/", http.Header{"Authorization": {"Bearer " + badTok}}, 401, `Bearer realm="api", error="invalid_token"`, `{"error":"invalid_token"}`},
		{"two headers", "/", http.Header{"Authorization": {"Bearer " + rootTok, "Bearer " + rootTok}}, 400, `Bearer realm="api", error="invalid_request"`, `{"error":"invalid_request"}`},
		{"guard, anonymous", "/admin", nil, 401, `Bearer realm="api"`, `{"error":"unauthorized"}`},
		{"guard, node", "/admin", http.Header{"Authorization": {"Bearer " + nodeTok}}, 403, `Bearer realm="api", error="insufficient_scope"`, `{"error":"insufficient_scope"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+tc.path, nil)
			require.NoError(t, err)
			for k, vs := range tc.header {
				req.Header[k] = vs // as given, lower-case names included
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.challenge, resp.Header.Get("WWW-Authenticate"))
			assert.JSONEq(t, tc.body, string(body))
			if tc.status != http.StatusOK {
				assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
				assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			}
		})
	}
}

// headerLines returns h as "Name: value" lines.
func headerLines(h http.Header) []string {
	var lines []string
	for k, vs := range h {
		for _, v := range vs {
			lines = append(lines, k+": "+v)
		}
	}
	return lines
}
