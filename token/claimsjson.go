package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// This file holds the hand-written JSON of the claims: the decoder of the
// fast verification path and the encoder of Sign. Each does, for its
// input, exactly what the general path does with encoding/json, golang-jwt
// and Claims' own JSON methods; fastverify_test.go and claimsjson_test.go
// compare them with it.

// errFallback is returned by the fast path for an input it leaves to the
// general one. It never leaves the package.
var errFallback = errors.New("token: verify: left to the general path")

// claimsBox is a decoded Claims together with what its pointers and slices
// point to, so that decoding one takes a single allocation.
type claimsBox struct {
	claims        Claims
	iat, exp, nbf jwt.NumericDate
	aud           [1]string
}

// Bits of claimsDecoder.wrongType, one per claim with a fixed JSON type.
const (
	bitNodeID = 1 << iota
	bitModelType
	bitServiceID
	bitSubject
	bitID
	bitIssuer
	bitAudience
	bitExpiresAt
	bitIssuedAt
	bitNotBefore
)

// typedClaims names the claims of the bits above, in bit order.
var typedClaims = [...]string{
	claimNodeID, claimModelType, claimServiceID, claimSubject, claimID,
	claimIssuer, claimAudience, claimExpiresAt, claimIssuedAt, claimNotBefore,
}

// claimsDecoder decodes the claims of a token. It accepts exactly the JSON
// that encoding/json accepts (RFC 8259, with invalid UTF-8 in strings
// replaced by U+FFFD) and decodes it as json.Unmarshal into a *Claims does:
// a claims object as Claims.UnmarshalJSON, whose last value counts when a
// name repeats, and null as no claims at all.
type claimsDecoder struct {
	s         string // the claims JSON
	i         int    // offset of the next byte
	syntax    bool   // s is not JSON
	fallback  bool   // s is JSON, but its verdict is left to the general path
	wrongType int    // bits of the claims whose last value has the wrong type
}

// decodeClaims decodes the claims JSON s. The error is errEncoding if s
// is not JSON, an error matching ErrMalformed if it is not an object or a
// claim has the wrong JSON type, and errFallback for a custom claim
// encoding/json would fail to decode (a number beyond float64), whose
// verdict depends on later duplicates.
func decodeClaims(s string) (*Claims, error) {
	d := claimsDecoder{s: s}
	d.space()
	if d.i < len(d.s) && d.s[d.i] == '{' {
		box := new(claimsBox)
		d.object(box)
		d.end()
		switch {
		case d.syntax:
			return nil, errEncoding
		case d.fallback:
			return nil, errFallback
		case d.wrongType != 0:
			for bit, name := range typedClaims {
				if d.wrongType&(1<<bit) != 0 {
					return nil, invalid(ErrMalformed, fmt.Sprintf("claim %q has the wrong JSON type", name))
				}
			}
		}
		return &box.claims, nil
	}
	isNull := strings.HasPrefix(d.s[d.i:], "null")
	d.skip()
	d.end()
	switch {
	case d.syntax:
		return nil, errEncoding
	case isNull:
		// json.Unmarshal leaves the claims empty and reports nothing.
		return new(Claims), nil
	}
	return nil, errClaimsNotObject
}

// end checks that only white space follows the value.
func (d *claimsDecoder) end() {
	d.space()
	if d.i != len(d.s) {
		d.syntax = true
	}
}

// space skips JSON white space.
func (d *claimsDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next byte, or 0 at the end.
func (d *claimsDecoder) peek() byte {
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// consume skips white space and then c, or notes a syntax error.
func (d *claimsDecoder) consume(c byte) {
	d.space()
	if d.peek() != c {
		d.syntax = true
		return
	}
	d.i++
}

// members calls member for every member of the object that starts at d.i
// (at '{'), with the decoder at its value, which member must read.
func (d *claimsDecoder) members(member func(name string)) {
	d.i++ // '{'
	d.space()
	if d.peek() == '}' {
		d.i++
		return
	}
	for !d.syntax {
		d.space()
		if d.peek() != '"' {
			d.syntax = true
			return
		}
		name := d.str()
		d.consume(':')
		if d.syntax {
			return
		}
		d.space()
		member(name)
		d.space()
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return
		default:
			d.syntax = true
		}
	}
}

// object decodes a claims object into box.
func (d *claimsDecoder) object(box *claimsBox) {
	c := &box.claims
	d.members(func(name string) {
		switch name {
		case claimNodeID:
			c.NodeID = d.typedString(bitNodeID)
		case claimModelType:
			c.ModelType = d.typedString(bitModelType)
		case claimServiceID:
			c.ServiceID = d.typedString(bitServiceID)
		case claimSubject:
			c.Subject = d.typedString(bitSubject)
		case claimID:
			c.ID = d.typedString(bitID)
		case claimIssuer:
			c.Issuer = d.typedString(bitIssuer)
		case claimAudience:
			c.Audience = d.audience(box)
		case claimExpiresAt:
			c.ExpiresAt = d.numericDate(bitExpiresAt, &box.exp)
		case claimIssuedAt:
			c.IssuedAt = d.numericDate(bitIssuedAt, &box.iat)
		case claimNotBefore:
			c.NotBefore = d.numericDate(bitNotBefore, &box.nbf)
		default:
			v := d.value()
			if c.Custom == nil {
				c.Custom = make(map[string]any)
			}
			c.Custom[name] = v
		}
	})
}

// typed records whether the last value of the claim of bit had its type.
func (d *claimsDecoder) typed(bit int, ok bool) {
	if ok {
		d.wrongType &^= bit
	} else {
		d.wrongType |= bit
	}
}

// typedString decodes the value of a string claim.
func (d *claimsDecoder) typedString(bit int) string {
	if d.peek() != '"' {
		d.typed(bit, false)
		d.skip()
		return ""
	}
	d.typed(bit, true)
	return d.str()
}

// audience decodes the value of aud: a string, or an array of strings.
func (d *claimsDecoder) audience(box *claimsBox) jwt.ClaimStrings {
	switch d.peek() {
	case '"':
		d.typed(bitAudience, true)
		box.aud[0] = d.str()
		return box.aud[:1:1]
	case '[':
		ok := true
		aud := box.aud[:0:1]
		d.elements(func() {
			if d.peek() != '"' {
				ok = false
				d.skip()
				return
			}
			aud = append(aud, d.str())
		})
		d.typed(bitAudience, ok)
		return jwt.ClaimStrings(aud)
	}
	d.typed(bitAudience, false)
	d.skip()
	return nil
}

// numericDate decodes the value of a NumericDate claim into date.
func (d *claimsDecoder) numericDate(bit int, date *jwt.NumericDate) *jwt.NumericDate {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		d.typed(bit, false)
		d.skip()
		return nil
	}
	t, ok := parseNumericDate(d.number())
	d.typed(bit, ok)
	date.Time = t
	return date
}

// parseNumericDate converts a JSON number of seconds to a time, under the
// rules of decodeNumericDate.
func parseNumericDate(num string) (time.Time, bool) {
	// Up to 15 digits, a whole number below 2^53: float64 holds it
	// exactly, so this is what ParseFloat and Modf would give.
	if n := len(num); n > 0 && n <= 15 {
		var sec int64
		i := 0
		for ; i < n && '0' <= num[i] && num[i] <= '9'; i++ {
			sec = sec*10 + int64(num[i]-'0')
		}
		if i == n {
			return time.Unix(sec, 0), true
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxNumericDate {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// elements calls element for every element of the array that starts at
// d.i (at '['), with the decoder at the element, which element must read.
func (d *claimsDecoder) elements(element func()) {
	d.i++ // '['
	d.space()
	if d.peek() == ']' {
		d.i++
		return
	}
	for !d.syntax {
		d.space()
		element()
		d.space()
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.syntax = true
		}
	}
}

// value decodes any JSON value as json.Unmarshal into an any does.
func (d *claimsDecoder) value() any {
	switch c := d.peek(); {
	case c == '{':
		m := make(map[string]any)
		d.members(func(name string) { m[name] = d.value() })
		return m
	case c == '[':
		a := make([]any, 0)
		d.elements(func() { a = append(a, d.value()) })
		return a
	case c == '"':
		return d.str()
	case c == '-' || ('0' <= c && c <= '9'):
		f, err := strconv.ParseFloat(d.number(), 64)
		if err != nil {
			// encoding/json fails on a number beyond float64, unless a later
			// duplicate replaces the claim: left to the general path.
			d.fallback = true
		}
		return f
	case d.literal("true"):
		return true
	case d.literal("false"):
		return false
	case d.literal("null"):
		return nil
	}
	d.syntax = true
	return nil
}

// skip checks the syntax of one JSON value and skips it.
func (d *claimsDecoder) skip() {
	switch c := d.peek(); {
	case c == '{':
		d.members(func(string) { d.skip() })
	case c == '[':
		d.elements(d.skip)
	case c == '"':
		d.str()
	case c == '-' || ('0' <= c && c <= '9'):
		d.number()
	case d.literal("true"), d.literal("false"), d.literal("null"):
	default:
		d.syntax = true
	}
}

// literal skips lit if it comes next.
func (d *claimsDecoder) literal(lit string) bool {
	if strings.HasPrefix(d.s[d.i:], lit) {
		d.i += len(lit)
		return true
	}
	return false
}

// number reads a JSON number (RFC 8259 §6) and returns its text. What may
// follow it is for the caller to check.
func (d *claimsDecoder) number() string {
	start := d.i
	if d.peek() == '-' {
		d.i++
	}
	switch c := d.peek(); {
	case c == '0':
		d.i++
	case '1' <= c && c <= '9':
		d.digits()
	default:
		d.syntax = true
		return ""
	}
	if d.peek() == '.' {
		d.i++
		if !d.digits() {
			d.syntax = true
			return ""
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.i++
		if c := d.peek(); c == '+' || c == '-' {
			d.i++
		}
		if !d.digits() {
			d.syntax = true
			return ""
		}
	}
	return d.s[start:d.i]
}

// digits skips decimal digits and reports whether there was one.
func (d *claimsDecoder) digits() bool {
	start := d.i
	for d.i < len(d.s) && '0' <= d.s[d.i] && d.s[d.i] <= '9' {
		d.i++
	}
	return d.i > start
}

// str reads the JSON string that starts at d.i (at '"') and returns its
// value. A string without escapes in valid UTF-8, as every string Sign
// writes but for a few characters, is returned as a substring of the
// claims without copying.
func (d *claimsDecoder) str() string {
	d.i++ // '"'
	start := d.i
	escaped, ascii := false, true
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			raw := d.s[start:d.i]
			d.i++
			if !escaped && (ascii || utf8.ValidString(raw)) {
				return raw
			}
			return unquote(raw)
		case c == '\\':
			d.i++
			if !d.escape() {
				d.syntax = true
				return ""
			}
			escaped = true
		case c < 0x20:
			d.syntax = true
			return ""
		case c >= utf8.RuneSelf:
			ascii = false
			d.i++
		default:
			d.i++
		}
	}
	d.syntax = true
	return ""
}

// escape skips the rest of an escape sequence, d.i being after its
// backslash, and reports whether it is one JSON allows.
func (d *claimsDecoder) escape() bool {
	switch d.peek() {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		d.i++
		return true
	case 'u':
		if d.i+5 > len(d.s) || hex4(d.s[d.i+1:d.i+5]) < 0 {
			return false
		}
		d.i += 5
		return true
	}
	return false
}

// hex4 returns the value of four hexadecimal digits, or -1.
func hex4(s string) rune {
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// unquote returns the value of the body of a JSON string whose syntax has
// been checked, with encoding/json's repairs: a \u escape of half a UTF-16
// surrogate pair that is not followed by the other half, and every byte
// that is not part of valid UTF-8, become U+FFFD.
func unquote(raw string) string {
	var b strings.Builder
	b.Grow(len(raw) + 2*utf8.UTFMax)
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			switch e := raw[i+1]; e {
			case 'u':
				r := hex4(raw[i+2 : i+6])
				i += 6
				if utf16.IsSurrogate(r) {
					low := rune(-1)
					if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						low = hex4(raw[i+2 : i+6])
					}
					if pair := utf16.DecodeRune(r, low); pair != utf8.RuneError {
						r = pair
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				b.WriteRune(r)
			default:
				b.WriteByte(unescaped[e])
				i += 2
			}
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(raw[i:])
			b.WriteRune(r) // utf8.RuneError for a byte of invalid UTF-8
			i += size
		}
	}
	return b.String()
}

// unescaped maps the letter of a one-letter JSON escape to its byte.
var unescaped = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// customClaim is a custom claim to mint, its value already encoded.
type customClaim struct {
	name  string
	value []byte
}

// appendMintedClaims appends the claims of a minted token, custom sorted
// by name, as Claims.MarshalJSON encodes them: one JSON object, names in
// byte order, aud a single string, NumericDates whole seconds, and every
// string as encoding/json writes it.
func appendMintedClaims(dst []byte, nodeID, modelType, serviceID string, iat, exp int64, jti []byte, custom []customClaim) []byte {
	dst = append(dst, '{')
	// Names in byte order; custom names are never these (isReserved).
	fixed := [...]string{claimAudience, claimExpiresAt, claimIssuedAt, claimID, claimModelType, claimServiceID, claimSubject, claimNodeID}
	for _, name := range fixed {
		for len(custom) > 0 && custom[0].name < name {
			dst = appendMember(dst, custom[0].name)
			dst = append(dst, custom[0].value...)
			custom = custom[1:]
		}
		dst = appendMember(dst, name)
		switch name {
		case claimAudience:
			dst = appendJSONString(dst, serviceID)
		case claimExpiresAt:
			dst = strconv.AppendInt(dst, exp, 10)
		case claimIssuedAt:
			dst = strconv.AppendInt(dst, iat, 10)
		case claimID:
			dst = append(dst, '"')
			dst = base64.RawURLEncoding.AppendEncode(dst, jti)
			dst = append(dst, '"')
		case claimModelType:
			dst = appendJSONString(dst, modelType)
		case claimServiceID:
			dst = appendJSONString(dst, serviceID)
		case claimSubject, claimNodeID:
			dst = appendJSONString(dst, nodeID)
		}
	}
	for _, c := range custom {
		dst = appendMember(dst, c.name)
		dst = append(dst, c.value...)
	}
	return append(dst, '}')
}

// appendMember appends the name of an object member and its colon,
// preceded by a comma unless it is the first: unless dst ends with the
// object's opening brace, which no JSON value ends with.
func appendMember(dst []byte, name string) []byte {
	if dst[len(dst)-1] != '{' {
		dst = append(dst, ',')
	}
	dst = appendJSONString(dst, name)
	return append(dst, ':')
}

// appendJSONString appends s as a JSON string the way encoding/json writes
// it. Printable ASCII other than ", \, <, > and & is copied; a string with
// anything else is left to encoding/json itself.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always encodes
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
