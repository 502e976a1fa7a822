package event

import (
	"net/http"
	"strings"
)

// scrubber removes the secrets of one request from text before it is
// written back or logged.
type scrubber []string

// newScrubber collects the secrets of ev and r: the root token, the pat,
// the auth token, and the values of credential-bearing headers of the
// event's request and of the webhook request (whole, and without their
// scheme, as in "Bearer <token>").
func newScrubber(ev *Event, r *http.Request) scrubber {
	var s scrubber
	add := func(v string) {
		if v = strings.TrimSpace(v); v != "" {
			s = append(s, v)
		}
	}
	header := func(name, value string) {
		if sensitiveHeader(name) {
			add(value)
			if _, cred, ok := strings.Cut(value, " "); ok {
				add(cred)
			}
		}
	}
	add(ev.Context.Graphcool.RootToken)
	add(ev.Context.Graphcool.PAT)
	if ev.Context.Auth != nil {
		add(ev.Context.Auth.Token)
	}
	for name, value := range ev.Context.Request.Headers {
		header(name, value)
	}
	for name, values := range r.Header {
		for _, value := range values {
			header(name, value)
		}
	}
	return s
}

// scrub returns text with every occurrence of every secret replaced by
// [redacted]. Overlapping and adjacent occurrences are replaced as one, so
// no part of a secret survives next to another.
func (s scrubber) scrub(text string) string {
	var covered []bool
	for _, secret := range s {
		for i := 0; i < len(text); {
			j := strings.Index(text[i:], secret)
			if j < 0 {
				break
			}
			if covered == nil {
				covered = make([]bool, len(text))
			}
			for k := i + j; k < i+j+len(secret); k++ {
				covered[k] = true
			}
			i += j + 1
		}
	}
	if covered == nil {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		start := i
		for i < len(text) && !covered[i] {
			i++
		}
		b.WriteString(text[start:i])
		if i == len(text) {
			break
		}
		for i < len(text) && covered[i] {
			i++
		}
		b.WriteString(redacted)
	}
	return b.String()
}
