"""``reqlab cookies FILE``: the cookies a Netscape cookie file holds, by domain."""

from __future__ import annotations

import datetime as dt

import click


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--domain", help="Only cookies for this domain (and its subdomains).")
@click.option(
    "--values", is_flag=True, help="Show the values (hidden by default: they are secrets)."
)
def cookies(path: str, domain: str | None, values: bool) -> None:
    """List the cookies of a Netscape cookie file (as written by --cookie-jar)."""
    from reqlab.auth.cookies import read_rows

    shown = 0
    for row in read_rows(path):
        host = row.domain.lstrip(".")
        if domain and not (host == domain or host.endswith("." + domain)):
            continue
        expires = (
            dt.datetime.fromtimestamp(row.expires, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            if row.expires
            else "session"
        )
        value = row.value if values else "***"
        secure = " secure" if row.secure else ""
        click.echo(f"{row.domain}\t{row.path}\t{row.name}={value}\t{expires}{secure}")
        shown += 1
    if not shown:
        click.echo("no cookies", err=True)
