package main

import (
	"net/http"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

// newMux returns the example's routes on the standard library's
// http.ServeMux, with method and path patterns:
//
//	GET /hello            anyone; bad tokens are served as anonymous
//	GET /me               a User's node token            (middleware.RequireNode)
//	GET /admin/config     the root token                 (middleware.RequireRoot)
//	GET /account/whoami   any valid token, node or root  (middleware.Required)
//	GET /account/token    any valid token, node or root  (middleware.Required)
//
// Each group has a middleware of its own, set up once: the public routes
// sit behind the default (optional) one, the /account/ group behind one
// made with Required. One middleware must not wrap another: the first
// removes a refused token from the request, and the second would then
// report it as missing rather than invalid.
func newMux(client *auth.Client) http.Handler {
	optional := middleware.New(client)
	required := middleware.New(client, middleware.Required())

	public := http.NewServeMux()
	public.HandleFunc("GET /hello", hello)
	public.Handle("GET /me", middleware.RequireNode("User")(http.HandlerFunc(me)))
	public.Handle("GET /admin/config", middleware.RequireRoot()(adminConfig(client.ServiceID())))

	account := http.NewServeMux()
	account.HandleFunc("GET /account/whoami", whoami)
	account.HandleFunc("GET /account/token", tokenInfo)

	mux := http.NewServeMux()
	mux.Handle("/account/", required(account))
	mux.Handle("/", optional(public))
	return mux
}
