"""The store contract's stateful test: a Hypothesis state machine that appends batches of every kind
of event (drawn by :mod:`._draws`) to a store, and checks each outcome against a small model of a
stream (:mod:`._model`), written apart from the code it checks.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Final

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from negotiations.domain.events import (
    CallHeld,
    Event,
    StatementMade,
)
from negotiations.errors import (
    ConcurrencyError,
    LogError,
)
from negotiations.stores import EventStore
from negotiations.testing._draws import FACTS, NEEDS, draw_batch, draw_new
from negotiations.testing._logs import STRATEGIES, event_corrected
from negotiations.testing._model import DEFINES, Stream
from negotiations.testing._record import event_retracted, report_disputed

__all__ = ["check_against_model"]

_EXPECT: Final = ("none", "right", "stale") * 2 + ("again",)
"""How a step appends: a new batch with no, the right or a stale expected version, or, one time
in seven, the last batch written, again. One rule, not two, since Hypothesis picks among rules
evenly: so that most steps draw new events."""


class _StoreMachine(RuleBasedStateMachine):
    """Appends to two streams of :attr:`store`, compared step by step with the model."""

    store: EventStore
    appended: set[type[Event]]
    """The kinds of event appended, over every run."""

    def __init__(self) -> None:
        super().__init__()
        run = uuid.uuid4().hex[:8]
        self.names = {"a": f"a-{run}", "b": f"b-{run}"}
        self.model = {"a": Stream(), "b": Stream()}
        self.order: list[tuple[str, str]] = []
        self.last: tuple[str, list[Event], int | None] | None = None
        self.start = self.store.head()
        counter = itertools.count()
        self.fresh: Callable[[str], str] = lambda what: f"{what}-{run}-{next(counter)}"

    @initialize(data=st.data())
    def append_every_kind(self, data: st.DataObject) -> None:
        """Start stream ``a`` with a batch of every kind of fact, each that refers to an id after
        the one that defines it, and to what fits (an addressee's answer, a term of the agreement),
        then a retraction, a correction and a dispute that apply.
        """
        batch: list[Event] = []
        # Definitions first, those that refer to nothing before those that do.
        for cls in sorted(FACTS, key=lambda cls: (cls not in DEFINES, cls in NEEDS)):
            batch.extend(draw_new(data, self.model["a"], batch, self.fresh, cls, loose=False))
        # A second statement, so that a dispute has two reports of one kind.
        batch.extend(draw_new(data, self.model["a"], batch, self.fresh, StatementMade, loose=False))
        first, second = [e for e in batch if isinstance(e, StatementMade)][-2:]
        correction = data.draw(event_corrected(), label="correction")
        dispute = data.draw(report_disputed(claims=[first.id, second.id]), label="dispute")
        retracted = next(e for e in batch if isinstance(e, CallHeld))
        retraction = data.draw(event_retracted(targets=[retracted.id]), label="retraction")
        records: list[Event] = [attrs.evolve(correction, target=first.id), dispute, retraction]
        batch.extend(attrs.evolve(record, id=self.fresh("record")) for record in records)
        self.check("a", batch, 0)

    @rule(stream=st.sampled_from(["a", "b"]), expect=st.sampled_from(_EXPECT), data=st.data())
    def append(self, stream: str, expect: str, data: st.DataObject) -> None:
        """Append a new batch with no, the right, or a stale expected version; or the last batch
        written, again.
        """
        if expect == "again":
            self.retry_the_last_append()
            return
        held = self.model[stream]
        batch = draw_batch(data, held, self.fresh)
        stale = data.draw(st.sampled_from([len(held.events) + 1, max(len(held.events) - 1, 0)]))
        version = {"none": None, "right": len(held.events), "stale": stale}[expect]
        self.check(stream, batch, version)

    def retry_the_last_append(self) -> None:
        """Append the last batch that was written again, with the expected version it had."""
        if self.last is not None:
            self.check(*self.last)

    def check(self, stream: str, batch: list[Event], version: int | None) -> None:
        """Append ``batch`` to ``stream``, and check the outcome is the model's."""
        held = self.model[stream]
        outcome = held.outcome(batch)
        grows = isinstance(outcome, Stream) and len(outcome.events) > len(held.events)
        try:
            got = self.store.append(self.names[stream], batch, expected_version=version)
        except ConcurrencyError as error:
            assert grows, f"{error} for a batch that adds nothing or is refused"
            assert version not in (None, len(held.events))
            assert (error.expected, error.actual) == (version, len(held.events))
            return
        except LogError as error:
            assert type(error) is outcome, f"{type(error).__name__}: {error}; the model: {outcome}"
            return
        assert isinstance(outcome, Stream), f"appended, but the model says {outcome.__name__}"
        assert not grows or version in (None, len(held.events)), "a stale append was written"
        added = outcome.events[len(held.events) :]
        self.order.extend((stream, e.id) for e in added)
        self.appended.update(type(e) for e in added)
        self.model[stream] = outcome
        assert got == len(outcome.events)
        if grows:
            self.last = (stream, batch, version)

    @invariant()
    def streams_match_the_model(self) -> None:
        """Each stream holds exactly the model's events, with versions 1..n."""
        for key, name in self.names.items():
            records = list(self.store.read_stream(name))
            assert [r.event for r in records] == self.model[key].events
            assert [r.version for r in records] == list(range(1, len(records) + 1))
            assert self.store.stream_version(name) == len(records)

    @invariant()
    def global_order_is_gap_free(self) -> None:
        """The store's global positions since the run began are gap-free, in append order."""
        records = list(self.store.read_all(self.start + 1))
        assert [r.position for r in records] == list(range(self.start + 1, self.start + len(records) + 1))
        assert [(r.stream[0], r.event.id) for r in records] == self.order


def check_against_model(store: EventStore, *, max_examples: int = 30, steps: int = 15) -> None:
    """Run the state machine on ``store``, in streams of its own for every run; then check that
    every kind of event was appended at least once.
    """
    appended: set[type[Event]] = set()
    machine = type("StoreMachine", (_StoreMachine,), {"store": store, "appended": appended})
    run_state_machine_as_test(
        machine, settings=settings(max_examples=max_examples, stateful_step_count=steps, deadline=None)
    )
    missing = sorted(cls.__name__ for cls in STRATEGIES if cls not in appended)
    assert not missing, f"the runs never appended {', '.join(missing)}: the model was not exercised"
