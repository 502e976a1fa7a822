package auth

import "github.com/graphcool-go/graphcool-lib/token"

// Kind says who made a request.
type Kind int

// The kinds of caller. The zero Kind is Anonymous, so a zero Identity never
// grants anything.
const (
	// Anonymous is a caller without valid credentials.
	Anonymous Kind = iota
	// Node is a caller holding a valid temporary authentication token
	// bound to one node (usually a User).
	Node
	// Root is a caller holding one of the service's root tokens.
	Root
)

// String returns "anonymous", "node" or "root".
func (k Kind) String() string {
	switch k {
	case Anonymous:
		return "anonymous"
	case Node:
		return "node"
	case Root:
		return "root"
	default:
		return "unknown"
	}
}

// Identity is the verified caller of a request. Its zero value is the
// anonymous caller.
//
// For a Node, NodeID and ModelType name the node and Claims holds every
// claim of its token; for Root and Anonymous they are empty. An Identity
// holds no secret: the token it was made from is not kept.
//
// Claims is shared with the verifier's cache: treat it as read-only.
type Identity struct {
	Kind      Kind
	NodeID    string
	ModelType string
	Claims    *token.Claims
}

// IsRoot reports whether the caller presented a root token.
func (id Identity) IsRoot() bool { return id.Kind == Root }

// IsNode reports whether the caller presented a valid node token, and, when
// modelTypes are given, whether its model type is one of them.
func (id Identity) IsNode(modelTypes ...string) bool {
	if id.Kind != Node {
		return false
	}
	if len(modelTypes) == 0 {
		return true
	}
	for _, m := range modelTypes {
		if id.ModelType == m {
			return true
		}
	}
	return false
}

// IsAnonymous reports whether the caller had no valid credentials.
func (id Identity) IsAnonymous() bool { return id.Kind == Anonymous }
