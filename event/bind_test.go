package event_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/event"
)

type signup struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Age   int    `json:"age"`
	User  struct {
		Age  int8     `json:"age"`
		Tags []string `json:"tags"`
	} `json:"user"`
}

var errNotAColor = errors.New("not a color")

// color fails to decode anything but "red", and its error quotes nothing.
type color string

func (c *color) UnmarshalJSON(b []byte) error {
	if string(b) != `"red"` {
		return errNotAColor
	}
	*c = "red"
	return nil
}

func TestBind(t *testing.T) {
	t.Parallel()
	ev, err := event.Parse(readTestdata(t, "event.json"))
	require.NoError(t, err)
	var in signup
	require.NoError(t, ev.Bind(&in))
	assert.Equal(t, "ada@example.com", in.Email)
	assert.Equal(t, "Ada", in.Name)

	var m map[string]any
	require.NoError(t, ev.Bind(&m))
	assert.Equal(t, map[string]any{"email": "ada@example.com", "name": "Ada"}, m)

	var raw json.RawMessage
	require.NoError(t, ev.Bind(&raw))
	assert.JSONEq(t, `{"email":"ada@example.com","name":"Ada"}`, string(raw))
}

func TestBindErrors(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-Password-Value"
	tests := []struct {
		name     string
		ev       *event.Event
		v        func() any
		wantErr  error
		wantText []string
	}{
		{"nil event", nil, func() any { return new(signup) }, event.ErrNoData, nil},
		{"no data", &event.Event{}, func() any { return new(signup) }, event.ErrNoData, nil},
		{"empty data", &event.Event{Data: json.RawMessage{}}, func() any { return new(signup) }, event.ErrNoData, nil},
		{"null data", &event.Event{Data: json.RawMessage(" null ")}, func() any { return new(signup) }, event.ErrNoData, nil},
		{"string for int", &event.Event{Data: json.RawMessage(`{"age":"` + secret + `"}`)}, func() any { return new(signup) },
			event.ErrInvalidData, []string{"event: data.age: want int, got string"}},
		{"nested field", &event.Event{Data: json.RawMessage(`{"user":{"age":"` + secret + `"}}`)}, func() any { return new(signup) },
			event.ErrInvalidData, []string{"event: data.user.age: want int8, got string"}},
		{"number out of range", &event.Event{Data: json.RawMessage(`{"user":{"age":1000000000000000000}}`)}, func() any { return new(signup) },
			event.ErrInvalidData, []string{"event: data.user.age: number out of range for int8"}},
		{"array element", &event.Event{Data: json.RawMessage(`{"user":{"tags":[1]}}`)}, func() any { return new(signup) },
			event.ErrInvalidData, []string{"event: data.user.tags: want string, got number"}},
		{"boolean for string", &event.Event{Data: json.RawMessage(`{"email":true}`)}, func() any { return new(signup) },
			event.ErrInvalidData, []string{"event: data.email: want string, got boolean"}},
		{"array for struct", &event.Event{Data: json.RawMessage(`["` + secret + `"]`)}, func() any { return new(signup) },
			event.ErrInvalidData, []string{"event: data: want event_test.signup, got array"}},
		{"object for string", &event.Event{Data: json.RawMessage(`{"a":"` + secret + `"}`)}, func() any { return new(string) },
			event.ErrInvalidData, []string{"event: data: want string, got object"}},
		{"malformed data", &event.Event{Data: json.RawMessage(`{"email":"` + secret)}, func() any { return new(signup) },
			event.ErrInvalidData, []string{"event: data: malformed JSON"}},
		{"caller's UnmarshalJSON fails", &event.Event{Data: json.RawMessage(`{"c":"` + secret + `"}`)}, func() any { return new(struct{ C color }) },
			errNotAColor, []string{"event: data: cannot decode into *struct"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.ev.Bind(tt.v())
			require.ErrorIs(t, err, tt.wantErr)
			if !errors.Is(tt.wantErr, event.ErrNoData) {
				assert.ErrorIs(t, err, event.ErrInvalidData)
			}
			assert.NotErrorIs(t, err, event.ErrMalformed, "the event is fine, its data does not fit")
			for _, piece := range tt.wantText {
				assert.Contains(t, err.Error(), piece)
			}
			assert.NotContains(t, err.Error(), secret)
			assert.NotContains(t, err.Error(), "1000000000000000000")
		})
	}
}

func TestBindNeedsAPointer(t *testing.T) {
	t.Parallel()
	ev := &event.Event{Data: json.RawMessage(`{"email":"x"}`)}
	for _, v := range []any{nil, signup{}, (*signup)(nil)} {
		err := ev.Bind(v)
		require.Error(t, err)
		assert.NotErrorIs(t, err, event.ErrNoData)
		assert.Contains(t, err.Error(), "event: bind: want a non-nil pointer")
	}
}
