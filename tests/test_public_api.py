"""The public API is what ``reqlab.__all__`` says, and every name resolves."""

import reqlab


def test_exported_members_resolve():
    for name in reqlab.__all__:
        assert getattr(reqlab, name) is not None, name


def test_lazy_members_are_the_engines_own():
    from reqlab.client import AsyncClient, Client, Response
    from reqlab.codegen import Snippet, generate

    assert (reqlab.Client, reqlab.AsyncClient, reqlab.Response) == (Client, AsyncClient, Response)
    assert (reqlab.generate, reqlab.Snippet) == (generate, Snippet)


def test_httpx_style_names_are_exported():
    from reqlab.client import Limits, MockTransport, get, post, request

    for name in ("get", "post", "put", "patch", "delete", "head", "options", "request"):
        assert name in reqlab.__all__
    assert (reqlab.get, reqlab.post, reqlab.request) == (get, post, request)
    assert (reqlab.MockTransport, reqlab.Limits) == (MockTransport, Limits)
    assert issubclass(reqlab.ClientCertError, reqlab.TLSError)


def test_importing_reqlab_stays_cheap():
    import subprocess
    import sys

    code = "import sys, reqlab; print(sorted(m for m in ('asyncio', 'ssl', 'reqlab.client', 'reqlab.codegen', 'starlette') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
