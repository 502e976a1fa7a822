package api

import (
	"context"
	"errors"

	graphql "github.com/graph-gophers/graphql-go"

	"github.com/graphcool-go/graphcool-lib/auth"
)

// resolver resolves Query and Mutation. Every permission is checked here,
// from the caller the middleware put in the context.
type resolver struct {
	users *store
}

// LoggedInUser answers a User's node token with that User and anyone
// else (anonymous callers, root, nodes of other types) with null.
func (r *resolver) LoggedInUser(ctx context.Context) *loggedInUserResolver {
	id, _ := auth.FromContext(ctx)
	if !id.IsNode("User") {
		return nil
	}
	u, ok := r.users.byID(id.NodeID)
	if !ok {
		return nil
	}
	return &loggedInUserResolver{u: u}
}

// User looks a User up by email, for root only.
func (r *resolver) User(ctx context.Context, args struct{ Email string }) (*userResolver, error) {
	if !isRoot(ctx) {
		return nil, errInsufficientPermissions
	}
	u, ok := r.users.byEmail(args.Email)
	if !ok {
		return nil, nil
	}
	return &userResolver{u: u}, nil
}

// CreateUser creates a User, for root only.
func (r *resolver) CreateUser(ctx context.Context, args struct{ Email, PasswordHash string }) (*userResolver, error) {
	if !isRoot(ctx) {
		return nil, errInsufficientPermissions
	}
	if args.Email == "" || args.PasswordHash == "" {
		return nil, errors.New("email and passwordHash must not be empty")
	}
	u, err := r.users.create(args.Email, args.PasswordHash)
	if err != nil {
		return nil, err
	}
	return &userResolver{u: u}, nil
}

// loggedInUserResolver resolves LoggedInUserPayload, which has no field
// for the password hash.
type loggedInUserResolver struct{ u user }

func (r *loggedInUserResolver) ID() graphql.ID { return graphql.ID(r.u.id) }
func (r *loggedInUserResolver) Email() string  { return r.u.email }

// userResolver resolves User. Only root reaches one, and its hash is
// checked once more.
type userResolver struct{ u user }

func (r *userResolver) ID() graphql.ID { return graphql.ID(r.u.id) }
func (r *userResolver) Email() string  { return r.u.email }

func (r *userResolver) PasswordHash(ctx context.Context) (string, error) {
	if !isRoot(ctx) {
		return "", errInsufficientPermissions
	}
	return r.u.passwordHash, nil
}

func isRoot(ctx context.Context) bool {
	id, _ := auth.FromContext(ctx)
	return id.IsRoot()
}

// apiError is a resolver error with a Graphcool error code, sent in the
// error's extensions.
type apiError struct {
	code int
	msg  string
}

func (e *apiError) Error() string { return e.msg }

// Extensions puts the code in the GraphQL error (graphql-go calls it).
func (e *apiError) Extensions() map[string]any { return map[string]any{"code": e.code} }

var (
	errInsufficientPermissions = &apiError{code: CodeInsufficientPermissions, msg: "Insufficient Permissions"}
	errEmailTaken              = &apiError{
		code: CodeUniqueConstraint,
		msg:  "A unique constraint would be violated on User. Details: Field name = email",
	}
)
