package token_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// verifyCase is one token sent to the fixture's Verifier and the sentinel
// expected (nil: the token must verify).
type verifyCase struct {
	name string
	tok  string
	want error
}

// flipLastBit flips the lowest bit of the last character's 6-bit value in
// a base64url string. For a 32-byte signature that bit is padding: a
// lenient decoder reads the same bytes, a strict one refuses them.
func flipLastBit(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	v := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[v^1])
}

// securityCases returns a case for every "Verifying" line of SECURITY.md,
// named after it, plus the neighbouring tokens that must still verify.
func securityCases(t testing.TB, f *fixture) []verifyCase {
	t.Helper()
	hs256 := hmacSigner(crypto.SHA256, f.key)
	claims := mustJSON(t, f.claims())
	header := func(edit func(h map[string]any)) []byte {
		h := f.header()
		edit(h)
		return mustJSON(t, h)
	}
	alg := func(name string) []byte { return header(func(h map[string]any) { h["alg"] = name }) }

	otherKey, err := token.DeriveKey(newRoot(t), testService)
	require.NoError(t, err)

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	rs256 := func(input string) []byte {
		sum := sha256.Sum256([]byte(input))
		sig, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, sum[:])
		require.NoError(t, err)
		return sig
	}
	der, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	require.NoError(t, err)
	publicPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	es256 := func(input string) []byte {
		sum := sha256.Sum256([]byte(input))
		r, s, err := ecdsa.Sign(rand.Reader, ecKey, sum[:])
		require.NoError(t, err)
		return append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	eddsa := func(input string) []byte { return ed25519.Sign(edKey, []byte(input)) }

	genuine, err := f.signer.Sign("u1", "User", token.ExpiresIn(time.Hour))
	require.NoError(t, err)
	gp := strings.Split(genuine, ".")
	tampered := f.claims()
	tampered["userId"], tampered["sub"] = "admin", "admin"

	now := testNow.Unix()
	leeway := int64(30)

	// Tokens just over and at the 8 KiB limit, correctly signed.
	var atLimit, overLimit string
	for pad := 5700; overLimit == ""; pad++ {
		tok := f.with(t, func(c map[string]any) { c["pad"] = strings.Repeat("x", pad) })
		switch {
		case len(tok) <= 8192:
			atLimit = tok
		default:
			overLimit = tok
		}
	}
	require.Less(t, len(atLimit), len(overLimit))
	require.GreaterOrEqual(t, len(atLimit), 8190, "as close to 8 KiB as base64 allows")

	cases := []verifyCase{
		// alg none / None / NONE, empty signature (RFC 7518 §3.6).
		{"alg none", forge(alg("none"), claims, nil), token.ErrAlgorithm},
		{"alg None", forge(alg("None"), claims, nil), token.ErrAlgorithm},
		{"alg NONE", forge(alg("NONE"), claims, nil), token.ErrAlgorithm},
		{"alg none signed with the right key", forge(alg("none"), claims, hs256), token.ErrAlgorithm},
		{"alg missing", forge(header(func(h map[string]any) { delete(h, "alg") }), claims, hs256), token.ErrAlgorithm},
		{"alg not a string", forge(header(func(h map[string]any) { h["alg"] = 256 }), claims, hs256), token.ErrAlgorithm},
		{"alg hs256 in lower case", forge(alg("hs256"), claims, hs256), token.ErrAlgorithm},
		{"empty signature", forge(f.header2(t), claims, nil), token.ErrSignature},

		// Algorithm confusion (RFC 8725 §2.1, §3.1).
		{"HS256 signed with another key", forge(f.header2(t), claims, hmacSigner(crypto.SHA256, otherKey)), token.ErrSignature},
		{"HS256 signed with the root token itself", forge(f.header2(t), claims, hmacSigner(crypto.SHA256, []byte(f.root))), token.ErrSignature},
		{"HS384 where HS256 pinned", forge(alg("HS384"), claims, hmacSigner(crypto.SHA384, f.key)), token.ErrAlgorithm},
		{"HS512 where HS256 pinned", forge(alg("HS512"), claims, hmacSigner(crypto.SHA512, f.key)), token.ErrAlgorithm},
		{"RS256 where HS256 pinned", forge(alg("RS256"), claims, rs256), token.ErrAlgorithm},
		{"ES256 where HS256 pinned", forge(alg("ES256"), claims, es256), token.ErrAlgorithm},
		{"EdDSA where HS256 pinned", forge(alg("EdDSA"), claims, eddsa), token.ErrAlgorithm},
		{"HS256 signed with a public key's PEM bytes", forge(f.header2(t), claims, hmacSigner(crypto.SHA256, publicPEM)), token.ErrSignature},

		// kid (RFC 8725 §3.10).
		{"missing kid", forge(header(func(h map[string]any) { delete(h, "kid") }), claims, hs256), token.ErrKeyID},
		{"unknown kid", forge(header(func(h map[string]any) { h["kid"] = "AAAAAAAAAAAAAAAA" }), claims, hs256), token.ErrKeyID},
		{"kid with path characters", forge(header(func(h map[string]any) { h["kid"] = "../../../../../../dev/null" }), claims, hmacSigner(crypto.SHA256, nil)), token.ErrKeyID},
		{"kid with SQL characters", forge(header(func(h map[string]any) { h["kid"] = "x' UNION SELECT 'secret' --" }), claims, hmacSigner(crypto.SHA256, []byte("secret"))), token.ErrKeyID},
		{"kid not a string", forge(header(func(h map[string]any) { h["kid"] = []string{f.kid} }), claims, hs256), token.ErrKeyID},
		{"kid with a trailing space", forge(header(func(h map[string]any) { h["kid"] = f.kid + " " }), claims, hs256), token.ErrKeyID},
		{"kid empty", forge(header(func(h map[string]any) { h["kid"] = "" }), claims, hs256), token.ErrKeyID},

		// jku, x5u, jwk headers are never followed.
		{"jku header", forge(header(func(h map[string]any) { h["jku"] = "https://attacker.example/jwks.json" }), claims, hs256), token.ErrHeader},
		{"x5u header", forge(header(func(h map[string]any) { h["x5u"] = "https://attacker.example/cert.pem" }), claims, hs256), token.ErrHeader},
		{"jwk header", forge(header(func(h map[string]any) {
			h["jwk"] = map[string]any{"kty": "oct", "k": b64([]byte("attacker key"))}
		}), claims, hmacSigner(crypto.SHA256, []byte("attacker key"))), token.ErrHeader},
		{"x5c header", forge(header(func(h map[string]any) { h["x5c"] = []string{b64(der)} }), claims, hs256), token.ErrHeader},

		// crit, typ.
		{"crit present", forge(header(func(h map[string]any) { h["crit"] = []string{"exp"} }), claims, hs256), token.ErrHeader},
		{"crit empty", forge(header(func(h map[string]any) { h["crit"] = []string{} }), claims, hs256), token.ErrHeader},
		{"typ not JWT", forge(header(func(h map[string]any) { h["typ"] = "at+jwt" }), claims, hs256), token.ErrHeader},
		{"typ not a string", forge(header(func(h map[string]any) { h["typ"] = map[string]any{} }), claims, hs256), token.ErrHeader},

		// exp, nbf, iat (RFC 7519 §4.1.4–4.1.6).
		{"exp missing", f.with(t, func(c map[string]any) { delete(c, "exp") }), token.ErrClaims},
		{"exp 0", f.with(t, func(c map[string]any) { c["exp"] = 0 }), token.ErrExpired},
		{"exp as a string", f.with(t, func(c map[string]any) { c["exp"] = "99999999999" }), token.ErrMalformed},
		{"exp null", f.with(t, func(c map[string]any) { c["exp"] = nil }), token.ErrMalformed},
		{"iat as a string", f.with(t, func(c map[string]any) { c["iat"] = "1700000000" }), token.ErrMalformed},
		{"now >= exp + leeway", f.with(t, func(c map[string]any) { c["exp"] = now - leeway }), token.ErrExpired},
		{"nbf beyond leeway", f.with(t, func(c map[string]any) { c["nbf"] = now + leeway + 1 }), token.ErrNotYetValid},
		{"iat in the future beyond leeway", f.with(t, func(c map[string]any) { c["iat"] = now + leeway + 1 }), token.ErrNotYetValid},

		// aud, projectId, sub.
		{"aud missing", f.with(t, func(c map[string]any) { delete(c, "aud") }), token.ErrClaims},
		{"aud other", f.with(t, func(c map[string]any) { c["aud"] = "another-service" }), token.ErrAudience},
		{"aud []", f.with(t, func(c map[string]any) { c["aud"] = []string{} }), token.ErrAudience},
		{`aud [""]`, f.with(t, func(c map[string]any) { c["aud"] = []string{""} }), token.ErrAudience},
		{"aud 5", f.with(t, func(c map[string]any) { c["aud"] = 5 }), token.ErrMalformed},
		{"aud [5]", f.with(t, func(c map[string]any) { c["aud"] = []int{5} }), token.ErrMalformed},
		{"aud a prefix of the service", f.with(t, func(c map[string]any) { c["aud"] = testService[:3] }), token.ErrAudience},
		{"projectId other", f.with(t, func(c map[string]any) { c["projectId"] = "another-service" }), token.ErrAudience},
		{"sub and userId disagree", f.with(t, func(c map[string]any) { c["sub"] = "admin" }), token.ErrClaims},
		{"userId over 128 bytes", f.with(t, func(c map[string]any) { c["userId"], c["sub"] = strings.Repeat("u", 129), strings.Repeat("u", 129) }), token.ErrClaims},
		{"modelName not a GraphQL name", f.with(t, func(c map[string]any) { c["modelName"] = "User; DROP" }), token.ErrClaims},
		{"claims null", forge(f.header2(t), []byte("null"), hs256), token.ErrClaims},
		{"claims an array", forge(f.header2(t), []byte(`[]`), hs256), token.ErrMalformed},
		{"header not JSON", forge([]byte("HS256"), claims, hs256), token.ErrMalformed},
		{"header an array", forge([]byte(`["HS256"]`), claims, hs256), token.ErrMalformed},

		// Tampering and non-strict base64.
		{"tampered payload", gp[0] + "." + b64(mustJSON(t, tampered)) + "." + gp[2], token.ErrSignature},
		{"tampered header", b64(header(func(h map[string]any) { h["x"] = 1 })) + "." + gp[1] + "." + gp[2], token.ErrSignature},
		{"signature last bit flipped", gp[0] + "." + gp[1] + "." + flipLastBit(gp[2]), token.ErrMalformed},
		{"signature last byte changed", gp[0] + "." + gp[1] + "." + gp[2][:41] + map[bool]string{true: "BA", false: "AA"}[gp[2][41:] == "AA"], token.ErrSignature},
		{"signature truncated", gp[0] + "." + gp[1] + "." + gp[2][:40], token.ErrSignature},
		{"signature with padding", genuine + "=", token.ErrMalformed},
		{"payload with padding", gp[0] + "." + gp[1] + "==." + gp[2], token.ErrMalformed},
		{"standard base64 alphabet", gp[0] + "." + gp[1] + "+." + gp[2], token.ErrMalformed},

		// Size and shape, before any decoding (CVE-2025-30204, CVE-2025-27144).
		{"more than 8 KiB", overLimit, token.ErrMalformed},
		{"two parts", gp[0] + "." + gp[1], token.ErrMalformed},
		{"four parts", genuine + "." + gp[2], token.ErrMalformed},
		{"one part", gp[1], token.ErrMalformed},
		{"empty string", "", token.ErrMalformed},
		{"empty header", "." + gp[1] + "." + gp[2], token.ErrMalformed},
		{"empty payload", gp[0] + ".." + gp[2], token.ErrMalformed},
		{"megabyte of dots", strings.Repeat(".", 1<<20), token.ErrMalformed},
		{"8 KiB of dots", strings.Repeat(".", 8<<10), token.ErrMalformed},
		{"whitespace around the token", " " + genuine + "\n", token.ErrMalformed},
		{"Bearer prefix left on", "Bearer " + genuine, token.ErrMalformed},

		// JSON serialization of a JWS (CVE-2024-21664).
		{"JSON serialization", `{"payload":"` + gp[1] + `","signatures":[{"protected":"` + gp[0] + `","signature":"` + gp[2] + `"}]}`, token.ErrMalformed},
		{"flattened JSON serialization", `{"payload":"` + gp[1] + `","protected":"` + gp[0] + `","signature":"` + gp[2] + `"}`, token.ErrMalformed},

		// Error order (CVE-2024-51744).
		{"expired and badly signed reports signature", forge(f.header2(t), mustJSON(t, withClaim(f.claims(), "exp", now-3600)), hmacSigner(crypto.SHA256, otherKey)), token.ErrSignature},

		// Neighbours that must verify, so that the rejections above are
		// about what they name.
		{"genuine token", genuine, nil},
		{"hand-signed claims as Sign writes them", f.sign(t, f.header(), f.claims()), nil},
		{"exp inside the leeway", f.with(t, func(c map[string]any) { c["exp"] = now - leeway + 1 }), nil},
		{"nbf inside the leeway", f.with(t, func(c map[string]any) { c["nbf"] = now + leeway }), nil},
		{"iat inside the leeway", f.with(t, func(c map[string]any) { c["iat"] = now + leeway }), nil},
		{"aud an array naming this service", f.with(t, func(c map[string]any) { c["aud"] = []string{"other", testService} }), nil},
		{"typ absent", forge(header(func(h map[string]any) { delete(h, "typ") }), claims, hs256), nil},
		{"exactly at the 8 KiB limit", atLimit, nil},
	}
	for _, name := range []string{"userId", "sub", "modelName", "projectId", "iat", "jti"} {
		cases = append(cases,
			verifyCase{name + " missing", f.with(t, func(c map[string]any) { delete(c, name) }), token.ErrClaims})
		if name != "iat" {
			cases = append(cases,
				verifyCase{name + " empty", f.with(t, func(c map[string]any) { c[name] = "" }), token.ErrClaims})
		}
	}
	return cases
}

// header2 is the header Sign writes, encoded.
func (f *fixture) header2(t testing.TB) []byte { return mustJSON(t, f.header()) }

func withClaim(c map[string]any, name string, v any) map[string]any {
	c[name] = v
	return c
}

// checkVerify sends tc to v and checks the verdict.
func checkVerify(t *testing.T, v *token.Verifier, tc verifyCase) {
	t.Helper()
	claims, err := v.Verify(tc.tok)
	if tc.want == nil {
		require.NoError(t, err)
		assert.NotNil(t, claims)
		return
	}
	require.Error(t, err)
	assert.Nil(t, claims)
	assert.ErrorIs(t, err, token.ErrInvalid)
	assert.ErrorIs(t, err, tc.want)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "token: verify: "), msg)
	for _, part := range strings.Split(tc.tok, ".") {
		if len(part) >= 8 {
			assert.NotContains(t, msg, part, "the error never holds the token")
		}
	}
}

// TestVerifyRejects sends every token of SECURITY.md's "Verifying" list.
func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range securityCases(t, f) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkVerify(t, f.verifier, tc)
		})
	}
	t.Run("expired and badly signed is not reported as expired", func(t *testing.T) {
		t.Parallel()
		tc := findCase(t, securityCases(t, f), "expired and badly signed reports signature")
		_, err := f.verifier.Verify(tc.tok)
		assert.NotErrorIs(t, err, token.ErrExpired)
	})
}

func findCase(t testing.TB, cases []verifyCase, name string) verifyCase {
	t.Helper()
	for _, tc := range cases {
		if tc.name == name {
			return tc
		}
	}
	require.FailNow(t, "no case "+name)
	return verifyCase{}
}

// TestVerifyRefusesFloodsWithoutAllocating checks that oversized and
// misshapen tokens are refused before any decoding.
func TestVerifyRefusesFloodsWithoutAllocating(t *testing.T) {
	f := newFixture(t)
	genuine, err := f.signer.Sign("u1", "User")
	require.NoError(t, err)
	for _, tt := range []struct{ name, tok string }{
		{"megabyte of dots", strings.Repeat(".", 1<<20)},
		{"8 KiB + 1", genuine + strings.Repeat("A", 8<<10+1-len(genuine))},
		{"8 KiB of dots", strings.Repeat(".", 8<<10)},
		{"four parts", genuine + ".AAAA"},
		{"JSON serialization", `{"payload":"` + genuine + `"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			allocs := testing.AllocsPerRun(100, func() {
				if _, err := f.verifier.Verify(tt.tok); err == nil {
					panic("accepted")
				}
			})
			assert.LessOrEqual(t, allocs, 2.0)
		})
	}
}

// TestAdvisories runs, for each advisory, the cases that would have caught
// it.
func TestAdvisories(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := securityCases(t, f)
	for _, adv := range []struct {
		id    string
		cases []string
	}{
		{"CVE-2025-30204", []string{"megabyte of dots", "8 KiB of dots", "four parts", "more than 8 KiB"}},
		{"CVE-2025-27144", []string{"megabyte of dots", "8 KiB of dots", "four parts"}},
		{"CVE-2024-51744", []string{"expired and badly signed reports signature"}},
		{"CVE-2020-26160", []string{"aud []", `aud [""]`, "aud 5", "aud other", "aud missing"}},
		{"CVE-2024-21664", []string{"JSON serialization", "flattened JSON serialization"}},
		{"golang-jwt #509", []string{"exp 0", "exp missing", "exp null"}},
	} {
		t.Run(adv.id, func(t *testing.T) {
			t.Parallel()
			for _, name := range adv.cases {
				t.Run(name, func(t *testing.T) { checkVerify(t, f.verifier, findCase(t, cases, name)) })
			}
		})
	}
	t.Run("CVE-2024-51744 is not reported as expiry", func(t *testing.T) {
		t.Parallel()
		_, err := f.verifier.Verify(findCase(t, cases, "expired and badly signed reports signature").tok)
		assert.ErrorIs(t, err, token.ErrSignature)
		assert.NotErrorIs(t, err, token.ErrExpired)
	})
	t.Run("golang-jwt #509 exp 0 is expired, not absent", func(t *testing.T) {
		t.Parallel()
		_, err := f.verifier.Verify(findCase(t, cases, "exp 0").tok)
		assert.ErrorIs(t, err, token.ErrExpired)
		assert.NotErrorIs(t, err, token.ErrClaims)
	})
}

// TestRFC7515Example is the HS256 example of RFC 7515 A.1 (also RFC 7519
// §3.1). golang-jwt verifies its signature with the JWK key of the RFC;
// our Verifier refuses it (no kid, none of our claims).
func TestRFC7515Example(t *testing.T) {
	t.Parallel()
	const example = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" +
		".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" +
		".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	key, err := b64Decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
	require.NoError(t, err)

	// Its exp is in 2011: check the signature only.
	tok, err := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation()).
		Parse(example, func(*jwt.Token) (any, error) { return key, nil })
	require.NoError(t, err, "golang-jwt's HS256 verifies the RFC's example")
	assert.True(t, tok.Valid)
	assert.Equal(t, "joe", tok.Claims.(jwt.MapClaims)["iss"])

	v := newVerifier(t, testService, []string{string(key)})
	_, err = v.Verify(example)
	assert.ErrorIs(t, err, token.ErrInvalid)
	assert.ErrorIs(t, err, token.ErrKeyID, "no kid")
}

func b64Decode(s string) ([]byte, error) { return b64Encoding.DecodeString(s) }
