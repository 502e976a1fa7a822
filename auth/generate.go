package auth

import (
	"fmt"

	"github.com/graphcool-go/graphcool-lib/token"
)

// GenerateAuthToken mints a temporary authentication token for the node
// nodeID of type modelType (a GraphQL type name such as "User"). The token
// is signed locally with a key derived from the client's first root token;
// no network call is made. It expires after 30 days unless
// token.ExpiresIn says otherwise.
//
// nodeID must be 1 to 128 bytes of valid UTF-8 and modelType a GraphQL type
// name; anything else is an error.
func (c *Client) GenerateAuthToken(nodeID, modelType string, opts ...token.Option) (string, error) {
	tok, err := c.keys.Load().signer.Sign(nodeID, modelType, opts...)
	if err != nil {
		return "", fmt.Errorf("auth: generate auth token: %w", err)
	}
	return tok, nil
}
