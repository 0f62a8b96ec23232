#!/usr/bin/env bash
# orjson: the echo reflection's fast JSON path (reqlab.echo.endpoints falls
# back to the json module without it; the tests compare the two).
# httpbin, for the side-by-side tests of reqlab echo's httpbin-compatible
# endpoints (tests/echo/endpoints/test_endpoints_vs_httpbin.py).
# Installed without its declared dependencies: httpbin 0.10 pins greenlet<3
# on Python < 3.12, which would downgrade the greenlet that playwright needs,
# and httpbin never imports greenlet.  Its real imports are listed below.
set -euo pipefail
if ! $PY -c 'import orjson' >/dev/null 2>&1; then
  log "pip install orjson"
  vpip 'orjson>=3.8'
fi
if ! $PY -c 'import httpbin.core' >/dev/null 2>&1; then
  log "pip install httpbin (for the echo endpoint comparison tests)"
  vpip 'flask>=2.2.4' 'werkzeug>=2.2.2' brotlicffi decorator six
  vpip --no-deps 'httpbin>=0.10,<0.11'
fi
