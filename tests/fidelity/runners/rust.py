"""rust-reqwest: one cargo project in the cache directory, each case a
``src/bin/<case>.rs``, all built by one ``cargo build --bins``.

reqwest and its dependencies compile once per machine (about half a minute
without TLS: the snippets only talk to 127.0.0.1 over plain HTTP); later
runs only compile the small bin files.  ``Cargo.lock`` next to this module
pins the dependency tree.  The idiomatic style needs reqwest's ``json``,
``query`` and ``form`` features and ``serde_json`` (for ``json!``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, Unavailable, require_tools, run_command
from fidelity.runners._compiled import (
    BUILD_TIMEOUT,
    build_batch,
    build_dir,
    cache_root,
    fresh_dir,
    run_built,
)

LOCK = Path(__file__).with_name("rust.Cargo.lock")
CARGO_TOML = """\
[package]
name = "reqlab-fidelity"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "=0.13.5", default-features = false, features = ["blocking", "multipart", "http2", "json", "query", "form"] }
serde_json = "=1.0.149"

[profile.dev]
debug = false
"""
SMOKE = "fn main() {\n    let _ = reqwest::blocking::Client::new();\n}\n"


def project(cache_dir: Path) -> Path:
    """The cargo project, written if missing; its dependencies are not built yet."""
    root = cache_root(cache_dir, "rust")
    toml = root / "Cargo.toml"
    changed = not toml.exists() or toml.read_text() != CARGO_TOML
    if changed:
        toml.write_text(CARGO_TOML)
    if LOCK.exists() and (changed or not (root / "Cargo.lock").exists()):
        shutil.copy(LOCK, root / "Cargo.lock")  # the pinned tree that goes with this toml
    return root


def build_dependencies(root: Path, cargo: str) -> Result:
    """Compile reqwest and friends (a no-op when already built)."""
    fresh_dir(root / "src" / "bin")
    (root / "src" / "bin" / "smoke.rs").write_text(SMOKE)
    return run_command([cargo, "build", "--bins"], root, timeout=BUILD_TIMEOUT, env=_env(root))


def _env(root: Path) -> dict[str, str]:
    return {"CARGO_TARGET_DIR": str(root / "target"), "CARGO_TERM_COLOR": "never"}


class RustRunner(Runner):
    runtime = "cargo"

    def prepare(self, cache_dir: Path) -> None:
        self.cargo = require_tools("cargo")["cargo"]
        self.root = project(cache_dir)
        built = build_dependencies(self.root, self.cargo)
        if built.returncode != 0:
            raise Unavailable("reqwest does not build: " + built.tail(600))

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        # A project of this batch's own sharing the cached target dir: the
        # dependencies are reused, and the bin names carry the process id so
        # concurrent test runs on one machine never run each other's programs.
        project = build_dir(cases)
        for name in ("Cargo.toml", "Cargo.lock"):
            shutil.copy(self.root / name, project / name)
        bins = fresh_dir(project / "src" / "bin")
        names = {c.id: f"{c.ident}_{os.getpid()}" for c in cases}
        for case in cases:
            (bins / f"{names[case.id]}.rs").write_text(case.code)
        env = _env(self.root)

        def build_all(batch: Sequence[Case]) -> Result:
            return run_command(
                [self.cargo, "build", "--bins"], project, timeout=BUILD_TIMEOUT, env=env
            )

        def build_one(case: Case) -> Result:
            argv = [self.cargo, "build", "--bin", names[case.id]]
            return run_command(argv, project, timeout=BUILD_TIMEOUT, env=env)

        failed = build_batch(cases, build_all, build_one)
        exe = self.root / "target" / "debug"
        try:
            return run_built(cases, failed, lambda c: [str(exe / names[c.id])])
        finally:
            for name in names.values():  # keep the shared target dir from growing
                for built in exe.glob(f"{name}*"):
                    built.unlink(missing_ok=True)


RUNNERS = {"rust-reqwest": RustRunner()}
