package auth_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/graphcool-go/graphcool-lib/auth"
)

func TestKindString(t *testing.T) {
	t.Parallel()
	for kind, want := range map[auth.Kind]string{
		auth.Anonymous: "anonymous",
		auth.Node:      "node",
		auth.Root:      "root",
		auth.Kind(42):  "unknown",
	} {
		assert.Equal(t, want, kind.String())
	}
}

func TestIdentityPredicates(t *testing.T) {
	t.Parallel()
	var zero auth.Identity
	assert.True(t, zero.IsAnonymous(), "the zero Identity is anonymous")
	assert.False(t, zero.IsNode())
	assert.False(t, zero.IsRoot())

	user := auth.Identity{Kind: auth.Node, NodeID: "u1", ModelType: "User"}
	assert.True(t, user.IsNode())
	assert.True(t, user.IsNode("Admin", "User"))
	assert.False(t, user.IsNode("Admin"))
	assert.False(t, user.IsRoot())

	root := auth.Identity{Kind: auth.Root}
	assert.True(t, root.IsRoot())
	assert.False(t, root.IsNode(), "root is not a node")
}

func TestContextRoundTrip(t *testing.T) {
	t.Parallel()
	id, ok := auth.FromContext(context.Background())
	assert.False(t, ok)
	assert.True(t, id.IsAnonymous())

	want := auth.Identity{Kind: auth.Node, NodeID: "u1", ModelType: "User"}
	got, ok := auth.FromContext(auth.NewContext(context.Background(), want))
	assert.True(t, ok)
	assert.Equal(t, want, got)
}
