"""PHP: ext-curl and Guzzle 7.

Strings are single-quoted PHP literals (:func:`_escape.php_str`), so ``$``
is never interpolated.

* php-curl lists headers in ``CURLOPT_HTTPHEADER`` (order, case and
  duplicates kept; ``Name;`` sends an empty value, ``Name:`` removes a
  header curl would add).  Exact bodies go as a string in
  ``CURLOPT_POSTFIELDS``; since curl then adds
  ``Content-Type: application/x-www-form-urlencoded``, a request without a
  Content-Type removes it with ``'Content-Type:'``, and ``'Expect:'`` stops
  curl waiting for ``100 Continue`` on large bodies.  Uploads are
  ``CURLFile``s (read when the request is sent); a form that repeats a field
  name cannot be a PHP array, so that one is encoded by the snippet itself.
  HTTP/2 on http:// is h2c with prior knowledge.
* php-guzzle loads Debian's Guzzle (``/usr/share/php/GuzzleHttp/autoload.php``;
  with Composer it is ``vendor/autoload.php``); repeated headers are arrays,
  uploads the ``multipart`` option with ``fopen`` streams,
  ``http_errors => false`` so a 4xx still prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from reqlab.body import part_header_value
from reqlab.codegen._escape import php_str
from reqlab.codegen._plan import plan
from reqlab.codegen._shared import added_headers, ascii_url, b64, body_text
from reqlab.codegen._target import Snippet, Target
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    MultipartBody,
    MultipartFile,
    Request,
)

VERSIONS = ("HTTP/1.0", "HTTP/1.1", "HTTP/2")
_CURL_VERSION = {"HTTP/1.0": "CURL_HTTP_VERSION_1_0", "HTTP/1.1": "CURL_HTTP_VERSION_1_1"}


def _url(request: Request) -> str:
    return php_str(ascii_url(request.url.split("#", 1)[0]))


def _bytes(body: BytesBody) -> str:
    if body.data is not None:
        return f"base64_decode({php_str(b64(body.data))})"
    return f"file_get_contents({php_str(body.path or '')})"


def _h2_option(request: Request) -> str:
    # Over http:// curl would try an Upgrade: h2c dance; prior knowledge is h2c proper.
    if request.scheme == "https":
        return "CURL_HTTP_VERSION_2TLS"
    return "CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE"


def _repeats(body: MultipartBody) -> bool:
    names = [part.name for part in body.parts]
    return len(names) != len(set(names))


Entry = str | tuple[str, str]  # code, or (code, comment)


def _array(entries: Sequence[Entry], indent: str) -> list[str]:
    """``[`` entries, ``]`` over several lines (entries are ``key => value`` or values)."""
    inner = indent + "    "
    return ["[", *(inner + _entry(e) for e in entries), indent + "]"]


def _entry(entry: Entry) -> str:
    if isinstance(entry, tuple):
        return f"{entry[0]}, // {entry[1]}"
    return f"{entry},"


# ------------------------------------------------------------------ curl


def _manual_multipart(body: MultipartBody) -> list[str]:
    """Encode a form that repeats a name (a PHP array cannot) with a random boundary."""
    rows = []
    for part in body.parts:
        if isinstance(part, MultipartFile):
            data = (
                f"base64_decode({php_str(b64(part.data))})"
                if part.data is not None
                else f"file_get_contents({php_str(part.path or '')})"
            )
            ctype = php_str(part.content_type or "application/octet-stream")
            rows.append(f"[{php_str(part.name)}, {data}, {php_str(part.filename)}, {ctype}]")
        else:
            rows.append(f"[{php_str(part.name)}, {php_str(part.value)}, null, null]")
    return [
        "// A PHP array cannot repeat a field name, so CURLOPT_POSTFIELDS cannot",
        "// take this form: encode it here, with a fresh random boundary.",
        "$boundary = '----php' . bin2hex(random_bytes(12));",
        "$quote = fn ($s) => str_replace(['\"', \"\\r\", \"\\n\"], ['%22', '%0D', '%0A'], $s);",
        "$body = '';",
        f"foreach ({_array(rows, '')[0]}",
        *_array(rows, "")[1:-1],
        "] as [$name, $data, $filename, $type]) {",
        '    $body .= "--$boundary\\r\\nContent-Disposition: form-data; name=\\"{$quote($name)}\\"";',
        "    if ($filename !== null) {",
        '        $body .= "; filename=\\"{$quote($filename)}\\"\\r\\nContent-Type: $type";',
        "    }",
        '    $body .= "\\r\\n\\r\\n" . $data . "\\r\\n";',
        "}",
        '$body .= "--$boundary--\\r\\n";',
        "",
    ]


def _render_curl(request: Request) -> Snippet:
    p = plan(request, target="php-curl", versions=VERSIONS, digest=True)
    # curl sends Connection/Keep-Alive exactly as given, so they stay.
    p.headers += added_headers(p, auth=False)
    setup: list[str] = []
    opts: list[Entry] = []
    headers: list[Entry] = [php_str(f"{n}: {v}" if v else f"{n};") for n, v in p.headers]
    names = p.header_names()
    method = p.method
    body = p.body
    postfields: str | None = None
    if isinstance(body, MultipartBody):
        if _repeats(body):
            p.warn("php-curl cannot repeat a multipart field name; the snippet encodes the form")
            setup += _manual_multipart(body)
            postfields = "$body"
            headers.append("'Content-Type: multipart/form-data; boundary=' . $boundary")
        else:
            entries = []
            for part in body.parts:
                if isinstance(part, MultipartFile):
                    ctype = php_str(part.content_type or "application/octet-stream")
                    if part.data is not None:
                        data = f"base64_decode({php_str(b64(part.data))})"
                        value = f"new CURLStringFile({data}, {php_str(part.filename)}, {ctype})"
                    else:
                        path = php_str(part.path or "")
                        value = f"new CURLFile({path}, {ctype}, {php_str(part.filename)})"
                else:
                    value = php_str(part.value)
                entries.append(f"{php_str(part.name)} => {value}")
            postfields = "\n".join(_array(entries, "    "))
    elif isinstance(body, BytesBody):
        postfields = _bytes(body)
    elif body is not None:  # text, JSON or a form: text on the wire
        postfields = php_str(body_text(p) or "")
    elif method.upper() in ("POST", "PUT", "PATCH"):
        postfields = "''"  # an empty body, with Content-Length: 0
    if postfields is not None:
        if "content-type" not in names and not isinstance(body, MultipartBody):
            headers.append(("'Content-Type:'", "none: curl would add a form Content-Type"))
        if "expect" not in names:
            headers.append(("'Expect:'", "no Expect: 100-continue from curl"))
    if method == "HEAD":
        opts.append("CURLOPT_NOBODY => true")
    elif method == "POST":
        opts.append("CURLOPT_POST => true")
    elif method != "GET" or postfields is not None:
        opts.append(f"CURLOPT_CUSTOMREQUEST => {php_str(method)}")
    if headers:
        opts.append("CURLOPT_HTTPHEADER => " + "\n".join(_array(headers, "    ")))
    if postfields is not None:
        opts.append(f"CURLOPT_POSTFIELDS => {postfields}")
    auth = request.auth
    if isinstance(auth, BasicAuth | DigestAuth) and "authorization" not in names:
        kind = "CURLAUTH_BASIC" if isinstance(auth, BasicAuth) else "CURLAUTH_DIGEST"
        opts += [
            f"CURLOPT_HTTPAUTH => {kind}",
            f"CURLOPT_USERNAME => {php_str(auth.username)}",
            f"CURLOPT_PASSWORD => {php_str(auth.password)}",
        ]
    elif isinstance(auth, BearerAuth) and "authorization" not in names:
        opts.append(f"CURLOPT_XOAUTH2_BEARER => {php_str(auth.token)}")
        opts.append("CURLOPT_HTTPAUTH => CURLAUTH_BEARER")
    if p.version == "HTTP/2":
        opts.append(f"CURLOPT_HTTP_VERSION => {_h2_option(request)}")
    elif p.version in _CURL_VERSION:  # others (HTTP/3) were warned about by plan()
        opts.append(f"CURLOPT_HTTP_VERSION => {_CURL_VERSION[p.version]}")
    opts += _curl_options(request)
    opts.append("CURLOPT_RETURNTRANSFER => true")
    lines = [
        "<?php",
        "",
        *setup,
        f"$ch = curl_init({_url(request)});",
        "curl_setopt_array($ch, [",
        *_array(opts, "")[1:-1],
        "]);",
        "$response = curl_exec($ch);",
        "if ($response === false) {",
        "    fwrite(STDERR, 'curl error: ' . curl_error($ch) . PHP_EOL);",
        "    exit(1);",
        "}",
        "echo curl_getinfo($ch, CURLINFO_RESPONSE_CODE), PHP_EOL;",
        "echo $response, PHP_EOL;",
        "curl_close($ch);",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(p.warnings))


def _curl_options(request: Request) -> list[Entry]:
    o = request.options
    opts: list[Entry] = []
    if o.follow_redirects:
        opts += ["CURLOPT_FOLLOWLOCATION => true", f"CURLOPT_MAXREDIRS => {o.max_redirects}"]
    if o.timeout is not None:
        opts.append(f"CURLOPT_TIMEOUT_MS => {round(o.timeout * 1000)}")
    if o.connect_timeout is not None:
        opts.append(f"CURLOPT_CONNECTTIMEOUT_MS => {round(o.connect_timeout * 1000)}")
    if not o.verify:
        opts += ["CURLOPT_SSL_VERIFYPEER => false", "CURLOPT_SSL_VERIFYHOST => 0"]
    if o.compressed:
        opts.append(("CURLOPT_ENCODING => ''", "every encoding curl can decode"))
    return opts


# ---------------------------------------------------------------- guzzle


def _part_param(text: str) -> str:
    """A multipart name/filename as reqlab (and browsers) write it inside the
    quotes of Content-Disposition, since Guzzle pastes it there raw."""
    return part_header_value(text)


def _render_guzzle(request: Request) -> Snippet:
    p = plan(request, target="php-guzzle", versions=VERSIONS, digest=True)
    if p.method != p.method.upper():
        p.warn(f"Guzzle sends the method {p.method!r} upper-cased as {p.method.upper()!r}")
    body = p.body
    # reqlab's default Content-Type for JSON and form bodies, written out
    # Guzzle has no bearer option: that one is a header, like reqlab's default
    # Content-Type for JSON and form bodies.
    extra = added_headers(p, auth=isinstance(request.auth, BearerAuth))
    groups: dict[str, tuple[str, list[str]]] = {}
    for name, value in p.headers + extra:
        groups.setdefault(name.lower(), (name, []))[1].append(value)
    merged = [n for n, _ in p.headers if n != groups[n.lower()][0]]
    if merged:
        p.warn(
            f"{', '.join(dict.fromkeys(merged))}: Guzzle sends a repeated header in the "
            "spelling its name first has"
        )
    opts: list[Entry] = []
    if groups:
        entries = []
        for name, values in groups.values():
            if len(values) == 1:
                entries.append(f"{php_str(name)} => {php_str(values[0])}")
            else:
                entries.append(f"{php_str(name)} => [{', '.join(php_str(v) for v in values)}]")
        opts.append("'headers' => " + "\n".join(_array(entries, "    ")))
    if isinstance(body, MultipartBody):
        parts = []
        for part in body.parts:
            # Guzzle writes names and file names unescaped: quote them as browsers do.
            fields = [f"'name' => {php_str(_part_param(part.name))}"]
            if isinstance(part, MultipartFile):
                if part.data is not None:
                    fields.append(f"'contents' => base64_decode({php_str(b64(part.data))})")
                else:
                    fields.append(f"'contents' => fopen({php_str(part.path or '')}, 'r')")
                fields.append(f"'filename' => {php_str(_part_param(part.filename))}")
                ctype = php_str(part.content_type or "application/octet-stream")
                fields.append(f"'headers' => ['Content-Type' => {ctype}]")
            else:
                fields.append(f"'contents' => {php_str(part.value)}")
            parts.append("\n".join(_array(fields, "        ")))
        opts.append("'multipart' => " + "\n".join(_array(parts, "    ")))
    elif isinstance(body, BytesBody):
        if body.data is not None:
            opts.append(f"'body' => {_bytes(body)}")
        else:
            opts.append(f"'body' => fopen({php_str(body.path or '')}, 'r')")
    elif body is not None:
        opts.append(f"'body' => {php_str(body_text(p) or '')}")
    auth = request.auth
    if isinstance(auth, BasicAuth | DigestAuth) and "authorization" not in p.header_names():
        kind = ", 'digest'" if isinstance(auth, DigestAuth) else ""
        opts.append(f"'auth' => [{php_str(auth.username)}, {php_str(auth.password)}{kind}]")
    if p.version == "HTTP/2":
        opts.append("'version' => '2.0'")
        opts.append(f"'curl' => [CURLOPT_HTTP_VERSION => {_h2_option(request)}]")
    elif p.version in VERSIONS:
        opts.append(f"'version' => '{p.version[5:]}'")
    o = request.options
    if not o.follow_redirects:
        opts.append("'allow_redirects' => false")
    elif o.max_redirects != 5:
        opts.append(f"'allow_redirects' => ['max' => {o.max_redirects}]")
    if o.timeout is not None:
        opts.append(f"'timeout' => {o.timeout}")
    if o.connect_timeout is not None:
        opts.append(f"'connect_timeout' => {o.connect_timeout}")
    if not o.verify:
        opts.append("'verify' => false")
    if o.compressed:
        opts.append("'decode_content' => 'gzip, deflate'")
    opts.append(("'http_errors' => false", "print 4xx and 5xx responses too"))
    method = php_str(p.method)
    lines = [
        "<?php",
        "",
        "// Debian's php-guzzlehttp-guzzle; with Composer: require 'vendor/autoload.php';",
        "require '/usr/share/php/GuzzleHttp/autoload.php';",
        "",
        "use GuzzleHttp\\Client;",
        "",
        "$client = new Client(); // reuse it: it keeps connections alive",
        f"$response = $client->request({method}, {_url(request)}, [",
        *_array(opts, "")[1:-1],
        "]);",
        "echo $response->getStatusCode(), PHP_EOL;",
        "echo $response->getBody(), PHP_EOL;",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(p.warnings))


def _idiomatic_curl(request: Request) -> Snippet:
    from reqlab.codegen._phpidiom import curl_snippet

    return curl_snippet(request) or _render_curl(request)


def _idiomatic_guzzle(request: Request) -> Snippet:
    from reqlab.codegen._phpidiom import guzzle_snippet

    return guzzle_snippet(request) or _render_guzzle(request)


TARGETS = [
    Target(
        "php-curl",
        "PHP",
        "ext-curl",
        _render_curl,
        "snippet.php",
        ("a repeated multipart field name is encoded by the snippet, not curl",),
        idiomatic=_idiomatic_curl,
        idiomatic_changes=(
            "JSON written by json_encode (PHP's spelling of floats, e.g. 1.5e-7)",
            "the query re-encoded by http_build_query (RFC 3986) and a form by "
            "http_build_query (spaces as +)",
            "CURLOPT_FAILONERROR: a 4xx/5xx makes curl_exec fail; a 30 s CURLOPT_TIMEOUT "
            "when the request has none",
        ),
    ),
    Target(
        "php-guzzle",
        "PHP",
        "Guzzle 7",
        _render_guzzle,
        "snippet.php",
        ("repeated headers are sent in the first spelling of their name",),
        idiomatic=_idiomatic_guzzle,
        idiomatic_changes=(
            "JSON written by Guzzle's json option (json_encode: \\/ and \\u escapes)",
            "the query re-encoded from the query option and a form from form_params (spaces as +)",
            "redirects followed (Guzzle's default, at most 5); a 4xx/5xx throws",
            "a 30 s timeout when the request has none",
        ),
    ),
]
