#!/usr/bin/env bash
# tests/auth: botocore (the reference SigV4 signer) and Authlib with Flask (a
# real OAuth 2.0 authorization server the tests start); both are in the test
# extra.  Playwright and Debian's chromium come from the web setup.
set -euo pipefail
$PY -c 'import botocore, authlib, flask' 2>/dev/null || vpip 'botocore>=1.34' 'authlib>=1.3' 'flask>=2.2.4'
