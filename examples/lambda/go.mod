module github.com/graphcool-go/graphcool-lib/examples/lambda

go 1.26.0

require (
	github.com/aws/aws-lambda-go v1.55.1
	github.com/graphcool-go/graphcool-lib v0.0.0
	github.com/graphcool-go/graphcool-lib/examples/authentication v0.0.0
	github.com/stretchr/testify v1.12.1
	golang.org/x/crypto v0.59.0
)

require (
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	github.com/graph-gophers/graphql-go v1.11.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace (
	github.com/graphcool-go/graphcool-lib => ../..
	github.com/graphcool-go/graphcool-lib/examples/authentication => ../authentication
)
