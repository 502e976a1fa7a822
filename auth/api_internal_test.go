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
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/event"
)

// Tokens of the tests. None is real; each is long enough to be recognised
// wherever it leaks.
const (
	apiTestRoot  = "root-token-for-api-tests-0123456789abcdef"
	apiTestRoot2 = "next-root-token-for-api-tests-9876543210"
	apiTestNode  = "eyJhbGciOiJIUzI1NiJ9.bm9kZS10b2tlbi1mb3ItYXBpLXRlc3Rz.c2lnbmF0dXJl"
)

// seenRequest is what the test server saw of one request.
type seenRequest struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// apiTestServer starts a loopback server standing in for a service's APIs.
// It records every request on the returned channel, then answers with
// respond.
func apiTestServer(t *testing.T, respond http.HandlerFunc) (*httptest.Server, <-chan seenRequest) {
	t.Helper()
	seen := make(chan seenRequest, 256)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case seen <- seenRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}:
		default:
		}
		respond(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// respondWith responds with status and body as a GraphQL response.
func respondWith(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/graphql-response+json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// echoAuthorization answers status with a body that repeats the request's
// Authorization header, raw and JSON-escaped, as careless servers do.
func echoAuthorization(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		quoted, _ := json.Marshal("bad credentials: " + h)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"errors":[{"message":%s}],"header":%q}`, quoted, h)
	}
}

func apiTestEndpoints(base string) event.Endpoints {
	return event.Endpoints{
		Simple:        base + "/simple/v1/svc",
		Relay:         base + "/relay/v1/svc",
		System:        base + "/system",
		Subscriptions: "ws" + strings.TrimPrefix(base, "http") + "/subscriptions/v1/svc",
	}
}

// newAPITestClient returns a Client for the APIs served by srv whose keyring
// holds only root tokens, enough for API requests.
func newAPITestClient(t *testing.T, srv *httptest.Server, roots ...string) *Client {
	t.Helper()
	if len(roots) == 0 {
		roots = []string{apiTestRoot}
	}
	c := &Client{
		serviceID:  "svc",
		endpoints:  apiTestEndpoints(srv.URL),
		httpClient: srv.Client(),
		now:        time.Now,
		leeway:     DefaultLeeway,
	}
	c.keys.Store(&keyring{roots: roots})
	return c
}

// nextRequest returns the request the server received. Requests are
// synchronous: one sent has been received by the time it returns.
func nextRequest(t *testing.T, seen <-chan seenRequest) seenRequest {
	t.Helper()
	select {
	case r := <-seen:
		return r
	default:
		require.FailNow(t, "the server received no request")
		return seenRequest{}
	}
}

// assertNoAPITokenIn fails when s contains any of the tests' tokens.
func assertNoAPITokenIn(t *testing.T, s string) {
	t.Helper()
	for _, tok := range []string{apiTestRoot, apiTestRoot2, apiTestNode} {
		assert.NotContains(t, s, tok)
	}
}

func TestAPIEndpoints(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))
	c := newAPITestClient(t, srv)

	tests := []struct {
		endpoint string
		wantPath string // "" for an unknown endpoint
	}{
		{"", "/simple/v1/svc"},
		{"simple/v1", "/simple/v1/svc"},
		{"relay/v1", "/relay/v1/svc"},
		{"system", "/system"},
		{"relay/v2", ""},
		{"Simple/v1", ""},
		{"subscriptions/v1", ""},
		{"https://elsewhere.example/graphql", ""},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.endpoint), func(t *testing.T) {
			a := c.API(tt.endpoint)
			err := a.Request(t.Context(), `{ __typename }`, nil, nil)
			if tt.wantPath == "" {
				require.ErrorIs(t, err, ErrUnknownEndpoint)
				assert.Contains(t, err.Error(), strconv.Quote(tt.endpoint), "the error names the endpoint")
				assert.Empty(t, a.URL())
				assert.Empty(t, seen, "nothing is sent for an unknown endpoint")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, srv.URL+tt.wantPath, a.URL())
			got := nextRequest(t, seen)
			assert.Equal(t, tt.wantPath, got.Path)
		})
	}
}

func TestAPIEndpointWithoutURL(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))
	c := newAPITestClient(t, srv)
	c.endpoints = event.Endpoints{Simple: srv.URL + "/simple/v1/svc"} // no Relay, no System

	for _, name := range []string{RelayAPI, SystemAPI} {
		a := c.API(name)
		err := a.Request(t.Context(), `{ __typename }`, nil, nil)
		require.ErrorIs(t, err, ErrUnknownEndpoint)
		assert.Contains(t, err.Error(), strconv.Quote(name))
		assert.Empty(t, a.URL())
	}
	assert.Empty(t, seen)

	t.Run("nil client", func(t *testing.T) {
		var nilClient *Client
		a := nilClient.API(SimpleAPI)
		assert.Empty(t, a.URL())
		assert.ErrorIs(t, a.Request(t.Context(), `{ __typename }`, nil, nil), ErrUnknownEndpoint)
	})
	t.Run("nil API", func(t *testing.T) {
		var a *API
		assert.Empty(t, a.URL())
		assert.ErrorIs(t, a.Request(t.Context(), `{ __typename }`, nil, nil), ErrUnknownEndpoint)
	})
}

func TestAPIAuthorizationHeader(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))
	c := newAPITestClient(t, srv)

	tests := []struct {
		name string
		opts []APIOption
		want string
	}{
		{"root token by default", nil, "Bearer " + apiTestRoot},
		{"AsToken acts on behalf of a node", []APIOption{AsToken(apiTestNode)}, "Bearer " + apiTestNode},
		{"the last AsToken wins", []APIOption{AsToken(apiTestRoot2), AsToken(apiTestNode)}, "Bearer " + apiTestNode},
		{"nil options are ignored", []APIOption{nil}, "Bearer " + apiTestRoot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, c.API(RelayAPI, tt.opts...).Request(t.Context(), `{ __typename }`, nil, nil))
			got := nextRequest(t, seen)
			assert.Equal(t, []string{tt.want}, got.Header.Values("Authorization"))
		})
	}
}

func TestAPIUnusableToken(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))

	tests := []struct {
		name    string
		roots   []string // the client's keyring; nil for none at all
		opts    []APIOption
		wantErr error
	}{
		{"empty AsToken never falls back to the root token", []string{apiTestRoot}, []APIOption{AsToken("")}, ErrInvalidAPIToken},
		{"space in AsToken", []string{apiTestRoot}, []APIOption{AsToken(apiTestNode + " x")}, ErrInvalidAPIToken},
		{"header injection in AsToken", []string{apiTestRoot}, []APIOption{AsToken(apiTestNode + "\r\nX-Injected: 1")}, ErrInvalidAPIToken},
		{"non-ASCII AsToken", []string{apiTestRoot}, []APIOption{AsToken(apiTestNode + "é")}, ErrInvalidAPIToken},
		{"empty root token", []string{""}, nil, ErrInvalidAPIToken},
		{"no keyring", nil, nil, ErrNoRootToken},
		{"empty keyring", []string{}, nil, ErrNoRootToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newAPITestClient(t, srv)
			if tt.roots == nil {
				c.keys.Store(nil)
			} else {
				c.keys.Store(&keyring{roots: tt.roots})
			}
			a := c.API(SimpleAPI, tt.opts...)

			err := a.Request(t.Context(), `{ __typename }`, nil, nil)
			require.ErrorIs(t, err, tt.wantErr)
			assertNoAPITokenIn(t, err.Error())

			resp, err := a.HTTPClient().Get(srv.URL)
			if resp != nil {
				resp.Body.Close()
			}
			require.ErrorIs(t, err, tt.wantErr, "HTTPClient refuses too")
			assertNoAPITokenIn(t, err.Error())

			assert.Empty(t, seen, "nothing is sent")
		})
	}
}

func TestAPIRequestBody(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))
	c := newAPITestClient(t, srv)
	const query = `query ($id: ID!) { User(id: $id) { email } }`

	tests := []struct {
		name      string
		variables map[string]any
		wantBody  string
	}{
		{"nil variables are left out", nil, `{"query":` + strconv.Quote(query) + `}`},
		{"empty variables are sent", map[string]any{}, `{"query":` + strconv.Quote(query) + `,"variables":{}}`},
		{"variables", map[string]any{"id": "u1", "n": 3, "tags": []string{"a"}},
			`{"query":` + strconv.Quote(query) + `,"variables":{"id":"u1","n":3,"tags":["a"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, c.API(SimpleAPI).Request(t.Context(), query, tt.variables, nil))
			got := nextRequest(t, seen)
			assert.Equal(t, http.MethodPost, got.Method)
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.Equal(t, "application/graphql-response+json, application/json", got.Header.Get("Accept"))
			assert.JSONEq(t, tt.wantBody, string(got.Body))
		})
	}

	t.Run("variables that cannot be encoded", func(t *testing.T) {
		err := c.API(SimpleAPI).Request(t.Context(), query, map[string]any{"ch": make(chan int)}, nil)
		var unsupported *json.UnsupportedTypeError
		assert.ErrorAs(t, err, &unsupported)
		assert.Empty(t, seen)
	})
}

func TestAPIVariablesAreNeverSpliced(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{"allUsers":[]}}`))
	c := newAPITestClient(t, srv)

	const query = `query ($name: String!) { allUsers(filter: {name: $name}) { id } }`
	hostile := []string{
		`") { id } } mutation { deleteAllUsers { count } } #`,
		`\") { id } }` + "\n" + `mutation { updateUser(id: "u1", role: ADMIN) { id } }`,
		`$name`,
		`${name}`,
		"\u2028\x00}{",
	}
	for _, h := range hostile {
		t.Run(strconv.Quote(h), func(t *testing.T) {
			require.NoError(t, c.API(SimpleAPI).Request(t.Context(), query, map[string]any{"name": h}, nil))
			var body struct {
				Query     string         `json:"query"`
				Variables map[string]any `json:"variables"`
			}
			require.NoError(t, json.Unmarshal(nextRequest(t, seen).Body, &body))
			assert.Equal(t, query, body.Query, "the query text is sent untouched")
			assert.Equal(t, map[string]any{"name": h}, body.Variables, "the value arrives unchanged, as a variable")
		})
	}
}

func TestAPIDataDecoding(t *testing.T) {
	t.Parallel()
	type user struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	}
	type result struct {
		User *user `json:"User"`
	}

	tests := []struct {
		name string
		body string
		out  bool // decode into a result
		want result
	}{
		{"data", `{"data":{"User":{"id":"u1","email":"ada@example.com"}}}`, true, result{User: &user{"u1", "ada@example.com"}}},
		{"null field", `{"data":{"User":null}}`, true, result{}},
		{"null data", `{"data":null}`, true, result{}},
		{"nil out", `{"data":{"User":{"id":"u1"}}}`, false, result{}},
		{"extensions beside data", `{"data":{"User":{"id":"u2"}},"extensions":{"cost":1}}`, true, result{User: &user{ID: "u2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := apiTestServer(t, respondWith(http.StatusOK, tt.body))
			a := newAPITestClient(t, srv).API(SimpleAPI)
			var out result
			var target any
			if tt.out {
				target = &out
			}
			require.NoError(t, a.Request(t.Context(), `{ User { id email } }`, nil, target))
			assert.Equal(t, tt.want, out)
		})
	}

	t.Run("data of another shape", func(t *testing.T) {
		t.Parallel()
		srv, _ := apiTestServer(t, respondWith(http.StatusOK, `{"data":{"User":[1,2]}}`))
		var out result
		err := newAPITestClient(t, srv).API(SimpleAPI).Request(t.Context(), `{ User { id } }`, nil, &out)
		var typeErr *json.UnmarshalTypeError
		assert.ErrorAs(t, err, &typeErr)
	})
}

func TestAPIGraphQLErrors(t *testing.T) {
	t.Parallel()
	const body = `{"data":null,"errors":[
		{"message":"Insufficient Permissions","path":["allUsers",0,"email"],
		 "locations":[{"line":1,"column":14}],"code":3008,"requestId":"req-1"},
		{"message":"Second","extensions":{"code":"FORBIDDEN","requestId":"ext-wins"},"requestId":"top"},
		{"message":"Third"}]}`
	srv, _ := apiTestServer(t, respondWith(http.StatusOK, body))
	a := newAPITestClient(t, srv).API(SimpleAPI)

	err := a.Request(t.Context(), `{ allUsers { email } }`, nil, nil)
	var gerr *GraphQLError
	require.ErrorAs(t, err, &gerr)
	require.Len(t, gerr.Errors, 3)

	assert.Equal(t, GraphQLErrorItem{
		Message:    "Insufficient Permissions",
		Path:       []any{"allUsers", 0, "email"},
		Locations:  []Location{{Line: 1, Column: 14}},
		Extensions: map[string]any{"code": float64(3008), "requestId": "req-1"},
	}, gerr.Errors[0], "Graphcool's code and requestId are moved into Extensions")
	assert.Equal(t, map[string]any{"code": "FORBIDDEN", "requestId": "ext-wins"}, gerr.Errors[1].Extensions,
		"extensions win over members beside the message")
	assert.Nil(t, gerr.Errors[2].Extensions)

	assert.Equal(t, "auth: graphql: Insufficient Permissions (and 2 more)", gerr.Error())
	assert.Contains(t, err.Error(), `"simple/v1"`)
	assert.Contains(t, err.Error(), "Insufficient Permissions")
}

func TestAPIPartialData(t *testing.T) {
	t.Parallel()
	const body = `{"data":{"a":{"id":"1"},"b":null},"errors":[{"message":"b failed","path":["b"]}]}`
	srv, _ := apiTestServer(t, respondWith(http.StatusOK, body))

	var out struct {
		A *struct{ ID string } `json:"a"`
		B *struct{ ID string } `json:"b"`
	}
	err := newAPITestClient(t, srv).API(SimpleAPI).Request(t.Context(), `{ a { id } b { id } }`, nil, &out)
	var gerr *GraphQLError
	require.ErrorAs(t, err, &gerr)
	assert.Equal(t, []any{"b"}, gerr.Errors[0].Path)
	require.NotNil(t, out.A, "the data that came is decoded")
	assert.Equal(t, "1", out.A.ID)
	assert.Nil(t, out.B)
}

func TestAPIHTTPError(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 10<<10)

	tests := []struct {
		name        string
		opts        []APIOption
		respond     http.HandlerFunc
		wantStatus  int
		wantGraphQL string // first message of the GraphQL errors in the body, if any
		wantInBody  string
	}{
		{"echoed root token", nil, echoAuthorization(http.StatusUnauthorized), http.StatusUnauthorized, "bad credentials: Bearer [redacted]", "Bearer [redacted]"},
		{"echoed node token", []APIOption{AsToken(apiTestNode)}, echoAuthorization(http.StatusForbidden), http.StatusForbidden, "bad credentials: Bearer [redacted]", "Bearer [redacted]"},
		{"token in a large body", nil, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "oops "+r.Header.Get("Authorization")+" "+long+r.Header.Get("Authorization"))
		}, http.StatusInternalServerError, "", "oops Bearer [redacted] xxx"},
		{"body past the scanned part", nil, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, strings.Repeat("y", errorBodyScan-10)+r.Header.Get("Authorization")+long)
		}, http.StatusBadGateway, "", "yyy"},
		{"GraphQL errors with a 4xx", nil, respondWith(http.StatusBadRequest, `{"errors":[{"message":"Syntax Error: Unexpected Name"}]}`),
			http.StatusBadRequest, "Syntax Error: Unexpected Name", "Syntax Error"},
		{"empty body", nil, respondWith(http.StatusServiceUnavailable, ""), http.StatusServiceUnavailable, "", ""},
		{"304 Not Modified", nil, func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNotModified)
		}, http.StatusNotModified, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := apiTestServer(t, tt.respond)
			a := newAPITestClient(t, srv).API(SimpleAPI, tt.opts...)
			var out map[string]any
			err := a.Request(t.Context(), `{ __typename }`, nil, &out)

			var herr *HTTPError
			require.ErrorAs(t, err, &herr)
			assert.Equal(t, tt.wantStatus, herr.StatusCode)
			assert.Equal(t, fmt.Sprintf("%d %s", tt.wantStatus, http.StatusText(tt.wantStatus)), herr.Status)
			assert.Contains(t, err.Error(), herr.Status, "the error says the status")
			assert.LessOrEqual(t, len(herr.Body), maxErrorBody)
			assert.Contains(t, herr.Body, tt.wantInBody)
			assert.Nil(t, out, "no data is decoded from a non-2xx response")

			var gerr *GraphQLError
			if tt.wantGraphQL == "" {
				assert.False(t, errors.As(err, &gerr))
			} else if assert.ErrorAs(t, err, &gerr) {
				assert.Equal(t, tt.wantGraphQL, gerr.Errors[0].Message)
			}

			for _, s := range []string{err.Error(), herr.Body, fmt.Sprintf("%+v", herr), fmt.Sprintf("%#v", herr), fmt.Sprintf("%+v", gerr)} {
				assertNoAPITokenIn(t, s)
				assert.NotContains(t, s, apiTestRoot[:20], "not even a piece of the token")
			}
		})
	}
}

func TestAPITokenInStatusLine(t *testing.T) {
	t.Parallel()
	srv, _ := apiTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 401 Refused %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", r.Header.Get("Authorization"))
		buf.Flush()
	})
	err := newAPITestClient(t, srv).API(SimpleAPI).Request(t.Context(), `{ __typename }`, nil, nil)
	var herr *HTTPError
	require.ErrorAs(t, err, &herr)
	assert.Equal(t, http.StatusUnauthorized, herr.StatusCode)
	assert.Equal(t, "401 Refused Bearer [redacted]", herr.Status)
	assertNoAPITokenIn(t, err.Error())
	assertNoAPITokenIn(t, fmt.Sprintf("%#v", herr))
}

func TestAPIGraphQLErrorsEchoingTheToken(t *testing.T) {
	t.Parallel()
	srv, _ := apiTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		resp := map[string]any{"data": nil, "errors": []any{map[string]any{
			"message":    "invalid token " + tok,
			"path":       []any{"field " + tok},
			"extensions": map[string]any{"token": tok, tok: []any{tok, 1}},
			"received":   "Bearer " + tok,
		}}}
		json.NewEncoder(w).Encode(resp)
	})
	c := newAPITestClient(t, srv)
	for _, a := range []*API{c.API(SimpleAPI), c.API(SimpleAPI, AsToken(apiTestNode))} {
		err := a.Request(t.Context(), `{ __typename }`, nil, nil)
		var gerr *GraphQLError
		require.ErrorAs(t, err, &gerr)
		assert.Equal(t, "invalid token [redacted]", gerr.Errors[0].Message)
		assert.Equal(t, []any{"field [redacted]"}, gerr.Errors[0].Path)
		assert.Equal(t, map[string]any{
			"token":      "[redacted]",
			"[redacted]": []any{"[redacted]", float64(1)},
			"received":   "Bearer [redacted]",
		}, gerr.Errors[0].Extensions)
		assertNoAPITokenIn(t, err.Error())
		assertNoAPITokenIn(t, fmt.Sprintf("%#v", gerr))
	}
}

func TestAPIInvalidResponse(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"<html><body>Bad Gateway</body></html>",
		"",
		"null",
		"[]",
		`"data"`,
		`{"foo":1}`,
		`{"data":{}`,
		`{"errors":"boom"}`,
		`{"errors":[{"message":5}]}`,
		`{"errors":[{"message":"m","locations":"here"}]}`,
	} {
		t.Run(strconv.Quote(body), func(t *testing.T) {
			t.Parallel()
			srv, _ := apiTestServer(t, respondWith(http.StatusOK, body))
			err := newAPITestClient(t, srv).API(SimpleAPI).Request(t.Context(), `{ __typename }`, nil, nil)
			assert.ErrorIs(t, err, ErrInvalidResponse)
		})
	}
}

func TestAPIResponseSize(t *testing.T) {
	t.Parallel()
	// {"data":"xxx…"} of exactly size bytes.
	dataOfSize := func(size int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"data":"`)
			io.CopyN(w, repeatingReader('x'), int64(size-len(`{"data":""}`)))
			io.WriteString(w, `"}`)
		}
	}

	t.Run("at the limit", func(t *testing.T) {
		t.Parallel()
		srv, _ := apiTestServer(t, dataOfSize(maxResponseSize))
		assert.NoError(t, newAPITestClient(t, srv).API(SimpleAPI).Request(t.Context(), `{ __typename }`, nil, nil))
	})
	t.Run("past the limit", func(t *testing.T) {
		t.Parallel()
		srv, _ := apiTestServer(t, dataOfSize(maxResponseSize+1))
		var out string
		err := newAPITestClient(t, srv).API(SimpleAPI).Request(t.Context(), `{ __typename }`, nil, &out)
		assert.ErrorIs(t, err, ErrResponseTooLarge)
		assert.Empty(t, out)
	})
	t.Run("endless", func(t *testing.T) {
		t.Parallel()
		srv, _ := apiTestServer(t, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"data":"`)
			io.CopyN(w, repeatingReader('x'), 4*maxResponseSize) // ends early when the client hangs up
		})
		err := newAPITestClient(t, srv).API(SimpleAPI).Request(t.Context(), `{ __typename }`, nil, nil)
		assert.ErrorIs(t, err, ErrResponseTooLarge)
	})
}

// repeatingReader reads c forever.
type repeatingReader byte

func (r repeatingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestAPIContext(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv, _ := apiTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	a := newAPITestClient(t, srv).API(SimpleAPI)

	t.Run("canceled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := a.Request(ctx, `{ __typename }`, nil, nil)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("deadline passed", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(t.Context(), time.Now())
		defer cancel()
		err := a.Request(ctx, `{ __typename }`, nil, nil)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("canceled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() {
			<-arrived
			cancel()
		}()
		err := a.Request(ctx, `{ __typename }`, nil, nil)
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, ctx.Err())
	})
	t.Run("nil context", func(t *testing.T) {
		var noContext context.Context
		assert.Error(t, a.Request(noContext, `{ __typename }`, nil, nil))
	})
}

func TestAPIRootTokenRotation(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))
	c := newAPITestClient(t, srv)
	a := c.API(SimpleAPI)
	node := c.API(SimpleAPI, AsToken(apiTestNode))
	hc := a.HTTPClient()

	send := func() (request, httpClient, asNode string) {
		require.NoError(t, a.Request(t.Context(), `{ __typename }`, nil, nil))
		request = nextRequest(t, seen).Header.Get("Authorization")
		resp, err := hc.Get(a.URL())
		require.NoError(t, err)
		resp.Body.Close()
		httpClient = nextRequest(t, seen).Header.Get("Authorization")
		require.NoError(t, node.Request(t.Context(), `{ __typename }`, nil, nil))
		asNode = nextRequest(t, seen).Header.Get("Authorization")
		return request, httpClient, asNode
	}

	r, h, n := send()
	assert.Equal(t, "Bearer "+apiTestRoot, r)
	assert.Equal(t, "Bearer "+apiTestRoot, h)
	assert.Equal(t, "Bearer "+apiTestNode, n)

	// What SetRootTokens does once the token package is there.
	c.keys.Store(&keyring{roots: []string{apiTestRoot2, apiTestRoot}})

	r, h, n = send()
	assert.Equal(t, "Bearer "+apiTestRoot2, r, "an API made before the rotation uses the new root token")
	assert.Equal(t, "Bearer "+apiTestRoot2, h, "so does its HTTPClient")
	assert.Equal(t, "Bearer "+apiTestNode, n, "AsToken is not affected")
}

func TestAPIConcurrentUse(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	headers := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers[r.Header.Get("Authorization")]++
		mu.Unlock()
		io.WriteString(w, `{"data":{"n":1}}`)
	}))
	t.Cleanup(srv.Close)
	c := newAPITestClient(t, srv)
	a := c.API(SimpleAPI)

	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			var out struct{ N int }
			assert.NoError(t, a.Request(t.Context(), `{ n }`, nil, &out))
			assert.Equal(t, 1, out.N)
		})
		wg.Go(func() {
			roots := []string{apiTestRoot}
			if i%2 == 1 {
				roots = []string{apiTestRoot2}
			}
			c.keys.Store(&keyring{roots: roots})
		})
	}
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	for h := range headers {
		assert.Contains(t, []string{"Bearer " + apiTestRoot, "Bearer " + apiTestRoot2}, h)
	}
}

func TestAPIFormatsWithoutToken(t *testing.T) {
	t.Parallel()
	srv, _ := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))
	c := newAPITestClient(t, srv)
	c.endpoints.Simple = "https://user:url-password@api.example/simple/v1/svc"

	for _, a := range []*API{c.API(SimpleAPI, AsToken(apiTestNode)), c.API(SimpleAPI), c.API("relay/v2", AsToken(apiTestNode)), nil} {
		hc := a.HTTPClient()
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("api", "api", a)
		slog.New(slog.NewTextHandler(&logged, nil)).Info("api", "api", a)
		outputs := []string{
			fmt.Sprintf("%v %+v %#v %s %q %x %d", a, a, a, a, a, a, a),
			fmt.Sprint(a), fmt.Sprintln(a), a.String(), a.GoString(),
			fmt.Sprintf("%+v %#v", hc, hc), fmt.Sprintf("%+v %#v", hc.Transport, hc.Transport),
			logged.String(),
		}
		for _, s := range outputs {
			assertNoAPITokenIn(t, s)
			assert.NotContains(t, s, "url-password")
		}
		if a != nil {
			// A copied API value has no methods of *API: fmt reaches its
			// fields, and finds the token behind a pointer.
			assertNoAPITokenIn(t, fmt.Sprintf("%v %+v %#v", *a, *a, *a))
		}
	}
	assert.Equal(t, `auth.API{endpoint: "simple/v1", url: "https://user:xxxxx@api.example/simple/v1/svc", as: token [redacted]}`,
		fmt.Sprintf("%v", c.API("", AsToken(apiTestNode))))
}

// apiRecordingTransport notes the requests it carries before passing them on.
type apiRecordingTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	auth []string
}

func (rt *apiRecordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.auth = append(rt.auth, r.Header.Get("Authorization"))
	rt.mu.Unlock()
	return rt.base.RoundTrip(r)
}

func TestAPIHTTPClient(t *testing.T) {
	t.Parallel()
	srv, seen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{}}`))
	c := newAPITestClient(t, srv)
	rt := &apiRecordingTransport{base: srv.Client().Transport}
	jar := discardJar{}
	redirects := func(*http.Request, []*http.Request) error { return nil }
	own := &http.Client{Transport: rt, Timeout: 7 * time.Second, Jar: jar, CheckRedirect: redirects}
	c.httpClient = own
	before := *own

	tests := []struct {
		name string
		api  *API
		want string
	}{
		{"root token", c.API(SimpleAPI), "Bearer " + apiTestRoot},
		{"AsToken", c.API(SystemAPI, AsToken(apiTestNode)), "Bearer " + apiTestNode},
		{"unknown endpoint", c.API("relay/v2"), "Bearer " + apiTestRoot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hc := tt.api.HTTPClient()
			require.NotSame(t, own, hc)
			assert.Equal(t, own.Timeout, hc.Timeout, "the timeout is kept")
			assert.Equal(t, own.Jar, hc.Jar, "the cookie jar is kept")
			assert.NotNil(t, hc.CheckRedirect, "the redirect policy is kept")

			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/any", strings.NewReader(`{"query":"{ x }"}`))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer caller-set")
			resp, err := hc.Do(req)
			require.NoError(t, err)
			resp.Body.Close()

			got := nextRequest(t, seen)
			assert.Equal(t, []string{tt.want}, got.Header.Values("Authorization"))
			assert.JSONEq(t, `{"query":"{ x }"}`, string(got.Body))
			assert.Equal(t, "Bearer caller-set", req.Header.Get("Authorization"), "the caller's request is not changed")
		})
	}

	assert.Equal(t, before.Transport, own.Transport, "the Client's *http.Client is not changed")
	assert.Equal(t, before.Timeout, own.Timeout)
	assert.Same(t, c.httpClient, own)
	rt.mu.Lock()
	assert.Equal(t, []string{"Bearer " + apiTestRoot, "Bearer " + apiTestNode, "Bearer " + apiTestRoot}, rt.auth,
		"the Client's transport carries the requests")
	rt.mu.Unlock()

	t.Run("no http.Client", func(t *testing.T) {
		bare := &Client{endpoints: apiTestEndpoints(srv.URL)}
		bare.keys.Store(&keyring{roots: []string{apiTestRoot}})
		hc := bare.API(SimpleAPI).HTTPClient()
		assert.Equal(t, defaultHTTPTimeout, hc.Timeout)
		resp, err := hc.Get(srv.URL)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "Bearer "+apiTestRoot, nextRequest(t, seen).Header.Get("Authorization"))
	})
}

// discardJar is a cookie jar that keeps nothing.
type discardJar struct{}

func (discardJar) SetCookies(*url.URL, []*http.Cookie) {}
func (discardJar) Cookies(*url.URL) []*http.Cookie     { return nil }

func TestAPIRedirects(t *testing.T) {
	t.Parallel()
	other, otherSeen := apiTestServer(t, respondWith(http.StatusOK, `{"data":{"where":"other"}}`))
	srv, seen := apiTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/simple/v1/svc":
			http.Redirect(w, r, "/moved", http.StatusTemporaryRedirect)
		case "/relay/v1/svc":
			http.Redirect(w, r, other.URL+"/elsewhere", http.StatusTemporaryRedirect)
		case "/system":
			http.Redirect(w, r, other.URL+"/back?to="+r.Host, http.StatusFound)
		default:
			io.WriteString(w, `{"data":{"where":"home"}}`)
		}
	})
	c := newAPITestClient(t, srv)

	t.Run("same origin keeps the token", func(t *testing.T) {
		var out struct{ Where string }
		require.NoError(t, c.API(SimpleAPI).Request(t.Context(), `{ where }`, nil, &out))
		assert.Equal(t, "home", out.Where)
		assert.Equal(t, "Bearer "+apiTestRoot, nextRequest(t, seen).Header.Get("Authorization"))
		moved := nextRequest(t, seen)
		assert.Equal(t, "/moved", moved.Path)
		assert.Equal(t, "Bearer "+apiTestRoot, moved.Header.Get("Authorization"))
	})
	t.Run("another origin gets no token", func(t *testing.T) {
		var out struct{ Where string }
		require.NoError(t, c.API(RelayAPI, AsToken(apiTestNode)).Request(t.Context(), `{ where }`, nil, &out))
		assert.Equal(t, "other", out.Where)
		assert.Equal(t, "Bearer "+apiTestNode, nextRequest(t, seen).Header.Get("Authorization"))
		elsewhere := nextRequest(t, otherSeen)
		assert.Equal(t, "/elsewhere", elsewhere.Path)
		assert.Empty(t, elsewhere.Header.Values("Authorization"))
		assertNoAPITokenIn(t, fmt.Sprint(elsewhere.Header))
	})
	t.Run("HTTPClient: another origin gets no token", func(t *testing.T) {
		resp, err := c.API(SystemAPI).HTTPClient().Get(srv.URL + "/system")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "Bearer "+apiTestRoot, nextRequest(t, seen).Header.Get("Authorization"))
		back := nextRequest(t, otherSeen)
		assert.Equal(t, "/back", back.Path)
		assert.Empty(t, back.Header.Values("Authorization"))
	})
}

func TestLeavesOrigin(t *testing.T) {
	t.Parallel()
	req := func(rawURL string, prev *http.Request) *http.Request {
		r := httptest.NewRequest(http.MethodGet, rawURL, nil)
		if prev != nil {
			r.Response = &http.Response{Request: prev}
		}
		return r
	}
	first := req("https://api.example/simple/v1/svc", nil)
	tests := []struct {
		name string
		req  *http.Request
		want bool
	}{
		{"the request made", first, false},
		{"same origin", req("https://api.example/other", first), false},
		{"host in another case", req("https://API.example/other", first), false},
		{"two hops back home", req("https://api.example/x", req("https://other.example/", first)), false},
		{"another host", req("https://other.example/", first), true},
		{"a subdomain", req("https://evil.api.example/", first), true},
		{"another port", req("https://api.example:8443/", first), true},
		{"plain http", req("http://api.example/simple/v1/svc", first), true},
		{"unknown origin", func() *http.Request {
			r := req("https://api.example/", nil)
			r.Response = &http.Response{}
			return r
		}(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, leavesOrigin(tt.req))
		})
	}
}

func TestAPIErrorMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&GraphQLError{}, "auth: graphql: error"},
		{&GraphQLError{Errors: []GraphQLErrorItem{{Message: "one"}}}, "auth: graphql: one"},
		{&GraphQLError{Errors: []GraphQLErrorItem{{Message: "one"}, {Message: "two"}}}, "auth: graphql: one (and 1 more)"},
		{&HTTPError{StatusCode: 418}, "auth: http: 418 I'm a teapot"},
		{&HTTPError{StatusCode: 500, Status: "500 Internal Server Error", Body: "secret details"}, "auth: http: 500 Internal Server Error"},
		{(&API{name: "relay/v2"}).wrap(ErrUnknownEndpoint), `auth: api "relay/v2": unknown API endpoint`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, s, tok, want string
	}{
		{"raw", "Bearer abc.def-ghi", "abc.def-ghi", "Bearer [redacted]"},
		{"several", "t1=tok-0123 t2=tok-0123", "tok-0123", "t1=[redacted] t2=[redacted]"},
		{"JSON-escaped", `{"h":"a\u003cb\"c\/d"}`, `a<b"c/d`, `{"h":"[redacted]"}`},
		{"URL-escaped", "?token=a%2Bb%2Fc", "a+b/c", "?token=[redacted]"},
		{"formed again by the replacement", "]abc" + "abc", "]abc", "[redacted]"},
		{"absent", "nothing here", "tok-0123", "nothing here"},
		{"empty token", "text", "", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redact(tt.s, tt.tok)
			assert.Equal(t, tt.want, got)
			if tt.tok != "" {
				assert.NotContains(t, got, tt.tok)
			}
		})
	}
}

// FuzzDecodeResponse feeds arbitrary responses to the decoder: it must not
// panic, and nothing it returns may contain the token. Its seeds, a status
// and a body each, are in testdata/fuzz/FuzzDecodeResponse; they hold the
// token below.
func FuzzDecodeResponse(f *testing.F) {
	const tok = "fuzz-token-0123456789abcdefghijklmnop"
	f.Fuzz(func(t *testing.T, status int, body string) {
		var out any
		err := decodeResponse(status, strconv.Itoa(status)+" "+tok, []byte(body), tok, &out)
		if err == nil {
			return
		}
		assert.NotContains(t, err.Error(), tok)
		var herr *HTTPError
		if errors.As(err, &herr) {
			assert.LessOrEqual(t, len(herr.Body), maxErrorBody)
			assert.NotContains(t, herr.Body, tok)
			assert.NotContains(t, herr.Status, tok)
		}
		var gerr *GraphQLError
		if errors.As(err, &gerr) {
			assert.NotContains(t, fmt.Sprintf("%#v", gerr.Errors), tok)
		}
	})
}
