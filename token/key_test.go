package token_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// hkdfSHA256 is RFC 5869 written out with crypto/hmac, independent of the
// crypto/hkdf the package uses.
func hkdfSHA256(secret, salt, info []byte, length int) []byte {
	mac := func(key []byte) hash.Hash { return hmac.New(sha256.New, key) }
	extract := mac(salt)
	extract.Write(secret)
	prk := extract.Sum(nil)

	var okm, block []byte
	for i := byte(1); len(okm) < length; i++ {
		expand := mac(prk)
		expand.Write(block)
		expand.Write(info)
		expand.Write([]byte{i})
		block = expand.Sum(nil)
		okm = append(okm, block...)
	}
	return okm[:length]
}

// independentKey is the wire format's signing key, computed by hkdfSHA256.
func independentKey(root, service string) []byte {
	return hkdfSHA256([]byte(root), []byte("graphcool-lib/v1"), []byte("node-token:"+service), 32)
}

// independentKeyID is the wire format's key id, computed from scratch.
func independentKeyID(root string) string {
	sum := sha256.Sum256([]byte("graphcool-lib/kid:" + root))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:16]
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// TestHKDFHelper checks the independent HKDF against RFC 5869 A.1, so that
// agreeing with it means something.
func TestHKDFHelper(t *testing.T) {
	t.Parallel()
	ikm := unhex(t, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")
	salt := unhex(t, "000102030405060708090a0b0c")
	info := unhex(t, "f0f1f2f3f4f5f6f7f8f9")
	want := "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
	assert.Equal(t, want, hex.EncodeToString(hkdfSHA256(ikm, salt, info, 42)))
}

func TestDeriveKey(t *testing.T) {
	t.Parallel()
	root := newRoot(t)
	key, err := token.DeriveKey(root, testService)
	require.NoError(t, err)
	assert.Len(t, key, 32)
	assert.Equal(t, independentKey(root, testService), key)

	other, err := token.DeriveKey(root, "another-service")
	require.NoError(t, err)
	assert.NotEqual(t, key, other, "two services never share a key")

	legacy := "eyJhbGciOiJIUzI1NiJ9.eyJsZWdhY3kiOnRydWV9.c2ln"
	key, err = token.DeriveKey(legacy, testService)
	require.NoError(t, err)
	assert.Equal(t, independentKey(legacy, testService), key, "legacy root tokens derive keys too")
}

func TestDeriveKeyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		root    string
		service string
		want    error
	}{
		{"root token of 31 bytes", "abcdefghijklmnopqrstuvwxyz01234", testService, token.ErrRootToken},
		{"empty root token", "", testService, token.ErrRootToken},
		{"empty service id", newRoot(t), "", token.ErrServiceID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key, err := token.DeriveKey(tt.root, tt.service)
			assert.Nil(t, key)
			require.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, token.ErrInvalid)
			assert.True(t, strings.HasPrefix(err.Error(), "token: "))
			if tt.root != "" {
				assert.NotContains(t, err.Error(), tt.root, "the error never holds the root token")
			}
		})
	}
	t.Run("a short root token's error says why", func(t *testing.T) {
		t.Parallel()
		_, err := token.DeriveKey("abcdefghijklmnopqrstuvwxyz01234", testService)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "31 bytes long, at least 32 required")
	})
}
