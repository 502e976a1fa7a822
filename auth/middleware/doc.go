// Package middleware authenticates net/http requests by their bearer
// token and puts the caller's [auth.Identity] in the request context.
//
// [New] wraps a handler with a [Verifier], usually the service's
// *auth.Client. It reads the request's Authorization header,
//
//	Authorization: Bearer <token>
//
// checks the token with the Verifier and stores who sent it (a node, the
// holder of a root token, or an anonymous caller) where [auth.FromContext]
// finds it. By default the middleware follows Graphcool: a request with an
// invalid token is treated as if no token had been sent, and nothing of the
// bad token reaches the handler. [Required] refuses requests without valid
// credentials and [Strict] refuses bad credentials even where credentials
// are optional, both with the RFC 6750 WWW-Authenticate challenges.
//
// Guards placed after New protect single routes: [RequireAuthenticated],
// [RequireRoot], [RequireNode] and, for any other rule, [Allow]. They refuse
// anonymous callers with 401 and authenticated callers they do not allow
// with 403 (error="insufficient_scope").
//
// # Usage
//
//	client, err := auth.New(serviceID, []string{rootToken})
//	if err != nil {
//		return err
//	}
//	authn := middleware.New(client, middleware.WithLogger(slog.Default()))
//
//	mux := http.NewServeMux()
//	mux.Handle("/graphql", graphqlHandler) // anonymous, node or root
//	mux.Handle("/admin/", middleware.RequireRoot()(adminHandler))
//	mux.Handle("/me", middleware.RequireNode("User")(http.HandlerFunc(
//		func(w http.ResponseWriter, r *http.Request) {
//			id, _ := auth.FromContext(r.Context())
//			fmt.Fprintf(w, "hello %s\n", id.NodeID)
//		})))
//	return http.ListenAndServe(addr, authn(mux))
//
// # Requests and responses
//
// The header must hold "Bearer" in any case, one or more spaces and one
// b64token, with nothing after it (RFC 6750 §2.1). A request with no
// Authorization header sent no credentials. An empty header, the scheme
// alone, another scheme such as Basic, a second word, a character outside
// the b64token alphabet, a token over 16 KiB or a token the Verifier
// refuses are bad credentials. Two Authorization headers make the request
// malformed: the middleware never picks one of them.
//
//	                     default      Strict()               Required()
//	no credentials       anonymous    anonymous              401
//	bad credentials      anonymous    401 invalid_token      401 invalid_token
//	malformed request    anonymous    400 invalid_request    400 invalid_request
//	valid token          the Node or Root identity, in every mode
//
// Refusals carry a WWW-Authenticate header such as
// `Bearer realm="graphcool", error="invalid_token"` and, unless
// [WithErrorHandler] says otherwise, a JSON body such as
// {"error":"invalid_token"} with Cache-Control: no-store. Neither the
// response nor the log ([WithLogger]) ever contains a token.
package middleware
