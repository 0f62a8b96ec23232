"""The ``reqlab`` command line.

One click group; each subcommand lives in its own module and is imported
only when it runs, so ``reqlab gen`` starts fast.  Every error reaches the
user as one line on stderr and a documented exit status (see ``_exit``);
never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from reqlab import __version__

# name -> (module, attribute, one-line help).  Help is here so --help
# does not import every subcommand.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "gen": (
        "reqlab.cli.gen",
        "gen",
        "Convert a request (HAR, raw HTTP, curl) into a format or code.",
    ),
    "echo": ("reqlab.cli.echo", "echo", "Run the echo server that reflects every request exactly."),
    "send": (
        "reqlab.cli.send",
        "send",
        "Send a request and show exactly what happened on the wire.",
    ),
    "cookies": (
        "reqlab.cli.cookies",
        "cookies",
        "List the cookies of a Netscape cookie file (--cookie-jar) by domain.",
    ),
    "serve": ("reqlab.cli.serve", "serve", "Start the web workbench (and the echo server)."),
    "probe": ("reqlab.cli.probe", "probe", "Measure a server's keep-alive behaviour."),
    "bench": (
        "reqlab.cli.bench",
        "bench",
        "Compare latency and throughput with and without reuse.",
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _, _) in COMMANDS.items() if _available(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module = importlib.import_module(entry[0])
        command: click.Command = getattr(module, entry[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="reqlab")
def cli() -> None:
    """reqlab: a local-first HTTP request workbench."""


def fail(message: str, code: int) -> None:
    click.echo(f"reqlab: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> Any:
    from reqlab.cli._exit import Exit, exit_for
    from reqlab.errors import ReqlabError

    try:
        return cli.main(args=argv, prog_name="reqlab", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        where = f"{exc.ctx.command_path}: " if exc.ctx is not None else ""
        fail(where + exc.format_message().replace("\n", " "), Exit.BAD_INPUT)
    except click.ClickException as exc:
        fail(
            exc.format_message().replace("\n", " "),
            exc.exit_code if exc.exit_code != 1 else Exit.BAD_INPUT,
        )
    except click.Abort:
        fail("interrupted", Exit.INTERRUPTED)
    except KeyboardInterrupt:
        fail("interrupted", Exit.INTERRUPTED)
    except ReqlabError as exc:
        fail(str(exc).replace("\n", " "), exit_for(exc))
    except BrokenPipeError:
        sys.exit(Exit.OK)
    except OSError as exc:
        fail(
            f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), Exit.BAD_INPUT
        )
