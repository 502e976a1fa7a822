// Command lambda is the authenticate function of the email-password
// example, served as an AWS Lambda function. Build it for the provided.al2023
// runtime and upload it as the function's bootstrap:
//
//	GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap .
//
// It accepts the function event both directly and inside an API Gateway
// proxy request; see package lambdafn.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/graphcool-go/graphcool-lib/examples/authentication/emailpassword"
	"github.com/graphcool-go/graphcool-lib/examples/lambda/lambdafn"
)

func main() {
	h, err := newHandler()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lambda:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}

// newHandler returns the Lambda handler of the authenticate function
// configured by opts.
func newHandler(opts ...emailpassword.Option) (lambdafn.Func, error) {
	fns, err := emailpassword.New(opts...)
	if err != nil {
		return nil, err
	}
	return lambdafn.Handler(fns.Authenticate), nil
}
