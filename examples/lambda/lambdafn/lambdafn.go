// Package lambdafn serves a Graphcool function, an [event.HandlerFunc], as
// an AWS Lambda function.
//
// The Lambda function can be invoked two ways, and [Handler] answers each
// in its own shape:
//
//   - directly (Graphcool's "lambda" functions, or `aws lambda invoke`):
//     the payload is the function event, and the result is the function's
//     response, {"data": ...} or {"error": "..."};
//   - through an API Gateway proxy integration (a webhook URL): the
//     payload is an events.APIGatewayProxyRequest (or its HTTP API
//     version 2.0 form) whose body is the function event, and the result
//     is an events.APIGatewayProxyResponse whose body is that response.
//
// # Usage
//
//	func main() {
//		lambda.Start(lambdafn.Handler(func(ctx context.Context, ev *event.Event) (any, error) {
//			var in struct {
//				Email string `json:"email"`
//			}
//			if err := ev.Bind(&in); err != nil {
//				return nil, err
//			}
//			return map[string]string{"hello": in.Email}, nil
//		}))
//	}
//
// A function reports failure by returning an error: its message is the
// "error" of the response, with the event's tokens replaced by
// [redacted], and the invocation itself succeeds, as Graphcool expects.
package lambdafn

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/graphcool-go/graphcool-lib/event"
)

// Func is the signature of the Lambda handler Handler returns; lambda.Start
// accepts it. The payload is the invocation's JSON input and the result
// its JSON output.
type Func func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error)

// Messages of the failures that are not the function's own.
const (
	msgInternal = "lambdafn: internal error"
	redacted    = "[redacted]"
)

// Handler returns the Lambda handler of fn. It decodes the payload with
// [event.Parse], which also unwraps an API Gateway request, calls fn once
// with the invocation's context, and answers:
//
//   - {"data": result} when fn returns a result, or the [event.Response]
//     itself when the result is an event.Response or *event.Response (an
//     Error holding an error value is written as its message);
//   - {"error": message} when fn returns an error, or the payload is not
//     a function event (its message never quotes the payload);
//   - {"error": "lambdafn: internal error"} when fn panics (the panic is
//     logged with slog.Default, without its value) or its result cannot
//     be encoded as JSON.
//
// Behind API Gateway that response is the body of an
// events.APIGatewayProxyResponse with status 200, or 400 for a payload
// that is not an event, 413 for one over event.MaxEventSize and 500 for an
// internal error; its headers are Content-Type: application/json and
// Cache-Control: no-store.
//
// The returned Func never returns an error itself. It is safe for
// concurrent use if fn is. Handler panics if fn is nil.
func Handler(fn event.HandlerFunc) Func {
	if fn == nil {
		panic("lambdafn: Handler: nil HandlerFunc")
	}
	return func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
		gateway := isGatewayRequest(payload)
		ev, err := event.Parse(payload)
		if err != nil {
			status := http.StatusBadRequest
			if errors.Is(err, event.ErrTooLarge) {
				status = http.StatusRequestEntityTooLarge
			}
			return reply(gateway, status, errorJSON(err.Error()))
		}
		body, ok := respond(ctx, fn, ev)
		if !ok {
			return reply(gateway, http.StatusInternalServerError, errorJSON(msgInternal))
		}
		return reply(gateway, http.StatusOK, body)
	}
}

// dataBody and errorBody are the responses to a result and to an error.
type dataBody struct {
	Data any `json:"data"`
}

type errorBody struct {
	Error string `json:"error"`
}

// errorJSON returns the response to an error with the message msg.
func errorJSON(msg string) json.RawMessage {
	b, _ := json.Marshal(errorBody{Error: msg}) // a string always encodes
	return b
}

// respond calls fn and encodes its response. A panic is recovered and
// reported as !ok.
func respond(ctx context.Context, fn event.HandlerFunc, ev *event.Event) (body json.RawMessage, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			// The panic's value may hold a secret of the event: only
			// where it happened is logged.
			slog.Default().ErrorContext(ctx, "lambdafn: function panicked", slog.String("stack", string(debug.Stack())))
			body, ok = nil, false
		}
	}()
	result, err := fn(ctx, ev)
	var out any
	switch r := result.(type) {
	case event.Response:
		out = scrubResponse(ev, r)
	case *event.Response:
		out = dataBody{}
		if r != nil {
			out = scrubResponse(ev, *r)
		}
	default:
		out = dataBody{Data: result}
	}
	if err != nil {
		msg := scrub(ev, err.Error())
		if msg == "" {
			msg = "unknown error" // an empty error would read as success
		}
		out = errorBody{Error: msg}
	}
	body, err = json.Marshal(out)
	if err != nil {
		slog.Default().ErrorContext(ctx, "lambdafn: cannot encode the function's response")
		return nil, false
	}
	return body, true
}

// reply returns body as the invocation's result: as it is for a direct
// invocation, or as the body of a proxy response with status behind API
// Gateway.
func reply(gateway bool, status int, body json.RawMessage) (json.RawMessage, error) {
	if !gateway {
		return body, nil
	}
	return json.Marshal(events.APIGatewayProxyResponse{
		StatusCode: status,
		Headers: map[string]string{
			"Content-Type":           "application/json",
			"Cache-Control":          "no-store", // the body may hold a token
			"X-Content-Type-Options": "nosniff",
		},
		Body: string(body),
	})
}

// isGatewayRequest reports whether payload is an API Gateway request, by
// the rule event.Parse follows: an object with "body" and with neither
// "context" nor "data".
func isGatewayRequest(payload []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(payload, &top) != nil {
		return false
	}
	_, hasContext := top["context"]
	_, hasData := top["data"]
	_, hasBody := top["body"]
	return hasBody && !hasContext && !hasData
}

// scrubResponse returns r with its error, when it is an error value or a
// string, as a message with the event's tokens replaced.
func scrubResponse(ev *event.Event, r event.Response) event.Response {
	switch e := r.Error.(type) {
	case error:
		r.Error = scrub(ev, e.Error())
	case string:
		r.Error = scrub(ev, e)
	}
	return r
}

// scrub replaces the event's tokens in msg by [redacted]: the root token,
// the pat, the caller's token and the credentials of the request headers.
func scrub(ev *event.Event, msg string) string {
	secrets := []string{ev.Context.Graphcool.RootToken, ev.Context.Graphcool.PAT}
	if ev.Context.Auth != nil {
		secrets = append(secrets, ev.Context.Auth.Token)
	}
	for name, value := range ev.Context.Request.Headers {
		switch strings.ToLower(name) {
		case "authorization", "cookie", "x-api-key", "proxy-authorization":
			secrets = append(secrets, value)
			if _, cred, ok := strings.Cut(value, " "); ok {
				secrets = append(secrets, cred)
			}
		}
	}
	// Longest first, so that no part of a longer secret is left behind.
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, s := range secrets {
		if s = strings.TrimSpace(s); s != "" {
			msg = strings.ReplaceAll(msg, s, redacted)
		}
	}
	return msg
}
