package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/graphcool-go/graphcool-lib/auth
cpu: Some CPU
BenchmarkVerifySeen-2                   	 2207716	       200 ns/op	       0 B/op	       0 allocs/op
BenchmarkVerifySeen-2                   	 2207716	       100 ns/op	       0 B/op	       0 allocs/op
BenchmarkVerifySeen-2                   	 2207716	       150 ns/op	       0 B/op	       0 allocs/op
BenchmarkGolangJWTVerifySeen-2          	   41539	     10000 ns/op	    3576 B/op	      60 allocs/op
BenchmarkVerifyRoot-2                   	 1000000	       598 ns/op	      48 B/op	       1 allocs/op
BenchmarkVerifyNew-2                    	   21519	     16000 ns/op	    5313 B/op	      89 allocs/op
BenchmarkGolangJWTVerifyNew-2           	   22611	     10000 ns/op	    3592 B/op	      60 allocs/op
PASS
ok  	github.com/graphcool-go/graphcool-lib/auth	3.619s
pkg: github.com/graphcool-go/graphcool-lib/auth/middleware
BenchmarkHandlerBare-2               	27895530	        20 ns/op	       0 B/op	       0 allocs/op
BenchmarkMiddlewareSeen-2            	  400849	       520 ns/op	     464 B/op	       4 allocs/op
BenchmarkGolangJWTMiddlewareSeen-2   	   34770	     10020 ns/op	    3944 B/op	      62 allocs/op
BenchmarkMiddleware/valid_token-2         	  250173	       902.2 ns/op	     464 B/op	       4 allocs/op
`

func TestReport(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(nil, strings.NewReader(sample), &out))
	got := out.String()
	for _, want := range []string{
		"auth.VerifySeen",
		"150.0", // the median of 100, 150 and 200
		"middleware.Middleware/valid_token",
		"auth: verify a token seen before (VerifySeen ÷ GolangJWTVerifySeen)",
		"  0.015   target ≤ 0.05: met",
		"  1.600   target ≤ 0.80: NOT MET",
		"  0.050   target ≤ 0.10: met", // (520-20) ÷ (10020-20)
		"598 ns   target < 1000 ns: met",
		"token: mint (Sign ÷ GolangJWTSignedString)",
	} {
		assert.Contains(t, got, want)
	}
	assert.Contains(t, got[strings.Index(got, "token: mint"):], "missing from the input")
}

func TestNoResults(t *testing.T) {
	t.Parallel()
	assert.Error(t, run(nil, strings.NewReader("PASS\n"), &bytes.Buffer{}))
	assert.Error(t, run([]string{"a", "b"}, nil, &bytes.Buffer{}))
}
