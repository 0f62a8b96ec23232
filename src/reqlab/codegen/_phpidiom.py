"""php-curl and php-guzzle in the idiomatic style.

* php-curl, as the PHP manual's cURL pages show it: the query from
  ``http_build_query(..., PHP_QUERY_RFC3986)``, JSON from ``json_encode``
  (``JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR``),
  a form from ``http_build_query``, ``CURLOPT_TIMEOUT`` and
  ``CURLOPT_FAILONERROR`` (a 4xx/5xx makes ``curl_exec`` fail).
* php-guzzle, as Guzzle's *Request Options* show it: ``$client->post($url,
  [...])`` with ``query``, ``headers``, ``json`` or ``form_params``, a
  ``timeout`` on the client, and Guzzle's defaults otherwise - redirects
  followed, ``http_errors`` (a 4xx/5xx throws).

A PHP array cannot repeat a key, so a query or form that repeats a name
stays as the exact style writes it; JSON PHP would change (an integer past
PHP_INT_MAX, a lone surrogate, ``null``, which Guzzle's ``json`` reads as
"no body") keeps the exact text.
"""

from __future__ import annotations

from typing import Any

from reqlab.codegen._escape import php_str
from reqlab.codegen._idiom import is_json_default_type, split_query, timeout_of
from reqlab.codegen._plan import plan
from reqlab.codegen._shared import added_headers, body_text
from reqlab.codegen._target import Snippet
from reqlab.model import FormBody, JsonBody, Request

_INT_MAX = 2**63
_JSON_FLAGS = "JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR"
_HELPERS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def guzzle_snippet(request: Request) -> Snippet | None:
    from reqlab.codegen.php import VERSIONS, _array, _render_guzzle

    exact = _render_guzzle(request)  # the warnings, and the options other bodies need
    p = plan(request, target="php-guzzle", versions=VERSIONS, digest=True)
    body = p.body
    value = php_value(body.value) if isinstance(body, JsonBody) else None
    if isinstance(body, JsonBody) and (value is None or body.value is None):
        return None
    url, query = split_query(request)
    query = query if _distinct(query) else []
    if not query:
        url = request.url.split("#", 1)[0]
    opts = [o for o in _exact_options(exact.code) if not _replaced(o)]
    lead: list[str] = []
    if query:
        lead.append("'query' => " + "\n".join(_array(_pairs(query), "    ")))
    if isinstance(body, JsonBody) and value is not None:
        if is_json_default_type(p.content_type):
            opts = [_without_header(o, "content-type") for o in opts]
        opts = [o for o in opts if not o.startswith("'body' =>")]
        opts.append(f"'json' => {_indent(value, '    ')}")
    elif isinstance(body, FormBody) and _distinct(body.fields):
        default = (p.content_type or "").strip().lower() in (
            "",
            "application/x-www-form-urlencoded",
        )
        if default:
            opts = [_without_header(o, "content-type") for o in opts]
        opts = [o for o in opts if not o.startswith("'body' =>")]
        opts.append("'form_params' => " + "\n".join(_array(_pairs(body.fields), "    ")))
    opts = [o for o in [*lead, *opts] if o]
    method = p.method
    if method in _HELPERS:
        call = f"$response = $client->{method.lower()}({_url(url)}, ["
    else:
        call = f"$response = $client->request({php_str(method)}, {_url(url)}, ["
    client = f"['timeout' => {_number(timeout_of(request))}]"
    lines = [
        "<?php",
        "",
        "// Debian's php-guzzlehttp-guzzle; with Composer: require 'vendor/autoload.php';",
        "require '/usr/share/php/GuzzleHttp/autoload.php';",
        "",
        "use GuzzleHttp\\Client;",
        "",
        f"$client = new Client({client});",
        "// A 4xx or 5xx response throws (Guzzle's http_errors option).",
        call,
        *(f"    {o}," for o in opts),
        "]);",
        "echo $response->getStatusCode(), PHP_EOL;",
        "echo $response->getBody(), PHP_EOL;",
    ]
    return Snippet("\n".join(lines) + "\n", exact.warnings)


def _exact_options(code: str) -> list[str]:
    """The exact snippet's request options, each as one (multi-line) entry."""
    lines = code.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("$response = $client->"))
    end = lines.index("]);", start)
    entries: list[str] = []
    for line in lines[start + 1 : end]:
        if line.startswith("    ") and not line.startswith(("     ", "    ]")):
            entries.append(line[4:])
        else:
            entries[-1] += "\n" + line
    return [e.removesuffix(",") for e in entries]


def _replaced(option: str) -> bool:
    """Options the idiomatic style leaves to Guzzle's defaults or sets itself."""
    return option.startswith(("'allow_redirects'", "'http_errors'", "'timeout'"))


def _without_header(option: str, name: str) -> str:
    if not option.startswith("'headers' =>"):
        return option
    rows = option.split("\n")
    kept = [r for r in rows[1:-1] if not r.strip().lower().startswith(f"'{name}' =>")]
    return "" if not kept else "\n".join([rows[0], *kept, rows[-1]])


def curl_snippet(request: Request) -> Snippet | None:
    from reqlab.codegen.php import VERSIONS, _array, _render_curl

    exact = _render_curl(request)
    p = plan(request, target="php-curl", versions=VERSIONS, digest=True)
    p.headers += added_headers(p, auth=False)
    body = p.body
    value = php_value(body.value) if isinstance(body, JsonBody) else None
    if isinstance(body, JsonBody) and value is None:
        return None
    lines = exact.code.rstrip("\n").split("\n")
    url, query = split_query(request)
    query = query if _distinct(query) else []
    setup: list[str] = []
    if query:
        rows = _array(_pairs(query), "")
        setup += [
            f"$query = http_build_query({rows[0]}",
            *rows[1:-1],
            "], '', '&', PHP_QUERY_RFC3986);",
        ]
        lines = [
            f"$ch = curl_init({_url(url + '?')} . $query);"
            if line.startswith("$ch = curl_init(")
            else line
            for line in lines
        ]
    postfields: str | None = None
    if isinstance(body, JsonBody):
        setup.append(f"$payload = {value};")
        postfields = f"json_encode($payload, {_JSON_FLAGS})"
    elif isinstance(body, FormBody) and _distinct(body.fields):
        rows = _array(_pairs(body.fields), "")
        setup += [f"$form = {rows[0]}", *rows[1:-1], "];"]
        postfields = "http_build_query($form)"
    if postfields is not None:
        lines = [_set(line, "    CURLOPT_POSTFIELDS =>", postfields) for line in lines]
    text = body_text(p)
    if text is not None and len(text.encode()) <= 1024:
        # curl asks for 100-continue only for larger bodies: no need to stop it.
        lines = [line for line in lines if not line.startswith("        'Expect:',")]
    lines = [line for line in lines if not line.startswith("    CURLOPT_TIMEOUT_MS =>")]
    timeout = timeout_of(request)
    at = lines.index("    CURLOPT_RETURNTRANSFER => true,")
    lines[at:at] = [
        f"    CURLOPT_TIMEOUT => {int(timeout)},"
        if float(timeout).is_integer()
        else f"    CURLOPT_TIMEOUT_MS => {round(timeout * 1000)},",
        "    CURLOPT_FAILONERROR => true, // a 4xx or 5xx response makes curl_exec fail",
    ]
    start = lines.index("<?php") + 2
    lines[start:start] = [*setup, ""] if setup else []
    code = "\n".join(lines) + "\n"
    return Snippet(code.replace("\n\n\n", "\n\n"), exact.warnings)


def _set(line: str, prefix: str, value: str) -> str:
    return f"{prefix} {value}," if line.startswith(prefix) else line


def _distinct(pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> bool:
    names = [n for n, _ in pairs]
    return len(set(names)) == len(names)


def _pairs(pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> list[str]:
    return [f"{php_str(n)} => {php_str(v)}" for n, v in pairs]


def _url(url: str) -> str:
    from reqlab.codegen._wire import wire_url

    return php_str(wire_url(url))


def _indent(text: str, by: str) -> str:
    return text.replace("\n", "\n" + by)


def php_value(value: Any, indent: str = "") -> str | None:
    """A JSON value as a PHP literal ``json_encode`` writes back as the same
    value, or None where PHP would change it."""
    inner = indent + "    "
    if isinstance(value, dict):
        if not value:
            return "new \\stdClass()"  # [] would be a JSON list
        items = [(php_value(k), php_value(v, inner)) for k, v in value.items()]
        if any(k is None or v is None for k, v in items):
            return None
        body = "\n".join(f"{inner}{k} => {v}," for k, v in items)
        # Keys "0".."n-1" become a PHP list, which json_encode writes as [...].
        cast = "(object) " if list(value) == [str(i) for i in range(len(value))] else ""
        return f"{cast}[\n{body}\n{indent}]"
    if isinstance(value, list):
        values = [php_value(v, inner) for v in value]
        if any(v is None for v in values):
            return None
        flat = ", ".join(str(v) for v in values)
        if len(flat) <= 60 and "\n" not in flat:
            return f"[{flat}]"
        return "[\n" + "\n".join(f"{inner}{v}," for v in values) + f"\n{indent}]"
    if isinstance(value, str):
        return None if any(0xD800 <= ord(c) <= 0xDFFF for c in value) else php_str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < _INT_MAX else None
    return repr(value)  # a float: repr round-trips, json_encode writes the shortest form


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
