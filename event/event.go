package event

import "encoding/json"

// Event is the event a Graphcool serverless function receives: the
// function's input in Data and what Graphcool knows about the call in
// Context. Its JSON form is graphcool-lib's FunctionEvent.
//
// Use [Parse] to decode one and [Event.Bind] to decode its data. Printing
// or logging an Event never shows a token (see [Context]).
//
// An Event is a plain value; it is safe for concurrent reads.
type Event struct {
	Data    json.RawMessage `json:"data"`
	Context Context         `json:"context"`
}

// Context is the context part of a function event: the request that
// caused the call, the service, the function's environment, the
// authenticated caller (nil when there is none) and the session cache.
//
// Printing a Context with any fmt verb, or logging it with log/slog, never
// shows a token (see [Graphcool], [Auth] and [Request]). A Context is a
// plain value; it is safe for concurrent reads.
type Context struct {
	Request      Request        `json:"request"`
	Graphcool    Graphcool      `json:"graphcool"`
	Environment  map[string]any `json:"environment,omitempty"`
	Auth         *Auth          `json:"auth"`
	SessionCache map[string]any `json:"sessionCache,omitempty"`
}

// Request describes the HTTP request that caused the function call.
//
// Printing a Request with any fmt verb, or logging it with log/slog, shows
// the values of credential-bearing headers (Authorization, Cookie and the
// like) as [redacted]; JSON encoding keeps them. A Request is a plain
// value; it is safe for concurrent reads.
type Request struct {
	SourceIP   string            `json:"sourceIp"`
	Headers    map[string]string `json:"headers"`
	HTTPMethod string            `json:"httpMethod"`
}

// Graphcool names the service a function belongs to, the root token the
// function may use, and the service's API endpoints.
//
// Printing a Graphcool with any fmt verb, or logging it with log/slog,
// shows its tokens as [redacted]; JSON encoding keeps them. A Graphcool
// is a plain value; it is safe for concurrent reads.
type Graphcool struct {
	RootToken string    `json:"rootToken,omitempty"`
	PAT       string    `json:"pat,omitempty"` // deprecated name of the root token
	ServiceID string    `json:"serviceId,omitempty"`
	ProjectID string    `json:"projectId,omitempty"` // deprecated name of the service id
	Alias     string    `json:"alias,omitempty"`
	Endpoints Endpoints `json:"endpoints"`
}

// Endpoints are the URLs of a service's APIs. An Endpoints is a plain
// value; it is safe for concurrent reads.
type Endpoints struct {
	Simple        string `json:"simple,omitempty"`
	Relay         string `json:"relay,omitempty"`
	System        string `json:"system,omitempty"`
	Subscriptions string `json:"subscriptions,omitempty"`
}

// Auth is the authenticated caller of a function, when there is one.
//
// Printing an Auth with any fmt verb, or logging it with log/slog, shows
// its token as [redacted]; JSON encoding keeps it. An Auth is a plain
// value; it is safe for concurrent reads.
type Auth struct {
	NodeID   string `json:"nodeId"`
	TypeName string `json:"typeName"`
	Token    string `json:"token"`
}

// Token returns the root token: RootToken, or the deprecated PAT when
// RootToken is empty.
func (g Graphcool) Token() string {
	if g.RootToken != "" {
		return g.RootToken
	}
	return g.PAT
}

// Service returns the service id: ServiceID, or the deprecated ProjectID
// when ServiceID is empty.
func (g Graphcool) Service() string {
	if g.ServiceID != "" {
		return g.ServiceID
	}
	return g.ProjectID
}
