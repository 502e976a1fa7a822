package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))

	text := out.String()
	for _, want := range []string{
		"service id: cj9quickstart0service",
		"kind: node, node: cj9user0ada, model: User",
		"rejected: ",
		"kind: root",
		"checksum ok: true",
		"no token         -> 200 anonymous",
		"node token       -> 200 node cj9user0ada",
		"root token       -> 200 root",
		"tampered token   -> 200 anonymous",
		"not even Bearer  -> 200 anonymous",
	} {
		assert.Contains(t, text, want)
	}
	root := regexp.MustCompile(`root token: (gcr_[0-9A-Za-z]{36})`).FindStringSubmatch(text)
	require.Len(t, root, 2, "the root token is printed once, in step 1")
	assert.Equal(t, 1, bytes.Count(out.Bytes(), []byte(root[1])),
		"the event and the client print without the root token")
}
