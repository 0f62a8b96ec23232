#!/usr/bin/env bash
# HTTP/3 (issue 17): aioquic is a runtime dependency (installed with the
# project); Caddy is the second HTTP/3 implementation tests/h3 talk to.
# Only the binary is used: the tests run it themselves, so the Debian
# service it ships is stopped and disabled where systemd runs.
set -euo pipefail
command -v caddy >/dev/null 2>&1 || apt_install caddy
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet caddy 2>/dev/null; then
    systemctl disable --now caddy || true
fi
vpip -q "aioquic>=1.2"
