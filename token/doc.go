// Package token mints and verifies Graphcool node tokens: the temporary
// authentication tokens a service's root token issues for its nodes.
//
// A root token ([NewRootToken]) never signs anything itself. Each service
// gets its own signing key derived from it ([DeriveKey]); a [Signer] mints
// node tokens with that key and a [Verifier] checks them against one or
// more root tokens, so a root token can be rotated by verifying with the
// old and new ones for a while.
//
// # Usage
//
//	root, err := token.NewRootToken() // store it as a secret
//	if err != nil { ... }
//
//	signer, err := token.NewSigner(root, "my-service")
//	if err != nil { ... }
//	tok, err := signer.Sign("cj1user42", "User", token.ExpiresIn(24*time.Hour))
//	if err != nil { ... }
//
//	verifier, err := token.NewVerifier("my-service", []string{root})
//	if err != nil { ... }
//	claims, err := verifier.Verify(tok)
//	if errors.Is(err, token.ErrInvalid) {
//		// reject the request: every verification error matches ErrInvalid
//	}
//	fmt.Println(claims.NodeID, claims.ModelType) // cj1user42 User
//
// Signers and Verifiers are immutable and safe for concurrent use; build
// them once and share them. Errors are sentinels to test with
// [errors.Is]: [ErrInvalid] for every verification failure, a more
// specific one ([ErrExpired], [ErrSignature], [ErrMalformed], ...) for its
// cause. No error, and no fmt verb or log record of a type of this package,
// ever shows a token, a root token or a key.
//
// # Wire format v1
//
// Root token: "gcr_" + 30 characters of the base62 alphabet
// 0-9A-Za-z (in that order) from crypto/rand + the CRC32 (IEEE) of those 30
// characters written in the same base62, most significant digit first,
// left-padded with '0' to 6 characters; 40 characters in all
// ([CheckRootToken]). Any other string of at least 32 bytes is accepted as
// a legacy root token.
//
// Key id: the first 16 characters of the unpadded base64url encoding of
// SHA-256("graphcool-lib/kid:" + root) ([RootTokenID]).
//
// Signing key: HKDF-SHA256 (RFC 5869) with secret root, salt
// "graphcool-lib/v1" and info "node-token:" + service id, 32 bytes
// ([DeriveKey]).
//
// Node token: a compact JWS (RFC 7515) signed with HS256 under the signing
// key, header {"alg":"HS256","kid":<key id>,"typ":"JWT"}, and the claims
// userId and sub (the node id, 1 to 128 bytes of UTF-8), modelName (a
// GraphQL type name), projectId and aud (the service id, aud as a single
// string), iat and exp (whole seconds; exp is 30 days after iat by default),
// jti (16 random bytes, unpadded base64url) and any custom claims, which may
// not reuse those names nor iss and nbf ([Claims]).
//
// A Verifier accepts a token only if all of this holds: at most 8 KiB;
// three dot-separated parts in the unpadded base64url alphabet, strictly
// encoded, with a non-empty header and payload and a valid signature;
// alg HS256, the algorithm pinned to the key named by kid; no crit, jku,
// x5u, jwk or x5c header and typ, if present, "JWT"; every claim above
// present, non-empty and of its RFC 7519 JSON type (NumericDates are
// numbers); aud (a string, or an array containing it) and projectId naming
// the service; sub equal to userId; now before exp + leeway, and nbf and iat
// no later than now + leeway (leeway 30 seconds by default, [WithLeeway]).
//
// # Implementation
//
// Tokens are JWS as golang-jwt (github.com/golang-jwt/jwt/v5) reads and
// writes them. Verify decodes a token whose header is exactly the one Sign
// writes by hand, without reflection and with pooled HMAC state, and
// leaves every other token to golang-jwt; a differential test and a fuzz
// target hold the two ways to the same verdict and cause on every input.
// Sign writes its claims by hand too, byte for byte as golang-jwt and
// [Claims.MarshalJSON] would.
package token
