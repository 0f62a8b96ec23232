"""Every snippet of the written fixtures passes its language's own lint tool,
in both styles: ruff, ``go vet``, `eslint's recommended rules (``node --check``
where eslint is not installed), ``php -l``, ``ruby -wc``, ``javac -Xlint:all``,
``cargo clippy -D warnings``.

A target whose code is the same in both styles is checked once.  The
tools run on batches (one ruff, one ``go vet ./...``, one javac), the
per-file ones two at a time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fidelity.fixtures import FIXTURES
from reqlab.codegen import STYLES, generate

BASE = "http://127.0.0.1:8081"
NODE = (
    "node-fetch",
    "node-axios",
    "node-http",
    "javascript-fetch",
    "javascript-xhr",
    "javascript-jquery",
)
ESLINT_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reqlab/npm-lint"


def snippets(targets: tuple[str, ...], tmp: Path, ext: str) -> list[Path]:
    """Each distinct snippet of ``targets`` x fixtures x styles, one file each."""
    seen: dict[str, Path] = {}
    for target in targets:
        for name, fixture in FIXTURES.items():
            if name.startswith("unseen_"):
                continue
            for style in STYLES:
                code = generate(fixture.build(BASE), target, style=style).code
                if code not in seen:
                    path = tmp / f"{target}_{name}_{style}".replace("-", "_") / f"snippet.{ext}"
                    path.parent.mkdir()
                    path.write_text(code, encoding="utf-8")
                    seen[code] = path
    return list(seen.values())


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} not installed (scripts/setup installs it)")
    return found


def run(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def each(argv: list[str], files: list[Path]) -> list[str]:
    """Run ``argv + [file]`` for every file; the complaints of those that fail."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda f: (f, run([*argv, str(f)])), files))
    return [f"{f}: {r.stdout}{r.stderr}" for f, r in done if r.returncode != 0 or r.stderr]


def test_python_snippets_pass_ruff(tmp_path):
    targets = ("python-requests", "python-httpx", "python-aiohttp")
    files = snippets((*targets, "python-http-client", "python-urllib3"), tmp_path, "py")
    ruff = shutil.which("ruff") or pytest.skip("ruff not installed")
    # ruff's default rules (pyflakes and the E4/E7/E9 errors), not this project's config.
    done = run([ruff, "check", "--isolated", "--no-cache", "--quiet", str(tmp_path)])
    assert done.returncode == 0 and len(files) > 200, done.stdout


def test_go_snippets_pass_go_vet_and_gofmt(tmp_path):
    go, gofmt = tool("go"), tool("gofmt")
    files = snippets(("go-nethttp",), tmp_path, "go")
    for f in files:
        f.rename(f.with_name("main.go"))
    (tmp_path / "go.mod").write_text("module lint\n\ngo 1.24\n")
    vet = run([go, "vet", "./..."], cwd=tmp_path, env={"GOTOOLCHAIN": "local", "GOFLAGS": ""})
    assert vet.returncode == 0, vet.stderr[-3000:]
    fmt = run([gofmt, "-l", str(tmp_path)])
    assert fmt.stdout == "", fmt.stdout


def test_javascript_snippets_pass_node_check_and_eslint(tmp_path):
    node = tool("node")
    files = snippets(NODE, tmp_path, "mjs")
    eslint = ESLINT_DIR / "node_modules/eslint/bin/eslint.js"
    if not eslint.exists():  # node --check parses only; eslint parses and lints, in one process
        assert each([node, "--check"], files) == []
        pytest.skip(f"eslint not installed in {ESLINT_DIR} (scripts/setup.d/50-codegen-lint.sh)")
    config = tmp_path / "eslint.config.mjs"
    config.write_text(
        f'import js from "{ESLINT_DIR}/node_modules/@eslint/js/src/index.js";\n'
        f'import globals from "{ESLINT_DIR}/node_modules/globals/index.js";\n'
        "export default [js.configs.recommended, { languageOptions: {\n"
        '  ecmaVersion: "latest", sourceType: "module",\n'
        "  globals: { ...globals.node, ...globals.browser, $: false } } }];\n"
    )
    done = run([node, str(eslint), "--config", str(config), "."], cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]


def test_php_snippets_pass_php_lint(tmp_path):
    php = tool("php")
    assert each([php, "-l"], snippets(("php-curl", "php-guzzle"), tmp_path, "php")) == []


def test_ruby_snippets_pass_ruby_wc_without_warnings(tmp_path):
    ruby = tool("ruby")
    assert each([ruby, "-wc"], snippets(("ruby-nethttp",), tmp_path, "rb")) == []


def test_java_snippets_pass_javac_xlint(tmp_path):
    javac = tool("javac")
    mvn = tool("mvn")
    from fidelity.runners.jvm import fetch_jars

    cache = Path(os.environ.get("REQLAB_FIDELITY_CACHE") or Path.home() / ".cache/reqlab/fidelity")
    classpath = fetch_jars(cache / "jvm", mvn)["lib"]
    files = snippets(("java-httpclient", "java-okhttp"), tmp_path, "java")
    for i, f in enumerate(files):  # one package each, so every Main compiles in one javac
        f.with_name("Main.java").write_text(f"package p{i};\n\n" + f.read_text(encoding="utf-8"))
        f.unlink()
    sources = [str(f.with_name("Main.java")) for f in files]
    argv = [javac, "-Xlint:all", "-Werror", "-encoding", "UTF-8", "-cp", classpath]
    done = run([*argv, "-d", str(tmp_path / "out"), *sources])
    assert done.returncode == 0, done.stderr[-3000:]


def test_rust_snippets_pass_clippy(tmp_path):
    """Every Rust snippet, both styles, as one cargo project of bins checked by
    one ``cargo clippy -D warnings``; the dependencies' check build is cached
    in the fidelity cargo project's target directory, like its build."""
    cargo = tool("cargo")
    if run([cargo, "clippy", "--version"]).returncode != 0:
        pytest.skip("clippy not installed (rustup component add clippy)")
    from fidelity.runners import rust

    cache = Path(os.environ.get("REQLAB_FIDELITY_CACHE") or Path.home() / ".cache/reqlab/fidelity")
    root = rust.project(cache)
    project = tmp_path / "clippy"
    (project / "src" / "bin").mkdir(parents=True)
    for name in ("Cargo.toml", "Cargo.lock"):
        shutil.copy(root / name, project / name)
    (tmp_path / "snippets").mkdir()
    files = snippets(("rust-reqwest",), tmp_path / "snippets", "rs")
    for i, f in enumerate(files):
        shutil.copy(f, project / "src" / "bin" / f"s{i}_{os.getpid()}.rs")
    env = {"CARGO_TARGET_DIR": str(root / "target"), "CARGO_TERM_COLOR": "never"}
    done = run(
        [cargo, "clippy", "--keep-going", "--bins", "--", "-D", "warnings"], cwd=project, env=env
    )
    assert done.returncode == 0 and len(files) > 60, done.stderr[-4000:]


def test_the_lint_tools_fail_on_a_bad_snippet(tmp_path):
    """The checks above can fail: an unused import and a syntax error are caught."""
    (tmp_path / "bad.py").write_text("import os\n")
    ruff = shutil.which("ruff") or pytest.skip("ruff not installed")
    assert run([ruff, "check", "--isolated", "--no-cache", str(tmp_path)]).returncode != 0
    (tmp_path / "bad.rb").write_text("x = 1\n")  # assigned but unused: ruby -w warns
    assert each([tool("ruby"), "-wc"], [tmp_path / "bad.rb"]) != []
    (tmp_path / "bad.mjs").write_text("const a = ;\n")
    assert each([tool("node"), "--check"], [tmp_path / "bad.mjs"]) != []
    eslint = ESLINT_DIR / "node_modules/eslint/bin/eslint.js"
    if eslint.exists():
        (tmp_path / "bad.mjs").write_text("const unused = 1;\n")
        (tmp_path / "eslint.config.mjs").write_text(
            f'import js from "{ESLINT_DIR}/node_modules/@eslint/js/src/index.js";\n'
            "export default [js.configs.recommended];\n"
        )
        done = run([tool("node"), str(eslint), "bad.mjs"], cwd=tmp_path)
        assert done.returncode == 1 and "no-unused-vars" in done.stdout


if __name__ == "__main__":  # pragma: no cover - run one check by hand
    sys.exit(pytest.main([__file__, "-q"]))
