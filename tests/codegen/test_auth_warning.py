"""A snippet never drops an auth flow silently (issue 19: codegen helpers are
not written yet, so every target must at least say so)."""

from __future__ import annotations

import pytest

from reqlab.auth import APIKey, AWSSigV4
from reqlab.codegen import generate, targets
from reqlab.model import BasicAuth, Request

IDS = [t.id for t in targets()]


@pytest.mark.parametrize("target", IDS)
def test_an_auth_flow_the_snippet_cannot_express_is_warned(target: str) -> None:
    request = Request("GET", "https://example.org/x", auth=APIKey("X-Key", "k"))
    snippet = generate(request, target)
    assert any("APIKey" in w for w in snippet.warnings), snippet.warnings


@pytest.mark.parametrize("target", IDS)
def test_basic_auth_needs_no_such_warning(target: str) -> None:
    request = Request("GET", "https://example.org/x", auth=BasicAuth("u", "p"))
    snippet = generate(request, target)
    assert not any("authentication is not in the snippet" in w for w in snippet.warnings)


def test_curl_writes_sigv4_itself() -> None:
    auth = AWSSigV4("AKID", "secret", "us-east-1", "s3")
    snippet = generate(Request("GET", "https://example.org/x", auth=auth), "curl")
    assert "--aws-sigv4" in snippet.code
    assert not any("authentication is not in the snippet" in w for w in snippet.warnings)
