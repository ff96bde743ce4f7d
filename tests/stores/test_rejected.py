"""A rejected append leaves every store (memory, file, SQLite, PostgreSQL) exactly as it was.

The same events, streams and head, read by the same store and by one opened afresh, and, for the
file stores, the same bytes. A failed write, a full disk, is checked in ``test_faults.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final

import pytest

from negotiations import (
    DeadlineMet,
    DeadlineSet,
    DuplicateEventError,
    DuplicateKeyError,
    EventCorrected,
    EventRetracted,
    InvalidAmendmentError,
    PartialDate,
    Party,
    StatementMade,
    UnknownReferenceError,
    seed_timeline,
)
from negotiations.errors import ConcurrencyError, StoreError
from negotiations.stores import EventStore, Recorded, Snapshot, StreamInfo, open_store

STREAM: Final = "russia-ukraine"
SEED: Final = list(seed_timeline())
RECORDED: Final = datetime(2025, 7, 22, 9, 0, tzinfo=UTC)
ULTIMATUM: Final = "us-ceasefire-ultimatum-2025-07-14"
"""The event of the seed that sets the deadline ``us-ceasefire-ultimatum``."""


def statement(event_id: str, summary: str = "said something") -> StatementMade:
    """A valid statement with the given id."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-22"),
        recorded=RECORDED,
        party=Party("UKR"),
        summary=summary,
    )


def retraction(event_id: str, target: str) -> EventRetracted:
    """A retraction of ``target``."""
    return EventRetracted(
        id=event_id,
        occurred=PartialDate.parse("2025-07-22"),
        recorded=RECORDED,
        target=target,
        reason="wrong",
    )


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    """A store of each backend holding the seed with one retraction, and another stream."""
    opened = open_store(store_url)
    opened.append(STREAM, SEED)
    opened.append(STREAM, [retraction("r1", SEED[-1].id)])
    opened.append("other", [statement("o1"), statement("o2")])
    yield opened
    opened.close()


Reject = Callable[[EventStore], int]

REJECTED: Final[dict[str, tuple[Reject, type[Exception]]]] = {
    "same id, other content": (
        lambda s: s.append("other", [statement("new-1"), statement("o1", "said something else")]),
        DuplicateEventError,
    ),
    "unknown reference": (
        lambda s: s.append(
            STREAM,
            [
                statement("new-2"),
                DeadlineMet(
                    id="met", occurred=PartialDate.parse("2025-07-22"), recorded=RECORDED, deadline_id="nope"
                ),
            ],
        ),
        UnknownReferenceError,
    ),
    "a key defined twice": (
        lambda s: s.append(
            STREAM,
            [
                statement("new-3"),
                DeadlineSet(
                    id="again",
                    occurred=PartialDate.parse("2025-07-22"),
                    recorded=RECORDED,
                    deadline_id="us-ceasefire-ultimatum",
                    issuer=Party("USA"),
                    target=Party("RUS"),
                    demand="again",
                    due=date(2025, 9, 30),
                ),
            ],
        ),
        DuplicateKeyError,
    ),
    "stale expected version": (
        lambda s: s.append(STREAM, [statement("new-4")], expected_version=len(SEED)),
        ConcurrencyError,
    ),
    "retraction of a retraction": (
        lambda s: s.append(STREAM, [statement("new-5"), retraction("r2", "r1")]),
        InvalidAmendmentError,
    ),
    "correction that makes an invalid event": (
        lambda s: s.append(
            STREAM,
            [
                EventCorrected(
                    id="c1",
                    occurred=PartialDate.parse("2025-07-22"),
                    recorded=RECORDED,
                    target=ULTIMATUM,
                    changes={"due": "not a date"},
                )
            ],
        ),
        InvalidAmendmentError,
    ),
}


def contents(store: EventStore) -> tuple[list[Recorded], list[StreamInfo], int]:
    """Everything a store holds: every event in position order, the streams, and the head."""
    return list(store.read_all()), store.streams(), store.head()


def files(store_url: str) -> dict[str, bytes]:
    """The bytes of a file store, or of a SQLite store's database file; nothing for the others."""
    kind, _, rest = store_url.partition(":")
    if kind not in ("file", "sqlite"):
        return {}
    path = Path(rest)
    return {
        p.name: p.read_bytes()
        for p in path.parent.iterdir()
        if p.name in (path.name, f"{path.name}.snapshots.json")
    }


@pytest.mark.parametrize(("reject", "error"), REJECTED.values(), ids=REJECTED.keys())
def test_rejected_append_leaves_the_store_as_it_was(
    store: EventStore, store_url: str, reject: Reject, error: type[Exception]
) -> None:
    """An append each backend rejects changes nothing: events, streams, head, bytes, and a reopened store."""
    before, on_disk = contents(store), files(store_url)
    with pytest.raises(error):
        reject(store)
    assert contents(store) == before
    assert files(store_url) == on_disk
    if not store_url.startswith("memory:"):
        with closing(open_store(store_url, readonly=True)) as reopened:
            assert contents(reopened) == before
    # The store still takes appends where it left off.
    assert store.append(STREAM, [statement("after")], expected_version=len(SEED) + 1) == len(SEED) + 2
    assert store.head() == before[2] + 1


def test_store_opened_read_only_refuses_writes_and_changes_nothing(store: EventStore, store_url: str) -> None:
    """Every backend opened read-only refuses appends and snapshot saves, and its store keeps what it had."""
    before, on_disk = contents(store), files(store_url)
    with closing(open_store(store_url, readonly=True)) as reader:
        for write in (
            lambda: reader.append(STREAM, [statement("new")]),
            lambda: reader.save_snapshots([Snapshot(name="v", tag="t", checkpoint=1, data="{}")]),
        ):
            with pytest.raises(StoreError, match="it was opened read-only"):
                write()
    assert contents(store) == before
    assert files(store_url) == on_disk
