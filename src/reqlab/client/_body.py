"""Where response body bytes go: decoded as they arrive, capped, spooled.

A :class:`BodySink` takes the bytes of one response body as they come off
the wire, undoes the Content-Encoding (gzip, deflate, br, zstd when the
``zstandard`` package is installed), refuses to grow past ``max_size`` and
moves to a temporary file once the body passes ``spool_size``, so a large
download never sits in memory.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import zlib
from typing import Any

from reqlab.errors import ResponseTooLarge


def _optional(name: str) -> Any:
    """An optional decoder module (untyped), or None when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - brotli is declared, zstandard optional
        return None


brotli = _optional("brotli")
zstandard = _optional("zstandard")


def supported_encodings() -> list[str]:
    names = ["gzip", "deflate"]
    if brotli is not None:
        names.append("br")
    if zstandard is not None:
        names.append("zstd")
    return names


ACCEPT_ENCODING = ", ".join(supported_encodings())


class _Deflate:
    """deflate as servers send it: zlib-wrapped, or raw (some old servers)."""

    def __init__(self) -> None:
        self._d: Any = None
        self._first = b""

    def decompress(self, data: bytes) -> bytes:
        if self._d is None:
            self._first += data
            if len(self._first) < 2:
                return b""
            data, self._first = self._first, b""
            zlib_header = (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        out: bytes = self._d.decompress(data)
        return out

    def flush(self) -> bytes:
        return self._d.flush() if self._d is not None else b""


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def decompress(self, data: bytes) -> bytes:
        out: bytes = self._d.process(data)
        return out

    def flush(self) -> bytes:
        return b""


class _Zstd:
    def __init__(self) -> None:
        self._d = zstandard.ZstdDecompressor().decompressobj()

    def decompress(self, data: bytes) -> bytes:
        out: bytes = self._d.decompress(data)
        return out

    def flush(self) -> bytes:
        return b""


def decoder_for(encoding: str | None) -> Any:
    """A streaming decoder for a Content-Encoding value, or None."""
    if not encoding:
        return None
    name = encoding.strip().lower()
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if name == "deflate":
        return _Deflate()
    if name == "br" and brotli is not None:
        return _Brotli()
    if name == "zstd" and zstandard is not None:
        return _Zstd()
    return None


class BodySink:
    """Collects one response body."""

    __slots__ = (
        "chunks",
        "size",
        "wire",
        "max_size",
        "spool_size",
        "decoder",
        "encoding",
        "file",
        "path",
        "warning",
        "spool_dir",
    )

    def __init__(self, max_size: int | None, spool_size: int, spool_dir: str | None = None) -> None:
        self.chunks: list[bytes] = []
        self.size = 0
        self.wire = 0
        self.max_size = max_size
        self.spool_size = spool_size
        self.spool_dir = spool_dir
        self.decoder: Any = None
        self.encoding: str | None = None
        self.file: Any = None
        self.path: str | None = None
        self.warning: str | None = None

    def start(self, content_encoding: str | None) -> None:
        self.encoding = content_encoding
        if content_encoding:
            self.decoder = decoder_for(content_encoding)
            if self.decoder is None:
                self.warning = (
                    f"Content-Encoding {content_encoding!r} is not supported: body kept as received"
                )

    def write(self, data: bytes) -> None:
        self.wire += len(data)
        if self.decoder is not None:
            try:
                data = self.decoder.decompress(data)
            except Exception as exc:  # zlib.error, brotli.error, zstd errors
                self._undecodable(exc)
                return
        self._keep(data)

    def _undecodable(self, exc: Exception) -> None:
        self.warning = f"could not decode the {self.encoding} body ({exc}): later bytes dropped"
        self.decoder = _Dropping()

    def _keep(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if self.max_size is not None and self.size > self.max_size:
            self.discard()
            raise ResponseTooLarge(
                f"response body is larger than the limit of {self.max_size} bytes"
            )
        if self.file is not None:
            self.file.write(data)
            return
        self.chunks.append(data)
        if self.size > self.spool_size:
            fd, self.path = tempfile.mkstemp(prefix="reqlab-body-", dir=self.spool_dir)
            self.file = os.fdopen(fd, "wb")
            self.file.writelines(self.chunks)
            self.chunks = []

    def finish(self) -> None:
        if self.decoder is not None:
            try:
                self._keep(self.decoder.flush())
            except ResponseTooLarge:
                raise
            except Exception as exc:
                self._undecodable(exc)
        if self.file is not None:
            self.file.close()

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            os.unlink(self.path)  # type: ignore[arg-type]
            self.file = self.path = None
        self.chunks = []

    def content(self) -> bytes:
        if len(self.chunks) == 1:
            return self.chunks[0]
        return b"".join(self.chunks)


class _Dropping:
    def decompress(self, data: bytes) -> bytes:
        return b""

    def flush(self) -> bytes:
        return b""
