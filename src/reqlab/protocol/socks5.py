"""The client side of a SOCKS5 handshake (RFC 1928, RFC 1929), without I/O.

Theory of operation: :meth:`Socks5Client.start` returns the greeting to
write; each chunk read from the proxy goes to :meth:`Socks5Client.receive`,
which returns the next bytes to write (maybe none) until ``done``.  Then
the connection is a tunnel to the target.  ``remote_dns`` (socks5h) sends
the host name for the proxy to resolve; otherwise the caller resolves it
and passes an IP address.

    state      on reply                         next state
    ---------  -------------------------------  ---------------------------
    GREETING   method 0x00 (no auth)            CONNECT  (writes request)
    GREETING   method 0x02 (user/password)      AUTH     (writes credentials)
    GREETING   0xFF or anything else             error
    AUTH       status 0x00                      CONNECT  (writes request)
    AUTH       other status                     error
    CONNECT    reply 0x00 and the bound address DONE
    CONNECT    other reply code                 error (named, e.g. "refused")
"""

from __future__ import annotations

import ipaddress
import struct

GREETING, AUTH, CONNECT, DONE = "GREETING", "AUTH", "CONNECT", "DONE"

REPLIES = {
    1: "general SOCKS server failure",
    2: "connection not allowed by ruleset",
    3: "network unreachable",
    4: "host unreachable",
    5: "connection refused by the target",
    6: "TTL expired",
    7: "command not supported",
    8: "address type not supported",
}


class SocksError(Exception):
    """The proxy refused or broke the handshake; the text says how."""


class Socks5Client:
    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        remote_dns: bool = True,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.remote_dns = remote_dns
        self.state = GREETING
        self._buf = b""

    @property
    def done(self) -> bool:
        return self.state == DONE

    def start(self) -> bytes:
        methods = b"\x00\x02" if self.username is not None else b"\x00"
        return bytes([5, len(methods)]) + methods

    def receive(self, data: bytes) -> bytes:
        """Bytes from the proxy; returns what to write next (may be empty)."""
        if not data:
            raise SocksError(
                f"the proxy closed the connection during the {self.state.lower()} step"
            )
        self._buf += data
        if self.state == GREETING:
            return self._greeting()
        if self.state == AUTH:
            return self._auth()
        if self.state == CONNECT:
            return self._connected()
        raise SocksError("bytes after the handshake ended")

    def _greeting(self) -> bytes:
        if len(self._buf) < 2:
            return b""
        version, method = self._buf[0], self._buf[1]
        self._buf = self._buf[2:]
        if version != 5:
            raise SocksError(f"not a SOCKS5 proxy (version byte {version})")
        if method == 0x00:
            self.state = CONNECT
            return self._request()
        if method == 0x02 and self.username is not None:
            self.state = AUTH
            user = self.username.encode()
            secret = (self.password or "").encode()
            return bytes([1, len(user)]) + user + bytes([len(secret)]) + secret
        if method == 0x02:
            raise SocksError("the proxy requires a username and password")
        raise SocksError("the proxy accepts none of the offered authentication methods")

    def _auth(self) -> bytes:
        if len(self._buf) < 2:
            return b""
        status = self._buf[1]
        self._buf = self._buf[2:]
        if status != 0:
            raise SocksError("the proxy rejected the username or password")
        self.state = CONNECT
        return self._request()

    def _request(self) -> bytes:
        try:
            address = ipaddress.ip_address(self.host.strip("[]"))
        except ValueError:
            if not self.remote_dns:
                raise SocksError(
                    f"{self.host!r} must be resolved before a socks5:// proxy"
                ) from None
            name = self.host.encode("idna")
            target = bytes([3, len(name)]) + name
        else:
            target = (b"\x01" if address.version == 4 else b"\x04") + address.packed
        return b"\x05\x01\x00" + target + struct.pack("!H", self.port)

    def _connected(self) -> bytes:
        buf = self._buf
        if len(buf) < 5:
            return b""
        if buf[1] != 0:
            raise SocksError(REPLIES.get(buf[1], f"reply code {buf[1]}"))
        kind = buf[3]
        length = {1: 4, 4: 16}.get(kind, buf[4] + 1 if kind == 3 else -1)
        if length < 0:
            raise SocksError(f"unknown address type {kind} in the proxy's reply")
        if len(buf) < 4 + length + 2:
            return b""
        self._buf = buf[4 + length + 2 :]
        self.state = DONE
        return b""
