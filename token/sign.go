package token

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

const (
	// algHS256 is the algorithm of every key of wire format v1.
	algHS256 = "HS256"
	jtiLen   = 16
	// maxTokenLen is the longest token a Verifier accepts.
	maxTokenLen = 8 << 10
)

// Signer mints node tokens for one service with the key derived from one
// root token (see [DeriveKey]).
//
// A Signer is immutable after NewSigner and safe for concurrent use (as
// long as the reader given with [WithRandom], if any, is). Printing or
// logging a Signer shows its key id and service id, never the root token
// or the key.
type Signer struct {
	serviceID string
	kid       string
	key       secretKey
	now       func() time.Time
	random    io.Reader
	header    string   // the first part of every token, with its dot
	mac       *macPool // HMAC states of the key
}

// NewSigner returns a Signer that mints node tokens for the service
// serviceID, signed with the key derived from root.
//
// root must pass [CheckRootToken]: the error matches ErrRootToken for a
// root token shorter than 32 bytes and ErrChecksum for a "gcr_" token
// with a bad checksum. An empty serviceID is an error matching
// ErrServiceID. Of the options, WithClock and WithRandom apply.
func NewSigner(root, serviceID string, opts ...ConfigOption) (*Signer, error) {
	const op = "new signer"
	if kind, detail := checkRoot(root); kind != nil {
		return nil, &opError{op: op, kind: kind, detail: detail}
	}
	if serviceID == "" {
		return nil, &opError{op: op, kind: ErrServiceID}
	}
	key, err := deriveKey(root, serviceID)
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	kid := RootTokenID(root)
	return &Signer{
		serviceID: serviceID,
		kid:       kid,
		key:       newSecretKey(key),
		now:       cfg.now,
		random:    cfg.random,
		header:    encodedHeader(kid) + ".",
		mac:       newMACPool(key),
	}, nil
}

// KeyID returns the kid header of the tokens s mints: [RootTokenID] of its
// root token.
func (s *Signer) KeyID() string { return s.kid }

// Sign mints a node token for the node nodeID of type modelType: a compact
// JWS with header {"alg":"HS256","kid":<KeyID>,"typ":"JWT"} and the claims
// userId and sub (nodeID), modelName (modelType), projectId and aud (the
// service id), iat (now, in seconds), exp (iat plus 30 days unless
// [ExpiresIn] says otherwise), jti (16 random bytes, base64url) and the
// custom claims of [WithClaims].
//
// nodeID must be 1 to 128 bytes of valid UTF-8 (else ErrNodeID) and
// modelType a GraphQL type name (else ErrModelType). See the options for
// their errors. A token that would exceed the 8 KiB a Verifier accepts is
// refused with ErrTooLarge.
func (s *Signer) Sign(nodeID, modelType string, opts ...Option) (string, error) {
	const op = "sign"
	o := mintOptions{expiresIn: defaultExpiresIn}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if why := checkNodeID(nodeID); why != "" {
		return "", &opError{op: op, kind: ErrNodeID, detail: why}
	}
	if why := checkModelType(modelType); why != "" {
		return "", &opError{op: op, kind: ErrModelType, detail: why}
	}
	if o.expiresIn <= 0 {
		return "", &opError{op: op, kind: ErrExpiresIn, detail: o.expiresIn.String()}
	}
	// Sorted, so that the error for several bad claims is always the
	// same, and because the claims are written in this order.
	var custom []customClaim
	if len(o.custom) > 0 {
		custom = make([]customClaim, 0, len(o.custom))
		for _, name := range slices.Sorted(maps.Keys(o.custom)) {
			if isReserved(name) {
				return "", &opError{op: op, kind: ErrReservedClaim, detail: strconv.Quote(name)}
			}
			if !utf8.ValidString(name) {
				// encoding/json would write U+FFFD for the bad bytes, so
				// the claim would come back under another name.
				return "", &opError{op: op, kind: ErrCustomClaim, detail: "name is not valid UTF-8"}
			}
			value, err := json.Marshal(o.custom[name])
			if err != nil {
				return "", &opError{op: op, kind: ErrCustomClaim, detail: strconv.Quote(name), cause: err}
			}
			custom = append(custom, customClaim{name: name, value: value})
		}
	}

	m := s.mac.get()
	defer s.mac.put(m)
	jti := m.jti[:]
	if _, err := io.ReadFull(s.random, jti); err != nil {
		return "", fmt.Errorf("token: sign: reading random bytes for jti: %w", err)
	}
	iat := s.now().Unix()
	// Rounded up, so that exp > iat for every positive duration.
	lifetime := int64(o.expiresIn / time.Second)
	if o.expiresIn%time.Second != 0 {
		lifetime++
	}
	exp := iat + lifetime

	// The claims are written by hand, byte for byte as Claims.MarshalJSON
	// writes them (see appendMintedClaims), and the token around them as
	// golang-jwt would: header, claims, HMAC-SHA256 over both.
	m.aux = appendMintedClaims(m.aux[:0], nodeID, modelType, s.serviceID, iat, exp, jti, custom)
	size := len(s.header) + base64.RawURLEncoding.EncodedLen(len(m.aux)) + 1 + base64.RawURLEncoding.EncodedLen(len(m.sum))
	if size > maxTokenLen {
		return "", &opError{op: op, kind: ErrTooLarge, detail: fmt.Sprintf("%d bytes, at most %d allowed", size, maxTokenLen)}
	}
	m.msg = append(m.msg[:0], s.header...)
	m.msg = base64.RawURLEncoding.AppendEncode(m.msg, m.aux)
	m.h.Write(m.msg)
	sig := m.h.Sum(m.sum[:0])
	m.msg = append(m.msg, '.')
	m.msg = base64.RawURLEncoding.AppendEncode(m.msg, sig)
	return string(m.msg), nil
}

// String describes s by its service id and key id, without any secret.
func (s *Signer) String() string {
	if s == nil {
		return "token.Signer(nil)"
	}
	return fmt.Sprintf("token.Signer{service: %q, kid: %q}", s.serviceID, s.kid)
}

// GoString is String, so that %#v shows no secret either.
func (s *Signer) GoString() string { return s.String() }

// Format writes String for every verb, so that no fmt verb reaches the
// key by reflection.
func (s *Signer) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// LogValue logs the service id and key id, without any secret.
func (s *Signer) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue(s.String())
	}
	return slog.GroupValue(slog.String("service", s.serviceID), slog.String("kid", s.kid))
}
