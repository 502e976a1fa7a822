package event_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/graphcool-go/graphcool-lib/event"
)

// echoHandler serves a function whose error quotes its input, as many
// do ("invalid email: …"): the text the handler scrubs is then the
// caller's.
func echoHandler() http.Handler {
	return event.Handler(func(_ context.Context, ev *event.Event) (any, error) {
		var in struct{ Email string }
		if err := ev.Bind(&in); err != nil {
			return nil, err
		}
		return nil, errors.New("invalid email: " + in.Email)
	})
}

// TestHandlerScrubsRepetitiveSecrets is the regression test of a denial
// of service: the handler scrubbed every overlapping occurrence of a
// secret by searching again one byte further, which costs the length of
// the text times the length of the secret. A caller who sent a long
// Authorization header (net/http accepts 1 MiB of headers) and input that
// the function's error quoted made one request cost seconds of CPU. The
// search is now linear (see TestOccurrences); this test checks that the
// worst input for the old search, a token of one repeated byte quoted many
// times over, is still scrubbed whole. BenchmarkHandlerScrubLongToken
// shows the cost.
func TestHandlerScrubsRepetitiveSecrets(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2, 7, 64, 4 << 10} {
		body := `{"data":{"email":"` + strings.Repeat("a", 2*n+1) + `"}}`
		r := httptest.NewRequest(http.MethodPost, "/fn", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+strings.Repeat("a", n))
		w := httptest.NewRecorder()
		echoHandler().ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("token of %d bytes: status %d", n, w.Code)
		}
		if got := w.Body.String(); got != `{"error":"invalid email: [redacted]"}` {
			t.Errorf("token of %d bytes: body %.200s", n, got)
		}
	}
}

// BenchmarkHandlerScrubLongToken is the cost of a request carrying a
// 64 KiB token that the function's error quotes twice over.
func BenchmarkHandlerScrubLongToken(b *testing.B) {
	h := echoHandler()
	const n = 64 << 10
	body := `{"data":{"email":"` + strings.Repeat("a", 2*n) + `"}}`
	header := "Bearer " + strings.Repeat("a", n)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/fn", strings.NewReader(body))
		r.Header.Set("Authorization", header)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
}
