// Package api is a small stand-in for a Graphcool service's Simple API: a
// GraphQL server, built with github.com/graph-gophers/graphql-go, that
// keeps Users in memory and authenticates its callers with the
// graphcool-lib middleware.
//
// Its schema is
//
//	type Query {
//	  loggedInUser: LoggedInUserPayload      # the caller's own User; null unless a User's node token
//	  User(email: String!): User             # root only
//	}
//	type Mutation {
//	  createUser(email: String!, passwordHash: String!): User   # root only
//	}
//	type LoggedInUserPayload { id: ID! email: String! }
//	type User { id: ID! email: String! passwordHash: String! }
//
// Resolvers read the caller with [auth.FromContext]. A request with an
// invalid token is served as an anonymous one, as Graphcool does. Calls
// the caller may not make fail with Graphcool's error 3008, "Insufficient
// Permissions"; a second User with the same email with error 3010.
//
// # Usage
//
//	client, err := auth.New(serviceID, []string{rootToken})
//	if err != nil {
//		return err
//	}
//	srv := httptest.NewServer(api.NewHandler(client))
//	simpleEndpoint := srv.URL + api.Path(serviceID)
package api

import (
	"net/http"

	graphql "github.com/graph-gophers/graphql-go"
	"github.com/graph-gophers/graphql-go/relay"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

// The error codes the API answers with, Graphcool's own.
const (
	// CodeInsufficientPermissions: the caller may not make this call.
	CodeInsufficientPermissions = 3008
	// CodeUniqueConstraint: a User has this email already.
	CodeUniqueConstraint = 3010
)

// maxRequestSize bounds the body of a GraphQL request, in bytes.
const maxRequestSize = 1 << 20

const schema = `
schema {
  query: Query
  mutation: Mutation
}

type Query {
  "The caller's own User, or null unless the caller holds a User's token."
  loggedInUser: LoggedInUserPayload
  "The User with this email, or null. Root only."
  User(email: String!): User
}

type Mutation {
  "Creates a User. Root only."
  createUser(email: String!, passwordHash: String!): User
}

"What a User may read about itself."
type LoggedInUserPayload {
  id: ID!
  email: String!
}

type User {
  id: ID!
  email: String!
  "The bcrypt hash of the User's password. Root only."
  passwordHash: String!
}
`

// Path returns the path of the Simple API of the service serviceID, as in
// Graphcool's endpoint URLs: /simple/v1/<serviceID>.
func Path(serviceID string) string {
	return "/simple/v1/" + serviceID
}

// NewHandler returns the API of client's service, with an empty set of
// Users of its own. It answers POST requests to Path(client.ServiceID())
// carrying a GraphQL request of at most 1 MiB, and authenticates them with
// client: a node token, one of the root tokens, or none.
//
// The handler is safe for concurrent use.
func NewHandler(client *auth.Client) http.Handler {
	s := graphql.MustParseSchema(schema, &resolver{users: newStore()},
		graphql.UseStringDescriptions(),
		graphql.MaxDepth(8),
		graphql.MaxQueryLength(16<<10),
	)
	mux := http.NewServeMux()
	mux.Handle("POST "+Path(client.ServiceID()),
		http.MaxBytesHandler(&relay.Handler{Schema: s}, maxRequestSize))
	return middleware.New(client)(mux)
}
