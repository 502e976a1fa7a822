package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"

	"github.com/graphcool-go/graphcool-lib/token"
)

// Verify checks tok, the bearer token of a request, and returns who
// presented it: Root for one of the client's root tokens (compared as
// SHA-256 digests, in constant time), Node for a valid node token of this
// service. Any other token is an error matching token.ErrInvalid, together
// with the token package's sentinel for the cause; treat every error as a
// rejection (Graphcool treats the request as anonymous).
//
// A node token accepted before is found in the client's cache (see
// WithCacheSize) and accepted again without being verified from scratch,
// for as long as a full verification would accept it. The identity is the
// same either way, and so is its Claims pointer: treat it as read-only.
// The check set with WithRevocationCheck runs for every node token
// accepted; when it refuses one, the error wraps its error and matches
// token.ErrInvalid.
//
// A ctx already done is reported as ctx.Err(). The error never contains
// the token.
func (c *Client) Verify(ctx context.Context, tok string) (Identity, error) {
	if err := ctx.Err(); err != nil {
		return Identity{}, err
	}
	k := c.keys.Load()
	// The cache is looked up first: it holds only node tokens this
	// keyring accepted, so a root token is never found in it, and a hit
	// skips the SHA-256 digest of the root check, the dearest part of a
	// hit otherwise.
	e, h := k.cache.get(tok)
	if e != nil {
		if e.validAt(c.now()) {
			return c.checkRevocation(ctx, e.id)
		}
		// Expired, or the clock went back before its iat or nbf: verified
		// from scratch, the token is refused with the cause a miss gives.
		k.cache.remove(h, e)
	}
	if k.isRoot(tok) {
		return Identity{Kind: Root}, nil
	}
	claims, err := k.verifier.Verify(tok)
	if err != nil {
		return Identity{}, fmt.Errorf("auth: verify: %w", err)
	}
	id := Identity{Kind: Node, NodeID: claims.NodeID, ModelType: claims.ModelType, Claims: claims}
	k.cache.put(h, tok, newCacheEntry(id, c.leeway))
	return c.checkRevocation(ctx, id)
}

// checkRevocation runs the revocation check, if any, on id, an accepted
// node token's identity.
func (c *Client) checkRevocation(ctx context.Context, id Identity) (Identity, error) {
	if c.revoked == nil {
		return id, nil
	}
	if err := c.revoked(ctx, id); err != nil {
		return Identity{}, fmt.Errorf("auth: verify: revocation check: %w: %w", token.ErrInvalid, err)
	}
	return id, nil
}

// isRoot reports whether tok is one of the root tokens. Every digest is
// compared, so the time taken does not depend on which one matched. A
// token whose length is that of no root token cannot be one and is not
// hashed: like subtle.ConstantTimeCompare, this treats lengths as public,
// and it spares every node token a SHA-256 digest.
func (k *keyring) isRoot(tok string) bool {
	sameLen := false
	for _, r := range k.roots {
		sameLen = sameLen || len(r) == len(tok)
	}
	if !sameLen {
		return false
	}
	var buf [128]byte // root tokens are short: hashed without allocating
	d := sha256.Sum256(append(buf[:0], tok...))
	found := 0
	for i := range k.digests {
		found |= subtle.ConstantTimeCompare(d[:], k.digests[i][:])
	}
	return found == 1
}
