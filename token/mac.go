package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"sync"
)

// macPool hands out HMAC-SHA256 states keyed with one signing key, so that
// minting and verifying do not pay for hmac.New (three allocations and two
// compression rounds over the padded key) on every call. A state's Reset
// restores the keyed state hmac saved on first use.
//
// The key reaches the pool only through the New closure and the pooled
// states, which fmt never prints: a *macPool inside another value prints
// as an address.
type macPool struct {
	pool sync.Pool
}

// macState is one pooled HMAC with the scratch buffers of one call.
type macState struct {
	h   hash.Hash
	msg []byte // the message or token being built: hash.Hash has no WriteString
	aux []byte // a second scratch buffer (the claims JSON, when minting)
	sum [sha256.Size]byte
	jti [jtiLen]byte // the random bytes of a jti, when minting
}

func newMACPool(key []byte) *macPool {
	p := new(macPool)
	p.pool.New = func() any { return &macState{h: hmac.New(sha256.New, key)} }
	return p
}

func (p *macPool) get() *macState {
	m := p.pool.Get().(*macState)
	m.h.Reset()
	return m
}

// maxPooledBuffer bounds the scratch space a pooled state keeps between
// calls: twice the largest token.
const maxPooledBuffer = 2 * maxTokenLen

func (p *macPool) put(m *macState) {
	if cap(m.msg) > maxPooledBuffer || cap(m.aux) > maxPooledBuffer {
		return
	}
	m.msg, m.aux = m.msg[:0], m.aux[:0]
	p.pool.Put(m)
}

// mac writes HMAC-SHA256(key, msg) to out.
func (p *macPool) mac(out *[sha256.Size]byte, msg string) {
	m := p.get()
	m.msg = append(m.msg[:0], msg...)
	m.h.Write(m.msg)
	copy(out[:], m.h.Sum(m.sum[:0]))
	p.put(m)
}

// encodedHeader returns the first part of every token a key with key id
// kid signs: the unpadded base64url encoding of
// {"alg":"HS256","kid":<kid>,"typ":"JWT"}, the bytes encoding/json writes
// for that header (a key id is base64url, so nothing in it is escaped).
func encodedHeader(kid string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + algHS256 + `","kid":"` + kid + `","typ":"JWT"}`))
}
