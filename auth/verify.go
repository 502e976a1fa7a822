package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
)

// Verify checks tok, the bearer token of a request, and returns who
// presented it: Root for one of the client's root tokens (compared as
// SHA-256 digests, in constant time), Node for a valid node token of this
// service. Any other token is an error matching token.ErrInvalid, together
// with the token package's sentinel for the cause; treat every error as a
// rejection (Graphcool treats the request as anonymous).
//
// The error never contains the token.
func (c *Client) Verify(ctx context.Context, tok string) (Identity, error) {
	if err := ctx.Err(); err != nil {
		return Identity{}, err
	}
	k := c.keys.Load()
	if k.isRoot(tok) {
		return Identity{Kind: Root}, nil
	}
	claims, err := k.verifier.Verify(tok)
	if err != nil {
		return Identity{}, fmt.Errorf("auth: verify: %w", err)
	}
	return Identity{Kind: Node, NodeID: claims.NodeID, ModelType: claims.ModelType, Claims: claims}, nil
}

// isRoot reports whether tok is one of the root tokens. Every digest is
// compared, so the time taken does not depend on which one matched.
func (k *keyring) isRoot(tok string) bool {
	d := sha256.Sum256([]byte(tok))
	found := 0
	for i := range k.digests {
		found |= subtle.ConstantTimeCompare(d[:], k.digests[i][:])
	}
	return found == 1
}
