package event_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/event"
)

var testEndpoints = event.Endpoints{
	Simple:        "https://api.graph.cool/simple/v1/cj0service0id0test0001",
	Relay:         "https://api.graph.cool/relay/v1/cj0service0id0test0001",
	System:        "https://api.graph.cool/system",
	Subscriptions: "wss://subscriptions.graph.cool/v1/cj0service0id0test0001",
}

func TestParseSamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		wantData string
		want     event.Context
	}{
		{
			file:     "event.json",
			wantData: `{"email":"ada@example.com","name":"Ada"}`,
			want: event.Context{
				Request: event.Request{
					SourceIP:   "203.0.113.7",
					Headers:    map[string]string{"content-type": "application/json", "x-request-id": "req-0001"},
					HTTPMethod: "POST",
				},
				Graphcool: event.Graphcool{
					RootToken: rootToken,
					ServiceID: "cj0service0id0test0001",
					Alias:     "shop",
					Endpoints: testEndpoints,
				},
				Environment:  map[string]any{"STAGE": "test"},
				SessionCache: map[string]any{},
			},
		},
		{
			file:     "event_pat.json",
			wantData: `{"email":"ada@example.com"}`,
			want: event.Context{
				Request: event.Request{
					SourceIP:   "203.0.113.8",
					Headers:    map[string]string{},
					HTTPMethod: "POST",
				},
				Graphcool: event.Graphcool{
					PAT:       patToken,
					ProjectID: "cj0project0id0test0001",
					Endpoints: event.Endpoints{Simple: "https://api.graph.cool/simple/v1/cj0project0id0test0001"},
				},
			},
		},
		{
			file:     "event_auth.json",
			wantData: `{"postId":"cj0post0001","text":"hello"}`,
			want: event.Context{
				Request: event.Request{
					SourceIP:   "198.51.100.23",
					Headers:    map[string]string{"authorization": "Bearer " + authToken, "content-type": "application/json"},
					HTTPMethod: "POST",
				},
				Graphcool: event.Graphcool{
					RootToken: rootToken,
					PAT:       patToken,
					ServiceID: "cj0service0id0test0001",
					ProjectID: "cj0project0id0test0001",
					Alias:     "shop",
					Endpoints: testEndpoints,
				},
				Environment:  map[string]any{"STAGE": "test", "MAIL_FROM": "noreply@example.com"},
				Auth:         &event.Auth{NodeID: "cj0user0001", TypeName: "User", Token: authToken},
				SessionCache: map[string]any{"visits": 3.0},
			},
		},
		{
			file:     "apigateway_v1.json",
			wantData: `{"email":"ada@example.com"}`,
			want: event.Context{
				Request: event.Request{ // from the envelope
					SourceIP:   "192.0.2.10",
					Headers:    map[string]string{"Content-Type": "application/json", "X-Forwarded-For": "192.0.2.10"},
					HTTPMethod: "POST",
				},
				Graphcool: event.Graphcool{RootToken: rootToken, ServiceID: "cj0service0id0test0001", Endpoints: testEndpoints},
			},
		},
		{
			file:     "apigateway_v2.json",
			wantData: `{"email":"ada@example.com"}`,
			want: event.Context{
				Request: event.Request{ // from the envelope's requestContext.http
					SourceIP:   "192.0.2.20",
					Headers:    map[string]string{"content-type": "application/json", "x-forwarded-for": "192.0.2.20"},
					HTTPMethod: "POST",
				},
				Graphcool: event.Graphcool{RootToken: rootToken, ServiceID: "cj0service0id0test0001", Endpoints: testEndpoints},
			},
		},
		{
			file:     "apigateway_base64.json",
			wantData: `{"email":"ada@example.com"}`,
			want: event.Context{
				Request: event.Request{ // the event's own, not the envelope's
					SourceIP:   "10.0.0.1",
					Headers:    map[string]string{"x-inner": "yes"},
					HTTPMethod: "PUT",
				},
				Graphcool: event.Graphcool{RootToken: rootToken, ServiceID: "cj0service0id0test0001", Endpoints: testEndpoints},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse(readTestdata(t, tt.file))
			require.NoError(t, err)
			require.NotNil(t, ev)

			assert.JSONEq(t, tt.wantData, string(ev.Data))
			got, want := ev.Context, tt.want
			assert.Equal(t, want.Request.SourceIP, got.Request.SourceIP, "sourceIp")
			assert.Equal(t, want.Request.Headers, got.Request.Headers, "headers")
			assert.Equal(t, want.Request.HTTPMethod, got.Request.HTTPMethod, "httpMethod")
			assert.Equal(t, want.Graphcool.RootToken, got.Graphcool.RootToken, "rootToken")
			assert.Equal(t, want.Graphcool.PAT, got.Graphcool.PAT, "pat")
			assert.Equal(t, want.Graphcool.ServiceID, got.Graphcool.ServiceID, "serviceId")
			assert.Equal(t, want.Graphcool.ProjectID, got.Graphcool.ProjectID, "projectId")
			assert.Equal(t, want.Graphcool.Alias, got.Graphcool.Alias, "alias")
			assert.Equal(t, want.Graphcool.Endpoints, got.Graphcool.Endpoints, "endpoints")
			assert.Equal(t, want.Environment, got.Environment, "environment")
			assert.Equal(t, want.Auth, got.Auth, "auth")
			assert.Equal(t, want.SessionCache, got.SessionCache, "sessionCache")
		})
	}
}

func TestGraphcoolTokenAndService(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		g           event.Graphcool
		wantToken   string
		wantService string
	}{
		{"current names", event.Graphcool{RootToken: "root", ServiceID: "svc"}, "root", "svc"},
		{"deprecated names", event.Graphcool{PAT: "pat", ProjectID: "proj"}, "pat", "proj"},
		{"current names win", event.Graphcool{RootToken: "root", PAT: "pat", ServiceID: "svc", ProjectID: "proj"}, "root", "svc"},
		{"empty current names fall back", event.Graphcool{RootToken: "", PAT: "pat", ServiceID: "", ProjectID: "proj"}, "pat", "proj"},
		{"none", event.Graphcool{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.wantToken, tt.g.Token())
			assert.Equal(t, tt.wantService, tt.g.Service())
		})
	}
}

func TestParseSampleTokenAndService(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, wantToken, wantService string
	}{
		{"event.json", rootToken, "cj0service0id0test0001"},
		{"event_pat.json", patToken, "cj0project0id0test0001"},
		{"event_auth.json", rootToken, "cj0service0id0test0001"},
		{"apigateway_base64.json", rootToken, "cj0service0id0test0001"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse(readTestdata(t, tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.wantToken, ev.Context.Graphcool.Token())
			assert.Equal(t, tt.wantService, ev.Context.Graphcool.Service())
		})
	}
}

// envelope returns an API Gateway envelope with body, and the extra
// top-level fields given as raw JSON.
func envelope(t testing.TB, body string, extra string) []byte {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	s := `{"body":` + string(b)
	if extra != "" {
		s += "," + extra
	}
	return []byte(s + "}")
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, ev *event.Event)
	}{
		{"data only", `{"data":{"a":1}}`, func(t *testing.T, ev *event.Event) {
			assert.JSONEq(t, `{"a":1}`, string(ev.Data))
			assert.Equal(t, event.Context{}, ev.Context)
		}},
		{"null data is no data", `{"data":null,"context":{}}`, func(t *testing.T, ev *event.Event) {
			assert.Nil(t, ev.Data)
		}},
		{"scalar data", `{"data":"text"}`, func(t *testing.T, ev *event.Event) {
			assert.Equal(t, `"text"`, string(ev.Data))
		}},
		{"context only", `{"context":{"graphcool":{"serviceId":"svc"}}}`, func(t *testing.T, ev *event.Event) {
			assert.Nil(t, ev.Data)
			assert.Equal(t, "svc", ev.Context.Graphcool.ServiceID)
		}},
		{"null context", `{"data":1,"context":null}`, func(t *testing.T, ev *event.Event) {
			assert.Equal(t, event.Context{}, ev.Context)
		}},
		{"nulls everywhere", `{"data":1,"context":{"request":{"sourceIp":null,"headers":{"a":null},"httpMethod":null},` +
			`"graphcool":{"rootToken":null,"endpoints":null},"environment":null,"auth":null,"sessionCache":null}}`,
			func(t *testing.T, ev *event.Event) {
				assert.Equal(t, map[string]string{"a": ""}, ev.Context.Request.Headers)
				assert.Empty(t, ev.Context.Graphcool.Token())
				assert.Nil(t, ev.Context.Auth)
				assert.Nil(t, ev.Context.Environment)
			}},
		{"empty auth", `{"context":{"auth":{}}}`, func(t *testing.T, ev *event.Event) {
			assert.Equal(t, &event.Auth{}, ev.Context.Auth)
		}},
		{"unknown fields ignored", `{"data":1,"extra":[1,2],"context":{"graphcool":{"serviceId":"svc","future":{"x":1}},"more":true}}`,
			func(t *testing.T, ev *event.Event) {
				assert.Equal(t, "svc", ev.Context.Graphcool.ServiceID)
			}},
		{"field names are case-sensitive", `{"data":1,"context":{"graphcool":{"ServiceId":"other","serviceId":"svc","ROOTTOKEN":"x"}}}`,
			func(t *testing.T, ev *event.Event) {
				assert.Equal(t, "svc", ev.Context.Graphcool.ServiceID)
				assert.Empty(t, ev.Context.Graphcool.RootToken)
			}},
		{"escapes in strings", `{"context":{"graphcool":{"alias":"a\"b\u00e9\n"}}}`, func(t *testing.T, ev *event.Event) {
			assert.Equal(t, "a\"b\u00e9\n", ev.Context.Graphcool.Alias)
		}},
		{"surrounding whitespace", " \n\t{\"data\":true}\r\n ", func(t *testing.T, ev *event.Event) {
			assert.Equal(t, "true", string(ev.Data))
		}},
		{"event with a body field is an event", `{"body":"ignored","data":1}`, func(t *testing.T, ev *event.Event) {
			assert.Equal(t, "1", string(ev.Data))
		}},
		{"envelope without request fields", string(envelope(t, `{"data":1}`, "")), func(t *testing.T, ev *event.Event) {
			assert.Equal(t, "1", string(ev.Data))
			assert.Equal(t, event.Request{}, ev.Context.Request)
		}},
		{"envelope fills an empty request", string(envelope(t, `{"data":1,"context":{"request":{}}}`, `"httpMethod":"POST"`)),
			func(t *testing.T, ev *event.Event) {
				assert.Equal(t, "POST", ev.Context.Request.HTTPMethod)
			}},
		{"envelope keeps the event's request", string(envelope(t, `{"data":1,"context":{"request":{"httpMethod":"PUT"}}}`, `"httpMethod":"POST"`)),
			func(t *testing.T, ev *event.Event) {
				assert.Equal(t, "PUT", ev.Context.Request.HTTPMethod)
			}},
		{"envelope v1 fields win over v2", string(envelope(t, `{"data":1}`,
			`"httpMethod":"POST","requestContext":{"identity":{"sourceIp":"192.0.2.1"},"http":{"method":"GET","sourceIp":"192.0.2.2"}}`)),
			func(t *testing.T, ev *event.Event) {
				assert.Equal(t, "POST", ev.Context.Request.HTTPMethod)
				assert.Equal(t, "192.0.2.1", ev.Context.Request.SourceIP)
			}},
		{"envelope isBase64Encoded false", string(envelope(t, `{"data":1}`, `"isBase64Encoded":false`)), func(t *testing.T, ev *event.Event) {
			assert.Equal(t, "1", string(ev.Data))
		}},
		{"envelope base64", string(envelope(t, base64.StdEncoding.EncodeToString([]byte(`{"data":[1]}`)), `"isBase64Encoded":true`)),
			func(t *testing.T, ev *event.Event) {
				assert.Equal(t, "[1]", string(ev.Data))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(tt.input))
			require.NoError(t, err)
			require.NotNil(t, ev)
			tt.check(t, ev)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	// tooLarge is valid JSON, so only its size is wrong.
	tooLarge := []byte(`{"data":"` + strings.Repeat("a", event.MaxEventSize+1-len(`{"data":""}`)) + `"}`)
	require.Len(t, tooLarge, event.MaxEventSize+1)

	tests := []struct {
		name     string
		input    []byte
		wantErr  error
		wantText []string // pieces the message must contain
	}{
		{"too large", tooLarge, event.ErrTooLarge, []string{"event: 1048577 bytes, over the 1048576-byte limit"}},
		{"too large and not JSON", bytes.Repeat([]byte("x"), event.MaxEventSize+1), event.ErrTooLarge, nil},
		{"nil", nil, event.ErrMalformed, []string{"event: empty input"}},
		{"whitespace", []byte(" \n\t"), event.ErrMalformed, []string{"empty input"}},
		{"truncated", []byte(`{"data":`), event.ErrMalformed, []string{"event: malformed JSON at byte offset"}},
		{"bad token", []byte(`{"data": nope}`), event.ErrMalformed, []string{"malformed JSON at byte offset"}},
		{"trailing garbage", []byte(`{"data":1} x`), event.ErrMalformed, []string{"malformed JSON"}},
		{"byte order mark", []byte("\xef\xbb\xbf{\"data\":1}"), event.ErrMalformed, []string{"malformed JSON"}},
		{"array", []byte(`[{"data":1}]`), event.ErrMalformed, []string{"event: not a JSON object (got array)"}},
		{"string", []byte(`"{\"data\":1}"`), event.ErrMalformed, []string{"not a JSON object (got string)"}},
		{"null", []byte(`null`), event.ErrMalformed, []string{"not a JSON object (got null)"}},
		{"number", []byte(`42`), event.ErrMalformed, []string{"not a JSON object (got number)"}},
		{"boolean", []byte(`true`), event.ErrMalformed, []string{"not a JSON object (got boolean)"}},
		{"empty object", []byte(`{}`), event.ErrMalformed, []string{"event: no data or context"}},
		{"other object", []byte(`{"Data":1,"Context":{}}`), event.ErrMalformed, []string{"no data or context"}},

		{"context string", []byte(`{"context":"x"}`), event.ErrMalformed, []string{"event: context: want object, got string"}},
		{"request array", []byte(`{"context":{"request":[]}}`), event.ErrMalformed, []string{"context.request: want object, got array"}},
		{"sourceIp number", []byte(`{"context":{"request":{"sourceIp":1}}}`), event.ErrMalformed, []string{"context.request.sourceIp: want string, got number"}},
		{"headers array", []byte(`{"context":{"request":{"headers":["a"]}}}`), event.ErrMalformed, []string{"context.request.headers: want object, got array"}},
		{"header value number", []byte(`{"context":{"request":{"headers":{"x":1}}}}`), event.ErrMalformed, []string{"context.request.headers: want string values, got number"}},
		{"httpMethod boolean", []byte(`{"context":{"request":{"httpMethod":true}}}`), event.ErrMalformed, []string{"context.request.httpMethod: want string, got boolean"}},
		{"graphcool array", []byte(`{"context":{"graphcool":[]}}`), event.ErrMalformed, []string{"context.graphcool: want object, got array"}},
		{"rootToken object", []byte(`{"context":{"graphcool":{"rootToken":{}}}}`), event.ErrMalformed, []string{"context.graphcool.rootToken: want string, got object"}},
		{"pat number", []byte(`{"context":{"graphcool":{"pat":1}}}`), event.ErrMalformed, []string{"context.graphcool.pat: want string, got number"}},
		{"serviceId number", []byte(`{"context":{"graphcool":{"serviceId":1}}}`), event.ErrMalformed, []string{"event: context.graphcool.serviceId: want string, got number"}},
		{"projectId array", []byte(`{"context":{"graphcool":{"projectId":[]}}}`), event.ErrMalformed, []string{"context.graphcool.projectId: want string, got array"}},
		{"alias boolean", []byte(`{"context":{"graphcool":{"alias":false}}}`), event.ErrMalformed, []string{"context.graphcool.alias: want string, got boolean"}},
		{"endpoints string", []byte(`{"context":{"graphcool":{"endpoints":"x"}}}`), event.ErrMalformed, []string{"context.graphcool.endpoints: want object, got string"}},
		{"endpoint number", []byte(`{"context":{"graphcool":{"endpoints":{"subscriptions":1}}}}`), event.ErrMalformed, []string{"context.graphcool.endpoints.subscriptions: want string, got number"}},
		{"environment string", []byte(`{"context":{"environment":"x"}}`), event.ErrMalformed, []string{"context.environment: want object, got string"}},
		{"environment number out of range", []byte(`{"context":{"environment":{"x":1e999}}}`), event.ErrMalformed, []string{"context.environment: number out of range"}},
		{"auth array", []byte(`{"context":{"auth":[]}}`), event.ErrMalformed, []string{"context.auth: want object, got array"}},
		{"auth token number", []byte(`{"context":{"auth":{"token":1}}}`), event.ErrMalformed, []string{"context.auth.token: want string, got number"}},
		{"auth typeName array", []byte(`{"context":{"auth":{"typeName":[]}}}`), event.ErrMalformed, []string{"context.auth.typeName: want string, got array"}},
		{"auth nodeId object", []byte(`{"context":{"auth":{"nodeId":{}}}}`), event.ErrMalformed, []string{"context.auth.nodeId: want string, got object"}},
		{"sessionCache number", []byte(`{"context":{"sessionCache":1}}`), event.ErrMalformed, []string{"context.sessionCache: want object, got number"}},
		{"duplicate key, last wins", []byte(`{"context":{"graphcool":{"serviceId":"a","serviceId":2}}}`), event.ErrMalformed, []string{"context.graphcool.serviceId: want string, got number"}},

		{"envelope body number", []byte(`{"body":1}`), event.ErrMalformed, []string{"event: body: want string, got number"}},
		{"envelope body null", []byte(`{"body":null}`), event.ErrMalformed, []string{"body: want string, got null"}},
		{"envelope body empty", envelope(t, "", ""), event.ErrMalformed, []string{"event: body: empty input"}},
		{"envelope body not JSON", envelope(t, "{nope", ""), event.ErrMalformed, []string{"event: body: malformed JSON at byte offset"}},
		{"envelope body array", envelope(t, "[]", ""), event.ErrMalformed, []string{"event: body: not a JSON object (got array)"}},
		{"envelope body not an event", envelope(t, `{"x":1}`, ""), event.ErrMalformed, []string{"event: body: no data or context"}},
		{"envelope in an envelope", envelope(t, string(envelope(t, `{"data":1}`, "")), ""), event.ErrMalformed, []string{"event: body: no data or context"}},
		{"envelope event wrong type", envelope(t, `{"context":{"graphcool":{"serviceId":1}}}`, ""), event.ErrMalformed,
			[]string{"event: body: context.graphcool.serviceId: want string, got number"}},
		{"envelope isBase64Encoded string", envelope(t, `{"data":1}`, `"isBase64Encoded":"true"`), event.ErrMalformed,
			[]string{"event: isBase64Encoded: want boolean, got string"}},
		{"envelope invalid base64", envelope(t, `{"data":1}`, `"isBase64Encoded":true`), event.ErrMalformed, []string{"event: body: invalid base64"}},
		{"envelope base64 of garbage", envelope(t, base64.StdEncoding.EncodeToString([]byte("garbage")), `"isBase64Encoded":true`),
			event.ErrMalformed, []string{"body: malformed JSON"}},
		{"envelope headers array", envelope(t, `{"data":1}`, `"headers":[]`), event.ErrMalformed, []string{"event: headers: want object, got array"}},
		{"envelope httpMethod number", envelope(t, `{"data":1}`, `"httpMethod":1`), event.ErrMalformed, []string{"event: httpMethod: want string, got number"}},
		{"envelope requestContext string", envelope(t, `{"data":1}`, `"requestContext":"x"`), event.ErrMalformed,
			[]string{"event: requestContext: want object, got string"}},
		{"envelope v2 method number", envelope(t, `{"data":1}`, `"requestContext":{"http":{"method":1}}`), event.ErrMalformed,
			[]string{"event: requestContext.http.method: want string, got number"}},
		{"envelope identity number", envelope(t, `{"data":1}`, `"requestContext":{"identity":1}`), event.ErrMalformed,
			[]string{"event: requestContext.identity: want object, got number"}},
		{"envelope http array", envelope(t, `{"data":1}`, `"requestContext":{"http":[]}`), event.ErrMalformed,
			[]string{"event: requestContext.http: want object, got array"}},
		{"envelope v2 sourceIp boolean", envelope(t, `{"data":1}`, `"requestContext":{"http":{"sourceIp":true}}`), event.ErrMalformed,
			[]string{"event: requestContext.http.sourceIp: want string, got boolean"}},
		{"envelope v1 sourceIp array", envelope(t, `{"data":1}`, `"requestContext":{"identity":{"sourceIp":[]}}`), event.ErrMalformed,
			[]string{"event: requestContext.identity.sourceIp: want string, got array"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse(tt.input)
			require.Error(t, err)
			assert.Nil(t, ev)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "event: "), "message %q lacks the package prefix", err)
			for _, piece := range tt.wantText {
				assert.Contains(t, err.Error(), piece)
			}
			assertMessageWords(t, err.Error())
		})
	}
}

// Messages name fields and JSON types, never a value: every input below
// carries the token where a careless message would quote it.
func TestParseErrorsDoNotEchoInput(t *testing.T) {
	t.Parallel()
	const secret = rootToken
	tests := []struct {
		name  string
		input string
	}{
		{"syntax error after the token", `{"context":{"graphcool":{"rootToken":"` + secret + `",}}}`},
		{"syntax error in the token", `{"context":{"graphcool":{"rootToken":"` + secret + "\x01" + `"}}}`},
		{"token as an unquoted value", `{"context":{"graphcool":{"rootToken":` + secret + `}}}`},
		{"token beside a wrong type", `{"context":{"graphcool":{"rootToken":"` + secret + `","serviceId":42}}}`},
		{"token as a key", `{"context":{"request":{"headers":{"` + secret + `":1}}}}`},
		{"token as a header value of the wrong type", `{"context":{"request":{"headers":{"authorization":["Bearer ` + secret + `"]}}}}`},
		{"token in the wrong place", `{"context":{"auth":{"token":["` + secret + `"]}}}`},
		{"token as the whole input", `"` + secret + `"`},
		{"token as the whole input, unquoted", secret},
		{"token in an array", `["` + secret + `"]`},
		{"token in an object without an event", `{"` + secret + `":"` + secret + `"}`},
		{"token in an envelope body", string(envelope(t, `{"context":{"graphcool":{"rootToken":"`+secret+`","serviceId":1}}}`, ""))},
		{"token as an envelope body", string(envelope(t, secret, ""))},
		{"token as an invalid base64 body", string(envelope(t, secret+"!", `"isBase64Encoded":true`))},
		{"token as the body's type", `{"body":["` + secret + `"]}`},
		{"token-sized number", `{"context":{"graphcool":{"serviceId":12345678901234567890123456789}}}`},
		{"out-of-range number", `{"context":{"sessionCache":{"n":7e77777}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := event.Parse([]byte(tt.input))
			require.ErrorIs(t, err, event.ErrMalformed)
			msg := err.Error()
			assertNoSecret(t, msg)
			assert.NotContains(t, msg, "12345678901234567890123456789")
			assert.NotContains(t, msg, "77777")
			assert.NotContains(t, msg, "invalid character", "a json.SyntaxError's text quotes the input")
			assertMessageWords(t, msg)
		})
	}
}

// Oversized input is refused before it is decoded: whatever it holds, the
// error is ErrTooLarge, and refusing it costs at most the error itself.
// Not parallel: AllocsPerRun counts every allocation of the process.
func TestParseRefusesOversizedInputEarly(t *testing.T) {
	big := bytes.Repeat([]byte("{"), event.MaxEventSize+1) // also far too deep for a decoder
	var err error
	allocs := testing.AllocsPerRun(20, func() {
		_, err = event.Parse(big)
	})
	require.ErrorIs(t, err, event.ErrTooLarge)
	assert.LessOrEqual(t, allocs, 1.0, "Parse allocated while refusing an oversized input")
	assert.Contains(t, err.Error(), strconv.Itoa(event.MaxEventSize+1)+" bytes")
}

func TestParseAtTheLimit(t *testing.T) {
	t.Parallel()
	input := []byte(`{"data":"` + strings.Repeat("a", event.MaxEventSize-len(`{"data":""}`)) + `"}`)
	require.Len(t, input, event.MaxEventSize)
	ev, err := event.Parse(input)
	require.NoError(t, err)
	assert.Len(t, ev.Data, event.MaxEventSize-len(`{"data":}`))
}

// The event holds no reference to the caller's buffer.
func TestParseCopiesInput(t *testing.T) {
	t.Parallel()
	input := readTestdata(t, "event_auth.json")
	ev, err := event.Parse(input)
	require.NoError(t, err)
	before, err := json.Marshal(ev)
	require.NoError(t, err)
	for i := range input {
		input[i] = 'x'
	}
	after, err := json.Marshal(ev)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}

// JSON encoding keeps every value, so an event re-encodes to itself.
func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"event.json", "event_pat.json", "event_auth.json", "apigateway_v1.json", "apigateway_v2.json", "apigateway_base64.json"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse(readTestdata(t, file))
			require.NoError(t, err)
			b, err := json.Marshal(ev)
			require.NoError(t, err)
			again, err := event.Parse(b)
			require.NoError(t, err)
			b2, err := json.Marshal(again)
			require.NoError(t, err)
			assert.JSONEq(t, string(b), string(b2))
			assert.Equal(t, ev.Context.Graphcool, again.Context.Graphcool)
			assert.Equal(t, ev.Context.Auth, again.Context.Auth)
			assert.Equal(t, ev.Context.Request, again.Context.Request)
		})
	}
}
