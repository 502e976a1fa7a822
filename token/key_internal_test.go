package token

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSecretKeyIsRedacted checks the key type on its own and nested in
// values fmt walks by reflection, exported fields or not.
func TestSecretKeyIsRedacted(t *testing.T) {
	t.Parallel()
	k := newSecretKey([]byte("0123456789abcdef0123456789abcdef"))
	type holder struct {
		Exported   secretKey
		unexported secretKey
		keys       map[string]verificationKey
	}
	h := holder{k, k, map[string]verificationKey{"kid": {alg: algHS256, key: k}}}

	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		out = append(out, fmt.Sprintf(verb, k), fmt.Sprintf(verb, h), fmt.Sprintf(verb, &h))
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("msg", "key", k, "holder", h)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("msg", "key", k, "holder", h)
	out = append(out, buf.String())

	all := strings.Join(out, "\n")
	for _, leak := range []string{"0123456789abcdef", "3031323334", "48 49 50", "0x30, 0x31"} {
		assert.NotContains(t, all, leak)
	}
	assert.Contains(t, all, redacted)
}
