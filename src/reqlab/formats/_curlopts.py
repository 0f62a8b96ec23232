"""curl's command-line options, as data.

Every option reqlab knows is in one of three groups:

* ``SHAPING``: options that make the request; each maps to the name of the
  reader's handler (see :mod:`reqlab.formats.curl`).
* ``QUIET``: options that change only curl's output, retries, or TLS and
  connection details that do not alter the request; skipped silently.
* ``UNSUPPORTED``: options that change the request in ways the model cannot
  hold (proxies, client certificates, other auth schemes...): skipped with a
  warning naming them.

An option in no group is unknown: skipped with a warning too.  Short
options map to their long names; ``True`` in the arity tables means the
option takes an argument.
"""

from __future__ import annotations

# long option -> handler in the reader.  Value: takes an argument?
SHAPING: dict[str, bool] = {
    "request": True,
    "header": True,
    "data": True,
    "data-ascii": True,
    "data-raw": True,
    "data-binary": True,
    "data-urlencode": True,
    "json": True,
    "form": True,
    "form-string": True,
    "user": True,
    "digest": False,
    "basic": False,
    "oauth2-bearer": True,
    "aws-sigv4": True,
    "cookie": True,
    "user-agent": True,
    "referer": True,
    "get": False,
    "head": False,
    "location": False,
    "location-trusted": False,
    "max-redirs": True,
    "insecure": False,
    "compressed": False,
    "http1.0": False,
    "http1.1": False,
    "http2": False,
    "http2-prior-knowledge": False,
    "http3": False,
    "http3-only": False,
    "url": True,
    "url-query": True,
    "max-time": True,
    "connect-timeout": True,
    "range": True,
    "upload-file": True,
    "globoff": False,
    "path-as-is": False,
}

QUIET: dict[str, bool] = {
    **dict.fromkeys(
        [
            "output", "write-out", "dump-header", "stderr", "trace", "trace-ascii",
            "retry", "retry-delay", "retry-max-time", "cookie-jar", "limit-rate",
            "output-dir", "speed-limit", "speed-time", "max-filesize", "cacert",
            "capath", "ciphers", "tls13-ciphers", "tls-max", "keepalive-time",
            "happy-eyeballs-timeout-ms", "expect100-timeout", "crlfile", "pinnedpubkey",
            "trace-config", "dns-ipv4-addr", "dns-ipv6-addr", "curves", "proto",
            "proto-redir", "create-file-mode", "parallel-max", "rate", "etag-save",
            "alt-svc", "hsts", "random-file", "egd-file", "ssl-sessions",
        ],
        True,
    ),
    **dict.fromkeys(
        [
            "silent", "show-error", "verbose", "include", "progress-bar",
            "no-progress-meter", "fail", "fail-with-body", "fail-early", "remote-name",
            "remote-header-name", "remote-name-all", "create-dirs", "no-buffer",
            "tcp-nodelay", "tcp-fastopen", "ipv4", "ipv6", "raw", "ignore-content-length",
            "keepalive", "no-keepalive", "sessionid", "ssl", "ssl-reqd", "ssl-allow-beast",
            "ssl-no-revoke", "ssl-revoke-best-effort", "ssl-auto-client-cert", "tlsv1",
            "tlsv1.0", "tlsv1.1", "tlsv1.2", "tlsv1.3", "sslv2", "sslv3", "styled-output",
            "disable", "remote-time", "xattr", "parallel", "parallel-immediate",
            "suppress-connect-headers", "alpn", "npn", "false-start",
            "cert-status", "retry-connrefused", "retry-all-errors", "junk-session-cookies",
            "trace-time", "buffer", "progress-meter", "clobber", "metalink", "manual",
            "help", "version", "http0.9", "doh-insecure", "doh-cert-status",
            "remove-on-error", "compressed-ssh", "disallow-username-in-url", "list-only",
        ],
        False,
    ),
}  # fmt: skip

UNSUPPORTED: dict[str, bool] = {
    **dict.fromkeys(
        [
            "proxy", "proxy-user", "proxy-header", "preproxy", "socks4", "socks4a",
            "socks5", "socks5-hostname", "resolve", "connect-to", "time-cond",
            "continue-at", "request-target", "unix-socket",
            "abstract-unix-socket", "interface", "local-port", "dns-servers",
            "dns-interface", "doh-url", "netrc-file", "config", "variable", "cert", "key",
            "cert-type", "key-type", "pass", "noproxy", "proto-default", "login-options",
            "sasl-authzid", "delegation", "haproxy-clientip", "etag-compare", "quote",
            "mail-from", "mail-rcpt", "telnet-option", "ftp-port", "krb", "hostpubmd5",
            "pubkey", "engine",
        ],
        True,
    ),
    **dict.fromkeys(
        [
            "ntlm", "ntlm-wb", "negotiate", "anyauth", "netrc", "netrc-optional",
            "post301", "post302", "post303", "tr-encoding",
            "proxytunnel", "crlf", "use-ascii", "append", "haproxy-protocol",
            "proxy-insecure", "proxy-ntlm", "proxy-basic", "proxy-digest",
            "proxy-negotiate", "proxy-anyauth", "next",
        ],
        False,
    ),
}  # fmt: skip

SHORT: dict[str, str] = {
    "X": "request", "H": "header", "d": "data", "F": "form", "u": "user",
    "b": "cookie", "A": "user-agent", "e": "referer", "G": "get", "I": "head",
    "L": "location", "k": "insecure", "m": "max-time", "r": "range",
    "T": "upload-file", "g": "globoff", "0": "http1.0",
    "o": "output", "w": "write-out", "D": "dump-header", "c": "cookie-jar",
    "Y": "speed-limit", "y": "speed-time", "s": "silent", "S": "show-error",
    "v": "verbose", "i": "include", "#": "progress-bar", "f": "fail",
    "O": "remote-name", "J": "remote-header-name", "N": "no-buffer", "4": "ipv4",
    "6": "ipv6", "l": "list-only", "R": "remote-time", "q": "disable",
    "M": "manual", "h": "help", "V": "version", "Z": "parallel", "j": "junk-session-cookies",
    "x": "proxy", "U": "proxy-user", "z": "time-cond", "C": "continue-at",
    "K": "config", "E": "cert", "n": "netrc", "p": "proxytunnel", "B": "use-ascii",
    "a": "append", "Q": "quote", "P": "ftp-port", "t": "telnet-option",
    "1": "tlsv1", "2": "sslv2", "3": "sslv3",
}  # fmt: skip

ALIASES: dict[str, str] = {"http1": "http1.1", "no-alpn": "alpn", "no-npn": "npn"}


def takes_argument(name: str) -> bool | None:
    """Whether long option ``name`` takes an argument; None if unknown."""
    for table in (SHAPING, QUIET, UNSUPPORTED):
        if name in table:
            return table[name]
    return None
