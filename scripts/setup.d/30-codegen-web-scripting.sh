#!/usr/bin/env bash
# Runtimes for the javascript (browser), node, php and ruby codegen targets:
# PHP with ext-curl and Debian's Guzzle, Ruby, Chromium (driven by the
# Playwright Python package from pip, never `playwright install`), and the
# npm packages the node/jquery snippets import, kept in a cache directory
# outside the repository.
set -euo pipefail

apt_install php-cli php-curl php-guzzlehttp-guzzle ruby chromium
# Node 20 comes with the machine (its nodejs package carries npm); only a
# machine without it gets Debian's.
command -v node >/dev/null || apt_install nodejs
command -v npm >/dev/null || apt_install npm

NPM_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/reqlab/npm"
mkdir -p "$NPM_DIR"
# The versions the generated code is written for (axios 1.13 added HTTP/2).
WANT='{"name": "reqlab-codegen-runtime", "private": true, "type": "module",
 "dependencies": {"axios": "^1.13.0", "jquery": "^3.7.0"}}'
if [ ! -f "$NPM_DIR/package.json" ] || [ "$(cat "$NPM_DIR/package.json")" != "$WANT" ]; then
  printf '%s' "$WANT" > "$NPM_DIR/package.json"
  rm -f "$NPM_DIR/.installed"
fi
if [ ! -f "$NPM_DIR/.installed" ] || [ ! -d "$NPM_DIR/node_modules/axios" ] \
   || [ ! -f "$NPM_DIR/node_modules/jquery/dist/jquery.min.js" ]; then
  log "npm install axios jquery into $NPM_DIR"
  (cd "$NPM_DIR" && npm install --no-audit --no-fund --silent >/dev/null)
  touch "$NPM_DIR/.installed"
fi
