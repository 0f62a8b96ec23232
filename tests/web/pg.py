"""A throwaway PostgreSQL server for a test: Debian's binaries, a temp
directory, a Unix socket only (no TCP port, so parallel workers never
collide).  Runs as the ``postgres`` user when the tests run as root."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _as_user() -> tuple[list[str], str | None]:
    if os.getuid() != 0:
        return [], None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return [], None
    return ["runuser", "-u", "postgres", "--"], "postgres"


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a SQLAlchemy URL of a fresh database; stops the server after."""
    bindir = pg_bin()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL binaries (initdb) not found")
    prefix, user = _as_user()
    base = tempfile.mkdtemp(prefix="reqlab-pg-")
    data, sockdir = os.path.join(base, "data"), os.path.join(base, "sock")
    os.mkdir(sockdir)
    if user:
        pw = pwd.getpwnam(user)
        for path in (base, sockdir):
            os.chown(path, pw.pw_uid, pw.pw_gid)
    env = {**os.environ, "LC_ALL": "C.UTF-8"}

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, env=env, cwd=base)

    try:
        run(
            f"{bindir}/initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        run(
            f"{bindir}/pg_ctl",
            "-D",
            data,
            "-w",
            "-t",
            "60",
            "-l",
            os.path.join(base, "log"),
            "-o",
            f"-c listen_addresses='' -k {sockdir} -c fsync=off",
            "start",
        )
        try:
            run(f"{bindir}/createdb", "-h", sockdir, "-U", "postgres", "reqlab")
            yield f"postgresql+psycopg://postgres@/reqlab?host={sockdir}"
        finally:
            run(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
    finally:
        shutil.rmtree(base, ignore_errors=True)
