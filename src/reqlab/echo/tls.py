"""TLS for the echo server: the stdlib ssl context, self-signed certificates, TLSInfo.

ALPN offers ``h2`` then ``http/1.1``.  The SNI a client sent is not kept by
the ssl module after the handshake, so a ``sni_callback`` writes it onto
the SSLObject, where :func:`tls_info` finds it.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import ssl
import tempfile

from reqlab.echo._types import TLSInfo
from reqlab.errors import TLSError


def _remember_sni(sslobj: ssl.SSLObject, server_name: str | None, ctx: ssl.SSLContext) -> None:
    with contextlib.suppress(AttributeError):
        sslobj.reqlab_sni = server_name  # type: ignore[attr-defined]


def self_signed_pem(hosts: tuple[str, ...] = ("localhost", "127.0.0.1")) -> tuple[bytes, bytes]:
    """A fresh self-signed certificate and key (PEM) for ``hosts``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "reqlab echo (self-signed)")])
    now = datetime.datetime.now(datetime.UTC)
    alt: list[x509.GeneralName] = []
    for h in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            alt.append(x509.DNSName(h))
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def server_context(
    cert: str | None, key: str | None, self_signed: bool, client_ca: str | None = None
) -> ssl.SSLContext:
    """A server context; raises TLSError naming the file that could not be used.

    With ``client_ca`` every client must present a certificate that CA
    signed (mTLS); its subject is then reflected."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    ctx.sni_callback = _remember_sni
    if client_ca:
        if not os.path.isfile(client_ca):
            raise TLSError(f"cannot read client CA file: {client_ca}")
        try:
            ctx.load_verify_locations(client_ca)
        except ssl.SSLError as exc:
            raise TLSError(f"cannot load client CA {client_ca}: {exc.reason or exc}") from None
        ctx.verify_mode = ssl.CERT_REQUIRED
    if self_signed and not cert:
        cert_pem, key_pem = self_signed_pem()
        with tempfile.TemporaryDirectory(prefix="reqlab-tls-") as tmp:
            cert_path = os.path.join(tmp, "cert.pem")
            key_path = os.path.join(tmp, "key.pem")
            with open(cert_path, "wb") as f:
                f.write(cert_pem)
            with open(key_path, "wb") as f:
                f.write(key_pem)
            ctx.load_cert_chain(cert_path, key_path)
        return ctx
    if not cert:
        raise TLSError("--tls-cert is required (or use --tls-self-signed)")
    for label, path in (("certificate", cert), ("key", key)):
        if path and not os.path.isfile(path):
            raise TLSError(f"cannot read {label} file: {path}")
    try:
        ctx.load_cert_chain(cert, key or None)
    except ssl.SSLError as exc:
        raise TLSError(
            f"cannot load certificate {cert}"
            + (f" / key {key}" if key else "")
            + f": {exc.reason or exc}"
        ) from None
    return ctx


def tls_info(sslobj: ssl.SSLObject) -> TLSInfo:
    cipher = sslobj.cipher()
    peer = sslobj.getpeercert() or {}  # empty unless a client certificate was required
    return TLSInfo(
        version=sslobj.version() or "",
        cipher=cipher[0] if cipher else "",
        alpn=sslobj.selected_alpn_protocol(),
        sni=getattr(sslobj, "reqlab_sni", None),
        client_subject=_name(peer.get("subject")),
        client_issuer=_name(peer.get("issuer")),
    )


def _name(parts: object) -> str | None:
    """An X.509 name as ``commonName=alice, organizationName=...``."""
    if not isinstance(parts, tuple) or not parts:
        return None
    return ", ".join(f"{k}={v}" for rdn in parts for k, v in rdn)
