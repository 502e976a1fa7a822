package auth_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/token"
)

// The fixed inputs of FuzzClientVerify, so that the tokens it mints, and
// the seeds in testdata/fuzz/FuzzClientVerify, are the same on every run.
const (
	fuzzService = "cjfuzzservice"
	// Legacy-style root tokens: any string of 32 bytes or more is one.
	fuzzRootA = "fuzz-client-root-token-A-0123456789abcdef"
	fuzzRootB = "fuzz-client-root-token-B-0123456789abcdef"
)

// fuzzNow is the clock of FuzzClientVerify: 2023-11-14T22:13:20Z.
var fuzzNow = time.Unix(1_700_000_000, 0)

func fuzzClock() time.Time { return fuzzNow }

// zeros is an endless source of zero bytes, for reproducible jti claims.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// fuzzClientSeeds returns the tokens FuzzClientVerify starts from: tokens
// minted with both root tokens at several times around the clock (the
// one-hour tokens minted an hour and 29 or 31 seconds before it are inside
// and just past the leeway of their exp; those minted 31 seconds after it
// are not valid yet), and a few neighbours of them.
func fuzzClientSeeds(t testing.TB) []string {
	t.Helper()
	var seeds []string
	for _, root := range []string{fuzzRootA, fuzzRootB} {
		for _, at := range []time.Time{
			fuzzNow, fuzzNow.Add(-time.Hour - 29*time.Second), fuzzNow.Add(-time.Hour - 31*time.Second), fuzzNow.Add(31 * time.Second),
		} {
			s, err := token.NewSigner(root, fuzzService, token.WithClock(func() time.Time { return at }), token.WithRandom(zeros{}))
			if err != nil {
				t.Fatal(err)
			}
			for _, mint := range []struct {
				node, model string
				opts        []token.Option
			}{
				{"u1", "User", nil},
				{"u2", "Admin", []token.Option{token.ExpiresIn(time.Hour), token.WithClaims(map[string]any{"role": "admin"})}},
			} {
				tok, err := s.Sign(mint.node, mint.model, mint.opts...)
				if err != nil {
					t.Fatal(err)
				}
				seeds = append(seeds, tok)
			}
		}
	}
	genuine := seeds[0]
	p := strings.Split(genuine, ".")
	seeds = append(seeds,
		fuzzRootA, fuzzRootB, fuzzRootA+"x", fuzzRootA[1:], "",
		p[0]+"."+p[1]+".", p[1]+"."+p[0]+"."+p[2], genuine+"=", strings.Repeat(".", 64),
	)
	return seeds
}

// verifySentinels are the causes of a verification failure.
var verifySentinels = []error{
	token.ErrMalformed, token.ErrSignature, token.ErrExpired, token.ErrNotYetValid,
	token.ErrAlgorithm, token.ErrKeyID, token.ErrHeader, token.ErrAudience, token.ErrClaims,
}

// causeOf returns the verification sentinels err matches.
func causeOf(err error) []error {
	var found []error
	for _, s := range verifySentinels {
		if errors.Is(err, s) {
			found = append(found, s)
		}
	}
	return found
}

// FuzzClientVerify checks Client.Verify, root token check and cache
// included, against a token.Verifier of the same root tokens used as the
// reference: a root token is Root, any other string gets the reference's
// verdict, with the same cause when it is refused and the same claims when
// it is accepted, on the first call and on the second, which the cache may
// answer. No error quotes the token.
func FuzzClientVerify(f *testing.F) {
	for _, seed := range fuzzClientSeeds(f) {
		f.Add(seed)
	}
	roots := []string{fuzzRootA, fuzzRootB}
	c, err := auth.New(fuzzService, roots, auth.WithClock(fuzzClock))
	if err != nil {
		f.Fatal(err)
	}
	reference, err := token.NewVerifier(fuzzService, roots, token.WithClock(fuzzClock))
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()

	f.Fuzz(func(t *testing.T, tok string) {
		refClaims, refErr := reference.Verify(tok)
		for call := 1; call <= 2; call++ {
			id, err := c.Verify(ctx, tok)
			switch {
			case tok == fuzzRootA || tok == fuzzRootB:
				if err != nil || id.Kind != auth.Root || id.Claims != nil {
					t.Fatalf("call %d: a root token gave %+v, %v", call, id, err)
				}
			case refErr != nil:
				if err == nil {
					t.Fatalf("call %d: accepted as %+v what the reference refuses: %v", call, id, refErr)
				}
				if id != (auth.Identity{}) {
					t.Fatalf("call %d: refused with the identity %+v", call, id)
				}
				if !errors.Is(err, token.ErrInvalid) {
					t.Fatalf("call %d: error does not match token.ErrInvalid: %v", call, err)
				}
				if got, want := causeOf(err), causeOf(refErr); !reflect.DeepEqual(got, want) {
					t.Fatalf("call %d: refused with %v, the reference with %v", call, err, refErr)
				}
				if len(tok) >= 8 && strings.Contains(err.Error(), tok) {
					t.Fatalf("call %d: the error quotes the token: %v", call, err)
				}
			default:
				if err != nil {
					t.Fatalf("call %d: refused what the reference accepts: %v", call, err)
				}
				if id.Kind != auth.Node || id.NodeID != refClaims.NodeID || id.ModelType != refClaims.ModelType {
					t.Fatalf("call %d: accepted as %+v, the reference as %+v", call, id, refClaims)
				}
				if !reflect.DeepEqual(id.Claims, refClaims) {
					t.Fatalf("call %d: claims %+v, the reference's %+v", call, id.Claims, refClaims)
				}
			}
		}
	})
}
