"""httpx's argument shapes turned into the model's: query parameters, headers,
cookies, a base URL, request bodies.  Pure functions, no I/O but reading an
open file a caller passed in ``files=``.

Query values follow httpx: ``str`` as is, ``int``/``float`` by ``str()``,
``True``/``False`` as ``true``/``false``, ``None`` as an empty value; a list
or tuple value repeats the name once per item.  Anything else is refused
with an error naming the parameter (a dict value would otherwise be sent as
its ``repr``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode, urljoin, urlsplit

from reqlab.errors import InvalidRequest
from reqlab.model import (
    Body,
    BytesBody,
    FormBody,
    Header,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    TextBody,
)

Primitive = str | int | float | bool | None
ParamValue = Primitive | Sequence[Primitive]
ParamTypes = Mapping[str, ParamValue] | Sequence[tuple[str, Primitive]] | str
HeaderTypes = Mapping[str, str] | Sequence[tuple[str, str]]
CookieTypes = Mapping[str, str]
FileContent = bytes | str | IO[bytes]
FileSpec = FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
FileTypes = Mapping[str, FileSpec] | Sequence[tuple[str, FileSpec]]
DataTypes = Mapping[str, ParamValue]


def _text(name: str, value: object) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise InvalidRequest(
        f"params[{name!r}]", f"must be str, int, float, bool or None, not {type(value).__name__}"
    )


def param_pairs(params: ParamTypes | None) -> list[tuple[str, str]]:
    """httpx's ``params=`` as (name, value) pairs, in order."""
    if params is None:
        return []
    if isinstance(params, str):
        return [(k, v) for k, _, v in (p.partition("=") for p in params.split("&") if p)]
    items: Iterable[tuple[str, Any]] = params.items() if isinstance(params, Mapping) else params
    pairs: list[tuple[str, str]] = []
    for name, value in items:
        if isinstance(value, list | tuple):
            pairs.extend((str(name), _text(name, v)) for v in value)
        else:
            pairs.append((str(name), _text(name, value)))
    return pairs


def with_params(url: str, pairs: list[tuple[str, str]]) -> str:
    """``url`` with ``pairs`` added to its query (kept, not replaced)."""
    if not pairs:
        return url
    url, hash_, fragment = url.partition("#")
    joiner = "&" if urlsplit(url).query else ("" if url.endswith("?") else "?")
    return url + joiner + urlencode(pairs) + hash_ + fragment


def join_url(base_url: str, url: str) -> str:
    """A relative ``url`` under ``base_url``, as httpx joins them: the base's
    path is kept (``/api`` + ``users`` is ``/api/users``)."""
    if not base_url or urlsplit(url).scheme:
        return url
    return urljoin(base_url.rstrip("/") + "/", url.lstrip("/"))


def header_list(headers: HeaderTypes | None) -> list[Header]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(n), str(v)) for n, v in headers.items()]
    return [(str(n), str(v)) for n, v in headers]


def merge_headers(client: list[Header], request: list[Header]) -> list[Header]:
    """The client's headers, each replaced by a request header of the same name."""
    if not client:
        return request
    given = {n.lower() for n, _ in request}
    return [h for h in client if h[0].lower() not in given] + request


def make_body(
    content: bytes | str | None,
    data: DataTypes | None,
    files: FileTypes | None,
    json: Any,
    has_json: bool,
) -> Body | None:
    """The model body for httpx's ``content=``/``data=``/``files=``/``json=``."""
    if has_json:
        return JsonBody(json)
    if files:
        parts: list[MultipartField | MultipartFile] = [
            MultipartField(k, v) for k, v in param_pairs(data)
        ]
        entries = files.items() if isinstance(files, Mapping) else files
        parts.extend(_file_part(name, spec) for name, spec in entries)
        return MultipartBody(tuple(parts))
    if data is not None:
        return FormBody(tuple(param_pairs(data)))
    if isinstance(content, str):
        return TextBody(content)
    if isinstance(content, bytes | bytearray | memoryview):
        return BytesBody(data=bytes(content))
    if content is not None:
        raise InvalidRequest("content", f"must be bytes or str, not {type(content).__name__}")
    return None


def _file_part(name: str, spec: FileSpec) -> MultipartFile:
    ctype: str | None = None
    if isinstance(spec, tuple):
        filename, payload = spec[0], spec[1]
        if len(spec) > 2:
            ctype = spec[2]
    else:
        filename, payload = getattr(spec, "name", name), spec
    if not isinstance(payload, bytes | str):
        payload = payload.read()
    raw = payload.encode() if isinstance(payload, str) else bytes(payload)
    return MultipartFile(name, Path(str(filename or name)).name, ctype, data=raw)
