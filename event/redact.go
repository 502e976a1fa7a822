package event

import (
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
)

// The types that hold a token, directly or not, format themselves: fmt
// reaches every field by reflection, so a type that held a token and did
// not would print it. Each one prints a copy of itself with every secret
// below it replaced by [redacted], through a type with the same fields and
// no methods (so that fmt prints it field by field, and the verb, flags,
// width and precision still apply). The copy is redacted all the way down
// because fmt stops calling Format methods once it meets a verb that does
// not suit a value (it prints "%!verb(type=value)" raw). Empty secrets
// stay empty, so a missing token can be told from a present one.
//
// %p is the one verb this cannot cover: at the top level fmt handles it
// before consulting Format, and prints a struct value given to it raw. go
// vet reports %p with a non-pointer argument.
//
// Logging goes through LogValue. slog's JSON handler encodes values that
// are not LogValuers with encoding/json, which keeps the tokens: a value of
// ours logged inside a map or struct of the caller's is encoded that way.

// redacted replaces a secret in everything this package prints or logs.
const redacted = "[redacted]"

// mask returns s redacted, or "" when s is empty.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// sensitiveHeader reports whether the values of the request header name
// are credentials.
func sensitiveHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token":
		return true
	}
	return false
}

// formatRedacted writes fields (a redacted copy, of a type without
// methods) for the verb, or goString for %#v.
func formatRedacted(f fmt.State, verb rune, fields any, goString func() string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, goString())
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), fields)
}

// appendString appends the attribute key=value unless value is empty.
func appendString(attrs []slog.Attr, key, value string) []slog.Attr {
	if value == "" {
		return attrs
	}
	return append(attrs, slog.String(key, value))
}

// Graphcool.

type graphcoolFields Graphcool

func (g Graphcool) redacted() Graphcool {
	g.RootToken = mask(g.RootToken)
	g.PAT = mask(g.PAT)
	return g
}

// Format implements [fmt.Formatter]: every verb prints g with RootToken
// and PAT as [redacted].
func (g Graphcool) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, graphcoolFields(g.redacted()), g.GoString)
}

// String returns g as %v prints it, with its tokens as [redacted].
func (g Graphcool) String() string {
	return fmt.Sprint(graphcoolFields(g.redacted()))
}

// GoString returns g as Go syntax, as %#v prints it, with its tokens as
// [redacted].
func (g Graphcool) GoString() string {
	r := g.redacted()
	return fmt.Sprintf("event.Graphcool{RootToken:%q, PAT:%q, ServiceID:%q, ProjectID:%q, Alias:%q, Endpoints:%#v}",
		r.RootToken, r.PAT, r.ServiceID, r.ProjectID, r.Alias, r.Endpoints)
}

// LogValue implements [slog.LogValuer]: a group of the non-empty fields,
// under their JSON names, with the tokens as [redacted].
func (g Graphcool) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 6)
	attrs = appendString(attrs, "rootToken", mask(g.RootToken))
	attrs = appendString(attrs, "pat", mask(g.PAT))
	attrs = appendString(attrs, "serviceId", g.ServiceID)
	attrs = appendString(attrs, "projectId", g.ProjectID)
	attrs = appendString(attrs, "alias", g.Alias)
	ep := make([]slog.Attr, 0, 4)
	ep = appendString(ep, "simple", g.Endpoints.Simple)
	ep = appendString(ep, "relay", g.Endpoints.Relay)
	ep = appendString(ep, "system", g.Endpoints.System)
	ep = appendString(ep, "subscriptions", g.Endpoints.Subscriptions)
	if len(ep) > 0 {
		attrs = append(attrs, slog.Attr{Key: "endpoints", Value: slog.GroupValue(ep...)})
	}
	return slog.GroupValue(attrs...)
}

// Auth.

type authFields Auth

func (a Auth) redacted() Auth {
	a.Token = mask(a.Token)
	return a
}

// Format implements [fmt.Formatter]: every verb prints a with Token as
// [redacted]. A nil *Auth prints as <nil>.
func (a Auth) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, authFields(a.redacted()), a.GoString)
}

// String returns a as %v prints it, with its token as [redacted].
func (a Auth) String() string {
	return fmt.Sprint(authFields(a.redacted()))
}

// GoString returns a as Go syntax, as %#v prints it, with its token as
// [redacted].
func (a Auth) GoString() string {
	r := a.redacted()
	return fmt.Sprintf("event.Auth{NodeID:%q, TypeName:%q, Token:%q}", r.NodeID, r.TypeName, r.Token)
}

// LogValue implements [slog.LogValuer]: a group of the non-empty fields,
// under their JSON names, with the token as [redacted].
func (a Auth) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 3)
	attrs = appendString(attrs, "nodeId", a.NodeID)
	attrs = appendString(attrs, "typeName", a.TypeName)
	attrs = appendString(attrs, "token", mask(a.Token))
	return slog.GroupValue(attrs...)
}

// Request.

type requestFields Request

// redacted returns r with the values of its credential-bearing headers
// masked, in a copy of the header map when there are any.
func (r Request) redacted() Request {
	for name, value := range r.Headers {
		if sensitiveHeader(name) && value != "" {
			headers := make(map[string]string, len(r.Headers))
			for k, v := range r.Headers {
				if sensitiveHeader(k) {
					v = mask(v)
				}
				headers[k] = v
			}
			r.Headers = headers
			break
		}
	}
	return r
}

// Format implements [fmt.Formatter]: every verb prints r with the values
// of credential-bearing headers as [redacted].
func (r Request) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, requestFields(r.redacted()), r.GoString)
}

// String returns r as %v prints it, with the values of credential-bearing
// headers as [redacted].
func (r Request) String() string {
	return fmt.Sprint(requestFields(r.redacted()))
}

// GoString returns r as Go syntax, as %#v prints it, with the values of
// credential-bearing headers as [redacted].
func (r Request) GoString() string {
	x := r.redacted()
	return fmt.Sprintf("event.Request{SourceIP:%q, Headers:%#v, HTTPMethod:%q}", x.SourceIP, x.Headers, x.HTTPMethod)
}

// LogValue implements [slog.LogValuer]: a group of the non-empty fields,
// under their JSON names, the headers in name order and the values of
// credential-bearing ones as [redacted].
func (r Request) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 3)
	attrs = appendString(attrs, "sourceIp", r.SourceIP)
	attrs = appendString(attrs, "httpMethod", r.HTTPMethod)
	if len(r.Headers) > 0 {
		x := r.redacted()
		headers := make([]slog.Attr, 0, len(x.Headers))
		for _, name := range slices.Sorted(maps.Keys(x.Headers)) {
			headers = append(headers, slog.String(name, x.Headers[name]))
		}
		attrs = append(attrs, slog.Attr{Key: "headers", Value: slog.GroupValue(headers...)})
	}
	return slog.GroupValue(attrs...)
}

// Context.

type contextFields Context

// redacted returns a deep copy of c as far as its secrets go: its request,
// service and caller redacted (the maps of environment and session cache
// are shared).
func (c Context) redacted() Context {
	c.Request = c.Request.redacted()
	c.Graphcool = c.Graphcool.redacted()
	if c.Auth != nil {
		a := c.Auth.redacted()
		c.Auth = &a
	}
	return c
}

// Format implements [fmt.Formatter]: every verb prints c with its tokens
// as [redacted].
func (c Context) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, contextFields(c.redacted()), c.GoString)
}

// String returns c as %v prints it, with every token as [redacted].
func (c Context) String() string {
	return fmt.Sprint(contextFields(c.redacted()))
}

// GoString returns c as Go syntax, as %#v prints it, with every token as
// [redacted].
func (c Context) GoString() string {
	auth := "(*event.Auth)(nil)"
	if c.Auth != nil {
		auth = "&" + c.Auth.GoString()
	}
	return fmt.Sprintf("event.Context{Request:%s, Graphcool:%s, Environment:%#v, Auth:%s, SessionCache:%#v}",
		c.Request.GoString(), c.Graphcool.GoString(), c.Environment, auth, c.SessionCache)
}

// LogValue implements [slog.LogValuer]: the request, the service and the
// caller as their own LogValue methods give them, and the names (not the
// values) of the environment variables and session cache entries, since
// those values are often secrets.
func (c Context) LogValue() slog.Value {
	attrs := []slog.Attr{
		{Key: "request", Value: c.Request.LogValue()},
		{Key: "graphcool", Value: c.Graphcool.LogValue()},
	}
	if c.Auth != nil {
		attrs = append(attrs, slog.Attr{Key: "auth", Value: c.Auth.LogValue()})
	}
	if len(c.Environment) > 0 {
		attrs = append(attrs, slog.Any("environment", slices.Sorted(maps.Keys(c.Environment))))
	}
	if len(c.SessionCache) > 0 {
		attrs = append(attrs, slog.Any("sessionCache", slices.Sorted(maps.Keys(c.SessionCache))))
	}
	return slog.GroupValue(attrs...)
}

// Event.

type eventFields Event

// Format implements [fmt.Formatter]: every verb prints e with its tokens
// as [redacted]. Data prints as fmt prints a []byte.
func (e Event) Format(f fmt.State, verb rune) {
	e.Context = e.Context.redacted()
	formatRedacted(f, verb, eventFields(e), e.GoString)
}

// String returns e as %v prints it, with every token as [redacted].
func (e Event) String() string {
	e.Context = e.Context.redacted()
	return fmt.Sprint(eventFields(e))
}

// GoString returns e as Go syntax, as %#v prints it, with every token as
// [redacted].
func (e Event) GoString() string {
	return fmt.Sprintf("event.Event{Data:%#v, Context:%s}", e.Data, e.Context.GoString())
}

// LogValue implements [slog.LogValuer]: the size of the data in bytes
// (the data itself is the caller's input and may hold a password; log it
// explicitly where that is safe) and the context as [Context.LogValue]
// gives it. Without this method, slog's JSON handler would encode the
// event with encoding/json, tokens included.
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("dataBytes", len(e.Data)),
		slog.Attr{Key: "context", Value: e.Context.LogValue()},
	)
}
