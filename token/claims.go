package token

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are the claims of a node token.
//
// NodeID (userId) and ModelType (modelName) name the node the token stands
// for, ServiceID (projectId) the service it was minted for. The registered
// claims hold the same node id as sub and the same service id as aud, plus
// iat, exp and jti. Custom holds every other claim, as encoding/json
// decodes it into an any (numbers are float64).
//
// Claims has its own JSON encoding: Custom is flattened into the claims
// object, an aud of one service is a single JSON string (whatever
// golang-jwt's package-level MarshalSingleStringAsArray says), NumericDates
// are whole seconds, and decoding is type-strict: a NumericDate must be a
// JSON number and a string claim a JSON string, or decoding fails with an
// error matching ErrMalformed.
//
// A Claims is plain data: safe for concurrent reads, not for a write
// concurrent with anything else.
type Claims struct {
	NodeID    string         `json:"userId"`
	ModelType string         `json:"modelName"`
	ServiceID string         `json:"projectId"`
	Custom    map[string]any `json:"-"`
	jwt.RegisteredClaims
}

// Claim names. The first three are Graphcool's, the rest RFC 7519's.
const (
	claimNodeID    = "userId"
	claimModelType = "modelName"
	claimServiceID = "projectId"
	claimSubject   = "sub"
	claimAudience  = "aud"
	claimIssuedAt  = "iat"
	claimExpiresAt = "exp"
	claimID        = "jti"
	claimIssuer    = "iss"
	claimNotBefore = "nbf"
)

// reservedClaims are the names a custom claim may not take.
var reservedClaims = [...]string{
	claimNodeID, claimSubject, claimModelType, claimServiceID, claimAudience,
	claimIssuedAt, claimExpiresAt, claimID, claimIssuer, claimNotBefore,
}

// isReserved reports whether a custom claim may not be called name. The
// comparison ignores case the way encoding/json matches object keys to
// struct fields, so that a verifier decoding into a struct (as golang-jwt's
// RegisteredClaims does) cannot read a custom "Sub" or "userid" as the
// real claim.
func isReserved(name string) bool {
	for _, r := range reservedClaims {
		if strings.EqualFold(name, r) {
			return true
		}
	}
	return false
}

// MarshalJSON encodes the claims as one JSON object: userId, modelName and
// projectId always, the registered claims when set, and the custom claims.
// A custom claim with a reserved name is an error matching
// ErrReservedClaim.
func (c Claims) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(c.Custom)+10)
	for name, v := range c.Custom {
		if isReserved(name) {
			return nil, &opError{op: "encode claims", kind: ErrReservedClaim, detail: strconv.Quote(name)}
		}
		m[name] = v
	}
	m[claimNodeID] = c.NodeID
	m[claimModelType] = c.ModelType
	m[claimServiceID] = c.ServiceID
	if c.Subject != "" {
		m[claimSubject] = c.Subject
	}
	switch len(c.Audience) {
	case 0:
	case 1:
		m[claimAudience] = c.Audience[0]
	default:
		m[claimAudience] = []string(c.Audience)
	}
	if c.Issuer != "" {
		m[claimIssuer] = c.Issuer
	}
	if c.IssuedAt != nil {
		m[claimIssuedAt] = c.IssuedAt.Unix()
	}
	if c.NotBefore != nil {
		m[claimNotBefore] = c.NotBefore.Unix()
	}
	if c.ExpiresAt != nil {
		m[claimExpiresAt] = c.ExpiresAt.Unix()
	}
	if c.ID != "" {
		m[claimID] = c.ID
	}
	// encoding/json writes map keys sorted, so equal claims always encode
	// to equal bytes.
	return json.Marshal(m)
}

// UnmarshalJSON decodes a claims object, checking every claim's JSON type:
// userId, modelName, projectId, sub, jti and iss are strings; aud is a
// string or an array of strings; exp, iat and nbf are numbers. Claim names
// match exactly (case-sensitive). Any other claim goes to Custom. A wrong
// type, a null, or anything but an object is an error matching
// ErrMalformed, and c is left unchanged.
func (c *Claims) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return errClaimsNotObject
	}
	var out Claims
	for name, v := range raw {
		var err error
		switch name {
		case claimNodeID:
			out.NodeID, err = decodeString(v)
		case claimModelType:
			out.ModelType, err = decodeString(v)
		case claimServiceID:
			out.ServiceID, err = decodeString(v)
		case claimSubject:
			out.Subject, err = decodeString(v)
		case claimID:
			out.ID, err = decodeString(v)
		case claimIssuer:
			out.Issuer, err = decodeString(v)
		case claimAudience:
			out.Audience, err = decodeAudience(v)
		case claimExpiresAt:
			out.ExpiresAt, err = decodeNumericDate(v)
		case claimIssuedAt:
			out.IssuedAt, err = decodeNumericDate(v)
		case claimNotBefore:
			out.NotBefore, err = decodeNumericDate(v)
		default:
			var x any
			err = json.Unmarshal(v, &x)
			if out.Custom == nil {
				out.Custom = make(map[string]any)
			}
			out.Custom[name] = x
		}
		if err != nil {
			return invalid(ErrMalformed, fmt.Sprintf("claim %q has the wrong JSON type", name))
		}
	}
	*c = out
	return nil
}

var errClaimsNotObject = invalid(ErrMalformed, "claims are not a JSON object")

// errWrongType is returned by the decoders below; UnmarshalJSON turns it
// into an error naming the claim.
var errWrongType = invalid(ErrMalformed, "wrong JSON type")

// decodeString decodes a JSON string, and nothing else.
func decodeString(v json.RawMessage) (string, error) {
	if len(v) == 0 || v[0] != '"' {
		return "", errWrongType
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", errWrongType
	}
	return s, nil
}

// decodeAudience decodes a JSON string or an array of JSON strings. An
// empty array yields an empty, non-nil ClaimStrings, so that it is told
// apart from a missing aud.
func decodeAudience(v json.RawMessage) (jwt.ClaimStrings, error) {
	if len(v) > 0 && v[0] == '"' {
		s, err := decodeString(v)
		if err != nil {
			return nil, err
		}
		return jwt.ClaimStrings{s}, nil
	}
	if len(v) == 0 || v[0] != '[' {
		return nil, errWrongType
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, errWrongType
	}
	aud := make(jwt.ClaimStrings, 0, len(items))
	for _, item := range items {
		s, err := decodeString(item)
		if err != nil {
			return nil, err
		}
		aud = append(aud, s)
	}
	return aud, nil
}

// maxNumericDate bounds a NumericDate in seconds (about 285 million
// years), far inside what int64 and time.Time hold, so no conversion
// below can overflow.
const maxNumericDate = 1 << 53

// decodeNumericDate decodes a JSON number of seconds since the epoch. A
// JSON string, even "123", is refused: golang-jwt's NumericDate accepts
// one, RFC 7519 does not.
func decodeNumericDate(v json.RawMessage) (*jwt.NumericDate, error) {
	// v is one valid JSON value, so a first byte of '-' or a digit means
	// it is a number, whose syntax ParseFloat accepts.
	if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		return nil, errWrongType
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxNumericDate {
		return nil, errWrongType
	}
	sec, frac := math.Modf(f)
	return &jwt.NumericDate{Time: time.Unix(int64(sec), int64(frac*1e9))}, nil
}

// maxNodeIDLen is the longest node id, in bytes.
const maxNodeIDLen = 128

// checkNodeID returns why id is not a valid node id, or "".
func checkNodeID(id string) string {
	switch {
	case id == "":
		return "empty"
	case len(id) > maxNodeIDLen:
		return fmt.Sprintf("%d bytes long, at most %d allowed", len(id), maxNodeIDLen)
	case !utf8.ValidString(id):
		return "not valid UTF-8"
	}
	return ""
}

// checkModelType returns why name is not a GraphQL type name
// (^[_A-Za-z][_0-9A-Za-z]*$), or "".
func checkModelType(name string) string {
	if name == "" {
		return "empty"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c == '_' || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z')
		digit := '0' <= c && c <= '9'
		if !letter && !(digit && i > 0) {
			return "not a GraphQL type name"
		}
	}
	return ""
}
