package token_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// referenceToken is the token Sign must mint with the fixture's Signer
// (clock at testNow, zero jti bytes) for the default expiry: what
// golang-jwt writes for our Claims, whose MarshalJSON encodes them.
func referenceToken(t testing.TB, f *fixture, nodeID, modelType string, custom map[string]any) string {
	t.Helper()
	iat := testNow.Unix()
	claims := &token.Claims{
		NodeID:    nodeID,
		ModelType: modelType,
		ServiceID: testService,
		Custom:    custom,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   nodeID,
			Audience:  jwt.ClaimStrings{testService},
			IssuedAt:  &jwt.NumericDate{Time: time.Unix(iat, 0)},
			ExpiresAt: &jwt.NumericDate{Time: time.Unix(iat+30*24*3600, 0)},
			ID:        "AAAAAAAAAAAAAAAAAAAAAA",
		},
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = f.kid
	s, err := tok.SignedString(f.key)
	require.NoError(t, err)
	return s
}

// upper is a custom claim value with a MarshalJSON of its own.
type upper string

func (u upper) MarshalJSON() ([]byte, error) { return json.Marshal(strings.ToUpper(string(u))) }

// TestSignMatchesGolangJWT checks that Sign, which writes its claims by
// hand, mints byte for byte the token golang-jwt writes for the same
// Claims.
func TestSignMatchesGolangJWT(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name              string
		nodeID, modelType string
		custom            map[string]any
	}{
		{"plain", "u1", "User", nil},
		{"unicode node id", "ノード", "_Model_2", nil},
		{"node id encoding/json escapes", "a\"b\\c<d>&e\u2028f\u2029\n\t\b\f\r\x00\x1f\x7f", "User", nil},
		{"node id of 128 bytes", strings.Repeat("é", 64), "User", nil},
		{"service-like node id", testService, "U", nil},
		{"custom claims of every kind", "u1", "User", map[string]any{
			"string": "admin", "int": 3, "int64": int64(math.MaxInt64), "uint8": uint8(7), "float": 1.5,
			"big float": 1e21, "small float": 1e-7, "negative zero": math.Copysign(0, -1), "true": true,
			"null": nil, "slice": []any{1, "a", nil}, "empty slice": []string{}, "nil slice": []string(nil),
			"map": map[string]any{"b": 1, "a": map[int]string{2: "x", 1: "y"}}, "bytes": []byte("raw"),
			"time": time.Unix(1_700_000_000, 5).UTC(), "number": json.Number("12.50"),
			"raw": json.RawMessage(` { "spaced" : [ 1 , 2 ] } `), "marshaler": upper("shout"),
			"struct": struct {
				A int    `json:"a"`
				B string `json:"b,omitempty"`
			}{A: 1}, "html": "<script>&</script>", "bad utf-8": "\xff\xfeok", "separators": "\u2028\u2029",
		}},
		{"custom names around the others", "u1", "User", map[string]any{
			"": 1, " ": 2, "A": 3, "aud0": 4, "au": 5, "exp0": 6, "iat_": 7, "jtj": 8, "modelNam": 9,
			"projectIe": 10, "su": 11, "subs": 12, "userIds": 13, "zz": 14, "ノ": 15, "a<b": 16, "q\"": 17,
			"\u2028": 18, "~": 19,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := f.signer.Sign(tt.nodeID, tt.modelType, token.WithClaims(tt.custom))
			require.NoError(t, err)
			assert.Equal(t, referenceToken(t, f, tt.nodeID, tt.modelType, tt.custom), tok)
		})
	}
}

// FuzzSignDifferential mints tokens with arbitrary node ids, model types
// and one custom claim (a JSON value, or else a string) and checks that
// every token Sign mints is the one golang-jwt writes.
func FuzzSignDifferential(f *testing.F) {
	fx := newFixtureWithRoot(f, fuzzRoot)
	f.Add("u1", "User", "role", "admin")
	f.Add("ノード", "_Model_2", "n", "1.5e300")
	f.Add("a\"b<c>&\u2028", "User", "a<b", `{"x":[1,"\u2029",null]}`)
	f.Add("\xff", "User", "k", "\xfe")
	f.Add(strings.Repeat("x", 128), "User", "aud0", "[]")
	f.Fuzz(func(t *testing.T, nodeID, modelType, name, value string) {
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			v = value // not JSON, or a number beyond float64
		}
		custom := map[string]any{name: v}
		tok, err := fx.signer.Sign(nodeID, modelType, token.WithClaims(custom))
		if err != nil {
			return // FuzzMintVerify checks the errors
		}
		if want := referenceToken(t, fx, nodeID, modelType, custom); tok != want {
			t.Fatalf("Sign(%q, %q, {%q: %q}):\n got %s\nwant %s", nodeID, modelType, name, value, tok, want)
		}
	})
}
