"""Writing a request as a curl command (bash quoting), one option a line.

The command is built so that reading it back (:func:`read_curl`) gives the
same request, and so that curl sends what reqlab would send:

* every header is one ``-H`` in order; an empty value is ``-H 'Name;'``.
* a text body goes as ``--data-binary`` (``--data-raw`` when it starts
  with '@'); curl would add a form Content-Type to it, so a request without
  Content-Type gets ``-H 'Content-Type:'`` to stop that.
* a form is ``--data-raw`` of its encoded text (``--data-urlencode`` per
  field when the Content-Type is not the form type); a JSON value is
  ``--data-raw`` when the request names a JSON Content-Type, else ``--json``
  (with ``-H 'Accept:'`` when the request has no Accept, since --json adds
  one); multipart is ``-F``/``--form-string``; a file body
  ``--data-binary @path``; a body holding NUL bytes, which no argument can
  carry, is piped in by ``printf``.
* the method is given with -X only when curl would not infer it.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

from reqlab.auth._aws import AWSSigV4
from reqlab.body import form_text, json_text, prepare
from reqlab.errors import FormatError
from reqlab.formats._common import (
    ReadFile,
    Written,
    from_bytes,
    has_dot_segments,
    is_form_type,
    is_json_type,
    stable_boundary,
)
from reqlab.formats._curlform import form_spec
from reqlab.formats._shell import printf_format
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
    TextBody,
)

_SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def bash_quote(text: str) -> str:
    """``text`` as one bash word: bare, '...', or $'...' for quotes, control
    characters and undecodable bytes (kept as surrogate escapes)."""
    if _SAFE.match(text):
        return text
    special = [
        ch for ch in text if ch == "'" or ord(ch) < 0x20 or ord(ch) == 0x7F or _surrogate(ch)
    ]
    if not special:
        return f"'{text}'"
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _surrogate(ch):
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "$'" + "".join(out) + "'"


def _surrogate(ch: str) -> bool:
    return 0xD800 <= ord(ch) <= 0xDFFF


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _inline(data: bytes, stdin: list[bytes], option: str = "--data-binary") -> tuple[str, str]:
    """The option for inline body bytes.  No shell argument can hold a NUL,
    so such a body is fed on standard input by printf."""
    if b"\0" in data:
        stdin.append(data)
        return "--data-binary", "@-"
    if data.startswith(b"@"):
        option = "--data-raw"  # --data-binary would read a file
    return option, from_bytes(data)


def _body_options(
    request: Request, warnings: list[str], stdin: list[bytes], read_file: ReadFile | None
) -> list[tuple[str, str | None]]:
    body = request.body
    out: list[tuple[str, str | None]] = []
    if isinstance(body, TextBody):
        out.append(_inline(body.text.encode(), stdin))
    elif isinstance(body, BytesBody):
        if body.path is not None:
            out.append(("--data-binary", "@" + body.path))
        else:
            out.append(_inline(body.data or b"", stdin))
    elif isinstance(body, FormBody):
        ctype = request.header("content-type")
        if ctype is None or is_form_type(ctype):
            # curl's default type: the encoded text reads back as these fields
            return [("--data-raw", form_text(body.fields))]
        for name, value in body.fields:
            if name:
                out.append(("--data-urlencode", f"{quote_plus(name, safe='*')}={value}"))
            else:
                out.append(("--data-raw", "=" + quote_plus(value, safe="*")))
    elif isinstance(body, JsonBody):
        # With its JSON Content-Type given, -d reads back as this value; else --json.
        option = "--data-raw" if _typed_json(request) else "--json"
        out.append((option, json_text(body.value)))
    elif isinstance(body, MultipartBody):
        if any(isinstance(p, MultipartFile) and p.data is not None for p in body.parts):
            warnings.append(
                "multipart with inline file contents: written as its encoded bytes "
                "(curl -F can only read files)"
            )
            return _encoded_multipart(request, stdin, read_file)
        if body.boundary:
            warnings.append("curl chooses its own multipart boundary; the fixed one is dropped")
        for part in body.parts:
            if "=" in part.name:
                warnings.append(f"part name {part.name!r} has '=': curl -F cannot write it")
            out.append(form_spec(part))
    return out


def _encoded_multipart(
    request: Request, stdin: list[bytes], read_file: ReadFile | None
) -> list[tuple[str, str | None]]:
    assert isinstance(request.body, MultipartBody)

    def refuse(path: str) -> bytes:
        raise FormatError("curl", "body", f"the contents of {path!r} (file reading is off)")

    prepared = prepare(
        request,
        content_length=False,
        host_header=False,
        boundary=stable_boundary(request.body),
        read_file=read_file or refuse,
    )
    ctype = next(v for n, v in prepared.headers if n.lower() == "content-type")
    out: list[tuple[str, str | None]] = []
    if not request.has_header("content-type"):
        out.append(("-H", f"Content-Type: {ctype}"))
    out.append(_inline(prepared.body, stdin))
    return out


def _typed_json(request: Request) -> bool:
    return isinstance(request.body, JsonBody) and is_json_type(request.header("content-type"))


def _implied_method(request: Request) -> str:
    if request.body is None:
        return "GET"
    return "POST"


def _header_options(request: Request) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    headers = list(request.headers)
    json_option = isinstance(request.body, JsonBody) and not _typed_json(request)
    if (
        json_option
        and headers
        and headers[-1][0].lower() == "accept"
        and headers[-1][1] == "application/json"
        and len(request.header_values("accept")) == 1
    ):
        headers.pop()  # --json adds exactly this one
    for name, value in headers:
        out.append(("-H", f"{name}: {value}" if value else f"{name};"))
    if isinstance(request.body, TextBody | BytesBody) and not request.has_header("content-type"):
        out.append(("-H", "Content-Type:"))
    if json_option and not request.has_header("accept"):
        out.append(("-H", "Accept:"))
    return out


def _auth_options(request: Request, warnings: list[str]) -> list[tuple[str, str | None]]:
    auth = request.auth
    if isinstance(auth, BearerAuth):
        return [("--oauth2-bearer", auth.token)]
    if isinstance(auth, BasicAuth | DigestAuth):
        if ":" in auth.username:
            warnings.append("a user name with ':' cannot be given to curl -u")
        user: list[tuple[str, str | None]] = [("-u", f"{auth.username}:{auth.password}")]
        return [("--digest", None), *user] if isinstance(auth, DigestAuth) else user
    if isinstance(auth, AWSSigV4):
        return _aws_options(auth, warnings)
    if auth is not None:
        warnings.append(f"{type(auth).__name__} is not written: curl has no option for it")
    return []


def _aws_options(auth: AWSSigV4, warnings: list[str]) -> list[tuple[str, str | None]]:
    """curl's own SigV4 (7.75+): the same signature when curl signs the same headers."""
    out: list[tuple[str, str | None]] = [
        ("--aws-sigv4", f"aws:amz:{auth.region}:{auth.service}"),
        ("-u", f"{auth.access_key}:{auth.secret_key}"),
    ]
    if auth.session_token:
        out.append(("-H", f"X-Amz-Security-Token: {auth.session_token}"))
    if auth.unsigned_payload or auth.expires is not None:
        warnings.append("curl --aws-sigv4 signs the payload in headers: unsigned/presigned dropped")
    return out


H3_NOTE = (
    "--http3-only needs a curl built with HTTP/3 (`curl --version` lists HTTP3); "
    "a curl without it refuses the option: use --http2 there"
)


def _version_option(request: Request) -> str:
    """curl's switch for the version.  HTTP/2 over http:// is h2c by prior
    knowledge, as reqlab's client sends it: curl's plain --http2 there would
    send an HTTP/1.1 request asking to upgrade."""
    if request.version == "HTTP/2":
        return "--http2-prior-knowledge" if request.scheme == "http" else "--http2"
    if request.version == "HTTP/3":  # QUIC only, as reqlab's client: no fallback to TCP
        return "--http3-only"
    return "--http1.0" if request.version == "HTTP/1.0" else "--http1.1"


def _option_lines(
    request: Request, warnings: list[str], stdin: list[bytes], read_file: ReadFile | None
) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    body = _body_options(request, warnings, stdin, read_file)
    implied = _implied_method(request)
    if request.method == "HEAD" and request.body is None:
        out.append(("--head", None))
    elif request.method != implied:
        out.append(("-X", request.method))
    if request.version:
        out.append((_version_option(request), None))
    if request.version == "HTTP/3":
        warnings.append(H3_NOTE)
    if any(c in request.url for c in "[]{}"):
        out.append(("-g", None))
    if has_dot_segments(request.url):
        out.append(("--path-as-is", None))  # else curl resolves ./ and ../
    out += _header_options(request)
    out += _auth_options(request, warnings)
    out += body
    out += _option_flags(request, warnings)
    return out


def _option_flags(request: Request, warnings: list[str]) -> list[tuple[str, str | None]]:
    options = request.options
    out: list[tuple[str, str | None]] = []
    if options.follow_redirects:
        out.append(("-L", None))
    if options.max_redirects != (50 if options.follow_redirects else 10):
        out.append(("--max-redirs", str(options.max_redirects)))
    if not options.verify:
        out.append(("-k", None))
    if options.timeout is not None:
        out.append(("-m", _number(options.timeout)))
    if options.connect_timeout is not None:
        out.append(("--connect-timeout", _number(options.connect_timeout)))
    if options.compressed:
        out.append(("--compressed", None))
    if not options.keep_alive:
        warnings.append("curl has no option for 'do not reuse connections'; it is left out")
    return out


def write_curl(request: Request, *, read_file: ReadFile | None = None) -> Written:
    """``request`` as a curl command, and what curl could not be told."""
    warnings: list[str] = []
    stdin: list[bytes] = []
    options = _option_lines(request, warnings, stdin, read_file)
    lines = [f"curl {bash_quote(request.url)}"]
    if stdin:
        # "--": a format starting with '-' (a multipart delimiter) is no option
        dashes = "-- " if stdin[0].startswith(b"-") else ""
        lines[0] = f"printf {dashes}{printf_format(stdin[0])} | {lines[0]}"
    for option, value in options:
        lines.append(option if value is None else f"{option} {bash_quote(value)}")
    return Written(" \\\n  ".join(lines) + "\n", warnings)
