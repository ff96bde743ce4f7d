"""Durable event stores: many streams, global positions, subscriptions, and saved snapshots.

Open a store from a URL with :func:`open_store`:

=====================================  ==========================================================
``memory:``                            in memory, for tests (:class:`MemoryStore`)
``file:PATH.jsonl``                    one JSON Lines file, git-friendly (:class:`JsonlStore`)
``sqlite:PATH.db``                     one SQLite file, the default (:class:`SQLiteStore`)
``postgresql://USER@HOST:PORT/DB``     PostgreSQL, for logs shared by services (``postgres`` extra)
=====================================  ==========================================================

With no URL, :func:`open_store` uses ``$NEGOTIATIONS_STORE`` if it is set, and otherwise the SQLite
file :data:`DEFAULT_PATH`.

A program that only reads opens the store with ``open_store(url, readonly=True)``: then nothing
is ever written, not even a file or a table that is missing (a missing store is a
:class:`~negotiations.errors.StoreError`), and appends raise :class:`~negotiations.errors.StoreError`.

Every backend is a :class:`Recorder`, which only stores and reads rows, under the one
:class:`RecorderStore`, which encodes, checks and decodes; a backend of your own is a recorder
too, and :mod:`negotiations.testing.stores` holds the contract it must pass.

The views that keep up with a store, :class:`~negotiations.services.ProjectionRunner`, are a
layer above the stores: :mod:`negotiations.services`.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from negotiations.errors import StoreError
from negotiations.stores._base import (
    EventStore,
    Recorded,
    Snapshot,
    StreamInfo,
    check_stream,
    load_stream,
    subscribe,
)
from negotiations.stores._recorder import AMENDMENT_KINDS, NewRow, Recorder, Row, Transaction
from negotiations.stores._store import RecorderStore
from negotiations.stores.memory import MemoryStore

if TYPE_CHECKING:
    from negotiations.stores.jsonl import JsonlStore
    from negotiations.stores.sqlite import SQLiteStore

__all__ = [
    "AMENDMENT_KINDS",
    "DEFAULT_PATH",
    "EventStore",
    "JsonlStore",
    "MemoryStore",
    "NewRow",
    "Recorded",
    "Recorder",
    "RecorderStore",
    "Row",
    "SQLiteStore",
    "Snapshot",
    "StreamInfo",
    "Transaction",
    "check_stream",
    "default_url",
    "load_stream",
    "open_store",
    "subscribe",
]

DEFAULT_PATH: Final = (
    Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "negotiations" / "events.db"
)
"""The default store: ``$XDG_DATA_HOME/negotiations/events.db``, or
``~/.local/share/negotiations/events.db`` when ``XDG_DATA_HOME`` is not set."""


# The file and SQLite backends are imported when first used, not with this package: they bring
# sqlite3 and logging, which a program using one store, or only default_url (as every command of
# the CLI does), need not load.
_LAZY: Final = {
    "JsonlStore": "negotiations.stores.jsonl",
    "SQLiteStore": "negotiations.stores.sqlite",
}
"""The module that defines each lazily imported name."""


# Hidden from type checkers, which see each lazy name's own type above; a misspelt name stays
# an error for them instead of being Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:  # noqa: ANN401 - typed by the imports above
        """A backend, imported on first use (PEP 562)."""
        if name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later reads find it without calling this again
        return value


def __dir__() -> list[str]:
    """The module's names, the lazily imported ones included."""
    return sorted({*globals(), *_LAZY})


def default_url() -> str:
    """The URL used when none is given: ``$NEGOTIATIONS_STORE``, else ``sqlite:`` :data:`DEFAULT_PATH`."""
    return os.environ.get("NEGOTIATIONS_STORE") or f"sqlite:{DEFAULT_PATH}"


def open_store(url: str | None = None, *, readonly: bool = False) -> EventStore:
    """Open the store at ``url`` (default: :func:`default_url`).

    With ``readonly``, the store is opened only to read, and opening it writes nothing: a missing
    file, directory or table is not created but a :class:`StoreError`, a torn tail of a file
    store is left for the next writer to cut, and a SQLite file is opened read-only. Its appends
    and snapshot saves raise :class:`StoreError`. The read-only commands (``streams``, ``export``
    and ``show --stream``) open their store so.

    Raises:
        StoreError: the URL names no known backend, or the store cannot be opened, or it is not a
            store of this library, or (read-only) it does not exist yet.

    """
    url = url or default_url()
    scheme, _, rest = url.partition(":")
    if scheme == "memory" and not rest:
        return MemoryStore(url, readonly=readonly)
    if scheme == "file" and rest:
        from negotiations.stores.jsonl import JsonlStore  # noqa: PLC0415 - imported when first used

        return JsonlStore(rest, url=url, readonly=readonly)
    if scheme == "sqlite" and rest:
        from negotiations.stores.sqlite import SQLiteStore  # noqa: PLC0415 - imported when first used

        return SQLiteStore(rest, url=url, readonly=readonly)
    if scheme in ("postgresql", "postgres") and rest.startswith("//"):
        try:
            from negotiations.stores.postgres import PostgresStore  # noqa: PLC0415 - an optional extra
        except ImportError as exc:
            raise StoreError(
                f"PostgreSQL needs psycopg: pip install 'negotiations[postgres]' ({exc})"
            ) from None
        return PostgresStore(url, readonly=readonly)
    reason = f"{url!r} is not a store URL: use memory:, file:PATH.jsonl, sqlite:PATH.db or postgresql://..."
    raise StoreError(reason)
