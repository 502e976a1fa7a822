package auth

import (
	"context"
	"net/http"
	"time"

	"github.com/graphcool-go/graphcool-lib/event"
)

// An Option configures a Client made by New or FromEvent.
type Option func(*options)

type options struct {
	now        func() time.Time
	leeway     time.Duration
	endpoints  *event.Endpoints
	httpClient *http.Client
	cacheSize  int
	revoked    func(ctx context.Context, id Identity) error
}

// DefaultLeeway is the clock skew allowed when checking exp, nbf and iat.
const DefaultLeeway = 30 * time.Second

// defaultHTTPTimeout bounds an API request when the caller brings no
// *http.Client of its own.
const defaultHTTPTimeout = 30 * time.Second

func defaultOptions() options {
	return options{
		now:        time.Now,
		leeway:     DefaultLeeway,
		httpClient: &http.Client{Timeout: defaultHTTPTimeout},
		cacheSize:  DefaultCacheSize,
	}
}

// WithClock sets the clock used to mint and verify tokens. A nil clock is
// ignored. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}

// WithLeeway sets the clock skew allowed when checking exp, nbf and iat.
// Negative values count as zero. Default: 30s.
func WithLeeway(d time.Duration) Option {
	return func(o *options) { o.leeway = max(d, 0) }
}

// WithEndpoints sets the URLs of the service's APIs, used by Client.API.
// Default: the event's context.graphcool.endpoints for FromEvent, none for
// New.
func WithEndpoints(e event.Endpoints) Option {
	return func(o *options) { o.endpoints = &e }
}

// WithHTTPClient sets the HTTP client used by Client.API. A nil client is
// ignored. Default: an *http.Client with a 30s timeout.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) {
		if c != nil {
			o.httpClient = c
		}
	}
}

// WithCacheSize sets how many verified node tokens the client remembers, so
// that a token presented again (clients send the same one with every
// request) is not verified from scratch. A remembered token is accepted
// only as long as a full verification would accept it: never past its exp
// plus the leeway by the client's clock, never after SetRootTokens, and
// the check set with WithRevocationCheck runs on every Verify all the
// same. Failures are never remembered.
//
// The cache holds at most n entries; when it is full, a new token replaces
// one that has not been used lately. An entry takes about
// 1 KiB, most of it the token and its claims: a full cache of the default
// size, about 60 MiB. Zero or a negative n turns
// the cache off; n above 16,777,216 counts as that. Default: 65536
// ([DefaultCacheSize]).
func WithCacheSize(n int) Option {
	return func(o *options) { o.cacheSize = max(n, 0) }
}

// WithRevocationCheck sets a function that Verify calls for every node
// token it accepts, whether it verified the token from scratch or found it
// in its cache, with the caller's identity (Claims.ID is the token's jti).
// When check returns an error, Verify refuses the token with an error that
// wraps it and matches token.ErrInvalid. It is not called for root tokens,
// which SetRootTokens revokes.
//
// check is called from many goroutines at once and must be safe for
// concurrent use; it must treat the identity's Claims as read-only. A nil
// check is ignored. Default: none.
func WithRevocationCheck(check func(ctx context.Context, id Identity) error) Option {
	return func(o *options) {
		if check != nil {
			o.revoked = check
		}
	}
}
