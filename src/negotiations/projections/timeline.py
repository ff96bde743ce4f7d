"""The timeline view: every event in order of date. Each entry keeps the event's id, date and
kind; its one-line summary is :func:`describe` of the event, read from the log when the entry is
shown, so that the view does not hold the log's text.

A dispute marks the entries of its claims (when two or more of them are on the timeline) as
disputed; it adds no entry of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import TypeAlias, assert_never

from attrs import frozen

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
    OpaqueEvent,
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
from negotiations.projections._projection import Builder, Chrono, Evidence, Projection, evolve

__all__ = ["TIMELINE", "Entry", "Timeline", "describe"]


def _and(parties: tuple[str, ...]) -> str:
    return "–".join(parties)


def _because(reason: str | None) -> str:
    return f" ({reason})" if reason else ""


_Measure: TypeAlias = (
    SanctionsImposed | TariffsImposed | MeasureChanged | MeasureSuspended | MeasureReinstated | MeasureLifted
)


def _from(effective: date | None) -> str:
    return f" from {effective}" if effective is not None else ""


def _target(party: str) -> str:
    return "every party" if party == "ALL" else party


def _subject(event: AgreementExtended | ViolationReported) -> str:
    """What an extension or a violation is about: ``agreement ID`` or ``ceasefire ID``."""
    if event.agreement_id is not None:
        return f"agreement {event.agreement_id}"
    return f"ceasefire {event.ceasefire_id}"


def _measure(event: _Measure) -> str:
    """A one-line summary of an event of a measure."""
    tail = _from(event.effective) + _because(getattr(event, "reason", None))
    match event:
        case SanctionsImposed():
            return f"{event.imposer} sanctions {_target(event.target)}: {'; '.join(event.measures)}{tail}"
        case TariffsImposed():
            products = f" on {', '.join(event.products)}" if event.products else ""
            rate = f"{event.rate_percent:g}%"
            return f"{event.imposer} imposes {rate} tariffs on {_target(event.target)}{products}{tail}"
        case MeasureChanged():
            changes = [f"rate {event.rate_percent:g}%"] if event.rate_percent is not None else []
            changes += [f"measures: {'; '.join(event.measures)}"] if event.measures else []
            changes += [f"sectors: {', '.join(event.sectors)}"] if event.sectors else []
            what = f" to {', '.join(changes)}" if changes else ""
            return f"measure {event.measure_id} changed{what}{tail}"
        case MeasureSuspended():
            until = f" through {event.until}" if event.until is not None else ""
            rate = f" (rate {event.rate_percent:g}% meanwhile)" if event.rate_percent is not None else ""
            return f"measure {event.measure_id} suspended{until}{rate}{tail}"
        case MeasureReinstated():
            return f"measure {event.measure_id} reinstated{tail}"
        case MeasureLifted():
            return f"measure {event.measure_id} lifted{tail}"
        case _:
            assert_never(event)


def describe(event: Event) -> str:  # noqa: C901, PLR0911, PLR0912, PLR0915 - one short case per event kind
    """A one-line summary of ``event`` for people."""
    match event:
        case CallHeld():
            return f"{_and(event.parties)} call" + (f": {event.summary}" if event.summary else "")
        case StatementMade():
            who = event.speaker.name if event.speaker else event.party
            return f"{who} ({event.party}): {event.summary}"
        case PositionStated():
            return f"{event.party} on {event.issue}: {event.stance}"
        case TalksProposed():
            return f"{event.proposer} proposes talks with {event.counterpart} at {event.level} level"
        case TalksHeld():
            number = f" round {event.round}" if event.round is not None else ""
            through = f" through {event.ends}" if event.ends is not None else ""
            mediated = f", mediated by {_and(event.mediators)}" if event.mediators else ""
            return f"{_and(event.parties)} talks{number} in {event.venue}{through}{mediated}" + (
                f": {event.summary}" if event.summary else ""
            )
        case CeasefireAgreed():
            scope = f" on {event.scope}" if event.scope else ""
            return f"{_and(event.parties)} agree a ceasefire{scope}"
        case CeasefireEnded():
            return f"ceasefire {event.ceasefire_id} ends" + _because(event.reason)
        case AidAnnounced():
            items = f": {', '.join(event.items)}" if event.items else ""
            return f"{event.donor} announces {event.category} aid to {event.recipient}{items}"
        case AidPaused():
            return f"{event.donor} pauses {event.category} aid to {event.recipient}" + _because(event.reason)
        case AidResumed():
            return f"{event.donor} resumes {event.category} aid to {event.recipient}" + _because(event.reason)
        case (
            SanctionsImposed()
            | TariffsImposed()
            | MeasureChanged()
            | MeasureSuspended()
            | MeasureReinstated()
            | MeasureLifted()
        ):
            return _measure(event)
        case DeadlineSet():
            return f"{event.issuer} gives {event.target} until {event.due_day}: {event.demand}"
        case DeadlineChanged():
            return f"deadline {event.deadline_id} moved to {event.due_day}" + _because(event.reason)
        case DeadlineWithdrawn():
            return f"deadline {event.deadline_id} withdrawn" + _because(event.reason)
        case DeadlineMet():
            return f"deadline {event.deadline_id} met" + _because(event.reason)
        case PrisonerExchangeAgreed():
            numbers = f", {event.per_side} per side" if event.per_side is not None else ""
            return f"{_and(event.parties)} agree a prisoner exchange{numbers}"
        case PrisonersExchanged():
            return "prisoners returned: " + ", ".join(f"{n} to {p}" for p, n in event.returned.items())
        case RemainsRepatriated():
            return "remains returned: " + ", ".join(f"{n} to {p}" for p, n in event.returned.items())
        case TermsProposed():
            jointly = f" with {_and(event.co_proposers)}" if event.co_proposers else ""
            points = f" ({len(event.points)} points)" if event.points else ""
            return f"{event.proposer}{jointly} proposes {event.title}{points} to {_and(event.to)}"
        case ProposalAnswered():
            answer = {"accepted": "accepts", "rejected": "rejects", "countered": "counters"}[event.answer]
            conditions = f", with conditions: {'; '.join(event.conditions)}" if event.conditions else ""
            return f"{event.party} {answer} proposal {event.proposal_id}{conditions}"
        case ProposalWithdrawn():
            return f"proposal {event.proposal_id} withdrawn" + _because(event.reason)
        case AgreementReached():
            terms = f", {len(event.terms)} terms" if event.terms else ""
            mediated = f", mediated by {_and(event.mediators)}" if event.mediators else ""
            return f"{_and(event.parties)} reach {event.title} ({event.status}{terms}{mediated})"
        case AgreementStatusChanged():
            return f"agreement {event.agreement_id} {event.status}" + _because(event.reason)
        case AgreementExtended():
            subject = _subject(event)
            return f"{subject} extended to {event.ends_on}" + _because(event.reason)
        case CommitmentMet():
            return f"agreement {event.agreement_id}: term {event.term_id} met" + (
                f": {event.summary}" if event.summary else ""
            )
        case ViolationReported():
            subject = _subject(event)
            term = f" (term {event.term_id})" if event.term_id else ""
            return f"{event.accuser} accuses {event.accused} of breaking {subject}{term}" + (
                f": {event.summary}" if event.summary else ""
            )
        case EventRetracted():
            return f"{event.target} retracted: {event.reason}"
        case EventCorrected():
            return f"{event.target} corrected: {', '.join(event.changes)}" + _because(event.reason)
        case ReportDisputed():
            subject = f" on {event.subject}" if event.subject else ""
            return f"sources disagree{subject}: {', '.join(event.claims)}"
        case OpaqueEvent():
            return f"an event of a kind this version does not know ({event.kind})"
        case _:
            assert_never(event)


@frozen(kw_only=True)
class Entry:
    """One event on the timeline."""

    event_id: str
    occurred: PartialDate
    type: str
    disputed_by: Evidence | None = None
    """The dispute this entry is a claim of, if sources dispute it."""

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The event behind this entry, and the dispute over it if any."""
        own = Evidence(self.event_id)
        return (own,) if self.disputed_by is None else (own, self.disputed_by)


@frozen(kw_only=True)
class Timeline:
    """Every event, in order of date; events of the same date keep the order of the log."""

    entries: tuple[Entry, ...] = ()


_occurred: Callable[[Entry], int] = attrgetter("occurred.sort_rank")


class _Builder(Builder[Timeline]):
    __slots__ = ("entries",)

    def __init__(self, view: Timeline) -> None:
        self.entries = Chrono(view.entries, _occurred)

    def freeze(self) -> Timeline:
        return Timeline(entries=self.entries.freeze())

    def entry(self, event: Event) -> None:
        entry = Entry(
            event_id=event.id,
            occurred=event.occurred,
            type=event.wire_type,
        )
        self.entries.add(entry)

    def disputed(self, event: ReportDisputed) -> None:
        """Mark the claims' entries. This reads every entry: disputes are rare."""
        claims = set(event.claims)
        found = [entry for entry in self.entries.ordered() if entry.event_id in claims]
        if len(found) < 2:  # noqa: PLR2004 - a dispute needs two accounts
            return
        evidence = Evidence(event.id)
        for entry in found:
            self.entries.replace(entry, evolve(entry, disputed_by=evidence))


TIMELINE: Projection[Timeline] = Projection(
    "timeline",
    Timeline(),
    _Builder,
    {**dict.fromkeys(FACT_TYPES, _Builder.entry), ReportDisputed: _Builder.disputed},
)
"""The timeline projection."""
