"""The probe's HTTP/3 row: advertised? answered? on what QUIC terms?

Three requests at most: one over TCP to read ``Alt-Svc``, one over HTTP/3
(to the advertised UDP port, else the URL's), and one more on a resumed
connection with 0-RTT to see whether the server accepts early data.  The
idle timeout reported is the server's ``max_idle_timeout`` transport
parameter: QUIC announces it (unlike TCP keep-alive, which has to be
measured), and a connection past it ends silently, without a
CONNECTION_CLOSE.
"""

from __future__ import annotations

from typing import Any

from reqlab.errors import ReqlabError
from reqlab.model import Request
from reqlab.probe._report import Check, ProbeReport
from reqlab.protocol.altsvc import parse_alt_svc


async def check_http3(state: Any, report: ProbeReport) -> None:
    from reqlab.client import AsyncClient

    request: Request = state.request
    if request.scheme != "https":
        return  # HTTP/3 exists only for https:// origins: no row, as for h2 over TLS
    verify = state.settings.verify
    cafile = state.settings.cafile
    state.spend()
    async with AsyncClient(verify=verify, cafile=cafile, timeout=5.0) as tcp:
        first = await tcp.send(request)
    port = _advertised_port(first.headers.get("alt-svc"), request.host)
    found: dict[str, Any] = {
        "advertised": port is not None,
        "alt_svc": first.headers.get("alt-svc"),
    }
    report.http3 = found
    target = request.replace(url=_with_port(request, port), version="HTTP/3")
    found["url"] = target.url  # where HTTP/3 answers: the idle measurement goes there
    state.spend(2)
    async with AsyncClient(verify=verify, cafile=cafile, timeout=5.0, zero_rtt=True) as quic:
        try:
            answer = await quic.send(target)
        except ReqlabError as exc:
            found["answers"] = False
            how = "advertised but " if port is not None else ""
            report.add(Check("HTTP/3", "warn" if port else "info", f"{how}no HTTP/3 answer: {exc}"))
            return
        conn = answer.exchange.connection
        facts = conn.quic if conn is not None else None
        for key in list(quic.pool.h3.conns):  # the next request resumes, with 0-RTT
            quic.pool.h3.conns.pop(key).close()
        again = await quic.send(target)
    again_conn = again.exchange.connection
    again_facts = again_conn.quic if again_conn is not None else None
    found.update(
        answers=True,
        status=answer.status_code,
        quic_version=facts.version if facts else None,
        idle_timeout=facts.idle_timeout_peer if facts else None,
        max_streams=facts.max_streams if facts else None,
        zero_rtt_accepted=bool(again_facts and again_facts.zero_rtt),
        zero_rtt_note=again_facts.zero_rtt_note if again_facts else None,
    )
    said = "advertised by Alt-Svc and answered" if port is not None else "answered (not advertised)"
    terms = (
        f"{facts.version}, idle timeout {facts.idle_timeout_peer} s (transport parameter), "
        f"{facts.max_streams} streams, 0-RTT {'accepted' if found['zero_rtt_accepted'] else 'not accepted'}"
        if facts
        else ""
    )
    report.add(Check("HTTP/3", "ok", f"{answer.status_code}; {said}; {terms}"))


def _advertised_port(value: str | None, host: str) -> int | None:
    if not value:
        return None
    for svc in parse_alt_svc(value) or []:
        if svc.protocol == "h3" and svc.host in ("", host):
            return svc.port
    return None


def _with_port(request: Request, port: int | None) -> str:
    if port is None or port == request.port:
        return request.url
    split = request.split_url
    host = split.hostname or request.host
    shown = f"[{host}]" if ":" in host else host
    return split._replace(netloc=f"{shown}:{port}").geturl()
