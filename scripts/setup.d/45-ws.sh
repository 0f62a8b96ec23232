#!/usr/bin/env bash
# WebSocket, SSE and GraphQL (issue 16): wsproto and graphql-core are runtime
# dependencies; the websockets library is the independent peer in the tests,
# the benchmark's reference server and the Python codegen target's library.
# The Go codegen target's program needs gorilla/websocket in the module cache
# (tests run it with GOPROXY=off); the Node target uses Node's own WebSocket.
set -euo pipefail
vpip wsproto graphql-core websockets
if command -v go >/dev/null 2>&1; then
  log "go: fetching github.com/gorilla/websocket for the WebSocket codegen tests"
  tmp=$(mktemp -d)
  (cd "$tmp" && go mod init wsgen >/dev/null 2>&1 && go get github.com/gorilla/websocket@v1.5.3)
  rm -rf "$tmp"
fi
