package auth

import "context"

// contextKey is the unexported key under which an Identity is stored.
type contextKey struct{}

// NewContext returns a copy of ctx that carries id.
func NewContext(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, contextKey{}, id)
}

// FromContext returns the Identity stored in ctx by NewContext and whether
// there was one. Without one it returns the anonymous Identity and false.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(contextKey{}).(Identity)
	return id, ok
}
