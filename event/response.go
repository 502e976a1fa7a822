package event

// Response is what a Graphcool function returns: its result in Data, or a
// message for the caller in Error. Graphcool treats a response with a
// non-empty Error as a failed call.
//
// [Handler] writes a Response returned by a function as it is, except that
// an Error holding an error value or a string is written as its message
// with the event's tokens scrubbed out.
//
// A Response is a plain value; it is safe for concurrent use as long as
// Data and Error are.
type Response struct {
	Data  any `json:"data,omitempty"`
	Error any `json:"error,omitempty"`
}
