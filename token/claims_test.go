package token_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

func TestClaimsMarshalJSON(t *testing.T) {
	t.Parallel()
	c := token.Claims{
		NodeID:    "u1",
		ModelType: "User",
		ServiceID: "svc",
		Custom:    map[string]any{"role": "admin", "n": 2},
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   "u1",
			Audience:  jwt.ClaimStrings{"svc"},
			IssuedAt:  jwt.NewNumericDate(time.Unix(100, 0)),
			ExpiresAt: jwt.NewNumericDate(time.Unix(200, 0)),
			ID:        "j",
		},
	}
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, `{"userId":"u1","modelName":"User","projectId":"svc","sub":"u1","aud":"svc",
		"iat":100,"exp":200,"jti":"j","role":"admin","n":2}`, string(b),
		"one aud is a string whatever jwt.MarshalSingleStringAsArray says; Custom is flattened")
	assert.Equal(t, `{"aud":"svc","exp":200,"iat":100,"jti":"j","modelName":"User","n":2,"projectId":"svc","role":"admin","sub":"u1","userId":"u1"}`,
		string(b), "keys are sorted, so the encoding is deterministic")

	ptr, err := json.Marshal(&c)
	require.NoError(t, err)
	assert.Equal(t, b, ptr, "a *Claims encodes the same")

	c.Audience = jwt.ClaimStrings{"a", "b"}
	c.ExpiresAt = &jwt.NumericDate{Time: time.Unix(200, 900_000_000)}
	b, err = json.Marshal(c)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"aud":["a","b"]`)
	assert.Contains(t, string(b), `"exp":200,`, "NumericDates are whole seconds")

	assert.JSONEq(t, `{"userId":"","modelName":"","projectId":""}`, string(mustJSON(t, token.Claims{})))

	for _, name := range []string{"sub", "userId", "USERID", "Exp"} {
		_, err = json.Marshal(token.Claims{Custom: map[string]any{name: "x"}})
		assert.ErrorIs(t, err, token.ErrReservedClaim, name)
	}
}

func TestClaimsUnmarshalJSON(t *testing.T) {
	t.Parallel()
	var c token.Claims
	require.NoError(t, json.Unmarshal([]byte(`{"userId":"u1","modelName":"User","projectId":"svc",
		"sub":"u1","aud":["svc","x"],"iat":100,"exp":200.5,"nbf":-5,"jti":"j","iss":"me",
		"role":"admin","nested":{"a":[1,true,null]},"UserID":"not the real one"}`), &c))
	assert.Equal(t, "u1", c.NodeID)
	assert.Equal(t, "User", c.ModelType)
	assert.Equal(t, "svc", c.ServiceID)
	assert.Equal(t, "u1", c.Subject)
	assert.Equal(t, jwt.ClaimStrings{"svc", "x"}, c.Audience)
	assert.Equal(t, int64(100), c.IssuedAt.Unix())
	assert.Equal(t, time.Unix(200, 500_000_000), c.ExpiresAt.Time)
	assert.Equal(t, int64(-5), c.NotBefore.Unix())
	assert.Equal(t, "j", c.ID)
	assert.Equal(t, "me", c.Issuer)
	assert.Equal(t, map[string]any{
		"role":   "admin",
		"nested": map[string]any{"a": []any{1.0, true, nil}},
		"UserID": "not the real one",
	}, c.Custom, "claim names match exactly; others go to Custom")

	require.NoError(t, json.Unmarshal([]byte(`{"aud":"svc"}`), &c))
	assert.Equal(t, jwt.ClaimStrings{"svc"}, c.Audience)
	assert.Nil(t, c.Custom, "decoding replaces, never merges")
	assert.Empty(t, c.NodeID)

	require.NoError(t, json.Unmarshal([]byte(`{"aud":[]}`), &c))
	assert.NotNil(t, c.Audience, "an empty aud array is told apart from a missing aud")
	assert.Empty(t, c.Audience)
}

func TestClaimsUnmarshalJSONIsTypeStrict(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, json string }{
		{"exp as a string", `{"exp":"1700000000"}`},
		{"iat as a string", `{"iat":"1700000000"}`},
		{"nbf as a string", `{"nbf":"0"}`},
		{"exp null", `{"exp":null}`},
		{"exp true", `{"exp":true}`},
		{"exp out of range", `{"exp":1e400}`},
		{"exp beyond 2^53 seconds", `{"exp":1e17}`},
		{"exp an array", `{"exp":[1]}`},
		{"userId a number", `{"userId":5}`},
		{"userId null", `{"userId":null}`},
		{"modelName an object", `{"modelName":{}}`},
		{"projectId true", `{"projectId":true}`},
		{"sub an array", `{"sub":["u1"]}`},
		{"jti a number", `{"jti":1}`},
		{"iss a number", `{"iss":1}`},
		{"aud 5", `{"aud":5}`},
		{"aud [5]", `{"aud":[5]}`},
		{"aud [\"svc\", null]", `{"aud":["svc",null]}`},
		{"aud an object", `{"aud":{"svc":true}}`},
		{"aud null", `{"aud":null}`},
		{"null", `null`},
		{"an array", `[{"userId":"u1"}]`},
		{"a string", `"claims"`},
		{"a number", `5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := token.Claims{NodeID: "unchanged"}
			err := c.UnmarshalJSON([]byte(tt.json))
			require.ErrorIs(t, err, token.ErrMalformed)
			assert.ErrorIs(t, err, token.ErrInvalid)
			assert.Equal(t, "unchanged", c.NodeID, "a failed decoding leaves the claims alone")
		})
	}
}
