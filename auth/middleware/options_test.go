package middleware_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

func TestWithRealm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		realm, none, invalid string
	}{
		{"graphcool", `Bearer realm="graphcool"`, `Bearer realm="graphcool", error="invalid_token"`},
		{"my api", `Bearer realm="my api"`, `Bearer realm="my api", error="invalid_token"`},
		{`say "hi"`, `Bearer realm="say \"hi\""`, `Bearer realm="say \"hi\"", error="invalid_token"`},
		{`back\slash`, `Bearer realm="back\\slash"`, `Bearer realm="back\\slash", error="invalid_token"`},
		{"tab\there", "Bearer realm=\"tab\there\"", "Bearer realm=\"tab\there\", error=\"invalid_token\""},
		{"", "Bearer", `Bearer error="invalid_token"`},
	} {
		t.Run(tc.realm, func(t *testing.T) {
			t.Parallel()
			mw := middleware.New(newFake(), middleware.Required(), middleware.WithRealm(tc.realm))
			w, _ := serve(mw, request())
			assert.Equal(t, tc.none, w.Header().Get("WWW-Authenticate"))
			w, _ = serve(mw, request("Bearer "+badTok))
			assert.Equal(t, tc.invalid, w.Header().Get("WWW-Authenticate"))
		})
	}
}

func TestDefaultErrorResponse(t *testing.T) {
	t.Parallel()
	w, _ := serve(middleware.New(newFake(), middleware.Required()), request("Bearer "+badTok))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	assert.Equal(t, "{\"error\":\"invalid_token\"}\n", w.Body.String())
	assert.Equal(t, "26", w.Header().Get("Content-Length"))
}

func TestWithErrorHandler(t *testing.T) {
	t.Parallel()
	type call struct {
		status    int
		code      string
		authz     []string
		cookie    string
		challenge string
	}
	for _, tc := range []struct {
		name    string
		authz   []string
		cookies string
		want    call
	}{
		{"no credentials", nil, "theme=dark", call{401, "", nil, "theme=dark", `Bearer realm="graphcool"`}},
		{"bad token", []string{"Bearer " + badTok}, "theme=dark", call{401, "invalid_token", nil, "theme=dark", `Bearer realm="graphcool", error="invalid_token"`}},
		{"bad cookie", nil, "theme=dark; auth_token=" + badTok, call{401, "invalid_token", nil, "theme=dark", `Bearer realm="graphcool", error="invalid_token"`}},
		{"two headers", []string{"Bearer " + nodeTok, "Bearer " + nodeTok}, "theme=dark", call{400, "invalid_request", nil, "theme=dark", `Bearer realm="graphcool", error="invalid_request"`}},
		{"header and cookie", []string{"Bearer " + nodeTok}, "auth_token=" + nodeTok + "; theme=dark", call{400, "invalid_request", nil, "theme=dark", `Bearer realm="graphcool", error="invalid_request"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got call
			h := func(w http.ResponseWriter, r *http.Request, status int, code string) {
				got = call{status, code, r.Header.Values("Authorization"), r.Header.Get("Cookie"), w.Header().Get("WWW-Authenticate")}
				w.WriteHeader(http.StatusTeapot)
			}
			mw := middleware.New(newFake(), middleware.Required(), middleware.FromCookie("auth_token"), middleware.WithErrorHandler(h))
			r := request(tc.authz...)
			r.Header.Set("Cookie", tc.cookies)
			w, s := serve(mw, r)
			assert.False(t, s.called)
			assert.Equal(t, http.StatusTeapot, w.Code)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.cookies, r.Header.Get("Cookie"), "the caller's request is not modified")
		})
	}
	t.Run("nil restores the default", func(t *testing.T) {
		t.Parallel()
		w, _ := serve(middleware.New(newFake(), middleware.Required(), middleware.WithErrorHandler(nil)), request())
		assert.JSONEq(t, `{"error":"unauthorized"}`, w.Body.String())
	})
}

func TestFromCookie(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		authz       []string
		cookies     string
		strict      int // status with Strict; 200 passes
		want        auth.Identity
		seenCookies string // Cookie header the handler sees by default
	}{
		{"node cookie", nil, "auth_token=" + nodeTok, 200, nodeID, "auth_token=" + nodeTok},
		{"root cookie among others", nil, "a=1; auth_token=" + rootTok + "; b=2", 200, rootID, "a=1; auth_token=" + rootTok + "; b=2"},
		{"header without cookie", []string{"Bearer " + nodeTok}, "a=1", 200, nodeID, "a=1"},
		{"no credentials", nil, "a=1", 200, auth.Identity{}, "a=1"},
		{"bad cookie", nil, "a=1; auth_token=" + badTok + "; b=2", 401, auth.Identity{}, "a=1; b=2"},
		{"empty cookie", nil, "auth_token=; a=1", 401, auth.Identity{}, "a=1"},
		{"cookie outside b64token", nil, `auth_token=a,b; a=1`, 401, auth.Identity{}, "a=1"},
		{"cookie and header", []string{"Bearer " + nodeTok}, "auth_token=" + nodeTok, 400, auth.Identity{}, ""},
		{"two cookies", nil, "auth_token=" + nodeTok + "; auth_token=" + rootTok, 400, auth.Identity{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			newReq := func() *http.Request {
				r := request(tc.authz...)
				r.Header.Set("Cookie", tc.cookies)
				return r
			}
			_, s := serve(middleware.New(newFake(), middleware.FromCookie("auth_token")), newReq())
			assert.True(t, s.ok)
			assert.Equal(t, tc.want, s.id)
			assert.Equal(t, tc.seenCookies, strings.Join(s.cookies, "; "))
			if tc.want.Kind == auth.Anonymous {
				assert.Empty(t, s.authz)
			}

			w, _ := serve(middleware.New(newFake(), middleware.FromCookie("auth_token"), middleware.Strict()), newReq())
			assert.Equal(t, tc.strict, w.Code)
		})
	}
}

func TestNewPanics(t *testing.T) {
	t.Parallel()
	assert.PanicsWithValue(t, "middleware: New: nil Verifier", func() { middleware.New(nil) })
	assert.PanicsWithValue(t, "middleware: New: nil *auth.Client", func() { middleware.New((*auth.Client)(nil)) })
	assert.Panics(t, func() { middleware.New(newFake(), middleware.WithRealm("a\r\nX-Injected: 1")) })
	assert.Panics(t, func() { middleware.New(newFake(), middleware.WithRealm("nul\x00")) })
	assert.Panics(t, func() { middleware.New(newFake(), middleware.FromCookie("")) })
	assert.Panics(t, func() { middleware.New(newFake(), middleware.FromCookie("a b")) })
	assert.Panics(t, func() { middleware.New(newFake())(nil) })
	assert.NotPanics(t, func() { middleware.New(newFake(), nil, middleware.WithLogger(nil)) })
}

func TestOptionsAreReusable(t *testing.T) {
	t.Parallel()
	opts := []middleware.Option{middleware.Strict(), middleware.WithRealm("shared")}
	a := middleware.New(newFake(), opts...)
	b := middleware.New(newFake(), append(opts, middleware.Required())...)
	w, _ := serve(a, request())
	require.Equal(t, http.StatusOK, w.Code, "the second New does not change the first")
	w, _ = serve(b, request())
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, `Bearer realm="shared"`, w.Header().Get("WWW-Authenticate"))
}
