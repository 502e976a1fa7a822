package auth

import (
	"net/http"
	"time"

	"github.com/graphcool-go/graphcool-lib/event"
)

// An Option configures a Client made by New or FromEvent.
type Option func(*options)

type options struct {
	now        func() time.Time
	leeway     time.Duration
	endpoints  *event.Endpoints
	httpClient *http.Client
}

// DefaultLeeway is the clock skew allowed when checking exp, nbf and iat.
const DefaultLeeway = 30 * time.Second

// defaultHTTPTimeout bounds an API request when the caller brings no
// *http.Client of its own.
const defaultHTTPTimeout = 30 * time.Second

func defaultOptions() options {
	return options{
		now:        time.Now,
		leeway:     DefaultLeeway,
		httpClient: &http.Client{Timeout: defaultHTTPTimeout},
	}
}

// WithClock sets the clock used to mint and verify tokens. A nil clock is
// ignored. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}

// WithLeeway sets the clock skew allowed when checking exp, nbf and iat.
// Negative values count as zero. Default: 30s.
func WithLeeway(d time.Duration) Option {
	return func(o *options) { o.leeway = max(d, 0) }
}

// WithEndpoints sets the URLs of the service's APIs, used by Client.API.
// Default: the event's context.graphcool.endpoints for FromEvent, none for
// New.
func WithEndpoints(e event.Endpoints) Option {
	return func(o *options) { o.endpoints = &e }
}

// WithHTTPClient sets the HTTP client used by Client.API. A nil client is
// ignored. Default: an *http.Client with a 30s timeout.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) {
		if c != nil {
			o.httpClient = c
		}
	}
}
