package token_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/graphcool-go/graphcool-lib/token"
)

// Each benchmark of ours sits beside plain golang-jwt v5 doing the same
// work, so that one run of
//
//	go test ./token -run '^$' -bench . -benchmem -count 6
//
// gives the ratios: BenchmarkSign / BenchmarkGolangJWTSignedString and
// BenchmarkVerify / BenchmarkGolangJWTParse. BenchmarkVerifyFull is our
// general path, golang-jwt with our type-strict claims, which Verify
// leaves every token to that is not in the form Sign writes.

// benchRoot is the root token of the benchmarks.
var benchRoot = rootFrom("BenchmarkRootTokenForTests0000")

// benchTokens is how many distinct tokens the Verify benchmarks cycle
// through, so that nothing can profit from having seen a token before.
const benchTokens = 1024

// benchNodeID is the node id of the i-th token.
func benchNodeID(i int) string { return fmt.Sprintf("cj%08duser", i) }

// golangJWTClaims are the claims of a node token for plain golang-jwt.
type golangJWTClaims struct {
	NodeID    string `json:"userId"`
	ModelType string `json:"modelName"`
	ServiceID string `json:"projectId"`
	jwt.RegisteredClaims
}

// mintBenchTokens returns benchTokens distinct tokens, valid now and for
// 30 days.
func mintBenchTokens(b *testing.B) []string {
	b.Helper()
	s, err := token.NewSigner(benchRoot, testService)
	if err != nil {
		b.Fatal(err)
	}
	toks := make([]string, benchTokens)
	for i := range toks {
		if toks[i], err = s.Sign(benchNodeID(i), "User"); err != nil {
			b.Fatal(err)
		}
	}
	return toks
}

func BenchmarkSign(b *testing.B) {
	s, err := token.NewSigner(benchRoot, testService)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign("cj00000042user", "User"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGolangJWTSignedString mints what Sign mints with golang-jwt:
// the same header and claims, a random jti, the current time.
func BenchmarkGolangJWTSignedString(b *testing.B) {
	key, err := token.DeriveKey(benchRoot, testService)
	if err != nil {
		b.Fatal(err)
	}
	kid := token.RootTokenID(benchRoot)
	b.ReportAllocs()
	for b.Loop() {
		var jti [16]byte
		if _, err := rand.Read(jti[:]); err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		t := jwt.NewWithClaims(jwt.SigningMethodHS256, golangJWTClaims{
			NodeID:    "cj00000042user",
			ModelType: "User",
			ServiceID: testService,
			RegisteredClaims: jwt.RegisteredClaims{
				Subject:   "cj00000042user",
				Audience:  jwt.ClaimStrings{testService},
				IssuedAt:  jwt.NewNumericDate(now),
				ExpiresAt: jwt.NewNumericDate(now.Add(30 * 24 * time.Hour)),
				ID:        base64.RawURLEncoding.EncodeToString(jti[:]),
			},
		})
		t.Header["kid"] = kid
		if _, err := t.SignedString(key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify verifies tokens it has not seen before (this package
// keeps no cache), on the fast path.
func BenchmarkVerify(b *testing.B) {
	toks := mintBenchTokens(b)
	v, err := token.NewVerifier(testService, []string{benchRoot})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := v.Verify(toks[i%benchTokens]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkVerifyFull verifies the same tokens on the general path.
func BenchmarkVerifyFull(b *testing.B) {
	toks := mintBenchTokens(b)
	v, err := token.NewVerifier(testService, []string{benchRoot})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := v.VerifyFull(toks[i%benchTokens]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkGolangJWTParse verifies the same tokens with plain golang-jwt
// making the same checks: HS256 only, exp required, iat honoured, aud,
// a leeway of 30 seconds, and by hand sub equal to userId and projectId
// naming the service.
func BenchmarkGolangJWTParse(b *testing.B) {
	toks := mintBenchTokens(b)
	key, err := token.DeriveKey(benchRoot, testService)
	if err != nil {
		b.Fatal(err)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithAudience(testService),
		jwt.WithLeeway(30*time.Second),
	)
	keyfunc := func(*jwt.Token) (any, error) { return key, nil }
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var claims golangJWTClaims
		if _, err := parser.ParseWithClaims(toks[i%benchTokens], &claims, keyfunc); err != nil {
			b.Fatal(err)
		}
		if claims.Subject != claims.NodeID || claims.ServiceID != testService {
			b.Fatal("wrong claims")
		}
		i++
	}
}
