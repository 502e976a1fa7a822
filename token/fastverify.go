package token

import (
	"crypto/hmac"
	"crypto/sha256"
)

// The fast path of Verify, for the tokens Sign writes.
//
// It takes a token only if its header part is, byte for byte, the one Sign
// writes for one of the Verifier's key ids; every other token goes the
// general way, through golang-jwt. For such a header golang-jwt's checks of
// the header (alg pinned, no crit, typ JWT, known kid) all pass, so what is
// left is what the fast path does itself, in golang-jwt's order: decode
// the claims (base64url, then JSON with Claims.UnmarshalJSON's rules),
// decode the signature, check it, and only then check the claims. For each
// input it returns what the general path returns, or errFallback to leave
// the input to it; fastverify_test.go and FuzzVerifyDifferential compare
// the two.

// verifyFast verifies tok, which precheck has passed with its dots at
// first and second and whose header is the one Sign writes for the key
// of mac.
func (v *Verifier) verifyFast(tok string, first, second int, mac *macPool) (*Claims, error) {
	claimsJSON, ok := decodeBase64(tok[first+1 : second])
	if !ok {
		return nil, errEncoding
	}
	claims, err := decodeClaims(claimsJSON)
	if err != nil {
		return nil, err
	}

	// The signature: strictly encoded (else golang-jwt reports malformed),
	// then compared in constant time.
	sigText := tok[second+1:]
	if !strictBase64(sigText) {
		return nil, errEncoding
	}
	if base64Len(len(sigText)) != sha256.Size {
		return nil, errBadSignature
	}
	var sig, want [sha256.Size]byte
	decodeBase64Into(sig[:], sigText)
	mac.mac(&want, tok[:second])
	if !hmac.Equal(sig[:], want[:]) {
		return nil, errBadSignature
	}

	if err := v.checkClaims(claims); err != nil {
		return nil, err
	}
	if err := v.checkTimes(claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// checkTimes makes golang-jwt's time checks on claims that checkClaims
// has passed (so exp and iat are set), with the same comparisons and in
// the order in which classify reports them.
func (v *Verifier) checkTimes(c *Claims) error {
	now := v.now()
	switch {
	case !now.Before(c.ExpiresAt.Add(v.leeway)):
		return errExpired
	case c.NotBefore != nil && now.Before(c.NotBefore.Add(-v.leeway)):
		return errNotBefore
	case now.Before(c.IssuedAt.Add(-v.leeway)):
		return errIssuedLater
	}
	return nil
}

// base64Index maps a byte of the base64url alphabet to its value, and
// every other byte to 0xFF.
var base64Index = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = 0xFF
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// base64Len returns the length of what unpadded base64url text of n
// characters decodes to, or -1 if no such text has n characters.
func base64Len(n int) int {
	if n%4 == 1 {
		return -1
	}
	return n/4*3 + n%4*3/4
}

// strictBase64 reports whether s is unpadded base64url as
// base64.RawURLEncoding.Strict() accepts it: the alphabet, a length that
// is not 1 modulo 4, and zero bits after the last encoded byte.
func strictBase64(s string) bool {
	if base64Len(len(s)) < 0 {
		return false
	}
	var all byte
	for i := 0; i < len(s); i++ {
		all |= base64Index[s[i]]
	}
	if all&0x80 != 0 { // a byte outside the alphabet
		return false
	}
	switch len(s) % 4 {
	case 2:
		return base64Index[s[len(s)-1]]&0x0F == 0
	case 3:
		return base64Index[s[len(s)-1]]&0x03 == 0
	}
	return true
}

// decodeBase64Into decodes s, which strictBase64 has accepted, into dst,
// which is base64Len(len(s)) bytes long.
func decodeBase64Into(dst []byte, s string) {
	var i, j int
	for ; len(s)-i >= 4; i, j = i+4, j+3 {
		v := uint32(base64Index[s[i]])<<18 | uint32(base64Index[s[i+1]])<<12 |
			uint32(base64Index[s[i+2]])<<6 | uint32(base64Index[s[i+3]])
		dst[j], dst[j+1], dst[j+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	switch len(s) - i {
	case 2:
		v := uint32(base64Index[s[i]])<<18 | uint32(base64Index[s[i+1]])<<12
		dst[j] = byte(v >> 16)
	case 3:
		v := uint32(base64Index[s[i]])<<18 | uint32(base64Index[s[i+1]])<<12 |
			uint32(base64Index[s[i+2]])<<6
		dst[j], dst[j+1] = byte(v>>16), byte(v>>8)
	}
}

// decodeBase64 decodes strict unpadded base64url text.
func decodeBase64(s string) (string, bool) {
	if !strictBase64(s) {
		return "", false
	}
	n := base64Len(len(s))
	// Claims up to 1 KiB, which is nearly all of them, are decoded on the
	// stack and copied once into the string the claims point into.
	var small [1024]byte
	var buf []byte
	if n <= len(small) {
		buf = small[:n]
	} else {
		buf = make([]byte, n)
	}
	decodeBase64Into(buf, s)
	return string(buf), true
}
