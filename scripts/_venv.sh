#!/usr/bin/env bash
# Sourced by scripts/setup and scripts/serve: make sure the project-local
# virtual environment .venv exists and export PY as its interpreter.  Nothing
# is ever installed into the system Python (Debian 12 and 13 refuse it under
# PEP 668 anyway).  REQLAB_BASE_PYTHON picks the interpreter the venv is
# made from (default: python3 on PATH, 3.11 or newer).
BASE_PY=${REQLAB_BASE_PYTHON:-python3}
VENV=${REQLAB_VENV:-$PWD/.venv}
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$BASE_PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    # Debian splits venv and ensurepip out of the interpreter.
    ver=$("$BASE_PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${ver}-venv" || apt_install python3-venv
  fi
  log "creating $VENV"
  "$BASE_PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
fi
export PY="$VENV/bin/python"
# vpip ARGS... : pip install into the project's venv, quietly.
vpip() { "$PY" -m pip install -q --disable-pip-version-check "$@"; }
export -f vpip
