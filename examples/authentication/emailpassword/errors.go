package emailpassword

import "errors"

// The errors of the functions. Their messages are what the caller of a
// function reads; none of them holds an email, a password or a token.
var (
	// ErrInvalidEmail is returned by Signup for an email that is not a
	// plain address such as ada@example.com.
	ErrInvalidEmail = errors.New("emailpassword: invalid email address")

	// ErrPasswordTooShort is returned by Signup for a password shorter than
	// the minimum (see WithMinPasswordLength).
	ErrPasswordTooShort = errors.New("emailpassword: password too short")

	// ErrPasswordTooLong is returned by Signup for a password over 72
	// bytes, the most bcrypt reads.
	ErrPasswordTooLong = errors.New("emailpassword: password too long")

	// ErrEmailTaken is returned by Signup when a User has the email
	// already.
	ErrEmailTaken = errors.New("emailpassword: email address already in use")

	// ErrInvalidCredentials is returned by Authenticate for an unknown
	// email and for a wrong password alike.
	ErrInvalidCredentials = errors.New("emailpassword: invalid email or password")

	// ErrUnavailable is returned when the function cannot do its work: the
	// event lacks the root token or the API endpoint, or the API fails.
	// The cause is logged, not returned.
	ErrUnavailable = errors.New("emailpassword: service unavailable, try again later")
)
