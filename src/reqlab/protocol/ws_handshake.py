"""The WebSocket opening handshake (RFC 6455 section 4), both sides, sans-IO.

The HTTP/1.1 head itself is parsed and written by the HTTP cores; this module
only decides: is this request a valid upgrade, what does the 101 say (accept
token, the chosen subprotocol, the agreed extensions), and on the client side,
does the 101 that came back match what was offered.  The frame layer after
the handshake is wsproto's (see :mod:`reqlab.protocol.ws`).

The server picks the first subprotocol the client offers (an echo server has
no preference of its own) and accepts ``permessage-deflate`` when offered.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from wsproto.extensions import Extension, PerMessageDeflate
from wsproto.handshake import client_extensions_handshake, server_extensions_handshake
from wsproto.utilities import RemoteProtocolError as _WsprotoRemoteError
from wsproto.utilities import generate_accept_token

Header = tuple[str, str]
VERSION = "13"


@dataclass(frozen=True)
class Accepted:
    """The server's yes: the 101's headers and what the frame layer needs."""

    headers: list[Header]
    subprotocol: str | None
    extensions: list[Extension] = field(default_factory=list)


@dataclass(frozen=True)
class Refused:
    """The server's no, with the status and a one-line reason."""

    status: int
    message: str
    headers: list[Header] = field(default_factory=list)


class HandshakeError(Exception):
    """The peer's side of the handshake is not what RFC 6455 requires."""


def _values(headers: Iterable[Header], name: str) -> list[str]:
    return [v for n, v in headers if n.lower() == name]


def _tokens(headers: Iterable[Header], name: str) -> list[str]:
    """Comma-separated values of every ``name`` header, trimmed, in order."""
    return [t.strip() for v in _values(headers, name) for t in v.split(",") if t.strip()]


def is_upgrade(headers: Iterable[Header]) -> bool:
    """Does the request ask for a WebSocket (``Upgrade: websocket``)?"""
    return any(t.lower() == "websocket" for t in _tokens(headers, "upgrade"))


def accept(method: str, headers: Sequence[Header], *, deflate: bool = True) -> Accepted | Refused:
    """The server's answer to an upgrade request on HTTP/1.1."""
    if method != "GET":
        return Refused(405, f"a WebSocket handshake is a GET, not {method}", [("Allow", "GET")])
    if not is_upgrade(headers):
        return Refused(426, "this endpoint speaks WebSocket: send Upgrade: websocket", _UPGRADE)
    if "upgrade" not in (t.lower() for t in _tokens(headers, "connection")):
        return Refused(400, "Connection header must include 'upgrade'")
    versions = _values(headers, "sec-websocket-version")
    if versions != [VERSION]:
        return Refused(426, f"Sec-WebSocket-Version must be {VERSION}", _UPGRADE)
    keys = _values(headers, "sec-websocket-key")
    if len(keys) != 1 or not _valid_key(keys[0]):
        return Refused(400, "Sec-WebSocket-Key must be 16 bytes in base64")
    return _accepted(keys[0], headers, deflate)


_UPGRADE = [("Upgrade", "websocket"), ("Sec-WebSocket-Version", VERSION)]


def accept_h2(
    method: str, pseudo: Sequence[Header], headers: Sequence[Header], *, deflate: bool = True
) -> Accepted | Refused:
    """The server's answer to an RFC 8441 extended CONNECT (HTTP/2): 200, no key, no token."""
    protocol = dict(pseudo).get(":protocol")
    if method != "CONNECT" or protocol != "websocket":
        return Refused(
            426, "WebSocket over HTTP/2 is a CONNECT with :protocol websocket (RFC 8441)"
        )
    if _values(headers, "sec-websocket-version") != [VERSION]:
        return Refused(
            400, f"sec-websocket-version must be {VERSION}", [("sec-websocket-version", VERSION)]
        )
    answer = _accepted("", headers, deflate)
    return Accepted(answer.headers[3:], answer.subprotocol, answer.extensions)


def _valid_key(key: str) -> bool:
    try:
        return len(base64.b64decode(key.strip(), validate=True)) == 16
    except (binascii.Error, ValueError):
        return False


def _accepted(key: str, headers: Sequence[Header], deflate: bool) -> Accepted:
    # the first three are HTTP/1.1's (accept_h2 drops them)
    out: list[Header] = [
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Accept", generate_accept_token(key.strip().encode()).decode()),
    ]
    offered = _tokens(headers, "sec-websocket-protocol")
    subprotocol = offered[0] if offered else None
    if subprotocol is not None:
        out.append(("Sec-WebSocket-Protocol", subprotocol))
    extensions: list[Extension] = []
    offers = _tokens(headers, "sec-websocket-extensions")
    if deflate and offers:
        supported: list[Extension] = [PerMessageDeflate()]
        agreed = server_extensions_handshake(offers, supported)
        if agreed is not None:
            out.append(("Sec-WebSocket-Extensions", agreed.decode("ascii")))
            extensions = [e for e in supported if e.enabled()]
    return Accepted(out, subprotocol, extensions)


# -- client side ---------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """What a client puts in its upgrade request; kept to check the answer."""

    key: str
    headers: list[Header]
    subprotocols: tuple[str, ...]
    deflate: bool


def offer(
    subprotocols: Sequence[str] = (), *, deflate: bool = True, key: str | None = None
) -> Offer:
    """The handshake headers of an upgrade request (the caller adds Host and its own)."""
    key = key or base64.b64encode(os.urandom(16)).decode("ascii")
    headers: list[Header] = [
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", key),
        ("Sec-WebSocket-Version", VERSION),
    ]
    if subprotocols:
        headers.append(("Sec-WebSocket-Protocol", ", ".join(subprotocols)))
    if deflate:
        headers.append(("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))
    return Offer(key, headers, tuple(subprotocols), deflate)


def check_answer(sent: Offer, status: int, headers: Sequence[Header]) -> Accepted:
    """The server's 101 checked against the offer; HandshakeError names what is wrong."""
    if status != 101:
        raise HandshakeError(f"server answered {status} instead of 101 Switching Protocols")
    if not is_upgrade(headers):
        raise HandshakeError("101 without Upgrade: websocket")
    accepts = _values(headers, "sec-websocket-accept")
    expected = generate_accept_token(sent.key.encode()).decode()
    if accepts != [expected]:
        raise HandshakeError("Sec-WebSocket-Accept does not match the key sent")
    return _agreed(sent, headers)


def offer_h2(subprotocols: Sequence[str] = (), *, deflate: bool = True) -> Offer:
    """An RFC 8441 extended CONNECT's WebSocket headers (no key: HTTP/2 needs none)."""
    headers: list[Header] = [("sec-websocket-version", VERSION)]
    if subprotocols:
        headers.append(("sec-websocket-protocol", ", ".join(subprotocols)))
    if deflate:
        headers.append(("sec-websocket-extensions", "permessage-deflate; client_max_window_bits"))
    return Offer("", headers, tuple(subprotocols), deflate)


def check_answer_h2(sent: Offer, status: int, headers: Sequence[Header]) -> Accepted:
    """The server's answer to an extended CONNECT: 200, and only what was offered."""
    if status != 200:
        raise HandshakeError(f"server answered {status} to the extended CONNECT instead of 200")
    return _agreed(sent, headers)


def _agreed(sent: Offer, headers: Sequence[Header]) -> Accepted:
    chosen = _tokens(headers, "sec-websocket-protocol")
    if len(chosen) > 1 or (chosen and chosen[0] not in sent.subprotocols):
        raise HandshakeError(f"server chose a subprotocol not offered: {', '.join(chosen)}")
    agreed = _tokens(headers, "sec-websocket-extensions")
    extensions: list[Extension] = []
    if agreed:
        supported: list[Extension] = [PerMessageDeflate()] if sent.deflate else []
        try:
            extensions = client_extensions_handshake(agreed, supported)
        except _WsprotoRemoteError as exc:
            raise HandshakeError(f"server chose an extension not offered: {exc}") from None
    return Accepted(list(headers), chosen[0] if chosen else None, extensions)


def request_head(target: str, host: str, headers: Sequence[Header]) -> bytes:
    """The upgrade request's head: request line, Host, then ``headers`` in order."""
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{n}: {v}" for n, v in headers if n.lower() != "host"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass(frozen=True)
class ResponseHead:
    status: int
    reason: str
    headers: list[Header]
    raw: bytes  # the head exactly as received


def parse_response_head(buf: bytes, limit: int = 65536) -> tuple[ResponseHead, bytes] | None:
    """The response head at the start of ``buf`` and the bytes after it; None: need more.

    Raises HandshakeError for a malformed head or one longer than ``limit``.
    """
    end = buf.find(b"\r\n\r\n")
    if end == -1:
        if len(buf) > limit:
            raise HandshakeError(f"response head longer than {limit} bytes")
        return None
    raw = buf[: end + 4]
    lines = raw[:end].decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/1.") or not (code.isdigit() and len(code) == 3):
        raise HandshakeError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    headers: list[Header] = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise HandshakeError(f"malformed header line in the response: {line[:80]!r}")
        headers.append((name, value.strip()))
    return ResponseHead(int(code), reason, headers, raw), buf[end + 4 :]
