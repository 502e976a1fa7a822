package emailpassword_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/api"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/emailpassword"
	"github.com/graphcool-go/graphcool-lib/token"
)

const serviceID = "cj9emailpassword0test"

// newFunctions returns functions with cheap bcrypt that log into the
// returned buffer.
func newFunctions(t *testing.T) (*emailpassword.Functions, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	fns, err := emailpassword.New(emailpassword.WithBcryptCost(bcrypt.MinCost),
		emailpassword.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	require.NoError(t, err)
	return fns, &logs
}

// newEvent returns the event Graphcool sends with data, for the service
// with root token root and Simple API at simple ("" for none).
func newEvent(t *testing.T, root, simple string, data any) *event.Event {
	t.Helper()
	graphcool := map[string]any{"serviceId": serviceID, "endpoints": map[string]any{"simple": simple}}
	if root != "" {
		graphcool["rootToken"] = root
	}
	raw, err := json.Marshal(map[string]any{"data": data, "context": map[string]any{"graphcool": graphcool}})
	require.NoError(t, err)
	ev, err := event.Parse(raw)
	require.NoError(t, err)
	return ev
}

// startAPI runs the project API on loopback and returns its root token,
// a client of it and its Simple endpoint.
func startAPI(t *testing.T) (root string, client *auth.Client, simple string) {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	server, err := auth.New(serviceID, []string{root})
	require.NoError(t, err)
	srv := httptest.NewServer(api.NewHandler(server))
	t.Cleanup(srv.Close)
	simple = srv.URL + api.Path(serviceID)
	client, err = auth.New(serviceID, []string{root}, auth.WithEndpoints(event.Endpoints{Simple: simple}))
	require.NoError(t, err)
	return root, client, simple
}

func creds(email, password string) map[string]string {
	return map[string]string{"email": email, "password": password}
}

func TestNewRefusesBadOptions(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]emailpassword.Option{
		"cost below bcrypt's minimum": emailpassword.WithBcryptCost(bcrypt.MinCost - 1),
		"cost above bcrypt's maximum": emailpassword.WithBcryptCost(bcrypt.MaxCost + 1),
		"minimum password length 0":   emailpassword.WithMinPasswordLength(0),
		"minimum password length 73":  emailpassword.WithMinPasswordLength(73),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := emailpassword.New(opt)
			assert.Error(t, err)
		})
	}
}

// TestSignupAndAuthenticate calls both functions directly, as the webhook
// handler and the Lambda handler do.
func TestSignupAndAuthenticate(t *testing.T) {
	t.Parallel()
	fns, logs := newFunctions(t)
	root, client, simple := startAPI(t)
	ctx := t.Context()

	out, err := fns.Signup(ctx, newEvent(t, root, simple, creds(" Grace@Example.com", "pässwörd")))
	require.NoError(t, err)
	signedUp, ok := out.(emailpassword.Result)
	require.True(t, ok, "Signup returns a Result, got %T", out)
	id, err := client.Verify(ctx, signedUp.Token)
	require.NoError(t, err)
	assert.Equal(t, signedUp.ID, id.NodeID)
	assert.Equal(t, emailpassword.ModelType, id.ModelType)

	// The API stores the trimmed, lower-cased email and a bcrypt hash of
	// the configured cost.
	var stored struct {
		User struct{ Email, PasswordHash string }
	}
	require.NoError(t, client.API(auth.SimpleAPI).Request(ctx,
		`query ($email: String!) { User(email: $email) { email passwordHash } }`,
		map[string]any{"email": "grace@example.com"}, &stored))
	assert.Equal(t, "grace@example.com", stored.User.Email)
	cost, err := bcrypt.Cost([]byte(stored.User.PasswordHash))
	require.NoError(t, err)
	assert.Equal(t, bcrypt.MinCost, cost)

	out, err = fns.Authenticate(ctx, newEvent(t, root, simple, creds("grace@example.com", "pässwörd")))
	require.NoError(t, err)
	assert.Equal(t, signedUp.ID, out.(emailpassword.Result).ID)

	for name, c := range map[string]map[string]string{
		"wrong password":  creds("grace@example.com", "passwörd"),
		"unknown email":   creds("ada@example.com", "pässwörd"),
		"malformed email": creds("grace", "pässwörd"),
		"empty password":  creds("grace@example.com", ""),
		"over 72 bytes":   creds("grace@example.com", "pässwörd"+strings.Repeat("x", 70)),
		"trailing space":  creds("Grace@example.com", "pässwörd "),
	} {
		_, err := fns.Authenticate(ctx, newEvent(t, root, simple, c))
		assert.ErrorIs(t, err, emailpassword.ErrInvalidCredentials, name)
	}

	_, err = fns.Signup(ctx, newEvent(t, root, simple, creds("GRACE@example.com", "another password")))
	assert.ErrorIs(t, err, emailpassword.ErrEmailTaken)
	assert.Empty(t, logs.String(), "nothing went wrong")
}

// TestSignupRefusesBadInput: input is checked before anything is sent.
func TestSignupRefusesBadInput(t *testing.T) {
	t.Parallel()
	fns, _ := newFunctions(t)
	for _, tc := range []struct {
		name string
		data any
		want error
	}{
		{"no data", nil, event.ErrNoData},
		{"email of the wrong type", map[string]any{"email": 5, "password": "long enough"}, event.ErrInvalidData},
		{"empty email", creds("", "long enough"), emailpassword.ErrInvalidEmail},
		{"no @", creds("ada.example.com", "long enough"), emailpassword.ErrInvalidEmail},
		{"no dot in the domain", creds("ada@example", "long enough"), emailpassword.ErrInvalidEmail},
		{"address literal", creds("ada@[127.0.0.1]", "long enough"), emailpassword.ErrInvalidEmail},
		{"display name", creds("Ada <ada@example.com>", "long enough"), emailpassword.ErrInvalidEmail},
		{"two addresses", creds("ada@example.com, bob@example.com", "long enough"), emailpassword.ErrInvalidEmail},
		{"over 254 bytes", creds(strings.Repeat("a", 250)+"@example.com", "long enough"), emailpassword.ErrInvalidEmail},
		{"empty password", creds("ada@example.com", ""), emailpassword.ErrPasswordTooShort},
		{"7 characters", creds("ada@example.com", "sesame7"), emailpassword.ErrPasswordTooShort},
		{"73 bytes", creds("ada@example.com", strings.Repeat("x", 73)), emailpassword.ErrPasswordTooLong},
		// Valid input gets as far as the event's root token, which is missing.
		{"8 characters in 16 bytes", creds("ada@example.com", "ääääääää"), emailpassword.ErrUnavailable},
		{"72 bytes", creds("ada@example.com", strings.Repeat("x", 72)), emailpassword.ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := fns.Signup(t.Context(), newEvent(t, "", "http://127.0.0.1:1/", tc.data))
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestMinPasswordLength(t *testing.T) {
	t.Parallel()
	fns, err := emailpassword.New(emailpassword.WithBcryptCost(bcrypt.MinCost), emailpassword.WithMinPasswordLength(12))
	require.NoError(t, err)
	_, err = fns.Signup(t.Context(), newEvent(t, "", "", creds("ada@example.com", "elevenchars")))
	assert.ErrorIs(t, err, emailpassword.ErrPasswordTooShort)
	assert.Contains(t, err.Error(), "at least 12 characters")
}

// TestUnavailable: when the function cannot do its work, the caller reads
// ErrUnavailable and the cause is logged, without secrets.
func TestUnavailable(t *testing.T) {
	t.Parallel()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	down := httptest.NewServer(nil)
	down.Close() // nothing listens there any more

	for _, tc := range []struct {
		name, root, simple, logged string
	}{
		{"no root token", "", down.URL, "cannot read the event"},
		{"no API endpoint", root, "", "cannot create the user"},
		{"API down", root, down.URL + api.Path(serviceID), "cannot create the user"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fns, logs := newFunctions(t)
			_, err := fns.Signup(t.Context(), newEvent(t, tc.root, tc.simple, creds("ada@example.com", "s3cret password")))
			assert.ErrorIs(t, err, emailpassword.ErrUnavailable)
			assert.Equal(t, emailpassword.ErrUnavailable.Error(), err.Error(), "no cause is told to the caller")

			_, err = fns.Authenticate(t.Context(), newEvent(t, tc.root, tc.simple, creds("ada@example.com", "s3cret password")))
			assert.ErrorIs(t, err, emailpassword.ErrUnavailable)

			assert.Contains(t, logs.String(), tc.logged)
			assert.NotContains(t, logs.String(), "s3cret")
			assert.NotContains(t, logs.String(), root)
		})
	}
}

func TestCanceledContext(t *testing.T) {
	t.Parallel()
	fns, _ := newFunctions(t)
	root, _, simple := startAPI(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := fns.Authenticate(ctx, newEvent(t, root, simple, creds("ada@example.com", "long enough")))
	assert.ErrorIs(t, err, emailpassword.ErrUnavailable)
}

func TestResultPrintsNoToken(t *testing.T) {
	t.Parallel()
	r := emailpassword.Result{ID: "cj9user0ada", Token: "eyJhbGciOiJIUzI1NiJ9.secret.signature"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		s := fmt.Sprintf(verb, r)
		assert.NotContains(t, s, "secret", verb)
		assert.NotContains(t, s, "eyJ", verb)
	}
	assert.Equal(t, "{ID:cj9user0ada Token:[redacted]}", fmt.Sprint(r))

	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("signed up", "result", r)
	assert.NotContains(t, logs.String(), "secret")
	assert.Contains(t, logs.String(), `"result":{"id":"cj9user0ada","token":"[redacted]"}`)

	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"cj9user0ada","token":"eyJhbGciOiJIUzI1NiJ9.secret.signature"}`, string(b),
		"JSON keeps the token: it is the function's answer")
}
