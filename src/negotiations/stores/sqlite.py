"""The SQLite store (``sqlite:PATH.db``), the default: nothing to run, safe for several processes
on one machine.

The database runs in WAL mode with ``synchronous=FULL``, so an acknowledged append survives a
crash of the process or the machine. Each append takes the write lock first (``BEGIN
IMMEDIATE``); a writer that finds it taken waits up to ``timeout`` seconds.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from negotiations.errors import StoreError
from negotiations.stores._sql import SqlStore, schema

__all__ = ["SQLiteStore"]


class SQLiteStore(SqlStore):
    """A store in one SQLite file. One object may be shared between threads."""

    insert_finds_repeats = True  # an insert of a repeated id writes nothing for it, and says so

    def __init__(self, path: str | Path, *, url: str | None = None, timeout: float = 30.0) -> None:
        super().__init__(url or f"sqlite:{path}")
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = FULL")
            with self._write() as cur:
                for statement in schema(sqlite=True):
                    cur.execute(statement)
        except (OSError, sqlite3.Error) as exc:
            if hasattr(self, "_connection"):
                self._connection.close()
            raise StoreError(f"cannot open the SQLite store {self.path}: {exc}") from None

    @contextmanager
    def _write(self) -> Iterator[Any]:
        with self._lock:
            cur = self._connection.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot write to {self.path}: {exc}") from None
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[Any]:
        with self._lock:
            yield self._connection.cursor()

    def wait(self, after: int, timeout: float) -> None:
        """Poll: sleep ``timeout`` seconds unless an event after ``after`` is already there."""
        if self.head() <= after:
            time.sleep(timeout)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()
