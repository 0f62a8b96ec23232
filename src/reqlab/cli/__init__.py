"""The ``reqlab`` command line.

One click group; each subcommand lives in its own module and is imported
only when it runs, so ``reqlab gen`` starts fast.  Every error reaches the
user as one line on stderr and a documented exit status (see ``_exit``);
never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
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
    "run": ("reqlab.cli.run", "run", "Run Hurl files as tests: asserts, captures, reports."),
    "ws": ("reqlab.cli.ws", "ws", "Open a WebSocket: send and show messages and frames."),
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
    "ls": ("reqlab.cli.ls", "ls", "List the requests of a workspace (a directory of .http files)."),
    "import": (
        "reqlab.cli.importing",
        "import_",
        "Import Postman, OpenAPI, HAR, Insomnia, Bruno, curl or .http into a workspace.",
    ),
    "export": (
        "reqlab.cli.export",
        "export",
        "Export a workspace as a Postman collection, HAR, .http or curl.",
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


def quiet_stdout() -> None:
    """The reader closed the pipe (``| head``): end quietly with 0, as HTTPie
    does.  stdout now points at /dev/null so that the interpreter's final
    flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _one_line(exc: Exception) -> str:
    """The error on one line, never with an empty reason after its colon."""
    from reqlab.errors import TLSError

    message = str(exc).replace("\n", " ").rstrip()
    if message.endswith(":"):
        hint = " (does the server speak TLS on that port?)" if isinstance(exc, TLSError) else ""
        message += " no reason given" + hint
    return message


def main(argv: list[str] | None = None) -> Any:
    from reqlab.cli._exit import Exit, exit_for
    from reqlab.errors import ReqlabError

    args = sys.argv[1:] if argv is None else argv
    if not args:
        # A bare `reqlab` is a request for help, not a usage error.
        with click.Context(cli, info_name="reqlab") as ctx:
            click.echo(cli.get_help(ctx))
        return Exit.OK
    try:
        return cli.main(args=args, prog_name="reqlab", standalone_mode=False)
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
        fail(_one_line(exc), exit_for(exc))
    except BrokenPipeError:
        quiet_stdout()
        sys.exit(Exit.OK)
    except OSError as exc:
        fail(
            f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), Exit.BAD_INPUT
        )
    except Exception as exc:
        # A bug.  The user still gets one line and exit 1; REQLAB_DEBUG=1
        # shows the traceback for a report.
        if os.environ.get("REQLAB_DEBUG"):
            raise
        name = type(exc).__name__
        fail(f"internal error ({name}: {exc}); run with REQLAB_DEBUG=1 and report it", Exit.ERROR)
