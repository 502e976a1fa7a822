package lambdafn_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/examples/lambda/lambdafn"
)

const root = "gcr_aRootTokenOfThirtySixCharacters0"

// newEvent returns a function event with data and the root token.
func newEvent(t *testing.T, data any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"data": data,
		"context": map[string]any{
			"graphcool": map[string]any{"rootToken": root, "serviceId": "cj9lambdafn"},
		},
	})
	require.NoError(t, err)
	return b
}

// viaGateway wraps an event in an API Gateway proxy request.
func viaGateway(t *testing.T, ev []byte) []byte {
	t.Helper()
	b, err := json.Marshal(events.APIGatewayProxyRequest{
		HTTPMethod: http.MethodPost,
		Path:       "/fn",
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(ev),
		RequestContext: events.APIGatewayProxyRequestContext{
			Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.7"},
		},
	})
	require.NoError(t, err)
	return b
}

// invoke calls h with payload the way the Lambda runtime does, through
// lambda.NewHandler, and returns its output.
func invoke(t *testing.T, h lambdafn.Func, payload []byte) []byte {
	t.Helper()
	out, err := lambda.NewHandler(h).Invoke(t.Context(), payload)
	require.NoError(t, err, "the invocation itself never fails")
	return out
}

// fromGateway unwraps a proxy response and checks its headers.
func fromGateway(t *testing.T, out []byte) (int, string) {
	t.Helper()
	var resp events.APIGatewayProxyResponse
	require.NoError(t, json.Unmarshal(out, &resp))
	assert.Equal(t, "application/json", resp.Headers["Content-Type"])
	assert.Equal(t, "no-store", resp.Headers["Cache-Control"])
	return resp.StatusCode, resp.Body
}

// echo returns the email of its input and the request's method and
// source address; it fails for the email "fail".
func echo(_ context.Context, ev *event.Event) (any, error) {
	var in struct {
		Email string `json:"email"`
	}
	if err := ev.Bind(&in); err != nil {
		return nil, err
	}
	if in.Email == "fail" {
		return nil, errors.New("cannot do it with root token " + ev.Context.Graphcool.Token())
	}
	r := ev.Context.Request
	return map[string]string{"email": in.Email, "method": r.HTTPMethod, "ip": r.SourceIP}, nil
}

func TestDirectInvocation(t *testing.T) {
	t.Parallel()
	h := lambdafn.Handler(echo)

	out := invoke(t, h, newEvent(t, map[string]string{"email": "ada@example.com"}))
	assert.JSONEq(t, `{"data":{"email":"ada@example.com","method":"","ip":""}}`, string(out))

	out = invoke(t, h, newEvent(t, map[string]string{"email": "fail"}))
	assert.JSONEq(t, `{"error":"cannot do it with root token [redacted]"}`, string(out))

	out = invoke(t, h, []byte(`{"data":5}`))
	assert.Contains(t, string(out), `"error":"event: data`)
	out = invoke(t, h, []byte(`[]`))
	assert.JSONEq(t, `{"error":"event: not a JSON object (got array)"}`, string(out))
}

func TestGatewayInvocation(t *testing.T) {
	t.Parallel()
	h := lambdafn.Handler(echo)

	status, body := fromGateway(t, invoke(t, h, viaGateway(t, newEvent(t, map[string]string{"email": "ada@example.com"}))))
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"data":{"email":"ada@example.com","method":"POST","ip":"203.0.113.7"}}`, body,
		"the request is taken from the envelope")

	status, body = fromGateway(t, invoke(t, h, viaGateway(t, newEvent(t, map[string]string{"email": "fail"}))))
	assert.Equal(t, http.StatusOK, status, "a function's error is a response, as Graphcool expects")
	assert.JSONEq(t, `{"error":"cannot do it with root token [redacted]"}`, body)

	status, body = fromGateway(t, invoke(t, h, viaGateway(t, []byte(`not JSON`))))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body, `"error":"event: body: malformed JSON`)

	status, _ = fromGateway(t, invoke(t, h, viaGateway(t, []byte(`{"data":{},"pad":"`+strings.Repeat("x", event.MaxEventSize)+`"}`))))
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)

	// Base64-encoded bodies, as API Gateway sends binary media types.
	req, err := json.Marshal(events.APIGatewayProxyRequest{
		HTTPMethod:      http.MethodPost,
		Body:            base64.StdEncoding.EncodeToString(newEvent(t, map[string]string{"email": "grace@example.com"})),
		IsBase64Encoded: true,
	})
	require.NoError(t, err)
	status, body = fromGateway(t, invoke(t, h, req))
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"data":{"email":"grace@example.com","method":"POST","ip":""}}`, body)
}

func TestResponses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		fn   event.HandlerFunc
		want string
	}{
		{"nil result", func(context.Context, *event.Event) (any, error) { return nil, nil }, `{"data":null}`},
		{"Response", func(context.Context, *event.Event) (any, error) {
			return event.Response{Data: 1}, nil
		}, `{"data":1}`},
		{"*Response with an error value", func(context.Context, *event.Event) (any, error) {
			return &event.Response{Error: errors.New("no " + root)}, nil
		}, `{"error":"no [redacted]"}`},
		{"empty error", func(context.Context, *event.Event) (any, error) {
			return nil, errors.New("")
		}, `{"error":"unknown error"}`},
		{"result that does not encode", func(context.Context, *event.Event) (any, error) {
			return func() {}, nil
		}, `{"error":"lambdafn: internal error"}`},
		{"panic", func(context.Context, *event.Event) (any, error) {
			panic("boom")
		}, `{"error":"lambdafn: internal error"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := lambdafn.Handler(tc.fn)(t.Context(), newEvent(t, nil))
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(out))
		})
	}
}

func TestPanicBehindGateway(t *testing.T) {
	t.Parallel()
	h := lambdafn.Handler(func(context.Context, *event.Event) (any, error) { panic(root) })
	status, body := fromGateway(t, invoke(t, h, viaGateway(t, newEvent(t, nil))))
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.JSONEq(t, `{"error":"lambdafn: internal error"}`, body)
}

func TestHandlerPanicsOnNil(t *testing.T) {
	t.Parallel()
	assert.Panics(t, func() { lambdafn.Handler(nil) })
}
