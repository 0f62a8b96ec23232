#!/usr/bin/env bash
# WebSocket, SSE and GraphQL (issue 16): wsproto and graphql-core are runtime
# dependencies; the websockets library is the independent peer in the tests
# and the benchmark's reference server.
set -euo pipefail
vpip wsproto graphql-core websockets
