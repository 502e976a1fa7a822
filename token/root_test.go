package token_test

import (
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// checksum62 is an independent encoding of a root token's checksum:
// CRC32 (IEEE) in base62, zero-padded to six digits.
func checksum62(random string) string {
	n := uint64(crc32.ChecksumIEEE([]byte(random)))
	digits := ""
	for n > 0 {
		digits = string(base62[n%62]) + digits
		n /= 62
	}
	return fmt.Sprintf("%06s", digits)
}

// rootFrom returns the root token with the 30 random characters random.
func rootFrom(random string) string { return "gcr_" + random + checksum62(random) }

func TestNewRootToken(t *testing.T) {
	t.Parallel()
	root, err := token.NewRootToken()
	require.NoError(t, err)

	assert.True(t, strings.HasPrefix(root, "gcr_"), "prefix")
	assert.Len(t, root, 40)
	for _, c := range root[4:] {
		assert.Contains(t, base62, string(c), "base62 only")
	}
	assert.Equal(t, checksum62(root[4:34]), root[34:], "checksum of the random part")
	assert.NoError(t, token.CheckRootToken(root))
}

func TestNewRootTokenEntropy(t *testing.T) {
	t.Parallel()
	const n = 2000
	seen := make(map[string]bool, n)
	// Each of 30 positions sees every base62 character over n tokens if
	// the characters are uniform (a missing one has probability ~1e-12).
	var counts [30][62]int
	for range n {
		root := newRoot(t)
		require.False(t, seen[root], "duplicate root token")
		seen[root] = true
		for i := range 30 {
			counts[i][strings.IndexByte(base62, root[4+i])]++
		}
	}
	for i := range counts {
		for c, k := range counts[i] {
			assert.NotZero(t, k, "character %q never at position %d", base62[c], i)
		}
	}
}

func TestCheckRootToken(t *testing.T) {
	t.Parallel()
	good := rootFrom("abcdefghijABCDEFGHIJ0123456789")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	tests := []struct {
		name string
		root string
		want error
	}{
		{"well-formed gcr_ token", good, nil},
		{"checksum with leading zeros", rootFrom(strings.Repeat("0", 30)), nil},
		{"legacy JWT of 32+ bytes", "eyJhbGciOiJIUzI1NiJ9.eyJsZWdhY3kiOnRydWV9.c2ln", nil},
		{"any 32 bytes", strings.Repeat("x", 32), nil},
		{"31 bytes", strings.Repeat("x", 31), token.ErrRootToken},
		{"empty", "", token.ErrRootToken},
		{"random part changed", flip(good, 10), token.ErrChecksum},
		{"checksum changed", flip(good, 39), token.ErrChecksum},
		{"too short gcr_", good[:39], token.ErrChecksum},
		{"too long gcr_", good + "0", token.ErrChecksum},
		{"only the prefix", "gcr_", token.ErrChecksum},
		{"outside base62", good[:20] + "-" + good[21:], token.ErrChecksum},
		{"lower-case checksum", good[:34] + strings.ToLower(good[34:]), token.ErrChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := token.CheckRootToken(tt.root)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, token.ErrInvalid, "a configuration error, not a verification error")
			if tt.root != "" {
				assert.NotContains(t, err.Error(), tt.root, "the error never holds the root token")
			}
		})
	}
	t.Run("ErrChecksum and ErrRootToken are distinct", func(t *testing.T) {
		t.Parallel()
		assert.NotErrorIs(t, token.CheckRootToken(flip(good, 39)), token.ErrRootToken)
		assert.NotErrorIs(t, token.CheckRootToken("short"), token.ErrChecksum)
	})
	t.Run("the error says why", func(t *testing.T) {
		t.Parallel()
		err := token.CheckRootToken("0123456789")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "10 bytes")
		assert.Contains(t, err.Error(), "32")
	})
}

func TestRootTokenID(t *testing.T) {
	t.Parallel()
	for _, root := range []string{newRoot(t), "eyJhbGciOiJIUzI1NiJ9.eyJsZWdhY3kiOnRydWV9.c2ln", ""} {
		kid := token.RootTokenID(root)
		assert.Equal(t, independentKeyID(root), kid)
		assert.Len(t, kid, 16)
		assert.NotContains(t, root, kid, "the kid is not a piece of the root token")
	}
	assert.NotEqual(t, token.RootTokenID(newRoot(t)), token.RootTokenID(newRoot(t)))
}
