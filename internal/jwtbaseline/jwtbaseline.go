// Package jwtbaseline verifies node tokens with golang-jwt alone, the way
// a program using golang-jwt directly would: the baseline the benchmarks of
// this module measure themselves against, so that one run gives the ratio.
//
// It makes the same checks as the library's verifier (HS256 pinned, exp
// required, iat and nbf checked, aud and projectId naming the service, sub
// equal to userId, the key chosen by kid) without its fast path or cache.
// It is not a second implementation to use: its errors are golang-jwt's.
package jwtbaseline

import (
	"errors"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are the claims of a node token, as a program using golang-jwt
// directly would declare them.
type Claims struct {
	UserID    string `json:"userId"`
	ModelName string `json:"modelName"`
	ProjectID string `json:"projectId"`
	jwt.RegisteredClaims
}

// ErrRejected is returned for a token golang-jwt accepts but whose claims
// fail the checks it leaves to its caller.
var ErrRejected = errors.New("jwtbaseline: token rejected")

// Verifier verifies the node tokens of one service. It is safe for
// concurrent use.
type Verifier struct {
	serviceID string
	parser    *jwt.Parser
	keyfunc   jwt.Keyfunc
}

// NewVerifier returns a Verifier for serviceID that finds the key of a
// token by its kid in keys and allows leeway of clock skew.
func NewVerifier(serviceID string, leeway time.Duration, keys map[string][]byte) *Verifier {
	return &Verifier{
		serviceID: serviceID,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{"HS256"}),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithAudience(serviceID),
			jwt.WithLeeway(leeway),
		),
		keyfunc: func(t *jwt.Token) (any, error) {
			kid, _ := t.Header["kid"].(string)
			key, ok := keys[kid]
			if !ok {
				return nil, ErrRejected
			}
			return key, nil
		},
	}
}

// Verify checks tok and returns its claims.
func (v *Verifier) Verify(tok string) (*Claims, error) {
	claims := new(Claims)
	if _, err := v.parser.ParseWithClaims(tok, claims, v.keyfunc); err != nil {
		return nil, err
	}
	if claims.Subject != claims.UserID || claims.UserID == "" || claims.ProjectID != v.serviceID ||
		claims.ModelName == "" || claims.ID == "" || !slices.Contains(claims.Audience, v.serviceID) {
		return nil, ErrRejected
	}
	return claims, nil
}
