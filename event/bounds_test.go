package event_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/event"
)

// floodBody is a request body of n bytes of '{' that allocates nothing as
// it is read: a stand-in for a client streaming a huge body.
type floodBody struct{ left int }

func (b *floodBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), b.left)
	for i := range n {
		p[i] = '{'
	}
	b.left -= n
	return n, nil
}

func (b *floodBody) Close() error { return nil }

// TestHandlerOversizedBodyBoundedMemory sends the webhook handler bodies
// of 1 MiB + 1 byte and of 10 MiB, with their length declared and
// streamed without one (chunked). A declared length over the limit is
// refused before anything is read, allocating almost nothing; a streamed
// body is refused once 1 MiB + 1 byte has been read, so that the memory it
// costs has a bound that does not grow with the body. The function is
// never called and the answer is always 413.
//
// Not parallel: it counts the allocations of the process.
func TestHandlerOversizedBodyBoundedMemory(t *testing.T) {
	h := event.Handler(func(context.Context, *event.Event) (any, error) {
		t.Error("the function was called")
		return nil, nil
	})
	// perRequest serves one request of size bytes and returns the bytes
	// allocated, on average over a few requests.
	perRequest := func(size int, declared bool) uint64 {
		const n = 5
		reqs := make([]*http.Request, n+1)
		recs := make([]*httptest.ResponseRecorder, n+1)
		for i := range reqs {
			body := &floodBody{left: size}
			reqs[i] = httptest.NewRequest(http.MethodPost, "/fn", body)
			reqs[i].ContentLength = -1
			if declared {
				reqs[i].ContentLength = int64(size)
			}
			recs[i] = httptest.NewRecorder()
		}
		h.ServeHTTP(recs[n], reqs[n]) // warm up
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range n {
			h.ServeHTTP(recs[i], reqs[i])
		}
		runtime.ReadMemStats(&after)
		for _, rec := range recs {
			require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		}
		return (after.TotalAlloc - before.TotalAlloc) / n
	}

	const limit = event.MaxEventSize
	t.Run("declared length", func(t *testing.T) {
		for _, size := range []int{limit + 1, 10 * limit} {
			got := perRequest(size, true)
			t.Logf("bytes allocated per request: %d for %d bytes declared", got, size)
			assert.LessOrEqual(t, got, uint64(8<<10), "%d bytes declared", size)
		}
	})
	t.Run("streamed", func(t *testing.T) {
		justOver := perRequest(limit+1, false)
		far := perRequest(10*limit, false)
		t.Logf("bytes allocated per request: %d for 1 MiB + 1, %d for 10 MiB", justOver, far)
		// Reading 1 MiB with io.ReadAll costs a little over twice that,
		// in the slices it outgrows (about twice as much again as counted
		// under the race detector).
		assert.LessOrEqual(t, justOver, uint64(5*limit), "1 MiB + 1 streamed")
		assert.LessOrEqual(t, far, justOver+64<<10, "10 MiB streamed costs what 1 MiB + 1 does")
	})
}

// TestParseOversizedInputAnyShape complements
// TestParseRefusesOversizedInputEarly with other shapes of input just over
// the limit, valid JSON among them: the size alone decides, before any
// decoding, and refusing costs at most the one small error.
//
// Not parallel: it counts the allocations of the process.
func TestParseOversizedInputAnyShape(t *testing.T) {
	const limit = event.MaxEventSize
	valid := append([]byte(`{"data":"`), make([]byte, limit+1-len(`{"data":""}`))...)
	for i := len(`{"data":"`); i < len(valid); i++ {
		valid[i] = 'a'
	}
	valid = append(valid, `"}`...)
	require.Len(t, valid, limit+1)
	spaces := make([]byte, limit+1)
	for i := range spaces {
		spaces[i] = ' '
	}
	for name, input := range map[string][]byte{
		"valid event": valid,
		"white space": spaces,
		"zero bytes":  make([]byte, limit+1),
	} {
		var err error
		allocs := testing.AllocsPerRun(20, func() { _, err = event.Parse(input) })
		assert.ErrorIs(t, err, event.ErrTooLarge, name)
		assert.LessOrEqual(t, allocs, 1.0, name)
	}
}
