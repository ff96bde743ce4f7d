"""A throwaway PostgreSQL server for the tests, run from the installed binaries.

:func:`postgres_server` makes a cluster in a fresh temporary directory with ``initdb``, starts it
with ``pg_ctl`` listening on 127.0.0.1 at a free port (and on a Unix socket in that directory only),
with trust authentication and ``fsync`` on, and yields its URL. On exit it stops the server with
``pg_ctl stop -m immediate`` and removes the directory. PostgreSQL refuses to run as root, so when
the tests run as root the server runs as the ``postgres`` user, which Debian's package creates.

The binaries are looked for in ``$NEGOTIATIONS_PG_BINDIR``, ``/usr/lib/postgresql/*/bin`` (newest
first), ``pg_config --bindir`` and ``$PATH``. When they are missing, :class:`Unavailable` says so;
the ``pg_server`` fixture in ``tests/conftest.py`` turns that into a skip, or a failure when
``NEGOTIATIONS_REQUIRE_POSTGRES=1`` (as ``scripts/check`` sets on CI).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Final, NoReturn

import pytest

REQUIRE_ENV: Final = "NEGOTIATIONS_REQUIRE_POSTGRES"
"""Set to ``1`` to fail, not skip, the PostgreSQL tests when no server can be started."""

_TIMEOUT: Final = 120


def unavailable(reason: str) -> NoReturn:
    """Skip the test for ``reason``, or fail it if PostgreSQL is required."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 requires PostgreSQL", pytrace=False)
    pytest.skip(reason)


class Unavailable(Exception):  # noqa: N818 - it names a state, not a failure of the code
    """PostgreSQL cannot be run here; the message says why and what to install."""


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or ``None``."""
    candidates: list[Path] = []
    if configured := os.environ.get("NEGOTIATIONS_PG_BINDIR"):
        candidates.append(Path(configured))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(
        versions, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True
    )
    if pg_config := shutil.which("pg_config"):
        with suppress(OSError, subprocess.SubprocessError):
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=_TIMEOUT
            ).stdout.strip()
            candidates.append(Path(bindir))
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    return next((d for d in candidates if (d / "initdb").is_file() and (d / "pg_ctl").is_file()), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Cluster:
    """A cluster's directory and the user its commands run as."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"
        self.owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable(
                    "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as "
                    "(install the postgresql package, which creates it)"
                ) from None
            os.chown(root, self.owner.pw_uid, self.owner.pw_gid)

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run one of the server's programs as the cluster's owner."""
        argv = [str(self.bindir / program), *args]
        if self.owner is not None:
            argv = (
                ["runuser", "-u", "postgres", "--", *argv]
                if shutil.which("runuser")
                else ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]
            )
        return subprocess.run(
            argv, capture_output=True, text=True, cwd=self.root, timeout=_TIMEOUT, check=False
        )

    def init(self) -> None:
        """Create the cluster: user ``postgres``, trust authentication, UTF-8."""
        # --no-sync only skips syncing the bootstrap files; the server itself runs with fsync on.
        done = self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                        "--locale=C", "--no-sync")  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}{done.stderr}")

    def start(self) -> int:
        """Start the server on a free port of 127.0.0.1 and return the port."""
        for _ in range(3):  # another process may take the free port before the server binds it
            port = _free_port()
            options = {
                "listen_addresses": "127.0.0.1",
                "port": str(port),
                "unix_socket_directories": str(self.root),
                "fsync": "on",
                "max_connections": "200",
            }
            flags = " ".join(f"-c {name}={shlex.quote(value)}" for name, value in options.items())
            done = self.run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                            "-o", flags)  # fmt: skip
            if done.returncode == 0:
                return port
        log = self.log.read_text(errors="replace")[-4000:] if self.log.exists() else "(no log)"
        raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}{done.stderr}\nserver log:\n{log}")

    def stop(self) -> None:
        """Stop the server at once, killing it if pg_ctl cannot."""
        done = self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        pid_file = self.data / "postmaster.pid"
        if done.returncode and pid_file.exists():
            with suppress(OSError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Run a throwaway PostgreSQL server; yield its URL (user ``postgres``, database ``postgres``).

    Raises:
        Unavailable: the binaries, the ``postgres`` user or the psycopg driver are missing.
        RuntimeError: the server would not initialise or start.

    """
    if importlib.util.find_spec("psycopg") is None:
        raise Unavailable("psycopg is not installed (pip install -e '.[dev]')")
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable(
            "PostgreSQL binaries not found: no initdb and pg_ctl in $NEGOTIATIONS_PG_BINDIR, "
            "/usr/lib/postgresql/*/bin, pg_config --bindir or $PATH (install the postgresql package)"
        )
    root = Path(tempfile.mkdtemp(prefix="negotiations-pg-"))
    try:
        cluster = _Cluster(bindir, root)
        cluster.init()
        port = cluster.start()
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str) -> str:
    """Create a fresh, empty database on the server and return its URL."""
    import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need the driver
    from psycopg import sql  # noqa: PLC0415 - the same

    name = f"test_{uuid.uuid4().hex}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


def drop_database(database_url: str) -> None:
    """Drop a database made by :func:`create_database`, closing any connection left open to it."""
    import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need the driver
    from psycopg import sql  # noqa: PLC0415 - the same

    server_url, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
