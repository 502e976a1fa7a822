// Command authentication runs Graphcool's email-password authentication on
// this machine: a project API (a GraphQL server keeping Users in memory)
// and the signup and authenticate functions, served as webhooks the way
// Graphcool calls them. It makes a fresh root token, prints the addresses
// of both servers and how to call them, and serves until interrupted.
//
//	go run .
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/api"
	"github.com/graphcool-go/graphcool-lib/examples/authentication/emailpassword"
	"github.com/graphcool-go/graphcool-lib/token"
)

// serviceID is the id of the example service.
const serviceID = "cj9example0authentication"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "authentication:", err)
		os.Exit(1)
	}
}

// run starts both servers with a new root token, prints how to use them to
// w and serves until ctx ends.
func run(ctx context.Context, w io.Writer) error {
	root, err := token.NewRootToken()
	if err != nil {
		return err
	}
	fns, err := emailpassword.New()
	if err != nil {
		return err
	}
	srv, err := newServer(root, fns)
	if err != nil {
		return err
	}
	signup, err := srv.event(map[string]string{"email": "ada@example.com", "password": "correct horse battery"})
	if err != nil {
		return errors.Join(err, srv.Close())
	}
	fmt.Fprintf(w, "project API (Simple): %s\n", srv.apiURL)
	fmt.Fprintf(w, "signup function:       %s/signup\n", srv.functionsURL)
	fmt.Fprintf(w, "authenticate function: %s/authenticate\n", srv.functionsURL)
	fmt.Fprintf(w, "\nSign up the way Graphcool calls a function, with the event as the body\n")
	fmt.Fprintf(w, "(it holds the root token: this demo prints it, a real service never does):\n")
	fmt.Fprintf(w, "  curl -s %s/signup -d '%s'\n", srv.functionsURL, signup)
	fmt.Fprintf(w, "Then ask the API who you are, with the token you got:\n")
	fmt.Fprintf(w, "  curl -s %s -H 'Authorization: Bearer <token>' -d '{\"query\":\"{ loggedInUser { id email } }\"}'\n", srv.apiURL)
	fmt.Fprintf(w, "\nServing until interrupted.\n")

	select {
	case <-ctx.Done():
		return srv.Close()
	case err := <-srv.errc:
		return errors.Join(err, srv.Close())
	}
}

// server is the project API and the function webhooks, each on a loopback
// port of its own.
type server struct {
	root         string // the service's root token, put in the events
	apiURL       string // the Simple API endpoint
	functionsURL string // base URL of the webhooks
	api          *http.Server
	functions    *http.Server
	errc         chan error // a server that stopped serving on its own
}

// newServer starts the API of the example service, which accepts root, and
// the functions fns on 127.0.0.1 ports chosen by the system. Stop both with
// Close.
func newServer(root string, fns *emailpassword.Functions) (*server, error) {
	client, err := auth.New(serviceID, []string{root})
	if err != nil {
		return nil, err
	}
	webhooks := http.NewServeMux()
	webhooks.Handle("/signup", event.Handler(fns.Signup))
	webhooks.Handle("/authenticate", event.Handler(fns.Authenticate))

	s := &server{root: root, errc: make(chan error, 2)}
	apiAddr, err := s.serve(&s.api, api.NewHandler(client))
	if err != nil {
		return nil, err
	}
	fnAddr, err := s.serve(&s.functions, webhooks)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	s.apiURL = "http://" + apiAddr + api.Path(serviceID)
	s.functionsURL = "http://" + fnAddr
	return s, nil
}

// serve starts serving h on a new loopback listener, stores the server in
// dst and returns its address.
func (s *server) serve(dst **http.Server, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	*dst = srv
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.errc <- err
		}
	}()
	return ln.Addr().String(), nil
}

// Close shuts both servers down, letting requests in flight finish for up
// to five seconds.
func (s *server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, srv := range []*http.Server{s.api, s.functions} {
		if srv != nil {
			errs = append(errs, srv.Shutdown(ctx))
		}
	}
	return errors.Join(errs...)
}

// event returns the JSON event Graphcool sends a function of the service
// called with data.
func (s *server) event(data any) ([]byte, error) {
	return json.Marshal(map[string]any{
		"data": data,
		"context": map[string]any{
			"graphcool": map[string]any{
				"rootToken": s.root,
				"serviceId": serviceID,
				"endpoints": map[string]any{"simple": s.apiURL},
			},
		},
	})
}
