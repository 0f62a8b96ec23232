#!/usr/bin/env bash
# Runtimes for the compiled codegen targets (tests/fidelity/runners/{jvm,csharp,
# go,rust,swift}.py): JDK 17 + Maven (OkHttp 4, Okio, kotlin-stdlib and the
# Kotlin compiler come from Maven Central into the fidelity cache), mono's
# mcs with System.Net.Http, Go (the machine's; the runner's go.mod lets an
# older Go fetch its toolchain through the module proxy), Rust's cargo (the
# machine's rustup toolchain; reqwest is built once into the cache), and
# tree-sitter's Swift grammar (no Swift toolchain exists for this machine:
# swift-urlsession is checked by golden files and a parse).
# Idempotent; seconds when everything is already there.
set -euo pipefail

apt_install default-jdk-headless maven mono-mcs mono-runtime libmono-system-net-http4.0-cil

if ! $PY -c 'import tree_sitter, tree_sitter_swift' >/dev/null 2>&1; then
  log "pip install tree-sitter tree-sitter-swift"
  vpip tree-sitter tree-sitter-swift
fi

[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
command -v go >/dev/null || log "go not found: go-nethttp will be reported as not executed"
command -v cargo >/dev/null || log "cargo not found: rust-reqwest will be reported as not executed"

# Fetch the jars and build reqwest now, with the runners' own code, so the
# test run finds them ready (each step is a no-op when already done).
CACHE="${REQLAB_FIDELITY_CACHE:-$HOME/.cache/reqlab/fidelity}"
mkdir -p "$CACHE"
REQLAB_CACHE="$CACHE" $PY - <<'PY'
import os, shutil, sys
from pathlib import Path

sys.path.insert(0, "tests")
from fidelity.runners import jvm, rust

cache = Path(os.environ["REQLAB_CACHE"])
jvm.fetch_jars(cache / "jvm", shutil.which("mvn"))
cargo = shutil.which("cargo")
if cargo:
    built = rust.build_dependencies(rust.project(cache), cargo)
    if built.returncode != 0:
        sys.exit("reqwest build failed:\n" + built.tail(2000))
PY
