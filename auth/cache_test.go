package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

const cacheTestService = "cj9cache0service"

// cacheT0 is the time the cache tests mint their tokens at.
var cacheT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// cacheClock is a clock the test sets. It is safe for concurrent use.
type cacheClock struct {
	mu  sync.Mutex
	now time.Time
}

func newCacheClock(t time.Time) *cacheClock { return &cacheClock{now: t} }

func (c *cacheClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *cacheClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func cacheTestRoot(t testing.TB) string {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	return root
}

func cacheTestClient(t testing.TB, roots []string, opts ...Option) *Client {
	t.Helper()
	c, err := New(cacheTestService, roots, opts...)
	require.NoError(t, err)
	return c
}

// mintAt mints a token for nodeID with root at the time at.
func cacheMint(t testing.TB, root, nodeID string, at time.Time, opts ...token.Option) string {
	t.Helper()
	c := cacheTestClient(t, []string{root}, WithClock(func() time.Time { return at }))
	tok, err := c.GenerateAuthToken(nodeID, "User", opts...)
	require.NoError(t, err)
	return tok
}

// cached reports whether c's cache holds an entry for tok.
func cacheHas(c *Client, tok string) bool {
	e, _ := c.keys.Load().cache.get(tok)
	return e != nil
}

// cacheLen returns the number of entries in c's cache.
func cacheLen(c *Client) int { return c.keys.Load().cache.len() }

func TestCacheHitIsTheIdentityOfAMiss(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := cacheTestRoot(t)
	tests := []struct {
		name string
		opts []token.Option
	}{
		{"plain token", nil},
		{"custom claims", []token.Option{token.WithClaims(map[string]any{"role": "admin", "n": 3})}},
		{"short lifetime", []token.Option{token.ExpiresIn(time.Minute)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok := cacheMint(t, root, "cj9user", time.Now(), tt.opts...)
			c := cacheTestClient(t, []string{root})
			uncached := cacheTestClient(t, []string{root}, WithCacheSize(0))

			want, err := uncached.Verify(ctx, tok)
			require.NoError(t, err)
			require.False(t, cacheHas(c, tok))
			miss, err := c.Verify(ctx, tok)
			require.NoError(t, err)
			require.True(t, cacheHas(c, tok), "a verified token is remembered")
			hit, err := c.Verify(ctx, tok)
			require.NoError(t, err)

			assert.Equal(t, want, miss)
			assert.Equal(t, want, hit)
			assert.Equal(t, Node, hit.Kind)
			assert.Equal(t, "cj9user", hit.NodeID)
			assert.Same(t, miss.Claims, hit.Claims, "a hit shares the claims of the miss")
		})
	}
}

func TestCacheNeverHoldsRootTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := cacheTestRoot(t)
	legacy := "eyJhbGciOiJIUzI1NiJ9.eyJsZWdhY3kiOnRydWV9.c2lnbmF0dXJlLW9mLWEtbGVnYWN5LXJvb3Q"
	c := cacheTestClient(t, []string{root, legacy})
	tok := cacheMint(t, root, "u1", time.Now())
	_, err := c.Verify(ctx, tok)
	require.NoError(t, err)

	for _, r := range []string{root, legacy, root, legacy} {
		id, err := c.Verify(ctx, r)
		require.NoError(t, err)
		assert.Equal(t, Identity{Kind: Root}, id)
		assert.False(t, cacheHas(c, r))
	}
	// Same length as a root token, another value: not a root.
	_, err = c.Verify(ctx, root[:len(root)-1]+string(root[len(root)-1]^1))
	assert.ErrorIs(t, err, token.ErrInvalid)
	assert.Equal(t, 1, cacheLen(c))
}

func TestCacheExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := cacheTestRoot(t)
	const leeway = 10 * time.Second
	tok := cacheMint(t, root, "u1", cacheT0, token.ExpiresIn(time.Hour))
	exp := cacheT0.Add(time.Hour)

	tests := []struct {
		name    string
		at      time.Time
		wantErr error
	}{
		{"long before exp", cacheT0.Add(time.Minute), nil},
		{"at exp, inside the leeway", exp, nil},
		{"1ns before exp plus leeway", exp.Add(leeway - time.Nanosecond), nil},
		{"at exp plus leeway", exp.Add(leeway), token.ErrExpired},
		{"1ns after exp plus leeway", exp.Add(leeway + time.Nanosecond), token.ErrExpired},
		{"a day later", exp.Add(24 * time.Hour), token.ErrExpired},
		{"clock back to iat minus leeway", cacheT0.Add(-leeway), nil},
		{"clock back 1ns before iat minus leeway", cacheT0.Add(-leeway - time.Nanosecond), token.ErrNotYetValid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newCacheClock(cacheT0)
			c := cacheTestClient(t, []string{root}, WithClock(clock.Now), WithLeeway(leeway))
			uncached := cacheTestClient(t, []string{root}, WithClock(clock.Now), WithLeeway(leeway), WithCacheSize(0))
			want, err := c.Verify(ctx, tok)
			require.NoError(t, err)
			require.True(t, cacheHas(c, tok))

			clock.Set(tt.at)
			id, err := c.Verify(ctx, tok)
			_, uncachedErr := uncached.Verify(ctx, tok)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.ErrorIs(t, err, token.ErrInvalid)
				assert.Equal(t, Identity{}, id)
				assert.Equal(t, uncachedErr.Error(), err.Error(), "a refused hit gives the error of a miss")
				assert.False(t, cacheHas(c, tok), "the stale entry is dropped")
				return
			}
			require.NoError(t, err)
			require.NoError(t, uncachedErr)
			assert.Equal(t, want, id)
			assert.True(t, cacheHas(c, tok))
		})
	}
}

// cacheMintWithNotBefore mints, as another implementation of wire format v1
// could, a node token with an nbf claim, which Sign never sets.
func cacheMintWithNotBefore(t testing.TB, root string, iat, nbf, exp time.Time) string {
	t.Helper()
	key, err := token.DeriveKey(root, cacheTestService)
	require.NoError(t, err)
	claims := &token.Claims{
		NodeID:    "u1",
		ModelType: "User",
		ServiceID: cacheTestService,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   "u1",
			Audience:  jwt.ClaimStrings{cacheTestService},
			IssuedAt:  jwt.NewNumericDate(iat),
			NotBefore: jwt.NewNumericDate(nbf),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        "bm90LWJlZm9yZS10ZXN0",
		},
	}
	jt := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	jt.Header["kid"] = token.RootTokenID(root)
	tok, err := jt.SignedString(key)
	require.NoError(t, err)
	return tok
}

func TestCacheNeverHoldsFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := cacheTestRoot(t)
	const leeway = 10 * time.Second
	later := cacheT0.Add(time.Hour)

	tests := []struct {
		name string
		tok  string
		// first fails at cacheT0 with firstErr; at later, the token
		// verifies if thenOK.
		firstErr error
		thenOK   bool
	}{
		{"iat in the future", cacheMint(t, root, "u1", later), token.ErrNotYetValid, true},
		{"nbf in the future", cacheMintWithNotBefore(t, root, cacheT0, later, later.Add(time.Hour)), token.ErrNotYetValid, true},
		{"garbage", "not-a-token", token.ErrMalformed, false},
		{"another root token", cacheMint(t, cacheTestRoot(t), "u1", cacheT0), token.ErrKeyID, false},
		{"bad signature", cacheTamper(cacheMint(t, root, "u1", cacheT0)), token.ErrSignature, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newCacheClock(cacheT0)
			c := cacheTestClient(t, []string{root}, WithClock(clock.Now), WithLeeway(leeway))
			for range 2 {
				_, err := c.Verify(ctx, tt.tok)
				require.ErrorIs(t, err, tt.firstErr)
				assert.Zero(t, cacheLen(c), "a failure is never remembered")
			}
			clock.Set(later)
			id, err := c.Verify(ctx, tt.tok)
			if !tt.thenOK {
				assert.ErrorIs(t, err, tt.firstErr)
				assert.Zero(t, cacheLen(c))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "u1", id.NodeID)
			assert.True(t, cacheHas(c, tt.tok))
		})
	}
}

// tamper changes one character in the middle of the signature of tok.
func cacheTamper(tok string) string {
	i := strings.LastIndexByte(tok, '.') + 20
	b := []byte(tok)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestCacheForgetsOnRootTokenChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rootA, rootB := cacheTestRoot(t), cacheTestRoot(t)
	tokA := cacheMint(t, rootA, "ua", time.Now())
	tokB := cacheMint(t, rootB, "ub", time.Now())

	c := cacheTestClient(t, []string{rootA})
	_, err := c.Verify(ctx, tokA)
	require.NoError(t, err)
	require.True(t, cacheHas(c, tokA))
	_, err = c.Verify(ctx, tokB)
	require.ErrorIs(t, err, token.ErrKeyID)

	// Removing rootA logs out its tokens at once, cached or not.
	require.NoError(t, c.SetRootTokens([]string{rootB}))
	_, err = c.Verify(ctx, tokA)
	require.ErrorIs(t, err, token.ErrInvalid)
	assert.False(t, cacheHas(c, tokA))
	id, err := c.Verify(ctx, tokB)
	require.NoError(t, err, "a root token added verifies its tokens")
	assert.Equal(t, "ub", id.NodeID)
	require.True(t, cacheHas(c, tokB))

	// Adding rootA back: both verify.
	require.NoError(t, c.SetRootTokens([]string{rootB, rootA}))
	for tok, node := range map[string]string{tokA: "ua", tokB: "ub"} {
		id, err := c.Verify(ctx, tok)
		require.NoError(t, err)
		assert.Equal(t, node, id.NodeID)
	}

	// A failed change keeps the cache.
	require.Error(t, c.SetRootTokens([]string{"too-short"}))
	assert.True(t, cacheHas(c, tokA))
	assert.True(t, cacheHas(c, tokB))
}

func TestCacheEntryNeedsItsToken(t *testing.T) {
	t.Parallel()
	root := cacheTestRoot(t)
	tokA := cacheMint(t, root, "ua", time.Now())
	tokB := cacheMint(t, root, "ub", time.Now())
	c := newTokenCache(8)
	_, hA := c.get(tokA)
	_, hB := c.get(tokB)
	require.NotEqual(t, hA, hB)
	ids := map[string]Identity{}
	for _, tok := range []string{tokA, tokB} {
		id, err := cacheTestClient(t, []string{root}, WithCacheSize(0)).Verify(context.Background(), tok)
		require.NoError(t, err)
		ids[tok] = id
	}

	// tokB's entry stored under tokA's hash, as a collision would: tokA
	// must not find it, and tokB finds nothing under its own hash.
	c.put(hA, tokB, newCacheEntry(ids[tokB], DefaultLeeway))
	e, _ := c.get(tokA)
	assert.Nil(t, e, "an entry is found only by its own token")
	e, _ = c.get(tokB)
	assert.Nil(t, e)

	// tokA takes the entry back.
	c.put(hA, tokA, newCacheEntry(ids[tokA], DefaultLeeway))
	e, _ = c.get(tokA)
	require.NotNil(t, e)
	assert.Equal(t, ids[tokA], e.id)
	assert.Equal(t, 1, c.len())
}

func TestCacheEvictsWhatIsNotUsed(t *testing.T) {
	t.Parallel()
	// Map iteration order is random: repeat, so that a policy ignoring
	// use would be caught.
	for range 50 {
		s := &cacheShard{limit: 4, entries: map[uint64]*cacheEntry{}}
		for h := range uint64(4) {
			s.entries[h] = &cacheEntry{}
		}
		hot := s.entries[2]
		for len(s.entries) > 1 {
			hot.used.Store(true)
			s.evict()
			require.Same(t, hot, s.entries[2], "an entry used since the last eviction stays")
		}
		s.evict()
		require.Empty(t, s.entries, "an entry not used since goes")
	}
}

func TestCacheSize(t *testing.T) {
	t.Parallel()
	root := cacheTestRoot(t)
	tests := []struct {
		name     string
		opts     []Option
		wantSize int // the sum of the shards' limits; 0 for no cache
	}{
		{"default", nil, DefaultCacheSize},
		{"one", []Option{WithCacheSize(1)}, 1},
		{"odd", []Option{WithCacheSize(1001)}, 1001},
		{"zero turns it off", []Option{WithCacheSize(0)}, 0},
		{"negative turns it off", []Option{WithCacheSize(-5)}, 0},
		{"huge is capped", []Option{WithCacheSize(1 << 40)}, maxCacheSize},
		{"last option wins", []Option{WithCacheSize(0), WithCacheSize(10)}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := cacheTestClient(t, []string{root}, tt.opts...)
			cache := c.keys.Load().cache
			if tt.wantSize == 0 {
				assert.Nil(t, cache)
				return
			}
			require.NotNil(t, cache)
			sum := 0
			for i := range cache.shards {
				assert.Positive(t, cache.shards[i].limit)
				sum += cache.shards[i].limit
			}
			assert.Equal(t, tt.wantSize, sum)
		})
	}
}

func TestCacheIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := cacheTestRoot(t)
	for _, size := range []int{1, 7, 64, 300} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			c := cacheTestClient(t, []string{root}, WithCacheSize(size))
			toks := make([]string, 4*size)
			for i := range toks {
				toks[i] = cacheMint(t, root, fmt.Sprintf("u%d", i), time.Now())
				_, err := c.Verify(ctx, toks[i])
				require.NoError(t, err)
				require.LessOrEqual(t, cacheLen(c), size)
			}
			assert.GreaterOrEqual(t, cacheLen(c), size/2, "the cache is used")
			assert.True(t, cacheHas(c, toks[len(toks)-1]), "the latest token is remembered")
			for i, tok := range toks {
				id, err := c.Verify(ctx, tok)
				require.NoError(t, err, "an evicted token verifies again")
				assert.Equal(t, fmt.Sprintf("u%d", i), id.NodeID)
			}
			assert.LessOrEqual(t, cacheLen(c), size)
		})
	}
}

func TestCacheOff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := cacheTestRoot(t)
	clock := newCacheClock(cacheT0)
	c := cacheTestClient(t, []string{root}, WithCacheSize(0), WithClock(clock.Now))
	tok := cacheMint(t, root, "u1", cacheT0, token.ExpiresIn(time.Hour))
	for range 3 {
		id, err := c.Verify(ctx, tok)
		require.NoError(t, err)
		assert.Equal(t, "u1", id.NodeID)
		assert.Zero(t, cacheLen(c))
	}
	clock.Set(cacheT0.Add(2 * time.Hour))
	_, err := c.Verify(ctx, tok)
	assert.ErrorIs(t, err, token.ErrExpired)
}

var errCacheTestRevoked = errors.New("test: token revoked")

// cacheRevocations is a revocation check refusing the token ids it holds.
type cacheRevocations struct {
	revoked sync.Map // jti -> struct{}
	calls   atomic.Int64
	last    atomic.Pointer[Identity]
}

func (l *cacheRevocations) check(ctx context.Context, id Identity) error {
	l.calls.Add(1)
	l.last.Store(&id)
	if ctx.Value(cacheCtxKey{}) != "marked" {
		return errors.New("test: the request context was not passed")
	}
	if _, ok := l.revoked.Load(id.Claims.ID); ok {
		return errCacheTestRevoked
	}
	return nil
}

type cacheCtxKey struct{}

func TestRevocationCheck(t *testing.T) {
	t.Parallel()
	ctx := context.WithValue(context.Background(), cacheCtxKey{}, "marked")
	root := cacheTestRoot(t)
	for _, size := range []int{DefaultCacheSize, 0} {
		t.Run(fmt.Sprintf("cache size %d", size), func(t *testing.T) {
			t.Parallel()
			var list cacheRevocations
			c := cacheTestClient(t, []string{root}, WithCacheSize(size), WithRevocationCheck(list.check))
			tok := cacheMint(t, root, "u1", time.Now())

			want, err := c.Verify(ctx, tok) // a miss
			require.NoError(t, err)
			assert.EqualValues(t, 1, list.calls.Load())
			assert.Equal(t, want, *list.last.Load(), "the check sees the identity Verify returns")
			_, err = c.Verify(ctx, tok) // a hit when the cache is on
			require.NoError(t, err)
			assert.EqualValues(t, 2, list.calls.Load())
			assert.Equal(t, size > 0, cacheHas(c, tok))

			list.revoked.Store(want.Claims.ID, struct{}{})
			id, err := c.Verify(ctx, tok)
			require.ErrorIs(t, err, errCacheTestRevoked)
			require.ErrorIs(t, err, token.ErrInvalid)
			assert.Equal(t, Identity{}, id)
			assert.EqualValues(t, 3, list.calls.Load())

			list.revoked.Delete(want.Claims.ID)
			id, err = c.Verify(ctx, tok)
			require.NoError(t, err)
			assert.Equal(t, want, id)

			// Root tokens are revoked with SetRootTokens, not the check.
			calls := list.calls.Load()
			id, err = c.Verify(ctx, root)
			require.NoError(t, err)
			assert.True(t, id.IsRoot())
			assert.Equal(t, calls, list.calls.Load())
			// Refused tokens never reach it.
			_, err = c.Verify(ctx, "garbage")
			require.ErrorIs(t, err, token.ErrInvalid)
			assert.Equal(t, calls, list.calls.Load())
		})
	}
}

func TestRevocationCheckNil(t *testing.T) {
	t.Parallel()
	root := cacheTestRoot(t)
	c := cacheTestClient(t, []string{root}, WithRevocationCheck(nil))
	_, err := c.Verify(context.Background(), cacheMint(t, root, "u1", time.Now()))
	assert.NoError(t, err)
}

// TestCacheConcurrentUse verifies known, new and bad tokens from many
// goroutines while the root tokens change; run it with -race.
func TestCacheConcurrentUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rootA, rootB := cacheTestRoot(t), cacheTestRoot(t)
	var list cacheRevocations
	c := cacheTestClient(t, []string{rootA, rootB}, WithCacheSize(16),
		WithRevocationCheck(func(ctx context.Context, id Identity) error {
			return list.check(context.WithValue(ctx, cacheCtxKey{}, "marked"), id)
		}))
	const workers, rounds = 8, 200
	toksA := make([]string, 32)
	toksB := make([]string, 32)
	for i := range toksA {
		toksA[i] = cacheMint(t, rootA, fmt.Sprintf("a%d", i), time.Now())
		toksB[i] = cacheMint(t, rootB, fmt.Sprintf("b%d", i), time.Now())
	}

	stop := make(chan struct{})
	rotated := make(chan struct{})
	go func() {
		defer close(rotated)
		sets := [][]string{{rootA}, {rootA, rootB}, {rootB, rootA}}
		for i := 0; ; i++ {
			select {
			case <-stop:
				assert.NoError(t, c.SetRootTokens([]string{rootA}))
				return
			default:
			}
			assert.NoError(t, c.SetRootTokens(sets[i%len(sets)]))
		}
	}()

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				i := (w*7 + r) % len(toksA)
				id, err := c.Verify(ctx, toksA[i])
				if assert.NoError(t, err, "rootA is always configured") {
					assert.Equal(t, fmt.Sprintf("a%d", i), id.NodeID)
				}
				id, err = c.Verify(ctx, toksB[i])
				if err == nil {
					assert.Equal(t, fmt.Sprintf("b%d", i), id.NodeID)
				} else {
					assert.ErrorIs(t, err, token.ErrKeyID)
				}
				_, err = c.Verify(ctx, "x.y.z")
				assert.ErrorIs(t, err, token.ErrInvalid)
				id, err = c.Verify(ctx, rootA)
				assert.NoError(t, err)
				assert.True(t, id.IsRoot())
			}
		})
	}
	wg.Wait()
	close(stop)
	<-rotated

	for i := range toksB {
		_, err := c.Verify(ctx, toksB[i])
		assert.ErrorIs(t, err, token.ErrKeyID, "rootB was removed")
		_, err = c.Verify(ctx, toksA[i])
		assert.NoError(t, err)
	}
	assert.LessOrEqual(t, cacheLen(c), 16)
	assert.Positive(t, list.calls.Load())
}

// FuzzCacheVerdict checks that the cache never changes a verdict: a
// client with a cache and one without, sharing a clock, verify the same
// string at two moments, and must agree on the identity or the error each
// time, while the first client answers the second time from its cache.
func FuzzCacheVerdict(f *testing.F) {
	root := cacheTestRoot(f)
	const leeway = 10 * time.Second
	minted := []string{
		cacheMint(f, root, "u1", cacheT0, token.ExpiresIn(time.Hour)),
		cacheMint(f, root, "u2", cacheT0, token.ExpiresIn(time.Second), token.WithClaims(map[string]any{"a": []any{1.5, "b"}})),
		cacheMintWithNotBefore(f, root, cacheT0, cacheT0.Add(time.Minute), cacheT0.Add(time.Hour)),
		cacheMint(f, cacheTestRoot(f), "u3", cacheT0),
	}
	for _, tok := range minted {
		for _, at := range [][2]int64{
			{0, 0}, {0, int64(time.Hour + leeway)}, {0, int64(time.Hour+leeway) - 1},
			{int64(time.Minute), -int64(leeway) - 1}, {int64(2 * time.Second), int64(time.Second + leeway)},
			{int64(-leeway), int64(time.Minute - leeway)}, {int64(time.Minute), int64(time.Minute) - int64(leeway) - 1},
		} {
			f.Add(tok, at[0], at[1])
		}
	}
	f.Add(root, int64(0), int64(0))
	f.Add("a.b.c", int64(0), int64(time.Hour))

	f.Fuzz(func(t *testing.T, tok string, at1, at2 int64) {
		clock := newCacheClock(cacheT0.Add(time.Duration(at1)))
		opts := []Option{WithClock(clock.Now), WithLeeway(leeway)}
		c := cacheTestClient(t, []string{root}, opts...)
		uncached := cacheTestClient(t, []string{root}, append(opts, WithCacheSize(0))...)
		ctx := context.Background()
		for i, at := range []int64{at1, at2} {
			clock.Set(cacheT0.Add(time.Duration(at)))
			hit := cacheHas(c, tok)
			got, err := c.Verify(ctx, tok)
			want, wantErr := uncached.Verify(ctx, tok)
			if wantErr != nil {
				require.Error(t, err, "call %d (hit: %v) accepted what a full verification refuses", i+1, hit)
				assert.Equal(t, wantErr.Error(), err.Error())
				assert.Equal(t, Identity{}, got)
				continue
			}
			require.NoError(t, err, "call %d (hit: %v)", i+1, hit)
			assert.Equal(t, want, got)
			if want.Kind == Node {
				assert.True(t, cacheHas(c, tok), "an accepted node token is remembered")
			}
		}
	})
}
