// Package emailpassword is Graphcool's email-password authentication as two
// serverless functions: [Functions.Signup] creates a User and
// [Functions.Authenticate] checks a User's password, and both answer with
// the User's id and a temporary authentication token for it.
//
// Both have the signature of an [event.HandlerFunc]: they read the root
// token, the service id and the Simple API endpoint from the function
// event with [auth.FromEvent], talk to the API with the root token, and
// mint the token with [auth.Client.GenerateAuthToken]. The API must offer
//
//	type Query    { User(email: String!): User }
//	type Mutation { createUser(email: String!, passwordHash: String!): User }
//	type User     { id: ID! passwordHash: String! }
//
// to the root token, and report a taken email with Graphcool's error code
// 3010 (a unique constraint violation).
//
// # Usage
//
//	fns, err := emailpassword.New()
//	if err != nil {
//		return err
//	}
//	http.Handle("/signup", event.Handler(fns.Signup))
//	http.Handle("/authenticate", event.Handler(fns.Authenticate))
//
// The input of both functions is {"email": ..., "password": ...}; the
// result is a [Result]. Passwords are hashed with bcrypt, and neither a
// password nor a hash ever leaves the functions: a wrong password and an
// unknown email get the same error, [ErrInvalidCredentials], after the
// same amount of work.
package emailpassword

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
)

// ModelType is the model type of the nodes the functions create and the
// tokens they mint are for.
const ModelType = "User"

// maxEmailLength is the longest address accepted, in bytes (RFC 5321's
// limit on a forward path).
const maxEmailLength = 254

// maxPasswordLength is the longest password accepted, in bytes: bcrypt
// reads no further.
const maxPasswordLength = 72

// uniqueConstraintViolation is the code of the error Graphcool's API
// answers with when a mutation would duplicate a unique field.
const uniqueConstraintViolation = 3010

// The GraphQL documents the functions send. Values are always passed as
// variables, never written into these texts.
const (
	createUserMutation = `mutation ($email: String!, $passwordHash: String!) {
  createUser(email: $email, passwordHash: $passwordHash) { id }
}`
	userByEmailQuery = `query ($email: String!) {
  User(email: $email) { id passwordHash }
}`
)

// Functions holds the configuration of the two functions. Make one with
// New. A Functions is safe for concurrent use: its methods only read it.
type Functions struct {
	cost        int
	minPassword int
	logger      *slog.Logger
	// dummyHash is compared against when the email is unknown, so that
	// an unknown email costs as much time as a wrong password.
	dummyHash []byte
}

// Result is what both functions return: the User's id and a temporary
// authentication token for it. Printing a Result with any fmt verb, or
// logging it with log/slog, shows its token as [redacted]; JSON encoding
// keeps it.
type Result struct {
	ID    string `json:"id"`
	Token string `json:"token"`
}

// credentials is the input of both functions.
type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// New returns the functions configured by opts. It fails when the bcrypt
// cost or the minimum password length given is out of range.
func New(opts ...Option) (*Functions, error) {
	f := &Functions{
		cost:        bcrypt.DefaultCost,
		minPassword: DefaultMinPasswordLength,
		logger:      slog.Default(),
	}
	for _, opt := range opts {
		if opt != nil {
			opt(f)
		}
	}
	if f.minPassword < 1 || f.minPassword > maxPasswordLength {
		return nil, fmt.Errorf("emailpassword: minimum password length %d is not within 1 to %d",
			f.minPassword, maxPasswordLength)
	}
	if f.cost < bcrypt.MinCost || f.cost > bcrypt.MaxCost {
		// bcrypt itself would use its default for a cost below the minimum.
		return nil, fmt.Errorf("emailpassword: bcrypt cost %d is not within %d to %d",
			f.cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(rand.Text()), f.cost)
	if err != nil {
		return nil, fmt.Errorf("emailpassword: %w", err)
	}
	f.dummyHash = hash
	return f, nil
}

// Signup creates a User with the email and password of the event's data
// and returns a [Result] for it. It fails with ErrInvalidEmail,
// ErrPasswordTooShort or ErrPasswordTooLong for input it refuses, with
// ErrEmailTaken when a User has the email already, and with
// ErrUnavailable when the API cannot be used (the cause is logged).
//
// The email is trimmed and lower-cased before it is stored.
func (f *Functions) Signup(ctx context.Context, ev *event.Event) (any, error) {
	in, err := bind(ev)
	if err != nil {
		return nil, err
	}
	email, err := normalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	if err := f.checkPassword(in.Password); err != nil {
		return nil, err
	}
	client, err := auth.FromEvent(ev)
	if err != nil {
		return nil, f.unavailable(ctx, "read the event", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), f.cost)
	if err != nil {
		return nil, f.unavailable(ctx, "hash the password", err)
	}

	var out struct {
		CreateUser *struct {
			ID string `json:"id"`
		} `json:"createUser"`
	}
	err = client.API(auth.SimpleAPI).Request(ctx, createUserMutation,
		map[string]any{"email": email, "passwordHash": string(hash)}, &out)
	switch {
	case hasCode(err, uniqueConstraintViolation):
		return nil, ErrEmailTaken
	case err != nil:
		return nil, f.unavailable(ctx, "create the user", err)
	case out.CreateUser == nil || out.CreateUser.ID == "":
		return nil, f.unavailable(ctx, "create the user", errors.New("the API returned no user"))
	}
	return f.result(ctx, client, out.CreateUser.ID)
}

// Authenticate looks up the User with the email of the event's data,
// checks the password against its bcrypt hash and returns a [Result] for
// it. An unknown email, a wrong password and input that no User can have
// all fail with the same error, ErrInvalidCredentials, so that the answer
// tells nobody which emails have an account; ErrUnavailable means the API
// cannot be used (the cause is logged).
func (f *Functions) Authenticate(ctx context.Context, ev *event.Event) (any, error) {
	in, err := bind(ev)
	if err != nil {
		return nil, err
	}
	email, err := normalizeEmail(in.Email)
	if err != nil || in.Password == "" || len(in.Password) > maxPasswordLength {
		return nil, ErrInvalidCredentials
	}
	client, err := auth.FromEvent(ev)
	if err != nil {
		return nil, f.unavailable(ctx, "read the event", err)
	}

	var out struct {
		User *struct {
			ID           string `json:"id"`
			PasswordHash string `json:"passwordHash"`
		} `json:"User"`
	}
	err = client.API(auth.SimpleAPI).Request(ctx, userByEmailQuery, map[string]any{"email": email}, &out)
	if err != nil {
		return nil, f.unavailable(ctx, "look up the user", err)
	}
	if out.User == nil {
		// Spend the time a wrong password costs.
		_ = bcrypt.CompareHashAndPassword(f.dummyHash, []byte(in.Password))
		return nil, ErrInvalidCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(out.User.PasswordHash), []byte(in.Password)) != nil {
		return nil, ErrInvalidCredentials
	}
	return f.result(ctx, client, out.User.ID)
}

// result mints the token of the User id.
func (f *Functions) result(ctx context.Context, client *auth.Client, id string) (Result, error) {
	tok, err := client.GenerateAuthToken(id, ModelType)
	if err != nil {
		return Result{}, f.unavailable(ctx, "generate the token", err)
	}
	return Result{ID: id, Token: tok}, nil
}

// unavailable logs err, which the caller is not told, and returns
// ErrUnavailable. Errors of the library never hold a token.
func (f *Functions) unavailable(ctx context.Context, what string, err error) error {
	f.logger.ErrorContext(ctx, "emailpassword: cannot "+what, slog.String("error", err.Error()))
	return ErrUnavailable
}

// checkPassword checks the length of a new password, in characters for the
// minimum and in bytes for bcrypt's maximum.
func (f *Functions) checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < f.minPassword {
		return fmt.Errorf("%w: at least %d characters", ErrPasswordTooShort, f.minPassword)
	}
	if len(pw) > maxPasswordLength {
		return fmt.Errorf("%w: at most %d bytes", ErrPasswordTooLong, maxPasswordLength)
	}
	return nil
}

// bind decodes the input of a function.
func bind(ev *event.Event) (credentials, error) {
	var in credentials
	if err := ev.Bind(&in); err != nil {
		return in, fmt.Errorf("emailpassword: %w", err)
	}
	return in, nil
}

// normalizeEmail trims and lower-cases s and checks that it is a plain
// address (no display name, no comments), local@domain with a dot in the
// domain.
func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > maxEmailLength {
		return "", ErrInvalidEmail
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", ErrInvalidEmail
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, "[") {
		return "", ErrInvalidEmail
	}
	return s, nil
}

// hasCode reports whether err holds a GraphQL error with the Graphcool
// error code.
func hasCode(err error, code int) bool {
	gerr, ok := errors.AsType[*auth.GraphQLError](err)
	if !ok {
		return false
	}
	for _, e := range gerr.Errors {
		if c, ok := e.Extensions["code"].(float64); ok && int(c) == code {
			return true
		}
	}
	return false
}
