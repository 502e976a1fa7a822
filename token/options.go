package token

import (
	"crypto/rand"
	"io"
	"maps"
	"time"
)

const (
	// defaultExpiresIn is Graphcool's lifetime of a temporary
	// authentication token.
	defaultExpiresIn = 30 * 24 * time.Hour
	// defaultLeeway is the clock skew allowed when checking exp, nbf and
	// iat.
	defaultLeeway = 30 * time.Second
)

// An Option adjusts one token minted by [Signer.Sign]. Using an Option
// does not change it: one may serve many tokens, also concurrently.
type Option func(*mintOptions)

type mintOptions struct {
	expiresIn time.Duration
	custom    map[string]any
}

// ExpiresIn sets how long the token stays valid after it is minted; exp is
// iat plus d rounded up to whole seconds. A d of zero or less makes Sign
// fail with an error matching ErrExpiresIn. Default: 30 days, Graphcool's.
func ExpiresIn(d time.Duration) Option {
	return func(o *mintOptions) { o.expiresIn = d }
}

// WithClaims adds custom claims to the token. The map is copied when
// WithClaims is called.
//
// A name that the token sets itself (userId, sub, modelName, projectId,
// aud, iat, exp, jti) or iss or nbf, in any letter case, makes Sign fail
// with an error matching ErrReservedClaim; a name that is not valid UTF-8
// or a value encoding/json cannot encode makes it fail with one matching
// ErrCustomClaim. Values are encoded as encoding/json does, which replaces
// invalid UTF-8 in strings with U+FFFD.
// Several WithClaims add up; for a name given twice the last value wins.
// Default: no custom claims.
func WithClaims(custom map[string]any) Option {
	custom = maps.Clone(custom)
	return func(o *mintOptions) {
		if len(custom) == 0 {
			return
		}
		if o.custom == nil {
			o.custom = make(map[string]any, len(custom))
		}
		maps.Copy(o.custom, custom)
	}
}

// A ConfigOption configures a Signer made by [NewSigner] or a Verifier made
// by [NewVerifier]. Options that concern only one of them are ignored by
// the other. Like Options, ConfigOptions may be reused and shared.
type ConfigOption func(*config)

type config struct {
	now    func() time.Time
	leeway time.Duration
	random io.Reader
}

func newConfig(opts []ConfigOption) config {
	c := config{now: time.Now, leeway: defaultLeeway, random: rand.Reader}
	for _, opt := range opts {
		if opt != nil {
			opt(&c)
		}
	}
	return c
}

// WithClock sets the clock that gives iat when minting and the current
// time when verifying. A nil clock is ignored. Default: time.Now.
func WithClock(now func() time.Time) ConfigOption {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithLeeway sets the clock skew allowed when verifying exp, nbf and iat.
// Negative values count as zero. Verification only. Default: 30s.
func WithLeeway(d time.Duration) ConfigOption {
	return func(c *config) { c.leeway = max(d, 0) }
}

// WithRandom sets the source of the 16 random bytes of each token's jti.
// It exists for deterministic tests and test vectors only: a predictable
// source makes predictable token ids. It does not affect signatures or
// keys. The reader must be safe for concurrent use if the Signer is used
// concurrently. A nil reader is ignored. Minting only. Default:
// crypto/rand.Reader.
func WithRandom(r io.Reader) ConfigOption {
	return func(c *config) {
		if r != nil {
			c.random = r
		}
	}
}
