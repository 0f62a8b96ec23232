"""TLS for the client: the context (verification, CA bundle, the client's own
certificate, or the user's SSLContext), what the record says about a
handshake, and the words an error uses.  Both engines use these, so they
verify and describe certificates the same way.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeGuard

from reqlab._records import record
from reqlab.client._record import TLSInfo
from reqlab.errors import ClientCertError, TLSError

# ssl is imported where TLS is used: a plain-http run (reqlab send, reqlab run)
# starts without it.
if TYPE_CHECKING:
    import ssl

CertTypes = str | tuple[str, str] | tuple[str, str, str]


@record(frozen=True, slots=True)
class TLSConfig:
    """A client's TLS settings beyond ``verify``: CA bundle, its own
    certificate (mTLS), or a whole :class:`ssl.SSLContext` of the user's."""

    cafile: str | None = None
    cert: CertTypes | None = None
    context: ssl.SSLContext | None = None


def is_ssl_context(value: object) -> TypeGuard[ssl.SSLContext]:
    """Whether ``value`` is an :class:`ssl.SSLContext`, without importing ssl
    (a caller holding one has imported it)."""
    ssl = sys.modules.get("ssl")
    return ssl is not None and isinstance(value, ssl.SSLContext)


def ssl_context(verify: bool, config: TLSConfig, alpn: tuple[str, ...]) -> ssl.SSLContext:
    if config.context is not None:  # the user's own: only ALPN is ours to set
        if alpn:
            config.context.set_alpn_protocols(list(alpn))
        return config.context
    return _context(verify, config.cafile, config.cert, alpn)


@lru_cache(maxsize=32)
def _context(
    verify: bool, cafile: str | None, cert: CertTypes | None, alpn: tuple[str, ...]
) -> ssl.SSLContext:
    import ssl

    ctx = ssl.create_default_context(cafile=cafile)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    if cert is not None:
        load_cert(ctx, cert)
    return ctx


def load_cert(ctx: ssl.SSLContext, cert: CertTypes) -> None:
    """Load the client certificate; a failure names the file at fault."""
    if isinstance(cert, str):
        certfile, keyfile, password = cert, None, None
    else:
        certfile, keyfile = cert[0], cert[1]
        password = cert[2] if len(cert) > 2 else None
    import ssl

    for path in (certfile, keyfile):
        if path is not None and not os.path.isfile(path):
            raise ClientCertError(path, "no such file")
    try:
        ctx.load_cert_chain(certfile, keyfile, password)
    except ssl.SSLError as exc:
        text = str(exc)
        if "KEY_VALUES_MISMATCH" in text or "key values mismatch" in text:
            raise ClientCertError(
                keyfile or certfile, f"the key does not match the certificate {certfile}"
            ) from None
        where = keyfile or certfile
        if "PEM" in text or "bad decrypt" in text or "BAD_DECRYPT" in text:
            raise ClientCertError(
                where, "not a readable private key (or a wrong password)"
            ) from None
        raise ClientCertError(where, exc.reason or text) from None


def tls_reason(exc: ssl.SSLCertVerificationError) -> str:
    code = getattr(exc, "verify_code", None)
    message = getattr(exc, "verify_message", "") or str(exc)
    if code == 10 or "expired" in message:
        return f"certificate expired ({message})"
    if code == 62 or "hostname mismatch" in message.lower() or "IP address mismatch" in message:
        return f"wrong host: {message}"
    if code in (18, 19, 20, 21) or "issuer" in message or "self-signed" in message:
        return f"unknown CA: {message}"
    return message


def _name(parts: Any) -> str | None:
    if not parts:
        return None
    return ", ".join(f"{k}={v}" for rdn in parts for k, v in rdn)


def describe_tls(sslobj: ssl.SSLObject | ssl.SSLSocket, verified: bool, sni: str) -> TLSInfo:
    cipher = sslobj.cipher()
    info = TLSInfo(
        version=sslobj.version(),
        cipher=cipher[0] if cipher else None,
        alpn=sslobj.selected_alpn_protocol(),
        verified=verified,
        server_name=sni,
    )
    cert = sslobj.getpeercert() if verified else None
    if cert:
        info.peer_subject = _name(cert.get("subject"))
        info.peer_issuer = _name(cert.get("issuer"))
        not_after = cert.get("notAfter")
        info.peer_not_after = not_after if isinstance(not_after, str) else None
    else:
        _fill_from_der(info, sslobj.getpeercert(binary_form=True))
    return info


def _fill_from_der(info: TLSInfo, der: bytes | None) -> None:
    """Unverified peers: decode the certificate with cryptography if present."""
    if not der:
        return
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - cryptography comes with trustme
        return
    cert = x509.load_der_x509_certificate(der)
    info.peer_subject = cert.subject.rfc4514_string()
    info.peer_issuer = cert.issuer.rfc4514_string()
    info.peer_not_after = cert.not_valid_after_utc.strftime("%b %d %H:%M:%S %Y GMT")


# OpenSSL's words when the first bytes back are not a TLS record: an HTTP
# answer ("HTTP/1.1 400 ...") reads as a record with a bad version or length.
_NOT_TLS = (
    "WRONG_VERSION_NUMBER",
    "PACKET_LENGTH_TOO_LONG",
    "RECORD_LAYER_FAILURE",
    "HTTP_REQUEST",
)


def handshake_reason(exc: OSError) -> str:
    """Why a TLS handshake failed, never empty: the usual cause first, in words."""
    import ssl

    reason = str(getattr(exc, "reason", None) or exc.strerror or exc or "")
    if reason.upper().replace(" ", "_") in _NOT_TLS:
        return f"the server answered in plain HTTP, not TLS ({reason}); is this an http:// port?"
    if not reason or isinstance(exc, ssl.SSLEOFError | ConnectionResetError):
        detail = f" ({reason})" if reason else ""
        return f"connection closed during the handshake{detail}; does the server speak TLS on this port?"
    return reason


def tls_failed(host: str, port: int, exc: OSError) -> TLSError:
    """The one error both connectors raise for a failed handshake."""
    import ssl

    if isinstance(exc, ssl.SSLCertVerificationError):
        return TLSError(f"TLS certificate of {host}:{port} rejected: {tls_reason(exc)}")
    return TLSError(f"TLS handshake with {host}:{port} failed: {handshake_reason(exc)}")
