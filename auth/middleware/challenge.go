package middleware

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The error codes of RFC 6750 §3.1, as given to an [ErrorHandler] and sent
// in the WWW-Authenticate challenge. A request that sent no credentials is
// refused without a code ("").
const (
	// CodeInvalidRequest: the request is malformed, for instance it has
	// two Authorization headers. Sent with 400 Bad Request.
	CodeInvalidRequest = "invalid_request"
	// CodeInvalidToken: the token is malformed, expired, revoked or
	// otherwise refused by the Verifier. Sent with 401 Unauthorized.
	CodeInvalidToken = "invalid_token"
	// CodeInsufficientScope: the caller is authenticated but a guard does
	// not allow it. Sent with 403 Forbidden.
	CodeInsufficientScope = "insufficient_scope"
)

// challenges holds the WWW-Authenticate values of one realm, built once.
type challenges struct {
	none, invalidRequest, invalidToken, insufficientScope string
}

// newChallenges builds the RFC 6750 §3 challenges for realm.
func newChallenges(realm string) challenges {
	var params []string
	if realm != "" {
		params = append(params, "realm="+quote(realm))
	}
	build := func(code string) string {
		p := params
		if code != "" {
			p = append(p[:len(p):len(p)], `error="`+code+`"`)
		}
		if len(p) == 0 {
			return "Bearer"
		}
		return "Bearer " + strings.Join(p, ", ")
	}
	return challenges{
		none:              build(""),
		invalidRequest:    build(CodeInvalidRequest),
		invalidToken:      build(CodeInvalidToken),
		insufficientScope: build(CodeInsufficientScope),
	}
}

// header returns the challenge for code.
func (c *challenges) header(code string) string {
	switch code {
	case CodeInvalidRequest:
		return c.invalidRequest
	case CodeInvalidToken:
		return c.invalidToken
	case CodeInsufficientScope:
		return c.insufficientScope
	default:
		return c.none
	}
}

// quote returns s as an RFC 9110 quoted-string, with '"' and '\' escaped.
// s has been checked by checkRealm.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// checkRealm reports an error when realm cannot be sent as a quoted-string:
// it holds a control character other than horizontal tab.
func checkRealm(realm string) error {
	for i := 0; i < len(realm); i++ {
		if c := realm[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return fmt.Errorf("realm holds a control character at byte %d", i)
		}
	}
	return nil
}

// refuse answers r with status and the RFC 6750 error code: it sets the
// WWW-Authenticate challenge and lets the error handler write the rest,
// giving it a copy of r without credentials.
func (c *config) refuse(w http.ResponseWriter, r *http.Request, status int, code string) {
	w.Header().Set("WWW-Authenticate", c.challenges.header(code))
	c.onError(w, withoutCredentials(r.Context(), r, c.cookie), status, code)
}

// writeJSONError is the default ErrorHandler: {"error":"<code>"}, or
// {"error":"unauthorized"} when no credentials were sent.
func writeJSONError(w http.ResponseWriter, _ *http.Request, status int, code string) {
	if code == "" {
		code = "unauthorized"
	}
	// Marshal cannot fail on a struct holding one string.
	body, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{code})
	body = append(body, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
