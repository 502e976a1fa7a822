package middleware_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
	"github.com/graphcool-go/graphcool-lib/token"
)

// TestWithAuthClient runs the middleware with a real *auth.Client: tokens
// it mints are accepted, tokens of another root token or tampered ones are
// refused, and neither the responses nor the log show any of them.
func TestWithAuthClient(t *testing.T) {
	t.Parallel()
	newClient := func() (*auth.Client, string) {
		root, err := token.NewRootToken()
		require.NoError(t, err)
		c, err := auth.New("svc", []string{root})
		require.NoError(t, err)
		return c, root
	}
	client, root := newClient()
	other, otherRoot := newClient()

	nodeToken, err := client.GenerateAuthToken("u1", "User")
	require.NoError(t, err)
	foreign, err := other.GenerateAuthToken("u1", "User")
	require.NoError(t, err)
	parts := strings.Split(nodeToken, ".")
	require.Len(t, parts, 3)
	// Another first character changes the first bits of the signature.
	first := "A"
	if parts[2][0] == 'A' {
		first = "B"
	}
	tampered := parts[0] + "." + parts[1] + "." + first + parts[2][1:]
	require.NotEqual(t, nodeToken, tampered)

	logger, logs := debugLogger()
	h := middleware.New(client, middleware.Strict(), middleware.WithLogger(logger))

	for _, tc := range []struct {
		name   string
		authz  string
		status int
		want   auth.Identity
	}{
		{"root token", "Bearer " + root, 200, auth.Identity{Kind: auth.Root}},
		{"node token", "Bearer " + nodeToken, 200, auth.Identity{Kind: auth.Node, NodeID: "u1", ModelType: "User"}},
		{"token of another root", "Bearer " + foreign, 401, auth.Identity{}},
		{"another root token", "Bearer " + otherRoot, 401, auth.Identity{}},
		{"tampered signature", "Bearer " + tampered, 401, auth.Identity{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, s := serve(h, request(tc.authz))
			assert.Equal(t, tc.status, w.Code)
			if tc.status != http.StatusOK {
				assert.Equal(t, `Bearer realm="graphcool", error="invalid_token"`, w.Header().Get("WWW-Authenticate"))
				for _, secret := range []string{root, otherRoot, nodeToken, foreign, tampered} {
					assert.NotContains(t, w.Body.String(), secret)
				}
				return
			}
			assert.Equal(t, tc.want.Kind, s.id.Kind)
			assert.Equal(t, tc.want.NodeID, s.id.NodeID)
			assert.Equal(t, tc.want.ModelType, s.id.ModelType)
			if tc.want.Kind == auth.Node {
				require.NotNil(t, s.id.Claims)
				assert.Equal(t, "u1", s.id.Claims.NodeID)
			}
		})
	}

	t.Run("guards", func(t *testing.T) {
		w, _ := serve(chain(h, middleware.RequireNode("User")), request("Bearer "+nodeToken))
		assert.Equal(t, http.StatusOK, w.Code)
		w, _ = serve(chain(h, middleware.RequireRoot()), request("Bearer "+nodeToken))
		assert.Equal(t, http.StatusForbidden, w.Code)
		w, _ = serve(chain(h, middleware.RequireRoot()), request("Bearer "+root))
		assert.Equal(t, http.StatusOK, w.Code)
	})

	out := logs.String()
	require.NotEmpty(t, out)
	for _, secret := range []string{root, otherRoot, nodeToken, foreign, tampered, parts[2]} {
		assert.NotContains(t, out, secret)
	}
}
