package auth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/token"
)

// Client mints and verifies the tokens of one service and talks to its API.
// Make one with FromEvent inside a function or with New in an API server.
//
// Verify remembers the node tokens it has accepted, up to the number set
// with WithCacheSize, so that a token presented again is checked in a
// fraction of the time a full verification takes; the cache never changes
// a verdict (see WithCacheSize).
//
// A Client, its cache included, is safe for concurrent use, also while
// SetRootTokens replaces its root tokens. Printing or logging a Client
// never shows a root token.
type Client struct {
	serviceID  string
	endpoints  event.Endpoints
	httpClient *http.Client
	now        func() time.Time
	leeway     time.Duration
	cacheSize  int
	revoked    func(ctx context.Context, id Identity) error

	keys atomic.Pointer[keyring]
}

// keyring is everything derived from one set of root tokens. It is built
// whole and swapped atomically, so a request sees one set or the other.
type keyring struct {
	roots    []string // roots[0] mints and calls the API
	digests  [][sha256.Size]byte
	signer   *token.Signer
	verifier *token.Verifier
	// cache holds the node tokens verifier has accepted; nil when the
	// cache is off. It lives and dies with the keyring, so that no entry
	// survives a change of root tokens.
	cache *tokenCache
}

// FromEvent returns a Client for the function event ev: its root token is
// context.graphcool.rootToken (or the deprecated pat), its service id
// context.graphcool.serviceId (or the deprecated projectId) and its API
// endpoints context.graphcool.endpoints.
//
// It fails with ErrNoRootToken or ErrNoServiceID when the event lacks one,
// and with the token package's error when the root token is too short to
// be used as key material.
func FromEvent(ev *event.Event, opts ...Option) (*Client, error) {
	if ev == nil {
		return nil, ErrNoEvent
	}
	g := ev.Context.Graphcool
	root := g.Token()
	if root == "" {
		return nil, fmt.Errorf("auth: from event: %w", ErrNoRootToken)
	}
	o := defaultOptions()
	o.endpoints = &g.Endpoints
	for _, opt := range opts {
		opt(&o)
	}
	return newClient(g.Service(), []string{root}, o)
}

// New returns a Client for the service serviceID that accepts every one of
// rootTokens. The first root token mints node tokens and authenticates API
// requests; all of them verify the node tokens they minted, and any of them
// presented as a bearer token authenticates as Root.
//
// Root tokens shorter than 32 bytes are refused.
func New(serviceID string, rootTokens []string, opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return newClient(serviceID, rootTokens, o)
}

func newClient(serviceID string, roots []string, o options) (*Client, error) {
	if serviceID == "" {
		return nil, fmt.Errorf("auth: %w", ErrNoServiceID)
	}
	c := &Client{
		serviceID:  serviceID,
		httpClient: o.httpClient,
		now:        o.now,
		leeway:     o.leeway,
		cacheSize:  o.cacheSize,
		revoked:    o.revoked,
	}
	if o.endpoints != nil {
		c.endpoints = *o.endpoints
	}
	if err := c.SetRootTokens(roots); err != nil {
		return nil, err
	}
	return c, nil
}

// SetRootTokens replaces the client's root tokens, as New takes them: the
// first mints, all verify. Node tokens minted with a root token that is no
// longer in the set stop verifying at once, and the root token itself stops
// authenticating. Every token Verify remembers is forgotten, whichever root
// token minted it. On error the client keeps its previous root tokens and
// its cache.
func (c *Client) SetRootTokens(rootTokens []string) error {
	if len(rootTokens) == 0 {
		return fmt.Errorf("auth: %w", ErrNoRootToken)
	}
	cfg := []token.ConfigOption{token.WithClock(c.now), token.WithLeeway(c.leeway)}
	signer, err := token.NewSigner(rootTokens[0], c.serviceID, cfg...)
	if err != nil {
		return fmt.Errorf("auth: root token 1: %w", err)
	}
	verifier, err := token.NewVerifier(c.serviceID, rootTokens, cfg...)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	k := &keyring{
		roots:    append([]string(nil), rootTokens...),
		digests:  make([][sha256.Size]byte, len(rootTokens)),
		signer:   signer,
		verifier: verifier,
		cache:    newTokenCache(c.cacheSize),
	}
	for i, r := range rootTokens {
		k.digests[i] = sha256.Sum256([]byte(r))
	}
	c.keys.Store(k)
	return nil
}

// ServiceID returns the id of the service the client works for.
func (c *Client) ServiceID() string { return c.serviceID }

// String describes the client without any secret.
func (c *Client) String() string {
	if c == nil {
		return "auth.Client(nil)"
	}
	n := 0
	if k := c.keys.Load(); k != nil {
		n = len(k.roots)
	}
	return fmt.Sprintf("auth.Client{service: %q, rootTokens: %d [redacted]}", c.serviceID, n)
}

// GoString is String, so that %#v shows no secret either.
func (c *Client) GoString() string { return c.String() }

// Format writes String for every verb, so that no fmt verb reaches the
// client's fields by reflection.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue logs the client without any secret.
func (c *Client) LogValue() slog.Value {
	n := 0
	if k := c.keys.Load(); k != nil {
		n = len(k.roots)
	}
	return slog.GroupValue(
		slog.String("service", c.serviceID),
		slog.Int("rootTokens", n),
	)
}
