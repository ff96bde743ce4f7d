"""What an append asks its store: every key its checks read, looked up together before they run,
and nothing for the kinds of event that name no key.

A store checks a batch with the log's rule against the keys it looked up; a key the checks ask
for that the lookup missed costs a query of its own (a round trip to PostgreSQL), so each test
here compares what the checks ask for with what was looked up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiations import EVENT_TYPES, DeadlineSet, Event, EventCorrected, PartialDate, Party, testing
from negotiations.errors import UnknownReferenceError
from negotiations.log import KEYLESS, EventLog, Key, append_keys, lookup_keys, recorded_keys
from negotiations.log._references import check_references
from negotiations.stores import RecorderStore, SQLiteStore
from negotiations.stores.memory import MemoryRecorder

KEYLESS_KINDS: Final = {
    "CallHeld",
    "StatementMade",
    "PositionStated",
    "AidAnnounced",
    "AidPaused",
    "AidResumed",
    "EventRetracted",
    "EventCorrected",
    "ReportDisputed",
}
"""Worked out by hand from the event classes: the kinds with no field naming a deadline,
agreement, proposal, ceasefire, measure or term (an amendment names an event, not a key)."""


def test_the_keyless_kinds_are_those_that_name_no_key() -> None:
    """KEYLESS holds exactly the kinds that name no key, and none of them has a field that could."""
    assert {kind.wire_type for kind in KEYLESS} == KEYLESS_KINDS
    for kind in KEYLESS:
        named = [field for field in attrs.fields_dict(kind) if field.endswith("_id") or field == "to"]
        assert named == [], kind


@pytest.mark.parametrize("kind", EVENT_TYPES, ids=lambda kind: kind.wire_type)
@given(data=st.data(), answer=st.booleans())
def test_the_checks_ask_only_for_keys_that_were_looked_up(
    kind: type[Event], data: st.DataObject, *, answer: bool
) -> None:
    """Whatever the store answers, checking an event of any kind asks only for keys among its lookup keys."""
    event = data.draw(st.from_type(kind))
    asked: list[Key] = []

    def has(key: Key) -> bool:
        asked.append(key)
        return answer

    with suppress(UnknownReferenceError):
        check_references(event, has)
    assert set(asked) <= lookup_keys(event)
    assert set(recorded_keys(event)) <= lookup_keys(event)


@given(testing.events())
def test_append_keys_are_the_recorded_and_the_lookup_keys(event: Event) -> None:
    """append_keys gives what recorded_keys and lookup_keys give, and nothing for a keyless kind."""
    assert append_keys(event) == (recorded_keys(event), lookup_keys(event))
    if type(event) in KEYLESS:
        assert append_keys(event) == ([], set())


class _Spy:
    """A transaction that notes every lookup made in it, and passes everything on."""

    def __init__(self, tx: Any, asked: list[tuple[list[str], set[Key]]]) -> None:  # noqa: ANN401 - any transaction
        self._tx = tx
        self._asked = asked

    def lookup(self, event_ids: Sequence[str], keys: Any) -> Any:  # noqa: ANN401 - as the transaction's
        """Note the lookup, then make it."""
        self._asked.append((list(event_ids), set(keys)))
        return self._tx.lookup(event_ids, keys)

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - as the transaction's
        return getattr(self._tx, name)


class _SpiedRecorder(MemoryRecorder):
    """The memory recorder, noting each transaction's lookups."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[list[str], set[Key]]] = []

    @contextmanager
    def transaction(self, stream: str) -> Iterator[Any]:
        """The memory recorder's transaction, spied on."""
        with super().transaction(stream) as tx:
            yield _Spy(tx, self.asked)


@given(testing.event_logs(max_size=25), st.integers(min_value=1, max_value=12))
def test_an_append_looks_its_keys_up_at_once(log: EventLog, size: int) -> None:
    """An append to a stream without corrections looks up once, and once more at most for answers, terms."""
    recorder = _SpiedRecorder()
    store = RecorderStore(recorder)
    events = list(log)
    for start in range(0, len(events), size):
        batch = events[start : start + size]
        recorder.asked.clear()
        store.append("s", batch)
        if any(isinstance(event, EventCorrected) for event in events[: start + size]):
            continue  # a fact is read from its definition as corrected, which is looked up then
        assert len(recorder.asked) <= 2
        for ids, keys in recorder.asked[1:]:
            assert ids == []
            assert {kind for kind, _ in keys} <= {"answered", "term-used"}


def _deadline(n: int, deadline_id: str) -> DeadlineSet:
    return DeadlineSet(
        id=f"deadline-{n}",
        occurred=PartialDate.parse("2025-07-14"),
        recorded=datetime(2025, 7, 14, tzinfo=UTC),
        deadline_id=deadline_id,
        issuer=Party("USA"),
        target=Party("RUS"),
        demand="a ceasefire",
        due=date(2025, 8, 8),
    )


def test_a_sqlite_lookup_of_many_keys_finds_each(tmp_path: Path) -> None:
    """A lookup of more keys and ids than one query probes (300 each) finds those held, and no other."""
    with SQLiteStore(tmp_path / "events.db") as store:
        store.append("s", [_deadline(n, f"d{n}") for n in range(300)])
        with store.recorder.transaction("s") as tx:
            ids = [f"deadline-{n}" for n in range(0, 600, 2)]
            keys: list[Key] = [("deadline", f"d{n}") for n in range(0, 600, 2)]
            found, held = tx.lookup(ids, keys)
    assert sorted(found) == sorted(f"deadline-{n}" for n in range(0, 300, 2))
    assert held == {("deadline", f"d{n}") for n in range(0, 300, 2)}


def test_a_sqlite_append_runs_one_key_query(tmp_path: Path) -> None:
    """On SQLite, an append of new events runs one query of the keys, each a probe of the primary key."""
    with SQLiteStore(tmp_path / "events.db") as store:
        store.append("s", [_deadline(n, f"d{n}") for n in range(3)])
        statements: list[str] = []
        store.recorder._connection.set_trace_callback(statements.append)  # noqa: SLF001 - what it runs
        store.append("s", [_deadline(n, f"d{n}") for n in range(3, 40)])
        store.recorder._connection.set_trace_callback(None)  # noqa: SLF001 - as above
        key_queries = [sql for sql in statements if sql.startswith("SELECT") and "FROM keys" in sql]
        assert len(key_queries) == 1
        plan = store.recorder._connection.execute(  # noqa: SLF001 - the store's own connection
            "EXPLAIN QUERY PLAN SELECT 1, kind, name FROM keys WHERE stream = ? AND kind = ? AND name = ?",
            ("s", "deadline", "d1"),
        ).fetchall()
        assert "PRIMARY KEY (stream=? AND kind=? AND name=?)" in plan[-1][-1]
