package middleware_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

// TestLogOutcomes runs a request down every response path with a JSON
// logger and checks the one record each writes: what it says, and that it
// holds no token, even from a verifier whose errors quote the token.
func TestLogOutcomes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		opts   []middleware.Option
		guard  func(http.Handler) http.Handler
		authz  []string
		cookie string
		status int
		want   map[string]any // expected fields of the record; nil: no field
	}{
		{
			name: "valid node token", authz: []string{"Bearer " + nodeTok}, status: 200,
			want: map[string]any{"level": "DEBUG", "msg": "auth: request identified", "kind": "node", "model_type": "User", "reason": nil},
		},
		{
			name: "valid root token", authz: []string{"Bearer " + rootTok}, status: 200,
			want: map[string]any{"level": "DEBUG", "kind": "root", "model_type": nil},
		},
		{
			name: "no credentials", status: 200,
			want: map[string]any{"level": "DEBUG", "msg": "auth: request identified", "kind": "anonymous", "reason": "no_credentials"},
		},
		{
			name: "bad token ignored", authz: []string{"Bearer " + badTok}, status: 200,
			want: map[string]any{"level": "INFO", "msg": "auth: credentials ignored", "kind": "anonymous", "reason": "token_rejected", "status": nil},
		},
		{
			name: "other scheme ignored", authz: []string{"Basic " + badTok}, status: 200,
			want: map[string]any{"level": "INFO", "msg": "auth: credentials ignored", "reason": "unsupported_scheme", "error": nil},
		},
		{
			name: "two headers ignored", authz: []string{"Bearer " + rootTok, "Bearer " + rootTok}, status: 200,
			want: map[string]any{"level": "INFO", "reason": "multiple_credentials"},
		},
		{
			name: "Required, no credentials", opts: []middleware.Option{middleware.Required()}, status: 401,
			want: map[string]any{"level": "INFO", "msg": "auth: request refused", "status": float64(401), "code": nil, "reason": "no_credentials"},
		},
		{
			name: "Required, bad token", opts: []middleware.Option{middleware.Required()}, authz: []string{"Bearer " + badTok}, status: 401,
			want: map[string]any{"msg": "auth: request refused", "status": float64(401), "code": "invalid_token", "reason": "token_rejected"},
		},
		{
			name: "Strict, malformed token", opts: []middleware.Option{middleware.Strict()}, authz: []string{"Bearer " + badTok + " " + nodeTok}, status: 401,
			want: map[string]any{"code": "invalid_token", "reason": "malformed_credentials", "error": nil},
		},
		{
			name: "Strict, two headers", opts: []middleware.Option{middleware.Strict()}, authz: []string{"Bearer " + nodeTok, "x"}, status: 400,
			want: map[string]any{"status": float64(400), "code": "invalid_request", "reason": "multiple_credentials"},
		},
		{
			name: "Strict, oversized token", opts: []middleware.Option{middleware.Strict()}, authz: []string{"Bearer " + strings.Repeat(nodeTok, 400)}, status: 401,
			want: map[string]any{"code": "invalid_token", "reason": "token_too_long"},
		},
		{
			name: "Required, bad cookie", opts: []middleware.Option{middleware.Required(), middleware.FromCookie("auth_token")}, cookie: badTok, status: 401,
			want: map[string]any{"code": "invalid_token", "reason": "token_rejected"},
		},
		{
			name: "Required, cookie and header", opts: []middleware.Option{middleware.Required(), middleware.FromCookie("auth_token")},
			authz: []string{"Bearer " + nodeTok}, cookie: nodeTok, status: 400,
			want: map[string]any{"code": "invalid_request", "reason": "multiple_credentials"},
		},
		{
			name: "guard, node not allowed", guard: middleware.RequireRoot(), authz: []string{"Bearer " + nodeTok}, status: 403,
			want: map[string]any{"msg": "auth: request refused", "status": float64(403), "code": "insufficient_scope", "kind": "node", "model_type": "User", "reason": "not_allowed"},
		},
		{
			name: "guard, anonymous", guard: middleware.RequireNode("User"), status: 401,
			want: map[string]any{"status": float64(401), "code": nil, "kind": "anonymous", "reason": "no_credentials"},
		},
		{
			name: "guard, bad token", guard: middleware.RequireAuthenticated(), authz: []string{"Bearer " + badTok}, status: 401,
			want: map[string]any{"status": float64(401), "code": "invalid_token", "reason": "token_rejected"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logger, buf := debugLogger()
			mws := []func(http.Handler) http.Handler{
				middleware.New(leakyVerifier(), append([]middleware.Option{middleware.WithLogger(logger)}, tc.opts...)...),
			}
			if tc.guard != nil {
				mws = append(mws, tc.guard)
			}
			r := request(tc.authz...)
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: "auth_token", Value: tc.cookie})
			}
			w, _ := serve(chain(mws...), r)
			assert.Equal(t, tc.status, w.Code)

			out := buf.String()
			assertNoToken(t, "log", out)
			assertNoToken(t, "body", w.Body.String())
			records := strings.Split(strings.TrimSpace(out), "\n")
			rec := map[string]any{}
			require.NoError(t, json.Unmarshal([]byte(records[len(records)-1]), &rec), out)
			for k, v := range tc.want {
				if v == nil {
					assert.NotContains(t, rec, k)
				} else {
					assert.Equal(t, v, rec[k], k)
				}
			}
			if rec["reason"] == "token_rejected" && tc.guard == nil {
				assert.Contains(t, rec["error"], "leaky: refused", "the scrubbed error is logged")
				assert.Contains(t, rec["error"], "[redacted]")
			}
		})
	}
}

// TestLogLevel checks that a logger above debug level records refusals but
// not every request.
func TestLogLevel(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil)) // Info and above
	h := middleware.New(newFake(), middleware.WithLogger(logger))(probe(new(seen)))
	h.ServeHTTP(httptest.NewRecorder(), request("Bearer "+nodeTok))
	h.ServeHTTP(httptest.NewRecorder(), request())
	assert.Empty(t, buf.String())
	h.ServeHTTP(httptest.NewRecorder(), request("Bearer "+badTok))
	assert.Contains(t, buf.String(), `"reason":"token_rejected"`)
}
