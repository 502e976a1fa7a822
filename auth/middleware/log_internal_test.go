package middleware

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScrub(t *testing.T) {
	t.Parallel()
	const tok = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOiJ1MSJ9.c2lnbmF0dXJl"
	for _, tc := range []struct {
		name, msg, tok, want string
	}{
		{"no token", "token: expired", tok, "token: expired"},
		{"no token given", "refused " + tok, "", "refused " + tok},
		{"whole token", "refused " + tok + " at once", tok, "refused [redacted] at once"},
		{"quoted token", `refused "` + tok + `"`, tok, `refused "[redacted]"`},
		{"twice", tok + "/" + tok, tok, "[redacted]/[redacted]"},
		{"prefix", "refused eyJhbGciOiJIUzI1...", tok, "refused [redacted]"},
		{"one part", "bad signature c2lnbmF0dXJl", tok, "bad signature [redacted]"},
		{"suffix glued to text", "sig=iJ1MSJ9.c2lnbmF0dXJl!", tok, "[redacted]!"},
		{"short words kept", "token: bad kid eyJhbG", tok, "token: bad kid eyJhbG"},
		{"unrelated long words kept", "token: signature_is_invalid", tok, "token: signature_is_invalid"},
		{"short token", "refused abc, abcdefgh", "abc", "refused [redacted], [redacted]defgh"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, scrub(tc.msg, tc.tok))
		})
	}
	t.Run("bounded", func(t *testing.T) {
		t.Parallel()
		got := scrub(strings.Repeat("é", 2000), tok)
		assert.LessOrEqual(t, len(got), maxErrorLen+len("…"))
		assert.True(t, strings.HasSuffix(got, "…"))
		assert.True(t, strings.HasPrefix(got, "é"))
		assert.NotContains(t, got, "\uFFFD")
	})
}
