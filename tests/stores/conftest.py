"""Fixtures for the store tests: a fresh, empty store URL of each backend. The ``postgres`` ones
make a database on the session's throwaway server (``pg_server``, in ``tests/conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pgserver

BACKENDS = ["memory", "file", "sqlite", "postgres"]
DURABLE = ["file", "sqlite", "postgres"]


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
