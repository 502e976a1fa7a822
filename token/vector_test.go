package token_test

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// vector is testdata/vector_v1.json, the test vector of wire format v1
// that implementations in other languages check themselves against.
type vector struct {
	RootToken     string         `json:"rootToken"`
	ServiceID     string         `json:"serviceId"`
	KeyID         string         `json:"keyId"`
	SigningKeyHex string         `json:"signingKeyHex"`
	Now           int64          `json:"now"`
	JTIRandomHex  string         `json:"jtiRandomHex"`
	NodeID        string         `json:"nodeId"`
	ModelType     string         `json:"modelType"`
	CustomClaims  map[string]any `json:"customClaims"`
	Header        string         `json:"header"`
	Claims        string         `json:"claims"`
	Token         string         `json:"token"`
}

func loadVector(t testing.TB) vector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "vector_v1.json"))
	require.NoError(t, err)
	// Every field but the description, which is for people, must be known.
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &raw))
	delete(raw, "description")
	dec := json.NewDecoder(bytes.NewReader(mustJSON(t, raw)))
	dec.DisallowUnknownFields()
	var v vector
	require.NoError(t, dec.Decode(&v))
	return v
}

func TestVectorV1(t *testing.T) {
	t.Parallel()
	v := loadVector(t)
	key := unhex(t, v.SigningKeyHex)

	t.Run("root token", func(t *testing.T) {
		t.Parallel()
		assert.NoError(t, token.CheckRootToken(v.RootToken))
		assert.Equal(t, checksum62(v.RootToken[4:34]), v.RootToken[34:])
	})
	t.Run("key id", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, v.KeyID, token.RootTokenID(v.RootToken))
		assert.Equal(t, v.KeyID, independentKeyID(v.RootToken))
	})
	t.Run("signing key", func(t *testing.T) {
		t.Parallel()
		got, err := token.DeriveKey(v.RootToken, v.ServiceID)
		require.NoError(t, err)
		assert.Equal(t, key, got)
		assert.Equal(t, key, independentKey(v.RootToken, v.ServiceID))
	})
	t.Run("token parts", func(t *testing.T) {
		t.Parallel()
		header, payload, sig := parts(t, v.Token)
		assert.Equal(t, v.Header, string(header))
		assert.Equal(t, v.Claims, string(payload))
		i := strings.LastIndexByte(v.Token, '.')
		assert.Equal(t, hmacSigner(crypto.SHA256, key)(v.Token[:i]), sig, "HMAC-SHA256 under the signing key")
	})
	t.Run("Sign reproduces the token byte for byte", func(t *testing.T) {
		t.Parallel()
		s, err := token.NewSigner(v.RootToken, v.ServiceID,
			token.WithClock(at(time.Unix(v.Now, 0))),
			token.WithRandom(bytes.NewReader(unhex(t, v.JTIRandomHex))))
		require.NoError(t, err)
		tok, err := s.Sign(v.NodeID, v.ModelType, token.WithClaims(v.CustomClaims))
		require.NoError(t, err)
		assert.Equal(t, v.Token, tok)
	})
	t.Run("Verify accepts it with its claims", func(t *testing.T) {
		t.Parallel()
		ver := newVerifier(t, v.ServiceID, []string{v.RootToken}, token.WithClock(at(time.Unix(v.Now, 0))))
		claims, err := ver.Verify(v.Token)
		require.NoError(t, err)
		jti := unhex(t, v.JTIRandomHex)
		assert.Equal(t, &token.Claims{
			NodeID:    v.NodeID,
			ModelType: v.ModelType,
			ServiceID: v.ServiceID,
			Custom:    v.CustomClaims,
			RegisteredClaims: jwt.RegisteredClaims{
				Subject:   v.NodeID,
				Audience:  jwt.ClaimStrings{v.ServiceID},
				IssuedAt:  &jwt.NumericDate{Time: time.Unix(v.Now, 0)},
				ExpiresAt: &jwt.NumericDate{Time: time.Unix(v.Now+30*24*3600, 0)},
				ID:        b64(jti),
			},
		}, claims)
		assert.Equal(t, v.Claims, string(mustJSON(t, claims)), "Claims re-encode to the same bytes")
	})
	t.Run("Verify refuses it 30 days and the leeway later", func(t *testing.T) {
		t.Parallel()
		ver := newVerifier(t, v.ServiceID, []string{v.RootToken}, token.WithClock(at(time.Unix(v.Now, 0).Add(30*24*time.Hour+30*time.Second))))
		_, err := ver.Verify(v.Token)
		assert.ErrorIs(t, err, token.ErrExpired)
	})
	t.Run("the key is hex of 32 bytes", func(t *testing.T) {
		t.Parallel()
		assert.Len(t, key, 32)
		assert.Equal(t, v.SigningKeyHex, hex.EncodeToString(key))
	})
}
