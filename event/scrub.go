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
// no part of a secret survives next to another. It takes time linear in
// the length of text for each secret, however the secret repeats itself.
func (s scrubber) scrub(text string) string {
	var covered []bool
	for _, secret := range s {
		first := strings.Index(text, secret)
		if first < 0 {
			continue
		}
		if covered == nil {
			covered = make([]bool, len(text))
		}
		// until is the end of what is covered already, so that overlapping
		// occurrences mark each byte once.
		until := first
		occurrences(text[first:], secret, func(i int) {
			start, end := max(first+i, until), first+i+len(secret)
			for k := start; k < end; k++ {
				covered[k] = true
			}
			until = end
		})
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

// occurrences calls found with the index of every occurrence of pat in
// text, overlapping ones included, in order. It is the Knuth-Morris-Pratt
// search: linear in len(text)+len(pat), where restarting strings.Index one
// byte after each match is quadratic on text such as "aaaa…".
func occurrences(text, pat string, found func(i int)) {
	// border[i] is the length of the longest proper prefix of pat[:i+1]
	// that is also its suffix.
	border := make([]int, len(pat))
	for i, k := 1, 0; i < len(pat); i++ {
		for k > 0 && pat[i] != pat[k] {
			k = border[k-1]
		}
		if pat[i] == pat[k] {
			k++
		}
		border[i] = k
	}
	for i, k := 0, 0; i < len(text); i++ {
		for k > 0 && text[i] != pat[k] {
			k = border[k-1]
		}
		if text[i] == pat[k] {
			k++
		}
		if k == len(pat) {
			found(i - len(pat) + 1)
			k = border[k-1]
		}
	}
}
