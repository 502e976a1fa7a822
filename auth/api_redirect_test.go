package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
)

// TestAPIRequestTransportErrorHidesEchoedToken is the regression test of a
// leak TestNoSecretInAnyOutput (internal/secrettest) found: an API server
// that redirects to a URL holding the request's token (as the query of a
// login page, say) to a server that then fails made Request return
// net/http's *url.Error, whose message and URL field quote that URL, token
// included. Request redacts the token wherever else the server echoes it
// (status line, body, GraphQL errors); a transport error after a redirect
// must be no exception.
func TestAPIRequestTransportErrorHidesEchoedToken(t *testing.T) {
	t.Parallel()
	const (
		root = "root-token-for-redirect-tests-0123456789"
		node = "eyJhbGciOiJIUzI1NiJ9.cmVkaXJlY3QtdGVzdA.c2lnbmF0dXJlLW9mLXRoZS1ub2RlLXRva2Vu"
	)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		http.Redirect(w, r, down.URL+"/login?token="+url.QueryEscape(tok)+"&raw="+tok, http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c, err := auth.New("svc", []string{root},
		auth.WithEndpoints(event.Endpoints{Simple: srv.URL + "/simple/v1/svc"}),
		auth.WithHTTPClient(srv.Client()))
	require.NoError(t, err)

	for as, opts := range map[string][]auth.APIOption{"root": nil, "node": {auth.AsToken(node)}} {
		t.Run(as, func(t *testing.T) {
			t.Parallel()
			err := c.API(auth.SimpleAPI, opts...).Request(context.Background(), "{ n }", nil, nil)
			require.Error(t, err)
			var uerr *url.Error
			assert.True(t, errors.As(err, &uerr), "the transport error stays reachable: %v", err)
			for _, out := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", uerr), uerr.URL} {
				assert.NotContains(t, out, root)
				assert.NotContains(t, out, node)
			}
			assert.Contains(t, err.Error(), "[redacted]")
		})
	}
}
