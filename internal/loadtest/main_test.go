package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunReportsEveryCase(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-duration", "150ms", "-clients", "2", "-tokens", "300"}, &out))
	text := out.String()
	for _, name := range []string{"handler alone", "middleware, repeated token", "middleware, new token per request"} {
		m := regexp.MustCompile(regexp.QuoteMeta(name) + `\s+(\d+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)`).FindStringSubmatch(text)
		if !assert.NotNil(t, m, "no line for %q in:\n%s", name, text) {
			continue
		}
		requests, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		assert.Positive(t, requests, name)
		perSecond, err := strconv.ParseFloat(m[3], 64)
		require.NoError(t, err)
		assert.Positive(t, perSecond, name)
		if name == "middleware, new token per request" {
			assert.LessOrEqual(t, requests, 300, "no token is sent twice")
		}
	}
	assert.Regexp(t, `repeated token keeps [\d.]+% of the handler's throughput`, text)
}

func TestRunStopsAtTheRequestLimit(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-duration", "1m", "-requests", "40", "-clients", "3", "-tokens", "10"}, &out))
	assert.Regexp(t, `handler alone\s+40\s`, out.String())
	assert.Regexp(t, `middleware, new token per request\s+10\s`, out.String())
}

func TestFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-duration", "0s"},
		{"-clients", "0"},
		{"-requests", "0"},
		{"-tokens", "0"},
		{"-rounds", "0"},
		{"extra"},
		{"-unknown"},
	} {
		_, err := parseFlags(args)
		assert.Error(t, err, "%q", args)
	}
	cfg, err := parseFlags(nil)
	require.NoError(t, err)
	assert.Equal(t, 8, cfg.clients)
}

func TestDialsOnlyLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"192.0.2.1:80", "[::1]:80", "localhost:80", "example.com:443", "127.0.0.2:80"} {
		_, err := dialLoopback(context.Background(), "tcp", addr)
		assert.ErrorContains(t, err, "refusing", addr)
	}
	_, err := dialLoopback(context.Background(), "udp", "127.0.0.1:53")
	assert.ErrorContains(t, err, "refusing")
}
