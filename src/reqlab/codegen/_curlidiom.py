"""shell-curl in the idiomatic style: the command a curl user types.

``--fail-with-body`` (curl 7.76+: a 4xx/5xx exits 22 and still shows the
body), ``--max-time`` (the request's timeout, else 30 s), ``--json`` for a
JSON body whose type is plain ``application/json`` (curl 7.82+, it sets
Content-Type and Accept itself), the query of a request without a body as
``-G`` with one ``--data-urlencode`` per pair, a form as one
``--data-urlencode`` per field, and no ``-i``.  A body too large for one
argument or multipart mixing inline and on-disk files keeps the exact
style's script.  Everything else is the exact style's command.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from reqlab.codegen._idiom import split_query, timeout_of
from reqlab.codegen._target import Snippet
from reqlab.codegen.shell import (
    ARG_LIMIT,
    curl_plan,
    inline_size,
    mixed_multipart,
    planned_request,
)
from reqlab.formats._common import is_form_type
from reqlab.formats.curl_write import bash_quote, write_curl
from reqlab.model import FormBody, JsonBody, Request

SEPARATOR = " \\\n  "
_FLAGS = ("-L", "--max-redirs", "-k", "--connect-timeout", "--compressed")


def curl_snippet(request: Request) -> Snippet | None:
    p = curl_plan(request)
    planned = planned_request(request, p)
    if inline_size(planned) > ARG_LIMIT or mixed_multipart(planned.body):
        return None  # the exact style's script writes the body to a file
    data: list[str] = []
    dropped: set[str] = set()
    url, query = split_query(request)
    if query and planned.body is None:
        # -G: the --data-urlencode pairs go into the URL's query.
        planned = replace(planned, url=url)
        data = ["-G", *(_urlencode(n, v) for n, v in query)]
    body = planned.body
    ctype = planned.header("content-type")
    if (
        isinstance(body, FormBody)
        and body.fields
        and all(name for name, _ in body.fields)  # "=value" would lose its '='
        and (ctype is None or is_form_type(ctype))
    ):
        planned = replace(planned, body=None)
        data = [_urlencode(n, v) for n, v in body.fields]
        if request.method == "POST":
            dropped.add("-X POST")  # --data-urlencode makes it a POST already
    if isinstance(body, JsonBody) and ctype is not None and ctype.strip() == "application/json":
        # --json says this Content-Type itself.
        headers = tuple(h for h in planned.headers if h[0].lower() != "content-type")
        planned = replace(planned, headers=headers)
    if isinstance(body, JsonBody) and not planned.has_header("accept"):
        dropped.add("-H Accept:")  # --json's own Accept: application/json is fine
    written = write_curl(planned)
    words = written.text.rstrip("\n").split(SEPARATOR)
    options = [w for w in words[1:] if w not in dropped and not w.startswith("-m ")]
    # The data after the headers and auth, before the transfer flags.
    at = next((i for i, o in enumerate(options) if o.split()[0] in _FLAGS), len(options))
    options[at:at] = data
    options += ["--fail-with-body", f"--max-time {_number(timeout_of(request))}"]
    code = SEPARATOR.join([words[0], *options]) + "\n"
    warnings = [*p.warnings, *(w for w in written.warnings if "reuse connections" not in w)]
    return Snippet(code, tuple(warnings))


def _urlencode(name: str, value: str) -> str:
    # curl encodes the part after the first '=' only: the name goes in encoded.
    return "--data-urlencode " + bash_quote(quote(name, safe="") + "=" + value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
