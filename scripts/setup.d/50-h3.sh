#!/usr/bin/env bash
# HTTP/3 (issue 17): aioquic is a runtime dependency (installed with the
# project; checked here too); Caddy is the second HTTP/3 implementation
# tests/h3 talk to.  Only its binary is used: the tests start it themselves
# with a Caddyfile in a temporary directory, so the system service Debian
# ships is stopped and disabled where systemd runs.
set -euo pipefail
$PY -c 'import aioquic' 2>/dev/null || vpip "aioquic>=1.2"
apt_install caddy
if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet caddy 2>/dev/null; then
    systemctl disable --now caddy || true
fi
