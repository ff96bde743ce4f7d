"""The store contract of :mod:`negotiations.testing.stores`, run against every backend: memory,
file, SQLite and PostgreSQL. A backend of a user's own runs it the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiations.errors import StoreError
from negotiations.stores import EventStore, open_store
from negotiations.testing.stores import DurableStoreContract, StoreContract

from .conftest import fresh_url


class _Fresh:
    """Make each store at a fresh URL of :attr:`backend` (see ``conftest.fresh_url``)."""

    backend = ""

    @pytest.fixture(autouse=True)
    def _place(self, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        """Where this test's stores go: a directory of its own, or a database of its own."""
        self.url = fresh_url(self.backend, tmp_path, request)

    def make_store(self) -> EventStore:
        """The store at this test's URL."""
        return open_store(self.url)

    def reopen_store(self, store: EventStore) -> EventStore:
        """The store opened again from its URL."""
        return open_store(store.url)


class TestMemoryStore(_Fresh, StoreContract):
    """The memory store keeps the contract."""

    backend = "memory"


class TestJsonlStore(_Fresh, DurableStoreContract):
    """The file store keeps the contract."""

    backend = "file"


class TestSQLiteStore(_Fresh, DurableStoreContract):
    """The SQLite store keeps the contract."""

    backend = "sqlite"


class TestPostgresStore(_Fresh, DurableStoreContract):
    """The PostgreSQL store keeps the contract."""

    backend = "postgres"


@pytest.mark.parametrize("url", ["nonsense", "sqlite:", "file:", "mysql://x", "memory:x"])
def test_bad_url(url: str) -> None:
    """A URL that names no backend raises StoreError saying which URLs work."""
    with pytest.raises(StoreError, match="is not a store URL"):
        open_store(url)
