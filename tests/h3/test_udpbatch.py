"""The echo listener's batched UDP sends (GSO): runs, real sockets, fallback."""

from __future__ import annotations

import asyncio
import socket
import sys

import pytest

import reqlab
from reqlab.echo._udpbatch import BatchingTransport, gso_runs
from reqlab.echo.testing import start_echo_server


def test_runs_of_equal_size_with_a_shorter_last() -> None:
    assert gso_runs([]) == []
    assert gso_runs([1200]) == [(0, 1)]
    assert gso_runs([1200, 1200, 1200, 500]) == [(0, 4)]
    assert gso_runs([1200, 500, 1200, 1200]) == [(0, 2), (2, 4)]  # a shorter one ends a run
    assert gso_runs([500, 1200, 1200]) == [(0, 1), (1, 3)]  # a longer one starts the next
    assert gso_runs([1000] * 70) == [(0, 64), (64, 70)]  # at most 64 segments
    assert gso_runs([1400] * 50) == [(0, 46), (46, 50)]  # under 64 KiB a send


def _send_through_batch(sizes: list[int]) -> tuple[list[bytes], list[bytes], BatchingTransport]:
    """Datagrams of ``sizes`` through a batching stand-in for a real asyncio
    UDP transport on 127.0.0.1; returns (sent, received, batch)."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(10)
    sent = [bytes([i % 251]) * size for i, size in enumerate(sizes)]

    async def main() -> BatchingTransport:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0)
        )
        batch = BatchingTransport(transport)
        for data in sent:
            batch.sendto(data, receiver.getsockname())
        batch.flush()
        await asyncio.sleep(0)  # a plain sendto the transport queued goes out
        batch.close()
        transport.close()
        return batch

    batch = asyncio.run(main())
    got = [receiver.recv(65536) for _ in sent]
    receiver.close()
    return sent, got, batch


@pytest.mark.skipif(sys.platform != "linux", reason="UDP_SEGMENT is Linux's")
def test_one_syscall_carries_a_run_and_the_peer_gets_each_datagram() -> None:
    sent, got, batch = _send_through_batch([1200, 1200, 1200, 700, 300])
    assert got == sent  # cut back into the same datagrams, in order
    assert batch.datagrams == 5 and batch.syscalls == 2  # [1200 x3, 700] + [300]


def test_without_gso_every_datagram_is_a_plain_send() -> None:
    sizes = [1200, 1200, 900]
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(10)

    async def main() -> BatchingTransport:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0)
        )
        batch = BatchingTransport(transport)
        batch.close()  # no raw socket: as off Linux
        for size in sizes:
            batch.sendto(b"x" * size, receiver.getsockname())
        batch.flush()
        await asyncio.sleep(0)
        transport.close()
        return batch

    batch = asyncio.run(main())
    assert [len(receiver.recv(65536)) for _ in sizes] == sizes
    receiver.close()
    assert batch.syscalls == 3


def test_the_echo_listener_batches_under_load() -> None:
    async def load(url: str) -> None:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            answers = await asyncio.gather(
                *(client.post(url, content=bytes([65 + i % 26]) * 3000) for i in range(32))
            )
        assert all(r.status_code == 200 for r in answers)
        # each answer whole and on its own stream, through the batched sends
        assert [r.json()["body"] for r in answers] == [chr(65 + i % 26) * 3000 for i in range(32)]

    with start_echo_server(tls=True, http3=True) as echo:
        asyncio.run(load(f"{echo.tls_url}/echo"))
        batch = echo.server.h3.batch
    assert batch is not None
    assert batch.syscalls < batch.datagrams
