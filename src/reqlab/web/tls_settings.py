"""Client certificates and CA bundles for the page's sends.

The page sends TLS material two ways: with one request (the "TLS" section of
its options, posted beside the request - never inside it, so it never
reaches history, a saved request or a share link) or per host (the
"Certificates" dialog: host pattern -> certificate/key/CA).  Per-host
entries live only in the server's memory for the page session, next to its
connection pool: key material is never written to the database.

The client takes an :class:`ssl.SSLContext`; ``load_cert_chain`` only reads
files, so the PEMs go to a private temporary directory (mode 0700, files
0600) for the moment it takes to load them, and are deleted right after.
"""

from __future__ import annotations

import fnmatch
import os
import ssl
import tempfile
from dataclasses import dataclass
from typing import Any

from reqlab.web.errors import APIError

KB = 1024
MAX_PEM = 64 * KB  # a certificate chain or a key
MAX_CA = 1024 * KB  # a whole CA bundle (certifi's is about 280 KB)
MAX_CA_PUBLIC = 64 * KB
MAX_HOSTS = 20  # per-host entries per page session
MAX_PATTERN = 253


@dataclass(frozen=True)
class TLSMaterial:
    cert: str | None = None
    key: str | None = None
    key_password: str | None = None
    ca: str | None = None

    def masked(self) -> dict[str, Any]:
        """What the page may see again: which parts are set, never the key."""
        return {
            "cert": _subject(self.cert) if self.cert else None,
            "key": "********" if self.key else None,
            "key_password": "********" if self.key_password else None,
            "ca": f"{self.ca.count('BEGIN CERTIFICATE')} certificate(s)" if self.ca else None,
        }


def _pem(data: dict[str, Any], name: str, cap: int) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise APIError(422, f"tls.{name}: must be PEM text", field=f"tls.{name}")
    if len(value.encode()) > cap:
        raise APIError(413, f"tls.{name}: larger than {cap // KB} KB", field=f"tls.{name}")
    if "-----BEGIN " not in value:
        raise APIError(422, f"tls.{name}: not PEM (no -----BEGIN line)", field=f"tls.{name}")
    return value


def parse(data: Any, public: bool) -> TLSMaterial | None:
    """The ``tls`` object of a send or a per-host entry; ``None`` if empty."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise APIError(422, "tls: must be an object", field="tls")
    password = data.get("key_password") or None
    if password is not None and (not isinstance(password, str) or len(password) > 1024):
        raise APIError(422, "tls.key_password: must be text", field="tls.key_password")
    material = TLSMaterial(
        cert=_pem(data, "cert", MAX_PEM),
        key=_pem(data, "key", MAX_PEM),
        key_password=password,
        ca=_pem(data, "ca", MAX_CA_PUBLIC if public else MAX_CA),
    )
    if material.key and not material.cert:
        raise APIError(422, "tls.key: a key needs its certificate (tls.cert)", field="tls.cert")
    if not (material.cert or material.ca):
        return None
    return material


def _private_file(folder: str, name: str, text: str) -> str:
    path = os.path.join(folder, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def context(material: TLSMaterial, verify: bool) -> ssl.SSLContext:
    """An SSLContext holding the material; errors name the field at fault."""
    ctx = ssl.create_default_context()
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if material.ca:
        try:
            ctx.load_verify_locations(cadata=material.ca)
        except (ssl.SSLError, ValueError):
            raise APIError(422, "tls.ca: no readable certificate in it", field="tls.ca") from None
    if material.cert:
        _load_chain(ctx, material)
    return ctx


def _load_chain(ctx: ssl.SSLContext, material: TLSMaterial) -> None:
    assert material.cert is not None
    with tempfile.TemporaryDirectory(prefix="reqlab-tls-") as folder:  # mode 0700
        certfile = _private_file(folder, "cert.pem", material.cert)
        keyfile = _private_file(folder, "key.pem", material.key) if material.key else None
        try:
            ctx.load_cert_chain(certfile, keyfile, material.key_password)
        except ssl.SSLError as exc:
            text = str(exc)
            if "KEY_VALUES_MISMATCH" in text or "key values mismatch" in text:
                message = "tls.key: does not match the certificate"
            elif material.key:
                message = "tls.key: not a readable private key (or a wrong password)"
            else:
                message = "tls.cert: no certificate and private key in it"
            raise APIError(422, message, field="tls.key") from None


def _subject(pem: str) -> str:
    """The certificate's subject, for the page to show what is set."""
    try:
        from cryptography import x509

        return x509.load_pem_x509_certificate(pem.encode()).subject.rfc4514_string()
    except Exception:  # shown only as a label
        return "certificate"


# ------------------------------------------------------------ per host


def check_pattern(pattern: Any) -> str:
    if not isinstance(pattern, str) or not pattern.strip() or len(pattern) > MAX_PATTERN:
        raise APIError(
            422, "pattern: a host or pattern such as *.example.test is required", field="pattern"
        )
    return pattern.strip().lower()


def for_host(hosts: dict[str, TLSMaterial], host: str, port: int) -> TLSMaterial | None:
    """The entry whose pattern matches ``host`` (or ``host:port``); the most
    specific (longest) pattern wins."""
    host = host.lower().strip("[]")
    found = [
        p for p in hosts if fnmatch.fnmatchcase(host, p) or fnmatch.fnmatchcase(f"{host}:{port}", p)
    ]
    return hosts[max(found, key=len)] if found else None
