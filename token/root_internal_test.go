package token

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRootTokenReaderError(t *testing.T) {
	t.Parallel()
	root, err := newRootToken(strings.NewReader("too short"))
	assert.Empty(t, root)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.ErrorIs(t, err, ErrRootToken)
}

// TestNewRootTokenRejectionSampling feeds bytes at and above 248, which
// would bias c%62, and checks they are skipped, not folded in.
func TestNewRootTokenRejectionSampling(t *testing.T) {
	t.Parallel()
	var src bytes.Buffer
	src.Write(bytes.Repeat([]byte{248, 255}, 30)) // all skipped
	for i := range 60 {
		src.WriteByte(byte(i + 62)) // c%62 = i%62
	}
	root, err := newRootToken(&src)
	require.NoError(t, err)
	assert.Equal(t, "gcr_"+base62[:30], root[:34])
	assert.NoError(t, CheckRootToken(root))
}
