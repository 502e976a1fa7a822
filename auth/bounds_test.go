package auth_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/token"
)

// bytesPerCall returns the bytes f allocates per call, on average over n
// calls. Tests using it are not parallel: the count covers every goroutine
// of the process.
func bytesPerCall(n int, f func()) uint64 {
	f() // warm up: lazily built state is not the call's cost
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(n)
}

// TestClientVerifyRefusesFloodsEarly sends Client.Verify tokens of up to a
// megabyte that no root token or node token can be (CVE-2025-30204,
// CVE-2025-27144 through the Client): each is refused as malformed, with a
// handful of small allocations, nothing that grows with the token: no copy
// of it is made, no part of it decoded.
//
// Not parallel: it counts the allocations of the process.
func TestClientVerifyRefusesFloodsEarly(t *testing.T) {
	root, err := token.NewRootToken()
	require.NoError(t, err)
	c, err := auth.New("cjboundsservice", []string{root})
	require.NoError(t, err)
	genuine, err := c.GenerateAuthToken("u1", "User")
	require.NoError(t, err)
	ctx := context.Background()

	const mib = 1 << 20
	for _, tt := range []struct{ name, tok string }{
		{"megabyte of dots", strings.Repeat(".", mib)},
		{"megabyte of base64url", strings.Repeat("A", mib)},
		{"megabyte in three parts", strings.Repeat("A", mib/2) + "." + strings.Repeat("A", mib/2-2) + ".A"},
		{"genuine token padded to a megabyte", genuine + strings.Repeat("A", mib-len(genuine))},
		{"8 KiB + 1 of dots", strings.Repeat(".", 8<<10+1)},
		{"root token repeated to a megabyte", strings.Repeat(root, mib/len(root))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var verr error
			verify := func() { _, verr = c.Verify(ctx, tt.tok) }
			allocs := testing.AllocsPerRun(50, verify)
			require.Error(t, verr)
			assert.ErrorIs(t, verr, token.ErrInvalid)
			assert.ErrorIs(t, verr, token.ErrMalformed)
			assert.LessOrEqual(t, allocs, 10.0, "allocations per call")
			assert.LessOrEqual(t, bytesPerCall(50, verify), uint64(1024), "bytes allocated per call")
		})
	}

	t.Run("the same after a first refusal", func(t *testing.T) {
		// Failures are never remembered: refusing the flood again costs
		// the same and gives the same verdict.
		dots := strings.Repeat(".", mib)
		for range 3 {
			_, err := c.Verify(ctx, dots)
			assert.True(t, errors.Is(err, token.ErrMalformed), "%v", err)
		}
	})
}
