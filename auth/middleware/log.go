package middleware

import (
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/graphcool-go/graphcool-lib/auth"
)

// outcome is what happened to one request, as logged.
type outcome struct {
	status int    // 0 when the request was passed on
	code   string // RFC 6750 error code of a refusal, if any
	id     auth.Identity
	why    reason
	err    error // the Verifier's error; scrubbed before it is logged
}

// log records o with the configured logger, if any. tok is the token the
// request presented, or ""; it is used only to scrub err and is never
// logged itself.
func (c *config) log(r *http.Request, tok string, o outcome) {
	if c.logger == nil {
		return
	}
	level, msg := slog.LevelInfo, "auth: request refused"
	switch {
	case o.status != 0:
	case o.why == reasonToken || o.why == reasonMissing:
		level, msg = slog.LevelDebug, "auth: request identified"
	default:
		msg = "auth: credentials ignored"
	}
	ctx := r.Context()
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("kind", o.id.Kind.String()))
	if o.id.Kind == auth.Node {
		attrs = append(attrs, slog.String("model_type", o.id.ModelType))
	}
	if o.why != reasonToken {
		attrs = append(attrs, slog.String("reason", o.why.String()))
	}
	if o.status != 0 {
		attrs = append(attrs, slog.Int("status", o.status))
	}
	if o.code != "" {
		attrs = append(attrs, slog.String("code", o.code))
	}
	if o.err != nil {
		attrs = append(attrs, slog.String("error", scrub(o.err.Error(), tok)))
	}
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}

const (
	// redacted replaces whatever part of a token an error text holds.
	redacted = "[redacted]"
	// maxErrorLen bounds the error text logged for one request.
	maxErrorLen = 512
	// minLeak is the shortest run of token characters taken for a leak:
	// a run of the message sharing this many consecutive bytes with the
	// token is redacted whole.
	minLeak = 8
)

// scrub removes tok from msg, the text of an error returned by a Verifier
// that may have been written carelessly: every occurrence of tok, then
// every run of b64token characters that shares minLeak consecutive bytes
// with tok (a truncated or split copy of it), becomes "[redacted]". The
// result is at most about maxErrorLen bytes long.
func scrub(msg, tok string) string {
	if tok != "" {
		msg = strings.ReplaceAll(msg, tok, redacted)
	}
	if len(msg) > maxErrorLen {
		n := maxErrorLen
		for n > 0 && !utf8.RuneStart(msg[n]) {
			n--
		}
		msg = msg[:n] + "…"
	}
	if len(tok) < minLeak {
		return msg
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(msg); {
		if !isTokenByte(msg[i]) {
			i++
			continue
		}
		j := i
		for j < len(msg) && isTokenByte(msg[j]) {
			j++
		}
		if j-i >= minLeak && sharesRun(msg[i:j], tok) {
			b.WriteString(msg[last:i])
			b.WriteString(redacted)
			last = j
		}
		i = j
	}
	if last == 0 {
		return msg
	}
	b.WriteString(msg[last:])
	return b.String()
}

// sharesRun reports whether s and tok have minLeak consecutive bytes in
// common.
func sharesRun(s, tok string) bool {
	for i := 0; i+minLeak <= len(s); i++ {
		if strings.Contains(tok, s[i:i+minLeak]) {
			return true
		}
	}
	return false
}

// isTokenByte reports whether c may appear in a b64token.
func isTokenByte(c byte) bool { return c == '=' || isB64Char(c) }
