package event

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScrub(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		secrets scrubber
		text    string
		want    string
	}{
		{"no secrets", nil, "text", "text"},
		{"absent", scrubber{"secret"}, "text", "text"},
		{"once", scrubber{"secret"}, "a secret b", "a [redacted] b"},
		{"twice", scrubber{"secret"}, "secret secret", "[redacted] [redacted]"},
		{"adjacent", scrubber{"secret"}, "secretsecret", "[redacted]"},
		{"overlapping occurrences", scrubber{"aba"}, "ababa", "[redacted]"},
		{"overlapping secrets", scrubber{"abcXYZ", "XYZdef"}, "abcXYZdef!", "[redacted]!"},
		{"one inside another", scrubber{"XYZ", "abcXYZdef"}, "-abcXYZdef-", "-[redacted]-"},
		{"empty text", scrubber{"secret"}, "", ""},
		{"multibyte", scrubber{"é"}, "café!", "caf[redacted]!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.secrets.scrub(tt.text))
		})
	}
}

func TestNewScrubber(t *testing.T) {
	t.Parallel()
	ev := &Event{Context: Context{
		Request: Request{Headers: map[string]string{
			"Authorization": "Bearer header-token",
			"Cookie":        "session=cookie-value",
			"Content-Type":  "application/json",
		}},
		Graphcool: Graphcool{RootToken: "root-token", PAT: " ", ServiceID: "service-id"},
		Auth:      &Auth{NodeID: "node-id", Token: "auth-token"},
	}}
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Proxy-Authorization", "Basic d2ViaG9vazpwYXNz")
	sc := newScrubber(ev, r)
	assert.ElementsMatch(t, scrubber{
		"root-token", "auth-token",
		"Bearer header-token", "header-token",
		"session=cookie-value",
		"Basic d2ViaG9vazpwYXNz", "d2ViaG9vazpwYXNz",
	}, sc, "blank secrets are skipped; ids and other headers are no secrets")
}

// TestOccurrences checks the linear search against the obvious quadratic
// one: every occurrence, overlapping ones included, in order.
func TestOccurrences(t *testing.T) {
	t.Parallel()
	naive := func(text, pat string) []int {
		var at []int
		for i := 0; i+len(pat) <= len(text); i++ {
			if text[i:i+len(pat)] == pat {
				at = append(at, i)
			}
		}
		return at
	}
	texts := []string{"", "a", "aaaaaaa", "abababab", "abaababaab", "xyzabcabcabdabcaby", "aabaabaaab"}
	pats := []string{"a", "aa", "aba", "abab", "abcaby", "aab", "baa", "zz"}
	for _, text := range texts {
		for _, pat := range pats {
			var got []int
			occurrences(text, pat, func(i int) { got = append(got, i) })
			assert.Equal(t, naive(text, pat), got, "%q in %q", pat, text)
		}
	}
}
