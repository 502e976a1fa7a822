package token

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
)

const (
	// hkdfSalt versions the key derivation: a new wire format gets a new
	// salt, so its keys never collide with these.
	hkdfSalt = "graphcool-lib/v1"
	// hkdfInfoPrefix, followed by the service id, binds a key to one
	// service.
	hkdfInfoPrefix = "node-token:"
	keyLen         = 32
)

// DeriveKey returns the 32-byte key that signs the node tokens of the
// service serviceID minted with the root token root:
//
//	HKDF-SHA256(secret = root, salt = "graphcool-lib/v1", info = "node-token:" + serviceID)
//
// (RFC 5869). The root token itself never signs anything, and two services
// never share a key.
//
// A root shorter than 32 bytes is refused with an error matching
// ErrRootToken, an empty serviceID with one matching ErrServiceID. Unlike
// NewSigner and NewVerifier, DeriveKey does not check the checksum of a
// "gcr_" root token: it is the bare key derivation of the wire format.
func DeriveKey(root, serviceID string) ([]byte, error) {
	if len(root) < minRootLen {
		return nil, &opError{op: "derive key", kind: ErrRootToken,
			detail: fmt.Sprintf("%d bytes long, at least %d required", len(root), minRootLen)}
	}
	if serviceID == "" {
		return nil, &opError{op: "derive key", kind: ErrServiceID}
	}
	return deriveKey(root, serviceID)
}

func deriveKey(root, serviceID string) ([]byte, error) {
	key, err := hkdf.Key(sha256.New, []byte(root), []byte(hkdfSalt), hkdfInfoPrefix+serviceID, keyLen)
	if err != nil {
		// Unreachable: HKDF-SHA256 can expand to 8160 bytes.
		return nil, fmt.Errorf("token: derive key: %w", err)
	}
	return key, nil
}

// redacted is what every type holding a secret prints instead.
const redacted = "[redacted]"

// secretKey is key material, held inside a closure: fmt prints a func as
// an address whatever the verb and however deep it finds it, so no fmt
// verb can reach the bytes by reflection, not even through an unexported
// field or a dereferenced Signer or Verifier. (A pointer would not do: for
// a verb it cannot apply, such as %s, fmt prints the value behind it.)
// Printed or logged itself, a secretKey shows [redacted].
type secretKey struct {
	// bytes returns the key material, for signing and verifying only.
	bytes func() []byte
}

func newSecretKey(b []byte) secretKey {
	return secretKey{bytes: func() []byte { return b }}
}

// String returns "[redacted]".
func (secretKey) String() string { return redacted }

// GoString returns "[redacted]".
func (secretKey) GoString() string { return redacted }

// Format writes "[redacted]" for every verb.
func (secretKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue logs "[redacted]".
func (secretKey) LogValue() slog.Value { return slog.StringValue(redacted) }
