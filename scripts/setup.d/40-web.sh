#!/usr/bin/env bash
# The web workbench's tests: Debian's chromium for the Playwright browser
# tests (never `playwright install`: the browser comes from Debian) and
# PostgreSQL for the storage tests (started per test from a temp dir, so no
# system service is needed or touched).
set -euo pipefail
# fonts-dejavu-core: installed without recommends, chromium has no font at all
# and the screenshots would show boxes instead of text.
apt_install chromium fonts-dejavu-core postgresql
