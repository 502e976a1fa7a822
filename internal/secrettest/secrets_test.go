package secrettest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/token"
)

const service = "cjsecretservice"

// fixture holds the secrets of the test, each registered with the
// recorder, and the clock they were minted by.
type fixture struct {
	now time.Time

	root        string // the service's root token, which mints
	legacyRoot  string // a second, legacy-style root token of the service
	otherRoot   string // a root token the service does not have
	shortRoot   string // too short to be a root token
	badChecksum string // "gcr_" with a checksum that does not match

	key, legacyKey, otherKey []byte // the keys DeriveKey derives from them
	kid                      string // token.RootTokenID(root)

	node       string // a node token minted with root
	legacyNode string // a node token minted with legacyRoot
	pat        string // the event's deprecated pat
	eventAuth  string // the event's context.auth.token
}

func newFixture(t *testing.T, rec *recorder) *fixture {
	t.Helper()
	f := &fixture{now: time.Now()}
	newRoot := func(name string) string {
		root, err := token.NewRootToken()
		require.NoError(t, err)
		return rec.secret(name, root)
	}
	f.root = newRoot("root token")
	f.legacyRoot = rec.secret("legacy root token", "legacy-root-token-"+randomString(t, 16))
	f.otherRoot = newRoot("other root token")
	f.shortRoot = rec.secret("short root token", "short-"+randomString(t, 8))
	bad := newRoot("root token with a bad checksum")
	last := "A"
	if bad[len(bad)-1] == 'A' {
		last = "B"
	}
	f.badChecksum = rec.secret("root token with a bad checksum", bad[:len(bad)-1]+last)

	derive := func(name, root string) []byte {
		key, err := token.DeriveKey(root, service)
		require.NoError(t, err)
		rec.secretBytes(name, key)
		return key
	}
	f.key = derive("key of the root token", f.root)
	f.legacyKey = derive("key of the legacy root token", f.legacyRoot)
	f.otherKey = derive("key of the other root token", f.otherRoot)
	otherServiceKey, err := token.DeriveKey(f.root, "another-service")
	require.NoError(t, err)
	rec.secretBytes("key of the root token for another service", otherServiceKey)
	f.kid = token.RootTokenID(f.root)

	mint := func(name, root, nodeID string) string {
		s, err := token.NewSigner(root, service)
		require.NoError(t, err)
		tok, err := s.Sign(nodeID, "User")
		require.NoError(t, err)
		return rec.token(name, tok)
	}
	f.node = mint("node token", f.root, "u1")
	f.legacyNode = mint("node token of the legacy root token", f.legacyRoot, "u2")
	f.eventAuth = mint("the event's auth token", f.root, "caller")
	f.pat = rec.secret("the event's pat", "pat-"+randomString(t, 16))
	return f
}

// namedToken is a token sent to a verifier.
type namedToken struct{ name, tok string }

// badTokens returns a token for every way verification fails, each
// registered as a secret: whatever is presented as a token must not be
// printed back.
func (f *fixture) badTokens(t *testing.T, rec *recorder) []namedToken {
	t.Helper()
	claims := func(edit func(c map[string]any)) map[string]any {
		c := map[string]any{
			"userId": "u1", "sub": "u1", "modelName": "User",
			"projectId": service, "aud": service,
			"iat": f.now.Unix(), "exp": f.now.Add(time.Hour).Unix(),
			"jti": "AAAAAAAAAAAAAAAAAAAAAA",
		}
		if edit != nil {
			edit(c)
		}
		return c
	}
	header := func(edit func(h map[string]any)) map[string]any {
		h := map[string]any{"alg": "HS256", "kid": f.kid, "typ": "JWT"}
		if edit != nil {
			edit(h)
		}
		return h
	}
	signed := func(h, c map[string]any) string { return jws(t, h, c, f.key) }
	p := strings.Split(f.node, ".")
	flipped := []byte(p[1])
	flipped[3] ^= 1

	tokens := []namedToken{
		{"empty", ""},
		{"one part", p[1]},
		{"two parts", p[0] + "." + p[1]},
		{"four parts", f.node + "." + p[2]},
		{"a megabyte of dots", strings.Repeat(".", 1<<20)},
		{"over 8 KiB", signed(header(nil), claims(func(c map[string]any) { c["pad"] = strings.Repeat("x", 9000) }))},
		{"padding", f.node + "="},
		{"JSON serialization", `{"payload":"` + p[1] + `","protected":"` + p[0] + `","signature":"` + p[2] + `"}`},
		{"whitespace around", " " + f.node + " "},
		{"Bearer prefix", "Bearer " + f.node},
		{"tampered payload", p[0] + "." + string(flipped) + "." + p[2]},
		{"signed with another key", jws(t, header(nil), claims(nil), f.otherKey)},
		{"signed with the root token itself", jws(t, header(nil), claims(nil), []byte(f.root))},
		{"alg none", strings.TrimRight(signed(header(func(h map[string]any) { h["alg"] = "none" }), claims(nil)), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")},
		{"alg HS512", signed(header(func(h map[string]any) { h["alg"] = "HS512" }), claims(nil))},
		{"kid of another root token", jws(t, header(func(h map[string]any) { h["kid"] = token.RootTokenID(f.otherRoot) }), claims(nil), f.otherKey)},
		{"kid missing", signed(header(func(h map[string]any) { delete(h, "kid") }), claims(nil))},
		{"kid is the root token", signed(header(func(h map[string]any) { h["kid"] = f.root }), claims(nil))},
		{"crit", signed(header(func(h map[string]any) { h["crit"] = []string{"exp"} }), claims(nil))},
		{"jku", signed(header(func(h map[string]any) { h["jku"] = "https://attacker.example/" + f.root }), claims(nil))},
		{"typ", signed(header(func(h map[string]any) { h["typ"] = "at+jwt" }), claims(nil))},
		{"expired", signed(header(nil), claims(func(c map[string]any) {
			c["iat"], c["exp"] = f.now.Add(-2*time.Hour).Unix(), f.now.Add(-time.Hour).Unix()
		}))},
		{"expired and badly signed", jws(t, header(nil), claims(func(c map[string]any) { c["exp"] = f.now.Add(-time.Hour).Unix() }), f.otherKey)},
		{"iat in the future", signed(header(nil), claims(func(c map[string]any) { c["iat"] = f.now.Add(time.Hour).Unix() }))},
		{"nbf in the future", signed(header(nil), claims(func(c map[string]any) { c["nbf"] = f.now.Add(time.Hour).Unix() }))},
		{"exp as a string", signed(header(nil), claims(func(c map[string]any) { c["exp"] = fmt.Sprint(f.now.Add(time.Hour).Unix()) }))},
		{"aud other", signed(header(nil), claims(func(c map[string]any) { c["aud"] = f.root }))},
		{"aud []", signed(header(nil), claims(func(c map[string]any) { c["aud"] = []string{} }))},
		{"projectId other", signed(header(nil), claims(func(c map[string]any) { c["projectId"] = "another-service" }))},
		{"jti missing", signed(header(nil), claims(func(c map[string]any) { delete(c, "jti") }))},
		{"sub and userId disagree", signed(header(nil), claims(func(c map[string]any) { c["sub"] = f.root }))},
		{"userId is the root token repeated", signed(header(nil), claims(func(c map[string]any) {
			c["userId"], c["sub"] = strings.Repeat(f.root, 4), strings.Repeat(f.root, 4)
		}))},
		{"minted for another service", mintFor(t, f.root, "another-service")},
		{"the root token and more", f.root + "x"},
		{"the root token less one byte", f.root[:len(f.root)-1]},
		{"the root token with spaces", " " + f.root + " "},
		{"another root token", f.otherRoot},
		{"the short root token", f.shortRoot},
	}
	for _, tt := range tokens {
		if len(tt.tok) >= 16 && !strings.HasPrefix(tt.name, "a megabyte") {
			rec.token("presented token: "+tt.name, tt.tok)
		}
	}
	// Sanity: a token forged like these, but right, verifies, so each one
	// above fails for the reason its name gives.
	v, err := token.NewVerifier(service, []string{f.root})
	require.NoError(t, err)
	good := rec.token("forged good token", signed(header(nil), claims(nil)))
	_, err = v.Verify(good)
	require.NoError(t, err, "the forging helper is wrong")
	return tokens
}

func mintFor(t *testing.T, root, serviceID string) string {
	t.Helper()
	s, err := token.NewSigner(root, serviceID)
	require.NoError(t, err)
	tok, err := s.Sign("u1", "User")
	require.NoError(t, err)
	return tok
}

// TestNoSecretInAnyOutput runs every error path of every package, and the
// paths that succeed next to them, with log/slog's default logger and the
// middleware's logger recording at debug level, and checks that no root
// token, node token or derived key (raw, hex, base64 or base64url) appears
// in any error (printed with Error, %v, %+v, %#v, %s, %q, and every error
// it wraps), log record (text and JSON), HTTP response (status, headers,
// body), or fmt output of the module's types (Client, API, Signer,
// Verifier, Event, Context, Graphcool, Auth, Request, Identity, Claims,
// HTTPError, GraphQLError).
//
// Not parallel: it replaces slog's default logger while it runs.
func TestNoSecretInAnyOutput(t *testing.T) {
	rec := &recorder{}
	logs := rec.captureDefault(t)
	f := newFixture(t, rec)
	bad := f.badTokens(t, rec)

	t.Run("token", func(t *testing.T) { tokenPaths(t, rec, f, bad) })
	t.Run("event", func(t *testing.T) { eventPaths(t, rec, f) })
	t.Run("auth", func(t *testing.T) { authPaths(t, rec, f, bad) })
	mw := &counter{}
	t.Run("auth/middleware", func(t *testing.T) { middlewarePaths(t, rec, f, bad, mw) })

	// The paths that log did log, so the search below is not vacuous.
	require.Positive(t, logs.get("event: function panicked"), "panics logged")
	require.Positive(t, logs.get("event: cannot encode the function's response"), "encoding errors logged")
	require.Positive(t, mw.get("auth: request refused"), "middleware refusals logged")
	require.Positive(t, mw.get("auth: credentials ignored"), "middleware ignoring credentials logged")
	require.Positive(t, mw.get("auth: request identified"), "middleware identifications logged")
	t.Logf("%d secrets searched for in %d outputs (%d records of the default logger, %d of the middleware's)",
		len(rec.secrets), len(rec.outputs), logs.total(), mw.total())

	for _, l := range rec.leaks() {
		text := l.text
		if len(text) > 2000 {
			text = text[:2000] + "…"
		}
		t.Errorf("%s (%s) found in %s:\n%s", l.secret, l.form, l.what, text)
	}
}

// TestRecorderFindsLeaks checks that the search of TestNoSecretInAnyOutput
// finds every form of a secret, and nothing where there is none.
func TestRecorderFindsLeaks(t *testing.T) {
	t.Parallel()
	key := []byte("a key of 32 bytes, not a real 1!")
	for form, text := range (secret{"k", key}).forms() {
		rec := &recorder{}
		rec.secretBytes("k", key)
		rec.add("out", "before "+text+" after")
		found := false
		for _, l := range rec.leaks() {
			found = found || l.form == form
		}
		require.True(t, found, form)
	}
	rec := &recorder{}
	rec.secretBytes("k", key)
	rec.add("out", "[redacted] a key of 32 bytes")
	require.Empty(t, rec.leaks())
}

// tokenPaths runs the token package's error paths.
func tokenPaths(t *testing.T, rec *recorder, f *fixture, bad []namedToken) {
	for _, root := range []string{f.shortRoot, f.badChecksum, ""} {
		_, err := token.NewSigner(root, service)
		rec.err(t, "token.NewSigner", err)
		_, err = token.NewVerifier(service, []string{f.root, root})
		rec.err(t, "token.NewVerifier", err)
		rec.err(t, "token.CheckRootToken", token.CheckRootToken(root))
	}
	for _, root := range []string{f.shortRoot, ""} {
		_, err := token.DeriveKey(root, service)
		rec.err(t, "token.DeriveKey", err)
	}
	_, err := token.DeriveKey(f.root, "")
	rec.err(t, "token.DeriveKey without service", err)
	_, err = token.NewSigner(f.root, "")
	rec.err(t, "token.NewSigner without service", err)
	_, err = token.NewVerifier("", []string{f.root})
	rec.err(t, "token.NewVerifier without service", err)
	_, err = token.NewVerifier(service, nil)
	rec.err(t, "token.NewVerifier without root tokens", err)

	signer, err := token.NewSigner(f.root, service)
	require.NoError(t, err)
	rec.format("*token.Signer", signer)
	slog.Info("signer", "signer", signer)
	for _, tt := range []struct {
		name, node, model string
		opts              []token.Option
	}{
		{"empty node id", "", "User", nil},
		{"node id of 129 bytes", strings.Repeat("n", 129), "User", nil},
		{"node id not UTF-8", "u\xff", "User", nil},
		{"model type not a GraphQL name", "u1", "User-" + f.root, nil},
		{"zero expiry", "u1", "User", []token.Option{token.ExpiresIn(0)}},
		{"reserved claim", "u1", "User", []token.Option{token.WithClaims(map[string]any{"Sub": f.root})}},
		{"claim name not UTF-8", "u1", "User", []token.Option{token.WithClaims(map[string]any{"r\xffle": f.root})}},
		{"claim value not encodable", "u1", "User", []token.Option{token.WithClaims(map[string]any{"ch": make(chan int)})}},
		{"too large", "u1", "User", []token.Option{token.WithClaims(map[string]any{"pad": strings.Repeat("p", 9000)})}},
	} {
		_, err := signer.Sign(tt.node, tt.model, tt.opts...)
		rec.err(t, "Signer.Sign: "+tt.name, err)
	}
	noRandom, err := token.NewSigner(f.root, service, token.WithRandom(failingReader{}))
	require.NoError(t, err)
	_, err = noRandom.Sign("u1", "User")
	rec.err(t, "Signer.Sign without randomness", err)

	verifier, err := token.NewVerifier(service, []string{f.root, f.legacyRoot})
	require.NoError(t, err)
	rec.format("*token.Verifier", verifier)
	slog.Info("verifier", "verifier", verifier)
	for _, tt := range bad {
		_, err := verifier.Verify(tt.tok)
		rec.err(t, "Verifier.Verify: "+tt.name, err)
	}
	for _, tok := range []string{f.node, f.legacyNode} {
		claims, err := verifier.Verify(tok)
		require.NoError(t, err)
		rec.format("*token.Claims", claims)
		rec.format("token.Claims", *claims)
		slog.Info("claims", "claims", claims)
	}
}

// leakyValue is a function's result whose JSON encoding fails, or panics,
// with a message holding the event's secrets.
type leakyValue struct {
	msg   string
	panic bool
}

func (v leakyValue) MarshalJSON() ([]byte, error) {
	if v.panic {
		panic(v.msg)
	}
	return nil, errors.New(v.msg)
}

// leakyData fails to decode with an error quoting the data.
type leakyData struct{}

func (*leakyData) UnmarshalJSON(b []byte) error { return fmt.Errorf("cannot decode %s", b) }

// eventPaths runs the event package's error paths: Parse, Bind, and every
// response of the webhook handler, with a function that puts the event's
// secrets in everything it returns.
func eventPaths(t *testing.T, rec *recorder, f *fixture) {
	headers := map[string]any{
		"Authorization": "Bearer " + f.eventAuth,
		"Cookie":        "session=" + f.node,
		"X-Api-Key":     f.legacyRoot,
		"Content-Type":  "application/json",
	}
	eventJSON := func(data any) []byte {
		b, err := json.Marshal(map[string]any{
			"data": data,
			"context": map[string]any{
				"request": map[string]any{"sourceIp": "203.0.113.9", "headers": headers, "httpMethod": "POST"},
				"graphcool": map[string]any{
					"rootToken": f.root, "pat": f.pat, "serviceId": service, "projectId": service, "alias": "alias",
					"endpoints": map[string]any{"simple": "http://127.0.0.1:1/simple/v1/" + service},
				},
				"environment":  map[string]any{"STAGE": "test"},
				"auth":         map[string]any{"nodeId": "caller", "typeName": "User", "token": f.eventAuth},
				"sessionCache": map[string]any{},
			},
		})
		require.NoError(t, err)
		return b
	}

	// The types of the package, printed and logged.
	ev, err := event.Parse(eventJSON(map[string]any{"mode": "ok"}))
	require.NoError(t, err)
	rec.format("*event.Event", ev)
	rec.format("event.Event", *ev)
	rec.format("event.Context", ev.Context)
	rec.format("*event.Context", &ev.Context)
	rec.format("event.Graphcool", ev.Context.Graphcool)
	rec.format("*event.Graphcool", &ev.Context.Graphcool)
	rec.format("*event.Auth", ev.Context.Auth)
	rec.format("event.Auth", *ev.Context.Auth)
	rec.format("event.Request", ev.Context.Request)
	rec.format("*event.Request", &ev.Context.Request)
	slog.Info("event", "event", ev, "context", ev.Context, "graphcool", ev.Context.Graphcool,
		"auth", ev.Context.Auth, "request", ev.Context.Request)
	slog.Info("event by value", "event", *ev)

	// Parse errors: inputs that hold the secrets in every place a message
	// could quote them from.
	quoted := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	badEvent := `{"context":{"graphcool":{"rootToken":5,"pat":"` + f.pat + `"}}}`
	parseInputs := map[string]string{
		"too large":                   `{"data":"` + f.root + strings.Repeat("a", event.MaxEventSize) + `"}`,
		"empty":                       "",
		"the root token":              f.root,
		"a string":                    quoted(f.root),
		"an array":                    `["` + f.root + `"]`,
		"null":                        "null",
		"truncated":                   `{"context":{"graphcool":{"rootToken":"` + f.root + `"`,
		"rootToken not a string":      badEvent,
		"serviceId an object":         `{"context":{"graphcool":{"rootToken":"` + f.root + `","serviceId":{"k":"` + f.pat + `"}}}}`,
		"header not a string":         `{"context":{"request":{"headers":{"Authorization":5,"X":"Bearer ` + f.node + `"}}}}`,
		"the root token as a header":  `{"context":{"request":{"headers":{"` + f.root + `":5}}}}`,
		"auth token an array":         `{"context":{"auth":{"token":["` + f.eventAuth + `"]}}}`,
		"number out of range":         `{"context":{"environment":{"n":1e999,"s":"` + f.root + `"}}}`,
		"syntax error after a secret": `{"context":{"graphcool":{"rootToken":"` + f.root + `"}},` + f.pat + `}`,
		"envelope of a bad event":     `{"body":` + quoted(badEvent) + `}`,
		"envelope not base64":         `{"body":"` + f.root + `!","isBase64Encoded":true}`,
		"envelope of base64":          `{"body":"` + base64.StdEncoding.EncodeToString([]byte(badEvent)) + `","isBase64Encoded":true}`,
		"envelope body a number":      `{"body":5,"headers":{"Authorization":"Bearer ` + f.node + `"}}`,
		"envelope headers wrong":      `{"body":"{}","headers":{"Authorization":["Bearer ` + f.node + `"]}}`,
	}
	for name, input := range parseInputs {
		_, err := event.Parse([]byte(input))
		rec.err(t, "event.Parse: "+name, err)
	}

	// Bind errors.
	for name, tt := range map[string]struct {
		data string
		v    any
	}{
		// The error of the caller's own UnmarshalJSON, which quotes the
		// data, is wrapped (errors.As finds it) but kept out of the
		// message: only the message is the package's.
		"string for int":          {`{"password":"` + f.root + `"}`, new(struct{ Password int })},
		"object for int":          {`{"token":{"` + f.node + `":1}}`, new(int)},
		"malformed":               {`{"password":"` + f.root, new(struct{ Password string })},
		"caller's decoding error": {`{"password":"` + f.root + `"}`, new(leakyData)},
		"not a pointer":           {`{"password":"` + f.root + `"}`, struct{ Password string }{}},
		"no data":                 {"", new(int)},
	} {
		e := &event.Event{Data: json.RawMessage(tt.data)}
		err := e.Bind(tt.v)
		if _, ok := tt.v.(*leakyData); ok {
			rec.message(t, "Event.Bind: "+name, err)
			continue
		}
		rec.err(t, "Event.Bind: "+name, err)
	}

	// The webhook handler.
	fn := func(_ context.Context, ev *event.Event) (any, error) {
		var in struct{ Mode string }
		if err := ev.Bind(&in); err != nil {
			return nil, err
		}
		g := ev.Context.Graphcool
		h := ev.Context.Request.Headers
		all := fmt.Sprintf("root=%s pat=%s auth=%s authorization=%s cookie=%s key=%s",
			g.RootToken, g.PAT, ev.Context.Auth.Token, h["Authorization"], h["Cookie"], h["X-Api-Key"])
		switch in.Mode {
		case "error":
			return nil, errors.New(all)
		case "wrapped error":
			return nil, fmt.Errorf("wrapped: %w", errors.New(all))
		case "empty error":
			return nil, errors.New("")
		case "panic":
			panic(all)
		case "panic with an error":
			panic(errors.New(all))
		case "Response with an error":
			return event.Response{Error: errors.New(all)}, nil
		case "*Response with a string error":
			return &event.Response{Error: all, Data: "partial"}, nil
		case "not encodable":
			return map[string]any{"f": func() {}}, nil
		case "MarshalJSON fails":
			return leakyValue{msg: all}, nil
		case "MarshalJSON panics":
			return leakyValue{msg: all, panic: true}, nil
		case "bind error":
			var wrong struct{ Mode int }
			return nil, ev.Bind(&wrong)
		case "abort":
			panic(http.ErrAbortHandler)
		default:
			return map[string]any{"ok": true}, nil
		}
	}
	h := event.Handler(fn)
	serve := func(name string, r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+f.node)
		r.Header.Set("Cookie", "session="+f.legacyNode)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		rec.response("event.Handler: "+name, w.Code, w.Header(), w.Body.String())
	}
	for _, mode := range []string{
		"error", "wrapped error", "empty error", "panic", "panic with an error",
		"Response with an error", "*Response with a string error", "not encodable",
		"MarshalJSON fails", "MarshalJSON panics", "bind error", "ok",
	} {
		serve(mode, httptest.NewRequest(http.MethodPost, "/fn", strings.NewReader(string(eventJSON(map[string]any{"mode": mode})))))
	}
	func() {
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("abort: recovered %v", p)
			}
		}()
		serve("abort", httptest.NewRequest(http.MethodPost, "/fn", strings.NewReader(string(eventJSON(map[string]any{"mode": "abort"})))))
	}()
	serve("GET", httptest.NewRequest(http.MethodGet, "/fn?token="+f.root, nil))
	large := httptest.NewRequest(http.MethodPost, "/fn", strings.NewReader(strings.Repeat(f.root, event.MaxEventSize/len(f.root)+1)))
	serve("declared too large", large)
	chunked := httptest.NewRequest(http.MethodPost, "/fn", io.NopCloser(strings.NewReader(strings.Repeat(f.root, event.MaxEventSize/len(f.root)+1))))
	chunked.ContentLength = -1
	serve("streamed too large", chunked)
	for name, input := range parseInputs {
		if name != "too large" {
			serve("malformed: "+name, httptest.NewRequest(http.MethodPost, "/fn", strings.NewReader(input)))
		}
	}
}

// apiServer answers the API requests of authPaths, each path in its own
// way of echoing the request's Authorization header back. It records the
// header a redirect target receives, which must be none.
func apiServer(t *testing.T, rec *recorder) *httptest.Server {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add("redirect target: Authorization received", r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"errors":[{"message":"got %q"}]}`, r.Header.Get("Authorization"))
	}))
	t.Cleanup(target.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		authz := r.Header.Get("Authorization")
		tok := strings.TrimPrefix(authz, "Bearer ")
		quoted, _ := json.Marshal(authz)
		w.Header().Set("Content-Type", "application/json")
		switch strings.TrimPrefix(r.URL.Path, "/") {
		case "401":
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"errors":[{"message":"bad credentials: %s"}],"header":%s,"raw":"%s"}`, authz, quoted, tok)
		case "400 graphql":
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"errors":[{"message":%s,"path":[%s,1],"extensions":{%s:%s},"code":%s}]}`, quoted, quoted, quoted, quoted, quoted)
		case "200 errors":
			fmt.Fprintf(w, `{"data":{"n":1},"errors":[{"message":"no: %s","path":["%s"],"locations":[{"line":1,"column":2}],"extensions":{"token":"%s","list":["%s"]},"requestId":"%s"},{"message":"%s"}]}`,
				tok, tok, tok, tok, tok, url(tok))
		case "200 data":
			fmt.Fprintf(w, `{"data":{"n":%s}}`, quoted)
		case "200 not json":
			fmt.Fprintf(w, `not json: %s`, authz)
		case "200 neither":
			fmt.Fprintf(w, `{"other":%s}`, quoted)
		case "500 text":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "internal error for %s\n%s", authz, strings.Repeat("x", 600))
		case "status line":
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 418 Teapot %s\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", tok)
			_ = buf.Flush()
		case "too large":
			_, _ = io.WriteString(w, `{"data":"`+tok)
			_, _ = io.Copy(w, io.LimitReader(zeroes{}, 16<<20))
		case "redirect":
			http.Redirect(w, r, target.URL+"/elsewhere?t="+tok, http.StatusFound)
		case "redirect to a server that is down":
			http.Redirect(w, r, down.URL+"/elsewhere?t="+tok, http.StatusFound)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// url escapes s as a URL query does: what a server echoing a query
// parameter sends.
func url(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// zeroes is an endless source of '0'.
type zeroes struct{}

func (zeroes) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// authPaths runs the auth package's error paths: FromEvent, New,
// SetRootTokens, GenerateAuthToken, Verify and the API client.
func authPaths(t *testing.T, rec *recorder, f *fixture, bad []namedToken) {
	ctx := context.Background()
	withRoot := func(root, pat, svc string) *event.Event {
		ev := &event.Event{}
		ev.Context.Graphcool = event.Graphcool{RootToken: root, PAT: pat, ServiceID: svc}
		return ev
	}
	for name, ev := range map[string]*event.Event{
		"nil event":             nil,
		"no root token":         withRoot("", "", service),
		"no service id":         withRoot(f.root, "", ""),
		"short root token":      withRoot(f.shortRoot, "", service),
		"short pat":             withRoot("", f.shortRoot, service),
		"bad checksum":          withRoot(f.badChecksum, "", service),
		"bad checksum, no svc":  withRoot(f.badChecksum, f.pat, ""),
		"pat not a root token":  withRoot("", "gcr_"+f.pat, service),
		"root token not usable": withRoot("gcr_"+f.root, f.pat, service),
	} {
		_, err := auth.FromEvent(ev)
		rec.err(t, "auth.FromEvent: "+name, err)
	}
	for name, roots := range map[string][]string{
		"no root tokens":   nil,
		"short root token": {f.shortRoot},
		"second one short": {f.root, f.shortRoot},
		"bad checksum":     {f.badChecksum, f.root},
		"empty root token": {f.root, ""},
	} {
		_, err := auth.New(service, roots)
		rec.err(t, "auth.New: "+name, err)
	}
	_, err := auth.New("", []string{f.root})
	rec.err(t, "auth.New without service", err)

	srv := apiServer(t, rec)
	c, err := auth.New(service, []string{f.root, f.legacyRoot}, auth.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	for name, roots := range map[string][]string{
		"none":             nil,
		"second one short": {f.root, f.shortRoot},
		"bad checksum":     {f.badChecksum},
	} {
		rec.err(t, "Client.SetRootTokens: "+name, c.SetRootTokens(roots))
	}
	for _, tt := range []struct {
		name, node, model string
		opts              []token.Option
	}{
		{"empty node id", "", "User", nil},
		{"model type", "u1", "User-" + f.root, nil},
		{"negative expiry", "u1", "User", []token.Option{token.ExpiresIn(-time.Hour)}},
		{"reserved claim", "u1", "User", []token.Option{token.WithClaims(map[string]any{"aud": f.root})}},
		{"not encodable", "u1", "User", []token.Option{token.WithClaims(map[string]any{"f": func() {}})}},
	} {
		_, err := c.GenerateAuthToken(tt.node, tt.model, tt.opts...)
		rec.err(t, "Client.GenerateAuthToken: "+tt.name, err)
	}

	// Verify: every bad token, twice (the second call may meet a cache),
	// and the good ones.
	for _, tt := range bad {
		for range 2 {
			id, err := c.Verify(ctx, tt.tok)
			rec.err(t, "Client.Verify: "+tt.name, err)
			rec.format("auth.Identity of a refused token", id)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Verify(canceled, f.node)
	rec.err(t, "Client.Verify with a canceled context", err)
	for _, tok := range []string{f.node, f.legacyNode, f.root, f.legacyRoot} {
		id, err := c.Verify(ctx, tok)
		require.NoError(t, err)
		rec.format("auth.Identity", id)
		rec.format("*auth.Identity", &id)
		slog.Info("identity", "id", id)
		if id.Claims != nil {
			rec.format("*token.Claims of an Identity", id.Claims)
		}
	}
	// A removed root token and its tokens, whether remembered or not.
	rotated, err := auth.New(service, []string{f.root, f.legacyRoot})
	require.NoError(t, err)
	_, err = rotated.Verify(ctx, f.legacyNode)
	require.NoError(t, err)
	require.NoError(t, rotated.SetRootTokens([]string{f.root}))
	for _, tok := range []string{f.legacyNode, f.legacyRoot} {
		_, err := rotated.Verify(ctx, tok)
		rec.err(t, "Client.Verify after its root token was removed", err)
	}

	rec.format("*auth.Client", c)
	slog.Info("client", "client", c)

	// The API client, acting with the root token and on behalf of a node.
	for _, path := range []string{
		"401", "400 graphql", "200 errors", "200 data", "200 not json", "200 neither",
		"500 text", "status line", "too large", "redirect", "redirect to a server that is down",
	} {
		api, err := auth.New(service, []string{f.root},
			auth.WithHTTPClient(srv.Client()),
			auth.WithEndpoints(event.Endpoints{Simple: srv.URL + "/" + path}))
		require.NoError(t, err)
		for as, opts := range map[string][]auth.APIOption{
			"root": nil,
			"node": {auth.AsToken(f.node)},
		} {
			a := api.API(auth.SimpleAPI, opts...)
			var out struct{ N int }
			err := a.Request(ctx, `query ($t: String) { n(t: $t) }`, map[string]any{"t": f.pat}, &out)
			what := fmt.Sprintf("API.Request %s as %s", path, as)
			rec.err(t, what, err)
			if herr, ok := errors.AsType[*auth.HTTPError](err); ok {
				rec.format(what+": *auth.HTTPError", herr)
				rec.format(what+": auth.HTTPError", *herr)
				rec.add(what+": HTTPError.Body", herr.Body)
				rec.add(what+": HTTPError.Status", herr.Status)
			}
			if gerr, ok := errors.AsType[*auth.GraphQLError](err); ok {
				rec.format(what+": *auth.GraphQLError", gerr)
				rec.format(what+": GraphQLError.Errors", gerr.Errors)
				b, _ := json.Marshal(gerr.Errors)
				rec.add(what+": GraphQLError.Errors as JSON", string(b))
			}
			rec.format(what+": *auth.API", a)
			rec.format(what+": auth.API", *a)
			slog.Info("api", "api", a)
		}
	}
	// Errors before anything is sent, and of the transport.
	api := c.API(auth.SimpleAPI)
	rec.err(t, "API.Request without URL", api.Request(ctx, "{ n }", nil, nil))
	rec.err(t, "API.Request of an unknown endpoint", c.API("simple/v2").Request(ctx, "{ n }", nil, nil))
	withURL, err := auth.New(service, []string{f.root}, auth.WithEndpoints(event.Endpoints{Simple: srv.URL + "/401"}), auth.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	for name, tok := range map[string]string{
		"empty":       "",
		"with Bearer": "Bearer " + f.node,
		"with a NUL":  f.node + "\x00",
		"non-ASCII":   f.node + "é",
	} {
		err := withURL.API("", auth.AsToken(tok)).Request(ctx, "{ n }", nil, nil)
		rec.err(t, "API.Request with an unusable token: "+name, err)
		_, err = withURL.API("", auth.AsToken(tok)).HTTPClient().Get(srv.URL + "/401")
		rec.err(t, "API.HTTPClient with an unusable token: "+name, err)
	}
	rec.err(t, "API.Request with a canceled context", withURL.API("").Request(canceled, "{ n }", nil, nil))
	// A server that is down, at a URL with a password in it: net/http
	// strips the password from its errors, and so does API's String.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	withPassword := strings.Replace(closed.URL, "://", "://user:"+f.pat+"@", 1) + "/simple/v1/" + service
	down, err := auth.New(service, []string{f.root}, auth.WithEndpoints(event.Endpoints{Simple: withPassword}))
	require.NoError(t, err)
	rec.err(t, "API.Request to a server that is down", down.API("").Request(ctx, "{ n }", nil, nil))
	rec.err(t, "API.Request to a server that is down, as a node", down.API("", auth.AsToken(f.node)).Request(ctx, "{ n }", nil, nil))
	rec.format("*auth.API with a password in its URL", down.API(""))
	rec.format("*auth.API with a password in its URL, as a node", down.API("", auth.AsToken(f.node)))
}

// nextHandler is the handler behind the middleware: it writes the
// identity it got and, for an anonymous caller, every header of the
// request, where refused credentials must no longer be. The session cookie
// holds credentials only when the middleware reads it (FromCookie);
// otherwise it is an ordinary cookie and left out.
func nextHandler(cookieIsCredential bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := auth.FromContext(r.Context())
		fmt.Fprintf(w, "identity %+v %v\n", id, ok)
		if id.Kind != auth.Anonymous {
			return
		}
		for k, v := range r.Header {
			if k != "Cookie" || cookieIsCredential {
				fmt.Fprintf(w, "%s: %s\n", k, v)
			}
		}
	})
}

// leakyVerifier refuses what the client refuses, with an error that
// quotes the token whole and in pieces, as a careless Verifier might.
type leakyVerifier struct{ c *auth.Client }

func (v leakyVerifier) Verify(ctx context.Context, tok string) (auth.Identity, error) {
	id, err := v.c.Verify(ctx, tok)
	if err != nil {
		return id, fmt.Errorf("refused %q (%s…%s) %s: %w", tok, tok[:min(len(tok), 24)], tok[max(0, len(tok)-24):], tok, err)
	}
	return id, nil
}

// middlewarePaths sends every kind of credentials through the middleware
// and its guards, in every mode, with its logger recording.
func middlewarePaths(t *testing.T, rec *recorder, f *fixture, bad []namedToken, logged *counter) {
	c, err := auth.New(service, []string{f.root, f.legacyRoot})
	require.NoError(t, err)
	logger := slog.New(countingHandler{rec.logger("middleware logger").Handler(), logged})

	type creds struct {
		authorization []string
		cookie        string
	}
	requests := map[string]creds{
		"none":                   {},
		"node token":             {authorization: []string{"Bearer " + f.node}},
		"root token":             {authorization: []string{"bearer  " + f.root}},
		"legacy root token":      {authorization: []string{"Bearer " + f.legacyRoot}},
		"node token in a cookie": {cookie: f.legacyNode},
		"bad token in a cookie":  {cookie: f.node + "x"},
		"empty header":           {authorization: []string{""}},
		"scheme alone":           {authorization: []string{"Bearer"}},
		"Basic":                  {authorization: []string{"Basic " + base64.StdEncoding.EncodeToString([]byte("u:"+f.root))}},
		"Bearer without space":   {authorization: []string{"Bearer" + f.node}},
		"two words":              {authorization: []string{"Bearer " + f.node + " " + f.root}},
		"trailing junk":          {authorization: []string{"Bearer " + f.node + "!"}},
		"too long":               {authorization: []string{"Bearer " + strings.Repeat(f.root, 1000)}},
		"two headers":            {authorization: []string{"Bearer " + f.node, "Bearer " + f.root}},
		"header and cookie":      {authorization: []string{"Bearer " + f.node}, cookie: f.legacyNode},
	}
	for _, tt := range bad {
		if tt.tok != "" && !strings.ContainsAny(tt.tok, " {\"") && len(tt.tok) < 16<<10 {
			requests["bad token: "+tt.name] = creds{authorization: []string{"Bearer " + tt.tok}}
		}
	}

	modes := map[string][]middleware.Option{
		"default":          nil,
		"Strict":           {middleware.Strict()},
		"Required":         {middleware.Required()},
		"FromCookie":       {middleware.FromCookie("session")},
		"Required, cookie": {middleware.Required(), middleware.FromCookie("session")},
	}
	guards := map[string]func(http.Handler) http.Handler{
		"no guard":             func(h http.Handler) http.Handler { return h },
		"RequireRoot":          middleware.RequireRoot(),
		"RequireNode(Admin)":   middleware.RequireNode("Admin"),
		"RequireAuthenticated": middleware.RequireAuthenticated(),
		"Allow(nobody)":        middleware.Allow(func(auth.Identity) bool { return false }),
	}
	verifiers := map[string]middleware.Verifier{"client": c, "leaky verifier": leakyVerifier{c}}
	for vname, v := range verifiers {
		for mode, opts := range modes {
			mw := middleware.New(v, append(opts, middleware.WithLogger(logger))...)
			for gname, guard := range guards {
				h := mw(guard(nextHandler(strings.Contains(mode, "ookie"))))
				for rname, cr := range requests {
					r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
					for _, a := range cr.authorization {
						r.Header.Add("Authorization", a)
					}
					if cr.cookie != "" {
						r.AddCookie(&http.Cookie{Name: "session", Value: cr.cookie})
						r.AddCookie(&http.Cookie{Name: "theme", Value: "dark"})
					}
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					rec.response(fmt.Sprintf("middleware %s, %s, %s: %s", vname, mode, gname, rname), w.Code, w.Header(), w.Body.String())
				}
			}
		}
	}
	// A guard without the middleware before it.
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	r.Header.Set("Authorization", "Bearer "+f.root)
	middleware.RequireRoot()(nextHandler(false)).ServeHTTP(w, r)
	rec.response("guard without middleware", w.Code, w.Header(), w.Body.String())

	// Over a real connection too, where net/http writes the response.
	srv := httptest.NewServer(middleware.New(c, middleware.Strict(), middleware.WithLogger(logger))(nextHandler(false)))
	t.Cleanup(srv.Close)
	for _, tok := range []string{f.node + "x", f.root + "x", f.node} {
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		var raw strings.Builder
		require.NoError(t, resp.Write(&raw))
		resp.Body.Close()
		rec.add("middleware over HTTP", raw.String())
	}
}
