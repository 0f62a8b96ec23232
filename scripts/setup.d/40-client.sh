#!/usr/bin/env bash
# The client tests run against a real nginx (Debian's nginx-light) next to
# reqlab's own echo server.
set -euo pipefail
apt_install nginx-light
