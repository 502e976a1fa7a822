package token_test

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// decodePart decodes one part of a compact JWS.
func decodePart(t testing.TB, part string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.Strict().DecodeString(part)
	require.NoError(t, err)
	return b
}

// parts splits tok into its three decoded parts.
func parts(t testing.TB, tok string) (header, payload, sig []byte) {
	t.Helper()
	p := strings.Split(tok, ".")
	require.Len(t, p, 3)
	return decodePart(t, p[0]), decodePart(t, p[1]), decodePart(t, p[2])
}

func TestSign(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok, err := f.signer.Sign("u1", "User")
	require.NoError(t, err)

	header, payload, sig := parts(t, tok)
	assert.Equal(t, `{"alg":"HS256","kid":"`+f.kid+`","typ":"JWT"}`, string(header))
	iat := testNow.Unix()
	exp := testNow.Add(30 * 24 * time.Hour).Unix()
	assert.JSONEq(t, `{"userId":"u1","sub":"u1","modelName":"User","projectId":"`+testService+`",
		"aud":"`+testService+`","iat":`+strconv.FormatInt(iat, 10)+`,"exp":`+strconv.FormatInt(exp, 10)+`,"jti":"AAAAAAAAAAAAAAAAAAAAAA"}`,
		string(payload), "default expiry: 30 days")
	i := strings.LastIndexByte(tok, '.')
	assert.Equal(t, hmacSigner(sha256Hash, independentKey(f.root, testService))(tok[:i]), sig,
		"HS256 under the derived key, never the root token")
	assert.Equal(t, f.kid, f.signer.KeyID())
}

func TestSignJTI(t *testing.T) {
	t.Parallel()
	s, err := token.NewSigner(newRoot(t), testService)
	require.NoError(t, err)
	seen := map[string]bool{}
	for range 100 {
		tok, err := s.Sign("u1", "User")
		require.NoError(t, err)
		_, payload, _ := parts(t, tok)
		var c struct{ JTI string }
		require.NoError(t, json.Unmarshal(payload, &c))
		assert.Len(t, decodePart(t, c.JTI), 16, "16 random bytes, base64url")
		assert.False(t, seen[c.JTI], "jti from crypto/rand by default")
		seen[c.JTI] = true
	}

	s = newSigner(t, newRoot(t), testService, token.WithRandom(&patternReader{}))
	tok, err := s.Sign("u1", "User")
	require.NoError(t, err)
	_, payload, _ := parts(t, tok)
	assert.Contains(t, string(payload), `"jti":"AAECAwQFBgcICQoLDA0ODw"`, "WithRandom supplies the jti bytes")

	s = newSigner(t, newRoot(t), testService, token.WithRandom(failingReader{}))
	_, err = s.Sign("u1", "User")
	assert.Error(t, err, "a failing random source fails minting")
}

func TestSignExpiresIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name     string
		d        time.Duration
		lifetime int64 // exp - iat, in seconds
	}{
		{"an hour", time.Hour, 3600},
		{"a second", time.Second, 1},
		{"rounded up to whole seconds", 1500 * time.Millisecond, 2},
		{"a nanosecond is still after iat", time.Nanosecond, 1},
		{"a year", 365 * 24 * time.Hour, 365 * 24 * 3600},
		{"the longest Duration", math.MaxInt64, 9_223_372_037},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := f.signer.Sign("u1", "User", token.ExpiresIn(tt.d))
			require.NoError(t, err)
			claims, err := f.verifier.Verify(tok)
			require.NoError(t, err)
			assert.Equal(t, testNow.Unix()+tt.lifetime, claims.ExpiresAt.Unix())
		})
	}
}

func TestSignRefuses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name      string
		nodeID    string
		modelType string
		opts      []token.Option
		want      error
	}{
		{"empty node id", "", "User", nil, token.ErrNodeID},
		{"node id over 128 bytes", strings.Repeat("x", 129), "User", nil, token.ErrNodeID},
		{"node id not UTF-8", "\xff\xfe", "User", nil, token.ErrNodeID},
		{"node id with a cut rune", "é"[:1], "User", nil, token.ErrNodeID},
		{"empty model type", "u1", "", nil, token.ErrModelType},
		{"model type with a dash", "u1", "User-Type", nil, token.ErrModelType},
		{"model type starting with a digit", "u1", "1User", nil, token.ErrModelType},
		{"model type with a space", "u1", "User ", nil, token.ErrModelType},
		{"model type not ASCII", "u1", "Usér", nil, token.ErrModelType},
		{"zero ExpiresIn", "u1", "User", []token.Option{token.ExpiresIn(0)}, token.ErrExpiresIn},
		{"negative ExpiresIn", "u1", "User", []token.Option{token.ExpiresIn(-time.Hour)}, token.ErrExpiresIn},
		{"value no JSON holds", "u1", "User", []token.Option{token.WithClaims(map[string]any{"f": math.NaN()})}, token.ErrCustomClaim},
		{"a channel", "u1", "User", []token.Option{token.WithClaims(map[string]any{"c": make(chan int)})}, token.ErrCustomClaim},
		{"custom claim name not UTF-8", "u1", "User", []token.Option{token.WithClaims(map[string]any{"r\xffle": "x"})}, token.ErrCustomClaim},
		{"a token over 8 KiB", "u1", "User", []token.Option{token.WithClaims(map[string]any{"big": strings.Repeat("x", 8<<10)})}, token.ErrTooLarge},
		{"a model type over 8 KiB", "u1", strings.Repeat("U", 8<<10), nil, token.ErrTooLarge},
	}
	for _, name := range []string{"userId", "sub", "modelName", "projectId", "aud", "iat", "exp", "jti", "iss", "nbf", "SUB", "UserID", "ſub"} {
		tests = append(tests, struct {
			name      string
			nodeID    string
			modelType string
			opts      []token.Option
			want      error
		}{"custom claim " + name, "u1", "User", []token.Option{token.WithClaims(map[string]any{name: "x"})}, token.ErrReservedClaim})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := f.signer.Sign(tt.nodeID, tt.modelType, tt.opts...)
			assert.Empty(t, tok)
			require.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, token.ErrInvalid)
			assert.True(t, strings.HasPrefix(err.Error(), "token: sign: "), err.Error())
		})
	}
}

func TestSignAccepts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tt := range []struct{ name, nodeID, modelType string }{
		{"node id of 128 bytes", strings.Repeat("x", 128), "User"},
		{"node id of one byte", "1", "User"},
		{"node id in UTF-8", "ノード", "User"},
		{"model type _", "u1", "_"},
		{"model type with digits and underscores", "u1", "_Model_2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := f.signer.Sign(tt.nodeID, tt.modelType)
			require.NoError(t, err)
			claims, err := f.verifier.Verify(tok)
			require.NoError(t, err)
			assert.Equal(t, tt.nodeID, claims.NodeID)
			assert.Equal(t, tt.modelType, claims.ModelType)
		})
	}
}

func TestWithClaims(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	custom := map[string]any{"role": "admin", "level": 3, "tags": []string{"a", "b"}}
	opt := token.WithClaims(custom)
	custom["role"] = "changed after WithClaims"

	tok, err := f.signer.Sign("u1", "User", opt, token.WithClaims(map[string]any{"level": 4, "x": nil}), nil)
	require.NoError(t, err)
	claims, err := f.verifier.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"role": "admin", "level": 4.0, "tags": []any{"a", "b"}, "x": nil}, claims.Custom,
		"WithClaims copies its map; later options win; a nil Option is ignored")

	tok, err = f.signer.Sign("u1", "User", token.WithClaims(nil), token.WithClaims(map[string]any{}))
	require.NoError(t, err)
	claims, err = f.verifier.Verify(tok)
	require.NoError(t, err)
	assert.Nil(t, claims.Custom, "no custom claims, no map")
}

func TestNewSignerErrors(t *testing.T) {
	t.Parallel()
	good := newRoot(t)
	tests := []struct {
		name, root, service string
		want                error
	}{
		{"short root token", "0123456789", testService, token.ErrRootToken},
		{"empty root token", "", testService, token.ErrRootToken},
		{"gcr_ root token with a bad checksum", good[:39] + map[bool]string{true: "B", false: "A"}[good[39] == 'A'], testService, token.ErrChecksum},
		{"empty service id", good, "", token.ErrServiceID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := token.NewSigner(tt.root, tt.service)
			assert.Nil(t, s)
			require.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, token.ErrInvalid)
			if tt.root != "" {
				assert.NotContains(t, err.Error(), tt.root)
			}
		})
	}
}
