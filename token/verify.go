package token

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verifier verifies the node tokens of one service against a set of root
// tokens: a token is valid if it was minted by a [Signer] of the service
// with one of them, has not expired and passes every rule of wire format
// v1 (see the package documentation). No rule can be turned off.
//
// A Verifier is immutable after NewVerifier and safe for concurrent use.
// Printing or logging a Verifier shows its service id and key ids, never a
// root token or a key.
type Verifier struct {
	serviceID string
	keys      map[string]verificationKey // by kid
	kids      []string                   // sorted, for printing
	parser    *jwt.Parser
	keyfunc   jwt.Keyfunc

	// For the fast path (fastverify.go): the header part Sign writes for
	// each key id, mapped to the HMAC states of its key, and the clock
	// and leeway the parser has too.
	headers map[string]*macPool
	now     func() time.Time
	leeway  time.Duration
}

// verificationKey is a key with the one algorithm it may be used with.
type verificationKey struct {
	alg string
	key secretKey
}

// NewVerifier returns a Verifier for the service serviceID that accepts the
// node tokens minted with any of roots. Root tokens given twice count
// once.
//
// There must be at least one root token, and each must pass
// [CheckRootToken]: the error matches ErrRootToken or ErrChecksum and
// names the position of the bad root token, never the token. An empty
// serviceID is an error matching ErrServiceID. Of the options, WithClock
// and WithLeeway apply.
func NewVerifier(serviceID string, roots []string, opts ...ConfigOption) (*Verifier, error) {
	const op = "new verifier"
	if serviceID == "" {
		return nil, &opError{op: op, kind: ErrServiceID}
	}
	if len(roots) == 0 {
		return nil, &opError{op: op, kind: ErrRootToken, detail: "no root tokens"}
	}
	keys := make(map[string]verificationKey, len(roots))
	headers := make(map[string]*macPool, len(roots))
	for i, root := range roots {
		if kind, detail := checkRoot(root); kind != nil {
			return nil, &opError{op: op, kind: kind, detail: fmt.Sprintf("root token %d: %s", i+1, detail)}
		}
		key, err := deriveKey(root, serviceID)
		if err != nil {
			return nil, err
		}
		kid := RootTokenID(root)
		if old, ok := keys[kid]; ok {
			if !hmac.Equal(old.key.bytes(), key) {
				// Two distinct root tokens whose 96-bit key ids collide:
				// one of them could never verify its tokens.
				return nil, &opError{op: op, kind: ErrRootToken, detail: fmt.Sprintf("root token %d: key id of an earlier root token", i+1)}
			}
			continue // the same root token again
		}
		keys[kid] = verificationKey{alg: algHS256, key: newSecretKey(key)}
		headers[encodedHeader(kid)] = newMACPool(key)
	}
	cfg := newConfig(opts)
	v := &Verifier{
		serviceID: serviceID,
		keys:      keys,
		kids:      slices.Sorted(maps.Keys(keys)),
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{algHS256}),
			jwt.WithStrictDecoding(),
			jwt.WithLeeway(cfg.leeway),
			jwt.WithTimeFunc(cfg.now),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithAudience(serviceID),
		),
		headers: headers,
		now:     cfg.now,
		leeway:  cfg.leeway,
	}
	v.keyfunc = v.lookupKey
	return v, nil
}

// Verify checks tok and returns its claims. The Claims are new on every
// call and belong to the caller.
//
// Every error matches ErrInvalid and the sentinel of its cause
// (ErrMalformed, ErrSignature, ErrExpired, ErrNotYetValid, ErrAlgorithm,
// ErrKeyID, ErrHeader, ErrAudience or ErrClaims). No error contains the
// token. The checks run in this order: size and shape; base64url and the
// JSON types of header and claims; alg; the other header parameters and
// kid; the signature; the claims. So a token that is both badly signed and
// expired reports ErrSignature, and nothing a token claims is looked at
// before its signature has been checked.
//
// A token whose header is the one [Signer.Sign] writes is decoded and
// checked by hand, without reflection; any other goes through golang-jwt.
// Both ways give every token the same verdict and the same cause.
func (v *Verifier) Verify(tok string) (*Claims, error) {
	first, second, err := precheck(tok)
	if err != nil {
		return nil, err
	}
	if mac, ok := v.headers[tok[:first]]; ok {
		if claims, err := v.verifyFast(tok, first, second, mac); err != errFallback {
			return claims, err
		}
	}
	return v.verifyJWT(tok)
}

// verifyFull is Verify without the fast path: precheck, then golang-jwt.
// The tests hold the fast path to it.
func (v *Verifier) verifyFull(tok string) (*Claims, error) {
	if _, _, err := precheck(tok); err != nil {
		return nil, err
	}
	return v.verifyJWT(tok)
}

// verifyJWT verifies a token that precheck has passed with golang-jwt.
func (v *Verifier) verifyJWT(tok string) (*Claims, error) {
	claims := new(Claims)
	t, err := v.parser.ParseWithClaims(tok, claims, v.keyfunc)
	if err != nil {
		return nil, v.classify(t, claims, err)
	}
	if err := v.checkClaims(claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// Errors of the checks made before any decoding. They are built once, so
// refusing a flood of bytes allocates nothing.
var (
	errTooLong      = invalid(ErrMalformed, fmt.Sprintf("longer than %d bytes", maxTokenLen))
	errSegments     = invalid(ErrMalformed, "not three dot-separated parts")
	errAlphabet     = invalid(ErrMalformed, "character outside the base64url alphabet")
	errEmptyHeader  = invalid(ErrMalformed, "empty header")
	errEmptyPayload = invalid(ErrMalformed, "empty payload")
)

// precheck refuses, before any decoding and without allocating, what
// cannot be a compact JWS of ours: more than 8 KiB, other than three
// dot-separated parts, an empty header or payload, or a byte outside the
// unpadded base64url alphabet (which rules out padding and the JSON
// serialization of a JWS). An empty signature is left to the signature
// check, which refuses it with the right cause: ErrAlgorithm for
// alg "none", ErrSignature otherwise. It returns the offsets of the two
// dots.
func precheck(tok string) (first, second int, err error) {
	if len(tok) > maxTokenLen {
		return 0, 0, errTooLong
	}
	dots := 0
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c == '.':
			dots++
			switch dots {
			case 1:
				first = i
			case 2:
				second = i
			default:
				return 0, 0, errSegments
			}
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return 0, 0, errAlphabet
		}
	}
	switch {
	case dots != 2:
		return 0, 0, errSegments
	case first == 0:
		return 0, 0, errEmptyHeader
	case second == first+1:
		return 0, 0, errEmptyPayload
	}
	return first, second, nil
}

// Errors of the header checks.
var (
	errCrit        = invalid(ErrHeader, `"crit" header present`)
	errTyp         = invalid(ErrHeader, `"typ" header is not "JWT"`)
	errKeyHeader   = invalid(ErrHeader, `key-locating header (jku, x5u, jwk or x5c) present`)
	errNoKid       = invalid(ErrKeyID, `no "kid" header`)
	errKidType     = invalid(ErrKeyID, `"kid" header is not a string`)
	errUnknownKid  = invalid(ErrKeyID, `"kid" names no key of this verifier`)
	errAlgMismatch = invalid(ErrAlgorithm, `"alg" is not the algorithm of the key`)
)

// lookupKey is the golang-jwt Keyfunc: it checks the header and returns
// the key named by kid. golang-jwt has already refused every alg other
// than HS256.
func (v *Verifier) lookupKey(t *jwt.Token) (any, error) {
	h := t.Header
	if _, ok := h["crit"]; ok {
		return nil, errCrit
	}
	for _, name := range [...]string{"jku", "x5u", "jwk", "x5c"} {
		if _, ok := h[name]; ok {
			return nil, errKeyHeader
		}
	}
	if typ, ok := h["typ"]; ok && typ != "JWT" {
		return nil, errTyp
	}
	raw, ok := h["kid"]
	if !ok {
		return nil, errNoKid
	}
	kid, ok := raw.(string)
	if !ok {
		return nil, errKidType
	}
	k, ok := v.keys[kid]
	if !ok {
		return nil, errUnknownKid
	}
	if t.Method == nil || t.Method.Alg() != k.alg {
		return nil, errAlgMismatch
	}
	return k.key.bytes(), nil
}

// Errors for golang-jwt's verdicts.
var (
	errEncoding      = invalid(ErrMalformed, "bad base64url or JSON")
	errAlgUnknown    = invalid(ErrAlgorithm, `"alg" missing or unknown`)
	errAlgNotAllowed = invalid(ErrAlgorithm, `"alg" is not HS256`)
	errBadSignature  = invalid(ErrSignature, "")
	errExpired       = invalid(ErrExpired, "")
	errNotBefore     = invalid(ErrNotYetValid, `"nbf" is in the future`)
	errIssuedLater   = invalid(ErrNotYetValid, `"iat" is in the future`)
	errAudience      = invalid(ErrAudience, `"aud" does not name this service`)
	errClaims        = invalid(ErrClaims, "")
	errUnknown       = invalid(ErrInvalid, "")
)

// classify maps an error of golang-jwt's ParseWithClaims to ours. Errors of
// lookupKey and Claims.UnmarshalJSON come back as they are; golang-jwt's
// own messages are dropped, since some quote parts of the token.
//
// golang-jwt checks the signature before the claims, so an expired token
// with a bad signature reports ErrSignature (CVE-2024-51744).
func (v *Verifier) classify(t *jwt.Token, claims *Claims, err error) error {
	if oe, ok := isInvalid(err); ok {
		return oe
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return errEncoding
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// Not from lookupKey (handled above): alg missing, not a string,
		// or not an algorithm golang-jwt knows ("None", "NONE", ...).
		return errAlgUnknown
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		// golang-jwt reports an alg outside WithValidMethods ("none",
		// "HS384", "RS256", ...) as an invalid signature, before looking
		// up any key. Only an HS256 token reaches the HMAC check.
		if t == nil || t.Method == nil || t.Method.Alg() != algHS256 {
			return errAlgNotAllowed
		}
		return errBadSignature
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		// The signature is good. Our own claim checks name the cause more
		// precisely than golang-jwt's (a missing aud, say), so they go
		// first; then the time checks, which only golang-jwt makes.
		if cerr := v.checkClaims(claims); cerr != nil {
			return cerr
		}
		switch {
		case errors.Is(err, jwt.ErrTokenExpired):
			return errExpired
		case errors.Is(err, jwt.ErrTokenNotValidYet):
			return errNotBefore
		case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
			return errIssuedLater
		case errors.Is(err, jwt.ErrTokenInvalidAudience):
			return errAudience
		}
		return errClaims
	}
	return errUnknown
}

// checkClaims applies the claim rules golang-jwt does not: every claim of
// a node token present and non-empty, aud and projectId naming this
// service, sub equal to userId, and userId and modelName as Sign requires
// them.
func (v *Verifier) checkClaims(c *Claims) error {
	for _, claim := range [...]struct {
		name    string
		missing bool
	}{
		{claimNodeID, c.NodeID == ""},
		{claimSubject, c.Subject == ""},
		{claimModelType, c.ModelType == ""},
		{claimServiceID, c.ServiceID == ""},
		{claimAudience, c.Audience == nil},
		{claimIssuedAt, c.IssuedAt == nil},
		{claimExpiresAt, c.ExpiresAt == nil},
		{claimID, c.ID == ""},
	} {
		if claim.missing {
			return invalid(ErrClaims, fmt.Sprintf("%q missing or empty", claim.name))
		}
	}
	if !slices.Contains(c.Audience, v.serviceID) {
		return errAudience
	}
	if c.ServiceID != v.serviceID {
		return invalid(ErrAudience, `"projectId" is not this service`)
	}
	if c.Subject != c.NodeID {
		return invalid(ErrClaims, `"sub" and "userId" disagree`)
	}
	if why := checkNodeID(c.NodeID); why != "" {
		return invalid(ErrClaims, `"userId": `+why)
	}
	if why := checkModelType(c.ModelType); why != "" {
		return invalid(ErrClaims, `"modelName": `+why)
	}
	return nil
}

// String describes v by its service id and key ids, without any secret.
func (v *Verifier) String() string {
	if v == nil {
		return "token.Verifier(nil)"
	}
	return fmt.Sprintf("token.Verifier{service: %q, kids: [%s]}", v.serviceID, strings.Join(v.kids, " "))
}

// GoString is String, so that %#v shows no secret either.
func (v *Verifier) GoString() string { return v.String() }

// Format writes String for every verb, so that no fmt verb reaches the
// keys by reflection.
func (v *Verifier) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, v.String()) }

// LogValue logs the service id and key ids, without any secret.
func (v *Verifier) LogValue() slog.Value {
	if v == nil {
		return slog.StringValue(v.String())
	}
	return slog.GroupValue(slog.String("service", v.serviceID), slog.Any("kids", v.kids))
}
