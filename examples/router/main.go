// Command router serves a few routes behind the graphcool-lib middleware,
// on the standard library's http.ServeMux or on chi: a public route, one for
// any signed-in User, one for root only, and a group that requires a valid
// token. It makes a fresh root token, prints the address and tokens to try
// the routes with, and serves until interrupted.
//
//	go run .               # net/http ServeMux
//	go run . -router chi   # github.com/go-chi/chi/v5
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/token"
)

// serviceID is the id of the example service.
const serviceID = "cj9example0router"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "router:", err)
		}
		os.Exit(2)
	}
}

// run parses the command line args, serves the routes and prints how to
// call them to w, until ctx ends.
func run(ctx context.Context, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("router", flag.ContinueOnError)
	fs.SetOutput(w)
	addr := fs.String("addr", "127.0.0.1:0", "`address` to listen on (port 0: any free port)")
	router := fs.String("router", "mux", "`router` to use: mux (net/http) or chi")
	if err := fs.Parse(args); err != nil {
		return err
	}

	root, err := token.NewRootToken()
	if err != nil {
		return err
	}
	client, err := auth.New(serviceID, []string{root})
	if err != nil {
		return err
	}
	h, err := newHandler(*router, client)
	if err != nil {
		return err
	}
	node, err := client.GenerateAuthToken("cj9user0ada", "User", token.ExpiresIn(time.Hour))
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	base := "http://" + ln.Addr().String()
	fmt.Fprintf(w, "listening on %s (router: %s)\n\n", base, *router)
	fmt.Fprintf(w, "Try (this demo prints its tokens; a real service never does):\n")
	fmt.Fprintf(w, "  curl -i %s/hello\n", base)
	fmt.Fprintf(w, "  curl -i %s/me -H 'Authorization: Bearer %s'\n", base, node)
	fmt.Fprintf(w, "  curl -i %s/admin/config -H 'Authorization: Bearer %s'\n", base, root)
	fmt.Fprintf(w, "  curl -i %s/account/whoami -H 'Authorization: Bearer not-a-token'\n", base)

	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// newHandler returns the routes on the router named router.
func newHandler(router string, client *auth.Client) (http.Handler, error) {
	switch router {
	case "mux":
		return newMux(client), nil
	case "chi":
		return newChi(client), nil
	default:
		return nil, fmt.Errorf("unknown router %q, want mux or chi", router)
	}
}
