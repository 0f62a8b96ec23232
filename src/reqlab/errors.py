"""One exception tree for all of reqlab.

    ReqlabError
    ├── InvalidRequest        a model value is refused (names the field)
    ├── FormatError           input text in HAR / raw HTTP / curl is malformed
    ├── LocalProtocolError    we were asked to send something the protocol forbids
    ├── AuthError             getting credentials failed
    │   └── OAuthError        (reqlab.auth) names the OAuth 2.0 step and the server's error
    └── TransportError        something went wrong talking to the peer
        ├── NameResolutionError
        ├── ConnectError
        ├── TLSError
        │   └── ClientCertError   our own certificate or key cannot be used (names the file)
        ├── RequestTimeout    (carries the phase that timed out)
        ├── RemoteProtocolError   the peer broke the protocol
        ├── ResponseTooLarge
        │   └── ResponseHeadTooLarge   (names the limit: max_head_bytes, max_header_count)
        ├── ProxyError        the proxy refused, wanted credentials (407), could not
        │                     open the tunnel (502...) or failed the SOCKS handshake
        └── TooManyRedirects

Lower layers raise these; surfaces (CLI, web) map them to exit codes and
4xx answers.  Nothing here imports anything but the standard library.
"""

from __future__ import annotations


class ReqlabError(Exception):
    """Root of every error reqlab raises on purpose."""

    def __reduce__(self) -> tuple[object, ...]:
        # Pickle by message and attributes, not by calling __init__ again: the
        # subclasses take other arguments than their message, and `reqlab run
        # --jobs` hands a worker's error to the parent pickled.
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(
    cls: type[ReqlabError], args: tuple[object, ...], state: dict[str, object]
) -> ReqlabError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class AuthError(ReqlabError):
    """Getting credentials failed (an OAuth 2.0 step; see reqlab.auth.OAuthError)."""


class InvalidRequest(ReqlabError, ValueError):
    """A request value is refused.  ``field`` names what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class FormatError(ReqlabError, ValueError):
    """Input in one of the request formats could not be read.

    ``fmt`` is the format ("har", "http", "curl"), ``position`` says where
    (``line 3, column 7`` or ``option -H``), ``expected`` what would have been
    valid there.
    """

    def __init__(self, fmt: str, position: str, expected: str) -> None:
        self.fmt = fmt
        self.position = position
        self.expected = expected
        where = f" at {position}" if position else ""
        super().__init__(f"{fmt}{where}: {expected}")


class LocalProtocolError(ReqlabError):
    """We were asked to do something the protocol does not allow."""


class TransportError(ReqlabError):
    """Talking to the peer failed."""


class NameResolutionError(TransportError):
    pass


class ConnectError(TransportError):
    pass


class TLSError(TransportError):
    pass


class ClientCertError(TLSError):
    """The client certificate or its key cannot be loaded; ``path`` names the file."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"client certificate {path}: {reason}")


class RequestTimeout(TransportError):
    def __init__(self, phase: str, seconds: float | None) -> None:
        self.phase = phase
        self.seconds = seconds
        after = f" after {seconds:g} s" if seconds is not None else ""
        super().__init__(f"timed out during {phase}{after}")


class RemoteProtocolError(TransportError):
    pass


class ProxyError(TransportError):
    """Going through a proxy failed; ``proxy`` names it (never with its password)."""

    def __init__(self, proxy: str, message: str, status: int | None = None) -> None:
        self.proxy = proxy
        self.status = status  # the proxy's HTTP status, when it answered CONNECT
        super().__init__(f"proxy {proxy}: {message}")


class ResponseTooLarge(TransportError):
    pass


class ResponseHeadTooLarge(ResponseTooLarge):
    """The response head passed the client's head limits (see reqlab.protocol.headlimits)."""


class TooManyRedirects(TransportError):
    """Following redirects went past the limit (``--max-redirects``)."""
