"""The budgets behind the public-mode quotas, and how an operator changes them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reqlab.web.bodies import BodyStore
from reqlab.web.config import WebConfig
from reqlab.web.redact import secret_name, without_secrets


def test_kept_bodies_obey_count_session_and_total_budgets(tmp_path: Path) -> None:
    store = BodyStore(per_session=2, session_bytes=100, total_bytes=150)
    a1 = store.keep("a", b"x" * 40, 40)
    a2 = store.keep("a", b"x" * 40, 40)
    a3 = store.keep("a", b"x" * 40, 40)  # a third: the session's oldest goes
    assert a1 and a2 and a3 and store.get("a", a1) is None and store.get("a", a3)
    b1 = store.keep("b", b"y" * 90, 90)  # over the total: anyone's oldest goes
    assert b1 and store.total <= 150 and store.get("a", a2) is None
    assert store.get("b", a3 or "") is None  # another session's key reads nothing
    spooled = tmp_path / "body"
    spooled.write_bytes(b"z" * 120)
    assert store.keep("a", str(spooled), 120) is None  # over a session's budget: not kept
    assert not spooled.exists()  # and its spooled file is gone at once
    store.drop_session("b")
    store.clear()
    assert store.total == 0 and len(store) == 0


@pytest.mark.parametrize(
    "name", ["Authorization", "X-Api-Key", "api_key", "access_token", "password", "X-Session"]
)
def test_credential_names(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize("name", ["Accept", "Content-Type", "page", "q", "keyword"])
def test_ordinary_names(name: str) -> None:
    assert not secret_name(name)


def test_without_secrets_keeps_the_shape() -> None:
    request = {"url": "http://a:b@h/?token=t&x=1", "headers": [["Cookie", "c"]], "auth": None}
    out = without_secrets(request)
    assert out["url"] == "http://a@h/?token=&x=1" and out["headers"] == [["Cookie", ""]]
    assert request["headers"] == [["Cookie", "c"]]  # the stored copy is untouched


def test_set_limit_takes_finite_numbers_by_name() -> None:
    config = WebConfig()
    config.set_limit("public_max_time", "2.5")
    config.set_limit("public_history_entries", "50")
    config.set_limit("history_entries", "none")
    assert config.public_max_time == 2.5 and config.public_history_entries == 50
    assert config.history_entries is None
    for name, value in [("bogus", "1"), ("rate_burst", "nan"), ("rate_burst", "-1")]:
        with pytest.raises(ValueError):
            config.set_limit(name, value)
    config.public = True
    assert config.limit("history_entries") == 50


def test_a_bad_limit_is_one_line_and_exit_2(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "reqlab", "serve", "--port", "0", "--limit", "rate_burst=inf"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "--limit rate_burst=inf" in run.stderr
