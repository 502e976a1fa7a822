package token_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok, err := f.signer.Sign("cj1user42", "User", token.ExpiresIn(time.Hour),
		token.WithClaims(map[string]any{"role": "admin"}))
	require.NoError(t, err)

	claims, err := f.verifier.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, &token.Claims{
		NodeID:    "cj1user42",
		ModelType: "User",
		ServiceID: testService,
		Custom:    map[string]any{"role": "admin"},
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   "cj1user42",
			Audience:  jwt.ClaimStrings{testService},
			IssuedAt:  &jwt.NumericDate{Time: time.Unix(testNow.Unix(), 0)},
			ExpiresAt: &jwt.NumericDate{Time: time.Unix(testNow.Add(time.Hour).Unix(), 0)},
			ID:        "AAAAAAAAAAAAAAAAAAAAAA",
		},
	}, claims)

	again, err := f.verifier.Verify(tok)
	require.NoError(t, err)
	assert.NotSame(t, claims, again, "every call returns claims of its own")
}

func TestVerifyOtherRootOrService(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	otherRoot := newSigner(t, newRoot(t), testService)
	otherService := newSigner(t, f.root, "another-service")

	tok, err := otherRoot.Sign("u1", "User")
	require.NoError(t, err)
	_, err = f.verifier.Verify(tok)
	assert.ErrorIs(t, err, token.ErrInvalid)
	assert.ErrorIs(t, err, token.ErrKeyID, "another root token's kid is unknown")

	tok, err = otherService.Sign("u1", "User")
	require.NoError(t, err)
	_, err = f.verifier.Verify(tok)
	assert.ErrorIs(t, err, token.ErrInvalid)
	assert.ErrorIs(t, err, token.ErrSignature, "same kid, but the key of another service")

	// Even signed with this service's key, a token for another service is refused.
	forged := f.with(t, func(c map[string]any) { c["aud"], c["projectId"] = "another-service", "another-service" })
	_, err = f.verifier.Verify(forged)
	assert.ErrorIs(t, err, token.ErrAudience)
}

func TestVerifierSeveralRoots(t *testing.T) {
	t.Parallel()
	roots := []string{newRoot(t), newRoot(t), "eyJhbGciOiJIUzI1NiJ9.eyJsZWdhY3kiOnRydWV9.c2ln"}
	v := newVerifier(t, testService, append(roots, roots[0]))
	for i, root := range roots {
		t.Run(fmt.Sprintf("root %d", i+1), func(t *testing.T) {
			t.Parallel()
			s := newSigner(t, root, testService)
			tok, err := s.Sign(fmt.Sprintf("u%d", i), "User")
			require.NoError(t, err)
			claims, err := v.Verify(tok)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("u%d", i), claims.NodeID)
		})
	}
	t.Run("a root token not in the set", func(t *testing.T) {
		t.Parallel()
		tok, err := newSigner(t, newRoot(t), testService).Sign("u1", "User")
		require.NoError(t, err)
		_, err = v.Verify(tok)
		assert.ErrorIs(t, err, token.ErrInvalid)
	})
	t.Run("duplicates count once", func(t *testing.T) {
		t.Parallel()
		kids := []string{token.RootTokenID(roots[0]), token.RootTokenID(roots[1]), token.RootTokenID(roots[2])}
		slices.Sort(kids)
		assert.Equal(t, fmt.Sprintf("token.Verifier{service: %q, kids: [%s]}", testService, strings.Join(kids, " ")), v.String())
	})
}

func TestNewVerifierErrors(t *testing.T) {
	t.Parallel()
	good := newRoot(t)
	tests := []struct {
		name    string
		service string
		roots   []string
		want    error
	}{
		{"no root tokens", testService, nil, token.ErrRootToken},
		{"empty root token list", testService, []string{}, token.ErrRootToken},
		{"one short root among good ones", testService, []string{good, "0123456789"}, token.ErrRootToken},
		{"an empty root token", testService, []string{""}, token.ErrRootToken},
		{"a gcr_ root token with a bad checksum", testService, []string{good, good[:34] + "000000"}, token.ErrChecksum},
		{"empty service id", "", []string{good}, token.ErrServiceID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := token.NewVerifier(tt.service, tt.roots)
			assert.Nil(t, v)
			require.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, token.ErrInvalid)
			for _, r := range tt.roots {
				if r != "" {
					assert.NotContains(t, err.Error(), r)
				}
			}
		})
	}
	t.Run("the error names the position", func(t *testing.T) {
		t.Parallel()
		_, err := token.NewVerifier(testService, []string{good, "0123456789"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "root token 2")
	})
}

func TestVerifierOptions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok, err := f.signer.Sign("u1", "User", token.ExpiresIn(time.Hour))
	require.NoError(t, err)
	expiry := testNow.Add(time.Hour)

	tests := []struct {
		name string
		now  time.Time
		opts []token.ConfigOption
		want error
	}{
		{"default leeway: 29s after exp", expiry.Add(29 * time.Second), nil, nil},
		{"default leeway: 30s after exp", expiry.Add(30 * time.Second), nil, token.ErrExpired},
		{"WithLeeway(0): at exp", expiry, []token.ConfigOption{token.WithLeeway(0)}, token.ErrExpired},
		{"WithLeeway(0): 1s before exp", expiry.Add(-time.Second), []token.ConfigOption{token.WithLeeway(0)}, nil},
		{"negative leeway counts as zero", expiry.Add(-time.Second), []token.ConfigOption{token.WithLeeway(-time.Hour)}, nil},
		{"WithLeeway(5m): 4m after exp", expiry.Add(4 * time.Minute), []token.ConfigOption{token.WithLeeway(5 * time.Minute)}, nil},
		{"WithClock(nil) keeps the clock", expiry.Add(time.Hour), []token.ConfigOption{token.WithClock(nil)}, token.ErrExpired},
		{"nil option ignored", testNow, []token.ConfigOption{nil}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := newVerifier(t, testService, []string{f.root}, append([]token.ConfigOption{token.WithClock(at(tt.now))}, tt.opts...)...)
			_, err := v.Verify(tok)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, token.ErrInvalid)
			assert.ErrorIs(t, err, tt.want)
		})
	}
	t.Run("the default clock is time.Now", func(t *testing.T) {
		t.Parallel()
		v, err := token.NewVerifier(testService, []string{f.root})
		require.NoError(t, err)
		_, err = v.Verify(tok) // minted in 2023, valid for an hour
		assert.ErrorIs(t, err, token.ErrExpired)

		s, err := token.NewSigner(f.root, testService)
		require.NoError(t, err)
		fresh, err := s.Sign("u1", "User")
		require.NoError(t, err)
		_, err = v.Verify(fresh)
		assert.NoError(t, err)
	})
}

// TestConcurrentUse shares one Signer and one Verifier between goroutines;
// run it with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				id := fmt.Sprintf("u%d-%d", i, j)
				tok, err := f.signer.Sign(id, "User")
				if !assert.NoError(t, err) {
					return
				}
				claims, err := f.verifier.Verify(tok)
				if assert.NoError(t, err) {
					assert.Equal(t, id, claims.NodeID)
				}
				_, err = f.verifier.Verify(tamperSignature(tok))
				assert.ErrorIs(t, err, token.ErrSignature)
			}
		})
	}
	wg.Wait()
}

// tamperSignature changes the first character of tok's signature.
func tamperSignature(tok string) string {
	i := strings.LastIndexByte(tok, '.') + 1
	c := byte('A')
	if tok[i] == 'A' {
		c = 'B'
	}
	return tok[:i] + string(c) + tok[i+1:]
}
