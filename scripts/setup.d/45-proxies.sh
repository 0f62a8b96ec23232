#!/usr/bin/env bash
# The client's proxy tests start real proxies: tinyproxy (HTTP forwarding and
# CONNECT tunnels) and microsocks (SOCKS5, with and without credentials).
set -euo pipefail
apt_install tinyproxy microsocks
