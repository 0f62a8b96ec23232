"""Exit statuses of the ``reqlab`` command: the one table (also in docs/client.md).

HTTPie's codes are kept where they exist (2 timeout, 3/4/5 for a 3xx/4xx/5xx
with ``--check-status``, 6 too many redirects, 130 Ctrl-C; argparse's 2 for
a bad command line); reqlab's finer transport failures sit above 7.

    code  meaning
    0     success (a response arrived; any status unless --check-status)
    1     unexpected failure (a bug: please report it); also HTTPie's "Incomplete download"
          (--download got fewer bytes than Content-Length) and a file it cannot write
    2     bad command line or unreadable request input; also a timeout (HTTPie)
    3     --check-status: 3xx response (redirect not followed)
    4     --check-status: 4xx response
    5     --check-status: 5xx response
    6     too many redirects (--follow past --max-redirects)
    7     the server broke HTTP (garbage, closed mid-response, HTTP/2 reset)
    8     the response body exceeded --max-size, or its head passed 64 KiB or 256 fields
    10    the host name could not be resolved
    11    connection refused / unreachable
    12    TLS handshake or certificate failure
    13    client certificate or key unusable (--cert/--key: unreadable, wrong password, not matching)
    14    the proxy refused or failed (refused, 407, tunnel not opened, SOCKS failure)
    15    authentication failed: the step (an OAuth 2.0 token request, sign-in, signing) and the server's words
    130   interrupted (Ctrl-C)
"""

from __future__ import annotations

from enum import IntEnum

from reqlab import errors


class Exit(IntEnum):
    OK = 0
    ERROR = 1  # also HTTPie's "Incomplete download: size=N; downloaded=M"
    BAD_INPUT = 2
    TIMEOUT = 2  # HTTPie's code for a timeout (an alias of BAD_INPUT)
    HTTP_3XX = 3
    HTTP_4XX = 4
    HTTP_5XX = 5
    TOO_MANY_REDIRECTS = 6
    PROTOCOL = 7
    TOO_LARGE = 8
    DNS = 10
    CONNECT = 11
    TLS = 12
    CLIENT_CERT = 13  # --cert/--key cannot be used (unreadable, wrong password, not matching)
    PROXY = 14  # the proxy refused, wanted credentials (407), could not tunnel, or SOCKS failed
    AUTH = 15  # getting credentials failed: the step (named) and the server's words
    INTERRUPTED = 130


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


def exit_for_status(status: int) -> Exit:
    """--check-status: HTTPie's 3/4/5 by status class, else 0."""
    if 300 <= status < 600:
        return Exit(status // 100)
    return Exit.OK
