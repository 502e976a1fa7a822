package token_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/graphcool-go/graphcool-lib/token"
)

var verificationSentinels = map[string]error{
	"ErrMalformed":   token.ErrMalformed,
	"ErrSignature":   token.ErrSignature,
	"ErrExpired":     token.ErrExpired,
	"ErrNotYetValid": token.ErrNotYetValid,
	"ErrAlgorithm":   token.ErrAlgorithm,
	"ErrKeyID":       token.ErrKeyID,
	"ErrHeader":      token.ErrHeader,
	"ErrAudience":    token.ErrAudience,
	"ErrClaims":      token.ErrClaims,
}

var mintingSentinels = map[string]error{
	"ErrRootToken":     token.ErrRootToken,
	"ErrChecksum":      token.ErrChecksum,
	"ErrServiceID":     token.ErrServiceID,
	"ErrNodeID":        token.ErrNodeID,
	"ErrModelType":     token.ErrModelType,
	"ErrReservedClaim": token.ErrReservedClaim,
	"ErrCustomClaim":   token.ErrCustomClaim,
	"ErrExpiresIn":     token.ErrExpiresIn,
	"ErrTooLarge":      token.ErrTooLarge,
}

func TestSentinels(t *testing.T) {
	t.Parallel()
	assert.True(t, strings.HasPrefix(token.ErrInvalid.Error(), "token: "))
	for name, err := range verificationSentinels {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.ErrorIs(t, err, token.ErrInvalid, "a verification cause matches ErrInvalid")
			assert.True(t, strings.HasPrefix(err.Error(), "token: "))
			for other, o := range verificationSentinels {
				if other != name {
					assert.NotErrorIs(t, err, o, "causes are distinct")
				}
			}
		})
	}
	for name, err := range mintingSentinels {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.NotErrorIs(t, err, token.ErrInvalid, "a minting error is no verification error")
			assert.True(t, strings.HasPrefix(err.Error(), "token: "))
			for other, o := range mintingSentinels {
				if other != name {
					assert.False(t, errors.Is(err, o), "%s matches %s", name, other)
				}
			}
		})
	}
}
