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
)
