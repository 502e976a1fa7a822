package token

import (
	"errors"
	"strings"
)

// Verification errors. Every error Verify returns matches ErrInvalid and
// exactly one of the more specific sentinels below, which match ErrInvalid
// themselves, so callers can branch with errors.Is on either.
var (
	// ErrInvalid is matched by every error Verify returns: the token must
	// not be trusted. Treat every non-nil error from Verify as a rejection,
	// whatever else it matches.
	ErrInvalid error = &sentinel{name: "invalid token"}

	// ErrMalformed reports a token that is not a compact JWS of at most
	// 8 KiB made of three strictly base64url-encoded parts, whose header or
	// claims are not JSON objects, or whose claims do not have the JSON
	// types RFC 7519 gives them (a NumericDate is a number, never a string).
	ErrMalformed error = &sentinel{name: "malformed", parent: ErrInvalid}

	// ErrSignature reports a token whose signature is empty or does not
	// match its header and claims under the key named by its kid.
	ErrSignature error = &sentinel{name: "bad signature", parent: ErrInvalid}

	// ErrExpired reports a correctly signed token whose exp claim, plus the
	// leeway, is not after the current time.
	ErrExpired error = &sentinel{name: "expired", parent: ErrInvalid}

	// ErrNotYetValid reports a correctly signed token whose nbf or iat claim
	// lies further in the future than the leeway allows.
	ErrNotYetValid error = &sentinel{name: "not yet valid", parent: ErrInvalid}

	// ErrAlgorithm reports a token whose alg header is missing, unknown,
	// "none" in any spelling, or not the algorithm pinned to its key.
	ErrAlgorithm error = &sentinel{name: "algorithm not allowed", parent: ErrInvalid}

	// ErrKeyID reports a token whose kid header is missing, not a string,
	// or does not name a key of the Verifier.
	ErrKeyID error = &sentinel{name: "unknown key id", parent: ErrInvalid}

	// ErrHeader reports a token with a header parameter that is never
	// minted and never followed: crit, jku, x5u, jwk or x5c, or a typ other
	// than "JWT".
	ErrHeader error = &sentinel{name: "header not allowed", parent: ErrInvalid}

	// ErrAudience reports a correctly signed token whose aud claim does not
	// name the Verifier's service, or whose projectId claim is another
	// service.
	ErrAudience error = &sentinel{name: "wrong audience", parent: ErrInvalid}

	// ErrClaims reports a correctly signed token that lacks a required
	// claim (userId, sub, modelName, projectId, aud, iat, exp, jti) or has
	// it empty, whose sub and userId disagree, or whose node id or model
	// type would be refused at minting.
	ErrClaims error = &sentinel{name: "invalid claims", parent: ErrInvalid}
)

// Minting and configuration errors. None of them matches ErrInvalid.
var (
	// ErrRootToken reports a root token that cannot be used as key
	// material: shorter than 32 bytes, or no root token at all.
	ErrRootToken error = &sentinel{name: "unusable root token"}

	// ErrChecksum reports a string that starts with "gcr_" but is not a
	// root token made by NewRootToken: wrong length, a character outside
	// base62, or a checksum that does not match (usually a copy error).
	ErrChecksum error = &sentinel{name: "bad root token checksum"}

	// ErrServiceID reports an empty service id.
	ErrServiceID error = &sentinel{name: "empty service id"}

	// ErrNodeID reports a node id that is empty, longer than 128 bytes or
	// not valid UTF-8.
	ErrNodeID error = &sentinel{name: "invalid node id"}

	// ErrModelType reports a model type that is not a GraphQL type name
	// (^[_A-Za-z][_0-9A-Za-z]*$).
	ErrModelType error = &sentinel{name: "invalid model type"}

	// ErrReservedClaim reports a custom claim whose name is one of the
	// claims the token sets itself (userId, sub, modelName, projectId, aud,
	// iat, exp, jti) or iss or nbf, in any letter case.
	ErrReservedClaim error = &sentinel{name: "reserved claim"}

	// ErrCustomClaim reports a custom claim whose name is not valid UTF-8
	// or whose value encoding/json cannot encode.
	ErrCustomClaim error = &sentinel{name: "custom claim not encodable"}

	// ErrExpiresIn reports an ExpiresIn duration that is zero or negative.
	ErrExpiresIn error = &sentinel{name: "non-positive expiry"}

	// ErrTooLarge reports a token that would be longer than the 8 KiB a
	// Verifier accepts, because of its custom claims or model type.
	ErrTooLarge error = &sentinel{name: "token too large"}
)

// sentinel is the type of the package's sentinel errors. A verification
// sentinel has ErrInvalid as its parent, so that errors.Is matches both.
type sentinel struct {
	name   string
	parent error
}

func (e *sentinel) Error() string { return "token: " + e.name }

func (e *sentinel) Unwrap() error { return e.parent }

// opError is an error of one operation (verify, sign, ...). Its message is
// "token: <op>: <sentinel name>[: <detail>][: <cause>]". The detail is
// written by this package and never holds a token, a root token or a key;
// the cause, if any, is an error of the standard library that does not
// either.
type opError struct {
	op     string
	kind   error // one of the sentinels above
	detail string
	cause  error
}

func (e *opError) Error() string {
	var b strings.Builder
	b.WriteString("token: ")
	b.WriteString(e.op)
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.kind.Error(), "token: "))
	if e.detail != "" {
		b.WriteString(": ")
		b.WriteString(e.detail)
	}
	if e.cause != nil {
		b.WriteString(": ")
		b.WriteString(e.cause.Error())
	}
	return b.String()
}

func (e *opError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// invalid returns a verification error of the given kind.
func invalid(kind error, detail string) error {
	return &opError{op: "verify", kind: kind, detail: detail}
}

// isInvalid reports whether err is one of the package's verification
// errors, as opposed to an error of golang-jwt that wraps none.
func isInvalid(err error) (*opError, bool) {
	var oe *opError
	if errors.As(err, &oe) && errors.Is(oe.kind, ErrInvalid) {
		return oe, true
	}
	return nil, false
}
