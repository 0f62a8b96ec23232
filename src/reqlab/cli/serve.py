"""``reqlab serve``: the web workbench and the echo server, in one process."""

from __future__ import annotations

import asyncio
import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from reqlab.cli._exit import Exit
from reqlab.errors import TLSError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the workbench (0: any free port).",
)
@click.option(
    "--echo-port",
    default=8081,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the echo server.",
)
@click.option("--no-echo", is_flag=True, help="Do not start the echo server.")
@click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help="Database URL: sqlite:///path or postgresql://user@host/db. [default: SQLite in $XDG_DATA_HOME/reqlab/]",
)
@click.option(
    "--public",
    is_flag=True,
    help="Shared instance: refuse private targets, cap responses, rate-limit clients.",
)
@click.option(
    "--allow-private", is_flag=True, help="With --public: still allow loopback/private targets."
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another Host name this server answers for (repeatable).",
)
@click.option(
    "--trust-proxy",
    "trust_proxy",
    multiple=True,
    metavar="ADDR",
    help="A reverse proxy's address whose X-Forwarded-For/-Proto are believed (repeatable). "
    "Without it, these headers are ignored.",
)
@click.option("--tls-cert", type=click.Path(), help="Serve over TLS with this certificate (PEM).")
@click.option("--tls-key", type=click.Path(), help="Its private key (PEM), if not in --tls-cert.")
@click.option(
    "--tls-self-signed", is_flag=True, help="Serve over TLS with a fresh self-signed certificate."
)
@click.option(
    "--workspace",
    "workspace",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="The workspace shown in the sidebar. [default: the current directory if it holds "
    ".http or http-client.env.json files, else $XDG_DATA_HOME/reqlab/workspace; "
    "with --public: none unless given]",
)
@click.option("--no-workspace", is_flag=True, help="Serve no workspace.")
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=VALUE",
    help="Change one limit (repeatable), e.g. --limit public_max_time=10; "
    "the names and defaults are in docs/security.md.",
)
def serve(
    host: str,
    port: int,
    echo_port: int,
    no_echo: bool,
    db_url: str | None,
    public: bool,
    allow_private: bool,
    allow_hosts: tuple[str, ...],
    trust_proxy: tuple[str, ...],
    tls_cert: str | None,
    tls_key: str | None,
    tls_self_signed: bool,
    workspace: str | None,
    no_workspace: bool,
    limits: tuple[str, ...],
) -> None:
    """Start the web workbench (and the echo server) until Ctrl-C."""
    from reqlab.web.config import WebConfig
    from reqlab.web.server import loop_factory, run

    if db_url and not db_url.startswith(
        ("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")
    ):
        raise click.UsageError(f"--db {db_url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")
    if tls_key and not tls_cert:
        raise click.UsageError("--tls-key needs --tls-cert")
    if allow_private and not public:
        raise click.UsageError("--allow-private only makes sense with --public")
    if host not in ("127.0.0.1", "localhost", "::1") and not public:
        click.echo(
            f"reqlab: warning: binding {host} exposes the sender to your network; "
            "consider --public",
            err=True,
        )
    config = WebConfig(
        host=host,
        port=port,
        db_url=db_url,
        public=public,
        allow_private=allow_private,
        allowed_hosts=allow_hosts,
        trust_proxy=trust_proxy,
        tls_cert=tls_cert,
        tls_key=tls_key,
        tls_self_signed=tls_self_signed,
    )
    config.workspace = _workspace(workspace, no_workspace, public)
    for item in limits:
        try:
            config.set_limit(*item.split("=", 1))
        except (TypeError, ValueError) as exc:
            raise click.UsageError(f"--limit {item}: {exc}") from None

    def announce(urls: dict[str, str | None]) -> None:
        click.echo(f"reqlab workbench: {urls['web']}")
        if urls["echo"]:
            click.echo(f"reqlab echo server: {urls['echo']}")
        click.echo(f"database: {urls['db']}")
        if config.workspace:
            click.echo(f"workspace: {config.workspace}")
        click.echo("Press Ctrl-C to stop.")
        sys.stdout.flush()

    try:
        with asyncio.Runner(loop_factory=loop_factory(config)) as runner:
            runner.run(run(config, echo_port=None if no_echo else echo_port, announce=announce))
    except TLSError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        where = exc.filename or host
        raise click.ClickException(f"cannot listen on {where}: {exc.strerror or exc}") from None
    except ImportError as exc:  # --db postgresql:// without the driver
        raise click.ClickException(
            f"--db {db_url}: the database driver is missing ({exc.name}); "
            "install it with: pip install 'reqlab[postgres]'"
        ) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(f"--db {db_url}: cannot open the database: {reason}") from None
    except KeyboardInterrupt:
        pass
    click.echo("reqlab: stopped.")
    sys.exit(Exit.OK)


def _workspace(given: str | None, off: bool, public: bool) -> str | None:
    """The workspace directory to serve: a shared (--public) instance serves
    one only when --workspace names it, since everyone using it could read
    and write the files."""
    from pathlib import Path

    from reqlab.web.workspace_host import default_workspace

    if off:
        return None
    if given is not None:
        path = Path(given)
        if not path.is_dir():
            raise click.UsageError(f"--workspace {given}: not a directory")
        return str(path.resolve())
    if public:
        return None
    try:
        return str(default_workspace())
    except OSError as exc:
        raise click.ClickException(f"cannot create the workspace directory: {exc}") from None
