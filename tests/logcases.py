"""What the tests of the log's rules across events share: events built from their JSON form, and
appending them to a fresh log or to each store, to see which error the last batch raised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Protocol

from negotiations.codec import structure
from negotiations.domain.events import Event
from negotiations.errors import LogError
from negotiations.log import EventLog
from negotiations.stores import open_store

BACKENDS: Final = ("log", "memory", "file", "sqlite")
"""Where the examples run: a log, and the stores that need no server."""

_N = iter(range(10**9))


class Accepts(Protocol):
    """Append ``events`` to a fresh log or store, each its own batch or all in one: the error of
    the batch that did not fit, or ``None``.
    """

    def __call__(self, *events: Event, batch: bool = False) -> LogError | None: ...  # noqa: D102


def ev(kind: str, **fields: object) -> Event:
    """An event of ``kind`` with ``fields``, on a whole day, with an id of its own."""
    data = {
        "type": kind,
        "schema_version": 1,
        "id": fields.pop("id", f"e{next(_N)}"),
        "occurred": fields.pop("occurred", "2025-10-09"),
        "recorded": "2025-10-10T12:00:00+00:00",
        **fields,
    }
    return structure(data)


def correct(target: Event, **changes: object) -> Event:
    """A correction of ``target``."""
    return ev("EventCorrected", target=target.id, changes=changes)


def retract(target: Event) -> Event:
    """A retraction of ``target``."""
    return ev("EventRetracted", target=target.id, reason="wrong")


def make_accepts(backend: str, tmp_path: Path) -> Accepts:
    """Append events one batch each to a fresh log or store of ``backend`` (one of
    :data:`BACKENDS`): ``accepts(*events)`` returns the error of the last batch, or ``None`` when
    every batch fits.
    """
    calls = iter(range(1000))

    def run(*events: Event, batch: bool = False) -> LogError | None:
        batches = [list(events)] if batch else [[e] for e in events]
        if backend == "log":
            log = EventLog()
            try:
                for chunk in batches:
                    log = log.extend(chunk)
            except LogError as exc:
                return exc
            return None
        n = next(calls)  # a fresh store for each call
        urls = {
            "memory": "memory:",
            "file": f"file:{tmp_path}/{n}.jsonl",
            "sqlite": f"sqlite:{tmp_path}/{n}.db",
        }
        store = open_store(urls[backend])
        try:
            for chunk in batches:
                store.append("s", chunk)
        except LogError as exc:
            return exc
        finally:
            store.close()
        return None

    return run


def refused(error: LogError | None, kind: type[LogError], field: str) -> bool:
    """Whether ``error`` is a ``kind`` naming ``field``."""
    return isinstance(error, kind) and error.field == field
