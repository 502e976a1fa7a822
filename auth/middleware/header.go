package middleware

import (
	"context"
	"net/http"
	"strings"
)

// maxTokenLen bounds the bearer token the middleware hands to a Verifier.
// The token package refuses node tokens over 8 KiB and root tokens are far
// shorter, so a longer token is refused as bad credentials without its
// characters being read.
const maxTokenLen = 16 << 10

// maxValueLen bounds an Authorization header value: the scheme, the spaces
// and the token. A longer value is refused before any of it is read, so the
// work done on a huge header does not grow with its size.
const maxValueLen = maxTokenLen + 64

// reason says what the middleware found in a request's credentials. The
// zero reason means a token was found.
type reason uint8

const (
	// reasonToken: exactly one well-formed bearer token.
	reasonToken reason = iota
	// reasonMissing: no Authorization header (nor token cookie).
	reasonMissing
	// reasonMultiple: more than one Authorization header, more than one
	// token cookie, or both a header and a cookie (RFC 6750 §2: one method,
	// one token). A malformed request, never resolved by picking one.
	reasonMultiple
	// reasonEmpty: an Authorization header or token cookie with nothing in
	// it, or the scheme without a token.
	reasonEmpty
	// reasonScheme: an authentication scheme other than Bearer.
	reasonScheme
	// reasonSyntax: not exactly `Bearer 1*SP b64token`.
	reasonSyntax
	// reasonTooLong: a token longer than maxTokenLen.
	reasonTooLong
	// reasonRejected: the Verifier returned an error.
	reasonRejected
	// reasonNoIdentity: the Verifier accepted the token but returned
	// neither a Node nor a Root identity.
	reasonNoIdentity
	// reasonNotAllowed: a guard refused an authenticated caller.
	reasonNotAllowed

	numReasons
)

// String returns the reason as it appears in logs.
func (r reason) String() string {
	switch r {
	case reasonToken:
		return "token"
	case reasonMissing:
		return "no_credentials"
	case reasonMultiple:
		return "multiple_credentials"
	case reasonEmpty:
		return "empty_credentials"
	case reasonScheme:
		return "unsupported_scheme"
	case reasonSyntax:
		return "malformed_credentials"
	case reasonTooLong:
		return "token_too_long"
	case reasonRejected:
		return "token_rejected"
	case reasonNoIdentity:
		return "no_identity"
	case reasonNotAllowed:
		return "not_allowed"
	default:
		return "unknown"
	}
}

// malformedRequest reports whether the reason makes the request itself
// malformed (400 invalid_request) rather than its credentials bad.
func (r reason) malformedRequest() bool { return r == reasonMultiple }

// parseAuthorization extracts the bearer token from the values of a
// request's Authorization header. No value is reasonMissing and two or more
// are reasonMultiple: the first is never taken. The token returned is a
// substring of the single value; nothing is allocated.
func parseAuthorization(values []string) (string, reason) {
	switch len(values) {
	case 0:
		return "", reasonMissing
	case 1:
		return parseBearer(values[0])
	default:
		return "", reasonMultiple
	}
}

// parseBearer parses one Authorization field value by RFC 6750 §2.1:
//
//	credentials = "Bearer" 1*SP b64token
//	b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// The scheme is matched case-insensitively (RFC 9110 §11.1). Nothing may
// follow the token, not even white space. The value is read by index, no
// more than maxValueLen bytes of it, and nothing is allocated.
func parseBearer(v string) (string, reason) {
	const scheme = "Bearer"
	switch {
	case v == "":
		return "", reasonEmpty
	case len(v) > maxValueLen:
		return "", reasonTooLong
	case len(v) < len(scheme) || !strings.EqualFold(v[:len(scheme)], scheme):
		return "", reasonScheme
	case len(v) > len(scheme) && v[len(scheme)] != ' ':
		// "Bearerx…" names another scheme; "Bearer\t…" is not 1*SP.
		return "", reasonScheme
	}
	i := len(scheme)
	for i < len(v) && v[i] == ' ' {
		i++
	}
	tok := v[i:]
	switch {
	case tok == "":
		// "Bearer" alone, or followed by spaces only.
		return "", reasonEmpty
	case len(tok) > maxTokenLen:
		return "", reasonTooLong
	case !isB64Token(tok):
		return "", reasonSyntax
	}
	return tok, reasonToken
}

// isB64Token reports whether s is a b64token: one or more characters of
// [A-Za-z0-9-._~+/] followed by zero or more '='.
//
// Every request's token goes through it, so it is written for speed: the
// padding is trimmed first, since '=' is not a b64token character before
// it, and the rest is checked eight bytes at a time against a table,
// without a branch per byte.
func isB64Token(s string) bool {
	n := len(s)
	for n > 0 && s[n-1] == '=' {
		n--
	}
	if n == 0 {
		return false
	}
	b := s[:n]
	var bad uint8
	for len(b) >= 8 {
		bad |= notB64[b[0]] | notB64[b[1]] | notB64[b[2]] | notB64[b[3]] |
			notB64[b[4]] | notB64[b[5]] | notB64[b[6]] | notB64[b[7]]
		b = b[8:]
	}
	for i := 0; i < len(b); i++ {
		bad |= notB64[b[i]]
	}
	return bad == 0
}

// isB64Char reports whether c may appear in a b64token before its padding.
func isB64Char(c byte) bool { return notB64[c] == 0 }

// notB64 is 1 for the bytes that may not appear in a b64token before its
// padding, 0 for [A-Za-z0-9-._~+/].
var notB64 = func() (t [256]uint8) {
	for c := range t {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			t[c] = 1
		}
	}
	return t
}()

// credentials finds the bearer token of r: in its Authorization header and,
// when cookie is not empty, in the cookie of that name. A token present in
// both places, in two headers or in two cookies is reasonMultiple.
func credentials(r *http.Request, cookie string) (string, reason) {
	// The canonical key, looked up directly: Header.Values would
	// canonicalize it again on every request.
	values := r.Header["Authorization"]
	if cookie == "" {
		return parseAuthorization(values)
	}
	cookies := r.CookiesNamed(cookie)
	switch {
	case len(cookies) == 0:
		return parseAuthorization(values)
	case len(values) > 0 || len(cookies) > 1:
		return "", reasonMultiple
	}
	tok := cookies[0].Value
	switch {
	case tok == "":
		return "", reasonEmpty
	case len(tok) > maxTokenLen:
		return "", reasonTooLong
	case !isB64Token(tok):
		return "", reasonSyntax
	}
	return tok, reasonToken
}

// withoutCredentials returns a clone of r, carrying ctx, from which
// the Authorization header and, when cookie is not empty, every cookie of
// that name have been removed. r itself is not modified.
func withoutCredentials(ctx context.Context, r *http.Request, cookie string) *http.Request {
	r2 := r.Clone(ctx)
	r2.Header.Del("Authorization")
	if cookie != "" {
		removeCookie(r2.Header, cookie)
	}
	return r2
}

// removeCookie deletes every cookie called name from the Cookie header
// lines of h. The other cookies keep their name=value pairs as sent; only
// the separators between them are rewritten as "; ".
func removeCookie(h http.Header, name string) {
	lines := h.Values("Cookie")
	if len(lines) == 0 {
		return
	}
	kept := make([]string, 0, len(lines))
	for _, line := range lines {
		var b strings.Builder
		for part := range strings.SplitSeq(line, ";") {
			p := strings.TrimSpace(part)
			if p == "" {
				continue
			}
			n, _, _ := strings.Cut(p, "=")
			if strings.TrimSpace(n) == name {
				continue
			}
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(p)
		}
		if b.Len() > 0 {
			kept = append(kept, b.String())
		}
	}
	h.Del("Cookie")
	for _, line := range kept {
		h.Add("Cookie", line)
	}
}
