package token

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

const (
	// rootPrefix starts every root token made by NewRootToken, so that
	// secret scanners can recognise one without a network call.
	rootPrefix = "gcr_"
	// rootRandomLen base62 characters carry 30·log2(62) ≈ 178 bits.
	rootRandomLen   = 30
	rootChecksumLen = 6
	rootTokenLen    = len(rootPrefix) + rootRandomLen + rootChecksumLen

	// minRootLen is the shortest root token accepted as key material.
	minRootLen = 32

	// kidPrefix separates key ids from every other hash of a root token.
	kidPrefix = "graphcool-lib/kid:"
	kidLen    = 16
)

// base62 is the alphabet of root tokens, in ASCII order: the digit of
// value v is base62[v].
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewRootToken returns a new random root token: "gcr_", 30 base62
// characters from crypto/rand, and 6 base62 characters of the CRC32 (IEEE)
// of those 30, left-padded with '0'. The checksum lets CheckRootToken and
// secret scanners tell a root token from a typo without any network call.
func NewRootToken() (string, error) {
	return newRootToken(rand.Reader)
}

func newRootToken(r io.Reader) (string, error) {
	var b [rootTokenLen]byte
	copy(b[:], rootPrefix)
	random := b[len(rootPrefix) : len(rootPrefix)+rootRandomLen]
	var buf [2 * rootRandomLen]byte
	for n := 0; n < rootRandomLen; {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return "", &opError{op: "new root token", kind: ErrRootToken, detail: "reading random bytes", cause: err}
		}
		for _, c := range buf {
			// 248 = 4·62: dropping bytes at or above it keeps c%62 uniform.
			if c >= 248 {
				continue
			}
			random[n] = base62[c%62]
			n++
			if n == rootRandomLen {
				break
			}
		}
	}
	putChecksum(b[len(rootPrefix)+rootRandomLen:], random)
	return string(b[:]), nil
}

// putChecksum writes the CRC32 (IEEE) of random into dst in base62, most
// significant digit first, left-padded with '0'. 62^6 > 2^32, so six
// digits always suffice.
func putChecksum(dst, random []byte) {
	n := crc32.ChecksumIEEE(random)
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = base62[n%62]
		n /= 62
	}
}

// CheckRootToken reports whether root can be used as a root token.
//
// A string that starts with "gcr_" must be a well-formed root token as
// NewRootToken makes them, with a matching checksum; otherwise the error
// matches ErrChecksum. Any other string is accepted if it is at least 32
// bytes long (legacy Graphcool root tokens are JWTs); a shorter one is
// refused with an error matching ErrRootToken. No error ever contains root.
func CheckRootToken(root string) error {
	if kind, detail := checkRoot(root); kind != nil {
		return &opError{op: "check root token", kind: kind, detail: detail}
	}
	return nil
}

// checkRoot returns the sentinel and the reason why root is refused, or
// nil. The reason never contains root.
func checkRoot(root string) (kind error, detail string) {
	if !strings.HasPrefix(root, rootPrefix) {
		if len(root) < minRootLen {
			return ErrRootToken, fmt.Sprintf("%d bytes long, at least %d required", len(root), minRootLen)
		}
		return nil, ""
	}
	if len(root) != rootTokenLen {
		return ErrChecksum, fmt.Sprintf("%d bytes long, %d expected", len(root), rootTokenLen)
	}
	for i := len(rootPrefix); i < len(root); i++ {
		if strings.IndexByte(base62, root[i]) < 0 {
			return ErrChecksum, "character outside base62"
		}
	}
	random := []byte(root[len(rootPrefix) : len(rootPrefix)+rootRandomLen])
	var want [rootChecksumLen]byte
	putChecksum(want[:], random)
	if subtle.ConstantTimeCompare(want[:], []byte(root[len(rootPrefix)+rootRandomLen:])) != 1 {
		return ErrChecksum, "checksum does not match"
	}
	return nil, ""
}

// RootTokenID returns the key id of root, the kid header of the node tokens
// its keys sign: the first 16 characters of the unpadded base64url encoding
// of SHA-256("graphcool-lib/kid:" + root). It reveals nothing usable about
// root and may be logged.
func RootTokenID(root string) string {
	sum := sha256.Sum256([]byte(kidPrefix + root))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:kidLen]
}
