package event_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/event"
)

// authEvent returns the sample event that holds every kind of secret: a
// root token, a pat, an auth token and an Authorization header.
func authEvent(t testing.TB) *event.Event {
	t.Helper()
	ev, err := event.Parse(readTestdata(t, "event_auth.json"))
	require.NoError(t, err)
	require.NotNil(t, ev.Context.Auth)
	return ev
}

// printables are the values of ours that hold a secret, directly or not.
func printables(ev *event.Event) []struct {
	name  string
	value any
} {
	g := ev.Context.Graphcool
	return []struct {
		name  string
		value any
	}{
		{"Event", *ev},
		{"*Event", ev},
		{"Context", ev.Context},
		{"*Context", &ev.Context},
		{"Graphcool", g},
		{"*Graphcool", &g},
		{"Auth", *ev.Context.Auth},
		{"*Auth", ev.Context.Auth},
		{"Request", ev.Context.Request},
		{"[]any", []any{g, ev.Context.Auth}},
		{"map", map[string]event.Graphcool{"g": g}},
		{"struct of the caller's", struct {
			Ev  *event.Event
			Ctx event.Context
			Req *event.Request
		}{ev, ev.Context, &ev.Context.Request}},
		{"slice of pointers", []*event.Event{ev}},
	}
}

func TestRedactFmt(t *testing.T) {
	t.Parallel()
	ev := authEvent(t)
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%-30v", "%.5s", "%+q", "%#q", "%t"}
	for _, p := range printables(ev) {
		for _, verb := range verbs {
			t.Run(p.name+" "+verb, func(t *testing.T) {
				t.Parallel()
				out := fmt.Sprintf(verb, p.value)
				assertNoSecret(t, out)
				for _, secret := range secrets {
					assert.NotContains(t, strings.ToLower(out), hex.EncodeToString([]byte(secret))[:32])
				}
			})
		}
		t.Run(p.name+" Sprint", func(t *testing.T) {
			t.Parallel()
			out := fmt.Sprint(p.value) + fmt.Sprintln(p.value)
			assertNoSecret(t, out)
			assert.Contains(t, out, "[redacted]")
		})
	}
}

func TestRedactMethods(t *testing.T) {
	t.Parallel()
	ev := authEvent(t)
	g, a, r, c := ev.Context.Graphcool, *ev.Context.Auth, ev.Context.Request, ev.Context
	tests := []struct {
		name string
		out  string
		want []string
	}{
		{"Graphcool.String", g.String(), []string{"[redacted]", "cj0service0id0test0001"}},
		{"Graphcool.GoString", g.GoString(), []string{`event.Graphcool{RootToken:"[redacted]", PAT:"[redacted]", ServiceID:"cj0service0id0test0001"`}},
		{"Graphcool %+v", fmt.Sprintf("%+v", g), []string{"RootToken:[redacted] PAT:[redacted] ServiceID:cj0service0id0test0001"}},
		{"Auth.String", a.String(), []string{"{cj0user0001 User [redacted]}"}},
		{"Auth.GoString", a.GoString(), []string{`event.Auth{NodeID:"cj0user0001", TypeName:"User", Token:"[redacted]"}`}},
		{"Auth %+v", fmt.Sprintf("%+v", a), []string{"{NodeID:cj0user0001 TypeName:User Token:[redacted]}"}},
		{"Request.String", r.String(), []string{"authorization:[redacted]", "content-type:application/json"}},
		{"Request.GoString", r.GoString(), []string{`"authorization":"[redacted]"`}},
		{"Context.String", c.String(), []string{"[redacted]", "cj0user0001"}},
		{"Context.GoString", c.GoString(), []string{"event.Context{Request:event.Request{", "Auth:&event.Auth{", `Token:"[redacted]"`}},
		{"Event.String", ev.String(), []string{"[redacted]", "cj0user0001"}},
		{"Event %#v", fmt.Sprintf("%#v", *ev), []string{"event.Event{Data:json.RawMessage{", "Context:event.Context{"}},
		{"nil Auth in a Context", fmt.Sprintf("%v %#v", event.Context{}, event.Context{}), []string{"<nil>", "Auth:(*event.Auth)(nil)"}},
		{"nil *Auth", fmt.Sprintf("%v", (*event.Auth)(nil)), []string{"<nil>"}},
		{"width applies", fmt.Sprintf("%-5v|", event.Auth{NodeID: "n"}), []string{"{n    "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertNoSecret(t, tt.out)
			for _, want := range tt.want {
				assert.Contains(t, tt.out, want)
			}
		})
	}
}

// Empty secrets print as empty, so a missing token shows as missing.
func TestRedactEmpty(t *testing.T) {
	t.Parallel()
	g := event.Graphcool{ServiceID: "svc"}
	assert.Equal(t, `event.Graphcool{RootToken:"", PAT:"", ServiceID:"svc", ProjectID:"", Alias:"", Endpoints:event.Endpoints{Simple:"", Relay:"", System:"", Subscriptions:""}}`, fmt.Sprintf("%#v", g))
	assert.NotContains(t, fmt.Sprintf("%v", g), "[redacted]")
	assert.Equal(t, "{n t }", event.Auth{NodeID: "n", TypeName: "t"}.String())
	assert.Equal(t, "{1.2.3.4 map[authorization:] POST}", event.Request{SourceIP: "1.2.3.4", Headers: map[string]string{"authorization": ""}, HTTPMethod: "POST"}.String())
}

// Every credential-bearing header is redacted, whatever its case; other
// headers are not.
func TestRedactHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header   string
		redacted bool
	}{
		{"Authorization", true},
		{"authorization", true},
		{"AUTHORIZATION", true},
		{"Proxy-Authorization", true},
		{"Cookie", true},
		{"set-cookie", true},
		{"X-Api-Key", true},
		{"x-auth-token", true},
		{"Content-Type", false},
		{"X-Request-Id", false},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			t.Parallel()
			const value = "value-of-the-header"
			r := event.Request{Headers: map[string]string{tt.header: value}}
			var logged bytes.Buffer
			slog.New(slog.NewTextHandler(&logged, nil)).Info("m", "r", r)
			for _, out := range []string{fmt.Sprintf("%v", r), fmt.Sprintf("%#v", r), logged.String()} {
				if tt.redacted {
					assert.NotContains(t, out, value)
					assert.Contains(t, out, "[redacted]")
				} else {
					assert.Contains(t, out, value)
				}
			}
			assert.Equal(t, value, r.Headers[tt.header], "printing must not change the request")
		})
	}
}

// Logging goes through LogValue, which slog calls only on the value
// logged: values of ours inside a map or struct of the caller's are
// encoded by the JSON handler with encoding/json, which keeps the tokens.
// So only our own types are logged here.
func TestRedactSlog(t *testing.T) {
	t.Parallel()
	ev := authEvent(t)
	g := ev.Context.Graphcool
	loggables := []struct {
		name  string
		value any
	}{
		{"Event", *ev},
		{"*Event", ev},
		{"Context", ev.Context},
		{"*Context", &ev.Context},
		{"Graphcool", g},
		{"*Graphcool", &g},
		{"Auth", *ev.Context.Auth},
		{"*Auth", ev.Context.Auth},
		{"Request", ev.Context.Request},
	}
	handlers := []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"JSON", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
	}
	for _, h := range handlers {
		for _, p := range loggables {
			t.Run(h.name+" "+p.name, func(t *testing.T) {
				t.Parallel()
				var out bytes.Buffer
				logger := slog.New(h.new(&out))
				logger.Info("event", "value", p.value)
				logger.With("with", p.value).WithGroup("g").Info("event", slog.Any("nested", p.value))
				assertNoSecret(t, out.String())
				if h.name == "JSON" {
					for line := range strings.Lines(out.String()) {
						assert.True(t, json.Valid([]byte(line)), "not JSON: %s", line)
					}
				}
			})
		}
	}
}

func TestRedactSlogContent(t *testing.T) {
	t.Parallel()
	ev := authEvent(t)
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).Info("call", "event", ev)
	var rec struct {
		Event struct {
			DataBytes int `json:"dataBytes"`
			Context   struct {
				Request struct {
					SourceIP string            `json:"sourceIp"`
					Headers  map[string]string `json:"headers"`
				} `json:"request"`
				Graphcool   map[string]any `json:"graphcool"`
				Auth        map[string]any `json:"auth"`
				Environment []string       `json:"environment"`
			} `json:"context"`
		} `json:"event"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &rec))
	c := rec.Event.Context
	assert.Equal(t, len(ev.Data), rec.Event.DataBytes)
	assert.Equal(t, "198.51.100.23", c.Request.SourceIP)
	assert.Equal(t, map[string]string{"authorization": "[redacted]", "content-type": "application/json"}, c.Request.Headers)
	assert.Equal(t, "[redacted]", c.Graphcool["rootToken"])
	assert.Equal(t, "[redacted]", c.Graphcool["pat"])
	assert.Equal(t, "cj0service0id0test0001", c.Graphcool["serviceId"])
	assert.Equal(t, map[string]any{"nodeId": "cj0user0001", "typeName": "User", "token": "[redacted]"}, c.Auth)
	assert.Equal(t, []string{"MAIL_FROM", "STAGE"}, c.Environment, "names only")
	assert.NotContains(t, out.String(), "noreply@example.com", "environment values are not logged")
	assert.NotContains(t, out.String(), "cj0post0001", "data is not logged")
}

// JSON encoding is the wire format: it keeps the real values.
func TestJSONKeepsSecrets(t *testing.T) {
	t.Parallel()
	ev := authEvent(t)
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	for _, secret := range secrets {
		assert.Contains(t, string(b), secret)
	}
	var back event.Event
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, rootToken, back.Context.Graphcool.RootToken)
	assert.Equal(t, patToken, back.Context.Graphcool.PAT)
	assert.Equal(t, authToken, back.Context.Auth.Token)
	assert.Equal(t, "Bearer "+authToken, back.Context.Request.Headers["authorization"])
}

// The types that hold a secret format and log themselves.
var (
	_ fmt.Formatter  = event.Graphcool{}
	_ fmt.Formatter  = event.Auth{}
	_ fmt.Formatter  = event.Request{}
	_ fmt.Formatter  = event.Context{}
	_ fmt.Formatter  = event.Event{}
	_ fmt.Stringer   = event.Graphcool{}
	_ fmt.Stringer   = event.Auth{}
	_ fmt.GoStringer = event.Graphcool{}
	_ fmt.GoStringer = event.Auth{}
	_ slog.LogValuer = event.Graphcool{}
	_ slog.LogValuer = event.Auth{}
	_ slog.LogValuer = event.Request{}
	_ slog.LogValuer = event.Context{}
	_ slog.LogValuer = event.Event{}
)
