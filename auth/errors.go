package auth

import "errors"

var (
	// ErrNoRootToken is returned when no root token is available: the
	// event has neither context.graphcool.rootToken nor the deprecated
	// context.graphcool.pat, or New was given none.
	ErrNoRootToken = errors.New("auth: no root token")

	// ErrNoServiceID is returned when the service id is missing: the event
	// has neither context.graphcool.serviceId nor the deprecated
	// context.graphcool.projectId, or New was given an empty one.
	ErrNoServiceID = errors.New("auth: no service id")

	// ErrNoEvent is returned by FromEvent for a nil event.
	ErrNoEvent = errors.New("auth: no event")

	// ErrUnknownEndpoint is returned by API requests whose endpoint is not
	// one of "simple/v1", "relay/v1" and "system", or has no URL configured.
	ErrUnknownEndpoint = errors.New("auth: unknown API endpoint")

	// ErrInvalidAPIToken is returned by API requests when the token to
	// send, the root token or the one given with AsToken, is empty or holds
	// a byte other than visible ASCII, which no bearer token has. Nothing
	// is sent.
	ErrInvalidAPIToken = errors.New("auth: invalid API token")

	// ErrInvalidResponse is returned by API requests answered with a 2xx
	// status and a body that is not a GraphQL response: not JSON, or JSON
	// with neither data nor errors.
	ErrInvalidResponse = errors.New("auth: invalid API response")

	// ErrResponseTooLarge is returned by API requests answered with a 2xx
	// status and a body of more than 16 MiB.
	ErrResponseTooLarge = errors.New("auth: API response too large")
)
