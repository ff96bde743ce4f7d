"""Valid time and record time, retractions, corrections and disputes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from attrs import evolve
from hypothesis import assume, given, reject
from hypothesis import strategies as st

from negotiations import testing
from negotiations.cli import main
from negotiations.codec import dumps, to_json
from negotiations.domain.events import (
    AMENDMENT_TYPES,
    FACT_TYPES,
    AgreementReached,
    CommitmentMet,
    DeadlineChanged,
    DeadlineSet,
    Event,
    EventCorrected,
    EventRetracted,
    MeasureChanged,
    MeasureSuspended,
    PrisonersExchanged,
    ProposalAnswered,
    RemainsRepatriated,
    ReportDisputed,
    TalksProposed,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import PartialDate, Party, Source
from negotiations.errors import (
    DecodeError,
    InvalidAmendmentError,
    InvalidValueError,
    RefoldRequiredError,
    UnknownReferenceError,
)
from negotiations.log import EventLog
from negotiations.log.amendments import Amendments
from negotiations.projections import Views, project
from negotiations.seed import seed_timeline
from negotiations.services import ProjectionRunner
from negotiations.stores import MemoryStore

DAY = PartialDate.parse("2025-07-21")
UKR = Party("UKR")
LATER = datetime(2025, 7, 21, 9, tzinfo=UTC)


_UNAMENDED_LOGS = testing.event_logs(max_size=15).map(
    lambda log: EventLog(e for e in log if type(e) not in AMENDMENT_TYPES)
)
"""Logs without retractions or corrections (disputes kept): the amendments of a generated log
taken out, rather than logs that have some rejected."""


def _retraction(target: str, *, event_id: str = "r1", recorded: datetime = LATER) -> EventRetracted:
    return EventRetracted(id=event_id, occurred=DAY, recorded=recorded, target=target, reason="misreported")


def _correction(target: str, changes: dict[str, object], *, event_id: str = "c1") -> EventCorrected:
    return EventCorrected(id=event_id, occurred=DAY, recorded=LATER, target=target, changes=changes)


def _facts(log: EventLog) -> list[Event]:
    amendments = Amendments(log.amendments())
    return [e for e in log if type(e) in FACT_TYPES and e.id not in amendments.retracted]


# -- record time -------------------------------------------------------------------------------


@given(testing.event_logs(min_size=1, max_size=15), st.data())
def test_known_at_an_events_recording_is_the_log_cut_there(log: EventLog, data: st.DataObject) -> None:
    """Views known at an event's recorded time equal views of the log cut after it (and after
    any event recorded at the same moment).
    """
    events = list(log)
    index = data.draw(st.integers(0, len(events) - 1))
    moment = events[index].recorded
    cut = [e for e in events if e.recorded <= moment]
    assert cut == events[: len(cut)]  # recorded times never go back along a generated log
    known = project(log, known_at=moment)
    assert known == evolve(project(EventLog(cut)), known_at=moment)


@given(testing.event_logs(max_size=15))
def test_known_at_the_last_recording_is_everything(log: EventLog) -> None:
    """Known at or after the last recorded time, views equal views with no record-time cut."""
    last = max((e.recorded for e in log), default=LATER)
    assert evolve(project(log, known_at=last), known_at=None) == project(log)


def test_seed_known_on_july_15_differs_from_known_on_july_20() -> None:
    """On 2025-07-15 the 50-day ultimatum was known but not the EU sanctions of July 18 nor
    Ukraine's proposal of July 19; by the end of July 20 all of them were.
    """
    log = seed_timeline()
    july_15 = project(log, known_at=datetime(2025, 7, 15, 23, 59, tzinfo=UTC))
    july_20 = project(log, known_at=datetime(2025, 7, 20, 23, 59, tzinfo=UTC))
    assert july_15.deadlines.by_id["us-ceasefire-ultimatum"].due == date(2025, 9, 2)
    assert july_15.sanctions.sanctions == ()
    assert july_15.talks.proposals == {}
    assert july_15.as_of == date(2025, 7, 14)
    assert len(july_15.timeline.entries) == 4
    assert [p.event_id for p in july_20.sanctions.sanctions] == ["eu-sanctions-rus-2025-07-18"]
    assert set(july_20.talks.proposals) == {"ukr-new-round-2025-07", "ukr-leaders-meeting-2025-07"}
    assert len(july_20.timeline.entries) == 19
    assert july_20.as_of == date(2025, 7, 20)


def test_valid_and_record_time_combine() -> None:
    """As of July 14 but known on July 20, the June talks show and the July 18 sanctions do
    not; known on July 15, the June talks do not show either.
    """
    log = seed_timeline()
    both = project(log, as_of=date(2025, 7, 14), known_at=datetime(2025, 7, 20, 23, tzinfo=UTC))
    assert any(r.event_id == "ru-ua-talks-round-2-2025-06" for r in both.talks.rounds)
    assert both.sanctions.sanctions == ()
    early = project(log, as_of=date(2025, 7, 14), known_at=datetime(2025, 7, 15, tzinfo=UTC))
    assert early.talks.rounds == ()


# -- retractions ---------------------------------------------------------------------------------


@given(testing.event_logs(min_size=1, max_size=15), st.data())
def test_retracting_an_event_folds_as_if_it_never_happened(log: EventLog, data: st.DataObject) -> None:
    """Folding a log with a retraction appended equals folding the log without the target."""
    facts = _facts(log)
    assume(facts)
    target = data.draw(st.sampled_from(facts))
    last = max(e.recorded for e in log)
    retracted = log.append(_retraction(target.id, event_id="retraction-under-test", recorded=last))
    without = [e for e in log if e is not target]
    assert project(retracted) == project(without)


@given(testing.event_logs(min_size=1, max_size=15), st.data())
def test_before_a_retraction_is_recorded_the_old_belief_stands(log: EventLog, data: st.DataObject) -> None:
    """Known at a moment before the retraction was recorded, views show the retracted event."""
    facts = _facts(log)
    assume(facts)
    target = data.draw(st.sampled_from(facts))
    last = max(e.recorded for e in log)
    retracted = log.append(
        _retraction(target.id, event_id="retraction-under-test", recorded=last + timedelta(1))
    )
    assert project(retracted, known_at=last) == project(log, known_at=last)


# -- corrections ---------------------------------------------------------------------------------


_KEPT_BY_A_CORRECTION = {
    "id",
    "recorded",
    "deadline_id",
    "agreement_id",
    "proposal_id",
    "ceasefire_id",
    "measure_id",
}
"""Fields a correction in this test leaves alone: the envelope's identity and the ids other events
define or refer to, so that the corrected log stays valid."""
_KEPT_OF_A_KIND: dict[type[Event], set[str]] = {
    TermsProposed: {"proposer", "to", "co_proposers"},
    TalksProposed: {"proposer", "counterpart"},
    ProposalAnswered: {"party", "counter_proposal_id"},
    AgreementReached: {"parties", "terms", "mediators", "guarantors"},
    CommitmentMet: {"term_id"},
    ViolationReported: {"term_id"},
    MeasureChanged: {"rate_percent", "measures"},
    MeasureSuspended: {"rate_percent"},
}
"""What a correction in this test also leaves alone of some kinds: the addressees, answering
parties and terms that other events rely on, which the log forbids a correction to take away, and
a measure's rate or list of measures, which only one kind of measure takes."""


@given(testing.event_logs(min_size=1, max_size=15), st.data())
def test_a_correction_folds_as_the_log_with_the_target_replaced(log: EventLog, data: st.DataObject) -> None:
    """Folding a log with a correction appended equals folding the log with its target replaced
    by the corrected event, which the test makes itself with ``attrs.evolve`` from a fresh event
    of the same kind, not by the library's own way of applying changes.
    """
    amendments = Amendments(log.amendments())
    facts = [e for e in _facts(log) if e.id not in amendments.corrections]
    assume(facts)
    target = data.draw(st.sampled_from(facts))
    other = data.draw(st.from_type(type(target)))
    kept = _KEPT_BY_A_CORRECTION | _KEPT_OF_A_KIND.get(type(target), set())
    names = sorted(a.name for a in attrs.fields(type(target)) if a.name not in kept)
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    try:
        fixed = evolve(target, **{name: getattr(other, name) for name in chosen})
    except InvalidValueError:  # these fields alone break a rule between fields: change them all
        chosen = names
        try:
            fixed = evolve(target, **{name: getattr(other, name) for name in chosen})
        except InvalidValueError:  # a change of a measure with its kept rate left nothing to change
            reject()
    wire = to_json(other)
    empty_lists = {a.name: a.default == () for a in attrs.fields(type(other))}
    fix = EventCorrected(
        id="correction-under-test",
        occurred=other.occurred,
        recorded=max(e.recorded for e in log),
        target=target.id,
        # Absent in ``other``: its default, in JSON (null, or a list left out when empty).
        changes={name: wire.get(name, [] if empty_lists.get(name) else None) for name in chosen},
    )
    replaced = [fixed if e is target else e for e in log]
    assert project(log.append(fix)) == project(replaced)


def test_corrections_of_one_fact_apply_in_order() -> None:
    """A correction of a correction applies after it: the last one wins where both change a field."""
    log = seed_timeline().append(
        _correction("us-ceasefire-ultimatum-2025-07-14", {"within_days": 10}),
        _correction("c1", {"within_days": 12, "consequence": "tariffs"}, event_id="c2"),
    )
    deadline = project(log).deadlines.by_id["us-ceasefire-ultimatum"]
    assert deadline.due == date(2025, 7, 26)
    assert deadline.consequence == "tariffs"
    before = project(log, known_at=LATER - timedelta(hours=1)).deadlines.by_id["us-ceasefire-ultimatum"]
    assert before.due == date(2025, 9, 2)


def test_a_correction_is_checked_as_the_target_kind() -> None:
    """A correction whose result is not a valid event of the target's kind is rejected, naming
    the field within ``changes``, and the log is unchanged.
    """
    log = seed_timeline()
    bad = _correction("us-ceasefire-ultimatum-2025-07-14", {"within_days": -3})
    with pytest.raises(InvalidAmendmentError) as caught:
        log.append(bad)
    assert caught.value.field == "changes.within_days"
    assert "negative" in str(caught.value)
    both = _correction("us-ceasefire-ultimatum-2025-07-14", {"due": "2025-09-01"})
    with pytest.raises(InvalidAmendmentError, match="exactly one of 'due' or 'within_days'"):
        log.append(both)
    unknown = _correction("us-ceasefire-ultimatum-2025-07-14", {"colour": "red"})
    with pytest.raises(InvalidAmendmentError, match="not a field of DeadlineSet"):
        log.append(unknown)
    assert len(log) == len(seed_timeline())


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"deadline_id": "other"}, "changes.deadline_id"), ({"id": "x"}, "changes")],
)
def test_a_correction_cannot_change_what_others_rely_on(changes: dict[str, object], field: str) -> None:
    """Ids, and the deadline, agreement, proposal and ceasefire ids other events refer to, are
    not correctable.
    """
    with pytest.raises((InvalidAmendmentError, DecodeError, ValueError)) as caught:
        seed_timeline().append(_correction("us-ceasefire-ultimatum-2025-07-14", changes))
    assert getattr(caught.value, "field", None) == field


# -- what cannot be amended --------------------------------------------------------------------------


def test_amending_an_unknown_id_is_rejected() -> None:
    """A retraction or correction of an id the log does not hold raises UnknownReferenceError."""
    log = seed_timeline()
    with pytest.raises(UnknownReferenceError, match="unknown event 'nope'"):
        log.append(_retraction("nope"))
    with pytest.raises(UnknownReferenceError, match="unknown event 'nope'"):
        log.append(_correction("nope", {"reason": "x"}))


def test_amending_a_retraction_or_a_retracted_event_is_rejected() -> None:
    """A retraction cannot be retracted or corrected, and a retracted event cannot be retracted
    again or corrected.
    """
    log = seed_timeline().append(_retraction("eu-sanctions-rus-2025-07-18"))
    cases: list[Event] = [
        _retraction("r1", event_id="r2"),
        _correction("r1", {"reason": "x"}, event_id="c2"),
        _retraction("eu-sanctions-rus-2025-07-18", event_id="r3"),
        _correction("eu-sanctions-rus-2025-07-18", {"package": "18th"}, event_id="c3"),
    ]
    for case in cases:
        with pytest.raises(InvalidAmendmentError) as caught:
            log.append(case)
        assert caught.value.field == "target"
        assert caught.value.event_id == case.id
    assert len(log) == len(seed_timeline()) + 1


def test_a_correction_cannot_be_retracted() -> None:
    """Retracting a correction is rejected with advice to correct the fact again."""
    log = seed_timeline().append(_correction("us-ceasefire-ultimatum-2025-07-14", {"within_days": 10}))
    with pytest.raises(InvalidAmendmentError, match="correct 'us-ceasefire-ultimatum-2025-07-14' again"):
        log.append(_retraction("c1"))


def test_views_apply_refuses_amendments() -> None:
    """A one-step view update refuses a retraction or correction, which needs a refold."""
    views = project(seed_timeline())
    with pytest.raises(RefoldRequiredError, match="fold the log again"):
        views.apply(_retraction("eu-sanctions-rus-2025-07-18"))


@given(testing.event_logs(max_size=15))
def test_the_log_keeps_every_amendment(log: EventLog) -> None:
    """Amendments are appended like any event: the log itself is never edited."""
    again = EventLog(list(log))
    assert list(again) == list(log)
    assert again.amendments() == [e for e in log if isinstance(e, EventRetracted | EventCorrected)]


@given(testing.event_logs(max_size=15))
def test_the_runner_gives_what_a_fold_gives(log: EventLog) -> None:
    """A projection runner over a store holding the log, amendments and all, ends with the
    views a fold of the log gives.
    """
    store = MemoryStore()
    runner = ProjectionRunner(store, stream="s")
    half = len(log) // 2
    events = list(log)
    if half:
        store.append("s", events[:half])
        runner.catch_up()
    if events[half:]:
        store.append("s", events[half:])
    runner.catch_up()
    views = project(log)
    for name, view in runner.views.items():
        assert view == views.view(name), name


# -- disputes ------------------------------------------------------------------------------------------


_UKR = Source(outlet="Ukrinform")
_RUS = Source(outlet="TASS")


def _remains(event_id: str, n: int, source: Source) -> RemainsRepatriated:
    return RemainsRepatriated(
        id=event_id,
        occurred=PartialDate.parse("2025-06-16"),
        recorded=datetime(2025, 6, 16, 18, tzinfo=UTC),
        sources=(source,),
        returned={UKR: n},
    )


def _disputed_log() -> EventLog:
    dispute = ReportDisputed(
        id="bodies-dispute",
        occurred=PartialDate.parse("2025-06-17"),
        recorded=datetime(2025, 6, 17, 9, tzinfo=UTC),
        claims=("ukr-count", "rus-count"),
        subject="bodies returned to Ukraine",
    )
    return EventLog([_remains("ukr-count", 6057, _UKR), _remains("rus-count", 6060, _RUS), dispute])


def test_a_disputed_count_shows_both_claims_and_counts_the_lowest() -> None:
    """Ukraine counted 6,057 bodies and Russia 6,060: the view keeps one batch with both claims
    and their sources, and the total counts 6,057, the number both agree on.
    """
    views = project(_disputed_log())
    exchanges = views.exchanges
    (batch,) = exchanges.remains
    assert batch.disputed
    assert [(c.event_id, c.returned[UKR], views.sources_of(c.event_id)) for c in batch.claims] == [
        ("ukr-count", 6057, (_UKR,)),
        ("rus-count", 6060, (_RUS,)),
    ]
    assert batch.returned[UKR] == 6057
    assert batch.high[UKR] == 6060
    assert exchanges.remains_returned[UKR] == 6057
    assert [e.event_id for e in batch.provenance] == ["ukr-count", "rus-count", "bodies-dispute"]


def test_before_the_dispute_was_recorded_both_claims_counted() -> None:
    """Known before the dispute, the two reports were two batches: the old belief is kept."""
    exchanges = project(_disputed_log(), known_at=datetime(2025, 6, 16, 23, tzinfo=UTC)).exchanges
    assert len(exchanges.remains) == 2
    assert exchanges.remains_returned[UKR] == 6057 + 6060


def test_the_timeline_marks_disputed_entries() -> None:
    """Both claims stay on the timeline, each marked with the dispute; the dispute adds no entry."""
    entries = project(_disputed_log()).timeline.entries
    assert [(e.event_id, e.disputed_by and e.disputed_by.event_id) for e in entries] == [
        ("ukr-count", "bodies-dispute"),
        ("rus-count", "bodies-dispute"),
    ]


def test_claims_of_different_kinds_are_rejected() -> None:
    """A dispute must join reports of one kind, and only ids the log holds."""
    log = seed_timeline()
    mixed = ReportDisputed(
        id="d",
        occurred=DAY,
        recorded=LATER,
        claims=("us-ceasefire-ultimatum-2025-07-14", "eu-sanctions-rus-2025-07-18"),
    )
    with pytest.raises(InvalidAmendmentError, match="one kind"):
        log.append(mixed)
    with pytest.raises(UnknownReferenceError) as caught:
        log.append(evolve(mixed, claims=("us-ceasefire-ultimatum-2025-07-14", "nope")))
    assert caught.value.field == "claims.1"


@given(
    st.lists(st.integers(0, 10_000), min_size=2, max_size=4),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=3),
)
def test_disputed_totals_count_each_batch_once_at_its_lowest(claims: list[int], others: list[int]) -> None:
    """With a dispute over some batches, the total is the other batches plus the lowest claim."""
    day = PartialDate.parse("2025-06-01")
    when = datetime(2025, 6, 1, tzinfo=UTC)
    disputed = [
        PrisonersExchanged(id=f"claim-{n}", occurred=day, recorded=when, returned={UKR: c})
        for n, c in enumerate(claims)
    ]
    plain = [
        PrisonersExchanged(id=f"batch-{n}", occurred=day, recorded=when, returned={UKR: c})
        for n, c in enumerate(others)
    ]
    dispute = ReportDisputed(id="d", occurred=day, recorded=when, claims=tuple(e.id for e in disputed))
    exchanges = project(EventLog([*plain, *disputed, dispute])).exchanges
    assert exchanges.returned[UKR] == sum(others) + min(claims)
    assert sum(1 for b in exchanges.batches if b.disputed) == 1


@given(_UNAMENDED_LOGS)
def test_one_step_updates_equal_a_fold_without_amendments(log: EventLog) -> None:
    """Folding event by event with Views.apply equals project() for logs with no amendments
    (disputes included).
    """
    views = Views(as_of=None)
    for event in log:
        views = views.apply(event)
    expected = project(log)
    assert evolve(views, as_of=expected.as_of) == expected


def test_deadline_changes_by_a_retracted_set_are_passed_over() -> None:
    """When the event that set a deadline is retracted, later changes to it are passed over."""
    log = seed_timeline().append(
        DeadlineChanged(
            id="moved",
            occurred=PartialDate.parse("2025-07-28"),
            recorded=datetime(2025, 7, 28, tzinfo=UTC),
            deadline_id="us-ceasefire-ultimatum",
            within_days=12,
        ),
        _retraction("us-ceasefire-ultimatum-2025-07-14", recorded=datetime(2025, 7, 29, tzinfo=UTC)),
    )
    assert project(log).deadlines.by_id == {}
    assert isinstance(log.get("us-ceasefire-ultimatum-2025-07-14"), DeadlineSet)


# -- the command line --------------------------------------------------------------------------------


def test_show_known_at_prints_what_was_known(capsys: pytest.CaptureFixture[str]) -> None:
    """``show --known-at 2025-07-15`` leaves out the sanctions of July 18 and says when it is
    known at; without it they show.
    """
    assert main(["show", "--view", "sanctions", "--known-at", "2025-07-15", "--json"]) == 0
    early = json.loads(capsys.readouterr().out)
    assert early["known_at"] == "2025-07-15T23:59:59.999999+00:00"
    assert early["sanctions"]["sanctions"] == []
    assert main(["show", "--view", "sanctions", "--known-at", "2025-07-19T00:00:00Z"]) == 0
    text = capsys.readouterr().out
    assert "as known at 2025-07-19T00:00:00+00:00" in text
    assert "EU" in text


def test_show_rejects_a_bad_known_at(capsys: pytest.CaptureFixture[str]) -> None:
    """A --known-at that is neither a day nor a datetime with an offset is one line, exit 2."""
    assert main(["show", "--known-at", "2025-07-15T12:00"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--known-at" in err
    assert "UTC offset" in err


def test_show_prints_a_disputed_batch_with_its_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``show`` prints a disputed batch as its range, with each claim and its source."""
    log = tmp_path / "disputed.jsonl"
    log.write_text(dumps(_disputed_log()), encoding="utf-8")
    assert main(["show", str(log), "--view", "exchanges", "--width", "120"]) == 0
    out = capsys.readouterr().out
    assert "UKR 6057-6060 (disputed: UKR 6057 per Ukrinform; UKR 6060 per TASS)" in out
    assert "Remains returned in all: UKR 6057" in out
