#!/usr/bin/env bash
# tests/codegen/test_auth_run.py runs the snippets that sign (AWS SigV4) or
# fetch an OAuth 2.0 token: the npm packages the node-fetch snippet imports
# (the AWS SDK's own signer, @smithy/signature-v4, with @aws-crypto/sha256-js)
# and node-axios's (aws4-axios, the axios interceptor that signs, beside axios)
# and the Go modules of go-nethttp's (aws-sdk-go-v2's aws/signer/v4 and
# golang.org/x/oauth2), each kept in a cache directory outside the repository.
# Python's botocore comes with the test extra; jq for shell-curl's token.
set -euo pipefail

apt_install jq

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/reqlab"
NPM_DIR="$CACHE/npm-auth"
mkdir -p "$NPM_DIR"
WANT='{"name": "reqlab-codegen-auth", "private": true, "type": "module",
 "dependencies": {"@smithy/signature-v4": "^5.7.0", "@aws-crypto/sha256-js": "^5.2.0",
  "aws4-axios": "^3.4.0", "axios": "^1.13.0"}}'
if [ ! -f "$NPM_DIR/package.json" ] || [ "$(cat "$NPM_DIR/package.json")" != "$WANT" ]; then
  printf '%s' "$WANT" > "$NPM_DIR/package.json"
  rm -f "$NPM_DIR/.installed"
fi
if command -v npm >/dev/null && { [ ! -f "$NPM_DIR/.installed" ] \
   || [ ! -d "$NPM_DIR/node_modules/@smithy/signature-v4" ] || [ ! -d "$NPM_DIR/node_modules/aws4-axios" ]; }; then
  log "npm install @smithy/signature-v4 @aws-crypto/sha256-js aws4-axios axios into $NPM_DIR"
  (cd "$NPM_DIR" && npm install --no-audit --no-fund --silent >/dev/null)
  touch "$NPM_DIR/.installed"
fi

# The Go module the tests build the snippets in: its go.mod and go.sum pin
# the versions, and `go mod download` fills Go's module cache once.
GO_DIR="$CACHE/go-auth"
if command -v go >/dev/null && [ ! -f "$GO_DIR/.downloaded" ]; then
  mkdir -p "$GO_DIR"
  cp tests/codegen/go-auth.mod "$GO_DIR/go.mod"
  cp tests/codegen/go-auth.sum "$GO_DIR/go.sum"
  log "go mod download aws-sdk-go-v2 and x/oauth2 into Go's module cache"
  (cd "$GO_DIR" && go mod download) && touch "$GO_DIR/.downloaded"
fi
