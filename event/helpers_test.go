package event_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The secrets of the sample events in testdata. None is a real token.
const (
	rootToken = "gcr_TestRootTokenNotARealOne000000Ab12Cd"
	patToken  = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ0ZXN0LXBhdCJ9.TestPatSignatureNotReal0000000000000000"
	authToken = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOiJ0ZXN0In0.TestAuthSignatureNotReal000000000000000"
)

var secrets = []string{rootToken, patToken, authToken}

// readTestdata returns the contents of testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// assertNoSecret fails t if s contains any of the sample secrets, or a
// sizeable piece of one.
func assertNoSecret(t testing.TB, s string) {
	t.Helper()
	for _, secret := range secrets {
		for _, piece := range []string{secret, secret[:16], secret[len(secret)-16:]} {
			if strings.Contains(s, piece) {
				t.Errorf("output contains (part of) a secret: %q", s)
				return
			}
		}
	}
}

// messageWords are all the words an error message of Parse may contain:
// the names of the schema's fields and the words of the messages. Anything
// else would come from the input.
var messageWords = wordSet(`
		event body data context request graphcool environment auth sessionCache
		sourceIp headers httpMethod rootToken pat serviceId projectId alias endpoints
		simple relay system subscriptions nodeId typeName token
		isBase64Encoded requestContext identity http method
		want got string number object array boolean null values
		not a JSON malformed at byte offset empty input no or out of range
		invalid base64 bytes over the limit`)

func wordSet(words string) map[string]bool {
	set := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// assertMessageWords fails t if msg holds a word that is not one of
// messageWords: a message made only of those cannot quote the input
// (numbers in it are offsets and sizes).
func assertMessageWords(t testing.TB, msg string) {
	t.Helper()
	words := strings.FieldsFunc(msg, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	})
	for _, w := range words {
		if !messageWords[w] && strings.Trim(w, "0123456789") != "" {
			t.Errorf("message %q has the word %q, which may come from the input", msg, w)
			return
		}
	}
}
