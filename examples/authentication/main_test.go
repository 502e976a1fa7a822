package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/api"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/emailpassword"
	"github.com/graphcool-go/graphcool-lib/token"
)

// TestEmailPasswordFlow drives the whole loop over loopback, as a client
// and Graphcool would: the functions are called with events over HTTP,
// they call the API over HTTP, and the tokens they return are used against
// the API over HTTP.
func TestEmailPasswordFlow(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	const email, password = "ada@example.com", "correct horse battery"

	// Sign up: the result is the new User's id and a token for it.
	ada, msg := srv.call(t, "/signup", email, password)
	require.Empty(t, msg)
	require.NotEmpty(t, ada.ID)
	require.NotEmpty(t, ada.Token)

	// The token is a User's token of this service...
	verifier, err := auth.New(serviceID, []string{srv.root})
	require.NoError(t, err)
	id, err := verifier.Verify(t.Context(), ada.Token)
	require.NoError(t, err)
	assert.Equal(t, auth.Node, id.Kind)
	assert.Equal(t, ada.ID, id.NodeID)
	assert.Equal(t, "User", id.ModelType)

	// ...and the API answers it with that User, without the hash.
	me := srv.loggedInUser(t, ada.Token)
	require.NotNil(t, me)
	assert.Equal(t, ada.ID, me.ID)
	assert.Equal(t, email, me.Email)

	t.Run("authenticate with the right password", func(t *testing.T) {
		got, msg := srv.call(t, "/authenticate", "  ADA@example.com ", password)
		require.Empty(t, msg)
		assert.Equal(t, ada.ID, got.ID)
		me := srv.loggedInUser(t, got.Token)
		require.NotNil(t, me)
		assert.Equal(t, ada.ID, me.ID)
	})

	t.Run("a wrong password and an unknown email get the same error", func(t *testing.T) {
		_, wrong := srv.call(t, "/authenticate", email, "correct horse battery!")
		_, unknown := srv.call(t, "/authenticate", "bob@example.com", password)
		_, empty := srv.call(t, "/authenticate", email, "")
		assert.Equal(t, emailpassword.ErrInvalidCredentials.Error(), wrong)
		assert.Equal(t, wrong, unknown)
		assert.Equal(t, wrong, empty)
	})

	t.Run("a second signup with the same email is refused", func(t *testing.T) {
		for _, again := range []string{email, "Ada@Example.com"} {
			got, msg := srv.call(t, "/signup", again, "another password")
			assert.Equal(t, emailpassword.ErrEmailTaken.Error(), msg, again)
			assert.Empty(t, got.Token)
		}
		// The first password still holds.
		_, msg := srv.call(t, "/authenticate", email, "another password")
		assert.Equal(t, emailpassword.ErrInvalidCredentials.Error(), msg)
	})

	t.Run("a tampered token is anonymous", func(t *testing.T) {
		tampered := ada.Token[:len(ada.Token)-2] + flip(ada.Token[len(ada.Token)-2])
		assert.Nil(t, srv.loggedInUser(t, tampered))
		assert.Nil(t, srv.loggedInUser(t, ""), "no token")
		assert.Nil(t, srv.loggedInUser(t, srv.root), "root is no User")
	})

	t.Run("only root may look Users up and create them", func(t *testing.T) {
		const lookup = `query ($email: String!) { User(email: $email) { id passwordHash } }`
		const create = `mutation ($email: String!, $passwordHash: String!) {
			createUser(email: $email, passwordHash: $passwordHash) { id email }
		}`
		hash, err := bcrypt.GenerateFromPassword([]byte("eve's password"), bcrypt.MinCost)
		require.NoError(t, err)
		eve := map[string]any{"email": "eve@example.com", "passwordHash": string(hash)}

		for name, tok := range map[string]string{"node": ada.Token, "anonymous": ""} {
			r := srv.graphQL(t, tok, lookup, map[string]any{"email": email})
			assert.JSONEq(t, `{"User":null}`, string(r.Data), name)
			assert.Equal(t, []int{api.CodeInsufficientPermissions}, r.codes(), name)

			r = srv.graphQL(t, tok, create, eve)
			assert.JSONEq(t, `{"createUser":null}`, string(r.Data), name)
			assert.Equal(t, []int{api.CodeInsufficientPermissions}, r.codes(), name)
		}

		r := srv.graphQL(t, srv.root, lookup, map[string]any{"email": email})
		require.Empty(t, r.Errors)
		var found struct {
			User struct{ ID, PasswordHash string }
		}
		require.NoError(t, json.Unmarshal(r.Data, &found))
		assert.Equal(t, ada.ID, found.User.ID)
		assert.NoError(t, bcrypt.CompareHashAndPassword([]byte(found.User.PasswordHash), []byte(password)))

		r = srv.graphQL(t, srv.root, create, eve)
		require.Empty(t, r.Errors)
		var created struct {
			CreateUser struct{ ID, Email string }
		}
		require.NoError(t, json.Unmarshal(r.Data, &created))
		assert.NotEmpty(t, created.CreateUser.ID)
		assert.Equal(t, "eve@example.com", created.CreateUser.Email)

		// Eve, created by root with her hash, can authenticate.
		got, msg := srv.call(t, "/authenticate", "eve@example.com", "eve's password")
		require.Empty(t, msg)
		assert.Equal(t, created.CreateUser.ID, got.ID)
	})
}

// TestSignupRefusesBadInput checks the input rules through the webhook.
func TestSignupRefusesBadInput(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	for _, tc := range []struct {
		name, email, password string
		want                  error
	}{
		{"not an address", "ada", "long enough password", emailpassword.ErrInvalidEmail},
		{"no domain dot", "ada@localhost", "long enough password", emailpassword.ErrInvalidEmail},
		{"display name", "Ada <ada@example.com>", "long enough password", emailpassword.ErrInvalidEmail},
		{"short password", "ada@example.com", "short", emailpassword.ErrPasswordTooShort},
		{"password over 72 bytes", "ada@example.com", strings.Repeat("x", 73), emailpassword.ErrPasswordTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, msg := srv.call(t, "/signup", tc.email, tc.password)
			assert.True(t, strings.HasPrefix(msg, tc.want.Error()), "got %q, want %q", msg, tc.want)
			assert.Empty(t, got.ID)
		})
	}
}

// TestRun starts the program as main does and stops it at once.
func TestRun(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out))
	text := out.String()
	assert.Contains(t, text, "project API (Simple): http://127.0.0.1:")
	assert.Contains(t, text, "/simple/v1/"+serviceID)
	assert.Contains(t, text, "signup function:       http://127.0.0.1:")
	assert.Contains(t, text, "authenticate function: http://127.0.0.1:")
	assert.Contains(t, text, `"rootToken":"gcr_`)
}

// startServer runs the example servers for one test, with cheap bcrypt.
func startServer(t *testing.T) *server {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	fns, err := emailpassword.New(emailpassword.WithBcryptCost(bcrypt.MinCost),
		emailpassword.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(t, err)
	srv, err := newServer(root, fns)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Close()) })
	return srv
}

// call calls the function at path with an email and a password, as
// Graphcool does, and returns its result or its error message.
func (s *server) call(t *testing.T, path, email, password string) (emailpassword.Result, string) {
	t.Helper()
	body, err := s.event(map[string]string{"email": email, "password": password})
	require.NoError(t, err)
	resp, err := http.Post(s.functionsURL+path, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if len(password) >= 8 { // shorter ones may be words of a message
		assert.NotContains(t, string(b), password, "the response never holds the password")
	}
	assert.NotContains(t, string(b), "$2a$", "nor a hash")

	var out struct {
		Data  *emailpassword.Result `json:"data"`
		Error string                `json:"error"`
	}
	require.NoError(t, json.Unmarshal(b, &out))
	if out.Data == nil {
		require.NotEmpty(t, out.Error)
		return emailpassword.Result{}, out.Error
	}
	return *out.Data, out.Error
}

// user is what loggedInUser answers.
type user struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// loggedInUser asks the API who the holder of tok is ("": no token).
func (s *server) loggedInUser(t *testing.T, tok string) *user {
	t.Helper()
	r := s.graphQL(t, tok, `{ loggedInUser { id email } }`, nil)
	require.Empty(t, r.Errors)
	var out struct {
		LoggedInUser *user `json:"loggedInUser"`
	}
	require.NoError(t, json.Unmarshal(r.Data, &out))
	return out.LoggedInUser
}

// gqlResponse is a GraphQL response.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// codes returns the Graphcool codes of the errors.
func (r gqlResponse) codes() []int {
	var codes []int
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(float64)
		codes = append(codes, int(c))
	}
	return codes
}

// graphQL sends a GraphQL request to the API with "Authorization: Bearer
// tok", or without Authorization when tok is "".
func (s *server) graphQL(t *testing.T, tok, query string, variables map[string]any) gqlResponse {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.apiURL, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var r gqlResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	return r
}

// flip returns a base64url character other than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
