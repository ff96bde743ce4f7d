"""Each backend against a plain in-memory model, under random appends, stale appends, retries and
reads (a Hypothesis state machine).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from negotiations import DuplicateEventError, PartialDate, Party, StatementMade
from negotiations.errors import ConcurrencyError
from negotiations.stores import EventStore, open_store

IDS = [f"e{n}" for n in range(8)]
SUMMARIES = ["yes", "no"]
EXPECT = ["none", "right", "stale"]


def statement(event_id: str, summary: str) -> StatementMade:
    """A statement; two with the same id differ when their summaries do."""
    return StatementMade(
        id=event_id,
        occurred=PartialDate.parse("2025-07-21"),
        recorded=datetime(2025, 7, 21, tzinfo=UTC),
        party=Party("UKR"),
        summary=summary,
    )


def expected_outcome(held: list[StatementMade], batch: list[StatementMade]) -> list[StatementMade] | None:
    """What the model says an append adds, or None when it must raise DuplicateEventError."""
    known = {e.id: e for e in held}
    fresh: list[StatementMade] = []
    for event in batch:
        earlier = known.get(event.id)
        if earlier is not None:
            if earlier != event:
                return None
            continue
        known[event.id] = event
        fresh.append(event)
    return fresh


def check_against_model(store: EventStore) -> None:
    """Run the state machine on ``store``, in streams of its own for every run."""

    class StoreMachine(RuleBasedStateMachine):
        """Appends to two streams, compared step by step with a dict of lists."""

        def __init__(self) -> None:
            super().__init__()
            run = uuid.uuid4().hex[:8]
            self.names = {"a": f"a-{run}", "b": f"b-{run}"}
            self.model: dict[str, list[StatementMade]] = {"a": [], "b": []}
            self.start = store.head()

        @rule(
            stream=st.sampled_from(["a", "b"]),
            batch=st.lists(
                st.tuples(st.sampled_from(IDS), st.sampled_from(SUMMARIES)), min_size=1, max_size=4
            ),
            expect=st.sampled_from(EXPECT),
        )
        def append(self, stream: str, batch: list[tuple[str, str]], expect: str) -> None:
            """Append a batch with no, the right, or a stale expected version."""
            events = [statement(i, s) for i, s in batch]
            held = self.model[stream]
            version = {"none": None, "right": len(held), "stale": len(held) + 1}[expect]
            fresh = expected_outcome(held, events)
            try:
                got = store.append(self.names[stream], events, expected_version=version)
            except DuplicateEventError:
                assert fresh is None
                return
            except ConcurrencyError as error:
                assert fresh
                assert expect == "stale"
                assert (error.expected, error.actual) == (version, len(held))  # noqa: PT017 - the model decides after
                return
            assert fresh is not None
            assert expect != "stale" or not fresh
            held.extend(fresh)
            assert got == len(held)

        @invariant()
        def streams_match_the_model(self) -> None:
            """Each stream holds exactly the model's events, with versions 1..n."""
            for key, name in self.names.items():
                records = list(store.read_stream(name))
                assert [r.event for r in records] == self.model[key]
                assert [r.version for r in records] == list(range(1, len(records) + 1))
                assert store.stream_version(name) == len(records)

        @invariant()
        def global_order_is_gap_free(self) -> None:
            """The store's global positions since the run began are gap-free, in append order."""
            records = list(store.read_all(self.start + 1))
            assert [r.position for r in records] == list(range(self.start + 1, self.start + len(records) + 1))
            assert len(records) == sum(len(held) for held in self.model.values())

    run_state_machine_as_test(StoreMachine, settings=settings(max_examples=30, stateful_step_count=15))


def test_store_matches_the_model(store_url: str) -> None:
    """Every backend agrees with the model on appends, stale appends, retries and reads."""
    store = open_store(store_url)
    try:
        check_against_model(store)
    finally:
        store.close()
