package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The names of a service's GraphQL APIs, as Client.API takes them.
const (
	SimpleAPI = "simple/v1" // the Simple API, also chosen by ""
	RelayAPI  = "relay/v1"  // the Relay API
	SystemAPI = "system"    // the System API
)

const (
	// maxResponseSize bounds the body of an API response.
	maxResponseSize = 16 << 20
	// errorBodyScan bounds the part of a non-2xx body searched for the
	// token and kept for HTTPError.Body.
	errorBodyScan = 64 << 10
	// maxErrorBody bounds HTTPError.Body.
	maxErrorBody = 512
	// redacted replaces a token in anything the server sends back.
	redacted = "[redacted]"
)

// API is a GraphQL client for one of a service's APIs, the Go counterpart
// of graphcool-lib's api(endpoint). Its requests carry the client's first
// root token as a bearer token, or a node's token given with AsToken. Make
// one with Client.API.
//
// An API is safe for concurrent use. It reads the client's root token at
// each request, so it follows Client.SetRootTokens. Printing an API with
// any fmt verb, or logging it with log/slog, never shows its token.
type API struct {
	client *Client
	name   string
	url    string
	// token is the token given with AsToken, nil for the root token. It
	// is kept behind a pointer so that fmt, which reaches the fields of a
	// copied API value by reflection, prints an address and never a token.
	token *string
}

// An APIOption configures an API made by Client.API.
type APIOption func(*apiOptions)

type apiOptions struct {
	token *string
}

// AsToken makes the API act on behalf of a node: its requests carry tok (a
// token from GenerateAuthToken, or the caller's token of a function event)
// instead of the root token, so the API's permission rules for that node
// apply. An empty tok never falls back to the root token: requests with it
// fail with ErrInvalidAPIToken. Default: the client's first root token.
func AsToken(tok string) APIOption {
	return func(o *apiOptions) { o.token = &tok }
}

// API returns a GraphQL client for the service's API named endpoint:
// SimpleAPI ("simple/v1", also chosen by ""), RelayAPI ("relay/v1") or
// SystemAPI ("system"), at the URL given by WithEndpoints or by the
// function event. Its requests carry the client's first root token unless
// AsToken gives another token.
//
// An unknown endpoint name, or one with no URL configured, does not panic:
// every Request of the returned API fails with an error matching
// ErrUnknownEndpoint, and its URL is "". Its HTTPClient still works.
func (c *Client) API(endpoint string, opts ...APIOption) *API {
	var o apiOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if endpoint == "" {
		endpoint = SimpleAPI
	}
	a := &API{client: c, name: endpoint, token: o.token}
	if c != nil {
		switch endpoint {
		case SimpleAPI:
			a.url = c.endpoints.Simple
		case RelayAPI:
			a.url = c.endpoints.Relay
		case SystemAPI:
			a.url = c.endpoints.System
		}
	}
	return a
}

// URL returns the URL of the API, "" when its endpoint is unknown or has
// no URL configured.
func (a *API) URL() string {
	if a == nil {
		return ""
	}
	return a.url
}

// graphQLRequest is the body of a GraphQL request over HTTP.
type graphQLRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitzero"`
}

// graphQLResponse is the body of a GraphQL response over HTTP.
type graphQLResponse struct {
	Data   json.RawMessage    `json:"data"`
	Errors []GraphQLErrorItem `json:"errors"`
}

// Request sends the GraphQL document query with its variables to the API
// and decodes the data of the response into out, unless out is nil. It
// POSTs {"query": query, "variables": variables} as JSON (variables left
// out when nil) with the token in an "Authorization: Bearer" header, and
// reads at most 16 MiB of response.
//
// Variables are always sent as GraphQL variables, beside the query and
// never inside it: nothing is ever put into the query text, so no value
// can change what the query does. (graphcool-lib's JavaScript client let
// callers build query text out of values, which allowed injection.) Refer
// to values with $variables:
//
//	var out struct{ User struct{ Email string } }
//	err := api.Request(ctx, `query ($id: ID!) { User(id: $id) { email } }`,
//		map[string]any{"id": id}, &out)
//
// The errors, each usable with errors.Is or errors.As:
//   - ErrUnknownEndpoint, ErrNoRootToken or ErrInvalidAPIToken: nothing
//     was sent;
//   - a *GraphQLError: the API answered with GraphQL errors; when it sent
//     data too, out is filled in before the error is returned;
//   - an *HTTPError: the status was not 2xx; out is left alone;
//   - ErrResponseTooLarge, ErrInvalidResponse: a 2xx body of more than
//     16 MiB, or one that is not a GraphQL response;
//   - an error matching ctx.Err() when ctx ends first.
//
// No error contains the token: wherever the server echoes it back (in a
// status line, a body or a GraphQL error), it reads [redacted].
func (a *API) Request(ctx context.Context, query string, variables map[string]any, out any) error {
	if a == nil {
		return fmt.Errorf("auth: api: %w", ErrUnknownEndpoint)
	}
	if a.url == "" {
		return a.wrap(ErrUnknownEndpoint)
	}
	tok, err := a.bearer()
	if err != nil {
		return a.wrap(err)
	}
	body, err := json.Marshal(graphQLRequest{Query: query, Variables: variables})
	if err != nil {
		return a.wrap(fmt.Errorf("encode request: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return a.wrap(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")

	// The token is fixed for the whole request (redirects included), so
	// that what is scrubbed from the answer is what was sent.
	resp, err := a.httpClient(func() (string, error) { return tok, nil }).Do(req)
	if err != nil {
		// A *url.Error quotes the URL that failed, which may be one the
		// server redirected to with the token in it.
		if uerr, ok := errors.AsType[*url.Error](err); ok {
			uerr.URL = redact(uerr.URL, tok)
		}
		return a.wrap(withContext(ctx, err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseSize+1))
	if err != nil {
		return a.wrap(withContext(ctx, fmt.Errorf("read response: %w", err)))
	}
	if err := decodeResponse(resp.StatusCode, resp.Status, b, tok, out); err != nil {
		return a.wrap(err)
	}
	return nil
}

// withContext makes err match the error of ctx when ctx has ended, whatever
// layer reported the failure.
func withContext(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// decodeResponse turns the status and body b of a response to a request
// sent with tok into the error Request returns, filling in out from the
// data of a 2xx response.
func decodeResponse(statusCode int, status string, b []byte, tok string, out any) error {
	tooLarge := len(b) > maxResponseSize
	if statusCode < 200 || statusCode > 299 {
		return newHTTPError(statusCode, status, b, tooLarge, tok)
	}
	if tooLarge {
		return fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, maxResponseSize)
	}
	var r graphQLResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidResponse, err)
	}
	if r.Data == nil && r.Errors == nil {
		return fmt.Errorf("%w: neither data nor errors", ErrInvalidResponse)
	}
	var decodeErr error
	if out != nil && len(r.Data) > 0 && !bytes.Equal(r.Data, []byte("null")) {
		if err := json.Unmarshal(r.Data, out); err != nil {
			decodeErr = fmt.Errorf("decode data: %w", err)
		}
	}
	if len(r.Errors) == 0 {
		return decodeErr
	}
	gerr := &GraphQLError{Errors: r.Errors}
	gerr.redact(tok)
	if decodeErr != nil {
		return errors.Join(gerr, decodeErr)
	}
	return gerr
}

// bearer returns the token to send: the one given with AsToken, else the
// client's first root token at this moment.
func (a *API) bearer() (string, error) {
	var tok string
	switch {
	case a == nil:
		return "", ErrNoRootToken
	case a.token != nil:
		tok = *a.token
	default:
		var k *keyring
		if a.client != nil {
			k = a.client.keys.Load()
		}
		if k == nil || len(k.roots) == 0 {
			return "", ErrNoRootToken
		}
		tok = k.roots[0]
	}
	if tok == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidAPIToken)
	}
	for i := range len(tok) {
		if c := tok[i]; c < 0x21 || c > 0x7e {
			return "", fmt.Errorf("%w: byte %d is not visible ASCII", ErrInvalidAPIToken, i)
		}
	}
	return tok, nil
}

// HTTPClient returns an *http.Client that adds "Authorization: Bearer
// <token>" to every request it sends, for generated GraphQL clients
// (genqlient, hasura/go-graphql-client) pointed at URL. It is a copy of the
// Client's *http.Client (see WithHTTPClient), keeping its timeout, redirect
// policy and cookie jar, with a transport wrapping the Client's own
// (http.DefaultTransport when nil). The Client's *http.Client is not
// changed.
//
// The token is read at each request, so it follows Client.SetRootTokens.
// It is not added to a redirect that leaves the scheme, host and port of
// the request made. When there is no usable token (ErrNoRootToken,
// ErrInvalidAPIToken), requests fail with that error and nothing is sent.
// HTTPClient works for an API whose endpoint is unknown too.
func (a *API) HTTPClient() *http.Client {
	return a.httpClient(a.bearer)
}

func (a *API) httpClient(token func() (string, error)) *http.Client {
	var hc http.Client
	if a != nil && a.client != nil && a.client.httpClient != nil {
		hc = *a.client.httpClient
	} else {
		hc.Timeout = defaultHTTPTimeout
	}
	hc.Transport = &bearerTransport{token: token, base: hc.Transport}
	return &hc
}

// bearerTransport adds the token returned by token to the requests it
// carries. It holds no token itself.
type bearerTransport struct {
	token func() (string, error)
	base  http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if leavesOrigin(req) {
		return base.RoundTrip(req)
	}
	tok, err := t.token()
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change req
	r.Header.Set("Authorization", "Bearer "+tok)
	return base.RoundTrip(r)
}

// leavesOrigin reports whether req is a redirect to another scheme, host
// or port than the request that was made. When that request cannot be
// found, it answers true, so that the token stays home.
func leavesOrigin(req *http.Request) bool {
	first := req
	for first.Response != nil {
		if first.Response.Request == nil {
			return true
		}
		first = first.Response.Request
	}
	return !strings.EqualFold(first.URL.Scheme, req.URL.Scheme) ||
		!strings.EqualFold(first.URL.Host, req.URL.Host)
}

// wrap puts the endpoint name in front of err.
func (a *API) wrap(err error) error {
	return &endpointError{endpoint: a.name, err: err}
}

// endpointError is an error of a request to the API named endpoint, such as
// `auth: api "relay/v2": unknown API endpoint`.
type endpointError struct {
	endpoint string
	err      error
}

func (e *endpointError) Error() string {
	return fmt.Sprintf("auth: api %q: %s", e.endpoint, strings.TrimPrefix(e.err.Error(), "auth: "))
}

func (e *endpointError) Unwrap() error { return e.err }

// String describes the API without its token.
func (a *API) String() string {
	if a == nil {
		return "auth.API(nil)"
	}
	return fmt.Sprintf("auth.API{endpoint: %q, url: %q, as: %s}", a.name, redactURL(a.url), a.as())
}

// GoString is String, so that %#v shows no token either.
func (a *API) GoString() string { return a.String() }

// Format writes String for every verb, so that no fmt verb reaches the
// API's fields by reflection.
func (a *API) Format(f fmt.State, _ rune) { io.WriteString(f, a.String()) }

// LogValue logs the API without its token.
func (a *API) LogValue() slog.Value {
	if a == nil {
		return slog.StringValue("auth.API(nil)")
	}
	return slog.GroupValue(
		slog.String("endpoint", a.name),
		slog.String("url", redactURL(a.url)),
		slog.String("as", a.as()),
	)
}

// as says whose token the API sends, without the token.
func (a *API) as() string {
	if a.token != nil {
		return "token " + redacted
	}
	return "root"
}

// redactURL hides the password of a URL, should one hold any.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return redacted
	}
	return u.Redacted()
}

// HTTPError is the error of an API request answered with a status other
// than 2xx. Body is the beginning of the response body, at most 512 bytes,
// with the token replaced by [redacted].
//
// When the body is a GraphQL response with errors (as GraphQL over HTTP
// servers send with 4xx statuses), errors.As finds them as a
// *GraphQLError too. No data is decoded from a non-2xx response.
//
// An HTTPError is not modified after it is returned; it is safe for
// concurrent reads.
type HTTPError struct {
	StatusCode int    // e.g. 401
	Status     string // e.g. "401 Unauthorized"
	Body       string // at most 512 bytes, the token redacted

	graphQL *GraphQLError
}

// Error returns "auth: http: " and the status.
func (e *HTTPError) Error() string {
	status := e.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	return "auth: http: " + strings.TrimSpace(status)
}

// Unwrap returns the GraphQL errors of the body, or nil.
func (e *HTTPError) Unwrap() error {
	if e.graphQL == nil {
		return nil
	}
	return e.graphQL
}

func newHTTPError(statusCode int, status string, b []byte, tooLarge bool, tok string) *HTTPError {
	e := &HTTPError{StatusCode: statusCode, Status: redact(status, tok)}
	var r graphQLResponse
	if !tooLarge && json.Unmarshal(b, &r) == nil && len(r.Errors) > 0 {
		e.graphQL = &GraphQLError{Errors: r.Errors}
		e.graphQL.redact(tok)
	}
	if len(b) > errorBodyScan {
		// A token cut in two by the limit would escape redaction: drop
		// every byte that may be its beginning.
		b = b[:max(0, errorBodyScan-len(tok)+1)]
	}
	body := redact(string(b), tok)
	if len(body) > maxErrorBody {
		i := maxErrorBody
		for i > 0 && !utf8.RuneStart(body[i]) {
			i--
		}
		body = body[:i]
	}
	e.Body = body
	return e
}

// GraphQLError holds the errors a GraphQL API answered with. Every string
// in it has the token replaced by [redacted].
//
// A GraphQLError is not modified after it is returned; it is safe for
// concurrent reads.
type GraphQLError struct {
	Errors []GraphQLErrorItem
}

// Error returns "auth: graphql: " and the first message, followed by
// " (and N more)" when there are more.
func (e *GraphQLError) Error() string {
	if len(e.Errors) == 0 {
		return "auth: graphql: error"
	}
	msg := "auth: graphql: " + e.Errors[0].Message
	if n := len(e.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// redact replaces tok by [redacted] in every string of e.
func (e *GraphQLError) redact(tok string) {
	for i := range e.Errors {
		it := &e.Errors[i]
		it.Message = redact(it.Message, tok)
		for j, p := range it.Path {
			it.Path[j] = redactValue(p, tok)
		}
		if it.Extensions != nil {
			it.Extensions = redactValue(it.Extensions, tok).(map[string]any)
		}
	}
}

// GraphQLErrorItem is one error of a GraphQL response.
type GraphQLErrorItem struct {
	Message string `json:"message"`
	// Path leads to the field that failed: field names as strings, list
	// indexes as ints.
	Path      []any      `json:"path,omitempty"`
	Locations []Location `json:"locations,omitempty"`
	// Extensions holds the error's extensions, and the members that older
	// servers, Graphcool among them, put beside the message instead
	// (Graphcool's "code" and "requestId"); those of extensions win.
	Extensions map[string]any `json:"extensions,omitempty"`
}

// UnmarshalJSON decodes an error of a GraphQL response, moving members
// other than message, path, locations and extensions into Extensions.
func (it *GraphQLErrorItem) UnmarshalJSON(b []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	var item GraphQLErrorItem
	var ext, other map[string]any
	for k, v := range members {
		var err error
		switch k {
		case "message":
			err = json.Unmarshal(v, &item.Message)
		case "path":
			err = json.Unmarshal(v, &item.Path)
		case "locations":
			err = json.Unmarshal(v, &item.Locations)
		case "extensions":
			err = json.Unmarshal(v, &ext)
		default:
			var x any
			err = json.Unmarshal(v, &x)
			if other == nil {
				other = make(map[string]any)
			}
			other[k] = x
		}
		if err != nil {
			return fmt.Errorf("graphql error member %q: %w", k, err)
		}
	}
	for k, v := range other {
		if _, ok := ext[k]; !ok {
			if ext == nil {
				ext = make(map[string]any, len(other))
			}
			ext[k] = v
		}
	}
	item.Extensions = ext
	for i, p := range item.Path {
		if f, ok := p.(float64); ok && float64(int(f)) == f {
			item.Path[i] = int(f)
		}
	}
	*it = item
	return nil
}

// Location is a place in the query text, counted from 1.
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// redact returns s with every occurrence of tok, raw or escaped as JSON or
// in a URL, replaced by [redacted]. Should the replacements form tok again,
// the whole of s is withheld.
func redact(s, tok string) string {
	if tok == "" || s == "" {
		return s
	}
	for _, form := range tokenForms(tok) {
		s = strings.ReplaceAll(s, form, redacted)
	}
	if strings.Contains(s, tok) {
		return redacted
	}
	return s
}

// tokenForms returns tok as it may be echoed: raw, escaped in a JSON string
// (with and without HTML escaping, with "/" as `\/` too) and escaped in a
// URL query.
func tokenForms(tok string) []string {
	forms := []string{tok}
	add := func(f string) {
		for _, g := range forms {
			if g == f {
				return
			}
		}
		forms = append(forms, f)
	}
	for _, html := range []bool{true, false} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(html)
		if enc.Encode(tok) == nil {
			f := strings.TrimSuffix(strings.TrimSuffix(buf.String(), "\n"), `"`)
			f = strings.TrimPrefix(f, `"`)
			add(f)
			add(strings.ReplaceAll(f, "/", `\/`))
		}
	}
	add(url.QueryEscape(tok))
	return forms
}

// redactValue applies redact to every string in v, a value decoded from
// JSON, map keys included.
func redactValue(v any, tok string) any {
	switch v := v.(type) {
	case string:
		return redact(v, tok)
	case []any:
		for i := range v {
			v[i] = redactValue(v[i], tok)
		}
		return v
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[redact(k, tok)] = redactValue(x, tok)
		}
		return m
	default:
		return v
	}
}
