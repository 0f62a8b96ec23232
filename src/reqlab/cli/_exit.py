"""Exit statuses of the ``reqlab`` command, documented in the README."""

from __future__ import annotations

from enum import IntEnum

from reqlab import errors


class Exit(IntEnum):
    OK = 0
    ERROR = 1  # unexpected failure (a bug: please report it)
    BAD_INPUT = 2  # bad command line or unreadable request input
    DNS = 3  # the host name could not be resolved
    CONNECT = 4  # connection refused / unreachable
    TLS = 5  # TLS handshake or certificate failure
    TIMEOUT = 6  # a phase took longer than allowed
    PROTOCOL = 7  # the server broke the HTTP protocol
    TOO_LARGE = 8  # the response exceeded the size cap
    TOO_MANY_REDIRECTS = 9  # --follow went past --max-redirects
    CLIENT_CERT = 10  # --cert/--key cannot be used (unreadable, wrong password, not matching)
    PROXY = 11  # the proxy refused, wanted credentials (407), could not tunnel, or SOCKS failed
    AUTH = 12  # getting credentials failed: an OAuth 2.0 step (named, with the server's error)
    HTTP_4XX = 14  # with --check-status: the response was 4xx
    HTTP_5XX = 15  # with --check-status: the response was 5xx
    INTERRUPTED = 130  # Ctrl-C


_BY_ERROR: list[tuple[type[BaseException], Exit]] = [
    (errors.InvalidRequest, Exit.BAD_INPUT),
    (errors.FormatError, Exit.BAD_INPUT),
    (errors.LocalProtocolError, Exit.BAD_INPUT),
    (errors.NameResolutionError, Exit.DNS),
    (errors.ConnectError, Exit.CONNECT),
    (errors.ClientCertError, Exit.CLIENT_CERT),
    (errors.ProxyError, Exit.PROXY),
    (errors.TLSError, Exit.TLS),
    (errors.RequestTimeout, Exit.TIMEOUT),
    (errors.RemoteProtocolError, Exit.PROTOCOL),
    (errors.ResponseTooLarge, Exit.TOO_LARGE),
    (errors.TooManyRedirects, Exit.TOO_MANY_REDIRECTS),
    (errors.TransportError, Exit.CONNECT),
    (errors.AuthError, Exit.AUTH),
]


def exit_for(error: BaseException) -> Exit:
    for kind, code in _BY_ERROR:
        if isinstance(error, kind):
            return code
    return Exit.ERROR
