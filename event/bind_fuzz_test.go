package event_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/graphcool-go/graphcool-lib/event"
)

// bindInput is what FuzzBind decodes into: the kinds of field a
// function's input has, a ,string option, a nested struct, a map, and
// color, whose UnmarshalJSON fails on anything but "red".
type bindInput struct {
	Email    string         `json:"email"`
	Password string         `json:"password"`
	Age      int8           `json:"age"`
	Score    float32        `json:"score"`
	Admin    bool           `json:"admin"`
	Count    int            `json:"count,string"`
	Tags     []string       `json:"tags"`
	Limits   map[string]int `json:"limits"`
	Profile  *bindProfile   `json:"profile"`
	Color    color          `json:"color"`
	Any      any            `json:"any"`
}

type bindProfile struct {
	ID   uint16   `json:"id"`
	Bits [2]uint8 `json:"bits"`
}

// bindWords are the words a Bind error about a bindInput may hold: the
// words of its messages, the JSON names of bindInput, and the names of the
// Go types involved. Anything else would come from the data.
var bindWords = wordSet(`
	event data bind want got string number object array boolean null value
	malformed JSON at byte offset out of range for cannot decode into the Go type
	a non nil pointer no
	email password age score admin count tags limits profile color any id bits
	Email Password Age Score Admin Count Tags Limits Profile Color Any ID Bits
	int8 float32 float64 bool int uint16 uint8 map interface struct
	event_test bindInput bindProfile
`)

// FuzzBind decodes arbitrary data of an event, as a function does with the
// webhook's body once Parse has accepted it: Bind must never panic, must
// agree with encoding/json on what decodes and into what, must fail only
// with ErrNoData or ErrInvalidData (never ErrMalformed: the event is fine,
// its data does not fit), and its message must name fields and types only,
// never quote the data, which can hold a password.
func FuzzBind(f *testing.F) {
	f.Add([]byte(`{"email":"ada@example.com","password":"hunter2-Secret","age":36}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev := &event.Event{Data: json.RawMessage(data)}
		var got bindInput
		err := ev.Bind(&got)

		var want bindInput
		jsonErr := json.Unmarshal(data, &want)
		// JSON white space only: Bind must not take other bytes for it.
		trimmed := strings.Trim(string(data), " \t\r\n")
		noData := trimmed == "" || trimmed == "null"

		switch {
		case err == nil:
			if jsonErr != nil {
				t.Fatalf("Bind accepted what encoding/json refuses (%v)", jsonErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Bind decoded %+v, encoding/json %+v", got, want)
			}
			return
		case errors.Is(err, event.ErrMalformed):
			t.Fatalf("Bind error matches ErrMalformed: %v", err)
		case errors.Is(err, event.ErrNoData):
			if !noData {
				t.Fatalf("ErrNoData for data that is there: %v", err)
			}
		case errors.Is(err, event.ErrInvalidData):
			if noData {
				t.Fatalf("ErrInvalidData for no data: %v", err)
			}
			if jsonErr == nil {
				t.Fatalf("Bind refused what encoding/json accepts: %v", err)
			}
		default:
			t.Fatalf("error matches no sentinel: %v", err)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "event: ") {
			t.Fatalf("message %q does not start with the package name", msg)
		}
		words := strings.FieldsFunc(msg, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_')
		})
		for _, w := range words {
			if !bindWords[w] && strings.Trim(w, "0123456789") != "" {
				t.Fatalf("message %q has the word %q, which may come from the data", msg, w)
			}
		}
	})
}

// TestBindMalformedDataIsNotNoData is the regression test of the first
// input FuzzBind found (testdata/fuzz/FuzzBind/regression-*): data that is
// not JSON but starts with 'n' was reported as ErrNoData, as if it were
// null, instead of ErrInvalidData. Parse never produces such data, but an
// Event built by hand can hold it.
func TestBindMalformedDataIsNotNoData(t *testing.T) {
	t.Parallel()
	for _, data := range []string{"n", "nul", "nope", "null x", "nulls", " n"} {
		var v bindInput
		err := (&event.Event{Data: json.RawMessage(data)}).Bind(&v)
		if !errors.Is(err, event.ErrInvalidData) || errors.Is(err, event.ErrNoData) {
			t.Errorf("Bind(%q) = %v, want ErrInvalidData", data, err)
		}
	}
	for _, data := range []string{"null", " null", "null \n", "\tnull\r\n", "", "  "} {
		var v bindInput
		err := (&event.Event{Data: json.RawMessage(data)}).Bind(&v)
		if !errors.Is(err, event.ErrNoData) {
			t.Errorf("Bind(%q) = %v, want ErrNoData", data, err)
		}
	}
}
