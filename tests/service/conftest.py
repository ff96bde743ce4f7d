"""The example service, started as a user starts it (``python -m examples.service``) on a free
loopback port, and stopped after its tests.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import httpx
import pytest

import pgserver

ROOT: Final = Path(__file__).resolve().parents[2]
"""The project's root, where ``python -m examples.service`` finds the example."""

_START_TIMEOUT: Final = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running(store: str, log: Path, *, instance: str = "test") -> Iterator[str]:
    """The base URL of the service serving ``store``, from start until the block ends."""
    port = _free_port()
    command = [sys.executable, "-m", "examples.service", "--port", str(port), "--store", store]
    command += ["--instance", instance, "--log-level", "warning"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the service exited with {process.returncode}: {log.read_text()}")
            try:
                if httpx.get(f"{url}/schema", timeout=1).status_code == httpx.codes.OK:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the service did not start in {_START_TIMEOUT} s: {log.read_text()}")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a SQLite store that the module's tests share, each on streams of its own."""
    return f"sqlite:{tmp_path_factory.mktemp('service') / 'events.db'}"


@pytest.fixture(scope="module")
def service(sqlite_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a service over :func:`sqlite_store`, for the whole module."""
    with running(sqlite_store, tmp_path_factory.mktemp("log") / "service.log") as url:
        yield url


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the session's server, dropped after the test."""
    url = pgserver.create_database(pg_server)
    yield url
    pgserver.drop_database(url)
