package auth_test

// Benchmarks of Verify and GenerateAuthToken, each beside the plain
// golang-jwt code doing the same work, so that one run gives the ratios:
//
//	go test -run '^$' -bench . -count 10 ./auth
//
// bench/run.sh runs them and prints the ratios.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/internal/jwtbaseline"
	"github.com/graphcool-go/graphcool-lib/token"
)

const benchServiceID = "cj9bench0service0id"

// benchNewTokens is how many distinct tokens the "New" benchmarks cycle
// through, and benchNewCacheSize the cache size of the client verifying
// them: eight times fewer entries than tokens, so that a token has been
// evicted long before it comes round again and every Verify is a miss
// (a full verification, plus the insertion and an eviction).
const (
	benchNewTokens    = 8192
	benchNewCacheSize = benchNewTokens / 8
)

// benchFixture is a root token, its derived key and tokens minted with it.
type benchFixture struct {
	root string
	kid  string
	key  []byte
	// seen is the token the "Seen" benchmarks present again and again.
	seen string
	// fresh are distinct tokens for the "New" benchmarks.
	fresh []string
}

var (
	benchOnce sync.Once
	benchFix  benchFixture
	benchErr  error
)

// benchSetup mints the fixture once per process, so that -count runs do
// not mint it again.
func benchSetup(b *testing.B) *benchFixture {
	b.Helper()
	benchOnce.Do(func() {
		f := &benchFix
		if f.root, benchErr = token.NewRootToken(); benchErr != nil {
			return
		}
		f.kid = token.RootTokenID(f.root)
		if f.key, benchErr = token.DeriveKey(f.root, benchServiceID); benchErr != nil {
			return
		}
		var minter *auth.Client
		if minter, benchErr = auth.New(benchServiceID, []string{f.root}); benchErr != nil {
			return
		}
		if f.seen, benchErr = minter.GenerateAuthToken("cj9user0seen", "User"); benchErr != nil {
			return
		}
		f.fresh = make([]string, benchNewTokens)
		for i := range f.fresh {
			if f.fresh[i], benchErr = minter.GenerateAuthToken(fmt.Sprintf("cj9user%06d", i), "User"); benchErr != nil {
				return
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return &benchFix
}

func benchClient(b *testing.B, f *benchFixture, opts ...auth.Option) *auth.Client {
	b.Helper()
	c, err := auth.New(benchServiceID, []string{f.root}, opts...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkVerifySeen verifies the same node token again and again: after
// the first call, every call is a cache hit.
func BenchmarkVerifySeen(b *testing.B) {
	f := benchSetup(b)
	c := benchClient(b, f)
	ctx := context.Background()
	if _, err := c.Verify(ctx, f.seen); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Verify(ctx, f.seen); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyNew verifies distinct node tokens with a client whose
// cache holds eight times fewer entries than there are tokens: every call
// is a cache miss, verified from scratch and then stored in the cache.
func BenchmarkVerifyNew(b *testing.B) {
	f := benchSetup(b)
	c := benchClient(b, f, auth.WithCacheSize(benchNewCacheSize))
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.Verify(ctx, f.fresh[i%len(f.fresh)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkVerifyNewNoCache verifies the tokens of BenchmarkVerifyNew with
// the cache off.
func BenchmarkVerifyNewNoCache(b *testing.B) {
	f := benchSetup(b)
	c := benchClient(b, f, auth.WithCacheSize(0))
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.Verify(ctx, f.fresh[i%len(f.fresh)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkVerifyRoot verifies the client's root token.
func BenchmarkVerifyRoot(b *testing.B) {
	f := benchSetup(b)
	c := benchClient(b, f)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		id, err := c.Verify(ctx, f.root)
		if err != nil || !id.IsRoot() {
			b.Fatal("root token not recognised", err)
		}
	}
}

// BenchmarkGenerateAuthToken mints node tokens.
func BenchmarkGenerateAuthToken(b *testing.B) {
	f := benchSetup(b)
	c := benchClient(b, f)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GenerateAuthToken("cj9user0mint", "User"); err != nil {
			b.Fatal(err)
		}
	}
}

// The plain golang-jwt equivalents.

// newPlainVerifier returns the plain golang-jwt verifier of the tokens of
// f.
func newPlainVerifier(f *benchFixture) *jwtbaseline.Verifier {
	return jwtbaseline.NewVerifier(benchServiceID, auth.DefaultLeeway, map[string][]byte{f.kid: f.key})
}

// BenchmarkGolangJWTVerifySeen is BenchmarkVerifySeen with golang-jwt.
func BenchmarkGolangJWTVerifySeen(b *testing.B) {
	f := benchSetup(b)
	v := newPlainVerifier(f)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(f.seen); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGolangJWTVerifyNew is BenchmarkVerifyNew with golang-jwt.
func BenchmarkGolangJWTVerifyNew(b *testing.B) {
	f := benchSetup(b)
	v := newPlainVerifier(f)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := v.Verify(f.fresh[i%len(f.fresh)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkGolangJWTGenerateAuthToken mints the same claims with
// golang-jwt's SignedString.
func BenchmarkGolangJWTGenerateAuthToken(b *testing.B) {
	f := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		var jti [16]byte
		if _, err := rand.Read(jti[:]); err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		t := jwt.NewWithClaims(jwt.SigningMethodHS256, &jwtbaseline.Claims{
			UserID:    "cj9user0mint",
			ModelName: "User",
			ProjectID: benchServiceID,
			RegisteredClaims: jwt.RegisteredClaims{
				Subject:   "cj9user0mint",
				Audience:  jwt.ClaimStrings{benchServiceID},
				IssuedAt:  jwt.NewNumericDate(now),
				ExpiresAt: jwt.NewNumericDate(now.Add(30 * 24 * time.Hour)),
				ID:        base64.RawURLEncoding.EncodeToString(jti[:]),
			},
		})
		t.Header["kid"] = f.kid
		if _, err := t.SignedString(f.key); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPlainVerifierAgrees checks that the golang-jwt code benchmarked
// above accepts the tokens Verify accepts and refuses the ones it refuses,
// so that the benchmarks compare the same work.
func TestPlainVerifierAgrees(t *testing.T) {
	t.Parallel()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	key, err := token.DeriveKey(root, benchServiceID)
	require.NoError(t, err)
	v := newPlainVerifier(&benchFixture{root: root, kid: token.RootTokenID(root), key: key})
	c, err := auth.New(benchServiceID, []string{root})
	require.NoError(t, err)
	tok, err := c.GenerateAuthToken("u1", "User")
	require.NoError(t, err)

	claims, err := v.Verify(tok)
	require.NoError(t, err)
	id, err := c.Verify(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, id.NodeID, claims.UserID)
	assert.Equal(t, id.Claims.ID, claims.ID)

	other, err := auth.New(benchServiceID, []string{"another-root-token-of-at-least-32-bytes"})
	require.NoError(t, err)
	otherTok, err := other.GenerateAuthToken("u1", "User")
	require.NoError(t, err)
	forged := tok[:len(tok)-8] + "AAAAAAAA"
	if forged == tok {
		forged = tok[:len(tok)-8] + "BBBBBBBB"
	}
	for _, bad := range []string{otherTok, forged, "garbage"} {
		_, err := v.Verify(bad)
		assert.Error(t, err)
		_, err = c.Verify(context.Background(), bad)
		assert.ErrorIs(t, err, token.ErrInvalid)
	}
}
