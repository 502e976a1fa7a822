package token_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/token"
)

// secretForms returns the ways a secret could leak into output: as is, in
// hex, in base64, and as Go prints a byte slice.
func secretForms(secret []byte) []string {
	return []string{
		string(secret),
		hex.EncodeToString(secret),
		strings.ToUpper(hex.EncodeToString(secret)),
		base64.StdEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret),
		strings.Trim(fmt.Sprint(secret[:4]), "[]"), // "[12 34 56 78 ...]"
		strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", secret[:4]), "[]byte{"), "}"), // "[]byte{0xc, 0x22, ...}"
	}
}

func TestFormattingHidesSecrets(t *testing.T) {
	t.Parallel()
	root := newRoot(t)
	key, err := token.DeriveKey(root, testService)
	require.NoError(t, err)
	signer := newSigner(t, root, testService)
	verifier := newVerifier(t, testService, []string{root, newRoot(t)})
	kid := token.RootTokenID(root)

	leaks := append(secretForms([]byte(root)), secretForms(key)...)
	type holder struct {
		signer   token.Signer
		verifier token.Verifier
	}
	values := map[string]any{
		"Signer":   signer,
		"Verifier": verifier,
		// fmt walks these by reflection, without calling our methods.
		"dereferenced Signer":   *signer,
		"dereferenced Verifier": *verifier,
		"struct holding both":   holder{*signer, *verifier},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var outputs []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
				outputs = append(outputs, fmt.Sprintf(verb, v), fmt.Sprintf(verb, &v))
			}
			outputs = append(outputs,
				fmt.Sprint(v), fmt.Sprintf("%v", []any{v}), fmt.Sprintf("%+v", struct{ V any }{v}),
				fmt.Sprintf("%#v", map[string]any{"v": v}))

			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Info("msg", "value", v)
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("msg", "value", v)
			outputs = append(outputs, buf.String())

			all := strings.Join(outputs, "\n")
			for _, leak := range leaks {
				assert.NotContains(t, all, leak)
			}
			if !strings.HasPrefix(name, "dereferenced") && name != "struct holding both" {
				assert.Contains(t, fmt.Sprint(v), kid, "the kid may show, to tell keys apart")
				assert.Contains(t, buf.String(), kid)
			}
		})
	}
	t.Run("the forms would catch a leak", func(t *testing.T) {
		t.Parallel()
		type leaky struct{ Key []byte }
		forms := secretForms(key)
		assert.Contains(t, fmt.Sprintf("%v", leaky{key}), forms[5])
		assert.Contains(t, fmt.Sprintf("%#v", leaky{key}), forms[6])
		assert.Contains(t, fmt.Sprintf("%x", leaky{key}), forms[1])
	})
	t.Run("nil values", func(t *testing.T) {
		t.Parallel()
		var s *token.Signer
		var v *token.Verifier
		assert.Equal(t, "token.Signer(nil)", fmt.Sprintf("%+v", s))
		assert.Equal(t, "token.Verifier(nil)", fmt.Sprintf("%#v", v))
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("msg", "s", s, "v", v)
		assert.Contains(t, buf.String(), "token.Signer(nil)")
	})
	t.Run("exact forms", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, fmt.Sprintf("token.Signer{service: %q, kid: %q}", testService, kid), signer.String())
		assert.Equal(t, signer.String(), signer.GoString())
	})
}
