// Command quickstart walks through what a Graphcool function does with
// graphcool-lib: it makes a root token, builds the event a function
// receives, mints a temporary authentication token for a User, verifies
// it, and sends requests to an API server guarded by the middleware,
// printing each step.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/auth/middleware"
	"github.com/graphcool-go/graphcool-lib/event"
	"github.com/graphcool-go/graphcool-lib/token"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run prints every step to w. Tokens are printed because this is a demo;
// the library itself never prints or logs one.
func run(ctx context.Context, w io.Writer) error {
	step := func(n int, title string) { fmt.Fprintf(w, "\n%d. %s\n", n, title) }

	step(1, "Make a root token (normally done once, kept in a secret store)")
	root, err := token.NewRootToken()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   root token: %s\n", root)
	fmt.Fprintf(w, "   checksum ok: %v, key id: %s\n", token.CheckRootToken(root) == nil, token.RootTokenID(root))

	step(2, "Receive a function event (this is what Graphcool sends)")
	raw, err := json.Marshal(map[string]any{
		"data": map[string]any{"email": "ada@example.com"},
		"context": map[string]any{
			"graphcool": map[string]any{
				"rootToken": root,
				"serviceId": "cj9quickstart0service",
				"endpoints": map[string]any{
					"simple": "https://api.graph.cool/simple/v1/cj9quickstart0service",
				},
			},
		},
	})
	if err != nil {
		return err
	}
	ev, err := event.Parse(raw)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   service id: %s\n", ev.Context.Graphcool.Service())
	fmt.Fprintf(w, "   the event prints safely: %+v\n", ev.Context.Graphcool)

	step(3, "auth.FromEvent(ev): a client holding the root token")
	client, err := auth.FromEvent(ev)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   %v\n", client)

	step(4, `GenerateAuthToken("cj9user0ada", "User"): mint a node token locally`)
	tok, err := client.GenerateAuthToken("cj9user0ada", "User", token.ExpiresIn(24*time.Hour))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   node token: %s\n", tok)

	step(5, "Verify(tok): what an API server does with Authorization: Bearer <token>")
	id, err := client.Verify(ctx, tok)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   kind: %s, node: %s, model: %s, expires: %s\n",
		id.Kind, id.NodeID, id.ModelType, id.Claims.ExpiresAt.UTC().Format(time.RFC3339))

	step(6, "A tampered token is refused (and an API server treats the request as anonymous)")
	tampered := tok[:len(tok)-2] + flip(tok[len(tok)-2])
	if _, err := client.Verify(ctx, tampered); err != nil {
		fmt.Fprintf(w, "   rejected: %v\n", err)
	} else {
		return fmt.Errorf("a tampered token verified")
	}

	step(7, "The root token itself authenticates as root")
	id, err = client.Verify(ctx, root)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   kind: %s\n", id.Kind)

	step(8, "An API server: the middleware puts the caller's identity in the request context")
	return serve(ctx, w, client, map[string]string{
		"no token":        "",
		"node token":      tok,
		"root token":      root,
		"tampered token":  tampered,
		"not even Bearer": "Basic dXNlcjpwYXNz",
	})
}

// serve starts an API server on a loopback port, sends it one request for
// each of the Authorization headers in requests, and prints who the server
// saw.
func serve(ctx context.Context, w io.Writer, client *auth.Client, requests map[string]string) error {
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := auth.FromContext(r.Context())
		fmt.Fprintf(w, "%s %s", id.Kind, id.NodeID)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: middleware.New(client)(whoami), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln) // returns http.ErrServerClosed after Shutdown
	defer srv.Shutdown(ctx)

	for _, name := range slices.Sorted(maps.Keys(requests)) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ln.Addr().String()+"/whoami", nil)
		if err != nil {
			return err
		}
		if h := requests[name]; h != "" {
			if !strings.Contains(h, " ") {
				h = "Bearer " + h
			}
			req.Header.Set("Authorization", h)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %-16s -> %d %s\n", name, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}

// flip returns a different base64url character than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
