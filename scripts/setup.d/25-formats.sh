#!/usr/bin/env bash
# formats: the curl reader is checked against the real curl binary
# (tests/formats/test_against_real_curl.py).
set -euo pipefail
command -v curl >/dev/null 2>&1 || apt_install curl
