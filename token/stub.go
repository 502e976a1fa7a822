package token

// Placeholder signatures so that dependent packages compile while the
// package is written. Every function here is replaced by its real
// implementation.

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var errTODO = errors.New("token: not implemented")

var (
	ErrInvalid   = errors.New("token: invalid")
	ErrExpired   = errors.New("token: expired")
	ErrMalformed = errors.New("token: malformed")
	ErrSignature = errors.New("token: signature")
)

func NewRootToken() (string, error)                    { return "", errTODO }
func CheckRootToken(root string) error                 { return errTODO }
func RootTokenID(root string) string                   { return "" }
func DeriveKey(root, serviceID string) ([]byte, error) { return nil, errTODO }

type Claims struct {
	NodeID    string         `json:"userId"`
	ModelType string         `json:"modelName"`
	ServiceID string         `json:"projectId"`
	Custom    map[string]any `json:"-"`
	jwt.RegisteredClaims
}

type Option func(*mintOptions)
type mintOptions struct{}

func ExpiresIn(d time.Duration) Option        { return nil }
func WithClaims(custom map[string]any) Option { return nil }

type ConfigOption func(*config)
type config struct{}

func WithClock(now func() time.Time) ConfigOption { return nil }
func WithLeeway(d time.Duration) ConfigOption     { return nil }

type Signer struct{}

func NewSigner(root, serviceID string, opts ...ConfigOption) (*Signer, error) { return nil, errTODO }
func (s *Signer) Sign(nodeID, modelType string, opts ...Option) (string, error) {
	return "", errTODO
}
func (s *Signer) KeyID() string { return "" }

type Verifier struct{}

func NewVerifier(serviceID string, roots []string, opts ...ConfigOption) (*Verifier, error) {
	return nil, errTODO
}
func (v *Verifier) Verify(tok string) (*Claims, error) { return nil, errTODO }
