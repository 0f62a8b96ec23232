"""Where response body bytes go: decoded as they arrive, capped, spooled.

A :class:`BodySink` takes the bytes of one response body as they come off
the wire, undoes the Content-Encoding (gzip, deflate, br, zstd when the
``zstandard`` package is installed), refuses to grow past ``max_size`` and
moves to a temporary file once the body passes ``spool_size``, so a large
download never sits in memory.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import zlib
from collections.abc import Callable
from typing import Any, Protocol

from reqlab.errors import ResponseTooLarge


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - brotli is declared; zstandard is optional
        return None


# Whether each decoder is installed, found without running it: the module
# itself (zstandard pulls in platform and more) loads with the first body
# that needs it.
HAVE_BROTLI = importlib.util.find_spec("brotli") is not None
HAVE_ZSTD = importlib.util.find_spec("zstandard") is not None

# Decoders hand out at most this much at a time, however much one compressed
# read expands to: a decompression bomb is stopped at the body cap having
# held at most the cap plus one piece (and the spool keeps only spool_size).
PIECE = 64 * 1024

Emit = Callable[[bytes], None]


class Decoder(Protocol):
    def feed(self, data: bytes, emit: Emit) -> None: ...

    def flush(self, emit: Emit) -> None: ...


def supported_encodings() -> list[str]:
    names = ["gzip", "deflate"]
    if HAVE_BROTLI:
        names.append("br")
    if HAVE_ZSTD:
        names.append("zstd")
    return names


ACCEPT_ENCODING = ", ".join(supported_encodings())


class _Zlib:
    """gzip or zlib/raw deflate, ``PIECE`` bytes of output at a time."""

    def __init__(self, wbits: int) -> None:
        self._d = zlib.decompressobj(wbits)

    def feed(self, data: bytes, emit: Emit) -> None:
        d = self._d
        while True:
            out = d.decompress(data, PIECE)
            if out:
                emit(out)
            data = d.unconsumed_tail
            # A full piece may mean more output is pending even with no input left.
            if not data and len(out) < PIECE:
                return

    def flush(self, emit: Emit) -> None:
        self.feed(b"", emit)
        out = self._d.flush()
        if out:
            emit(out)


class _Deflate:
    """deflate as servers send it: zlib-wrapped, or raw (some old servers)."""

    def __init__(self) -> None:
        self._d: _Zlib | None = None
        self._first = b""

    def feed(self, data: bytes, emit: Emit) -> None:
        if self._d is None:
            self._first += data
            if len(self._first) < 2:
                return
            data, self._first = self._first, b""
            zlib_header = (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._d = _Zlib(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        self._d.feed(data, emit)

    def flush(self, emit: Emit) -> None:
        if self._d is not None:
            self._d.flush(emit)


class _Brotli:
    def __init__(self, brotli: Any) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes, emit: Emit) -> None:
        d = self._d
        out = d.process(data, output_buffer_limit=PIECE)
        # Past the limit brotli keeps output back until asked with empty input
        # (sometimes even once it accepts input again): drain it piece by piece.
        while out:
            emit(out)
            if d.is_finished():
                return
            out = d.process(b"", output_buffer_limit=PIECE)

    def flush(self, emit: Emit) -> None:
        self.feed(b"", emit)


class _Pieces:
    """The file-like object zstandard's stream writer writes its output pieces to."""

    def __init__(self) -> None:
        self.emit: Emit = lambda data: None

    def write(self, data: bytes) -> int:
        self.emit(bytes(data))
        return len(data)


class _Zstd:
    def __init__(self, zstandard: Any) -> None:
        self._out = _Pieces()
        self._w = zstandard.ZstdDecompressor().stream_writer(self._out, write_size=PIECE)

    def feed(self, data: bytes, emit: Emit) -> None:
        self._out.emit = emit
        self._w.write(data)

    def flush(self, emit: Emit) -> None:
        return None


def decoder_for(encoding: str | None) -> Decoder | None:
    """A streaming decoder for a Content-Encoding value, or None."""
    if not encoding:
        return None
    name = encoding.strip().lower()
    if name in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if name == "deflate":
        return _Deflate()
    if name == "br" and HAVE_BROTLI and (brotli := _optional("brotli")) is not None:
        return _Brotli(brotli)
    if name == "zstd" and HAVE_ZSTD and (zstandard := _optional("zstandard")) is not None:
        return _Zstd(zstandard)
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
        self.decoder: Decoder | None = None
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
                self.decoder.feed(data, self._keep)  # piece by piece: the cap stops a bomb
            except ResponseTooLarge:
                raise
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
            import tempfile  # only a body past spool_size needs it

            fd, self.path = tempfile.mkstemp(prefix="reqlab-body-", dir=self.spool_dir)
            self.file = os.fdopen(fd, "wb")
            self.file.writelines(self.chunks)
            self.chunks = []

    def finish(self) -> None:
        if self.decoder is not None:
            try:
                self.decoder.flush(self._keep)
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
    def feed(self, data: bytes, emit: Emit) -> None:
        return None

    def flush(self, emit: Emit) -> None:
        return None
