#!/usr/bin/env bash
# eslint with its recommended rules, for tests/codegen/test_lint.py, in its own
# cache directory (the runtime packages in reqlab/npm are pruned to their own
# package.json by 30-codegen-web-scripting.sh).  ruff, go vet, php -l,
# ruby -wc and javac come with the runtimes the other scripts install.
set -euo pipefail

LINT_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/reqlab/npm-lint"
mkdir -p "$LINT_DIR"
WANT='{"name": "reqlab-codegen-lint", "private": true, "type": "module",
 "dependencies": {"eslint": "^9.0.0", "@eslint/js": "^9.0.0", "globals": "^15.0.0"}}'
if [ ! -f "$LINT_DIR/package.json" ] || [ "$(cat "$LINT_DIR/package.json")" != "$WANT" ]; then
  printf '%s' "$WANT" > "$LINT_DIR/package.json"
fi
if [ ! -f "$LINT_DIR/node_modules/eslint/bin/eslint.js" ]; then
  log "npm install eslint into $LINT_DIR"
  (cd "$LINT_DIR" && npm install --no-audit --no-fund --silent >/dev/null)
fi

# cargo clippy for the Rust snippets (test_lint.py); the rustup toolchain's component.
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
if command -v cargo >/dev/null && ! cargo clippy --version >/dev/null 2>&1; then
  if command -v rustup >/dev/null; then
    log "rustup component add clippy"
    rustup component add clippy >/dev/null 2>&1 || log "clippy not installed: the Rust lint test will be skipped"
  fi
fi
