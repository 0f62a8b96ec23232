"""Every subcommand through the installed console script (see conftest.py)."""

from __future__ import annotations

import json
import subprocess
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from .conftest import Installed, announced

pytestmark = pytest.mark.xdist_group("installed")


def commands(installed: Installed) -> list[str]:
    """The subcommands the installed package declares."""
    out = subprocess.run(
        [installed.python, "-I", "-c", "from reqlab.cli import COMMANDS; print(*COMMANDS)"],
        capture_output=True,
        text=True,
        env=installed.env(),
        check=True,
    )
    return out.stdout.split()


def test_version_and_python_dash_m(installed: Installed) -> None:
    from reqlab import __version__

    assert installed.run("--version").stdout.strip().endswith(__version__)
    via_m = subprocess.run(
        [installed.python, "-I", "-m", "reqlab", "--version"],
        capture_output=True,
        text=True,
        env=installed.env(),
    )
    assert via_m.returncode == 0 and "Traceback" not in via_m.stderr, via_m.stderr
    assert via_m.stdout.strip().endswith(__version__)


def test_help_lists_every_subcommand_and_each_has_help(installed: Installed) -> None:
    names = commands(installed)
    assert {"gen", "echo", "send", "serve", "probe", "bench"} <= set(names)
    top = installed.run("--help")
    assert top.returncode == 0
    for name in names:
        assert name in top.stdout
        sub = installed.run(name, "--help")
        assert sub.returncode == 0, sub.stderr
        assert f"reqlab {name}" in sub.stdout


def test_bare_command_prints_help(installed: Installed) -> None:
    done = installed.run()
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: reqlab")


def test_unknown_subcommand_is_one_line(installed: Installed) -> None:
    done = installed.run("frobnicate")
    assert done.returncode == 2
    assert "frobnicate" in done.stderr


def test_wheel_ships_py_typed_and_static_assets(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    assert "reqlab/py.typed" in names
    assert "reqlab/web/static/index.html" in names
    assert any(n.startswith("reqlab/web/migrations/versions/") for n in names)


def _modules(installed: Installed) -> list[str]:
    code = (
        "import pkgutil, reqlab\n"
        "for m in pkgutil.walk_packages(reqlab.__path__, 'reqlab.'):\n"
        "    print(m.name)\n"
    )
    out = subprocess.run(
        [installed.python, "-I", "-c", code],
        capture_output=True,
        text=True,
        env=installed.env(),
        check=True,
    )
    return out.stdout.split()


# Modules that are not importable on their own by design, with the reason.
NOT_IMPORTABLE = {
    # `python -m reqlab`: importing it runs the CLI (tested above).
    "reqlab.__main__",
    # A pytest plugin: only pytest loads it (through the top-level
    # reqlab_pytest entry point), and pytest is then there by definition.
    "reqlab.runner.pytest_plugin",
    # Alembic's migration environment: it runs a migration when imported and
    # needs the alembic.context that only `alembic` itself sets up.
    "reqlab.web.migrations.env",
}


def test_every_module_imports_alone_in_a_fresh_interpreter(installed: Installed) -> None:
    modules = [m for m in _modules(installed) if m not in NOT_IMPORTABLE]
    assert len(modules) > 100  # the walk found the package, not an empty dir

    def load(module: str) -> tuple[str, int, str]:
        done = subprocess.run(
            [installed.python, "-I", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            env=installed.env(),
            cwd=installed.home,
        )
        return module, done.returncode, done.stderr.strip().splitlines()[-1:].__str__()

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [r for r in pool.map(load, modules) if r[1] != 0]
    assert not failed, failed


RAW = "POST /post?q=1 HTTP/1.1\r\nHost: example.org\r\nContent-Type: application/json\r\n\r\n{}"


@pytest.mark.parametrize(
    "target",
    ["har", "http", "curl", "python-requests", "go-nethttp", "node-fetch", "shell-curl"],
)
def test_gen_targets(installed: Installed, target: str) -> None:
    done = installed.run("gen", target, "-", input=RAW)
    assert done.returncode == 0, done.stderr
    assert "example.org" in done.stdout


def test_gen_list(installed: Installed) -> None:
    done = installed.run("gen", "--list")
    assert done.returncode == 0
    assert "python-requests" in done.stdout and "har" in done.stdout


def test_gen_bad_input_is_one_line(installed: Installed) -> None:
    done = installed.run("gen", "curl", "-", input="this is not a request")
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 (loopback only)
        return json.loads(r.read())


def test_echo_plain(installed: Installed) -> None:
    with installed.start("echo", "--port", "0", ready="listening", lines=1) as lines:
        url = announced(lines, "listening on http://")
        assert _get(url + "/echo?a=1")["method"] == "GET"


def test_echo_tls_self_signed_and_send_over_http2(installed: Installed) -> None:
    args = ("echo", "--port", "0", "--tls-self-signed", "--tls-port", "0")
    with installed.start(*args, ready="https://", lines=2) as lines:
        tls = announced(lines, "https://")
        done = installed.run("send", "--http2", "--insecure", "--output", "json", tls + "/echo")
        assert done.returncode == 0, done.stderr
        record = json.loads(done.stdout.splitlines()[-1])
        assert record["response"]["version"] == "HTTP/2"
        assert record["connection"]["tls"]


@pytest.fixture
def echo(installed: Installed):  # type: ignore[no-untyped-def]
    args = ("echo", "--port", "0", "--keep-alive-timeout", "1")
    with installed.start(*args, ready="listening", lines=1) as lines:
        yield announced(lines, "listening on http://")


def _records(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_send_http10_keep_alive_reuses_the_connection(installed: Installed, echo: str) -> None:
    done = installed.run(
        "send", "--http1.0", "--repeat", "2", "--output", "json",
        echo + "/echo", "Connection:keep-alive",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, second = _records(done.stdout)
    assert first["connection"]["reused"] is False  # type: ignore[index]
    assert second["connection"]["reused"] is True  # type: ignore[index]
    assert first["request"]["raw"].startswith("GET /echo HTTP/1.0")  # type: ignore[index]


def test_send_http11_repeat_and_text_view(installed: Installed, echo: str) -> None:
    done = installed.run("send", "--repeat", "2", "--output", "json", echo + "/get")
    assert done.returncode == 0, done.stderr
    records = _records(done.stdout)
    assert [r["connection"]["reused"] for r in records] == [False, True]  # type: ignore[index]
    text = installed.run("send", echo + "/get", "a==1")
    assert text.returncode == 0, text.stderr
    assert '"a"' in text.stdout


def test_send_unreachable_is_one_line(installed: Installed) -> None:
    done = installed.run("send", "http://127.0.0.1:1/")
    assert done.returncode not in (0, 1), done
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_send_resolve_dials_the_given_address(installed: Installed, echo: str) -> None:
    port = echo.rsplit(":", 1)[1]
    done = installed.run("send", "--resolve", f"api.reqlab.test:{port}:127.0.0.1",
                         f"http://api.reqlab.test:{port}/get")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f'"Host": "api.reqlab.test:{port}"' in done.stdout


def test_run_hurl_files_in_forked_workers_with_reports(installed: Installed, echo: str) -> None:
    """`reqlab run` as a CI job runs it: --test (forked workers), a JUnit
    report, --json lines, --curl commands, and exit 4 for a failed assert."""
    home = installed.home
    (home / "ok.hurl").write_text("GET {{base}}/get?n=1\nHTTP 200\n")
    (home / "bad.hurl").write_text("GET {{base}}/status/500\nHTTP 200\n")
    base = f"--variable=base={echo}"
    done = installed.run("run", "--test", "--jobs", "2", "--report-junit", "j.xml", base,
                         "ok.hurl", "bad.hurl")  # fmt: skip
    assert done.returncode == 4, done.stderr
    assert "Executed files: 2, succeeded: 1" in done.stdout
    assert "actual:   integer <500>" in done.stderr
    assert '<testsuites tests="2" failures="1"' in (home / "j.xml").read_text()
    done = installed.run("run", "--json", "--curl", "c.sh", base, "ok.hurl")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["success"] is True
    assert (home / "c.sh").read_text().startswith(f"curl '{echo}/get?n=1'")


def test_probe_small_budget(installed: Installed, echo: str) -> None:
    done = installed.run(
        "probe", "--max-idle", "2", "--max-requests", "20", "--output", "json", echo + "/echo",
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)


def test_bench_small_n(installed: Installed, echo: str) -> None:
    done = installed.run("bench", "-n", "20", "-c", "2", "--output", "json", echo + "/echo")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)


def test_serve_page_asset_session_and_one_send(installed: Installed) -> None:
    db = installed.home / "serve.db"
    args = ("serve", "--port", "0", "--echo-port", "0", "--db", f"sqlite:///{db}")
    with installed.start(*args, ready="Press Ctrl-C", lines=6) as lines:
        base = announced(lines, "workbench")
        echo = announced(lines, "echo server")
        with httpx.Client(base_url=base, timeout=30) as web:
            page = web.get("/")
            assert page.status_code == 200 and "<html" in page.text.lower()
            asset = web.get("/static/app.js")
            assert asset.status_code == 200 and len(asset.content) > 100
            session = web.get("/api/session")
            assert session.status_code == 200
            headers = {"X-CSRF-Token": session.json()["csrf"], "Origin": base}
            sent = web.post(
                "/api/send", json={"request": {"url": echo + "/get?x=1"}}, headers=headers
            )
            assert sent.status_code == 200, sent.text
            assert sent.json()["response"]["status"] == 200


def test_optional_extras_missing_are_one_line(installed: Installed) -> None:
    """matplotlib and psycopg are extras, not installed here."""
    plot = installed.run("bench", "--plot", "out.png", "-n", "1", "http://127.0.0.1:1/")
    assert plot.returncode == 2 and "reqlab[plot]" in plot.stderr, plot.stderr
    pg = installed.run("serve", "--port", "0", "--no-echo", "--db", "postgresql://u@127.0.0.1:1/x")
    assert pg.returncode != 0
    assert len(pg.stderr.strip().splitlines()) == 1, pg.stderr
