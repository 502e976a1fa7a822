// Package secrettest has no code, only a test: it runs every error path of
// every package of the module (event, token, auth, auth/middleware) with
// log/slog captured, and checks that no root token, node token or derived
// key appears in any error string, log record, HTTP response, or fmt
// output of the module's types.
//
// # Usage
//
//	go test ./internal/secrettest
package secrettest
