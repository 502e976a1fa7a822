package middleware

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
)

func TestParseBearer(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", maxTokenLen)
	for _, tc := range []struct {
		value string
		tok   string
		why   reason
	}{
		{"Bearer abc", "abc", reasonToken},
		{"bearer abc", "abc", reasonToken},
		{"BEARER abc", "abc", reasonToken},
		{"Bearer    abc", "abc", reasonToken},
		{"Bearer aZ09-._~+/", "aZ09-._~+/", reasonToken},
		{"Bearer abc==", "abc==", reasonToken},
		{"Bearer a.b.c", "a.b.c", reasonToken},
		{"Bearer " + long, long, reasonToken},

		{"", "", reasonEmpty},
		{"Bearer", "", reasonEmpty},
		{"bearer ", "", reasonEmpty},
		{"Bearer    ", "", reasonEmpty},

		{"Basic abc", "", reasonScheme},
		{"Bear abc", "", reasonScheme},
		{"Bearerabc", "", reasonScheme},
		{"Bearer\tabc", "", reasonScheme},
		{" Bearer abc", "", reasonScheme},
		{"abc", "", reasonScheme},
		{"Beare\u0280 abc", "", reasonScheme},

		{"Bearer abc def", "", reasonSyntax},
		{"Bearer abc ", "", reasonSyntax},
		{"Bearer abc\t", "", reasonSyntax},
		{"Bearer ===", "", reasonSyntax},
		{"Bearer ab=c", "", reasonSyntax},
		{"Bearer abc,def", "", reasonSyntax},
		{`Bearer "abc"`, "", reasonSyntax},
		{"Bearer a\x00", "", reasonSyntax},
		{"Bearer a\u00e9", "", reasonSyntax},

		{"Bearer " + long + "a", "", reasonTooLong},
		{"Bearer " + strings.Repeat(" ", maxValueLen), "", reasonTooLong},
	} {
		t.Run(tc.value[:min(len(tc.value), 24)], func(t *testing.T) {
			t.Parallel()
			tok, why := parseBearer(tc.value)
			assert.Equal(t, tc.why, why, why.String())
			assert.Equal(t, tc.tok, tok)
		})
	}
}

func TestParseAuthorizationCount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		values []string
		why    reason
	}{
		{nil, reasonMissing},
		{[]string{}, reasonMissing},
		{[]string{"Bearer a"}, reasonToken},
		{[]string{"Bearer a", "Bearer a"}, reasonMultiple},
		{[]string{"Bearer a", ""}, reasonMultiple},
		{[]string{"", "Bearer a"}, reasonMultiple},
	} {
		tok, why := parseAuthorization(tc.values)
		assert.Equal(t, tc.why, why, "%q", tc.values)
		if why != reasonToken {
			assert.Empty(t, tok)
		}
	}
}

// hugeValues are 1 MiB Authorization values of several shapes.
func hugeValues() map[string]string {
	const mib = 1 << 20
	return map[string]string{
		"one long token":    "Bearer " + strings.Repeat("a", mib),
		"many words":        "Bearer " + strings.Repeat("a ", mib/2),
		"spaces":            "Bearer" + strings.Repeat(" ", mib),
		"dots":              "Bearer " + strings.Repeat(".", mib),
		"no scheme":         strings.Repeat("x", mib),
		"other scheme":      "Basic " + strings.Repeat("a", mib),
		"invalid at end":    "Bearer " + strings.Repeat("a", mib) + "!",
		"valid-looking jwt": "Bearer " + strings.Repeat("eyJhbGciOiJIUzI1NiJ9.", mib/21),
	}
}

// TestParseHugeHeaderAllocatesNothing checks that parsing a 1 MiB header
// allocates nothing and refuses it.
func TestParseHugeHeaderAllocatesNothing(t *testing.T) {
	for name, v := range hugeValues() {
		values := []string{v}
		var why reason
		allocs := testing.AllocsPerRun(20, func() { _, why = parseAuthorization(values) })
		assert.Zero(t, allocs, name)
		assert.NotEqual(t, reasonToken, why, name)
	}
}

// TestHugeHeaderBoundedWork checks that a request with a 1 MiB
// Authorization header costs the middleware no more memory than one with a
// short bad header: nothing proportional to the header is allocated.
func TestHugeHeaderBoundedWork(t *testing.T) {
	h := New(refuseAll{}, Strict())(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	hDefault := New(refuseAll{})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	perRequest := func(handler http.Handler, value string) uint64 {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", value)
		w := discardWriter{header: http.Header{}}
		const n = 50
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range n {
			clear(w.header)
			handler.ServeHTTP(w, r)
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / n
	}
	for _, handler := range []http.Handler{h, hDefault} {
		small := perRequest(handler, "Bearer a b")
		for name, v := range hugeValues() {
			big := perRequest(handler, v)
			assert.LessOrEqual(t, big, small+1024, "%s: %d bytes per request, %d for a short header", name, big, small)
		}
	}
}

// discardWriter is an http.ResponseWriter that keeps nothing but headers.
type discardWriter struct{ header http.Header }

func (w discardWriter) Header() http.Header         { return w.header }
func (w discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w discardWriter) WriteHeader(int)             {}

// refuseAll is a Verifier that refuses every token.
type refuseAll struct{}

func (refuseAll) Verify(context.Context, string) (auth.Identity, error) {
	return auth.Identity{}, errors.New("refused")
}

// knownToken is the one token oneTokenVerifier accepts.
const knownToken = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOiJ1MSJ9.c2ln"

// oneTokenVerifier accepts knownToken as the node u1 and nothing else.
type oneTokenVerifier struct{}

func (oneTokenVerifier) Verify(_ context.Context, tok string) (auth.Identity, error) {
	if tok == knownToken {
		return auth.Identity{Kind: auth.Node, NodeID: "u1", ModelType: "User"}, nil
	}
	return auth.Identity{}, errors.New("refused")
}

// reference is RFC 6750 §2.1 written as a regular expression, with the
// length limits of this package: the model the parser is checked against.
var reference = regexp.MustCompile(`^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9._~+/-]+=*)$`)

func referenceParse(v string) (string, bool) {
	if len(v) > maxValueLen {
		return "", false
	}
	m := reference.FindStringSubmatch(v)
	if m == nil || len(m[1]) > maxTokenLen {
		return "", false
	}
	return m[1], true
}

// FuzzParseAuthorization checks the header parser against the reference
// grammar and the middleware around it against a verifier that knows one
// token: no input panics, every token found is the tail of the header in
// the b64token alphabet, two headers never yield a token, and no header
// but "Bearer <knownToken>" ever yields an identity or reaches the handler
// with its Authorization header.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("Bearer "+knownToken, "", false)
	f.Add("Bearer "+knownToken, "Bearer "+knownToken, true)
	f.Add("bEARER   "+knownToken+"==", "", false)
	f.Add("Basic "+knownToken, "", false)

	handlers := map[string]http.Handler{}
	var got struct {
		called bool
		id     auth.Identity
		ok     bool
		authz  []string
	}
	next := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got.called = true
		got.id, got.ok = auth.FromContext(r.Context())
		got.authz = r.Header.Values("Authorization")
	})
	handlers["default"] = New(oneTokenVerifier{})(next)
	handlers["strict"] = New(oneTokenVerifier{}, Strict())(next)

	f.Fuzz(func(t *testing.T, first, second string, two bool) {
		values := []string{first}
		if two {
			values = append(values, second)
		}
		tok, why := parseAuthorization(values)
		if why != reasonToken {
			require.Empty(t, tok)
		}
		if two {
			require.Equal(t, reasonMultiple, why)
		} else {
			want, ok := referenceParse(first)
			require.Equal(t, ok, why == reasonToken, "parser and reference disagree on %q (%v)", first, why)
			require.Equal(t, want, tok)
			if ok {
				require.True(t, strings.HasSuffix(first, tok))
				require.True(t, isB64Token(tok))
			}
		}

		authenticated := !two && tok == knownToken
		for mode, h := range handlers {
			got.called, got.id, got.ok, got.authz = false, auth.Identity{}, false, nil
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header["Authorization"] = values
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if authenticated {
				require.True(t, got.called, mode)
				require.Equal(t, auth.Node, got.id.Kind, mode)
				continue
			}
			require.NotContains(t, w.Body.String(), knownToken, mode)
			switch {
			case mode == "default":
				require.True(t, got.called, mode)
				require.True(t, got.ok, mode)
				require.Equal(t, auth.Identity{}, got.id, mode)
				require.Empty(t, got.authz, mode)
			case two:
				require.False(t, got.called, mode)
				require.Equal(t, http.StatusBadRequest, w.Code, mode)
			default:
				require.False(t, got.called, mode)
				require.Equal(t, http.StatusUnauthorized, w.Code, mode)
			}
		}
	})
}

func TestRemoveCookie(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lines []string
		want  []string
	}{
		{nil, nil},
		{[]string{"auth_token=x"}, nil},
		{[]string{"a=1; auth_token=x; b=2"}, []string{"a=1; b=2"}},
		{[]string{"auth_token=x;a=1"}, []string{"a=1"}},
		{[]string{"a=1", "auth_token=x", "b=2; auth_token=y"}, []string{"a=1", "b=2"}},
		{[]string{"auth_tokenid=1; xauth_token=2"}, []string{"auth_tokenid=1; xauth_token=2"}},
		{[]string{"auth_token"}, nil},
	} {
		h := http.Header{}
		for _, l := range tc.lines {
			h.Add("Cookie", l)
		}
		removeCookie(h, "auth_token")
		assert.Equal(t, tc.want, h.Values("Cookie"), "%q", tc.lines)
	}
}
