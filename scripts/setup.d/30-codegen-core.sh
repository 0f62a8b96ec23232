#!/usr/bin/env bash
# Runtimes for the python and shell codegen targets and the format targets:
# curl and GNU wget from Debian (bash, base64 and od come with coreutils).
# Python's requests, httpx[http2], aiohttp, urllib3 and HTTPie's `http`
# come with the test extra (pyproject.toml).  PowerShell is not packaged by
# Debian, PyPI or npm: its snippets are checked by golden files only.
set -euo pipefail

apt_install curl wget
