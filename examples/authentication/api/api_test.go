package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/api"
	"github.com/graphcool-go/graphcool-lib/token"
)

const serviceID = "cj9api0test"

const (
	loggedInUser = `{ loggedInUser { id email } }`
	lookup       = `query ($email: String!) { User(email: $email) { id email passwordHash } }`
	create       = `mutation ($email: String!, $passwordHash: String!) {
		createUser(email: $email, passwordHash: $passwordHash) { id }
	}`
)

// fixture is an API server on loopback with one User, Ada.
type fixture struct {
	url    string // the Simple API endpoint
	root   string
	client *auth.Client
	adaID  string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	client, err := auth.New(serviceID, []string{root})
	require.NoError(t, err)
	srv := httptest.NewServer(api.NewHandler(client))
	t.Cleanup(srv.Close)
	f := &fixture{url: srv.URL + api.Path(serviceID), root: root, client: client}

	r := f.post(t, "Bearer "+root, create, map[string]any{"email": "ada@example.com", "passwordHash": "$2a$04$hash"})
	require.Empty(t, r.Errors)
	var out struct{ CreateUser struct{ ID string } }
	require.NoError(t, json.Unmarshal(r.Data, &out))
	require.NotEmpty(t, out.CreateUser.ID)
	f.adaID = out.CreateUser.ID
	return f
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// code returns the Graphcool code of the only error of r, 0 for none.
func (r response) code(t *testing.T) int {
	t.Helper()
	if len(r.Errors) == 0 {
		return 0
	}
	require.Len(t, r.Errors, 1)
	c, _ := r.Errors[0].Extensions["code"].(float64)
	return int(c)
}

// post sends a GraphQL request with the Authorization header authz (none
// when "") and expects 200.
func (f *fixture) post(t *testing.T, authz, query string, variables map[string]any) response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.url, bytes.NewReader(body))
	require.NoError(t, err)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var r response
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	return r
}

// callers returns the Authorization header of each kind of caller.
func (f *fixture) callers(t *testing.T) map[string]string {
	t.Helper()
	mint := func(id, model string) string {
		tok, err := f.client.GenerateAuthToken(id, model)
		require.NoError(t, err)
		return "Bearer " + tok
	}
	other, err := token.NewRootToken()
	require.NoError(t, err)
	otherClient, err := auth.New(serviceID, []string{other})
	require.NoError(t, err)
	foreign, err := otherClient.GenerateAuthToken(f.adaID, "User")
	require.NoError(t, err)
	return map[string]string{
		"anonymous":                  "",
		"garbage token":              "Bearer not-a-token",
		"token of another root":      "Bearer " + foreign,
		"another root token":         "Bearer " + other,
		"Ada":                        mint(f.adaID, "User"),
		"a User that does not exist": mint("cj9nobody", "User"),
		"a Post node":                mint(f.adaID, "Post"),
		"root":                       "Bearer " + f.root,
	}
}

func TestLoggedInUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for name, authz := range f.callers(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := f.post(t, authz, loggedInUser, nil)
			require.Empty(t, r.Errors)
			if name == "Ada" {
				assert.JSONEq(t, `{"loggedInUser":{"id":"`+f.adaID+`","email":"ada@example.com"}}`, string(r.Data))
				return
			}
			assert.JSONEq(t, `{"loggedInUser":null}`, string(r.Data))
		})
	}
}

func TestLoggedInUserHasNoHash(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.post(t, f.callers(t)["Ada"], `{ loggedInUser { passwordHash } }`, nil)
	require.NotEmpty(t, r.Errors, "the field does not exist")
	assert.Contains(t, r.Errors[0].Message, `Cannot query field "passwordHash"`)
	assert.Empty(t, r.Data)
}

func TestRootOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for name, authz := range f.callers(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := f.post(t, authz, lookup, map[string]any{"email": "ada@example.com"})
			if name != "root" {
				assert.Equal(t, api.CodeInsufficientPermissions, r.code(t))
				assert.JSONEq(t, `{"User":null}`, string(r.Data))
			} else {
				require.Empty(t, r.Errors)
				assert.JSONEq(t, `{"User":{"id":"`+f.adaID+`","email":"ada@example.com","passwordHash":"$2a$04$hash"}}`, string(r.Data))
			}

			email := strings.ReplaceAll(name, " ", ".") + "@example.com"
			r = f.post(t, authz, create, map[string]any{"email": email, "passwordHash": "h"})
			if name != "root" {
				assert.Equal(t, api.CodeInsufficientPermissions, r.code(t))
				assert.JSONEq(t, `{"createUser":null}`, string(r.Data))
			} else {
				assert.Zero(t, r.code(t))
			}
		})
	}
}

func TestLookupOfUnknownEmail(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.post(t, "Bearer "+f.root, lookup, map[string]any{"email": "bob@example.com"})
	require.Empty(t, r.Errors)
	assert.JSONEq(t, `{"User":null}`, string(r.Data))
}

// TestCreateUserIsUnique creates the same User from many goroutines at
// once: exactly one succeeds, the others get error 3010.
func TestCreateUserIsUnique(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const n = 16
	codes := make([]int, n)
	t.Run("at once", func(t *testing.T) { // returns when all its subtests have
		for i := range n {
			t.Run(strconv.Itoa(i), func(t *testing.T) {
				t.Parallel()
				r := f.post(t, "Bearer "+f.root, create, map[string]any{"email": "bob@example.com", "passwordHash": "h"})
				codes[i] = r.code(t)
			})
		}
	})
	var created, taken int
	for _, c := range codes {
		switch c {
		case 0:
			created++
		case api.CodeUniqueConstraint:
			taken++
		}
	}
	assert.Equal(t, 1, created)
	assert.Equal(t, n-1, taken)

	r := f.post(t, "Bearer "+f.root, create, map[string]any{"email": "ada@example.com", "passwordHash": "h"})
	assert.Equal(t, api.CodeUniqueConstraint, r.code(t), "Ada exists already")
}

func TestHTTP(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	base := strings.TrimSuffix(f.url, api.Path(serviceID))
	for _, tc := range []struct {
		name, method, url, body string
		want                    int
	}{
		{"GET", http.MethodGet, f.url, "", http.StatusMethodNotAllowed},
		{"another service", http.MethodPost, base + api.Path("cj9other"), `{"query":"{ loggedInUser { id } }"}`, http.StatusNotFound},
		{"not JSON", http.MethodPost, f.url, `query`, http.StatusBadRequest},
		{"over 1 MiB", http.MethodPost, f.url, `{"query":"` + strings.Repeat(" ", 1<<20) + `{ loggedInUser { id } }"}`, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), tc.method, tc.url, strings.NewReader(tc.body))
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode)
		})
	}
}
