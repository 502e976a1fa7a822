package auth_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/token"
)

const stressService = "cjstressservice"

// stressRoot returns a new root token.
func stressRoot(t *testing.T) string {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	return root
}

// stressSigner returns a Signer minting for stressService with root, as a
// Client whose first root token is root does.
func stressSigner(t *testing.T, root string) *token.Signer {
	t.Helper()
	s, err := token.NewSigner(root, stressService)
	require.NoError(t, err)
	return s
}

// TestStressRootTokenRotation runs, under the race detector in CI, many
// goroutines that mint and verify with one Client while another goroutine
// rotates its root tokens: each rotation adds a new root token, which
// mints from then on, and removes the oldest one but a permanent one.
//
// After each rotation returns, the rotating goroutine checks, with no
// timing involved, that the tokens of the removed root token fail at once
// (although they were verified, and so possibly remembered, just before),
// that the removed root token no longer authenticates, that the tokens of
// the added one verify and that it mints. Meanwhile the other goroutines
// check what holds whatever the interleaving: the permanent root token and
// its tokens always verify, a token of a root token never added never
// does, a token just minted either verifies as its node or, when its root
// token was removed in between, fails with token.ErrKeyID, and API
// requests carry one of the root tokens. Iterations are bounded and
// nothing sleeps.
func TestStressRootTokenRotation(t *testing.T) {
	rotations, workers, minIterations := 150, 8, 100
	if testing.Short() {
		rotations, workers, minIterations = 15, 4, 25
	}

	permanent := stressRoot(t)
	never := stressRoot(t)
	roots := make([]string, rotations+1) // roots[i] is added by rotation i
	signers := make([]*token.Signer, rotations+1)
	known := map[string]bool{"Bearer " + permanent: true}
	for i := range roots {
		roots[i] = stressRoot(t)
		signers[i] = stressSigner(t, roots[i])
		known["Bearer "+roots[i]] = true
	}

	// The API server accepts requests carrying any of the root tokens.
	var unknownBearer atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if !known[r.Header.Get("Authorization")] {
			unknownBearer.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{"ok":true}}`)
	}))
	t.Cleanup(srv.Close)

	c, err := auth.New(stressService, []string{roots[0], permanent},
		auth.WithEndpoints(event.Endpoints{Simple: srv.URL}),
		auth.WithHTTPClient(srv.Client()))
	require.NoError(t, err)

	ctx := context.Background()
	permanentTok, err := stressSigner(t, permanent).Sign("permanent-node", "User")
	require.NoError(t, err)
	neverTok, err := stressSigner(t, never).Sign("never-node", "User")
	require.NoError(t, err)

	var (
		start   = make(chan struct{})
		done    atomic.Bool
		wg      sync.WaitGroup
		workerN atomic.Int64 // iterations begun, by all workers
		active  atomic.Int32 // workers still running
	)
	for w := range workers {
		wg.Add(1)
		active.Add(1)
		go func() {
			defer wg.Done()
			defer active.Add(-1)
			<-start
			for i := 0; i < minIterations || !done.Load(); i++ {
				workerN.Add(1)
				if err := stressIteration(ctx, c, w, i, permanent, permanentTok, neverTok); err != nil {
					t.Errorf("worker %d, iteration %d: %v", w, i, err)
					return
				}
			}
		}()
	}

	close(start)
	rotationErr := func() error {
		defer done.Store(true)
		for i := 1; i <= rotations; i++ {
			// Let the workers run a round between two rotations, so that
			// every rotation lands among their calls. They run until done,
			// so they progress unless they all failed.
			for target := workerN.Load() + int64(workers); workerN.Load() < target; {
				if active.Load() == 0 {
					return errors.New("every worker stopped")
				}
				runtime.Gosched()
			}
			if err := stressRotate(ctx, c, roots, signers, i, permanent); err != nil {
				return fmt.Errorf("rotation %d: %w", i, err)
			}
		}
		return nil
	}()
	wg.Wait()
	require.NoError(t, rotationErr)
	require.Zero(t, unknownBearer.Load(), "API requests with a token that is no root token")
	t.Logf("%d rotations, %d worker iterations", rotations, workerN.Load())
}

// stressRotate makes rotation i: the set [roots[i-1], roots[i-2],
// permanent] becomes [roots[i], roots[i-1], permanent], and checks the
// verdicts that must change at once.
func stressRotate(ctx context.Context, c *auth.Client, roots []string, signers []*token.Signer, i int, permanent string) error {
	added := roots[i]
	addedTok, err := signers[i].Sign(fmt.Sprintf("added-%d", i), "User")
	if err != nil {
		return err
	}
	removed := ""
	var removedTok string
	if i >= 2 {
		removed = roots[i-2]
		if removedTok, err = signers[i-2].Sign(fmt.Sprintf("removed-%d", i), "User"); err != nil {
			return err
		}
	}

	// Before: the token to be removed verifies (twice, so that a cache
	// would hold it), the token to be added does not.
	if removed != "" {
		for range 2 {
			if err := wantNode(ctx, c, removedTok, fmt.Sprintf("removed-%d", i)); err != nil {
				return fmt.Errorf("before, token of the root token to be removed: %w", err)
			}
		}
	}
	if err := wantRefused(ctx, c, addedTok, token.ErrKeyID); err != nil {
		return fmt.Errorf("before, token of the root token to be added: %w", err)
	}
	if err := wantRefused(ctx, c, added, token.ErrInvalid); err != nil {
		return fmt.Errorf("before, root token to be added: %w", err)
	}

	// Now and then, a rotation that fails changes nothing.
	if i%10 == 0 {
		if err := c.SetRootTokens([]string{added, "too-short-to-be-a-root-token"}); err == nil {
			return errors.New("SetRootTokens accepted a root token of 28 bytes")
		}
		if err := wantRefused(ctx, c, addedTok, token.ErrKeyID); err != nil {
			return fmt.Errorf("after a failed rotation, token of the root token to be added: %w", err)
		}
		if removed != "" {
			if err := wantNode(ctx, c, removedTok, fmt.Sprintf("removed-%d", i)); err != nil {
				return fmt.Errorf("after a failed rotation, token of the root token to be removed: %w", err)
			}
		}
	}

	if err := c.SetRootTokens([]string{added, roots[i-1], permanent}); err != nil {
		return err
	}

	// After: every verdict about the two root tokens has changed.
	if removed != "" {
		if err := wantRefused(ctx, c, removedTok, token.ErrKeyID); err != nil {
			return fmt.Errorf("token of the removed root token: %w", err)
		}
		if err := wantRefused(ctx, c, removed, token.ErrInvalid); err != nil {
			return fmt.Errorf("removed root token: %w", err)
		}
	}
	if err := wantNode(ctx, c, addedTok, fmt.Sprintf("added-%d", i)); err != nil {
		return fmt.Errorf("token of the added root token: %w", err)
	}
	if id, err := c.Verify(ctx, added); err != nil || id.Kind != auth.Root {
		return fmt.Errorf("added root token: %v, %v", id.Kind, err)
	}
	minted, err := c.GenerateAuthToken(fmt.Sprintf("minted-%d", i), "User")
	if err != nil {
		return err
	}
	only, err := token.NewVerifier(stressService, []string{added})
	if err != nil {
		return err
	}
	if _, err := only.Verify(minted); err != nil {
		return fmt.Errorf("the added root token does not mint: %w", err)
	}
	return nil
}

// stressIteration is one round of a worker: checks that hold whatever
// rotations run meanwhile.
func stressIteration(ctx context.Context, c *auth.Client, w, i int, permanent, permanentTok, neverTok string) error {
	nodeID := fmt.Sprintf("w%d-%d", w, i)
	tok, err := c.GenerateAuthToken(nodeID, "User")
	if err != nil {
		return fmt.Errorf("GenerateAuthToken: %w", err)
	}
	// Two rotations between minting and verifying remove the root token
	// that minted tok; nothing else may refuse it.
	if id, err := c.Verify(ctx, tok); err != nil {
		if !errors.Is(err, token.ErrKeyID) {
			return fmt.Errorf("a token just minted: %w", err)
		}
	} else if id.Kind != auth.Node || id.NodeID != nodeID {
		return fmt.Errorf("a token just minted: %v %q", id.Kind, id.NodeID)
	}
	if err := wantNode(ctx, c, permanentTok, "permanent-node"); err != nil {
		return fmt.Errorf("token of the permanent root token: %w", err)
	}
	if id, err := c.Verify(ctx, permanent); err != nil || id.Kind != auth.Root {
		return fmt.Errorf("permanent root token: %v, %v", id.Kind, err)
	}
	if err := wantRefused(ctx, c, neverTok, token.ErrKeyID); err != nil {
		return fmt.Errorf("token of a root token never added: %w", err)
	}
	if s := fmt.Sprint(c); !strings.Contains(s, stressService) {
		return fmt.Errorf("Client prints as %q", s)
	}
	if i%20 == 0 {
		var out struct{ OK bool }
		if err := c.API(auth.SimpleAPI).Request(ctx, `{ ok }`, nil, &out); err != nil || !out.OK {
			return fmt.Errorf("API request: %v, %+v", err, out)
		}
	}
	return nil
}

// wantNode checks that c accepts tok as the node nodeID.
func wantNode(ctx context.Context, c *auth.Client, tok, nodeID string) error {
	id, err := c.Verify(ctx, tok)
	switch {
	case err != nil:
		return fmt.Errorf("refused: %w", err)
	case id.Kind != auth.Node || id.NodeID != nodeID:
		return fmt.Errorf("accepted as %v %q, want node %q", id.Kind, id.NodeID, nodeID)
	}
	return nil
}

// wantRefused checks that c refuses tok with an error matching want.
func wantRefused(ctx context.Context, c *auth.Client, tok string, want error) error {
	id, err := c.Verify(ctx, tok)
	switch {
	case err == nil:
		return fmt.Errorf("accepted as %v %q", id.Kind, id.NodeID)
	case !errors.Is(err, token.ErrInvalid) || !errors.Is(err, want):
		return fmt.Errorf("refused with %v, want %v", err, want)
	case id != (auth.Identity{}):
		return fmt.Errorf("refused, but with the identity %+v", id)
	}
	return nil
}
