#!/usr/bin/env bash
# The web workbench's tests: Debian's chromium for the Playwright browser
# tests (never `playwright install`: the browser comes from Debian) and
# PostgreSQL for the storage tests (started per test from a temp dir, so no
# system service is needed or touched).
set -euo pipefail
apt_install chromium postgresql
