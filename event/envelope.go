package event

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// decodeEnvelope decodes an API Gateway proxy event (payload format 1.0 or
// 2.0) whose body is a function event. Errors inside the body are reported
// under "body", as in "event: body: context.graphcool.serviceId: want
// string, got number".
func decodeEnvelope(env object) (*Event, error) {
	raw := env.fields["body"]
	if kindOf(raw) != "string" {
		return nil, wrongType("body", "string", raw)
	}
	var body string
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, malformed("body", "malformed JSON")
	}
	encoded, err := env.boolean("isBase64Encoded")
	if err != nil {
		return nil, err
	}
	data := []byte(body)
	if encoded {
		if data, err = base64.StdEncoding.DecodeString(body); err != nil {
			return nil, malformed("body", "invalid base64")
		}
	}
	req, err := envelopeRequest(env)
	if err != nil {
		return nil, err
	}

	inner, err := decodeObject(data, "")
	if err != nil {
		return nil, inBody(err)
	}
	if !inner.present("context") && !inner.present("data") {
		return nil, malformed("body", "no data or context")
	}
	ev, err := decodeEvent(inner)
	if err != nil {
		return nil, inBody(err)
	}
	if isZeroRequest(ev.Context.Request) { // absent, null or {}
		ev.Context.Request = req
	}
	return ev, nil
}

// envelopeRequest reads the request an envelope describes. Version 1.0 has
// httpMethod and requestContext.identity.sourceIp, version 2.0
// requestContext.http.method and requestContext.http.sourceIp; both have
// headers.
func envelopeRequest(env object) (r Request, err error) {
	rc, err := env.object("requestContext")
	if err != nil {
		return r, err
	}
	identity, err := rc.object("identity")
	if err != nil {
		return r, err
	}
	httpInfo, err := rc.object("http")
	if err != nil {
		return r, err
	}
	if r.HTTPMethod, err = firstString(env, "httpMethod", httpInfo, "method"); err != nil {
		return r, err
	}
	if r.SourceIP, err = firstString(identity, "sourceIp", httpInfo, "sourceIp"); err != nil {
		return r, err
	}
	r.Headers, err = env.stringMap("headers")
	return r, err
}

// firstString returns the field a of o, or the field b of p when that is
// empty. Both must be strings, absent or null.
func firstString(o object, a string, p object, b string) (string, error) {
	s, err := o.string(a)
	if err != nil {
		return "", err
	}
	t, err := p.string(b)
	if err != nil || s != "" {
		return s, err
	}
	return t, nil
}

func isZeroRequest(r Request) bool {
	return r.SourceIP == "" && r.HTTPMethod == "" && len(r.Headers) == 0
}

// inBody marks an error of the event inside an envelope's body as such.
func inBody(err error) error {
	var de *decodeError
	if !errors.As(err, &de) {
		return err
	}
	inner := *de
	inner.where = strings.TrimSuffix("body: "+de.where, ": ")
	return &inner
}
