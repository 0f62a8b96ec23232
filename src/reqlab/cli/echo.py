"""``reqlab echo``: run the echo server until interrupted."""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from reqlab.echo._types import Handler


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8081, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--keep-alive-timeout",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds an idle persistent connection stays open after its last response.",
)
@click.option(
    "--keep-alive-max",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Requests one HTTP/1.x connection serves, the first included.",
)
@click.option(
    "--header-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to receive a whole request before answering 408.",
)
@click.option("--max-header-bytes", default=65536, show_default=True, type=click.IntRange(min=64))
@click.option(
    "--max-body-bytes", default=10 * 1024 * 1024, show_default=True, type=click.IntRange(min=0)
)
@click.option(
    "--max-connections",
    default=None,
    type=click.IntRange(min=1),
    help="Refuse (503) connections beyond this many open ones.",
)
@click.option("--tls-cert", type=click.Path(dir_okay=False), help="PEM certificate (chain).")
@click.option("--tls-key", type=click.Path(dir_okay=False), help="PEM private key.")
@click.option("--tls-self-signed", is_flag=True, help="Serve TLS with a fresh self-signed cert.")
@click.option(
    "--tls-client-ca",
    type=click.Path(dir_okay=False),
    help="Require a client certificate signed by this CA (PEM); /echo reflects its subject.",
)
@click.option(
    "--tls-port",
    default=8443,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the TLS listener.",
)
@click.option(
    "--http3/--no-http3",
    default=True,
    show_default=True,
    help="With TLS: also answer HTTP/3 (QUIC, UDP) on the TLS port, advertised by Alt-Svc.",
)
@click.option(
    "--h3-idle-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds of silence before an HTTP/3 (QUIC) connection is closed (max_idle_timeout).",
)
@click.option(
    "--sigv4-secret",
    "sigv4_secrets",
    multiple=True,
    metavar="KEY:SECRET",
    help="Check AWS SigV4 signatures by this key on /aws/verify (repeatable).",
)
@click.option("--verbose", "-v", is_flag=True, help="Log refused requests and timeouts.")
def echo(
    host: str,
    port: int,
    keep_alive_timeout: float,
    keep_alive_max: int,
    header_timeout: float,
    max_header_bytes: int,
    max_body_bytes: int,
    max_connections: int | None,
    tls_cert: str | None,
    tls_key: str | None,
    tls_self_signed: bool,
    tls_client_ca: str | None,
    tls_port: int,
    http3: bool,
    h3_idle_timeout: float,
    sigv4_secrets: tuple[str, ...],
    verbose: bool,
) -> None:
    """Run the echo server that reflects every request exactly."""
    from reqlab.echo.server import EchoOptions, EchoServer, new_event_loop

    if tls_key and not tls_cert:
        raise click.UsageError("--tls-key needs --tls-cert")
    if tls_cert and tls_self_signed:
        raise click.UsageError("use either --tls-cert/--tls-key or --tls-self-signed")
    if tls_client_ca and not (tls_cert or tls_self_signed):
        raise click.UsageError("--tls-client-ca needs --tls-cert or --tls-self-signed")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="reqlab echo: %(message)s"
    )
    options = EchoOptions(
        host=host,
        port=port,
        keep_alive_timeout=keep_alive_timeout,
        keep_alive_max=keep_alive_max,
        header_timeout=header_timeout,
        max_header_bytes=max_header_bytes,
        max_body_bytes=max_body_bytes,
        max_connections=max_connections,
        tls_cert=tls_cert,
        tls_key=tls_key,
        tls_self_signed=tls_self_signed,
        tls_client_ca=tls_client_ca,
        tls_port=tls_port,
        http3=http3,
        h3_idle_timeout=h3_idle_timeout,
        handler=_sigv4(sigv4_secrets),
    )
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        server = EchoServer(options)
        try:
            loop.run_until_complete(server.start())
        except OSError as exc:
            what = "address already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise click.ClickException(f"cannot listen on {exc.filename}: {what}") from None
        # Everything allocated so far lives until exit: keep the collector from
        # re-scanning it, and let it run less often (each request allocates and
        # frees a few dozen small containers; few of them form cycles).
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
        for url in server.urls:
            click.echo(f"reqlab echo listening on {url}")
        if server.h3 is not None:
            click.echo(f"reqlab echo listening on UDP port {server.h3.port} for HTTP/3")
        click.echo("press Ctrl-C to stop", err=True)
        loop.run_until_complete(server.serve_until_signalled())
    finally:
        loop.close()


def _sigv4(secrets: tuple[str, ...]) -> Handler | None:
    """The echo handler with ``/aws/verify`` checking signatures, if keys are given."""
    if not secrets:
        return None
    from reqlab.echo.server import default_handler
    from reqlab.echo.sigv4 import parse_key, sigv4_handler

    keys = {}
    for text in secrets:
        try:
            key, secret = parse_key(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--sigv4-secret") from None
        keys[key] = secret
    return sigv4_handler(keys, default_handler())
