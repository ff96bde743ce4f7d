"""The projections: pure, incremental folds of the log into views, and the rules of each view."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from negotiations.codec import dumps
from negotiations.domain.events import (
    AMENDMENT_TYPES,
    FACT_TYPES,
    AgreementExtended,
    AidPaused,
    AidResumed,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    PositionStated,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    SanctionsImposed,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    TermsProposed,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import InvalidValueError
from negotiations.log import EventLog
from negotiations.log.amendments import Amendments
from negotiations.projections import (
    AID,
    CONTACTS,
    DEADLINES,
    EXCHANGES,
    POSITIONS,
    PROJECTIONS,
    SANCTIONS,
    TALKS,
    TIMELINE,
    VIEW_NAMES,
    Deadlines,
    View,
    Views,
    _registered,
    _registry,
    counted,
    describe,
    project,
)
from negotiations.testing import days, event_logs

RECORDED = datetime(2025, 7, 20, 18, 0, tzinfo=UTC)
UKR, RUS, USA = Party("UKR"), Party("RUS"), Party("USA")

LOGS = event_logs(max_size=20).map(lambda log: EventLog(e for e in log if type(e) in FACT_TYPES))
"""Logs of facts only: the oracles here read events as they are. Retractions, corrections and
disputes have their own properties in test_time_and_truth.py."""
AS_OF = st.one_of(st.none(), days())


def _counted(log: Iterable[Event], as_of: date | None) -> list[Event]:
    """The events that count as of ``as_of``: facts whose earliest day (as corrected) is not
    after it, and every retraction, correction and dispute, which as_of does not cut.
    """
    events = list(log)
    amendments = Amendments(e for e in events if type(e) in AMENDMENT_TYPES)

    def day(event: Event) -> date:
        return (amendments.current(event) or event).occurred.earliest

    return [e for e in events if type(e) not in FACT_TYPES or as_of is None or day(e) <= as_of]


def _amends_nothing(events: Iterable[Event]) -> bool:
    """Whether no event of ``events`` retracts or corrects: a fold can go on from a view of the
    events before them only then (an amendment changes events already folded).
    """
    return not any(type(e) in AMENDMENT_TYPES for e in events)


def _when(event: Event) -> tuple[date, date, str]:
    return event.occurred.sort_key()


def _on(text: str) -> PartialDate:
    return PartialDate.parse(text)


def _env(event_id: str, occurred: str) -> dict[str, Any]:
    return {"id": event_id, "occurred": _on(occurred), "recorded": RECORDED}


# -- every view: incremental, deterministic, pure, as-of ----------------------------------------


# Each property of every view checks all of them on one drawn log, each view with draws of its
# own: drawing logs is the slow part, and a log serves every view as well as it serves one.


@given(log=LOGS, data=st.data())
def test_incremental_fold_equals_full_fold(log: EventLog, data: st.DataObject) -> None:
    """For each view, folding the first k events, then the rest from that view, equals folding
    all of them.
    """
    events = list(log)
    for name, projection in PROJECTIONS.items():
        k = data.draw(st.integers(0, len(log)), label=f"k for {name}")
        assume(_amends_nothing(log.read(k + 1)))
        as_of = data.draw(AS_OF, label=f"as_of for {name}")
        first = projection.fold(events[:k], as_of=as_of)
        rest = projection.fold(log.read(k + 1), as_of=as_of, start=first)
        assert rest == projection.fold(log, as_of=as_of), name


@given(log=LOGS, data=st.data())
def test_views_apply_continues_project(log: EventLog, data: st.DataObject) -> None:
    """Projecting the first k events, then applying the rest with Views.apply, equals
    projecting them all.
    """
    as_of = data.draw(days(), label="as_of")
    k = data.draw(st.integers(0, len(log)), label="k")
    assume(_amends_nothing(log.read(k + 1)))
    views = project(list(log)[:k], as_of=as_of)
    for event in log.read(k + 1):
        views = views.apply(event)
    assert views == project(log, as_of=as_of)


@given(LOGS)
def test_project_equals_each_projection(log: EventLog) -> None:
    """Projecting every view gives, for each, what its own fold gives, as of the same day."""
    views = project(log)
    for name, projection in PROJECTIONS.items():
        assert views.view(name) == projection.fold(log, as_of=views.as_of)


@given(LOGS)
def test_default_as_of_is_the_latest_earliest_day(log: EventLog) -> None:
    """Without as_of, views are as of the latest day any fact that counts may have started on."""
    expected = max((e.occurred.earliest for e in counted(log) if type(e) in FACT_TYPES), default=None)
    assert project(log).as_of == expected


def test_unknown_view_name_raises() -> None:
    """Asking Views for a view that does not exist raises KeyError naming the views."""
    with pytest.raises(KeyError, match="deadlines"):
        Views(as_of=None).view("weather")


SHIPPED = ("deadlines", "exchanges", "positions", "talks", "aid", "sanctions", "contacts", "timeline")
"""The views the library ships, in the order they are shown."""


def test_the_registry_is_the_view_fields_of_views() -> None:
    """PROJECTIONS, VIEW_NAMES and View are read from the fields of Views after as_of, known_at
    and citations, in their order, each field named after its projection and empty by default; the
    shipped views are among them, in the order they are shown.
    """
    names = [f.name for f in attrs.fields(Views)]
    assert names[:3] == ["as_of", "known_at", "citations"]
    assert tuple(names[3:]) == tuple(PROJECTIONS) == VIEW_NAMES
    assert [name for name in VIEW_NAMES if name in SHIPPED] == list(SHIPPED)
    empty = Views(as_of=None)
    for name, projection in PROJECTIONS.items():
        assert projection.name == name
        assert empty.view(name) is projection.empty
    assert get_args(View) == tuple(type(p.empty) for p in PROJECTIONS.values())


def test_a_views_field_named_other_than_its_projection_is_refused() -> None:
    """A field of Views that holds a projection under another name stops the registry with an
    error naming the field and the view.
    """

    @attrs.frozen(kw_only=True)
    class Misnamed(Views):
        due: Deadlines = _registered(DEADLINES)

    with pytest.raises(TypeError, match=r"Views\.due holds the 'deadlines' view"):
        _registry(Misnamed)


@given(log=LOGS, as_of=AS_OF)
def test_fold_is_deterministic(log: EventLog, as_of: date | None) -> None:
    """Folding the same events twice gives equal views, from a log or from a list, for each view."""
    events = list(log)
    for name, projection in PROJECTIONS.items():
        view = projection.fold(log, as_of=as_of)
        assert view == projection.fold(events, as_of=as_of), name
        assert view == projection.fold(log, as_of=as_of), name


@given(log=LOGS, data=st.data())
def test_fold_mutates_neither_log_nor_earlier_view(log: EventLog, data: st.DataObject) -> None:
    """Folding on from a view leaves that view, and the log, exactly as they were, for each view."""
    events, text = list(log), dumps(log)
    for name, projection in PROJECTIONS.items():
        k = data.draw(st.integers(0, len(log)), label=f"k for {name}")
        first = projection.fold(events[:k])
        first_again = projection.fold(events[:k])
        shown = repr(first)
        projection.fold(log.read(k + 1), start=first)
        for event in log.read(k + 1):
            projection.apply(first, event)
        assert first == first_again, name
        assert repr(first) == shown, name
    assert list(log) == events
    assert dumps(log) == text


@given(log=LOGS, as_of=days())
def test_as_of_counts_only_events_that_may_have_occurred(log: EventLog, as_of: date) -> None:
    """A fold as of a day equals a fold of just the events whose earliest day is not after it,
    for each view, alone or projected with the others.
    """
    counted = _counted(log, as_of)
    views = project(log, as_of=as_of)
    for name, projection in PROJECTIONS.items():
        expected = projection.fold(counted)
        assert projection.fold(log, as_of=as_of) == expected, name
        assert views.view(name) == expected, name


# -- deadlines ----------------------------------------------------------------------------------


DeadlineEvent = DeadlineSet | DeadlineChanged | DeadlineMet | DeadlineWithdrawn


def _own(log: Iterable[Event], deadline_id: str) -> list[DeadlineEvent]:
    """The events of one deadline, in log order."""
    kinds = (DeadlineSet, DeadlineChanged, DeadlineMet, DeadlineWithdrawn)
    return [e for e in log if isinstance(e, kinds) and e.deadline_id == deadline_id]


def _expected_status(own: list[DeadlineEvent], as_of: date) -> str | None:
    """The oracle: a deadline's status from its own events, or None before it is set."""
    counted = _counted(own, as_of)
    if not any(isinstance(e, DeadlineSet) for e in counted):
        return None
    for event in counted:
        if isinstance(event, DeadlineMet):
            return "met"
        if isinstance(event, DeadlineWithdrawn):
            return "withdrawn"
    due = [e.due_day for e in counted if isinstance(e, DeadlineSet | DeadlineChanged)][-1]
    return "lapsed" if as_of > due else "pending"


def _deadline_ids(log: EventLog) -> list[str]:
    return [e.deadline_id for e in log if isinstance(e, DeadlineSet)]


def _change_days(log: EventLog) -> set[date]:
    """The days around which any deadline's status may change: event days and due days."""
    out: set[date] = set()
    for event in log:
        out |= {event.occurred.earliest - timedelta(days=1), event.occurred.earliest}
        if isinstance(event, DeadlineSet | DeadlineChanged):
            out |= {event.due_day - timedelta(days=1), event.due_day}
    return out


@given(LOGS, days())
def test_deadline_status_follows_its_own_events(log: EventLog, as_of: date) -> None:
    """A deadline's status is met or withdrawn by its first closing event, else pending up to
    and on its last due day, and lapsed after it.
    """
    view = DEADLINES.fold(log, as_of=as_of)
    for deadline_id in _deadline_ids(log):
        deadline = view.by_id.get(deadline_id)
        expected = _expected_status(_own(log, deadline_id), as_of)
        assert (deadline.status(as_of) if deadline else None) == expected


@given(LOGS, days())
def test_unrelated_events_never_change_a_deadline(log: EventLog, as_of: date) -> None:
    """A deadline folded from the whole log equals one folded from its own events alone."""
    view = DEADLINES.fold(log, as_of=as_of)
    for deadline_id, deadline in view.by_id.items():
        alone = DEADLINES.fold(_own(log, deadline_id), as_of=as_of)
        assert alone.by_id[deadline_id] == deadline
        assert alone.by_id[deadline_id].status(as_of) == deadline.status(as_of)


@given(LOGS)
def test_status_changes_only_by_its_events_or_its_due_day_passing(log: EventLog) -> None:
    """From one day to the next a deadline changes only if one of its events counts from the new
    day; its status changes then, or when the old day was its due day.
    """
    days = sorted(_change_days(log))
    # One fold per day: a day's "after" is often the next day's "before".
    folds = {d: DEADLINES.fold(log, as_of=d) for d in {*days, *(d + timedelta(days=1) for d in days)}}
    own = {deadline_id: _own(log, deadline_id) for deadline_id in _deadline_ids(log)}
    for day in days:
        before, after = folds[day], folds[day + timedelta(days=1)]
        for deadline_id in _deadline_ids(log):
            new_today = any(e.occurred.earliest == day + timedelta(days=1) for e in own[deadline_id])
            old, new = before.by_id.get(deadline_id), after.by_id.get(deadline_id)
            if new_today:
                continue
            assert old == new
            if old is not None and new is not None:
                changed = old.status(day) != new.status(day + timedelta(days=1))
                assert changed == (old.closure is None and old.due == day)


def _ultimatum(**changes: Any) -> list[Event]:  # noqa: ANN401 - event fields
    """A 50-day deadline set on 14 July 2025, so due on 2 September."""
    fields: dict[str, Any] = {
        **_env("set", "2025-07-14"),
        "deadline_id": "d1",
        "issuer": USA,
        "target": RUS,
        "demand": "a ceasefire",
        "within_days": 50,
    }
    return [DeadlineSet(**(fields | changes))]


def test_deadline_is_pending_on_its_due_day_and_lapsed_after() -> None:
    """A deadline within 50 days of 14 July is pending on 2 September and lapsed on 3 September."""
    view = DEADLINES.fold(_ultimatum())
    deadline = view.by_id["d1"]
    assert deadline.due == date(2025, 9, 2)
    assert deadline.status(date(2025, 9, 2)) == "pending"
    assert deadline.status(date(2025, 9, 3)) == "lapsed"
    assert deadline.days_left(date(2025, 8, 31)) == 2


def test_changed_met_and_withdrawn_deadlines() -> None:
    """A change moves the due day; the first of met or withdrawn closes the deadline for good."""
    log = [
        *_ultimatum(),
        DeadlineChanged(**_env("moved", "2025-07-28"), deadline_id="d1", within_days=12, reason="shortened"),
        DeadlineMet(**_env("met", "2025-08-05"), deadline_id="d1"),
        DeadlineWithdrawn(**_env("dropped", "2025-08-06"), deadline_id="d1"),
    ]
    assert DEADLINES.fold(log, as_of=date(2025, 8, 1)).by_id["d1"].due == date(2025, 8, 9)
    assert [c.due for c in DEADLINES.fold(log).by_id["d1"].history] == [date(2025, 9, 2), date(2025, 8, 9)]
    assert DEADLINES.fold(log, as_of=date(2025, 8, 4)).by_id["d1"].status(date(2025, 8, 4)) == "pending"
    assert DEADLINES.fold(log, as_of=date(2030, 1, 1)).by_id["d1"].status(date(2030, 1, 1)) == "met"


def test_a_change_after_a_deadline_was_met_is_kept_and_it_stays_met() -> None:
    """A due day moved after the deadline was met is kept in its history, as the record of what
    was said, and moves ``due``; the deadline stays met, and its closure is the met event.
    """
    log = [
        *_ultimatum(),
        DeadlineMet(**_env("met", "2025-08-05"), deadline_id="d1"),
        DeadlineChanged(**_env("moved", "2025-08-10"), deadline_id="d1", within_days=30, reason="late"),
    ]
    deadline = DEADLINES.fold(log).by_id["d1"]
    assert [c.event_id for c in deadline.history] == ["set", "moved"]
    assert deadline.due == date(2025, 9, 9)
    assert deadline.closure is not None
    assert (deadline.closure.status, deadline.closure.event_id) == ("met", "met")
    for day in (date(2025, 8, 5), date(2025, 8, 20), date(2025, 9, 10)):
        assert deadline.status(day) == "met", day


def test_a_deadline_due_past_the_last_day_is_refused_where_it_is_made() -> None:
    """A deadline whose due day would fall after 9999-12-31 is refused as it is built, naming
    ``within_days``, so that no log holds one that a fold could not date.
    """
    with pytest.raises(InvalidValueError) as caught:
        _ultimatum(within_days=3_000_000)
    assert caught.value.field == "within_days"
    assert "past the year 9999" in caught.value.reason


# -- exchanges ----------------------------------------------------------------------------------


def _sums(batches: Iterable[PrisonersExchanged | RemainsRepatriated]) -> dict[str, int]:
    out: dict[str, int] = {}
    for batch in batches:
        for party, n in batch.returned.items():
            out[party] = out.get(party, 0) + n
    return out


@given(LOGS, AS_OF)
def test_exchange_totals_are_the_sums_of_the_batches(log: EventLog, as_of: date | None) -> None:
    """Prisoners and remains returned to each party total the counted batches, view-wide and
    per agreement.
    """
    counted = _counted(log, as_of)
    view = EXCHANGES.fold(log, as_of=as_of)
    swaps = [e for e in counted if isinstance(e, PrisonersExchanged)]
    remains = [e for e in counted if isinstance(e, RemainsRepatriated)]
    assert dict(view.returned) == _sums(swaps)
    assert dict(view.remains_returned) == _sums(remains)
    assert [b.event_id for b in view.batches] == [e.id for e in sorted(swaps, key=_when)]
    assert [b.event_id for b in view.remains] == [e.id for e in sorted(remains, key=_when)]
    for agreement_id, agreement in view.agreements.items():
        under = [e for e in swaps if e.agreement_id == agreement_id]
        assert dict(agreement.returned) == _sums(under)
        assert dict(agreement.remains_returned) == _sums(e for e in remains if e.agreement_id == agreement_id)
        assert [b.event_id for b in agreement.batches] == [e.id for e in sorted(under, key=_when)]


def _agreed_numbers(agreed: PrisonerExchangeAgreed) -> dict[Party, int] | None:
    """What each party is to get back, read from the agreement's own fields (not from the view)."""
    if agreed.terms is not None:
        return dict(agreed.terms)
    if agreed.per_side is not None:
        return dict.fromkeys(agreed.parties, agreed.per_side)
    return None


@given(LOGS, AS_OF)
def test_agreement_status_rules(log: EventLog, as_of: date | None) -> None:
    """An agreement is complete once every party has its agreed number back, in progress once
    anyone is back, and pending before; one without numbers is never complete. The numbers
    agreed and returned are taken from the counted events themselves, not from the view.
    """
    counted = _counted(log, as_of)
    view = EXCHANGES.fold(log, as_of=as_of)
    agreements = {e.agreement_id: e for e in counted if isinstance(e, PrisonerExchangeAgreed)}
    assert set(view.agreements) == set(agreements)
    for agreement_id, agreed in agreements.items():
        owed = _agreed_numbers(agreed)
        back = _sums(
            e for e in counted if isinstance(e, PrisonersExchanged) and e.agreement_id == agreement_id
        )
        status = view.agreements[agreement_id].status
        assert view.agreements[agreement_id].owed == owed
        if owed is not None and all(back.get(party, 0) >= n for party, n in owed.items()):
            assert status == "complete", agreement_id
        elif any(n > 0 for n in back.values()):
            assert status == "in-progress", agreement_id
        else:
            assert status == "pending", agreement_id


def test_agreement_progresses_batch_by_batch() -> None:
    """84 per side: pending, then in progress after one batch, complete after the second;
    remains do not count toward it.
    """
    agreed = PrisonerExchangeAgreed(
        **_env("agreed", "2025-06-02"), agreement_id="istanbul", parties=(UKR, RUS), per_side=84
    )
    first = PrisonersExchanged(
        **_env("b1", "2025-06-09"), returned={UKR: 42, RUS: 42}, agreement_id="istanbul"
    )
    bodies = RemainsRepatriated(**_env("r1", "2025-06-11"), returned={UKR: 1212}, agreement_id="istanbul")
    second = PrisonersExchanged(
        **_env("b2", "2025-06-14"), returned={UKR: 42, RUS: 42}, agreement_id="istanbul"
    )
    events: list[Event] = [agreed, first, bodies, second]
    statuses = [EXCHANGES.fold(events[:n]).agreements["istanbul"].status for n in (1, 2, 3, 4)]
    assert statuses == ["pending", "in-progress", "in-progress", "complete"]
    view = EXCHANGES.fold(events)
    assert dict(view.returned) == {"UKR": 84, "RUS": 84}
    assert dict(view.remains_returned) == {"UKR": 1212}


@given(
    st.one_of(st.integers(1, 40), st.tuples(st.integers(0, 40), st.integers(0, 40))),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=4),
)
def test_an_agreement_is_complete_only_when_each_party_has_its_number(
    agreed: int | tuple[int, int], batches: list[tuple[int, int]]
) -> None:
    """Drawn so that one side often has its number back and the other not: complete needs both,
    whether the numbers are per side or unequal terms; in progress needs anyone back.
    """
    numbers = (
        {UKR: agreed, RUS: agreed} if isinstance(agreed, int) else dict(zip((UKR, RUS), agreed, strict=True))
    )
    terms: dict[str, Any] = {"per_side": agreed} if isinstance(agreed, int) else {"terms": numbers}
    events: list[Event] = [
        PrisonerExchangeAgreed(**_env("agreed", "2025-06-02"), agreement_id="a", parties=(UKR, RUS), **terms)
    ]
    for index, (ukr, rus) in enumerate(batches):
        returned = {party: n for party, n in ((UKR, ukr), (RUS, rus)) if n}
        if returned:
            events.append(
                PrisonersExchanged(**_env(f"b{index}", "2025-06-09"), returned=returned, agreement_id="a")
            )
    back = {UKR: sum(u for u, _ in batches), RUS: sum(r for _, r in batches)}
    expected = (
        "complete"
        if all(back[party] >= n for party, n in numbers.items())
        else "in-progress"
        if any(back.values())
        else "pending"
    )
    assert EXCHANGES.fold(events).agreements["a"].status == expected


def test_unequal_terms_need_each_party_s_number() -> None:
    """With terms of 10 to UKR and 20 to RUS, 10 each is not complete, 10 more to RUS is; an
    agreement without numbers stays in progress however many return.
    """
    agreed = PrisonerExchangeAgreed(
        **_env("agreed", "2025-06"), agreement_id="a", parties=(UKR, RUS), terms={UKR: 10, RUS: 20}
    )
    batch = PrisonersExchanged(**_env("b1", "2025-07"), returned={UKR: 10, RUS: 10}, agreement_id="a")
    more = PrisonersExchanged(**_env("b2", "2025-08"), returned={RUS: 10}, agreement_id="a")
    assert EXCHANGES.fold([agreed, batch]).agreements["a"].status == "in-progress"
    assert EXCHANGES.fold([agreed, batch, more]).agreements["a"].status == "complete"
    vague = PrisonerExchangeAgreed(**_env("vague", "2025-06"), agreement_id="v", parties=(UKR, RUS))
    swap = PrisonersExchanged(**_env("b3", "2025-07"), returned={UKR: 1000, RUS: 1000}, agreement_id="v")
    assert EXCHANGES.fold([vague, swap]).agreements["v"].status == "in-progress"


# -- positions ----------------------------------------------------------------------------------


@given(LOGS, AS_OF)
def test_current_stance_is_the_latest_by_date(log: EventLog, as_of: date | None) -> None:
    """Each party's current stance on an issue is its latest stated, by date; on a tie, the one
    later in the log; the history holds every stance in date order.
    """
    stated = [e for e in _counted(log, as_of) if isinstance(e, PositionStated)]
    view = POSITIONS.fold(log, as_of=as_of)
    pairs = {(e.party, e.issue) for e in stated}
    assert pairs == {(p, i) for p, issues in view.parties.items() for i in issues}
    for party, issue in pairs:
        own = [e for e in stated if (e.party, e.issue) == (party, issue)]
        position = view.get(party, issue)
        assert position is not None
        assert [s.event_id for s in position.history] == [e.id for e in sorted(own, key=_when)]
        latest = max(_when(e) for e in own)
        assert position.current.event_id == [e.id for e in own if _when(e) == latest][-1]


def test_an_older_stance_folded_later_does_not_replace_the_current_one() -> None:
    """A stance dated earlier but logged later goes into the history, not on top."""
    now = PositionStated(**_env("now", "2025-07-20"), party=RUS, issue="territory", stance="all four regions")
    old = PositionStated(**_env("old", "2022-09"), party=RUS, issue="territory", stance="annexed")
    position = POSITIONS.fold([now, old]).get("RUS", "territory")
    assert position is not None
    assert position.current.stance == "all four regions"
    assert [s.event_id for s in position.history] == ["old", "now"]
    assert POSITIONS.fold([now, old]).get("UKR", "territory") is None


# -- talks and ceasefires -----------------------------------------------------------------------


@given(LOGS, AS_OF)
def test_proposals_are_pending_until_talks_take_them_up(log: EventLog, as_of: date | None) -> None:
    """A proposal is taken up by the first talks held under its id; it is pending exactly when its
    status is (tests/test_agreements.py checks the whole rule of the status).
    """
    counted = _counted(log, as_of)
    view = TALKS.fold(log, as_of=as_of)
    proposed = {e.proposal_id for e in counted if isinstance(e, TalksProposed | TermsProposed)}
    assert set(view.proposals) == proposed
    for proposal_id, proposal in view.proposals.items():
        held = [e.id for e in counted if isinstance(e, TalksHeld) and e.proposal_id == proposal_id]
        assert proposal.held_in == (held[0] if held else None)
        if held:
            assert proposal.status in {"withdrawn", "taken-up"}
        assert proposal.pending == (proposal.status == "pending")
    pending = {p for p in proposed if view.proposals[p].status == "pending"}
    assert {p.proposal_id for p in view.pending_proposals()} == pending
    rounds = [e for e in counted if isinstance(e, TalksHeld)]
    assert [r.event_id for r in view.rounds] == [e.id for e in sorted(rounds, key=_when)]
    assert [(r.ends, r.level, r.hosts, r.mediators, r.persons) for r in view.rounds] == [
        (e.ends, e.level, e.hosts, e.mediators, e.delegations) for e in sorted(rounds, key=_when)
    ]


@given(LOGS, days())
def test_ceasefire_in_force(log: EventLog, as_of: date) -> None:
    """A ceasefire is in force from its start (or the day agreed) to its end day, the one of its
    last extension by day if any, unless ended.
    """
    counted = _counted(log, as_of)
    view = TALKS.fold(log, as_of=as_of)
    in_force = {c.ceasefire_id for c in view.ceasefires_in_force(as_of)}
    for event in counted:
        if isinstance(event, CeasefireAgreed):
            ended = any(
                isinstance(e, CeasefireEnded) and e.ceasefire_id == event.ceasefire_id for e in counted
            )
            extensions = [
                (e.occurred.earliest, n, e.ends_on)
                for n, e in enumerate(counted)
                if isinstance(e, AgreementExtended) and e.ceasefire_id == event.ceasefire_id
            ]
            ends = max(extensions)[2] if extensions else event.ends
            first = event.starts or event.occurred.earliest
            holds = not ended and first <= as_of and (ends is None or as_of <= ends)
            assert (event.ceasefire_id in in_force) == holds


def test_ceasefire_examples() -> None:
    """An energy truce holds from its start to its end day, and not after it is ended."""
    truce = CeasefireAgreed(
        **_env("truce", "2025-03-18"),
        ceasefire_id="energy",
        parties=(UKR, RUS),
        starts=date(2025, 3, 19),
        ends=date(2025, 4, 17),
    )
    ended = CeasefireEnded(**_env("ended", "2025-04-01"), ceasefire_id="energy", reason="strikes")
    view = TALKS.fold([truce])
    assert not view.ceasefires["energy"].in_force(date(2025, 3, 18))
    assert view.ceasefires["energy"].in_force(date(2025, 3, 19))
    assert view.ceasefires["energy"].in_force(date(2025, 4, 17))
    assert not view.ceasefires["energy"].in_force(date(2025, 4, 18))
    assert TALKS.fold([truce, ended], as_of=date(2025, 3, 31)).ceasefires_in_force(date(2025, 3, 31))
    assert not TALKS.fold([truce, ended], as_of=date(2025, 4, 1)).ceasefires_in_force(date(2025, 4, 1))


# -- aid, sanctions, contacts and the timeline --------------------------------------------------


@given(LOGS, AS_OF)
def test_aid_pause_is_active_until_resumed(log: EventLog, as_of: date | None) -> None:
    """A pause is active until a later resumption of the same donor, recipient and category."""
    counted = _counted(log, as_of)
    view = AID.fold(log, as_of=as_of)
    by_id = {p.event_id: p for p in view.pauses}
    still_paused = set()
    for n, event in enumerate(counted):
        if isinstance(event, AidPaused):
            key = (event.donor, event.recipient, event.category)
            resumed = [
                e
                for e in counted[n + 1 :]
                if isinstance(e, AidResumed) and (e.donor, e.recipient, e.category) == key
            ]
            pause = by_id[event.id]
            assert pause.active == (not resumed)
            assert pause.resumed == (resumed[0].occurred if resumed else None)
            if not resumed:
                still_paused.add(event.id)
    assert {p.event_id for p in view.active_pauses()} == still_paused


@given(LOGS, AS_OF)
def test_sanctions_and_tariffs_are_all_listed_by_date(log: EventLog, as_of: date | None) -> None:
    """Every counted sanctions package and tariff is in the view, in date order."""
    counted = _counted(log, as_of)
    view = SANCTIONS.fold(log, as_of=as_of)
    sanctions = sorted((e for e in counted if isinstance(e, SanctionsImposed)), key=_when)
    tariffs = sorted((e for e in counted if isinstance(e, TariffsImposed)), key=_when)
    assert [s.event_id for s in view.sanctions] == [e.id for e in sanctions]
    assert [(t.event_id, t.rate_percent) for t in view.tariffs] == [(e.id, e.rate_percent) for e in tariffs]


@given(LOGS, AS_OF)
def test_contacts_hold_every_call_and_round_of_talks(log: EventLog, as_of: date | None) -> None:
    """Every counted call and round of talks is a contact, in date order, with its parties; a
    round with its ends, level, hosts, mediators and delegations.
    """
    counted = [e for e in _counted(log, as_of) if isinstance(e, CallHeld | TalksHeld)]
    view = CONTACTS.fold(log, as_of=as_of)
    assert [(c.event_id, c.parties) for c in view.contacts] == [
        (e.id, e.parties) for e in sorted(counted, key=_when)
    ]
    for contact, event in zip(view.contacts, sorted(counted, key=_when), strict=True):
        assert contact.kind == ("call" if isinstance(event, CallHeld) else "talks")
        if isinstance(event, TalksHeld):  # a round's delegations are its persons
            talks = (event.ends, event.level, event.hosts, event.mediators, event.delegations)
            assert (contact.ends, contact.level, contact.hosts, contact.mediators, contact.persons) == talks
    for contact in view.contacts:
        first, second = contact.parties[:2]
        assert contact in view.between(first, second)
        assert contact in view.between(second, first)


@given(LOGS, AS_OF)
def test_timeline_has_one_entry_per_counted_event_by_date(log: EventLog, as_of: date | None) -> None:
    """The timeline holds each counted event once, sorted by date, ties in log order, and the
    views summarise each as it was counted.
    """
    counted = sorted(_counted(log, as_of), key=_when)
    entries = TIMELINE.fold(log, as_of=as_of).entries
    assert [e.event_id for e in entries] == [e.id for e in counted]
    assert [e.type for e in entries] == [e.wire_type for e in counted]
    views = project(log, as_of=as_of)
    assert [views.summary_of(e.event_id) for e in entries] == [describe(e) for e in counted]
    assert all(a.occurred.sort_key() <= b.occurred.sort_key() for a, b in itertools.pairwise(entries))


# -- targeted properties: drawn to reach the cases a planted bug of each kind would get wrong ----


@given(st.lists(st.tuples(st.integers(0, 6), st.booleans()), min_size=1, max_size=8))
def test_the_current_stance_is_the_latest_by_date_whatever_the_log_order(
    stances: list[tuple[int, bool]],
) -> None:
    """Stances of one party on one issue, dated within a week in any log order, with ties: the
    current one is the latest by date, the later in the log among those of that day.
    """
    first = date(2025, 7, 1)
    events = [
        PositionStated(
            **_env(f"s{index}", (first + timedelta(offset)).isoformat()),
            party=RUS,
            issue="territory",
            stance=f"stance {index}",
            demands=("more",) if wide else (),
        )
        for index, (offset, wide) in enumerate(stances)
    ]
    latest = max(range(len(stances)), key=lambda index: (stances[index][0], index))
    position = POSITIONS.fold(events).get("RUS", "territory")
    assert position is not None
    assert position.current.event_id == f"s{latest}"
    assert [s.event_id for s in position.history] == [
        f"s{index}" for index in sorted(range(len(stances)), key=lambda index: (stances[index][0], index))
    ]


_FLOWS = st.tuples(st.sampled_from([USA, Party("EU")]), st.sampled_from(["military", "financial"]))


@given(st.lists(st.tuples(st.booleans(), _FLOWS), min_size=1, max_size=10))
def test_a_resumption_ends_exactly_the_pauses_of_its_flow_before_it(steps: list[tuple[bool, Any]]) -> None:
    """Pauses and resumptions of aid from two donors in two categories, interleaved: each pause
    is ended by the first resumption after it of the same donor, recipient and category, and by
    no other.
    """
    events: list[Event] = []
    expected: dict[str, str | None] = {}
    open_pauses: dict[tuple[Party, str], list[str]] = {}
    for index, (pause, (donor, category)) in enumerate(steps):
        fields = {**_env(f"e{index}", "2025-07-01"), "donor": donor, "recipient": UKR, "category": category}
        if pause:
            events.append(AidPaused(**fields))
            expected[f"e{index}"] = None
            open_pauses.setdefault((donor, category), []).append(f"e{index}")
        else:
            events.append(AidResumed(**fields))
            for paused in open_pauses.pop((donor, category), []):
                expected[paused] = f"e{index}"
    view = AID.fold(events)
    ended = {p.event_id: None if p.resumed_by is None else p.resumed_by.event_id for p in view.pauses}
    assert ended == expected
    assert {p.event_id for p in view.active_pauses()} == {e for e, by in expected.items() if by is None}


@given(st.integers(1, 60), st.one_of(st.sampled_from([-1, 0, 1]), st.integers(-40, 40)))
def test_a_deadline_is_pending_through_its_due_day_and_lapsed_after(within: int, offset: int) -> None:
    """Drawn around the due day: a deadline of ``within`` days is pending up to and on its due
    day, and lapsed from the day after, with the days left counting down to 0 on the due day.
    """
    set_on = date(2025, 7, 14)
    due = set_on + timedelta(within)
    day = due + timedelta(offset)  # the due day itself and its neighbours, drawn often
    deadline = DEADLINES.fold(_ultimatum(within_days=within)).by_id["d1"]
    assert deadline.due == due
    assert deadline.status(day) == ("pending" if day <= due else "lapsed")
    if day <= due:
        assert deadline.days_left(day) == (due - day).days
