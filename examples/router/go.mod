module github.com/graphcool-go/graphcool-lib/examples/router

go 1.26

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/graphcool-go/graphcool-lib v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/graphcool-go/graphcool-lib => ../..
