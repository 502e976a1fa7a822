package auth_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/token"
)

const apiServiceID = "cj9service0api"

// apiStandIn is a loopback server standing in for a service's APIs. It
// authenticates each request with the Verify of the client set with serve,
// as the real API does, and answers with the caller it found.
type apiStandIn struct {
	*httptest.Server

	mu      sync.Mutex
	client  *auth.Client
	headers []string
}

func newAPIStandIn(t *testing.T) *apiStandIn {
	t.Helper()
	s := &apiStandIn{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

func (s *apiStandIn) serve(c *auth.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.client = c
}

// lastHeader returns the Authorization header of the last request.
func (s *apiStandIn) lastHeader() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.headers) == 0 {
		return ""
	}
	return s.headers[len(s.headers)-1]
}

func (s *apiStandIn) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c := s.client
	s.headers = append(s.headers, r.Header.Get("Authorization"))
	s.mu.Unlock()

	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	id, err := c.Verify(r.Context(), strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	if err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"errors":[{"message":"Insufficient Permissions","code":3008}]}`)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{
		"caller":    map[string]any{"kind": id.Kind.String(), "nodeId": id.NodeID, "modelType": id.ModelType},
		"path":      r.URL.Path,
		"variables": req.Variables,
	}})
}

// apiAnswer is the data the stand-in answers with.
type apiAnswer struct {
	Caller struct {
		Kind      string `json:"kind"`
		NodeID    string `json:"nodeId"`
		ModelType string `json:"modelType"`
	} `json:"caller"`
	Path      string         `json:"path"`
	Variables map[string]any `json:"variables"`
}

func apiEndpoints(base string) event.Endpoints {
	return event.Endpoints{
		Simple: base + "/simple/v1/" + apiServiceID,
		Relay:  base + "/relay/v1/" + apiServiceID,
		System: base + "/system",
	}
}

func apiRootToken(t *testing.T) string {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	return root
}

func TestAPIOfNewClient(t *testing.T) {
	t.Parallel()
	srv := newAPIStandIn(t)
	root := apiRootToken(t)
	c, err := auth.New(apiServiceID, []string{root},
		auth.WithEndpoints(apiEndpoints(srv.URL)), auth.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	srv.serve(c)
	nodeToken, err := c.GenerateAuthToken("cj9user0ada", "User")
	require.NoError(t, err)

	tests := []struct {
		name     string
		api      *auth.API
		wantPath string
		wantKind string
		wantNode string
	}{
		{"simple/v1 as root", c.API(""), "/simple/v1/" + apiServiceID, "root", ""},
		{"relay/v1 as root", c.API(auth.RelayAPI), "/relay/v1/" + apiServiceID, "root", ""},
		{"system as root", c.API(auth.SystemAPI), "/system", "root", ""},
		{"simple/v1 on behalf of a node", c.API(auth.SimpleAPI, auth.AsToken(nodeToken)), "/simple/v1/" + apiServiceID, "node", "cj9user0ada"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out apiAnswer
			err := tt.api.Request(t.Context(), `query ($n: String) { caller { kind } }`, map[string]any{"n": `"}) { evil }`}, &out)
			require.NoError(t, err)
			assert.Equal(t, tt.wantPath, out.Path)
			assert.Equal(t, tt.wantKind, out.Caller.Kind)
			assert.Equal(t, tt.wantNode, out.Caller.NodeID)
			assert.Equal(t, map[string]any{"n": `"}) { evil }`}, out.Variables)
		})
	}

	t.Run("unknown endpoint", func(t *testing.T) {
		err := c.API("relay/v2").Request(t.Context(), `{ caller { kind } }`, nil, nil)
		assert.ErrorIs(t, err, auth.ErrUnknownEndpoint)
	})
	t.Run("a token the API refuses", func(t *testing.T) {
		err := c.API("", auth.AsToken(nodeToken+"x")).Request(t.Context(), `{ caller { kind } }`, nil, nil)
		var herr *auth.HTTPError
		require.ErrorAs(t, err, &herr)
		assert.Equal(t, http.StatusUnauthorized, herr.StatusCode)
		var gerr *auth.GraphQLError
		require.ErrorAs(t, err, &gerr)
		assert.Equal(t, "Insufficient Permissions", gerr.Errors[0].Message)
		assert.Equal(t, float64(3008), gerr.Errors[0].Extensions["code"])
	})
}

func TestAPIFollowsSetRootTokens(t *testing.T) {
	t.Parallel()
	srv := newAPIStandIn(t)
	oldRoot, newRoot := apiRootToken(t), apiRootToken(t)
	c, err := auth.New(apiServiceID, []string{oldRoot},
		auth.WithEndpoints(apiEndpoints(srv.URL)), auth.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	srv.serve(c)
	api := c.API(auth.SimpleAPI)
	hc := api.HTTPClient()

	require.NoError(t, api.Request(t.Context(), `{ caller { kind } }`, nil, nil))
	assert.Equal(t, "Bearer "+oldRoot, srv.lastHeader())

	require.NoError(t, c.SetRootTokens([]string{newRoot, oldRoot}))
	var out apiAnswer
	require.NoError(t, api.Request(t.Context(), `{ caller { kind } }`, nil, &out))
	assert.Equal(t, "Bearer "+newRoot, srv.lastHeader(), "an API made before SetRootTokens sends the new root token")
	assert.Equal(t, "root", out.Caller.Kind)

	resp, err := hc.Post(api.URL(), "application/json", strings.NewReader(`{"query":"{ caller { kind } }"}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "Bearer "+newRoot, srv.lastHeader(), "so does its HTTPClient")
}

func TestAPIOfFromEvent(t *testing.T) {
	t.Parallel()
	srv := newAPIStandIn(t)
	root := apiRootToken(t)
	ev := &event.Event{Context: event.Context{Graphcool: event.Graphcool{
		RootToken: root, ServiceID: apiServiceID, Endpoints: apiEndpoints(srv.URL),
	}}}
	c, err := auth.FromEvent(ev, auth.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	srv.serve(c)

	api := c.API(auth.SystemAPI)
	assert.Equal(t, ev.Context.Graphcool.Endpoints.System, api.URL())
	var out apiAnswer
	require.NoError(t, api.Request(t.Context(), `{ caller { kind } }`, nil, &out))
	assert.Equal(t, "root", out.Caller.Kind)
	assert.Equal(t, "/system", out.Path)
}

func TestAPINeverShowsItsToken(t *testing.T) {
	t.Parallel()
	root := apiRootToken(t)
	c, err := auth.New(apiServiceID, []string{root}, auth.WithEndpoints(apiEndpoints("https://api.example")))
	require.NoError(t, err)
	nodeToken, err := c.GenerateAuthToken("cj9user0ada", "User")
	require.NoError(t, err)

	for _, api := range []*auth.API{c.API(""), c.API("", auth.AsToken(nodeToken))} {
		var logged strings.Builder
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("calling", "api", api)
		for _, s := range []string{
			fmt.Sprintf("%v %+v %#v %s", api, api, api, api),
			fmt.Sprintf("%v %+v %#v", *api, *api, *api),
			fmt.Sprintf("%+v %#v", api.HTTPClient(), api.HTTPClient().Transport),
			logged.String(),
		} {
			assert.NotContains(t, s, root)
			assert.NotContains(t, s, nodeToken)
		}
	}
}
