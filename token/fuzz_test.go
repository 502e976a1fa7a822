package token_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// fuzzRoot is the root token of the fuzz targets. It is fixed, so that the
// tokens it mints, and the seeds in testdata/fuzz, are the same on every
// run.
var fuzzRoot = rootFrom("FuzzRootTokenForTests000000000")

// fuzzMints are the tokens FuzzVerify's Signer mints; they are the only
// tokens its Verifier may accept.
var fuzzMints = []struct {
	nodeID, modelType string
	opts              []token.Option
}{
	{"u1", "User", nil},
	{"cj1user42", "User", []token.Option{token.ExpiresIn(time.Hour)}},
	{"ノード", "_Model_2", []token.Option{token.WithClaims(map[string]any{"role": "admin", "n": 1})}},
	{"u2", "Admin", []token.Option{token.WithClaims(map[string]any{"nested": map[string]any{"a": []any{1, true, nil}}})}},
}

// mintFuzzTokens returns the tokens of fuzzMints, in order.
func mintFuzzTokens(t testing.TB, s *token.Signer) []string {
	t.Helper()
	toks := make([]string, len(fuzzMints))
	for i, m := range fuzzMints {
		tok, err := s.Sign(m.nodeID, m.modelType, m.opts...)
		if err != nil {
			t.Fatal(err)
		}
		toks[i] = tok
	}
	return toks
}

// mutations returns variants of a genuine token that must all fail.
func mutations(tok string) []string {
	p := strings.Split(tok, ".")
	none := b64([]byte(`{"alg":"none","typ":"JWT"}`))
	return []string{
		tok[:len(tok)-1],
		p[0] + "." + p[1] + "." + flipLastBit(p[2]),
		p[0] + "." + p[1] + ".",
		none + "." + p[1] + ".",
		tok + "=",
		tok + ".",
		"." + tok,
		p[1] + "." + p[0] + "." + p[2],
		p[0] + "." + p[0] + "." + p[2],
		strings.ToUpper(tok),
		`{"payload":"` + p[1] + `","protected":"` + p[0] + `","signature":"` + p[2] + `"}`,
		strings.Repeat(".", 9000),
	}
}

// sentinelOf returns the specific verification sentinels err matches.
func sentinelsOf(err error) []error {
	var found []error
	for _, s := range verificationSentinels {
		if errors.Is(err, s) {
			found = append(found, s)
		}
	}
	return found
}

// FuzzVerify checks that Verify never panics, that every error matches
// ErrInvalid and exactly one cause without quoting the token, and that the
// only tokens it accepts are the ones Sign minted.
func FuzzVerify(f *testing.F) {
	fx := newFixtureWithRoot(f, fuzzRoot)
	minted := map[string]bool{}
	for _, tok := range mintFuzzTokens(f, fx.signer) {
		minted[tok] = true
		f.Add(tok)
		for _, m := range mutations(tok) {
			f.Add(m)
		}
	}
	for _, tc := range securityCases(f, fx) {
		if tc.want != nil && len(tc.tok) <= 16<<10 {
			f.Add(tc.tok)
		}
	}

	f.Fuzz(func(t *testing.T, tok string) {
		claims, err := fx.verifier.Verify(tok)
		if err != nil {
			if claims != nil {
				t.Fatal("claims returned with an error")
			}
			if !errors.Is(err, token.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			if n := len(sentinelsOf(err)); n != 1 {
				t.Fatalf("error matches %d causes: %v", n, err)
			}
			if len(tok) >= 8 && strings.Contains(err.Error(), tok) {
				t.Fatalf("error quotes the token: %v", err)
			}
			return
		}
		if !minted[tok] {
			t.Fatalf("accepted a token Sign did not mint: %q", tok)
		}
		if claims.ServiceID != testService || claims.Subject != claims.NodeID {
			t.Fatalf("accepted claims %+v", claims)
		}
	})
}

var reservedNames = []string{"userId", "sub", "modelName", "projectId", "aud", "iat", "exp", "jti", "iss", "nbf"}

// mintError returns the error Sign should report for its inputs, computed
// independently of the package, or nil.
func mintError(graphQLName *regexp.Regexp, nodeID, modelType, name string) error {
	switch {
	case nodeID == "" || len(nodeID) > 128 || !utf8.ValidString(nodeID):
		return token.ErrNodeID
	case !graphQLName.MatchString(modelType):
		return token.ErrModelType
	}
	for _, r := range reservedNames {
		if strings.EqualFold(name, r) {
			return token.ErrReservedClaim
		}
	}
	if !utf8.ValidString(name) {
		return token.ErrCustomClaim
	}
	return nil
}

// FuzzMintVerify mints a token from arbitrary inputs and one custom
// claim: every Sign failure must be the minting error its input calls
// for, and every success must verify back to the same claims.
func FuzzMintVerify(f *testing.F) {
	fx := newFixtureWithRoot(f, fuzzRoot)
	graphQLName := regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)
	f.Add("u1", "User", "role", "admin")
	f.Add("", "User", "role", "admin")
	f.Add("ノード", "_Model_2", "", "")
	f.Add("\xff", "User", "k", "v")
	f.Add("u1", "1User", "k", "v")
	f.Add("u1", "User", "SUB", "root")
	f.Add("u1", "User", "ſub", "root")
	f.Add("u1", "User", "r\xffle", "v")
	f.Add("u1", "User", "role", "\xffadmin")
	f.Add(strings.Repeat("x", 128), "User", "k", strings.Repeat("v", 7000))

	f.Fuzz(func(t *testing.T, nodeID, modelType, name, value string) {
		tok, err := fx.signer.Sign(nodeID, modelType, token.WithClaims(map[string]any{name: value}))
		want := mintError(graphQLName, nodeID, modelType, name)
		if err != nil {
			if errors.Is(err, token.ErrInvalid) {
				t.Fatalf("minting error matches ErrInvalid: %v", err)
			}
			if want == nil && errors.Is(err, token.ErrTooLarge) {
				return
			}
			if want == nil || !errors.Is(err, want) {
				t.Fatalf("Sign(%q, %q, {%q: %q}) = %v, want %v", nodeID, modelType, name, value, err, want)
			}
			return
		}
		if want != nil {
			t.Fatalf("Sign(%q, %q, {%q: …}) succeeded, want %v", nodeID, modelType, name, want)
		}

		claims, err := fx.verifier.Verify(tok)
		if err != nil {
			t.Fatalf("a minted token does not verify: %v", err)
		}
		// encoding/json writes invalid UTF-8 in a string as U+FFFD.
		var wantValue any
		if err := json.Unmarshal(mustJSON(t, value), &wantValue); err != nil {
			t.Fatal(err)
		}
		switch {
		case claims.NodeID != nodeID, claims.Subject != nodeID:
			t.Fatalf("node id %q came back as %q / %q", nodeID, claims.NodeID, claims.Subject)
		case claims.ModelType != modelType:
			t.Fatalf("model type %q came back as %q", modelType, claims.ModelType)
		case claims.ServiceID != testService:
			t.Fatalf("service %q", claims.ServiceID)
		case len(claims.Custom) != 1 || claims.Custom[name] != wantValue:
			t.Fatalf("custom claim {%q: %q} came back as %v", name, value, claims.Custom)
		}
	})
}

// TestFuzzVerifyCorpusIsCurrent checks that the minted-* seeds in
// testdata/fuzz/FuzzVerify are still what Sign mints, so that FuzzVerify
// starts from tokens it must accept.
func TestFuzzVerifyCorpusIsCurrent(t *testing.T) {
	t.Parallel()
	fx := newFixtureWithRoot(t, fuzzRoot)
	for i, tok := range mintFuzzTokens(t, fx.signer) {
		data, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzVerify", fmt.Sprintf("minted-%d", i+1)))
		require.NoError(t, err)
		assert.Equal(t, "go test fuzz v1\nstring("+strconv.Quote(tok)+")\n", string(data))
	}
}
