package token_test

import (
	"crypto"
	"crypto/hmac"
	_ "crypto/sha512" // HS384, HS512
	"encoding/base64"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// testService is the service id of most tests.
const testService = "cjservice0001"

// testNow is the fixed time of most tests: 2023-11-14T22:13:20Z.
var testNow = time.Unix(1_700_000_000, 0)

// at returns a clock stopped at t.
func at(t time.Time) func() time.Time { return func() time.Time { return t } }

// patternReader is an endless deterministic source of "random" bytes: 0,
// 1, 2, ... 255, 0, 1, ... It stands in for crypto/rand in tests that
// need reproducible tokens.
type patternReader struct{ next byte }

func (r *patternReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.next
		r.next++
	}
	return len(p), nil
}

// zeroReader is an endless source of zero bytes, safe for concurrent use.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// failingReader fails every read.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// newRoot returns a fresh root token.
func newRoot(t testing.TB) string {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	return root
}

// newSigner returns a Signer for root and service with a clock at testNow
// and zero jti bytes, plus opts.
func newSigner(t testing.TB, root, service string, opts ...token.ConfigOption) *token.Signer {
	t.Helper()
	opts = append([]token.ConfigOption{token.WithClock(at(testNow)), token.WithRandom(zeroReader{})}, opts...)
	s, err := token.NewSigner(root, service, opts...)
	require.NoError(t, err)
	return s
}

// newVerifier returns a Verifier for service and roots with a clock at
// testNow, plus opts.
func newVerifier(t testing.TB, service string, roots []string, opts ...token.ConfigOption) *token.Verifier {
	t.Helper()
	opts = append([]token.ConfigOption{token.WithClock(at(testNow))}, opts...)
	v, err := token.NewVerifier(service, roots, opts...)
	require.NoError(t, err)
	return v
}

// b64 is unpadded base64url, the encoding of every part of a compact JWS.
func b64(b []byte) string { return b64Encoding.EncodeToString(b) }

// b64Encoding is strict unpadded base64url.
var b64Encoding = base64.RawURLEncoding.Strict()

// mustJSON encodes v, failing the test on error.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// hmacSigner returns a function that signs a JWS signing input with HMAC
// under key and hash h.
func hmacSigner(h crypto.Hash, key []byte) func(string) []byte {
	return func(input string) []byte {
		m := hmac.New(h.New, key)
		m.Write([]byte(input))
		return m.Sum(nil)
	}
}

// forge builds a compact JWS by hand, so that a test controls every byte:
// the raw header and payload JSON, base64url-encoded, and the signature
// that sign computes over them (none if sign is nil).
func forge(header, payload []byte, sign func(string) []byte) string {
	input := b64(header) + "." + b64(payload)
	var sig []byte
	if sign != nil {
		sig = sign(input)
	}
	return input + "." + b64(sig)
}

// fixture is one service with one root token, its key and kid, and a
// Signer and Verifier whose clocks stand at testNow.
type fixture struct {
	root     string
	key      []byte
	kid      string
	signer   *token.Signer
	verifier *token.Verifier
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWithRoot(t, newRoot(t))
}

func newFixtureWithRoot(t testing.TB, root string) *fixture {
	t.Helper()
	key, err := token.DeriveKey(root, testService)
	require.NoError(t, err)
	return &fixture{
		root:     root,
		key:      key,
		kid:      token.RootTokenID(root),
		signer:   newSigner(t, root, testService),
		verifier: newVerifier(t, testService, []string{root}),
	}
}

// header returns the header Sign writes, as a map to modify.
func (f *fixture) header() map[string]any {
	return map[string]any{"alg": "HS256", "kid": f.kid, "typ": "JWT"}
}

// claims returns the claims Sign writes for node u1 of type User at
// testNow, as a map to modify.
func (f *fixture) claims() map[string]any {
	return map[string]any{
		"userId":    "u1",
		"sub":       "u1",
		"modelName": "User",
		"projectId": testService,
		"aud":       testService,
		"iat":       testNow.Unix(),
		"exp":       testNow.Add(time.Hour).Unix(),
		"jti":       "AAAAAAAAAAAAAAAAAAAAAA",
	}
}

// sign forges a token of header and claims, signed with HS256 under the
// fixture's key: what Sign itself would produce for them.
func (f *fixture) sign(t testing.TB, header, claims map[string]any) string {
	t.Helper()
	return forge(mustJSON(t, header), mustJSON(t, claims), hmacSigner(crypto.SHA256, f.key))
}

// with returns the fixture's claims changed by edit, signed correctly.
func (f *fixture) with(t testing.TB, edit func(c map[string]any)) string {
	t.Helper()
	c := f.claims()
	edit(c)
	return f.sign(t, f.header(), c)
}

// withHeader returns the fixture's claims under a header changed by edit,
// signed correctly with HS256.
func (f *fixture) withHeader(t testing.TB, edit func(h map[string]any)) string {
	t.Helper()
	h := f.header()
	edit(h)
	return f.sign(t, h, f.claims())
}

// sha256Hash is HS256's hash.
const sha256Hash = crypto.SHA256
