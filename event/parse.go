package event

import (
	"encoding/json"
	"errors"
)

// MaxEventSize is the largest input, in bytes, that Parse accepts and that
// Handler reads from a request body: 1 MiB.
const MaxEventSize = 1 << 20

// Parse decodes a Graphcool function event: a JSON object with the
// function's input in "data" and the call's context in "context", as
// graphcool-lib's FunctionEvent. Data is kept as raw JSON (JSON null
// becomes nil); decode it with [Event.Bind]. Field names are matched
// exactly, unknown fields are ignored, and a field that is present must
// have the JSON type of the schema or be null.
//
// Parse also accepts the envelope API Gateway delivers to an AWS Lambda
// function: an object without "context" whose "body" is the event as a
// JSON string (base64-encoded when "isBase64Encoded" is true). When the
// event in the body has no context.request, or an empty one, it is filled
// from the envelope: the method from "httpMethod" (or
// "requestContext.http.method"), the source address from
// "requestContext.identity.sourceIp" (or "requestContext.http.sourceIp")
// and the headers from "headers". An object with "context" or "data" is
// always taken as an event, never as an envelope.
//
// Input over [MaxEventSize] bytes fails with an error matching
// [ErrTooLarge] before anything is decoded; anything else that is not an
// event fails with an error matching [ErrMalformed]. Error messages name
// the field and what was wrong with it, and never quote the input.
//
// The returned Event shares no memory with data.
func Parse(data []byte) (*Event, error) {
	if len(data) > MaxEventSize {
		return nil, &sizeError{size: len(data), limit: MaxEventSize}
	}
	top, err := decodeObject(data, "")
	if err != nil {
		return nil, err
	}
	switch {
	case top.present("context") || top.present("data"):
		return decodeEvent(top)
	case top.present("body"):
		return decodeEnvelope(top)
	default:
		return nil, malformed("", "no data or context")
	}
}

// decodeEvent decodes a plain event.
func decodeEvent(top object) (*Event, error) {
	ev := new(Event)
	if raw := top.fields["data"]; raw != nil && kindOf(raw) != "null" {
		ev.Data = json.RawMessage(raw)
	}
	ctx, err := top.object("context")
	if err != nil {
		return nil, err
	}
	req, err := ctx.object("request")
	if err != nil {
		return nil, err
	}
	if ev.Context.Request, err = decodeRequest(req); err != nil {
		return nil, err
	}
	gc, err := ctx.object("graphcool")
	if err != nil {
		return nil, err
	}
	if ev.Context.Graphcool, err = decodeGraphcool(gc); err != nil {
		return nil, err
	}
	if ev.Context.Environment, err = ctx.anyMap("environment"); err != nil {
		return nil, err
	}
	if ev.Context.Auth, err = decodeAuth(ctx); err != nil {
		return nil, err
	}
	if ev.Context.SessionCache, err = ctx.anyMap("sessionCache"); err != nil {
		return nil, err
	}
	return ev, nil
}

func decodeRequest(o object) (r Request, err error) {
	if r.SourceIP, err = o.string("sourceIp"); err != nil {
		return r, err
	}
	if r.Headers, err = o.stringMap("headers"); err != nil {
		return r, err
	}
	r.HTTPMethod, err = o.string("httpMethod")
	return r, err
}

func decodeGraphcool(o object) (g Graphcool, err error) {
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"rootToken", &g.RootToken},
		{"pat", &g.PAT},
		{"serviceId", &g.ServiceID},
		{"projectId", &g.ProjectID},
		{"alias", &g.Alias},
	} {
		if *f.dst, err = o.string(f.name); err != nil {
			return g, err
		}
	}
	ep, err := o.object("endpoints")
	if err != nil {
		return g, err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"simple", &g.Endpoints.Simple},
		{"relay", &g.Endpoints.Relay},
		{"system", &g.Endpoints.System},
		{"subscriptions", &g.Endpoints.Subscriptions},
	} {
		if *f.dst, err = ep.string(f.name); err != nil {
			return g, err
		}
	}
	return g, nil
}

// decodeAuth decodes context.auth, which is null when nobody is
// authenticated.
func decodeAuth(ctx object) (*Auth, error) {
	o, err := ctx.object("auth")
	if err != nil || o.fields == nil {
		return nil, err
	}
	a := new(Auth)
	if a.NodeID, err = o.string("nodeId"); err != nil {
		return nil, err
	}
	if a.TypeName, err = o.string("typeName"); err != nil {
		return nil, err
	}
	if a.Token, err = o.string("token"); err != nil {
		return nil, err
	}
	return a, nil
}

// object is a decoded JSON object whose values are still raw, with its
// path for error messages. The zero object stands for an absent or null
// one: every field of it is absent.
type object struct {
	path   string
	fields map[string]json.RawMessage
}

// decodeObject decodes data, which must be a JSON object, one level deep.
func decodeObject(data []byte, path string) (object, error) {
	if len(trimSpace(data)) == 0 {
		return object{}, malformed(path, "empty input")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			return object{}, malformed(path, "malformed JSON at byte offset %d", se.Offset)
		}
		return object{}, malformed(path, "not a JSON object (got %s)", kindOf(data))
	}
	if fields == nil {
		return object{}, malformed(path, "not a JSON object (got null)")
	}
	return object{path: path, fields: fields}, nil
}

// field returns the path of the field name of o.
func (o object) field(name string) string {
	if o.path == "" {
		return name
	}
	return o.path + "." + name
}

// present reports whether the field name is present, even as null.
func (o object) present(name string) bool {
	_, ok := o.fields[name]
	return ok
}

// object returns the field name, which must be an object, absent or null.
func (o object) object(name string) (object, error) {
	raw := o.fields[name]
	path := o.field(name)
	switch kindOf(raw) {
	case "absent", "null":
		return object{path: path}, nil
	case "object":
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return object{}, malformed(path, "malformed JSON")
		}
		return object{path: path, fields: fields}, nil
	default:
		return object{}, wrongType(path, "object", raw)
	}
}

// string returns the field name, which must be a string, absent or null.
func (o object) string(name string) (string, error) {
	raw := o.fields[name]
	switch kindOf(raw) {
	case "absent", "null":
		return "", nil
	case "string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", malformed(o.field(name), "malformed JSON")
		}
		return s, nil
	default:
		return "", wrongType(o.field(name), "string", raw)
	}
}

// boolean returns the field name, which must be a boolean, absent or null.
func (o object) boolean(name string) (bool, error) {
	raw := o.fields[name]
	switch kindOf(raw) {
	case "absent", "null":
		return false, nil
	case "boolean":
		return raw[0] == 't', nil
	default:
		return false, wrongType(o.field(name), "boolean", raw)
	}
}

// stringMap returns the field name, which must be an object whose values
// are strings (or null, read as ""), absent or null.
func (o object) stringMap(name string) (map[string]string, error) {
	m, err := o.object(name)
	if err != nil || m.fields == nil {
		return nil, err
	}
	out := make(map[string]string, len(m.fields))
	for k, raw := range m.fields {
		switch kindOf(raw) {
		case "null":
			out[k] = ""
		case "string":
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, malformed(m.path, "malformed JSON")
			}
			out[k] = s
		default:
			// The key is input, so the message names the object only.
			return nil, malformed(m.path, "want string values, got %s", kindOf(raw))
		}
	}
	return out, nil
}

// anyMap returns the field name, which must be an object, absent or null,
// decoded as encoding/json decodes into a map[string]any.
func (o object) anyMap(name string) (map[string]any, error) {
	raw := o.fields[name]
	path := o.field(name)
	switch kindOf(raw) {
	case "absent", "null":
		return nil, nil
	case "object":
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			// The only type error left in valid JSON is a number that
			// does not fit a float64.
			if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
				return nil, malformed(path, "number out of range")
			}
			return nil, malformed(path, "malformed JSON")
		}
		return m, nil
	default:
		return nil, wrongType(path, "object", raw)
	}
}

// kindOf names the JSON type of a raw value by its first byte: "object",
// "array", "string", "number", "boolean" or "null", and "absent" for no
// value at all. It is the only thing error messages say about a value.
func kindOf(raw []byte) string {
	raw = trimSpace(raw)
	if len(raw) == 0 {
		return "absent"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// trimSpace trims JSON whitespace from the start of b.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	return b
}
