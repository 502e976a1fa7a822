package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/graphcool-go/graphcool-lib/auth"
)

// The handlers below are the same for both routers. Each reads the caller
// the middleware put in the request context; none of them checks
// permissions itself: the router's middleware and guards have done that.

// hello greets the caller: the node by its id, root, or "anonymous".
func hello(w http.ResponseWriter, r *http.Request) {
	id, _ := auth.FromContext(r.Context())
	name := "anonymous"
	switch id.Kind {
	case auth.Node:
		name = id.NodeID
	case auth.Root:
		name = "root"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "hello, %s\n", name)
}

// me answers a User with its own id. Only a User's node token gets here.
func me(w http.ResponseWriter, r *http.Request) {
	id, _ := auth.FromContext(r.Context())
	writeJSON(w, map[string]string{"id": id.NodeID, "modelType": id.ModelType})
}

// adminConfig shows the service's configuration. Only root gets here.
func adminConfig(serviceID string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"serviceId": serviceID})
	}
}

// whoami tells any signed-in caller, node or root, who it is.
func whoami(w http.ResponseWriter, r *http.Request) {
	id, _ := auth.FromContext(r.Context())
	out := map[string]string{"kind": id.Kind.String()}
	if id.Kind == auth.Node {
		out["id"], out["modelType"] = id.NodeID, id.ModelType
	}
	writeJSON(w, out)
}

// tokenInfo tells a signed-in caller when its token expires: a node token
// at its exp, a root token never.
func tokenInfo(w http.ResponseWriter, r *http.Request) {
	id, _ := auth.FromContext(r.Context())
	expires := "never"
	if id.Claims != nil && id.Claims.ExpiresAt != nil {
		expires = id.Claims.ExpiresAt.UTC().Format(time.RFC3339)
	}
	writeJSON(w, map[string]string{"expires": expires})
}

func writeJSON(w http.ResponseWriter, v map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
