package main

import (
	"github.com/go-chi/chi/v5"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
)

// newChi returns the same routes as newMux on a chi router: the
// middleware and the guards are plain func(http.Handler) http.Handler, so
// they go into Use and With as they are.
func newChi(client *auth.Client) *chi.Mux {
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		r.Use(middleware.New(client)) // optional: bad tokens are anonymous
		r.Get("/hello", hello)
		r.With(middleware.RequireNode("User")).Get("/me", me)
		r.With(middleware.RequireRoot()).Get("/admin/config", adminConfig(client.ServiceID()))
	})
	r.Route("/account", func(r chi.Router) {
		r.Use(middleware.New(client, middleware.Required()))
		r.Get("/whoami", whoami)
		r.Get("/token", tokenInfo)
	})
	return r
}
