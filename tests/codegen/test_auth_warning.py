"""Every target carries a request's auth or says, with a link, that it does
not (issue 19): an API key is a header or query parameter everywhere; the
targets of _authlang.WRITES sign SigV4 and fetch client-credentials tokens
(run for real in test_auth_run.py); the others warn, naming where their
library documents it."""

from __future__ import annotations

import pytest

from reqlab.auth import APIKey, AWSSigV4, OAuth2AuthorizationCode, OAuth2ClientCredentials
from reqlab.codegen import generate, targets
from reqlab.codegen._authlang import WRITES
from reqlab.model import BasicAuth, DigestAuth, Request

IDS = [t.id for t in targets()]
STYLES = ["idiomatic", "exact"]
URL = "https://example.org/x"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("target", IDS)
def test_an_api_key_header_is_in_every_snippet(target: str, style: str) -> None:
    request = Request("GET", URL, auth=APIKey("X-Api-Key", "k-5e3c"))
    snippet = generate(request, target, style=style)  # type: ignore[arg-type]
    assert "X-Api-Key" in snippet.code and "k-5e3c" in snippet.code, snippet.code
    assert not any("APIKey" in w for w in snippet.warnings), snippet.warnings


@pytest.mark.parametrize("target", IDS)
def test_an_api_key_in_the_query_is_in_every_snippet(target: str) -> None:
    request = Request("GET", URL + "?page=2", auth=APIKey("api_key", "k7q", location="query"))
    snippet = generate(request, target)
    assert "api_key" in snippet.code and "k7q" in snippet.code, snippet.code
    assert "page" in snippet.code
    assert not any("APIKey" in w for w in snippet.warnings), snippet.warnings


def _sigv4() -> AWSSigV4:
    return AWSSigV4("AKID", "secret", "us-east-1", "execute-api")


def _client_credentials() -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials("https://auth.example/token", "cid", "csecret", scope="read")


@pytest.mark.parametrize("target", IDS)
@pytest.mark.parametrize("kind", ["AWSSigV4", "OAuth2ClientCredentials"])
def test_a_flow_is_written_or_warned_with_a_link(target: str, kind: str) -> None:
    auth = _sigv4() if kind == "AWSSigV4" else _client_credentials()
    for style in STYLES:
        snippet = generate(Request("GET", URL, auth=auth), target, style=style)  # type: ignore[arg-type]
        warned = [w for w in snippet.warnings if kind in w]
        if kind in WRITES.get(target, ()):
            assert not warned, snippet.warnings
        else:
            assert len(warned) == 1 and "not in the snippet" in warned[0]
            assert "https://" in warned[0], warned


@pytest.mark.parametrize("target", IDS)
def test_a_browser_sign_in_is_warned_everywhere(target: str) -> None:
    auth = OAuth2AuthorizationCode(
        "https://auth.example/authorize", "https://auth.example/token", "cid"
    )
    snippet = generate(Request("GET", URL, auth=auth), target)
    assert any("cannot run the browser or device sign-in" in w for w in snippet.warnings)


@pytest.mark.parametrize("target", IDS)
def test_basic_auth_needs_no_such_warning(target: str) -> None:
    request = Request("GET", URL, auth=BasicAuth("u", "p"))
    snippet = generate(request, target)
    assert not any("authentication is not in the snippet" in w for w in snippet.warnings)


@pytest.mark.parametrize("target", ["curl", "shell-curl"])
def test_curl_writes_sigv4_itself(target: str) -> None:
    snippet = generate(Request("GET", URL, auth=_sigv4()), target)
    assert "--aws-sigv4" in snippet.code
    assert not any("authentication is not in the snippet" in w for w in snippet.warnings)


def test_secrets_are_the_request_s_own_values() -> None:
    """A request masked with placeholders (the web page's {{name}}) shows them."""
    auth = AWSSigV4("{{aws_key}}", "{{aws_secret}}", "us-east-1", "s3")
    code = generate(Request("GET", URL, auth=auth), "python-requests").code
    assert 'Credentials("{{aws_key}}", "{{aws_secret}}")' in code


@pytest.mark.parametrize("target", IDS)
def test_digest_is_the_library_s_or_warned_with_a_link(target: str) -> None:
    snippet = generate(Request("GET", URL, auth=DigestAuth("u", "p")), target)
    for warning in snippet.warnings:
        if "has no digest authentication" in warning:
            assert "https://" in warning, warning
    if target in ("python-requests", "python-httpx", "python-aiohttp", "shell-curl"):
        assert not snippet.warnings and "igest" in snippet.code


@pytest.mark.parametrize("target", sorted(t for t, kinds in WRITES.items() if "AWSSigV4" in kinds))
def test_the_flow_replaces_the_request_s_own_authorization(target: str) -> None:
    """As reqlab's client does: SigV4 drops it, OAuth 2.0 replaces it."""
    for auth in (_sigv4(), _client_credentials()):
        request = Request("GET", URL, headers=(("Authorization", "Basic old"),), auth=auth)
        snippet = generate(request, target)
        assert "Basic old" not in snippet.code
        assert not any("not in the snippet" in w for w in snippet.warnings) or (
            target == "curl" and isinstance(auth, OAuth2ClientCredentials)
        ), snippet.warnings


def test_a_writer_that_cannot_apply_still_warns() -> None:
    """A presigned URL is written for Python only: node-fetch says so."""
    auth = AWSSigV4("AKID", "secret", "us-east-1", "s3", expires=60)
    snippet = generate(Request("GET", URL, auth=auth), "node-fetch")
    assert any("AWSSigV4 authentication is not in the snippet" in w for w in snippet.warnings)
