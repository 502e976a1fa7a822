package middleware_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

func TestGuards(t *testing.T) {
	t.Parallel()
	const (
		anon     = `Bearer realm="graphcool"`
		invalid  = `Bearer realm="graphcool", error="invalid_token"`
		forbids  = `Bearer realm="graphcool", error="insufficient_scope"`
		passes   = ""
		noHeader = ""
	)
	isAdminOrRoot := func(id auth.Identity) bool { return id.IsRoot() || id.IsNode("Admin") }
	guards := map[string]func(http.Handler) http.Handler{
		"RequireAuthenticated": middleware.RequireAuthenticated(),
		"RequireRoot":          middleware.RequireRoot(),
		"RequireNode()":        middleware.RequireNode(),
		"RequireNode(User)":    middleware.RequireNode("User"),
		"RequireNode(Admin,X)": middleware.RequireNode("Admin", "X"),
		"Allow(admin or root)": middleware.Allow(isAdminOrRoot),
	}
	for _, tc := range []struct {
		guard  string
		authz  string // "" sends no header
		status int
		want   string // WWW-Authenticate
	}{
		{"RequireAuthenticated", noHeader, 401, anon},
		{"RequireAuthenticated", "Bearer " + badTok, 401, invalid},
		{"RequireAuthenticated", "Bearer " + nodeTok, 200, passes},
		{"RequireAuthenticated", "Bearer " + rootTok, 200, passes},

		{"RequireRoot", noHeader, 401, anon},
		{"RequireRoot", "Basic " + rootTok, 401, invalid},
		{"RequireRoot", "Bearer " + nodeTok, 403, forbids},
		{"RequireRoot", "Bearer " + rootTok, 200, passes},

		{"RequireNode()", noHeader, 401, anon},
		{"RequireNode()", "Bearer " + nodeTok, 200, passes},
		{"RequireNode()", "Bearer " + adminTok, 200, passes},
		{"RequireNode()", "Bearer " + rootTok, 403, forbids},

		{"RequireNode(User)", "Bearer " + nodeTok, 200, passes},
		{"RequireNode(User)", "Bearer " + adminTok, 403, forbids},
		{"RequireNode(User)", "Bearer " + rootTok, 403, forbids},
		{"RequireNode(User)", "Bearer " + badTok, 401, invalid},

		{"RequireNode(Admin,X)", "Bearer " + adminTok, 200, passes},
		{"RequireNode(Admin,X)", "Bearer " + nodeTok, 403, forbids},

		{"Allow(admin or root)", noHeader, 401, anon},
		{"Allow(admin or root)", "Bearer " + rootTok, 200, passes},
		{"Allow(admin or root)", "Bearer " + adminTok, 200, passes},
		{"Allow(admin or root)", "Bearer " + nodeTok, 403, forbids},
	} {
		t.Run(tc.guard+" "+tc.authz[:min(len(tc.authz), 12)], func(t *testing.T) {
			t.Parallel()
			r := request()
			if tc.authz != "" {
				r = request(tc.authz)
			}
			w, s := serve(chain(middleware.New(newFake()), guards[tc.guard]), r)
			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, tc.want, w.Header().Get("WWW-Authenticate"))
			assert.Equal(t, tc.status == http.StatusOK, s.called)
			if tc.status == http.StatusForbidden {
				assert.JSONEq(t, `{"error":"insufficient_scope"}`, w.Body.String())
			}
		})
	}
}

func TestGuardNeverCallsAllowForAnonymous(t *testing.T) {
	t.Parallel()
	called := false
	g := middleware.Allow(func(auth.Identity) bool { called = true; return true })
	w, s := serve(chain(middleware.New(newFake()), g), request())
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.False(t, s.called)
	assert.False(t, called)
}

func TestGuardWithoutNew(t *testing.T) {
	t.Parallel()
	t.Run("refuses every request", func(t *testing.T) {
		t.Parallel()
		for _, authz := range []string{"Bearer " + rootTok, "Bearer " + nodeTok} {
			w, s := serve(middleware.RequireAuthenticated(), request(authz))
			assert.Equal(t, http.StatusUnauthorized, w.Code, "a forgotten New never opens a route")
			assert.Equal(t, `Bearer realm="graphcool"`, w.Header().Get("WWW-Authenticate"))
			assert.False(t, s.called)
			assertNoToken(t, "body", w.Body.String())
		}
	})
	t.Run("trusts an identity set by other middleware", func(t *testing.T) {
		t.Parallel()
		r := request()
		r = r.WithContext(auth.NewContext(r.Context(), rootID))
		w, s := serve(middleware.RequireRoot(), r)
		assert.Equal(t, http.StatusOK, w.Code)
		assert.True(t, s.called)
	})
}

func TestGuardUsesConfigOfNew(t *testing.T) {
	t.Parallel()
	var got []string
	onError := func(w http.ResponseWriter, r *http.Request, status int, code string) {
		got = append(got, code, r.Header.Get("Authorization"))
		w.WriteHeader(status)
	}
	mw := chain(
		middleware.New(newFake(), middleware.WithRealm("admin area"), middleware.WithErrorHandler(onError)),
		middleware.RequireRoot(),
	)
	w, _ := serve(mw, request("Bearer "+nodeTok))
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Equal(t, `Bearer realm="admin area", error="insufficient_scope"`, w.Header().Get("WWW-Authenticate"))
	assert.Equal(t, []string{"insufficient_scope", ""}, got, "the error handler gets the request without its token")
}

func TestGuardPanics(t *testing.T) {
	t.Parallel()
	assert.PanicsWithValue(t, "middleware: Allow: nil function", func() { middleware.Allow(nil) })
	assert.Panics(t, func() { middleware.RequireRoot()(nil) })
}
