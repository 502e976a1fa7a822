package event_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/graphcool-go/graphcool-lib/event"
)

// sampleFiles are the sample events in testdata, used as fuzz seeds
// besides the corpora in testdata/fuzz.
var sampleFiles = []string{
	"event.json", "event_pat.json", "event_auth.json",
	"apigateway_v1.json", "apigateway_v2.json", "apigateway_base64.json",
}

// FuzzParse checks that Parse never panics, that it fails only with its
// sentinels and messages that quote nothing, and that whatever it accepts
// encodes with encoding/json into an event that parses back the same.
func FuzzParse(f *testing.F) {
	for _, name := range sampleFiles {
		f.Add(readTestdata(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := event.Parse(data)
		if err != nil {
			if ev != nil {
				t.Fatal("Parse returned an event and an error")
			}
			if !errors.Is(err, event.ErrMalformed) && !errors.Is(err, event.ErrTooLarge) {
				t.Fatalf("error matches no sentinel: %v", err)
			}
			assertMessageWords(t, err.Error())
			return
		}
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := event.Parse(b)
		if err != nil {
			t.Fatalf("Parse of the re-encoded event: %v\n%s", err, b)
		}
		b2, err := json.Marshal(again)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip changed the event:\n%s\n%s", b, b2)
		}
	})
}

// FuzzHandler checks that the webhook handler never panics and answers
// any body with 200, 400 or 413, in JSON.
func FuzzHandler(f *testing.F) {
	for _, name := range sampleFiles {
		f.Add(readTestdata(f, name))
	}
	h := event.Handler(func(_ context.Context, ev *event.Event) (any, error) {
		return ev.Data, nil
	})
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/fn", bytes.NewReader(body)))
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d, body %s", rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("Content-Type %q", ct)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body is not JSON: %s", rec.Body)
		}
		if rec.Code == http.StatusBadRequest {
			var resp struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("error body: %v", err)
			}
			assertMessageWords(t, resp.Error)
		}
	})
}
