"""Sending a QUIC connection's datagrams in as few syscalls as the kernel allows.

aioquic hands its protocol one datagram at a time (``transport.sendto``);
a busy connection's transmit produces runs of full-size datagrams (the
packet builder fills each to the maximum) and a shorter last one.  Linux's
UDP generic segmentation offload (``UDP_SEGMENT``, since 4.18) sends such a
run as one ``sendmsg``: the kernel cuts it into datagrams of the segment
size, the last one shorter.  :class:`BatchingTransport` stands in for the
listener's transport: it collects one transmit's datagrams, then sends each
run with one syscall, and falls back to ``sendto`` for single datagrams,
when the transport has a backlog (order kept), when the kernel says no, or
off Linux.
"""

from __future__ import annotations

import asyncio
import os
import socket
import struct
from typing import Any

UDP_SEGMENT = getattr(socket, "UDP_SEGMENT", 103)  # linux/udp.h
MAX_SEGMENTS = 64  # UDP_MAX_SEGMENTS
MAX_BYTES = 65000  # one UDP send: under 64 KiB with headers


def gso_runs(sizes: list[int]) -> list[tuple[int, int]]:
    """Split datagrams (by size, in order) into runs one GSO send can carry:
    every datagram of a run as long as its first, except a shorter last one.
    Returns (start, end) index pairs covering all of them, in order."""
    runs: list[tuple[int, int]] = []
    start = 0
    while start < len(sizes):
        size = sizes[start]
        end, total = start + 1, size
        while end < len(sizes) and end - start < MAX_SEGMENTS and total + sizes[end] <= MAX_BYTES:
            if sizes[end] > size:
                break
            total += sizes[end]
            end += 1
            if sizes[end - 1] < size:
                break  # a shorter one ends the run
        runs.append((start, end))
        start = end
    return runs


class BatchingTransport:
    """The listener's datagram transport, batched per transmit (see module doc)."""

    def __init__(self, transport: asyncio.DatagramTransport) -> None:
        self.transport = transport
        self.pending: list[tuple[bytes, Any]] = []
        self.sock: socket.socket | None = _raw_socket(transport)
        self.syscalls = 0  # sends made (for the benchmark and tests)
        self.datagrams = 0

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, ...
        return getattr(self.transport, name)

    def sendto(self, data: bytes, addr: Any = None) -> None:
        self.pending.append((data, addr))

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        self.datagrams += len(pending)
        i = 0
        while i < len(pending):  # one destination at a time (a migration may add one)
            addr = pending[i][1]
            j = i
            while j < len(pending) and pending[j][1] == addr:
                j += 1
            self._send([d for d, _ in pending[i:j]], addr)
            i = j

    def _send(self, datagrams: list[bytes], addr: Any) -> None:
        backlog = getattr(self.transport, "get_write_buffer_size", lambda: 0)()
        if self.sock is None or len(datagrams) == 1 or backlog:
            self._plain(datagrams, addr)
            return
        for start, end in gso_runs([len(d) for d in datagrams]):
            run = datagrams[start:end]
            sock = self.sock
            if len(run) == 1 or sock is None:
                self._plain(run, addr)
                continue
            ancillary = [(socket.SOL_UDP, UDP_SEGMENT, struct.pack("=H", len(run[0])))]
            try:
                sock.sendmsg(run, ancillary, 0, addr)
                self.syscalls += 1
            except BlockingIOError:  # the socket buffer is full: let the transport queue
                self._plain(run, addr)
            except OSError:  # no GSO here (old kernel, not Linux): plain from now on
                sock.close()
                self.sock = None
                self._plain(run, addr)

    def _plain(self, datagrams: list[bytes], addr: Any) -> None:
        for data in datagrams:
            self.transport.sendto(data, addr)
            self.syscalls += 1

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def _raw_socket(transport: asyncio.DatagramTransport) -> socket.socket | None:
    """A socket object on the transport's own file (a dup: the loop keeps its
    fd), for ``sendmsg``; None where GSO cannot be used."""
    if not hasattr(socket, "SOL_UDP") or os.name != "posix":
        return None
    found = transport.get_extra_info("socket")
    if found is None:
        return None
    try:
        return socket.socket(found.family, found.type, fileno=os.dup(found.fileno()))
    except OSError:
        return None
