// Package auth is graphcool-lib for Go: it reads a function's root token,
// mints temporary authentication tokens for nodes, verifies the tokens an
// API server receives, and talks GraphQL to the service's API.
//
// A [Client] belongs to one service. Inside a Graphcool function, make it
// from the function's event with [FromEvent], which reads
// context.graphcool.rootToken (or the deprecated pat) and serviceId. In an
// API server, make it with [New] from the service id and one or more root
// tokens; [Client.SetRootTokens] rotates them later.
//
// [Client.GenerateAuthToken] mints a node token locally, with a key derived
// from the root token (see package token for the wire format); no network
// call is made. [Client.Verify] checks a bearer token and returns the
// caller's [Identity]: [Root] for a configured root token, [Node] for a
// valid node token, or an error matching token.ErrInvalid. Verified node
// tokens are remembered ([WithCacheSize]), so a token sent with every
// request costs a map lookup after the first. [NewContext] and
// [FromContext] carry an Identity in a context; the auth/middleware package
// does that for net/http servers.
//
// [Client.API] is graphcool-lib's api(): a GraphQL client for the service's
// Simple, Relay or System API, authenticated with the root token or, with
// [AsToken], on behalf of a node.
//
// # Usage
//
// In a function:
//
//	ev, err := event.Parse(body)
//	if err != nil {
//		return err
//	}
//	client, err := auth.FromEvent(ev)
//	if err != nil {
//		return err // auth.ErrNoRootToken, auth.ErrNoServiceID
//	}
//	tok, err := client.GenerateAuthToken(userID, "User")
//
// In an API server:
//
//	client, err := auth.New(serviceID, []string{rootToken})
//	if err != nil {
//		return err
//	}
//	id, err := client.Verify(ctx, bearerToken)
//	switch {
//	case err != nil:
//		// treat the request as anonymous, as Graphcool did
//	case id.IsRoot():
//		// full access
//	case id.IsNode("User"):
//		// acting as the user id.NodeID
//	}
//
// Talking to the API, always with variables (values are never spliced
// into the query text):
//
//	var out struct{ User *struct{ ID string } }
//	err = client.API(auth.SimpleAPI).Request(ctx,
//		`query ($email: String!) { User(email: $email) { id } }`,
//		map[string]any{"email": email}, &out)
//
// No error of this package, and no fmt verb or log record of its types,
// shows a root token or a node token.
package auth
