"""Queries: what an assert or a capture reads from an exchange.

Hurl's queries (status, header, jsonpath, xpath...) and reqlab's wire
queries (``connection reused``, ``timing wait``...), all over the exchange
record the client keeps for every request.
"""

from __future__ import annotations

import json
import re
from dataclasses import field
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from reqlab._records import record
from reqlab.client import Exchange
from reqlab.runner._jsonpath import jsonpath
from reqlab.runner._values import NONE, EvalError


@record()
class Context:
    """One response, with lazily parsed views of its body."""

    exchange: Exchange
    history: list[Exchange]
    variables: dict[str, Any]
    _json: Any = field(default=NONE, repr=False)

    @property
    def body(self) -> bytes:
        return self.exchange.body

    def text(self) -> str:
        charset = _charset(self.exchange.header("content-type") or "")
        try:
            return self.body.decode(charset or "utf-8")
        except (UnicodeDecodeError, LookupError):
            raise EvalError(
                f"the body is not valid {charset or 'utf-8'} text; use bytes or decode"
            ) from None

    def json(self) -> Any:
        # json.loads, not orjson: importing orjson costs about 20 ms, more
        # than it saves on a thousand typical responses
        if self._json is NONE:
            try:
                self._json = json.loads(self.text())
            except ValueError:
                raise EvalError("the body is not valid JSON") from None
        return self._json


@lru_cache(maxsize=64)  # the same few content types, response after response
def _charset(content_type: str) -> str | None:
    m = re.search(r"charset=\"?([\w\-]+)", content_type, re.I)
    return m.group(1) if m else None


def run_query(kind: str, arg: str | None, ctx: Context) -> Any:
    ex = ctx.exchange
    handler = _SIMPLE.get(kind)
    if handler is not None:
        return handler(ex)
    if kind == "header":
        assert arg is not None
        values = [v for n, v in ex.response_headers if n.lower() == arg.lower()]
        return NONE if not values else values[0] if len(values) == 1 else values
    if kind == "cookie":
        assert arg is not None
        return _cookie(ex, arg)
    if kind == "body":
        return ctx.text()
    if kind == "bytes":
        return ctx.body
    if kind == "jsonpath":
        assert arg is not None
        return jsonpath(ctx.json(), arg)
    if kind == "xpath":
        assert arg is not None
        from reqlab.runner import _xml  # on first use, as hashlib below: most files never ask

        return _xml.xpath(ctx.body, arg, ex.header("content-type") or "")
    if kind == "regex":
        assert arg is not None
        return regex_capture(ctx.text(), arg)
    if kind == "variable":
        assert arg is not None
        return ctx.variables.get(arg, NONE)
    if kind == "redirects":
        return [
            {"location": urljoin(r["url"], r["location"]), "status": r["status"]}
            for r in ex.redirects
        ]
    if kind == "certificate":
        assert arg is not None
        return _certificate(ex, arg)
    raise EvalError(f"query {kind!r} is not supported")


def regex_capture(text: str, pattern: str) -> Any:
    try:
        m = re.search(pattern, text)
    except re.error as exc:
        raise EvalError(f"invalid regex {pattern!r}: {exc}") from None
    if m is None:
        return NONE
    return m.group(1) if m.re.groups else m.group(0)


def _version(ex: Exchange) -> str:
    return (ex.response_version or ex.version).removeprefix("HTTP/")


def _timing(phase: str) -> Any:
    return lambda ex: round(getattr(ex.timings, phase), 3)


def _conn(attr: str) -> Any:
    def get(ex: Exchange) -> Any:
        if ex.connection is None:
            return NONE
        return getattr(ex.connection, attr)

    return get


def _tls(attr: str) -> Any:
    def get(ex: Exchange) -> Any:
        tls = ex.connection.tls if ex.connection else None
        value = getattr(tls, attr) if tls else None
        return NONE if value is None else value

    return get


def _ka(attr: str) -> Any:
    def get(ex: Exchange) -> Any:
        value = getattr(ex.keep_alive, attr)
        return NONE if value is None else value

    return get


_SIMPLE: dict[str, Any] = {
    "status": lambda ex: ex.status,
    "version": _version,
    "url": lambda ex: ex.url,
    "ip": lambda ex: ex.connection.remote.rsplit(":", 1)[0].strip("[]") if ex.connection else NONE,
    "duration": lambda ex: int(round(ex.timings.total)),
    "sha256": lambda ex: _digest("sha256", ex.body),
    "md5": lambda ex: _digest("md5", ex.body),
    "connection reused": _conn("reused"),
    "connection id": _conn("id"),
    "connection requests": _conn("requests"),
    "keep-alive persistent": _ka("persistent"),
    "keep-alive timeout": _ka("server_timeout"),
    "keep-alive max": _ka("server_max"),
    "tls version": _tls("version"),
    "tls cipher": _tls("cipher"),
    "tls alpn": _tls("alpn"),
    **{
        f"timing {p}": _timing(p)
        for p in ("dns", "connect", "tls", "send", "wait", "receive", "total")
    },
}


def _digest(name: str, body: bytes) -> bytes:
    import hashlib

    return hashlib.new(name, body).digest()


def _cookie(ex: Exchange, spec: str) -> Any:
    m = re.fullmatch(r"([^\[\]]+)(?:\[([A-Za-z\-]+)\])?", spec)
    if m is None:
        raise EvalError(f"invalid cookie query {spec!r} (expected name or name[Attribute])")
    name, attr = m.group(1), (m.group(2) or "Value").lower()
    for n, v in ex.response_headers:
        if n.lower() != "set-cookie":
            continue
        pair, *attrs = [p.strip() for p in v.split(";")]
        cname, _, cvalue = pair.partition("=")
        if cname.strip() != name:
            continue
        if attr == "value":
            return cvalue.strip()
        for a in attrs:
            key, eq, val = a.partition("=")
            if key.strip().lower() == attr:
                return val.strip() if eq else True
        return NONE
    return NONE


def _certificate(ex: Exchange, field_name: str) -> Any:
    tls = ex.connection.tls if ex.connection else None
    if tls is None:
        raise EvalError("certificate: the response did not come over TLS")
    from reqlab.runner._dates import parse_cert_date

    if field_name == "Subject":
        return openssl_name(tls.peer_subject) if tls.peer_subject else NONE
    if field_name == "Issuer":
        return openssl_name(tls.peer_issuer) if tls.peer_issuer else NONE
    if field_name == "Expire-Date":
        return parse_cert_date(tls.peer_not_after) if tls.peer_not_after else NONE
    if field_name in ("Start-Date", "Serial-Number"):
        raise EvalError(f'certificate "{field_name}": reqlab does not record this field')
    raise EvalError(f"certificate: unknown field {field_name!r}")


_LONG_NAMES = {
    "commonName": "CN",
    "countryName": "C",
    "localityName": "L",
    "stateOrProvinceName": "ST",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "emailAddress": "emailAddress",
}
_RFC4514_SPLIT = r"(?<!\\),"  # compiled (and cached) by re on first use


def openssl_name(text: str) -> str:
    """A distinguished name as Hurl prints it (OpenSSL's one-line form,
    ``C = FR, O = Org, CN = host``), from either form the client records:
    ssl's ``commonName=host, ...`` (certificate order) or RFC 4514's
    ``CN=host,O=Org,C=FR`` (reversed)."""
    if any(f"{long}=" in text for long in _LONG_NAMES):
        pairs = [p.partition("=") for p in text.split(", ")]
        return ", ".join(f"{_LONG_NAMES.get(k, k)} = {v}" for k, _, v in pairs)
    parts = [p.replace("\\,", ",") for p in re.split(_RFC4514_SPLIT, text)]
    pairs = [p.partition("=") for p in reversed(parts)]
    return ", ".join(f"{k} = {v}" for k, _, v in pairs)
