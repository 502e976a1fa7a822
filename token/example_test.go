package token_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/graphcool-go/graphcool-lib/token"
)

// exampleRoot is the root token of the wire format's test vector. Never
// use a published root token for anything but examples and tests.
const exampleRoot = "gcr_GraphcoolLibTestVectorV1Root0044AZui"

// exampleClock is a clock stopped at a fixed time, for reproducible output.
func exampleClock() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }

// exampleRandom stands in for crypto/rand, so that the jti, and so the
// token, is the same on every run. Production code never sets WithRandom.
func exampleRandom() token.ConfigOption {
	return token.WithRandom(strings.NewReader("0123456789abcdef"))
}

func ExampleNewRootToken() {
	root, err := token.NewRootToken()
	if err != nil {
		panic(err)
	}
	fmt.Println(root[:4], len(root), token.CheckRootToken(root))
	// Output: gcr_ 40 <nil>
}

func ExampleCheckRootToken() {
	fmt.Println(token.CheckRootToken(exampleRoot))
	fmt.Println(token.CheckRootToken("gcr_GraphcoolLibTestVectorV1Root0044AZuj"))
	fmt.Println(token.CheckRootToken("too-short"))
	// Output:
	// <nil>
	// token: check root token: bad root token checksum: checksum does not match
	// token: check root token: unusable root token: 9 bytes long, at least 32 required
}

func ExampleRootTokenID() {
	fmt.Println(token.RootTokenID(exampleRoot))
	// Output: xXg59-MWS7FS4Ey3
}

func ExampleDeriveKey() {
	key, err := token.DeriveKey(exampleRoot, "cjtestvectorservice01")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", key)
	// Output: 95d5187735ea9a644b467b7b09658936c5b504b2b381323701d16051d4a34ff6
}

func ExampleNewSigner() {
	signer, err := token.NewSigner(exampleRoot, "my-service")
	if err != nil {
		panic(err)
	}
	fmt.Println(signer.KeyID())
	fmt.Println(signer) // never shows the root token or the key
	// Output:
	// xXg59-MWS7FS4Ey3
	// token.Signer{service: "my-service", kid: "xXg59-MWS7FS4Ey3"}
}

func ExampleSigner_Sign() {
	signer, err := token.NewSigner(exampleRoot, "my-service",
		token.WithClock(exampleClock), exampleRandom())
	if err != nil {
		panic(err)
	}
	tok, err := signer.Sign("cj1user42", "User",
		token.ExpiresIn(time.Hour),
		token.WithClaims(map[string]any{"role": "admin"}))
	if err != nil {
		panic(err)
	}
	fmt.Println(tok)

	// The claims, the middle part:
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if err != nil {
		panic(err)
	}
	fmt.Println(string(payload))

	_, err = signer.Sign("cj1user42", "User", token.WithClaims(map[string]any{"sub": "root"}))
	fmt.Println(errors.Is(err, token.ErrReservedClaim))
	// Output:
	// eyJhbGciOiJIUzI1NiIsImtpZCI6InhYZzU5LU1XUzdGUzRFeTMiLCJ0eXAiOiJKV1QifQ.eyJhdWQiOiJteS1zZXJ2aWNlIiwiZXhwIjoxNzM1NzkwNjQ1LCJpYXQiOjE3MzU3ODcwNDUsImp0aSI6Ik1ERXlNelExTmpjNE9XRmlZMlJsWmciLCJtb2RlbE5hbWUiOiJVc2VyIiwicHJvamVjdElkIjoibXktc2VydmljZSIsInJvbGUiOiJhZG1pbiIsInN1YiI6ImNqMXVzZXI0MiIsInVzZXJJZCI6ImNqMXVzZXI0MiJ9.tilYRre3Fac8eTgEQ5s8Xbv8YxJ_bwHkIPetrBz53Qg
	// {"aud":"my-service","exp":1735790645,"iat":1735787045,"jti":"MDEyMzQ1Njc4OWFiY2RlZg","modelName":"User","projectId":"my-service","role":"admin","sub":"cj1user42","userId":"cj1user42"}
	// true
}

func ExampleVerifier_Verify() {
	signer, err := token.NewSigner(exampleRoot, "my-service",
		token.WithClock(exampleClock), exampleRandom())
	if err != nil {
		panic(err)
	}
	tok, err := signer.Sign("cj1user42", "User", token.ExpiresIn(time.Hour))
	if err != nil {
		panic(err)
	}

	verifier, err := token.NewVerifier("my-service", []string{exampleRoot},
		token.WithClock(exampleClock))
	if err != nil {
		panic(err)
	}
	claims, err := verifier.Verify(tok)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.NodeID, claims.ModelType, claims.ServiceID)
	fmt.Println(claims.ExpiresAt.UTC().Format(time.RFC3339))

	// An hour and a minute later the token has expired.
	later, err := token.NewVerifier("my-service", []string{exampleRoot},
		token.WithClock(func() time.Time { return exampleClock().Add(61 * time.Minute) }))
	if err != nil {
		panic(err)
	}
	_, err = later.Verify(tok)
	fmt.Println(errors.Is(err, token.ErrInvalid), errors.Is(err, token.ErrExpired))
	fmt.Println(err)

	// A token from elsewhere is refused.
	_, err = verifier.Verify("eyJhbGciOiJub25lIn0.eyJ1c2VySWQiOiJhZG1pbiJ9.")
	fmt.Println(errors.Is(err, token.ErrInvalid), errors.Is(err, token.ErrAlgorithm))
	// Output:
	// cj1user42 User my-service
	// 2025-01-02T04:04:05Z
	// true true
	// token: verify: expired
	// true true
}
