// Package event decodes the events Graphcool functions receive and serves
// such functions as webhooks.
//
// A function event carries the function's input in [Event.Data] and, in
// [Event.Context], what Graphcool knows about the call: the HTTP request
// ([Request]), the service with its root token and API endpoints
// ([Graphcool]) and the authenticated caller, if any ([Auth]). Its JSON
// form is graphcool-lib's FunctionEvent.
//
// # Usage
//
// Decode an event with [Parse], read its root token and service id with
// [Graphcool.Token] and [Graphcool.Service], and its input with
// [Event.Bind]:
//
//	ev, err := event.Parse(body)
//	if err != nil {
//		return err // errors.Is(err, event.ErrMalformed), event.ErrTooLarge
//	}
//	var in struct {
//		Email string `json:"email"`
//	}
//	if err := ev.Bind(&in); err != nil {
//		return err
//	}
//	root, service := ev.Context.Graphcool.Token(), ev.Context.Graphcool.Service()
//
// Or serve a function as a webhook with [Handler], which does the decoding
// and writes the [Response]:
//
//	http.Handle("/signup", event.Handler(func(ctx context.Context, ev *event.Event) (any, error) {
//		var in struct {
//			Email string `json:"email"`
//		}
//		if err := ev.Bind(&in); err != nil {
//			return nil, err
//		}
//		return map[string]any{"id": "new-user-id"}, nil
//	}))
//
// [Parse] also accepts the envelope API Gateway puts around a request
// before it reaches an AWS Lambda function, so the same code runs behind
// both.
//
// # Secrets
//
// An event holds the service's root token, which can do anything to the
// service, and the caller's token. Printing a [Graphcool], [Auth],
// [Request], [Context] or [Event] with any fmt verb, or logging one with
// log/slog, shows those tokens (and credential-bearing request headers) as
// [redacted]; encoding one with encoding/json keeps them. Two limits come
// from fmt and slog themselves: %p given a struct value prints it raw (go
// vet reports that call), and slog's JSON handler encodes a value of ours
// nested in a map or struct of the caller's with encoding/json; log our
// values as attributes of their own.
//
// Errors of this package name the field that was wrong and never quote the
// input, and [Handler] scrubs the tokens out of what it writes back and
// logs.
package event
