"""HTTP/3 is a model version now: every surface that reads it must cope."""

from __future__ import annotations

import pytest

from reqlab.codegen import generate, targets
from reqlab.errors import InvalidRequest
from reqlab.model import Request


def test_the_model_accepts_http3_and_still_refuses_others() -> None:
    assert Request(url="https://x/", version="HTTP/3").version == "HTTP/3"
    with pytest.raises(InvalidRequest, match="version"):
        Request(url="https://x/", version="HTTP/4")  # type: ignore[arg-type]


@pytest.mark.parametrize("target", [t.id for t in targets()])
def test_every_codegen_target_writes_or_warns(target: str) -> None:
    snippet = generate(Request(url="https://x/echo", version="HTTP/3"), target)
    assert snippet.code
