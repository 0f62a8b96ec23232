#!/usr/bin/env bash
# Hurl 8.0.1, the peer of reqlab run's differential test
# (tests/runner/test_vs_hurl.py) and benchmark (benchmarks/run.py).
# Built once from the Rust crate registry into ~/.cache/reqlab/hurl (8.1 needs
# a newer rustc than this machine's); skipped when that build is there.
# The build needs libcurl and libxml2 headers and libclang (bindgen); several minutes.
set -euo pipefail

ROOT="$HOME/.cache/reqlab/hurl"
if "$ROOT/bin/hurl" --version 2>/dev/null | grep -q '^hurl 8\.0\.1'; then
  exit 0
fi
apt_install libcurl4-openssl-dev libxml2-dev pkg-config libclang-dev  # libclang: bindgen for libxml
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
if ! command -v cargo >/dev/null; then
  log "cargo not found: tests/runner/test_vs_hurl.py will be skipped"
  exit 0
fi
log "cargo install hurl 8.0.1 (several minutes, once)"
cargo install hurl --version 8.0.1 --locked --root "$ROOT" >/dev/null 2>&1 \
  || { log "hurl did not build"; exit 1; }
