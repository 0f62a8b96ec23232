#!/usr/bin/env bash
# tests/auth: botocore (the reference SigV4 signer) and Authlib (a real OAuth 2.0
# authorization server the tests start); both are in the project's test extra.
set -euo pipefail
vpip "botocore>=1.34" "authlib>=1.3"
