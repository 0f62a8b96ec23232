"""``reqlab send --download``: streamed to the file, a bar on a terminal only,
HTTPie's names, resume, summary and incomplete-download exit."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ENV, REQLAB, send, send_tty


@pytest.fixture
def raw_server() -> Iterator[str]:
    """A one-connection-at-a-time HTTP/1.1 peer: ``/N/M`` answers Content-Length N
    and sends M zero bytes, then closes (M < N is a connection cut mid-body);
    ``/N/M/B`` sends them B bytes every 50 ms (a slow peer)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                head = b""
                while b"\r\n\r\n" not in head:
                    head += conn.recv(4096)
                size, sent, *paced = (int(x) for x in head.split(b" ")[1].strip(b"/").split(b"/"))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
                block = bytes(paced[0] if paced else 1 << 20)
                while sent > 0:
                    conn.sendall(block[: min(sent, len(block))])
                    sent -= len(block)
                    if paced:  # a slow peer: a block every 50 ms
                        time.sleep(0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.shutdown(socket.SHUT_RDWR)  # wakes the accept()
    listener.close()
    thread.join(timeout=5)


def test_names_from_the_url_with_an_extension_never_overwriting(echo_url, tmp_path):
    code, seen, _ = send_tty("-d", f"{echo_url}/bytes/2048", cwd=str(tmp_path), stderr_tty=True)
    assert code == 0, seen
    assert (tmp_path / "2048.bin").stat().st_size == 2048  # HTTPie adds .bin from the type
    assert "Content-Length: 2048" in seen and "Done. 2.0 kB in " in seen
    assert "to '2048.bin'" in seen and len(seen) < 2048  # never the body on the terminal
    for n in (1, 2):  # HTTPie's get_unique_filename: the suffix after the whole name
        send_tty("-d", f"{echo_url}/bytes/2048", cwd=str(tmp_path))
        assert (tmp_path / f"2048.bin-{n}").stat().st_size == 2048
    assert (tmp_path / "2048.bin").read_bytes() != b""  # the first one untouched


def test_content_disposition_names_the_file(echo_url, tmp_path):
    url = f'{echo_url}/response-headers?Content-Disposition=attachment;+filename="../r.txt"'
    code, _, err = send_tty("-d", url, cwd=str(tmp_path))
    assert code == 0, err
    assert b"Content-Disposition" in (tmp_path / "r.txt").read_bytes()  # never ../
    assert not (tmp_path.parent / "r.txt").exists()


def test_out_file_and_piped_stdout(echo_url, tmp_path):
    run = send("-d", "-o", str(tmp_path / "named"), f"{echo_url}/bytes/5")
    assert run.code == 0 and run.out == b"" and (tmp_path / "named").stat().st_size == 5
    assert "Done. 5 bytes in " in run.err
    run = send("-d", f"{echo_url}/stream-bytes/3000", cwd=str(tmp_path))  # piped: stdout
    assert run.code == 0 and len(run.out) == 3000 and os.listdir(tmp_path) == ["named"]
    run = send("-d", "-q", "-o", str(tmp_path / "q"), f"{echo_url}/bytes/5")
    assert run.code == 0 and run.err == ""


def test_continue_resumes_with_a_range(echo_url, tmp_path):
    whole = bytes(97 + i % 26 for i in range(1000))  # /range/N's predictable bytes
    target = tmp_path / "part"
    target.write_bytes(whole[:300])
    run = send("-d", "-c", "-o", str(target), f"{echo_url}/range/1000")
    assert run.code == 0, run.err
    assert target.read_bytes() == whole and "Done. 700 bytes" in run.err
    run = send("-d", "-c", "-o", str(tmp_path / "new"), f"{echo_url}/range/1000")
    assert run.code == 0 and (tmp_path / "new").read_bytes() == whole  # nothing to resume
    run = send("-d", "-c", f"{echo_url}/range/10", cwd=str(tmp_path))
    assert run.code == 2 and run.err.strip().endswith("--continue resumes a file: it needs -o FILE")


def test_a_cut_before_content_length_is_an_incomplete_download(raw_server, tmp_path):
    url = raw_server
    run = send("-d", "-o", str(tmp_path / "cut"), f"{url}/1000/100")
    assert run.code == 1  # HTTPie's exit status for it
    assert (
        run.err.strip().splitlines()[-1].endswith("Incomplete download: size=1000; downloaded=100")
    )
    assert "Traceback" not in run.err and (tmp_path / "cut").stat().st_size == 100


def test_progress_bar_on_a_terminal_only(echo_url, tmp_path):
    url = f"{echo_url}/drip?numbytes=5&duration=0.6"
    code, _, tty = send_tty(
        "-d", "-o", "dripped", url, stdout_tty=False, stderr_tty=True, cwd=str(tmp_path)
    )
    assert code == 0
    assert "Downloading to dripped" in tty and "5 bytes" in tty and "Done. 5 bytes" in tty
    assert tty.index("HTTP/1.1 200 OK") < tty.index("Downloading to") < tty.index("Done.")
    run = send("-d", "-o", str(tmp_path / "piped"), url)
    assert run.code == 0 and "Downloading" not in run.err and "\x1b" not in run.err
    assert (tmp_path / "piped").read_bytes() == (tmp_path / "dripped").read_bytes()


def _max_rss_kib(args: list[str], cwd: Path) -> int:
    proc = subprocess.Popen(
        [REQLAB, "send", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
        cwd=cwd,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0
    return usage.ru_maxrss


def test_memory_stays_bounded_for_50_mb(raw_server, tmp_path):
    url = raw_server
    size = 50 * 1000 * 1000
    small = _max_rss_kib(["-d", "-o", "small", f"{url}/1000/1000"], tmp_path)
    big = _max_rss_kib(["-d", "-o", "big", f"{url}/{size}/{size}"], tmp_path)
    assert (tmp_path / "big").stat().st_size == size
    print("max RSS KiB", small, big)
    assert big - small < 16 * 1024, (small, big)  # KiB: far below the 48 MiB body


def test_an_error_status_saves_nothing_and_exits_as_httpie(echo_url, tmp_path):
    run = send("-d", f"{echo_url}/status/404", cwd=str(tmp_path))
    assert run.code == 4 and os.listdir(tmp_path) == []
    assert run.err.strip().splitlines()[-1].endswith("HTTP 404 Not Found (--check-status)")
    run = send("-d", "-c", "-o", str(tmp_path / "f"), f"{echo_url}/range/10")
    assert run.code == 0 and (tmp_path / "f").read_bytes() == b"abcdefghij"
    run = send("-d", "-c", "-o", str(tmp_path / "f"), f"{echo_url}/range/10")  # complete: 416
    assert run.code == 4 and (tmp_path / "f").read_bytes() == b"abcdefghij"


def test_the_bar_shows_size_and_eta_when_content_length_is_known(raw_server, tmp_path):
    code, _, tty = send_tty(
        "-d",
        "-o",
        "slow",
        f"{raw_server}/1000/1000/100",
        stdout_tty=False,
        stderr_tty=True,
        cwd=str(tmp_path),
    )
    assert code == 0 and (tmp_path / "slow").stat().st_size == 1000
    assert "/1.0 kB" in tty and "0:00:0" in tty  # done/total and the time remaining
