"""The two styles through every surface: ``generate(style=)``, ``reqlab gen
--style`` and ``/api/codegen``'s ``style``; idiomatic is the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reqlab.cli import main
from reqlab.codegen import DEFAULT_STYLE, generate, targets
from reqlab.model import JsonBody, Request

URL = "http://127.0.0.1:8081/echo"
JSON = Request("POST", URL, body=JsonBody({"a": 1}))
CURL = "curl http://127.0.0.1:8081/echo --json '{\"a\":1}'"


def test_idiomatic_is_the_default_and_exact_is_todays_output():
    assert DEFAULT_STYLE == "idiomatic"
    assert (
        generate(JSON, "python-requests").code
        == generate(JSON, "python-requests", style="idiomatic").code
    )
    exact = generate(JSON, "python-requests", style="exact").code
    assert 'separators=(",", ":")' in exact and "json=payload" not in exact


def test_every_target_answers_both_styles_and_names_its_wire_changes():
    for target in targets():
        for style in ("idiomatic", "exact"):
            assert generate(JSON, target.id, style=style).code, (target.id, style)
        if target.idiomatic is not None:  # a separate form says what it changes
            assert target.idiomatic_changes, target.id


def test_an_unknown_style_is_refused_by_name():
    with pytest.raises(ValueError, match="style: 'terse' is not one of idiomatic, exact"):
        generate(JSON, "go-nethttp", style="terse")  # type: ignore[arg-type]


def _gen(args: list[str], stdin: str) -> tuple[int, str, str]:
    with CliRunner().isolation(input=stdin.encode()) as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, streams[0].getvalue().decode(), streams[1].getvalue().decode()


def test_cli_style_option():
    code, idiomatic, _ = _gen(["gen", "python-requests"], CURL)
    assert code == 0 and "json=payload" in idiomatic
    code, exact, _ = _gen(["gen", "--style", "exact", "python-requests"], CURL)
    assert code == 0 and "json.dumps" in exact
    code, _, err = _gen(["gen", "--style", "terse", "python-requests"], CURL)
    assert code == 2 and "terse" in err and "Traceback" not in err


def test_web_api_style(tmp_path: Path):
    from reqlab.web.testing import start_workbench

    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}") as wb, wb.api() as api:
        request = {"url": wb.echo_url + "/post", "method": "POST", "body": None}
        answers = {
            style: api.post(
                "/api/codegen", json={"request": request, "target": "go-nethttp", "style": style}
            )
            for style in ("idiomatic", "exact")
        }
        assert answers["idiomatic"].json()["style"] == "idiomatic"
        assert "context.WithTimeout" in answers["idiomatic"].json()["code"]
        assert "DisableCompression" in answers["exact"].json()["code"]
        default = api.post("/api/codegen", json={"request": request, "target": "go-nethttp"})
        assert default.json()["code"] == answers["idiomatic"].json()["code"]
        bad = api.post(
            "/api/codegen", json={"request": request, "target": "go-nethttp", "style": "x"}
        )
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "style"
