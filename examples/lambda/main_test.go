package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/api"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/emailpassword"
	"github.com/graphcool-go/graphcool-lib/examples/lambda/lambdafn"
	"github.com/graphcool-go/graphcool-lib/token"
)

const (
	serviceID         = "cj9lambda0example"
	email, password   = "ada@example.com", "correct horse battery"
	wrongPassword     = "correct horse battery?"
	invalidCredential = `{"error":"emailpassword: invalid email or password"}`
)

// service is the project API on loopback with one User, Ada, and the
// Lambda handler of the authenticate function.
type service struct {
	root    string
	simple  string       // the Simple API endpoint
	client  *auth.Client // verifies the tokens the function mints
	adaID   string
	handler lambdafn.Func
}

func newService(t *testing.T) *service {
	t.Helper()
	root, err := token.NewRootToken()
	require.NoError(t, err)
	client, err := auth.New(serviceID, []string{root})
	require.NoError(t, err)
	srv := httptest.NewServer(api.NewHandler(client))
	t.Cleanup(srv.Close)
	s := &service{root: root, simple: srv.URL + api.Path(serviceID), client: client}

	opts := []emailpassword.Option{
		emailpassword.WithBcryptCost(bcrypt.MinCost),
		emailpassword.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	}
	s.handler, err = newHandler(opts...)
	require.NoError(t, err)

	// Ada signs up through the other function of the example.
	fns, err := emailpassword.New(opts...)
	require.NoError(t, err)
	ev, err := event.Parse(s.event(t, email, password))
	require.NoError(t, err)
	out, err := fns.Signup(t.Context(), ev)
	require.NoError(t, err)
	s.adaID = out.(emailpassword.Result).ID
	return s
}

// event returns the function event Graphcool sends for an email and a
// password.
func (s *service) event(t *testing.T, email, password string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"data": map[string]string{"email": email, "password": password},
		"context": map[string]any{
			"graphcool": map[string]any{
				"rootToken": s.root,
				"serviceId": serviceID,
				"endpoints": map[string]string{"simple": s.simple},
			},
		},
	})
	require.NoError(t, err)
	return b
}

// viaGateway wraps an event in the request an API Gateway proxy
// integration invokes the Lambda function with.
func viaGateway(t *testing.T, ev []byte) []byte {
	t.Helper()
	b, err := json.Marshal(events.APIGatewayProxyRequest{
		Resource:   "/authenticate",
		Path:       "/authenticate",
		HTTPMethod: http.MethodPost,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(ev),
		RequestContext: events.APIGatewayProxyRequestContext{
			Stage:     "prod",
			RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			Identity:  events.APIGatewayRequestIdentity{SourceIP: "203.0.113.7"},
		},
	})
	require.NoError(t, err)
	return b
}

// assertToken checks that body is a result whose token is Ada's.
func (s *service) assertToken(t *testing.T, body []byte) {
	t.Helper()
	var out struct {
		Data  *emailpassword.Result `json:"data"`
		Error string                `json:"error"`
	}
	require.NoError(t, json.Unmarshal(body, &out))
	require.Empty(t, out.Error)
	require.NotNil(t, out.Data)
	assert.Equal(t, s.adaID, out.Data.ID)
	id, err := s.client.Verify(t.Context(), out.Data.Token)
	require.NoError(t, err)
	assert.Equal(t, auth.Node, id.Kind)
	assert.Equal(t, s.adaID, id.NodeID)
	assert.Equal(t, "User", id.ModelType)
}

// TestDirectInvocation invokes the handler with the function event itself,
// as a direct Lambda invocation carries it.
func TestDirectInvocation(t *testing.T) {
	t.Parallel()
	s := newService(t)

	out, err := s.handler(t.Context(), s.event(t, email, password))
	require.NoError(t, err)
	s.assertToken(t, out)

	for name, ev := range map[string][]byte{
		"wrong password": s.event(t, email, wrongPassword),
		"unknown email":  s.event(t, "bob@example.com", password),
	} {
		out, err := s.handler(t.Context(), ev)
		require.NoError(t, err, name)
		assert.JSONEq(t, invalidCredential, string(out), name)
	}
}

// TestGatewayInvocation invokes the handler with an API Gateway proxy
// request whose body is the event, and expects a proxy response.
func TestGatewayInvocation(t *testing.T) {
	t.Parallel()
	s := newService(t)

	var resp events.APIGatewayProxyResponse
	out, err := s.handler(t.Context(), viaGateway(t, s.event(t, email, password)))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(out, &resp))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Headers["Content-Type"])
	s.assertToken(t, []byte(resp.Body))

	out, err = s.handler(t.Context(), viaGateway(t, s.event(t, email, wrongPassword)))
	require.NoError(t, err)
	resp = events.APIGatewayProxyResponse{}
	require.NoError(t, json.Unmarshal(out, &resp))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "Graphcool reads the error from the body")
	assert.JSONEq(t, invalidCredential, resp.Body)
}

// TestThroughLambdaRuntimeAdapter hands the handler to the aws-lambda-go
// adapter that lambda.Start uses and invokes it with raw payload bytes.
func TestThroughLambdaRuntimeAdapter(t *testing.T) {
	t.Parallel()
	s := newService(t)
	h := lambda.NewHandler(s.handler)

	out, err := h.Invoke(t.Context(), s.event(t, email, password))
	require.NoError(t, err)
	s.assertToken(t, out)

	out, err = h.Invoke(t.Context(), s.event(t, email, wrongPassword))
	require.NoError(t, err)
	assert.JSONEq(t, invalidCredential, string(out))
}

func TestNewHandlerRefusesBadOptions(t *testing.T) {
	t.Parallel()
	_, err := newHandler(emailpassword.WithBcryptCost(bcrypt.MaxCost + 1))
	assert.Error(t, err)
}
