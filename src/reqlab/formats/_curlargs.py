"""The arguments of a curl command, read option by option into a state.

:func:`read_options` walks the words with curl's rules (combined short
flags ``-sSL``, attached values ``-XPOST``, ``--opt=value``, ``--no-opt``)
and records each option in a :class:`CurlState`; :mod:`reqlab.formats.curl`
then assembles the request from it.  Which options exist, and which change
the request, is data in :mod:`._curlopts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote_plus, unquote_plus

from reqlab.errors import FormatError
from reqlab.formats import _curlopts as opts
from reqlab.formats._common import ReadFile, from_bytes
from reqlab.formats._curlform import form_part
from reqlab.formats._shell import Word
from reqlab.model import HTTPVersion, Part, is_token

FMT = "curl"
# --http1.0, --http1.1, --http3 (curl then falls back to TCP) and
# --http3-only; every other --http* option asks for HTTP/2.
_HTTP_VERSIONS: dict[str, HTTPVersion] = {
    "http1.0": "HTTP/1.0",
    "http1.1": "HTTP/1.1",
    "http3": "HTTP/3",
    "http3-only": "HTTP/3",
}


@dataclass
class Piece:
    """One -d/--data-*/--json argument, as the text curl puts on the wire."""

    option: str
    text: str
    fields: tuple[tuple[str, str], ...] | None = None  # --data-urlencode name=value
    path: str | None = None  # --data-binary @file, not read


@dataclass
class CurlState:
    read_file: ReadFile | None
    warnings: list[str] = field(default_factory=list)
    method: str | None = None
    urls: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    pieces: list[Piece] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    implied: dict[str, str] = field(default_factory=dict)  # -A -e -r
    get: bool = False
    head: bool = False
    upload: str | None = None
    user: str | None = None
    auth_scheme: str = "basic"
    bearer: str | None = None
    aws_sigv4: str | None = None
    version: HTTPVersion | None = None
    follow: bool = False
    max_redirs: int | None = None
    verify: bool = True
    compressed: bool = False
    timeout: float | None = None
    connect_timeout: float | None = None
    globoff: bool = False
    path_as_is: bool = False
    stdin: bytes | None = None  # from a `printf '...' |` before curl

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def read(self, path: str, option: str) -> bytes | None:
        if path == "-":
            if self.stdin is not None:
                return self.stdin
            self.warn(f"{option} @-: reading standard input is not supported; left empty")
            return b""
        if self.read_file is None:
            return None
        try:
            return self.read_file(path)
        except OSError as exc:
            self.warn(f"{option} @{path}: cannot read the file ({exc.strerror or exc}); left empty")
            return b""

    def read_or_warn(self, path: str, option: str) -> bytes:
        data = self.read(path, option)
        if data is None:
            self.warn(f"{option} @{path}: the file is not read (no file access); left empty")
        return data or b""

    def has_header(self, name: str) -> bool:
        name = name.lower()
        return name in self.removed or any(n.lower() == name for n, _ in self.headers)


def _number(value: str, option: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        raise FormatError(FMT, f"option {option}", f"a number of seconds, got {value!r}") from None
    if seconds < 0:
        raise FormatError(FMT, f"option {option}", f"a number of seconds >= 0, got {value!r}")
    return seconds or None  # curl reads 0 as "no limit"


def _header(state: CurlState, value: str, option: str) -> None:
    if value.startswith("@"):
        data = state.read(value[1:], option)
        if data is None:
            state.warn(f"{option} {value}: headers from a file are not read; pass the file's lines")
            return
        for line in from_bytes(data).splitlines():
            if line.strip():
                _header(state, line, option)
        return
    name, colon, rest = value.partition(":")
    if colon and is_token(name.strip()) and not rest.strip():
        state.removed.add(name.strip().lower())  # "Name:" stops curl's own header
        return
    if not colon and value.rstrip().endswith(";") and ":" not in value:
        state.headers.append((value.rstrip()[:-1].strip(), ""))  # "Name;" sends it empty
        return
    if not colon:
        state.warn(f"{option} {value!r}: not a 'Name: value' header; curl ignores it")
        return
    state.headers.append((name, rest.lstrip(" \t").rstrip("\r\n")))


def _data(state: CurlState, option: str, value: str) -> None:
    if option == "json" or option == "data-raw" or not value.startswith("@"):
        if option == "json" and value.startswith("@"):
            json_data = state.read_or_warn(value[1:], "--json")
            value = from_bytes(json_data)
        state.pieces.append(Piece(option, value))
        return
    path = value[1:]
    if option == "data-binary" and path != "-":
        state.pieces.append(Piece(option, "", path=path))  # read only if it must be
        return
    data = state.read(path, f"--{option}")
    if data is None:
        state.pieces.append(Piece(option, "", path=path))
        if option != "data-binary":
            state.warn(f"--{option} @{path}: the file is sent as is (curl strips its line breaks)")
        return
    if option != "data-binary":
        data = data.replace(b"\r", b"").replace(b"\n", b"")
    state.pieces.append(Piece(option, from_bytes(data)))


def _urlencode(state: CurlState, value: str, option: str) -> Piece:
    """--data-urlencode's forms: content, =content, name=content, @file, name@file."""
    name, eq, content = value.partition("=")
    at = value.find("@")
    if eq and (at < 0 or at > len(name)):
        if not name:
            return Piece(option, quote_plus(content, safe=""))
        return Piece(
            option,
            f"{name}={quote_plus(content, safe='')}",
            fields=((unquote_plus(name), content),),
        )
    if at >= 0:
        name, path = value[:at], value[at + 1 :]
        data = state.read_or_warn(path, f"--{option}")
        content = from_bytes(data)
        if name:
            text = f"{name}={quote_plus(content, safe='')}"
            return Piece(option, text, fields=((unquote_plus(name), content),))
        return Piece(option, quote_plus(content, safe=""))
    return Piece(option, quote_plus(value, safe=""))


def _apply(state: CurlState, name: str, value: str, where: str, negated: bool = False) -> None:
    """One shaping option (long name) with its argument."""
    if name == "request":
        if not is_token(value):
            raise FormatError(FMT, where, f"a method token (like POST or PURGE), got {value!r}")
        state.method = value
    elif name == "header":
        _header(state, value, where)
    elif name in ("data", "data-ascii", "data-raw", "data-binary", "json"):
        _data(state, "data" if name == "data-ascii" else name, value)
    elif name == "data-urlencode":
        state.pieces.append(_urlencode(state, value, name))
    elif name == "url-query":
        state.queries.append(_urlencode(state, value, name).text)
    elif name in ("form", "form-string"):
        state.parts.append(form_part(value, name == "form-string", where, state.read, state.warn))
    elif name == "user":
        state.user = value
    elif name in ("digest", "basic"):
        state.auth_scheme = name
    elif name == "oauth2-bearer":
        state.bearer = value
    elif name == "aws-sigv4":
        state.aws_sigv4 = value
    elif name == "cookie":
        if "=" in value:
            state.cookies.append(value.strip().rstrip(";"))
        else:
            state.warn(f"{where} {value}: a cookie file; reqlab does not read it")
    elif name == "user-agent":
        state.implied["User-Agent"] = value
    elif name == "referer":
        ref = value.removesuffix(";auto")
        if ref:
            state.implied["Referer"] = ref
    elif name == "range":
        state.implied["Range"] = f"bytes={value}"
    else:
        _apply_flag(state, name, value, where, negated)


def _apply_flag(state: CurlState, name: str, value: str, where: str, negated: bool) -> None:
    if name == "get":
        state.get = not negated
    elif name == "head":
        state.head = not negated
    elif name in ("location", "location-trusted"):
        state.follow = not negated
        if name == "location-trusted":
            state.warn("--location-trusted: reqlab does not send credentials to other hosts")
    elif name == "max-redirs":
        try:
            state.max_redirs = int(value)
        except ValueError:
            raise FormatError(FMT, where, f"a whole number, got {value!r}") from None
        if state.max_redirs < 0:
            state.warn("--max-redirs -1 (no limit): reqlab follows at most 50 redirects")
            state.max_redirs = 50
    elif name == "insecure":
        state.verify = negated
    elif name == "compressed":
        state.compressed = not negated
    elif name.startswith("http"):
        state.version = _HTTP_VERSIONS.get(name, "HTTP/2")
    elif name == "url":
        state.urls.append(value)
    elif name == "max-time":
        state.timeout = _number(value, where.removeprefix("option "))
    elif name == "connect-timeout":
        state.connect_timeout = _number(value, where.removeprefix("option "))
    elif name == "upload-file":
        state.upload = value
    elif name == "globoff":
        state.globoff = not negated
    elif name == "path-as-is":
        state.path_as_is = not negated


def read_options(state: CurlState, words: list[Word]) -> None:
    i = 0

    def argument(option: str) -> str:
        nonlocal i
        i += 1
        if i >= len(words):
            raise FormatError(FMT, f"option {option}", "an argument after it")
        return words[i].text

    while i < len(words):
        word = words[i].text
        if word.startswith("--") and len(word) > 2:
            name, eq, inline = word[2:].partition("=")
            name = opts.ALIASES.get(name, name)
            negated = False
            arity = opts.takes_argument(name)
            if arity is None and name.startswith("no-") and opts.takes_argument(name[3:]) is False:
                name, negated, arity = name[3:], True, False
            if arity is None:
                state.warn(f"unknown option --{name}: skipped (it may change the request)")
            else:
                value = (inline if eq else argument(f"--{name}")) if arity else ""
                _dispatch(state, name, value, f"option --{name}", negated)
        elif word.startswith("-") and len(word) > 1:
            j = 1
            while j < len(word):
                letter = word[j]
                name = opts.SHORT.get(letter, "")
                arity = opts.takes_argument(name) if name else None
                if arity is None:
                    state.warn(f"unknown option -{letter}: skipped (it may change the request)")
                elif arity:
                    value = word[j + 1 :] or argument(f"-{letter}")
                    _dispatch(state, name, value, f"option -{letter}")
                    break
                else:
                    _dispatch(state, name, "", f"option -{letter}")
                j += 1
        elif word.strip():  # "\ " before a line break makes a blank word: not a URL
            state.urls.append(word)
        i += 1


def _dispatch(state: CurlState, name: str, value: str, where: str, negated: bool = False) -> None:
    if name in opts.SHAPING:
        _apply(state, name, value, where, negated)
    elif name in opts.UNSUPPORTED:
        shown = where.removeprefix("option ")
        state.warn(f"{shown} is not supported: skipped (the request may differ from curl's)")
