package event_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/event"
)

// serviceOf is a function that returns the service id of its event.
func serviceOf(_ context.Context, ev *event.Event) (any, error) {
	return map[string]string{"service": ev.Context.Graphcool.Service()}, nil
}

// leakyError is a function whose error quotes every secret of its event.
func leakyError(_ context.Context, ev *event.Event) (any, error) {
	g := ev.Context.Graphcool
	return nil, fmt.Errorf("cannot use %s, %s or %s", g.RootToken, g.PAT, ev.Context.Auth.Token)
}

// serve sends method and body to h and returns the recorded response.
func serve(t testing.TB, h http.Handler, method string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "/fn", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// assertJSONResponse checks the status, the content type and the body of
// a response.
func assertJSONResponse(t testing.TB, rec *httptest.ResponseRecorder, status int, body string) {
	t.Helper()
	assert.Equal(t, status, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	assert.JSONEq(t, body, rec.Body.String())
}

func TestHandler(t *testing.T) {
	t.Parallel()
	sample := readTestdata(t, "event.json")
	authSample := readTestdata(t, "event_auth.json")
	tests := []struct {
		name       string
		method     string
		body       []byte
		fn         event.HandlerFunc
		wantStatus int
		wantBody   string
	}{
		{"GET", http.MethodGet, nil, serviceOf, 405, `{"error":"event: method not allowed, use POST"}`},
		{"PUT", http.MethodPut, sample, serviceOf, 405, `{"error":"event: method not allowed, use POST"}`},
		{"HEAD", http.MethodHead, nil, serviceOf, 405, `{"error":"event: method not allowed, use POST"}`},
		{"DELETE", http.MethodDelete, nil, serviceOf, 405, `{"error":"event: method not allowed, use POST"}`},
		{"empty body", http.MethodPost, nil, serviceOf, 400, `{"error":"event: empty input"}`},
		{"not JSON", http.MethodPost, []byte("{nope"), serviceOf, 400, `{"error":"event: malformed JSON at byte offset 2"}`},
		{"not an object", http.MethodPost, []byte(`[]`), serviceOf, 400, `{"error":"event: not a JSON object (got array)"}`},
		{"wrong type", http.MethodPost, []byte(`{"context":{"graphcool":{"rootToken":"` + rootToken + `","serviceId":1}}}`), serviceOf, 400,
			`{"error":"event: context.graphcool.serviceId: want string, got number"}`},
		{"result", http.MethodPost, sample, serviceOf, 200, `{"data":{"service":"cj0service0id0test0001"}}`},
		{"envelope", http.MethodPost, readTestdata(t, "apigateway_v2.json"), serviceOf, 200, `{"data":{"service":"cj0service0id0test0001"}}`},
		{"nil result", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) { return nil, nil }, 200, `{"data":null}`},
		{"raw result", http.MethodPost, sample, func(_ context.Context, ev *event.Event) (any, error) { return ev.Data, nil }, 200,
			`{"data":{"email":"ada@example.com","name":"Ada"}}`},
		{"Response", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) {
			return event.Response{Data: map[string]int{"n": 1}}, nil
		}, 200, `{"data":{"n":1}}`},
		{"*Response", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) {
			return &event.Response{Error: map[string]string{"code": "E42"}}, nil
		}, 200, `{"error":{"code":"E42"}}`},
		{"empty Response", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) { return event.Response{}, nil }, 200, `{}`},
		{"nil *Response", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) { return (*event.Response)(nil), nil }, 200,
			`{"data":null}`},
		{"Response with an error value", http.MethodPost, authSample, func(_ context.Context, ev *event.Event) (any, error) {
			return event.Response{Error: errors.New("bad token " + ev.Context.Auth.Token)}, nil
		}, 200, `{"error":"bad token [redacted]"}`},
		{"Response with an error string", http.MethodPost, authSample, func(_ context.Context, ev *event.Event) (any, error) {
			return &event.Response{Error: "bad root " + ev.Context.Graphcool.RootToken}, nil
		}, 200, `{"error":"bad root [redacted]"}`},
		{"error", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) { return nil, errors.New("email taken") }, 200,
			`{"error":"email taken"}`},
		{"error wins over result", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) { return 1, errors.New("no") }, 200,
			`{"error":"no"}`},
		{"error with an empty message", http.MethodPost, sample, func(context.Context, *event.Event) (any, error) { return nil, errors.New("") }, 200,
			`{"error":"unknown error"}`},
		{"error quoting the secrets", http.MethodPost, authSample, leakyError, 200, `{"error":"cannot use [redacted], [redacted] or [redacted]"}`},
		{"error quoting the Authorization header", http.MethodPost, authSample, func(_ context.Context, ev *event.Event) (any, error) {
			return nil, errors.New("refused " + ev.Context.Request.Headers["authorization"])
		}, 200, `{"error":"refused [redacted]"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, event.Handler(tt.fn), tt.method, tt.body)
			assertJSONResponse(t, rec, tt.wantStatus, tt.wantBody)
			assertNoSecret(t, rec.Body.String())
			if tt.wantStatus == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, rec.Header().Get("Allow"))
			}
		})
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A body over the limit is refused having read at most one byte past the
// limit, and nothing at all when its declared length is over.
func TestHandlerBodyLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		size          int
		contentLength int64 // -1: unknown, as in a chunked request
		wantStatus    int
		maxRead       int
	}{
		{"declared over the limit", event.MaxEventSize + 1, event.MaxEventSize + 1, 413, 0},
		{"declared far over the limit", 10 * event.MaxEventSize, 10 * event.MaxEventSize, 413, 0},
		{"chunked over the limit", event.MaxEventSize + 1, -1, 413, event.MaxEventSize + 1},
		{"chunked far over the limit", 10 * event.MaxEventSize, -1, 413, event.MaxEventSize + 1},
		{"understated length", event.MaxEventSize + 1, 10, 413, event.MaxEventSize + 1},
		{"at the limit", event.MaxEventSize, event.MaxEventSize, 200, event.MaxEventSize},
		{"at the limit, chunked", event.MaxEventSize, -1, 200, event.MaxEventSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A valid event of exactly tt.size bytes.
			body := []byte(`{"data":"` + strings.Repeat("a", tt.size-len(`{"data":""}`)) + `"}`)
			cr := &countingReader{r: bytes.NewReader(body)}
			req := httptest.NewRequest(http.MethodPost, "/fn", cr)
			req.ContentLength = tt.contentLength
			rec := httptest.NewRecorder()
			called := false
			event.Handler(func(context.Context, *event.Event) (any, error) {
				called = true
				return "ok", nil
			}).ServeHTTP(rec, req)

			assert.Equal(t, tt.wantStatus, rec.Code)
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.LessOrEqual(t, cr.n, tt.maxRead, "bytes read")
			assert.Equal(t, tt.wantStatus == 200, called)
			if tt.wantStatus == 413 {
				assert.JSONEq(t, `{"error":"event: request body over the 1048576-byte limit"}`, rec.Body.String())
			}
		})
	}
}

// errReader fails every read.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestHandlerBodyErrors(t *testing.T) {
	t.Parallel()
	h := event.Handler(serviceOf)
	tests := []struct {
		name     string
		body     io.Reader
		wantBody string
	}{
		{"read error", errReader{}, `{"error":"event: cannot read the request body"}`},
		{"nil body", nil, `{"error":"event: empty input"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, "/fn", tt.body)
			if tt.body == nil {
				req.Body = nil // as a hand-made request may have it
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assertJSONResponse(t, rec, http.StatusBadRequest, tt.wantBody)
		})
	}
}

type ctxKey struct{}

// The function gets the request's context, with whatever the handlers
// around it put there.
func TestHandlerContext(t *testing.T) {
	t.Parallel()
	var got context.Context
	h := event.Handler(func(ctx context.Context, _ *event.Event) (any, error) {
		got = ctx
		return ctx.Value(ctxKey{}), nil
	})
	var want context.Context
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "from the middleware"))
		want = r.Context()
		h.ServeHTTP(w, r)
	})
	rec := serve(t, wrapped, http.MethodPost, readTestdata(t, "event.json"))
	assertJSONResponse(t, rec, 200, `{"data":"from the middleware"}`)
	assert.Equal(t, want, got)
}

func TestHandlerNil(t *testing.T) {
	t.Parallel()
	assert.Panics(t, func() { event.Handler(nil) })
}

// A panic with http.ErrAbortHandler is net/http's way to abort a response:
// it is passed on, not turned into a 500.
func TestHandlerAbort(t *testing.T) {
	t.Parallel()
	h := event.Handler(func(context.Context, *event.Event) (any, error) { panic(http.ErrAbortHandler) })
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		serve(t, h, http.MethodPost, readTestdata(t, "event.json"))
	})
}

// syncBuffer is a bytes.Buffer safe for concurrent use, for logs written
// by a server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureDefaultLog makes slog.Default write JSON to the returned buffer
// until the end of the test. Tests that use it must not be parallel.
func captureDefaultLog(t *testing.T) *syncBuffer {
	t.Helper()
	oldLogger, oldWriter, oldFlags := slog.Default(), log.Writer(), log.Flags()
	t.Cleanup(func() {
		slog.SetDefault(oldLogger)
		// SetDefault redirects the log package, and restoring the
		// original handler does not undo that.
		log.SetOutput(oldWriter)
		log.SetFlags(oldFlags)
	})
	buf := new(syncBuffer)
	slog.SetDefault(slog.New(slog.NewJSONHandler(buf, nil)))
	return buf
}

type panickyStringer struct{ secret string }

func (p panickyStringer) String() string { panic("String of " + p.secret) }

type panickyMarshaler struct{ secret string }

func (p panickyMarshaler) MarshalJSON() ([]byte, error) { panic("MarshalJSON of " + p.secret) }

type nilError struct{ msg string }

func (e *nilError) Error() string { return e.msg }

// A panicking function gets a 500 with a generic message; the panic is
// logged at level Error with its stack, and no token reaches the body or
// the log. Not parallel: it replaces slog's default logger.
func TestHandlerPanic(t *testing.T) {
	logs := captureDefaultLog(t)
	authSample := readTestdata(t, "event_auth.json")
	tests := []struct {
		name         string
		fn           event.HandlerFunc
		wantMsg      string
		wantRedacted bool // the logged panic quoted a secret
	}{
		{"string", func(_ context.Context, ev *event.Event) (any, error) {
			g := ev.Context.Graphcool
			panic("boom " + g.RootToken + " " + g.PAT + " " + ev.Context.Auth.Token)
		}, "event: function panicked", true},
		{"error", func(_ context.Context, ev *event.Event) (any, error) {
			panic(fmt.Errorf("wrapped: %w", errors.New(ev.Context.Request.Headers["authorization"])))
		}, "event: function panicked", true},
		{"the event", func(_ context.Context, ev *event.Event) (any, error) { panic(ev) }, "event: function panicked", true},
		{"nil", func(context.Context, *event.Event) (any, error) { panic(nil) }, "event: function panicked", false},
		{"index out of range", func(_ context.Context, ev *event.Event) (any, error) {
			return ev.Data[len(ev.Data)+1], nil
		}, "event: function panicked", false},
		{"panicking String method", func(_ context.Context, ev *event.Event) (any, error) {
			panic(panickyStringer{ev.Context.Graphcool.RootToken})
		}, "event: function panicked", true},
		{"panicking MarshalJSON", func(_ context.Context, ev *event.Event) (any, error) {
			return panickyMarshaler{ev.Context.Auth.Token}, nil
		}, "event: function panicked", true},
		{"typed nil error", func(context.Context, *event.Event) (any, error) {
			var err *nilError
			return nil, err
		}, "event: function panicked", false},
		{"unencodable result", func(context.Context, *event.Event) (any, error) {
			return make(chan int), nil
		}, "event: cannot encode the function's response", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(logs.String())
			rec := serve(t, event.Handler(tt.fn), http.MethodPost, authSample)
			assertJSONResponse(t, rec, 500, `{"error":"event: internal error"}`)
			assertNoSecret(t, rec.Body.String())

			logged := logs.String()[before:]
			assertNoSecret(t, logged)
			var rec1 struct {
				Level string `json:"level"`
				Msg   string `json:"msg"`
				Panic string `json:"panic"`
				Stack string `json:"stack"`
			}
			require.NoError(t, json.Unmarshal([]byte(logged), &rec1), "one JSON record: %s", logged)
			assert.Equal(t, "ERROR", rec1.Level)
			assert.Equal(t, tt.wantMsg, rec1.Msg)
			if tt.wantMsg == "event: function panicked" {
				assert.NotEmpty(t, rec1.Panic)
				assert.Contains(t, rec1.Stack, "goroutine")
			}
			if tt.wantRedacted {
				assert.Contains(t, rec1.Panic, "[redacted]")
			}
		})
	}
}

// Over a real connection: net/http never sees a panic (so never prints
// one), and every answer is JSON. Not parallel: it replaces slog's default
// logger.
func TestHandlerOverHTTP(t *testing.T) {
	logs := captureDefaultLog(t)
	serverErrors := new(syncBuffer)
	srv := httptest.NewUnstartedServer(event.Handler(func(_ context.Context, ev *event.Event) (any, error) {
		if string(ev.Data) == `"panic"` {
			panic("boom " + ev.Context.Graphcool.Token())
		}
		return map[string]string{"service": ev.Context.Graphcool.Service()}, nil
	}))
	srv.Config.ErrorLog = log.New(serverErrors, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)

	panicking := []byte(`{"data":"panic","context":{"graphcool":{"rootToken":"` + rootToken + `"}}}`)
	tests := []struct {
		name       string
		method     string
		body       []byte
		wantStatus int
		wantBody   string
	}{
		{"event", http.MethodPost, readTestdata(t, "event.json"), 200, `{"data":{"service":"cj0service0id0test0001"}}`},
		{"envelope", http.MethodPost, readTestdata(t, "apigateway_v1.json"), 200, `{"data":{"service":"cj0service0id0test0001"}}`},
		{"GET", http.MethodGet, nil, 405, `{"error":"event: method not allowed, use POST"}`},
		{"malformed", http.MethodPost, []byte(`{"data":`), 400, `{"error":"event: malformed JSON at byte offset 8"}`},
		{"too large", http.MethodPost, bytes.Repeat([]byte(" "), event.MaxEventSize+1), 413, `{"error":"event: request body over the 1048576-byte limit"}`},
		{"panic", http.MethodPost, panicking, 500, `{"error":"event: internal error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL, bytes.NewReader(tt.body))
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.JSONEq(t, tt.wantBody, string(body))
		})
	}
	srv.Close() // wait for the server's goroutines before reading its log
	assert.Empty(t, serverErrors.String(), "net/http logged something")
	assert.Contains(t, logs.String(), "boom [redacted]")
	assertNoSecret(t, logs.String())
}
