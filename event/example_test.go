package event_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/graphcool-go/graphcool-lib/event"
)

// exampleEvent is the event a function receives. The root token is a made-up one.
const exampleEvent = `{
  "data": {"email": "ada@example.com", "name": "Ada"},
  "context": {
    "request": {"sourceIp": "203.0.113.7", "headers": {}, "httpMethod": "POST"},
    "graphcool": {
      "rootToken": "gcr_ExampleRootTokenNotARealOne00000ab12",
      "serviceId": "cj0example0service0id",
      "endpoints": {"simple": "https://api.graph.cool/simple/v1/cj0example0service0id"}
    },
    "auth": null
  }
}`

func ExampleParse() {
	ev, err := event.Parse([]byte(exampleEvent))
	if err != nil {
		fmt.Println(err)
		return
	}
	g := ev.Context.Graphcool
	fmt.Println("service:", g.Service())
	fmt.Println("root token present:", g.Token() != "")
	fmt.Println("caller:", ev.Context.Auth)

	_, err = event.Parse([]byte(`{"context":{"graphcool":{"serviceId":42}}}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, event.ErrMalformed))
	// Output:
	// service: cj0example0service0id
	// root token present: true
	// caller: <nil>
	// event: context.graphcool.serviceId: want string, got number
	// true
}

func ExampleGraphcool_Token() {
	// An older event names the root token pat and the service id projectId.
	g := event.Graphcool{PAT: "legacy-root-token-0123456789abcdef", ProjectID: "cj0old0project"}
	fmt.Println(g.Token() == g.PAT, g.Service())

	// The current names win when both are there.
	g.RootToken, g.ServiceID = "gcr_ExampleRootTokenNotARealOne00000ab12", "cj0new0service"
	fmt.Println(g.Token() == g.RootToken, g.Service())

	// Printing never shows a token.
	fmt.Printf("%+v\n", g)
	// Output:
	// true cj0old0project
	// true cj0new0service
	// {RootToken:[redacted] PAT:[redacted] ServiceID:cj0new0service ProjectID:cj0old0project Alias: Endpoints:{Simple: Relay: System: Subscriptions:}}
}

func ExampleEvent_Bind() {
	ev, err := event.Parse([]byte(exampleEvent))
	if err != nil {
		fmt.Println(err)
		return
	}
	var in struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := ev.Bind(&in); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.Email)

	var wrong struct {
		Email int `json:"email"`
	}
	err = ev.Bind(&wrong)
	fmt.Println(err)
	fmt.Println(errors.Is(err, event.ErrInvalidData))
	// Output:
	// Ada ada@example.com
	// event: data.email: want int, got string
	// true
}

func ExampleHandler() {
	h := event.Handler(func(ctx context.Context, ev *event.Event) (any, error) {
		var in struct {
			Email string `json:"email"`
		}
		if err := ev.Bind(&in); err != nil {
			return nil, err
		}
		if !strings.Contains(in.Email, "@") {
			return nil, errors.New("invalid email")
		}
		return map[string]string{"id": "cj0new0user", "email": in.Email}, nil
	})

	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodPost, "/signup", strings.NewReader(exampleEvent)),
		httptest.NewRequest(http.MethodPost, "/signup", strings.NewReader(strings.Replace(exampleEvent, "ada@example.com", "ada", 1))),
		httptest.NewRequest(http.MethodPost, "/signup", strings.NewReader(`{"data":`)),
		httptest.NewRequest(http.MethodGet, "/signup", nil),
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	// Output:
	// 200 application/json {"data":{"email":"ada@example.com","id":"cj0new0user"}}
	// 200 application/json {"error":"invalid email"}
	// 400 application/json {"error":"event: malformed JSON at byte offset 8"}
	// 405 application/json {"error":"event: method not allowed, use POST"}
}
