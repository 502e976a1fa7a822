package auth

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultCacheSize is the number of verified node tokens a Client
// remembers unless WithCacheSize says otherwise.
const DefaultCacheSize = 65536

// maxCacheSize bounds WithCacheSize, so that a mistyped size cannot make
// the cache grow without limit.
const maxCacheSize = 1 << 24

// cacheShards is the number of shards of a full-sized cache: enough that
// goroutines verifying different tokens rarely take the same lock.
const cacheShards = 64

// maxCachedLen is the length of the longest token the cache holds: that of
// the longest token the token package accepts. A longer one is neither
// looked up nor stored, so that the time a flood of bytes takes to refuse
// does not depend on its length here either.
const maxCachedLen = 8 << 10

// evictSample is how many entries of a full shard are looked at to choose
// the one a new entry replaces.
const evictSample = 8

// tokenCache remembers the node tokens one keyring has verified, so that a
// token presented again is not verified from scratch. It holds successes
// only, and nothing outlives its keyring: SetRootTokens builds a new
// keyring with an empty cache, so a token minted with a root token that
// has been removed is never found again.
//
// An entry is used only while the client's clock is inside the window in
// which a full verification would accept the token (see validAt), so a hit
// gives the verdict a miss would.
//
// Entries are found by a 64-bit hash of the token (hash/maphash, with a
// seed of the cache's own) and hold a copy of the token, which a hit must
// equal: two tokens with the same hash take turns in one entry, and
// neither is ever taken for the other. Hashing with SHA-256 instead would
// cost more than the rest of a hit together. The tokens are kept in
// memory, as the requests that bring them are; nothing prints or logs the
// cache: only a Client holds it, and a Client formats itself without
// secrets.
//
// The cache is split into shards, each with its own lock, and holds at most
// the number of entries it was made for. A full shard makes room by
// sampling a few of its entries and evicting the first one that has not
// been used since it was last sampled (the reference bit of CLOCK), else
// the first one sampled. An expired entry is dropped when it is next found,
// and otherwise goes the same way, since nothing uses it.
//
// A nil *tokenCache is a cache that is off: it finds nothing and keeps
// nothing. A tokenCache is safe for concurrent use.
type tokenCache struct {
	seed   maphash.Seed
	shards []cacheShard
	shift  uint // a hash's top 64-shift bits choose its shard
}

// cacheShard is one part of a tokenCache. It fills a cache line of its own
// so that the locks of neighbouring shards do not share one.
type cacheShard struct {
	mu      sync.RWMutex
	entries map[uint64]*cacheEntry // by hash; made on the first put
	limit   int
	_       [64 - 24 - 8 - 8]byte // 24: the size of a sync.RWMutex
}

// cacheEntry is the outcome of one successful verification.
type cacheEntry struct {
	tok string // a copy of the token
	id  Identity
	// The token verifies while the clock reads notBefore or later and
	// before notAfter: its iat (and nbf, if any) minus the leeway, and its
	// exp plus the leeway.
	notBefore time.Time
	notAfter  time.Time
	// used is set by every hit and cleared when an eviction passes over
	// the entry.
	used atomic.Bool
}

// newTokenCache returns a cache of at most size entries, or nil (a cache
// that is off) for a size of zero or less.
func newTokenCache(size int) *tokenCache {
	if size <= 0 {
		return nil
	}
	size = min(size, maxCacheSize)
	n, bits := 1, uint(0)
	for n*2 <= min(size, cacheShards) {
		n, bits = n*2, bits+1
	}
	c := &tokenCache{seed: maphash.MakeSeed(), shards: make([]cacheShard, n), shift: 64 - bits}
	for i := range c.shards {
		// The shards share size between them; the first ones take one
		// more entry each when it does not divide evenly.
		c.shards[i].limit = size / n
		if i < size%n {
			c.shards[i].limit++
		}
	}
	return c
}

// newCacheEntry returns the entry of a token verified as id, for a
// verifier allowing leeway, or nil if id holds no expiry to bound the
// entry with (which Verify never returns).
func newCacheEntry(id Identity, leeway time.Duration) *cacheEntry {
	c := id.Claims
	if c == nil || c.ExpiresAt == nil {
		return nil
	}
	// The bounds golang-jwt's validator checks against: a token is valid
	// while now is not before iat-leeway nor nbf-leeway, and before
	// exp+leeway.
	e := &cacheEntry{id: id, notAfter: c.ExpiresAt.Add(leeway)}
	if c.IssuedAt != nil {
		e.notBefore = c.IssuedAt.Add(-leeway)
	}
	if c.NotBefore != nil {
		if nbf := c.NotBefore.Add(-leeway); nbf.After(e.notBefore) {
			e.notBefore = nbf
		}
	}
	return e
}

// validAt reports whether a full verification at now would accept the
// token of e as far as time goes: the rest of the verdict does not change
// while the keyring stays the same.
func (e *cacheEntry) validAt(now time.Time) bool {
	return !now.Before(e.notBefore) && now.Before(e.notAfter)
}

// shard returns the shard of the hash h.
func (c *tokenCache) shard(h uint64) *cacheShard { return &c.shards[h>>c.shift] }

// get returns the entry of tok, or nil, and the hash of tok, which put and
// remove take.
func (c *tokenCache) get(tok string) (*cacheEntry, uint64) {
	if c == nil || len(tok) > maxCachedLen {
		return nil, 0
	}
	h := maphash.String(c.seed, tok)
	s := c.shard(h)
	s.mu.RLock()
	e := s.entries[h]
	s.mu.RUnlock()
	if e == nil || e.tok != tok {
		return nil, h
	}
	if !e.used.Load() {
		e.used.Store(true)
	}
	return e, h
}

// put stores e as the entry of tok, whose hash get returned as h, in place
// of any entry of the same hash, evicting another entry of the shard if it
// is full.
func (c *tokenCache) put(h uint64, tok string, e *cacheEntry) {
	if c == nil || e == nil || len(tok) > maxCachedLen {
		return
	}
	// A copy, so that the entry does not keep alive whatever larger string
	// (a header, a request body) tok was cut from. Set before e is shared.
	e.tok = strings.Clone(tok)
	s := c.shard(h)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = make(map[uint64]*cacheEntry, min(s.limit, 64))
	}
	if _, ok := s.entries[h]; !ok && len(s.entries) >= s.limit {
		s.evict()
	}
	s.entries[h] = e
}

// remove deletes the entry of hash h if it is still e.
func (c *tokenCache) remove(h uint64, e *cacheEntry) {
	if c == nil {
		return
	}
	s := c.shard(h)
	s.mu.Lock()
	if s.entries[h] == e {
		delete(s.entries, h)
	}
	s.mu.Unlock()
}

// evict deletes one entry of the full shard s, whose lock is held. Map
// iteration starts at a random place, so the sample is a random one.
func (s *cacheShard) evict() {
	var victim uint64
	n := 0
	for h, e := range s.entries {
		if !e.used.Load() {
			victim = h
			break
		}
		// A second chance: evicted next time unless used before then.
		e.used.Store(false)
		if n == 0 {
			victim = h
		}
		if n++; n == evictSample {
			break
		}
	}
	delete(s.entries, victim)
}

// len returns the number of entries.
func (c *tokenCache) len() int {
	if c == nil {
		return 0
	}
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.entries)
		s.mu.RUnlock()
	}
	return n
}
