package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Bind decodes the event's data into v, which must be a non-nil pointer,
// as [encoding/json.Unmarshal] does.
//
// An event without data, or with JSON null as data, fails with
// [ErrNoData]. Data that does not fit v fails with an error matching
// [ErrInvalidData] whose message names the field (by its JSON name, e.g.
// "data.user.age") and the JSON type found, never the value: data can hold
// a password. v may then be partly filled. An error returned by v's own
// UnmarshalJSON or UnmarshalText method is reachable with [errors.As], but
// its text is not part of the message.
func (e *Event) Bind(v any) error {
	if e == nil || isNullData(e.Data) {
		return ErrNoData
	}
	err := json.Unmarshal(e.Data, v)
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*json.InvalidUnmarshalError](err); ok {
		return fmt.Errorf("event: bind: want a non-nil pointer, got %T", v)
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		where := "data"
		if te.Field != "" {
			where += "." + te.Field
		}
		want := "the Go type"
		if te.Type != nil {
			want = te.Type.String()
		}
		got := jsonKind(te.Value)
		msg := fmt.Sprintf("want %s, got %s", want, got)
		if got == "number" && strings.HasPrefix(te.Value, "number ") {
			msg = "number out of range for " + want
		}
		return &decodeError{kind: ErrInvalidData, where: where, msg: msg}
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return &decodeError{kind: ErrInvalidData, where: "data", msg: fmt.Sprintf("malformed JSON at byte offset %d", se.Offset)}
	}
	return &decodeError{kind: ErrInvalidData, where: "data", msg: fmt.Sprintf("cannot decode into %T", v), cause: err}
}

// jsonKind reduces the Value of a json.UnmarshalTypeError ("string",
// "number 300", ...) to the JSON type it names, dropping any literal.
func jsonKind(value string) string {
	word, _, _ := strings.Cut(value, " ")
	switch word {
	case "object", "array", "string", "number", "null":
		return word
	case "bool":
		return "boolean"
	}
	return "value"
}

// isNullData reports whether data is empty or JSON null, with JSON white
// space around it.
func isNullData(data []byte) bool {
	s := bytes.Trim(data, " \t\r\n")
	return len(s) == 0 || string(s) == "null"
}
