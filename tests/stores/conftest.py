"""Fixtures for the store tests: a fresh, empty store URL of each backend, and a throwaway
PostgreSQL server for the ``postgres`` ones (see ``tests/pgserver.py``).

The PostgreSQL tests are skipped, loudly, when the server's binaries are not installed, unless
``NEGOTIATIONS_REQUIRE_POSTGRES=1`` makes them fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import NoReturn

import pytest

import pgserver

BACKENDS = ["memory", "file", "sqlite", "postgres"]
DURABLE = ["file", "sqlite", "postgres"]


def unavailable(reason: str) -> NoReturn:
    """Skip the test for ``reason``, or fail it if PostgreSQL is required."""
    if os.environ.get(pgserver.REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {pgserver.REQUIRE_ENV}=1 requires PostgreSQL", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a throwaway PostgreSQL server that lives as long as the test session."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(pgserver.postgres_server())
        except pgserver.Unavailable as exc:
            unavailable(str(exc))
        yield url


def fresh_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A URL to a new, empty store of ``backend``; a PostgreSQL database is dropped after the test."""
    if backend == "memory":
        return "memory:"
    if backend == "file":
        return f"file:{tmp_path / 'events.jsonl'}"
    if backend == "sqlite":
        return f"sqlite:{tmp_path / 'events.db'}"
    server: str = request.getfixturevalue("pg_server")  # started only when a postgres test runs
    url = pgserver.create_database(server)
    request.addfinalizer(lambda: pgserver.drop_database(url))
    return url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a fresh, empty store of each backend: memory, file, sqlite and postgres."""
    return fresh_url(request.param, tmp_path, request)


@pytest.fixture(params=DURABLE)
def durable_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a fresh, empty store of each backend that outlives its process: file, sqlite and
    postgres.
    """
    return fresh_url(request.param, tmp_path, request)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a fresh, empty PostgreSQL database."""
    return fresh_url("postgres", tmp_path, request)
