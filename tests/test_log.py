"""The event log: gap-free positions, immutable appends, retries, and the checks on references."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from negotiations.domain.events import (
    CeasefireEnded,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    PrisonersExchanged,
    RemainsRepatriated,
    StatementMade,
    TalksHeld,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import DuplicateEventError, DuplicateKeyError, LogError, UnknownReferenceError
from negotiations.log import EventLog, defined_key, referenced_key
from negotiations.testing import event_logs, ids, statement_made

RECORDED = datetime(2025, 7, 20, 18, 0, tzinfo=UTC)
MAX_LOG = 12
"""Logs this long exercise every check; longer ones only cost time."""
LATER = datetime(2035, 1, 1, tzinfo=UTC)


def _statement(event_id: str) -> StatementMade:
    """An event that defines and refers to nothing, so it fits any log its id is new to."""
    return StatementMade(
        id=event_id, occurred=PartialDate(2025, 7), recorded=RECORDED, party=Party("UKR"), summary="ok"
    )


def _fresh_id(log: EventLog, base: str = "fresh") -> str:
    """An event id ``log`` does not hold."""
    n = 0
    while f"{base}-{n}" in log:
        n += 1
    return f"{base}-{n}"


# -- positions, reading and lookup --------------------------------------------------------------


@given(event_logs(max_size=MAX_LOG))
def test_positions_are_gap_free_from_one(log: EventLog) -> None:
    """The events sit at positions 1..n, in the order they were appended."""
    events = list(log)
    assert len(log) == len(events)
    assert [log.position_of(e.id) for e in events] == list(range(1, len(log) + 1))
    assert [log[n] for n in range(1, len(log) + 1)] == events


@given(event_logs(min_size=1, max_size=MAX_LOG))
def test_negative_positions_count_from_the_end(log: EventLog) -> None:
    """Position -1 is the last event and -n the first."""
    assert log[-1] == list(log)[-1]
    assert log[-len(log)] == log[1]


@given(event_logs(max_size=MAX_LOG))
def test_positions_outside_the_log_raise(log: EventLog) -> None:
    """Position 0 and positions past either end raise IndexError."""
    for position in (0, len(log) + 1, -len(log) - 1):
        with pytest.raises(IndexError):
            log[position]


@given(event_logs(max_size=MAX_LOG), st.data())
def test_read_from_a_position(log: EventLog, data: st.DataObject) -> None:
    """read(start) gives the events from position start on; past the end, nothing."""
    start = data.draw(st.integers(1, len(log) + 2))
    assert list(log.read(start)) == list(log)[start - 1 :]
    assert list(log.read()) == list(log)


@pytest.mark.parametrize("start", [0, -1])
def test_read_before_the_first_position_raises(start: int) -> None:
    """Positions start at 1, so read(0) raises ValueError."""
    with pytest.raises(ValueError, match="positions start at 1"):
        list(EventLog([_statement("a")]).read(start))


@given(event_logs(max_size=MAX_LOG), ids())
def test_get_and_contains(log: EventLog, other: str) -> None:
    """get, position_of and 'in' find every event by id, and nothing else."""
    for event in log:
        assert log.get(event.id) == event
        assert event.id in log
    if all(e.id != other for e in log):
        assert log.get(other) is None
        assert log.position_of(other) is None
        assert other not in log
    assert 7 not in log


@given(event_logs(max_size=MAX_LOG))
def test_log_equals_a_log_of_the_same_events(log: EventLog) -> None:
    """Logs compare by their events, in order, and are not hashable."""
    assert EventLog(list(log)) == log
    assert EventLog(list(log)[:-1]) != log or len(log) == 0
    assert log != list(log)
    with pytest.raises(TypeError):
        hash(log)


# -- appending ----------------------------------------------------------------------------------


@given(event_logs(max_size=MAX_LOG), st.data())
def test_append_returns_a_new_log_and_leaves_the_old_one(log: EventLog, data: st.DataObject) -> None:
    """Appending the rest of a log to its prefix gives the whole log; the prefix is unchanged."""
    events = list(log)
    k = data.draw(st.integers(0, len(events)))
    prefix = EventLog(events[:k])
    grown = prefix.extend(events[k:])
    assert grown == log
    assert list(prefix) == events[:k]
    assert len(prefix) == k
    assert all(e.id not in prefix for e in events[k:])
    one_by_one = prefix
    for event in events[k:]:
        one_by_one = one_by_one.append(event)
    assert one_by_one == log


@given(event_logs(max_size=MAX_LOG), st.data())
def test_siblings_appended_to_one_parent_do_not_see_each_other(log: EventLog, data: st.DataObject) -> None:
    """Two logs appended to the same parent each hold only their own events (a fork)."""
    events = list(log)
    k = data.draw(st.integers(0, len(events)))
    parent = EventLog(events[:k])
    first = parent.extend(events[k:])
    newcomer = _statement(_fresh_id(log))
    second = parent.append(newcomer)
    assert list(first) == events
    assert list(second) == [*events[:k], newcomer]
    assert list(parent) == events[:k]
    assert newcomer.id not in first
    assert all(e.id not in second for e in events[k:])
    # An id the sibling used is free here, even with other content.
    if k < len(events):
        clash = _statement(events[k].id)
        assert parent.append(clash)[k + 1] == clash
    # Each branch grows on without disturbing the other.
    third = first.append(_statement(_fresh_id(log, "third")))
    assert list(second) == [*events[:k], newcomer]
    assert list(third)[: len(events)] == events


@given(event_logs(min_size=1, max_size=MAX_LOG), st.data())
def test_identical_retry_is_a_no_op(log: EventLog, data: st.DataObject) -> None:
    """Appending events the log already holds, unchanged, leaves the log as it is."""
    again = data.draw(st.lists(st.sampled_from(list(log)), min_size=1, max_size=3))
    retried = log.extend(again)
    assert retried == log
    assert len(retried) == len(log)


@given(event_logs(min_size=1, max_size=MAX_LOG), st.data())
def test_same_id_with_other_content_raises(log: EventLog, data: st.DataObject) -> None:
    """An event reusing an id with other content raises DuplicateEventError naming the id."""
    earlier = data.draw(st.sampled_from(list(log)))
    other = attrs.evolve(earlier, recorded=LATER)
    with pytest.raises(DuplicateEventError) as info:
        log.append(other)
    assert info.value.event_id == earlier.id
    assert info.value.field == "id"
    assert earlier.id in str(info.value)


@given(event_logs(max_size=MAX_LOG), st.data())
def test_defining_an_existing_key_raises(log: EventLog, data: st.DataObject) -> None:
    """Defining a deadline, agreement, proposal or ceasefire id again raises DuplicateKeyError."""
    definers = [e for e in log if defined_key(e) is not None]
    assume(definers)
    earlier = data.draw(st.sampled_from(definers))
    again = attrs.evolve(earlier, id=_fresh_id(log))
    with pytest.raises(DuplicateKeyError) as info:
        log.append(again)
    key = defined_key(earlier)
    assert key is not None
    (kind, value), field = key
    assert info.value.field == field
    assert info.value.event_id == again.id
    assert f"{kind} '{value}'" in info.value.reason


_REFERRERS: dict[str, Callable[[dict[str, Any], str], Event]] = {
    "deadline": lambda env, target: DeadlineMet(**env, deadline_id=target),
    "deadline-changed": lambda env, target: DeadlineChanged(**env, deadline_id=target, within_days=3),
    "deadline-withdrawn": lambda env, target: DeadlineWithdrawn(**env, deadline_id=target),
    "agreement": lambda env, target: PrisonersExchanged(
        **env, returned={Party("UKR"): 1}, agreement_id=target
    ),
    "remains": lambda env, target: RemainsRepatriated(**env, returned={Party("RUS"): 1}, agreement_id=target),
    "proposal": lambda env, target: TalksHeld(
        **env, parties=(Party("UKR"), Party("RUS")), venue="Istanbul", proposal_id=target
    ),
    "ceasefire": lambda env, target: CeasefireEnded(**env, ceasefire_id=target),
}
REFERRER_KINDS = sorted(_REFERRERS)


def _referrer(kind: str, target: str, event_id: str) -> Event:
    """An event of some kind that refers to ``target``."""
    envelope: dict[str, Any] = {"id": event_id, "occurred": PartialDate(2025, 7, 20), "recorded": RECORDED}
    return _REFERRERS[kind](envelope, target)


@given(event_logs(max_size=MAX_LOG), st.sampled_from(REFERRER_KINDS), ids())
def test_unknown_reference_raises_naming_the_id(log: EventLog, kind: str, target: str) -> None:
    """An event referring to an id no earlier event defines raises UnknownReferenceError."""
    event = _referrer(kind, target, _fresh_id(log))
    key = referenced_key(event)
    assert key is not None
    assume(key[0] not in {d[0] for e in log if (d := defined_key(e)) is not None})
    with pytest.raises(UnknownReferenceError) as info:
        log.append(event)
    assert info.value.field == key[1]
    assert f"'{target}'" in info.value.reason
    assert info.value.event_id == event.id


@given(event_logs(min_size=1, max_size=MAX_LOG), st.data())
def test_rejected_batch_leaves_the_log_unchanged(log: EventLog, data: st.DataObject) -> None:
    """A batch with one bad event appends nothing, not even the good events before it."""
    before = list(log)
    good = [_statement(_fresh_id(log, f"good{n}")) for n in range(data.draw(st.integers(0, 3)))]
    bad_kind = data.draw(st.sampled_from(["duplicate", "key", "reference"]))
    victim = data.draw(st.sampled_from(before))
    bad: Event
    if bad_kind == "duplicate":
        bad = attrs.evolve(victim, recorded=LATER)
    elif bad_kind == "key" and defined_key(victim) is not None:
        bad = attrs.evolve(victim, id=_fresh_id(log, "bad"))
    else:
        bad = _referrer("deadline", _fresh_id(log, "nowhere"), _fresh_id(log, "bad"))
    position = data.draw(st.integers(0, len(good)))
    batch = [*good[:position], bad, *good[position:]]
    with pytest.raises(LogError):
        log.extend(batch)
    assert list(log) == before
    assert len(log) == len(before)
    assert all(e.id not in log for e in good)
    assert list(log.extend(good))[len(before) :] == good


def test_batch_may_refer_to_what_it_defines_earlier() -> None:
    """Within a batch, an event may refer to a deadline defined before it, not after it."""
    log = EventLog().append(_statement("s"))
    defined = _deadline("d1", "set")
    met = _referrer("deadline", "d1", "met")
    assert list(log.extend([defined, met]))[1:] == [defined, met]
    with pytest.raises(UnknownReferenceError):
        log.extend([met, defined])


def test_batch_checks_its_own_duplicates() -> None:
    """A batch may repeat an event, which counts once, but not reuse its id for other content."""
    first = _statement("a")
    assert len(EventLog().extend([first, first])) == 1
    with pytest.raises(DuplicateEventError):
        EventLog().extend([first, attrs.evolve(first, summary="other")])
    with pytest.raises(DuplicateKeyError):
        EventLog().extend([_deadline("d1", "one"), _deadline("d1", "two")])


def test_constructor_checks_like_extend() -> None:
    """Building a log from events applies every check of extend."""
    with pytest.raises(UnknownReferenceError):
        EventLog([_referrer("ceasefire", "c1", "end")])
    assert len(EventLog(iter([_statement("a"), _statement("b")]))) == 2


def _deadline(deadline_id: str, event_id: str) -> DeadlineSet:
    """A deadline set with id ``deadline_id`` by the event ``event_id``."""
    return DeadlineSet(
        id=event_id,
        occurred=PartialDate(2025, 7, 14),
        recorded=RECORDED,
        deadline_id=deadline_id,
        issuer=Party("USA"),
        target=Party("RUS"),
        demand="a ceasefire",
        within_days=50,
    )


# -- a stateful test of branching logs against plain lists ---------------------------------------


class BranchingLogs(RuleBasedStateMachine):
    """Logs appended to from any earlier log, each checked against the list it should hold."""

    def __init__(self) -> None:
        super().__init__()
        self.branches: list[tuple[EventLog, list[Event]]] = [(EventLog(), [])]

    @rule(
        data=st.data(),
        event=statement_made(event_ids=st.sampled_from(["a", "b", "c", "d", "e", "f", "g"])),
    )
    def append(self, data: st.DataObject, event: StatementMade) -> None:
        """Append an event to some branch: new, a retry, or a clash."""
        log, model = data.draw(st.sampled_from(self.branches))
        earlier = next((e for e in model if e.id == event.id), None)
        if earlier is None:
            self.branches.append((log.append(event), [*model, event]))
        elif earlier == event:
            assert log.append(event) == log
        else:
            with pytest.raises(DuplicateEventError):
                log.append(event)

    @precondition(lambda self: any(model for _, model in self.branches))
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        """Append again an event a branch holds: nothing changes."""
        log, model = data.draw(st.sampled_from([b for b in self.branches if b[1]]))
        assert log.append(data.draw(st.sampled_from(model))) == log

    @invariant()
    def every_branch_holds_its_own_events(self) -> None:
        """Every branch still holds exactly the events of its list, at positions 1..n."""
        for log, model in self.branches:
            assert list(log) == model
            assert len(log) == len(model)
            assert [log.position_of(e.id) for e in model] == list(range(1, len(model) + 1))
            assert all(log.get(e.id) == e for e in model)


TestBranchingLogs = BranchingLogs.TestCase
TestBranchingLogs.settings = settings(stateful_step_count=20)
