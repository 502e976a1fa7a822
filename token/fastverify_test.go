package token_test

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// The tests in this file hold Verify, which decodes the tokens Sign writes
// by hand, to VerifyFull, the general path through golang-jwt: for every
// input both must accept with the same claims, or both reject with the
// same cause.

// diffVerifier is a Verifier whose two paths are compared.
type diffVerifier struct {
	name string
	v    *token.Verifier
}

// diffVerifiers returns Verifiers for f's service that know f's root
// token and one other, with their clocks at each of the given offsets
// from testNow, plus one without leeway an hour after testNow (when the
// fixture's claims expire).
func diffVerifiers(t testing.TB, f *fixture, offsets ...time.Duration) []diffVerifier {
	t.Helper()
	roots := []string{rootFrom("DifferentialOtherRootToken0000"), f.root}
	var vs []diffVerifier
	for _, d := range offsets {
		vs = append(vs, diffVerifier{
			name: fmt.Sprintf("at testNow%+v", d),
			v:    newVerifier(t, testService, roots, token.WithClock(at(testNow.Add(d)))),
		})
	}
	return append(vs, diffVerifier{
		name: "at testNow+1h without leeway",
		v:    newVerifier(t, testService, roots, token.WithClock(at(testNow.Add(time.Hour))), token.WithLeeway(0)),
	})
}

// allClocks are the clock offsets of the differential tests: before iat
// beyond the leeway, before iat inside it, at iat, inside the leeway after
// the fixture's exp (an hour), at its end, and after Sign's default 30
// days.
var allClocks = []time.Duration{-time.Hour, -20 * time.Second, 0, time.Hour + 15*time.Second, time.Hour + 30*time.Second, 31 * 24 * time.Hour}

// fewClocks are the clock offsets for the larger sets of inputs.
var fewClocks = []time.Duration{0, 31 * 24 * time.Hour}

// sentinelOf names the one verification sentinel err matches, or
// describes why there is not exactly one.
func sentinelOf(err error) string {
	var names []string
	for name, s := range verificationSentinels {
		if errors.Is(err, s) {
			names = append(names, name)
		}
	}
	if len(names) != 1 {
		return fmt.Sprintf("%d sentinels %v", len(names), names)
	}
	return names[0]
}

// reencode is the JSON encoding of decoded claims, or the error.
func reencode(c *token.Claims) string {
	b, err := json.Marshal(c)
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

// divergence returns how v's two paths differ on tok, or "".
func divergence(v *token.Verifier, tok string) string {
	fast, ferr := v.Verify(tok)
	full, gerr := v.VerifyFull(tok)
	switch {
	case (ferr == nil) != (gerr == nil):
		return fmt.Sprintf("fast path: %v; general path: %v", ferr, gerr)
	case ferr == nil:
		if a, b := reencode(fast), reencode(full); a != b {
			return fmt.Sprintf("claims differ:\nfast path:    %s\ngeneral path: %s", a, b)
		}
		if !reflect.DeepEqual(fast, full) {
			return fmt.Sprintf("claims differ:\nfast path:    %#v\ngeneral path: %#v", *fast, *full)
		}
		return ""
	}
	if fast != nil || full != nil {
		return "claims returned with an error"
	}
	if !errors.Is(ferr, token.ErrInvalid) || !errors.Is(gerr, token.ErrInvalid) {
		return fmt.Sprintf("an error does not match ErrInvalid: fast path: %v; general path: %v", ferr, gerr)
	}
	if a, b := sentinelOf(ferr), sentinelOf(gerr); a != b || strings.Contains(a, " ") {
		return fmt.Sprintf("causes differ: fast path: %v (%s); general path: %v (%s)", ferr, a, gerr, b)
	}
	return ""
}

// checkSame fails t if any of vs's paths differ on tok.
func checkSame(t testing.TB, vs []diffVerifier, tok string) {
	t.Helper()
	for _, dv := range vs {
		if d := divergence(dv.v, tok); d != "" {
			t.Errorf("%s: token %q: %s", dv.name, tok, d)
		}
	}
}

// differential has the inputs of the tests below: f, its Verifiers, and
// ways to make tokens.
type differential struct {
	f      *fixture
	header []byte // the header Sign writes, as JSON
	hs256  func(string) []byte
}

func newDifferential(t testing.TB, f *fixture) *differential {
	t.Helper()
	return &differential{f: f, header: f.header2(t), hs256: hmacSigner(crypto.SHA256, f.key)}
}

// signed is claims, raw JSON, under the header Sign writes, correctly
// signed.
func (d *differential) signed(claims string) string {
	return forge(d.header, []byte(claims), d.hs256)
}

// badlySigned is claims under the header Sign writes, signed with the
// wrong key.
func (d *differential) badlySigned(claims string) string {
	return forge(d.header, []byte(claims), hmacSigner(crypto.SHA256, []byte("not the key")))
}

// member is one name and raw JSON value of a claims object.
type member struct{ name, value string }

// baseMembers are the claims Sign writes for u1 at testNow, with an exp an
// hour later, in its order.
func baseMembers() []member {
	return []member{
		{"aud", `"` + testService + `"`},
		{"exp", fmt.Sprint(testNow.Add(time.Hour).Unix())},
		{"iat", fmt.Sprint(testNow.Unix())},
		{"jti", `"AAAAAAAAAAAAAAAAAAAAAA"`},
		{"modelName", `"User"`},
		{"projectId", `"` + testService + `"`},
		{"sub", `"u1"`},
		{"userId", `"u1"`},
	}
}

// object writes members as a JSON object.
func object(members []member) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + m.name + `":` + m.value)
	}
	b.WriteByte('}')
	return b.String()
}

// edit returns the base claims with name's value replaced by value (or
// removed, for the empty value), and with it added again before or after
// the rest.
func editClaims(name, value string) []string {
	var replaced, removed []member
	found := false
	for _, m := range baseMembers() {
		if m.name == name {
			found = true
			replaced = append(replaced, member{name, value})
			continue
		}
		replaced = append(replaced, m)
		removed = append(removed, m)
	}
	if !found {
		replaced = append(replaced, member{name, value})
	}
	base := baseMembers()
	return []string{
		object(replaced),
		object(removed),
		object(append([]member{{name, value}}, base...)), // the base value wins
		object(append(base, member{name, value})),        // this value wins
	}
}

// stringValues are JSON strings with every kind of escape, valid UTF-8
// and not, and lengths around 128 bytes.
var stringValues = []string{
	`"u1"`, `""`, `"User"`, `"` + testService + `"`, `"cjservice\u00301"`, `"AAAAAAAAAAAAAAAAAAAAAA"`,
	`"\u0075\u0031"`, `"u\u0031"`, `"\u0055ser"`, `"\u0055\u0073\u0065\u0072"`, `"a\"b"`, `"a\\b"`, `"a\/b"`,
	`"\b\f\n\r\t"`, `"\u0000"`, `"\u001f"`, `"é"`, `"\u00e9"`, `"ノード"`, `"😀"`, `"\ud83d\ude00"`,
	`"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\udc00\ud800x"`, `"\ud83d\ud83d\ude00"`, `"\ud83d"`,
	`"\uFFFD"`, `"\u2028"`, `"<&>"`, "\"\xff\"", "\"u\xc3\"", "\"\xed\xa0\x80\"", "\"\xef\xbf\xbd\"",
	"\"\x7f\"", `"` + strings.Repeat("x", 128) + `"`, `"` + strings.Repeat("x", 129) + `"`,
	`"` + strings.Repeat("é", 64) + `"`, `"` + strings.Repeat("\\u00e9", 65) + `"`,
	"\"" + strings.Repeat("\xff", 43) + "\"", "\"" + strings.Repeat("\xff", 42) + "x\"",
	`"User; DROP"`, `"_Model_2"`, `"1User"`, `"1700003600"`,
	`"unterminated`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"\x01\"", "\"tab\there\"",
}

// numberValues are JSON numbers in every form, around the fixture's iat
// and exp and the limits of float64 and of NumericDates, and things that
// are nearly numbers.
var numberValues = []string{
	`1700000000`, `1700003600`, `1700000000.5`, `1700003629.999999999`, `1700003630`, `1.7e9`, `1.7E+9`,
	`17e8`, `1700003600e0`, `170000000000e-2`, `0`, `-0`, `0.0`, `-0.0`, `-1.5`, `1.5`, `1e400`, `-1e400`,
	`1e-400`, `1e17`, `9007199254740992`, `9007199254740993`, `-9007199254740992`, `999999999999999`,
	`1000000000000000`, `0.0000001`, `1700003600.0000000001`, `00`, `01`, `1.`, `.5`, `+1`, `1e`, `1e+`,
	`-`, `--1`, `0x10`, `Infinity`, `NaN`, `1_000`,
}

// otherValues are JSON values of the other types, and broken JSON.
var otherValues = []string{
	`true`, `false`, `null`, `[]`, `{}`, `["u1"]`, `["` + testService + `"]`, `["x","` + testService + `"]`,
	`[""]`, `[null]`, `["` + testService + `",5]`, `[["` + testService + `"]]`, `{"a":1}`, `[1e400]`,
	`{"a":1e400,"a":1}`, `tru`, `nul`, `truex`, `[1,]`, `[,1]`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1 2]`,
}

// customValues are values of custom claims, of every JSON type.
var customValues = []string{
	`"admin"`, `1`, `-1.5e3`, `1e400`, `true`, `false`, `null`, `[]`, `{}`, `[1,"a",true,null,{"b":[]}]`,
	`{"a":{"b":{"c":[1,2,{"d":null}]}}}`, `{"a":1,"a":2}`, `{"a":1e400,"a":1}`, `{"\u0061":1,"a":2}`,
	`"\ud83d\ude00\ud800"`, "\"\xff\"", `[` + strings.Repeat(`[`, 500) + strings.Repeat(`]`, 500) + `]`,
	strings.Repeat(`{"a":`, 300) + `1` + strings.Repeat(`}`, 300), `9007199254740993`, `1e-400`, `-0`,
}

// claimsVariants are claims objects, and things that are not, built from
// the base claims. The edits of iat, exp and nbf come separately, for
// trying at every clock.
func claimsVariants() (variants, timeVariants []string) {
	base := object(baseMembers())
	inner := base[1 : len(base)-1]
	spaced := strings.NewReplacer(`":`, "\" :\t", `,"`, " ,\n\"").Replace(inner)
	variants = []string{
		base,
		" \t\n\r{ " + spaced + " }\r\n\t ",
		"{" + inner + "}  ",
		"\ufeff" + base,
		base + "x",
		base + "}",
		base + " null",
		"{" + inner + ",}",
		"{," + inner + "}",
		"{" + inner,
		"{" + strings.ReplaceAll(inner, `":`, `" `) + "}",
		"{" + strings.ReplaceAll(inner, `,`, ` `) + "}",
		"{" + strings.ReplaceAll(inner, `"`, `'`) + "}",
		`null`, ` null `, `nul`, `[]`, `[` + base + `]`, `"claims"`, `1`, `true`, `{}`, `{"a":1}`, ``, ` `,
		"{" + inner + `,"Sub":"x"}`, "{" + inner + `,"userid":"x"}`, "{" + inner + `,"ſub":"x"}`,
		"{" + strings.Replace(inner, `"userId"`, `"\u0075serId"`, 1) + "}",
		"{" + strings.Replace(inner, `"exp"`, `"\u0065\u0078\u0070"`, 1) + "}",
		"{" + strings.Replace(inner, `"userId"`, `"user\u0049d"`, 1) + `,"userId":"u1"}`,
		"{" + inner + ",\"\xffkey\":1}", "{" + inner + `,"\ud800":1,"\udfff":2}`,
		"{" + inner + `,"exp":"1700003600","exp":1700003600}`,
		"{" + inner + `,"aud":5,"aud":"` + testService + `"}`,
		"{" + inner + `,"aud":"` + testService + `","aud":5}`,
		"{" + inner + `,"c":1e400,"c":1}`,
		"{" + inner + `,"c":1,"c":1e400}`,
		"{" + inner + `,"c":{"d":1e400,"d":1}}`,
		"{" + inner + `,"c":1e400,"d":"x}`,
		"{" + inner + `,"c":1e400,"exp":"x"}`,
		"{" + inner + `,"nbf":1700000030}`,
		"{" + inner + `,"nbf":1700000031}`,
		"{" + inner + `,"nbf":1700000030.5}`,
		"{" + inner + `,"nbf":-1}`,
		"{" + inner + `,"iss":"me"}`,
		"{" + inner + `,"iss":5}`,
		"{" + inner + `,"exp":` + fmt.Sprint(testNow.Add(-time.Hour).Unix()) + `,"x":"}`,
	}
	// Every claim gets every value of its own type, and the first few of
	// the others.
	for _, name := range []string{"userId", "sub", "modelName", "projectId", "aud", "jti", "iss"} {
		for _, value := range slices.Concat(stringValues, numberValues[:3], otherValues) {
			variants = append(variants, editClaims(name, value)...)
		}
	}
	for _, name := range []string{"iat", "exp", "nbf"} {
		for _, value := range slices.Concat(numberValues, stringValues[:3], otherValues[:6]) {
			timeVariants = append(timeVariants, editClaims(name, value)...)
		}
	}
	for _, value := range slices.Concat(customValues, stringValues, numberValues, otherValues) {
		variants = append(variants, "{"+inner+`,"custom":`+value+"}", `{"custom":`+value+","+inner+"}")
	}
	return variants, timeVariants
}

// TestVerifyDifferentialSecurityCases runs every case of security_test.go
// through both paths.
func TestVerifyDifferentialSecurityCases(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	vs := diffVerifiers(t, f, allClocks...)
	for _, tc := range securityCases(t, f) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkSame(t, vs, tc.tok)
		})
	}
}

// TestVerifyDifferentialMinted runs tokens Sign mints, of many shapes,
// through both paths, and checks that the fast path takes each of them.
func TestVerifyDifferentialMinted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	vs := diffVerifiers(t, f, allClocks...)
	custom := map[string]any{}
	for i, v := range customValues {
		var x any
		if json.Unmarshal([]byte(v), &x) == nil {
			custom[fmt.Sprintf("c%02d", i)] = x
		}
	}
	pad := func(n int) token.Option { return token.WithClaims(map[string]any{"pad": strings.Repeat("x", n)}) }
	mints := []struct {
		name              string
		nodeID, modelType string
		opts              []token.Option
	}{
		{"plain", "u1", "User", nil},
		{"an hour", "cj1user42", "User", []token.Option{token.ExpiresIn(time.Hour)}},
		{"a second", "u1", "User", []token.Option{token.ExpiresIn(time.Second)}},
		{"custom claims of every JSON type", "u1", "User", []token.Option{token.WithClaims(custom)}},
		{"custom claims sorting before and after the others", "u1", "User", []token.Option{token.WithClaims(map[string]any{
			"Aaa": 1, "zzz": 2, "b": "x", "modelNamf": nil, "ノ": "ノ", "": "empty name", " ": "space"})}},
		{"custom strings Sign escapes", "u1", "User", []token.Option{token.WithClaims(map[string]any{
			"s": "<a href=\"x\">&amp;</a>\\\n\t\u2028\u2029\x00\x1f\x7f", "bad": "\xff\xfe", "k<&>": "v"})}},
		{"unicode node id", "ノード", "_Model_2", nil},
		{"emoji node id", "😀 user", "User", nil},
		{"node id Sign escapes", "a\"b\\c<d>&e\u2028\n", "User", nil},
		{"128-byte node id", strings.Repeat("x", 128), "User", nil},
		{"128-byte unicode node id", strings.Repeat("é", 64), "User", nil},
		{"128-byte node id of escapes", strings.Repeat("<", 128), "User", nil},
		{"one-byte node id and model type", "1", "_", nil},
		{"long model type", "u1", strings.Repeat("M", 1000), nil},
		{"2 KiB of custom claims", "u1", "User", []token.Option{pad(2000)}},
	}
	// The largest tokens under 8 KiB.
	n := 5000
	for ; ; n++ {
		if _, err := f.signer.Sign("u1", "User", pad(n+1)); errors.Is(err, token.ErrTooLarge) {
			break
		}
	}
	for _, n := range []int{n - 3, n - 2, n - 1, n} {
		mints = append(mints, struct {
			name              string
			nodeID, modelType string
			opts              []token.Option
		}{fmt.Sprintf("padded by %d bytes", n), "u1", "User", []token.Option{pad(n)}})
	}
	largest := 0
	for _, m := range mints {
		t.Run(m.name, func(t *testing.T) {
			tok, err := f.signer.Sign(m.nodeID, m.modelType, m.opts...)
			require.NoError(t, err)
			largest = max(largest, len(tok))
			checkSame(t, vs, tok)
			claims, handled, err := vs[2].v.VerifyFast(tok)
			require.NoError(t, err)
			assert.True(t, handled, "the fast path takes every token Sign mints")
			assert.Equal(t, m.nodeID, claims.NodeID)
		})
	}
	assert.GreaterOrEqual(t, largest, 8190, "a token at the 8 KiB limit")

	t.Run("a second root token", func(t *testing.T) {
		other := newSigner(t, rootFrom("DifferentialOtherRootToken0000"), testService)
		tok, err := other.Sign("u1", "User")
		require.NoError(t, err)
		checkSame(t, vs, tok)
		_, handled, err := vs[2].v.VerifyFast(tok)
		require.NoError(t, err)
		assert.True(t, handled)
	})
}

// TestVerifyDifferentialClaims runs claims objects of every shape, valid
// or not, through both paths, correctly and badly signed; those that
// edit a time at every clock.
func TestVerifyDifferentialClaims(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := newDifferential(t, f)
	few, every := diffVerifiers(t, f, fewClocks...), diffVerifiers(t, f, allClocks...)
	variants, timeVariants := claimsVariants()
	handled := 0
	for _, claims := range slices.Concat(variants, timeVariants) {
		tok := d.signed(claims)
		if slices.Contains(timeVariants, claims) {
			checkSame(t, every, tok)
		} else {
			checkSame(t, few, tok)
		}
		checkSame(t, few[:1], d.badlySigned(claims))
		if _, ok, _ := few[0].v.VerifyFast(tok); ok {
			handled++
		}
	}
	all := len(variants) + len(timeVariants)
	assert.Greater(t, handled, all*9/10, "the fast path decides nearly all of %d claims", all)
}

// TestVerifyDifferentialHeaders runs headers other than the one Sign
// writes: the same parameters reordered, spaced, repeated or with others
// added, which the general path decides.
func TestVerifyDifferentialHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	vs := diffVerifiers(t, f, fewClocks...)
	claims := mustJSON(t, f.claims())
	hs256 := hmacSigner(crypto.SHA256, f.key)
	kid := f.kid
	for _, header := range []string{
		`{"alg":"HS256","kid":"` + kid + `","typ":"JWT"}`,
		`{"typ":"JWT","kid":"` + kid + `","alg":"HS256"}`,
		`{"kid":"` + kid + `","alg":"HS256"}`,
		` {"alg" : "HS256", "kid":"` + kid + `" ,"typ":"JWT"} `,
		`{"alg":"HS256","kid":"` + kid + `","typ":"JWT","x":1}`,
		`{"alg":"HS256","kid":"` + kid + `","typ":"JWT","cty":"JWT"}`,
		`{"alg":"HS256","kid":"AAAAAAAAAAAAAAAA","kid":"` + kid + `","typ":"JWT"}`,
		`{"alg":"HS256","kid":"` + kid + `","kid":"AAAAAAAAAAAAAAAA","typ":"JWT"}`,
		`{"alg":"none","alg":"HS256","kid":"` + kid + `","typ":"JWT"}`,
		`{"alg":"HS256","alg":"none","kid":"` + kid + `","typ":"JWT"}`,
		`{"alg":"HS256","kid":"` + kid + `","typ":"JWT","typ":"at+jwt"}`,
		`{"alg":"HS256","kid":"` + kid + `","typ":"JWT","crit":null}`,
		`{"alg":"HS256","kid":"` + kid + `","typ":null}`,
		`{"alg":"\u0048S256","kid":"` + kid + `","typ":"\u004aWT"}`,
		`{"alg":"HS256","kid":"` + kid + `","typ":"jwt"}`,
		`{"alg":"HS256","kid":"` + kid + `","typ":"JWT"}x`,
		`{"alg":"HS256","kid":"` + kid + `","typ":"JWT",}`,
		`null`, `{}`, `[]`,
	} {
		checkSame(t, vs, forge([]byte(header), claims, hs256))
		checkSame(t, vs, forge([]byte(header), []byte(`{"exp":"x"}`), hs256))
	}
}

// TestVerifyDifferentialMutations changes tokens one byte at a time, in
// their base64url text and in their claims JSON, and cuts them short.
func TestVerifyDifferentialMutations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := newDifferential(t, f)
	vs := diffVerifiers(t, f, fewClocks...)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

	plain, err := f.signer.Sign("u1", "User", token.ExpiresIn(time.Hour))
	require.NoError(t, err)
	rich, err := f.signer.Sign("ノード", "_Model_2", token.WithClaims(map[string]any{"role": "admin", "n": 1.5, "a": []any{true, nil}}))
	require.NoError(t, err)

	// changes returns the base64url characters that differ from c in one
	// bit of its value, and a dot.
	changes := func(c byte) []byte {
		v := strings.IndexByte(alphabet, c)
		out := []byte{'.'}
		for bit := 1; bit < 64; bit <<= 1 {
			out = append(out, alphabet[v^bit])
		}
		return out
	}
	t.Run("every character of the token", func(t *testing.T) {
		t.Parallel()
		for _, tok := range []string{plain, rich} {
			for i := range len(tok) {
				if tok[i] == '.' {
					continue
				}
				for _, c := range changes(tok[i]) {
					checkSame(t, vs[:1], tok[:i]+string(c)+tok[i+1:])
				}
			}
		}
	})
	t.Run("every character of the claims part, re-signed", func(t *testing.T) {
		t.Parallel()
		for _, tok := range []string{plain, rich} {
			first, second := strings.IndexByte(tok, '.'), strings.LastIndexByte(tok, '.')
			for i := first + 1; i < second; i++ {
				for _, c := range changes(tok[i]) {
					input := tok[:i] + string(c) + tok[i+1:second]
					checkSame(t, vs[:1], input+"."+b64(d.hs256(input)))
				}
			}
		}
	})
	t.Run("every byte of the claims JSON, signed", func(t *testing.T) {
		t.Parallel()
		for _, tok := range []string{plain, rich} {
			_, payload, _ := parts(t, tok)
			claims := string(payload)
			const bytes = "\"\\{}[],: \t0-+.eE1nulltrfas\x00\x1f\x7f\x80\xff"
			for i := range len(claims) {
				checkSame(t, vs[:1], d.signed(claims[:i]+claims[i+1:]))
				for j := 0; j < len(bytes); j++ {
					checkSame(t, vs[:1], d.signed(claims[:i]+bytes[j:j+1]+claims[i+1:]))
					checkSame(t, vs[:1], d.signed(claims[:i]+bytes[j:j+1]+claims[i:]))
				}
			}
		}
	})
	t.Run("truncations", func(t *testing.T) {
		t.Parallel()
		for _, tok := range []string{plain, rich} {
			for i := range len(tok) {
				checkSame(t, vs, tok[:i])
				checkSame(t, vs, tok[i:])
			}
			_, payload, _ := parts(t, tok)
			for i := range len(payload) {
				checkSame(t, vs, d.signed(string(payload[:i])))
			}
		}
	})
}

// FuzzVerifyDifferential sends arbitrary tokens through both paths, and
// arbitrary claims JSON, signed under the header Sign writes; with tok it
// also tries tok's first two parts with the right signature, so that
// mutations of real tokens get past the signature check.
func FuzzVerifyDifferential(f *testing.F) {
	fx := newFixtureWithRoot(f, fuzzRoot)
	d := newDifferential(f, fx)
	vs := diffVerifiers(f, fx, fewClocks...)
	for _, tok := range mintFuzzTokens(f, fx.signer) {
		_, payload, _ := parts(f, tok)
		f.Add(tok, payload)
		for _, m := range mutations(tok) {
			f.Add(m, payload)
		}
	}
	for _, tc := range securityCases(f, fx) {
		if len(tc.tok) <= 16<<10 {
			f.Add(tc.tok, []byte(nil))
		}
	}
	// Claims with escapes, numbers in other forms, duplicates, nulls and
	// custom claims of every type, for the fuzzer to build on.
	inner := object(baseMembers())
	inner = inner[1 : len(inner)-1]
	for _, extra := range []string{
		``, `,"nbf":1700000000.5`, `,"iss":"me"`, `,"c":[1,"\u0055ser",true,null,{"d":-0}]`,
		`,"c":1e400`, `,"c":1e400,"c":1`, `,"exp":"1700003600","exp":1.7000036e9`, `,"aud":["x","` + testService + `"]`,
		`,"userId":"\u0075\u0031","sub":"u\u0031"`, `,"\u0063":"\ud83d\ude00\ud800"`, ",\"c\":\"\xff\"",
		`,"exp":null`, `,"aud":[]`, `,"iat":17e8`, `,"Sub":"x"`,
	} {
		f.Add("", []byte("{"+inner+extra+"}"))
	}
	f.Add("", []byte(` null `))

	f.Fuzz(func(t *testing.T, tok string, claims []byte) {
		checkSame(t, vs, tok)
		if i := strings.LastIndexByte(tok, '.'); i >= 0 {
			checkSame(t, vs, tok[:i+1]+b64(d.hs256(tok[:i])))
		}
		checkSame(t, vs, d.signed(string(claims)))
	})
}

// TestFuzzVerifyDifferentialCorpusIsCurrent checks that the minted-*
// seeds in testdata/fuzz/FuzzVerifyDifferential are still what Sign
// mints, with their claims, so that the fuzzer starts from tokens both
// paths accept.
func TestFuzzVerifyDifferentialCorpusIsCurrent(t *testing.T) {
	t.Parallel()
	fx := newFixtureWithRoot(t, fuzzRoot)
	for i, tok := range mintFuzzTokens(t, fx.signer) {
		data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzVerifyDifferential", fmt.Sprintf("minted-%d", i+1)))
		require.NoError(t, err)
		_, payload, _ := parts(t, tok)
		assert.Equal(t, fmt.Sprintf("go test fuzz v1\nstring(%q)\n[]byte(%q)\n", tok, payload), string(data))
	}
}
