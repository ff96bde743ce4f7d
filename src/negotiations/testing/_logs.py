"""Strategies for any event, and for whole logs whose events fit together."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Final

from attrs import evolve
from hypothesis import strategies as st

from negotiations.codec import unstructure
from negotiations.domain import FIXED_FIELDS
from negotiations.domain.events import (
    FACT_TYPES,
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
    AidAnnounced,
    AidPaused,
    AidResumed,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    CommitmentMet,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    EventCorrected,
    EventRetracted,
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    PositionStated,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    ProposalAnswered,
    ProposalWithdrawn,
    RemainsRepatriated,
    ReportDisputed,
    SanctionsImposed,
    StatementMade,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import PartialDate
from negotiations.errors import NegotiationsError
from negotiations.log import EventLog
from negotiations.log.amendments import Amendments, corrected
from negotiations.testing._agreements import (
    agreement_extended,
    agreement_reached,
    agreement_status_changed,
    commitment_met,
    proposal_answered,
    proposal_withdrawn,
    terms_proposed,
    violation_reported,
)
from negotiations.testing._book import DEFINES, NAMES_NO_PARTIES, NEEDS, Book
from negotiations.testing._commitments import (
    deadline_changed,
    deadline_met,
    deadline_set,
    deadline_withdrawn,
    prisoner_exchange_agreed,
    prisoners_exchanged,
    remains_repatriated,
)
from negotiations.testing._facts import (
    aid_announced,
    aid_paused,
    aid_resumed,
    call_held,
    ceasefire_agreed,
    ceasefire_ended,
    position_stated,
    statement_made,
    talks_held,
    talks_proposed,
)
from negotiations.testing._measures import (
    MeasureKind,
    measure_changed,
    measure_lifted,
    measure_reinstated,
    measure_suspended,
    sanctions_imposed,
    tariffs_imposed,
)
from negotiations.testing._record import event_retracted, report_disputed
from negotiations.testing._values import (
    _envelope,
    _flip,
    _id,
    _index,
    _optional_text,
    _parties,
    _pick,
    _text,
)

# The fields a correction never changes: what the event is, the ids it defines or refers to, and,
# by kind, what later events must fit (the addressees who answer, the parties of the terms).
_FIXED: Final = frozenset(
    {
        *FIXED_FIELDS,
        "deadline_id",
        "agreement_id",
        "proposal_id",
        "ceasefire_id",
        "measure_id",
        "term_id",
        "counter_proposal_id",
    }
)
_KEPT: Final[Mapping[type[Event], tuple[str, ...]]] = {
    TalksProposed: ("counterpart",),
    TermsProposed: ("to",),
    ProposalAnswered: ("party",),
    AgreementReached: ("parties",),
}


def _reworded(draw: st.DrawFn, target: AgreementReached) -> list[Any]:
    """The terms of ``target`` in their JSON form, each with a new commitment: a correction may
    reword a term, but never remove or rename one that a later event may refer to.
    """
    terms: list[Any] = unstructure(target).get("terms", [])
    return [{**term, "commitment": _text(draw)} for term in terms]


# -- any event, and logs ------------------------------------------------------------------------


# A correction draws a fresh event of its target's kind, from the table below; it lives here,
# beside the table, since the table holds every kind's strategy, this one's too.
@st.composite
def event_corrected(
    draw: st.DrawFn,
    *,
    event_ids: st.SearchStrategy[str] | None = None,
    occurred: st.SearchStrategy[PartialDate] | None = None,
    target: Event | None = None,
    measure_kinds: Mapping[str, MeasureKind] | None = None,
) -> EventCorrected:
    """:class:`~negotiations.domain.EventCorrected` events. Given a ``target`` event, the
    correction targets it and its changes make a valid event of its kind (other fields of a
    fresh event of that kind, never its id, recorded time or the ids it defines or refers to);
    without one, it targets any id and changes a text field.

    A correction of a change or a suspension of a measure gives a rate only to tariffs and a
    list of measures only to sanctions. The measure's kind comes from ``measure_kinds`` (measure
    id to ``"tariffs"`` or ``"sanctions"``), or else from the target (a rate, a list of measures);
    when neither tells it, the correction changes neither field.
    """
    envelope = _envelope(draw, event_ids, occurred)
    if target is None:
        return EventCorrected(**envelope, target=_id(draw), changes={"summary": _text(draw)})
    fixed = {*_FIXED, *_KEPT.get(type(target), ())}
    options: dict[str, Any] = {}
    if isinstance(target, MeasureChanged | MeasureSuspended):
        kind = _kind_of(target, measure_kinds)
        if kind is None:
            fixed |= {"rate_percent", "measures"}
        else:
            options["measure_kinds"] = {target.measure_id: kind}
    other = draw(STRATEGIES[type(target)](**options))
    wire = unstructure(other)
    every = {name: wire.get(name) for name in unstructure(target).keys() | wire.keys() if name not in fixed}
    if isinstance(target, AgreementReached) and isinstance(other, AgreementReached):
        every["terms"] = _reworded(draw, target)
    names = draw(st.lists(st.sampled_from(sorted(every)), min_size=1, unique=True))
    # These fields alone may break a rule between fields: then change them all; and if the fresh
    # event's fields break one with those a correction keeps, change the sources only.
    for changes in ({name: every[name] for name in names}, every, {"sources": wire.get("sources", [])}):
        try:
            corrected(target, changes)
        except NegotiationsError:
            continue
        break
    reason = _optional_text(draw)
    return EventCorrected(**envelope, target=target.id, changes=changes, reason=reason)


def _kind_of(
    target: MeasureChanged | MeasureSuspended, kinds: Mapping[str, MeasureKind] | None
) -> MeasureKind | None:
    """The kind of the measure ``target`` moves, by ``kinds`` or by the fields it has, if known."""
    if kinds is not None and target.measure_id in kinds:
        return kinds[target.measure_id]
    if target.rate_percent is not None:
        return "tariffs"
    if isinstance(target, MeasureChanged) and target.measures:
        return "sanctions"
    return None


STRATEGIES: Final[Mapping[type[Event], Callable[..., st.SearchStrategy[Any]]]] = {
    CallHeld: call_held,
    StatementMade: statement_made,
    PositionStated: position_stated,
    TalksProposed: talks_proposed,
    TalksHeld: talks_held,
    CeasefireAgreed: ceasefire_agreed,
    CeasefireEnded: ceasefire_ended,
    AidAnnounced: aid_announced,
    AidPaused: aid_paused,
    AidResumed: aid_resumed,
    SanctionsImposed: sanctions_imposed,
    TariffsImposed: tariffs_imposed,
    MeasureChanged: measure_changed,
    MeasureSuspended: measure_suspended,
    MeasureReinstated: measure_reinstated,
    MeasureLifted: measure_lifted,
    DeadlineSet: deadline_set,
    DeadlineChanged: deadline_changed,
    DeadlineWithdrawn: deadline_withdrawn,
    DeadlineMet: deadline_met,
    PrisonerExchangeAgreed: prisoner_exchange_agreed,
    PrisonersExchanged: prisoners_exchanged,
    RemainsRepatriated: remains_repatriated,
    TermsProposed: terms_proposed,
    ProposalAnswered: proposal_answered,
    ProposalWithdrawn: proposal_withdrawn,
    AgreementReached: agreement_reached,
    AgreementStatusChanged: agreement_status_changed,
    AgreementExtended: agreement_extended,
    CommitmentMet: commitment_met,
    ViolationReported: violation_reported,
    EventRetracted: event_retracted,
    EventCorrected: event_corrected,
    ReportDisputed: report_disputed,
}

"""The strategy of each event class; :mod:`negotiations.testing._register` registers them."""


@functools.cache
def _events() -> st.SearchStrategy[Event]:
    return st.one_of([strategy() for strategy in STRATEGIES.values()])


def events() -> st.SearchStrategy[Event]:
    """Events of every kind, each on its own: ids they refer to need not exist. Use
    :func:`event_logs` for events that fit together in a log.
    """
    return _events()


def _echo(draw: st.DrawFn, event: Event, log: Sequence[Event]) -> dict[str, Any]:
    """Changes that, half the time, make ``event`` take up an earlier one: resume a pause, restate
    a position, return what an agreement owes, reinstate a suspended measure.
    """
    earlier: list[Event] = []
    fields: tuple[str, ...] = ()
    if isinstance(event, AidResumed):
        earlier, fields = [e for e in log if isinstance(e, AidPaused)], ("donor", "recipient", "category")
    elif isinstance(event, PositionStated):
        earlier, fields = [e for e in log if isinstance(e, PositionStated)], ("party", "issue")
    elif isinstance(event, PrisonersExchanged) and event.agreement_id is not None:
        earlier = [
            e
            for e in log
            if isinstance(e, PrisonerExchangeAgreed) and e.agreement_id == event.agreement_id and e.owed()
        ]
    elif isinstance(event, MeasureReinstated):
        earlier, fields = [e for e in log if isinstance(e, MeasureSuspended)], ("measure_id",)
    if not earlier or not _flip(draw):
        return {}
    source = _pick(draw, earlier)
    if isinstance(source, PrisonerExchangeAgreed):
        return {"returned": source.owed()}
    changes = {name: getattr(source, name) for name in fields}
    if isinstance(event, PositionStated) and event.speaker is not None:
        changes["speaker"] = evolve(event.speaker, party=changes["party"])
    return changes


@functools.cache
def _focus() -> st.SearchStrategy[frozenset[type[Event]]]:
    return st.frozensets(st.sampled_from(FACT_TYPES), min_size=1, max_size=5)


_RECORD_KINDS: Final = (EventRetracted, EventCorrected, ReportDisputed)


def _amend(draw: st.DrawFn, log: Sequence[Event], amendments: Amendments, book: Book) -> Event | None:
    """A retraction, correction or dispute that fits ``log``, or ``None`` when none can."""
    facts = [e for e in log if type(e) in FACT_TYPES and e.id not in amendments.retracted]
    if not facts:
        return None
    kind = _pick(draw, _RECORD_KINDS)
    if kind is EventRetracted:
        return draw(event_retracted(targets=[e.id for e in facts]))
    if kind is EventCorrected:
        target = _pick(draw, facts)
        fix = draw(event_corrected(target=amendments.current(target) or target, measure_kinds=book.measures))
        return evolve(fix, target=target.id)
    alike = [e for e in facts if sum(type(f) is type(e) for f in facts) > 1]
    if not alike:
        return None
    first = _pick(draw, alike)
    return draw(report_disputed(claims=[e.id for e in facts if type(e) is type(first)]))


def _fresh(value: str, taken: Collection[str]) -> str:
    """``value``, or the first of ``value-2``, ``value-3``, ... that is not ``taken``."""
    fresh, n = value, 1
    while fresh in taken:
        n += 1
        fresh = f"{value}-{n}"
    return fresh


@st.composite
def event_logs(draw: st.DrawFn, min_size: int = 0, max_size: int = 30) -> EventLog:
    """Valid :class:`~negotiations.log.EventLog` s of ``min_size`` to ``max_size`` events of every
    kind: event ids are unique, each deadline, agreement, proposal, ceasefire and measure id is
    defined once, every reference names one defined earlier in the log, and only tariffs are
    given a rate and only sanctions a list of measures.

    So that events interact, each log has a small cast of two to four parties, often sticks to a
    few kinds of event, and often has an event take up an earlier one: a resumption of a paused
    aid, a restated position, a batch that returns what an agreement owes, a reinstatement of a
    suspended measure. Now and then an
    event retracts, corrects or disputes earlier ones, as the log's checks allow. Recorded
    times never go back along the log, as when events are logged as they are learnt.
    """
    size = draw(st.integers(min_size, max_size))
    # A small cast of parties per log, so that the same parties meet, pause and resume aid, and
    # restate positions.
    cast = st.sampled_from(draw(st.lists(_parties(), min_size=2, max_size=4, unique=True)))
    # Often a few kinds only, so that events of a kind meet: pauses are resumed, proposals taken
    # up, agreements completed. A kind that refers to ids brings the kind that defines them.
    focus = set(draw(st.one_of(st.just(frozenset(FACT_TYPES)), _focus())))
    focus |= {need for cls in focus for need in NEEDS.get(cls, ())}
    used: set[str] = set()
    book = Book()
    log: list[Event] = []
    amendments = Amendments()
    for _ in range(size):
        if log and draw(_index(10)) == 0:
            record = _amend(draw, log, amendments, book)
            if record is not None:
                record = evolve(record, id=_fresh(record.id, used))
                used.add(record.id)
                amendments.add(record)
                log.append(record)
                continue
        cls = _pick(draw, [cls for cls in FACT_TYPES if cls in focus and book.can_draw(cls)])
        options = book.options(cls)
        if cls not in NAMES_NO_PARTIES:
            options["parties"] = cast
        event: Event = draw(STRATEGIES[cls](**options))
        # Ids are made unique after the draw rather than filtered during it, which would
        # build a new strategy for every event.
        changes: dict[str, Any] = {
            **_echo(draw, event, log),
            "id": _fresh(event.id, used),
        }
        if type(event) in DEFINES and getattr(event, DEFINES[type(event)][1]) is not None:
            kind, name = DEFINES[type(event)]
            changes[name] = _fresh(getattr(event, name), book.namespaces[kind])
        event = evolve(event, **changes)
        book.add(event)
        used.add(event.id)
        log.append(event)
    # Each event keeps a recorded time of its own drawing, handed out again in order: sorting the
    # times the events drew costs nothing, where drawing a second list of them costs a draw each.
    recorded = sorted(event.recorded for event in log)
    return EventLog(evolve(event, recorded=moment) for event, moment in zip(log, recorded, strict=True))
