package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/token"
)

const serviceID = "cj9service0test"

func newRoot(t *testing.T) string {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	return root
}

func newClient(t *testing.T, roots ...string) *auth.Client {
	t.Helper()
	c, err := auth.New(serviceID, roots)
	require.NoError(t, err)
	return c
}

func eventWith(g event.Graphcool) *event.Event {
	return &event.Event{Context: event.Context{Graphcool: g}}
}

func TestFromEvent(t *testing.T) {
	t.Parallel()
	root := newRoot(t)
	endpoints := event.Endpoints{Simple: "https://api.example/simple/v1/" + serviceID}

	tests := []struct {
		name    string
		ev      *event.Event
		wantErr error
	}{
		{"rootToken and serviceId", eventWith(event.Graphcool{RootToken: root, ServiceID: serviceID, Endpoints: endpoints}), nil},
		{"deprecated pat and projectId", eventWith(event.Graphcool{PAT: root, ProjectID: serviceID}), nil},
		{"no root token", eventWith(event.Graphcool{ServiceID: serviceID}), auth.ErrNoRootToken},
		{"no service id", eventWith(event.Graphcool{RootToken: root}), auth.ErrNoServiceID},
		{"root token too short", eventWith(event.Graphcool{RootToken: "short", ServiceID: serviceID}), token.ErrRootToken},
		{"nil event", nil, auth.ErrNoEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := auth.FromEvent(tt.ev)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, c)
				assert.NotContains(t, err.Error(), "short", "the error never shows the root token")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, serviceID, c.ServiceID())

			tok, err := c.GenerateAuthToken("u1", "User")
			require.NoError(t, err)
			id, err := c.Verify(context.Background(), tok)
			require.NoError(t, err)
			assert.Equal(t, auth.Node, id.Kind)
		})
	}
}

func TestFromEventPrefersRootTokenOverPAT(t *testing.T) {
	t.Parallel()
	root, pat := newRoot(t), newRoot(t)
	c, err := auth.FromEvent(eventWith(event.Graphcool{RootToken: root, PAT: pat, ServiceID: serviceID}))
	require.NoError(t, err)

	id, err := c.Verify(context.Background(), root)
	require.NoError(t, err)
	assert.Equal(t, auth.Root, id.Kind)
	_, err = c.Verify(context.Background(), pat)
	assert.ErrorIs(t, err, token.ErrInvalid, "the deprecated pat is ignored when rootToken is set")
}

func TestNew(t *testing.T) {
	t.Parallel()
	root := newRoot(t)
	tests := []struct {
		name    string
		service string
		roots   []string
		wantErr error
	}{
		{"one root", serviceID, []string{root}, nil},
		{"legacy JWT-shaped root of 32+ bytes", serviceID, []string{"eyJhbGciOiJIUzI1NiJ9.eyJsZWdhY3kiOnRydWV9.c2ln"}, nil},
		{"empty service", "", []string{root}, auth.ErrNoServiceID},
		{"no roots", serviceID, nil, auth.ErrNoRootToken},
		{"one short root among good ones", serviceID, []string{root, "0123456789"}, token.ErrRootToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := auth.New(tt.service, tt.roots)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, c)
				return
			}
			require.NoError(t, err)
		})
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rootA, rootB := newRoot(t), newRoot(t)
	c := newClient(t, rootA, rootB)

	t.Run("node token round trip", func(t *testing.T) {
		t.Parallel()
		tok, err := c.GenerateAuthToken("cj9user", "User", token.WithClaims(map[string]any{"role": "admin"}))
		require.NoError(t, err)
		id, err := c.Verify(ctx, tok)
		require.NoError(t, err)
		assert.Equal(t, auth.Node, id.Kind)
		assert.Equal(t, "cj9user", id.NodeID)
		assert.Equal(t, "User", id.ModelType)
		require.NotNil(t, id.Claims)
		assert.Equal(t, serviceID, id.Claims.ServiceID)
		assert.Equal(t, "admin", id.Claims.Custom["role"])
	})
	t.Run("every configured root token authenticates as root", func(t *testing.T) {
		t.Parallel()
		for _, root := range []string{rootA, rootB} {
			id, err := c.Verify(ctx, root)
			require.NoError(t, err)
			assert.Equal(t, auth.Identity{Kind: auth.Root}, id)
		}
	})
	t.Run("a token minted by the second root verifies", func(t *testing.T) {
		t.Parallel()
		tok, err := newClient(t, rootB).GenerateAuthToken("u2", "User")
		require.NoError(t, err)
		id, err := c.Verify(ctx, tok)
		require.NoError(t, err)
		assert.Equal(t, "u2", id.NodeID)
	})
	t.Run("an unknown root token is invalid", func(t *testing.T) {
		t.Parallel()
		_, err := c.Verify(ctx, newRoot(t))
		assert.ErrorIs(t, err, token.ErrInvalid)
	})
	t.Run("a token of another root token is rejected", func(t *testing.T) {
		t.Parallel()
		tok, err := newClient(t, newRoot(t)).GenerateAuthToken("u1", "User")
		require.NoError(t, err)
		_, err = c.Verify(ctx, tok)
		assert.ErrorIs(t, err, token.ErrInvalid)
	})
	t.Run("a token of another service with the same root is rejected", func(t *testing.T) {
		t.Parallel()
		other, err := auth.New("cj9other0service", []string{rootA})
		require.NoError(t, err)
		tok, err := other.GenerateAuthToken("u1", "User")
		require.NoError(t, err)
		_, err = c.Verify(ctx, tok)
		assert.ErrorIs(t, err, token.ErrInvalid)
	})
	t.Run("garbage is invalid and the error does not echo it", func(t *testing.T) {
		t.Parallel()
		for _, tok := range []string{"", "secret-garbage", "a.b.c", strings.Repeat(".", 1<<20)} {
			id, err := c.Verify(ctx, tok)
			require.ErrorIs(t, err, token.ErrInvalid)
			assert.Equal(t, auth.Identity{}, id, "a rejected token yields the anonymous identity")
			if tok != "" {
				assert.NotContains(t, err.Error(), tok)
			}
		}
	})
	t.Run("a cancelled context is reported", func(t *testing.T) {
		t.Parallel()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := c.Verify(cctx, rootA)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestVerifyExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	root := newRoot(t)
	minter, err := auth.New(serviceID, []string{root}, auth.WithClock(clock))
	require.NoError(t, err)
	tok, err := minter.GenerateAuthToken("u1", "User", token.ExpiresIn(time.Hour))
	require.NoError(t, err)

	at := func(d time.Duration) *auth.Client {
		c, err := auth.New(serviceID, []string{root},
			auth.WithClock(func() time.Time { return now.Add(d) }), auth.WithLeeway(10*time.Second))
		require.NoError(t, err)
		return c
	}
	_, err = at(time.Hour+5*time.Second).Verify(context.Background(), tok)
	assert.NoError(t, err, "within the leeway")
	_, err = at(time.Hour+10*time.Second).Verify(context.Background(), tok)
	assert.ErrorIs(t, err, token.ErrExpired)
}

func TestGenerateAuthTokenRefusesBadInput(t *testing.T) {
	t.Parallel()
	c := newClient(t, newRoot(t))
	tests := []struct {
		name, nodeID, modelType string
		opts                    []token.Option
		wantErr                 error
	}{
		{"empty node id", "", "User", nil, token.ErrNodeID},
		{"node id over 128 bytes", strings.Repeat("x", 129), "User", nil, token.ErrNodeID},
		{"node id not UTF-8", "\xff\xfe", "User", nil, token.ErrNodeID},
		{"model type not a GraphQL name", "u1", "User-Type", nil, token.ErrModelType},
		{"empty model type", "u1", "", nil, token.ErrModelType},
		{"custom claim overwriting sub", "u1", "User", []token.Option{token.WithClaims(map[string]any{"sub": "root"})}, token.ErrReservedClaim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := c.GenerateAuthToken(tt.nodeID, tt.modelType, tt.opts...)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Empty(t, tok)
			assert.NotErrorIs(t, err, token.ErrInvalid, "minting errors are not verification errors")
		})
	}
}

func TestSetRootTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	oldRoot, newRootTok := newRoot(t), newRoot(t)
	c := newClient(t, oldRoot)
	oldTok, err := c.GenerateAuthToken("u1", "User")
	require.NoError(t, err)

	require.NoError(t, c.SetRootTokens([]string{newRootTok, oldRoot}))
	_, err = c.Verify(ctx, oldTok)
	require.NoError(t, err, "tokens of a root token still in the set keep verifying")
	newTok, err := c.GenerateAuthToken("u1", "User")
	require.NoError(t, err)

	require.NoError(t, c.SetRootTokens([]string{newRootTok}))
	_, err = c.Verify(ctx, oldTok)
	assert.ErrorIs(t, err, token.ErrInvalid, "removing a root token logs out everything it minted")
	_, err = c.Verify(ctx, oldRoot)
	assert.ErrorIs(t, err, token.ErrInvalid, "a removed root token no longer authenticates")
	_, err = c.Verify(ctx, newTok)
	assert.NoError(t, err)

	err = c.SetRootTokens([]string{"too-short"})
	require.ErrorIs(t, err, token.ErrRootToken)
	_, err = c.Verify(ctx, newTok)
	assert.NoError(t, err, "a failed SetRootTokens keeps the previous root tokens")
	assert.ErrorIs(t, c.SetRootTokens(nil), auth.ErrNoRootToken)
}

func TestClientNeverPrintsRootToken(t *testing.T) {
	t.Parallel()
	root := newRoot(t)
	c := newClient(t, root)
	key, err := token.DeriveKey(root, serviceID)
	require.NoError(t, err)

	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "c", c)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("client", "c", c)
	outputs := []string{logs.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		outputs = append(outputs, fmt.Sprintf(verb, c))
	}
	for _, out := range outputs {
		assert.NotContains(t, out, root)
		assert.NotContains(t, out, fmt.Sprintf("%x", key))
		assert.NotContains(t, out, string(key))
	}
	assert.Contains(t, fmt.Sprint(c), serviceID)
}
