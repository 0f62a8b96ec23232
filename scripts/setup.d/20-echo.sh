#!/usr/bin/env bash
# The echo server's test and benchmark tools: h2spec (HTTP/2 conformance,
# run by tests/echo/test_h2spec.py), wrk and h2load (benchmarks/echo.py),
# nginx (the benchmark's reference).  Idempotent; quick when all are there.
set -euo pipefail

apt_install wrk nghttp2-client nginx-light
# hypercorn: the HTTP/2 peer in benchmarks/echo.py (not a reqlab dependency)
$PY -c 'import hypercorn' 2>/dev/null || vpip hypercorn

gobin() { go env GOPATH 2>/dev/null | sed 's|$|/bin|'; }
if command -v h2spec >/dev/null 2>&1 || { command -v go >/dev/null 2>&1 && [ -x "$(gobin)/h2spec" ]; }; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  apt_install golang-go ca-certificates
fi
log "go install h2spec"
# GOTOOLCHAIN=auto lets an older Debian Go fetch the toolchain h2spec's
# dependencies ask for (through the Go module proxy).
GOTOOLCHAIN=auto GOFLAGS=-mod=mod go install github.com/summerwind/h2spec/cmd/h2spec@latest
[ -x "$(gobin)/h2spec" ] || { log "h2spec did not install"; exit 1; }
