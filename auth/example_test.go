package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/graphcool-go/graphcool-lib/auth"
	"github.com/graphcool-go/graphcool-lib/event"
)

// exampleRoot is a fixed root token for the examples. Make real ones with
// token.NewRootToken.
const exampleRoot = "example-root-token-of-at-least-32-bytes"

// exampleAPI starts a stand-in for a service's Simple API. Like the real
// one, it holds the root token and authenticates each request with Verify;
// it answers a User query with the variable id and the caller's kind, and
// lets only root read the User "cj9user0bob".
func exampleAPI(serviceID, root string) *httptest.Server {
	verifier, err := auth.New(serviceID, []string{root})
	if err != nil {
		panic(err)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		id, err := verifier.Verify(r.Context(), strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		if err != nil || req.Variables["id"] == "cj9user0bob" && !id.IsRoot() {
			fmt.Fprint(w, `{"data":{"User":null},"errors":[{"message":"Insufficient Permissions","path":["User"],"code":3008}]}`)
			return
		}
		fmt.Fprintf(w, `{"data":{"User":{"id":%q,"email":"someone@example.com"},"caller":%q}}`, req.Variables["id"], id.Kind)
	}))
}

func ExampleClient_API() {
	srv := exampleAPI("cj9service", exampleRoot)
	defer srv.Close()

	// In a function, auth.FromEvent takes the endpoints from the event.
	client, err := auth.New("cj9service", []string{exampleRoot},
		auth.WithEndpoints(event.Endpoints{Simple: srv.URL + "/simple/v1/cj9service"}))
	if err != nil {
		fmt.Println(err)
		return
	}

	// Values go in variables, never into the query text.
	var out struct {
		User struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"User"`
		Caller string `json:"caller"`
	}
	err = client.API("simple/v1").Request(context.Background(),
		`query ($id: ID!) { User(id: $id) { id email } }`,
		map[string]any{"id": "cj9user0ada"}, &out)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.User.ID, out.User.Email, "as", out.Caller)
	// Output: cj9user0ada someone@example.com as root
}

func ExampleAsToken() {
	srv := exampleAPI("cj9service", exampleRoot)
	defer srv.Close()

	client, err := auth.New("cj9service", []string{exampleRoot},
		auth.WithEndpoints(event.Endpoints{Simple: srv.URL + "/simple/v1/cj9service"}))
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := client.GenerateAuthToken("cj9user0ada", "User")
	if err != nil {
		fmt.Println(err)
		return
	}

	// On behalf of the node: the API's permission rules for Ada apply.
	api := client.API("", auth.AsToken(tok))
	const query = `query ($id: ID!) { User(id: $id) { email } }`

	var out struct{ Caller string }
	if err := api.Request(context.Background(), query, map[string]any{"id": "cj9user0ada"}, &out); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("Ada reads herself as", out.Caller)

	err = api.Request(context.Background(), query, map[string]any{"id": "cj9user0bob"}, nil)
	var gerr *auth.GraphQLError
	if errors.As(err, &gerr) {
		e := gerr.Errors[0]
		fmt.Println(e.Message, e.Path, e.Extensions["code"])
	}
	// Output:
	// Ada reads herself as node
	// Insufficient Permissions [User] 3008
}
