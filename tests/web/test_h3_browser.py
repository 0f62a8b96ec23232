"""HTTP/3 in the page, in Debian's chromium: the version chooser sends over
QUIC from the server process, the connection badge shows what QUIC
negotiated, and the Versions panel fills the seed's keep-alive table from a
real echo server speaking HTTP/1.0, 1.1, 2 and 3."""

from __future__ import annotations

import json
import os

import pytest
from tests.web.test_browser import (
    CHROMIUM,
    page,
    send_and_wait,
    shot,
    url_box,
    wait_js,
    wb,
)

from reqlab.echo.testing import start_echo_server
from reqlab.web.testing import Workbench

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
pytest.importorskip("aioquic")

__all__ = ["page", "wb"]  # the shared fixtures, used by name


def test_send_over_http3_shows_the_quic_facts(page, wb: Workbench) -> None:  # noqa: ANN001
    with start_echo_server(tls=True, http3=True, h3_idle_timeout=12.0) as echo:
        url_box(page).fill(echo.tls_url + "/echo")
        page.get_by_label("Verify TLS").uncheck()
        page.get_by_label("HTTP version").select_option("HTTP/3")
        send_and_wait(page)
        assert page.get_by_label("Protocol", exact=True).text_content() == "HTTP/3"
        assert page.get_by_label("TLS", exact=True).text_content() == "TLSv1.3 · h3 · not verified"
        quic = page.get_by_label("QUIC", exact=True)
        text = quic.text_content()
        assert text.startswith("QUIC v1 · idle ours 30 s / peer 12 s → 12 s · rtt "), text
        assert " · 1-RTT · cid " in text
        echoed = json.loads(page.locator("#rawbody").text_content())
        assert echoed["http_version"] == "HTTP/3"
        # the ids the badge shows are the ones the server saw
        server_cid = echoed["connection"]["quic"]["connection_id"]
        assert text.endswith(f" → {server_cid}")
        assert "datagrams sent" in quic.get_attribute("title")
        shot(page, "33-http3-quic-badge")
        # back to HTTP/2: the QUIC badge goes away
        page.get_by_label("HTTP version").select_option("HTTP/2")
        send_and_wait(page)
        assert page.get_by_label("Protocol", exact=True).text_content() == "HTTP/2"
        assert page.locator("#quic").is_hidden()


def test_versions_panel_fills_the_seed_table(page, wb: Workbench) -> None:  # noqa: ANN001
    with start_echo_server(
        tls=True, http3=True, h3_idle_timeout=1.0, keep_alive_timeout=1.0, keep_alive_max=5
    ) as echo:
        url_box(page).fill(echo.tls_url + "/get")
        page.get_by_label("Verify TLS").uncheck()
        page.get_by_role("button", name="Versions", exact=True).click()
        panel = page.get_by_label("Versions", exact=True)
        wait_js(
            page,
            "document.querySelectorAll('#versions-table tbody tr').length === 4",
            timeout=90.0,
        )
        rows = {
            r.locator("th").text_content(): r.locator("td").all_text_contents()
            for r in panel.locator("tbody tr").all()
        }
        assert list(rows) == ["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"]
        kept, how_long, ends = rows["HTTP/3"]
        assert kept.startswith("QUIC v1, advertised by Alt-Svc")
        assert how_long.startswith("max_idle_timeout 1 s (announced); stops answering after ")
        assert "(measured)" in how_long and "ends silently" in ends
        kept, how_long, ends = rows["HTTP/1.1"]
        assert kept.startswith("persistent")
        assert "Keep-Alive: timeout=1" in how_long and "(measured)" in how_long
        assert "Connection: close after 5 requests" in ends
        assert rows["HTTP/1.0"][0].startswith("Connection: keep-alive honoured")
        assert rows["HTTP/2"][0].startswith("offered by ALPN")
        assert "rule: one QUIC connection over UDP" in rows["HTTP/3"][0]
        assert "requests in" in page.locator("#versions-status").text_content()
        shot(page, "34-versions-panel")
