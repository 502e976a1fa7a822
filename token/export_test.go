package token

// VerifyFull is Verify without the fast path: precheck, then golang-jwt.
// The differential tests and FuzzVerifyDifferential hold Verify to it.
func (v *Verifier) VerifyFull(tok string) (*Claims, error) { return v.verifyFull(tok) }

// VerifyFast runs the fast path alone. handled is false if it left tok to
// the general path (or precheck refused tok).
func (v *Verifier) VerifyFast(tok string) (claims *Claims, handled bool, err error) {
	first, second, err := precheck(tok)
	if err != nil {
		return nil, false, err
	}
	mac, ok := v.headers[tok[:first]]
	if !ok {
		return nil, false, nil
	}
	claims, err = v.verifyFast(tok, first, second, mac)
	if err == errFallback {
		return nil, false, nil
	}
	return claims, true, err
}
