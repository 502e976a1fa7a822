package event

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// HandlerFunc is a Graphcool function: it receives the event of one call
// and returns its result, or an error whose message is returned to the
// caller. It may return a [Response] (or *Response) to choose the response
// itself.
//
// [Handler] calls it once per request, concurrently, with the request's
// context and an Event of its own: a HandlerFunc must be safe for
// concurrent use.
type HandlerFunc func(ctx context.Context, ev *Event) (any, error)

// Handler returns an [http.Handler] that serves fn as a Graphcool webhook
// function. The handler is safe for concurrent use. It answers:
//
//   - 405 Method Not Allowed, with "Allow: POST", to anything but POST;
//   - 413 Content Too Large to a body over [MaxEventSize] bytes, reading
//     at most that many;
//   - 400 Bad Request to a body [Parse] refuses, with the parse error's
//     message (which never quotes the body);
//   - 200 OK with {"data": result} when fn returns a result, or with the
//     [Response] itself when the result is a Response or *Response;
//   - 200 OK with {"error": message} when fn returns an error: this is how
//     a Graphcool function reports failure;
//   - 500 Internal Server Error with a generic message when fn panics, or
//     when its result cannot be encoded as JSON.
//
// Every response is application/json; error responses are {"error":"..."}.
// The event's tokens (root token, pat, auth token, credential-bearing
// headers) are scrubbed to [redacted] from the error message written back
// and from what is logged. A panic is recovered, so net/http never prints
// it, and logged with [slog.Default] at level Error, with its stack.
// A panic with [http.ErrAbortHandler] is re-raised, to abort the response
// as net/http documents.
//
// Handler panics if fn is nil.
func Handler(fn HandlerFunc) http.Handler {
	if fn == nil {
		panic("event: Handler: nil HandlerFunc")
	}
	return &handler{fn: fn}
}

type handler struct {
	fn HandlerFunc
}

// Messages of the error responses. None of them quotes the request.
const (
	msgMethod   = "event: method not allowed, use POST"
	msgInternal = "event: internal error"
	msgRead     = "event: cannot read the request body"
	msgEmpty    = "unknown error"
)

var msgTooLarge = fmt.Sprintf("event: request body over the %d-byte limit", MaxEventSize)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, msgMethod)
		return
	}
	if r.ContentLength > MaxEventSize {
		// Refused unread; the connection cannot be reused.
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestEntityTooLarge, msgTooLarge)
		return
	}
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxEventSize))
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeError(w, http.StatusRequestEntityTooLarge, msgTooLarge)
			return
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, msgRead)
			return
		}
	}
	ev, err := Parse(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	out, ok := h.respond(r.Context(), ev, newScrubber(ev, r))
	if !ok {
		writeError(w, http.StatusInternalServerError, msgInternal)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// respond calls the function and encodes its response. A panic anywhere
// in it (the function, its error's Error method, its result's MarshalJSON)
// is recovered, logged with the secrets scrubbed, and reported as !ok.
func (h *handler) respond(ctx context.Context, ev *Event, sc scrubber) (body []byte, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			logPanic(ctx, p, sc)
			body, ok = nil, false
		}
	}()
	result, err := h.fn(ctx, ev)
	var out any
	if err != nil {
		out = errorBody{Error: errorMessage(err, sc)}
	} else {
		out = responseBody(result, sc)
	}
	body, err = json.Marshal(out)
	if err != nil {
		slog.Default().ErrorContext(ctx, "event: cannot encode the function's response",
			slog.String("error", sc.scrub(err.Error())))
		return nil, false
	}
	return body, true
}

// dataBody and errorBody are the responses to a result and to an error;
// unlike Response, they keep a nil result and an empty message.
type dataBody struct {
	Data any `json:"data"`
}

type errorBody struct {
	Error string `json:"error"`
}

// responseBody is what is written for the result of a function.
func responseBody(result any, sc scrubber) any {
	var r Response
	switch v := result.(type) {
	case Response:
		r = v
	case *Response:
		if v == nil {
			return dataBody{}
		}
		r = *v
	default:
		return dataBody{Data: result}
	}
	switch e := r.Error.(type) {
	case error:
		r.Error = errorMessage(e, sc)
	case string:
		r.Error = sc.scrub(e)
	}
	return r
}

// errorMessage is the message written for err: scrubbed, and never empty,
// since Graphcool would take an empty error for success.
func errorMessage(err error, sc scrubber) string {
	if msg := sc.scrub(err.Error()); msg != "" {
		return msg
	}
	return msgEmpty
}

// logPanic logs a recovered panic at level Error with its stack, scrubbed.
// Nothing it does may panic again: that would reach net/http.
func logPanic(ctx context.Context, p any, sc scrubber) {
	defer func() { _ = recover() }()
	slog.Default().ErrorContext(ctx, "event: function panicked",
		slog.String("panic", sc.scrub(fmt.Sprint(p))),
		slog.String("stack", sc.scrub(string(debug.Stack()))))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(errorBody{Error: msg}) // a string always encodes
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store") // a function may return a token
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
