"""A log as PLOVER event records: one JSON object per event, with the field names of the PLOVER
manual (DRAFT version 0.8, the "PLOVER JSON" table), for the tools researchers already run on
PLOVER and POLECAT data.

The records are the log as currently known, as the views count it
(:func:`~negotiations.projections.counted`): corrections applied, retracted events left out.
Exactly these kinds are left out as well: :data:`LEFT_OUT_TYPES`, which are about the record
rather than the world, and events of kinds this version does not know. Every other event is one
record.

A record's codes are its kind's class attributes (``cameo``, ``plover``, ``plover_mode``,
``plover_context``), unless a row of :data:`REFINEMENTS` fits the event better: a rejection
is REJECT where an acceptance is AGREE, a signed agreement SUPPORT where one only agreed is
AGREE. ``docs/codes.md`` lists both and shows a record.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final

from attrs import frozen

from negotiations.domain.events import (
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
    EventBase,
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
from negotiations.domain.values import Party, Source
from negotiations.log import Key, KeyKind, defined_key
from negotiations.log.amendments import Amendments
from negotiations.projections import amendments_of, counted, describe

__all__ = [
    "LEFT_OUT_TYPES",
    "REFINEMENTS",
    "Codes",
    "PloverCounts",
    "Refinement",
    "event_parties",
    "plover_records",
    "write_plover",
]

LEFT_OUT_TYPES: Final[tuple[type[Event], ...]] = (EventRetracted, EventCorrected, ReportDisputed, OpaqueEvent)
"""The kinds that make no record: retractions and corrections (which act on the records of
others), disputes, and events of kinds this version does not know."""


@frozen
class Codes:
    """A CAMEO code and a PLOVER category, mode and context; any of them may be ``None``."""

    cameo: str | None
    category: str | None
    mode: str | None = None
    context: str | None = None

    @classmethod
    def of(cls, kind: type[EventBase]) -> Codes:
        """The codes ``kind`` declares in its class attributes."""
        return cls(kind.cameo, kind.plover, kind.plover_mode, kind.plover_context)


class _Known:
    """What a record needs from the rest of the log: the definitions that events refer to, as
    corrected (a retracted one still anchors what refers to it), and each tariff's rate so far.
    """

    def __init__(self, definitions: Mapping[Key, Event]) -> None:
        self.definitions = definitions
        self.rates: dict[str, float] = {}

    def get(self, kind: KeyKind, name: str | None) -> Event | None:
        """The event that defines ``name`` in the namespace ``kind``, if the log holds it."""
        return None if name is None else self.definitions.get((kind, name))

    def note(self, event: Event) -> None:
        """Keep a tariff's rate, for telling a cut from a rise."""
        rate = event.rate_percent if isinstance(event, TariffsImposed | MeasureChanged) else None
        measure_id = getattr(event, "measure_id", None)
        if rate is not None and measure_id is not None:
            self.rates[measure_id] = rate


@frozen
class Refinement:
    """One row of :data:`REFINEMENTS`: events of ``kind`` that ``applies`` to (``when``, in
    words) take ``codes`` instead of their kind's.
    """

    kind: type[Event]
    when: str
    codes: Codes
    applies: Callable[[Any, _Known], bool]


def _answers(answer: str, proposal: type[Event] | None) -> Callable[[Any, _Known], bool]:
    def applies(event: ProposalAnswered, known: _Known) -> bool:
        if event.answer != answer:
            return False
        return proposal is None or type(known.get("proposal", event.proposal_id)) is proposal

    return applies


def _of_category(category: str) -> Callable[[Any, _Known], bool]:
    return lambda event, _known: bool(event.category == category)


def _cut(event: MeasureChanged, known: _Known) -> bool:
    before = known.rates.get(event.measure_id)
    return event.rate_percent is not None and before is not None and event.rate_percent < before


_BILATERAL: Final = 2
"""Talks of more parties than this are multilateral."""
_AID: Final = {
    "financial": ("1", "economic"),
    "military": ("2", "military"),
    "humanitarian": ("3", "humanitarian"),
}
"""Each aid category's last digit in CAMEO's aid codes, and its PLOVER context."""

REFINEMENTS: Final[tuple[Refinement, ...]] = (
    Refinement(
        ProposalAnswered,
        "accepted, a proposal of talks",
        Codes("036", "AGREE", None, "diplomatic"),
        _answers("accepted", TalksProposed),
    ),
    Refinement(
        ProposalAnswered,
        "rejected, a proposal of talks",
        Codes("125", "REJECT", "meet", "diplomatic"),
        _answers("rejected", TalksProposed),
    ),
    Refinement(
        ProposalAnswered,
        "rejected, a proposal of terms",
        Codes("127", "REJECT", "meet", "diplomatic"),
        _answers("rejected", None),
    ),
    Refinement(
        ProposalAnswered,
        "countered",
        Codes("127", "REJECT", "meet", "diplomatic"),
        _answers("countered", None),
    ),
    Refinement(
        AgreementReached,
        "signed",
        Codes("057", "SUPPORT", None, "diplomatic"),
        lambda e, _k: e.status == "signed",
    ),
    Refinement(
        AgreementStatusChanged,
        "suspended or terminated",
        Codes("160", "SANCTION", "discontinue", "diplomatic"),
        lambda e, _k: e.status in ("suspended", "terminated"),
    ),
    Refinement(
        PositionStated,
        "with demands",
        Codes("100", "DEMAND", None, "diplomatic"),
        lambda e, _k: bool(e.demands),
    ),
    Refinement(
        TalksHeld,
        "with hosts",
        Codes("046", "CONSULT", "third-party", "diplomatic"),
        lambda e, _k: bool(e.hosts),
    ),
    Refinement(
        TalksHeld,
        "of more than two parties",
        Codes("046", "CONSULT", "multilateral", "diplomatic"),
        lambda e, _k: len(e.parties) > _BILATERAL,
    ),
    Refinement(
        ViolationReported,
        "of a ceasefire",
        Codes("1123", "ACCUSE", "allege", "military"),
        lambda e, _k: e.ceasefire_id is not None,
    ),
    Refinement(
        AgreementExtended,
        "of a ceasefire",
        Codes("030", "AGREE", None, "military"),
        lambda e, _k: e.ceasefire_id is not None,
    ),
    Refinement(MeasureChanged, "to a lower rate", Codes("085", "RETREAT", None, "economic"), _cut),
    *(
        Refinement(
            kind,
            f"{category} aid",
            Codes(f"{stem}{digit}", kind.plover, kind.plover_mode, context),
            _of_category(category),
        )
        for kind, stem in ((AidAnnounced, "07"), (AidPaused, "162"), (AidResumed, "07"))
        for category, (digit, context) in _AID.items()
    ),
)
"""The events whose codes follow what they say rather than their kind alone; the first row that
applies wins. Aid takes the CAMEO code and the PLOVER context of its category."""


def _codes_of(event: Event, known: _Known) -> Codes:
    """The codes of ``event``: the first row of :data:`REFINEMENTS` that applies, or its kind's."""
    for row in REFINEMENTS:
        if type(event) is row.kind and row.applies(event, known):
            return row.codes
    return Codes.of(type(event))


def _parties(event: Event | None) -> tuple[Party, ...]:
    return getattr(event, "parties", ())


def _actors(event: Event, known: _Known) -> tuple[tuple[Party, ...], tuple[Party, ...]]:  # noqa: C901, PLR0911, PLR0912 - one short case per kind
    """The source and recipient actors of ``event``, as PLOVER reads them: who acts, and on whom.
    Where all sides take part alike (a call, a round of talks, an agreement), all are sources.
    """
    match event:
        case CallHeld() | CeasefireAgreed() | PrisonerExchangeAgreed() | AgreementReached():
            return event.parties, ()
        case TalksHeld():
            # The manual codes the visitors as sources and the host as the recipient.
            return event.parties, event.hosts
        case StatementMade() | PositionStated():
            return (event.party,), ()
        case TalksProposed():
            return (event.proposer,), (event.counterpart,)
        case CeasefireEnded():
            return _parties(known.get("ceasefire", event.ceasefire_id)), ()
        case AidAnnounced() | AidPaused() | AidResumed():
            return (event.donor,), (event.recipient,)
        case SanctionsImposed() | TariffsImposed():
            return (event.imposer,), (event.target,)
        case MeasureChanged() | MeasureSuspended() | MeasureReinstated() | MeasureLifted():
            measure = known.get("measure", event.measure_id)
            if isinstance(measure, SanctionsImposed | TariffsImposed):
                return (measure.imposer,), (measure.target,)
            return (), ()
        case DeadlineSet():
            return (event.issuer,), (event.target,)
        case DeadlineChanged() | DeadlineWithdrawn() | DeadlineMet():
            deadline = known.get("deadline", event.deadline_id)
            if not isinstance(deadline, DeadlineSet):
                return (), ()
            if isinstance(event, DeadlineMet):
                return (deadline.target,), (deadline.issuer,)
            return (deadline.issuer,), (deadline.target,)
        case PrisonersExchanged() | RemainsRepatriated():
            agreed = _parties(known.get("agreement", event.agreement_id))
            return agreed or tuple(event.returned), ()
        case TermsProposed():
            return (event.proposer, *event.co_proposers), event.to
        case ProposalAnswered():
            proposal = known.get("proposal", event.proposal_id)
            proposer = getattr(proposal, "proposer", None)
            return (event.party,), () if proposer is None else (proposer,)
        case ProposalWithdrawn():
            proposal = known.get("proposal", event.proposal_id)
            if isinstance(proposal, TalksProposed):
                return (proposal.proposer,), (proposal.counterpart,)
            if isinstance(proposal, TermsProposed):
                return (proposal.proposer,), proposal.to
            return (), ()
        case AgreementStatusChanged():
            return _parties(known.get("agreement", event.agreement_id)), ()
        case AgreementExtended():
            if event.agreement_id is not None:
                return _parties(known.get("agreement", event.agreement_id)), ()
            return _parties(known.get("ceasefire", event.ceasefire_id)), ()
        case CommitmentMet():
            agreement = known.get("agreement", event.agreement_id)
            if not isinstance(agreement, AgreementReached):
                return (), ()
            term = next((t for t in agreement.terms if t.term_id == event.term_id), None)
            if term is None:
                return (), agreement.parties
            return (term.party,), tuple(p for p in agreement.parties if p != term.party)
        case ViolationReported():
            return (event.accuser,), (event.accused,)
        case EventRetracted() | EventCorrected() | ReportDisputed() | OpaqueEvent():
            return (), ()


def _source(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"outlet": source.outlet}
    if source.url is not None:
        out["url"] = source.url
    if source.quote is not None:
        out["quote"] = source.quote
    if source.published is not None:
        out["published"] = source.published.isoformat()
    return out


def _record(event: Event, known: _Known) -> dict[str, Any]:
    codes = _codes_of(event, known)
    source, recipient = _actors(event, known)
    record: dict[str, Any] = {"id": event.id, "date": event.occurred.earliest.isoformat()}
    end = event.ends if isinstance(event, TalksHeld) else None
    if end is None and not event.occurred.is_day:
        end = event.occurred.latest
    if end is not None:
        record["enddate"] = end.isoformat()
    record["source"] = [{"code": party} for party in source]
    record["recipient"] = [{"code": party} for party in recipient]
    record["event"] = [] if codes.category is None else [codes.category]
    if codes.category is None:
        # The manual's own field for a record with no category: PLOVER drops what CAMEO codes as
        # a bare statement, and the record still carries the fact.
        record["has_event"] = False
    record["mode"] = [] if codes.mode is None else [codes.mode]
    record["context"] = [] if codes.context is None else [codes.context]
    record["text"] = describe(event)
    if event.sources:
        first = event.sources[0]
        record["cite_info"] = {"publication": first.outlet} | ({"url": first.url} if first.url else {})
    record["negotiations"] = {
        "type": event.wire_type,
        "cameo": codes.cameo,
        "sources": [_source(s) for s in event.sources],
    }
    return record


@frozen
class PloverCounts:
    """What an export wrote and left out: ``left_out`` counts the events of each kind of
    :data:`LEFT_OUT_TYPES` (an unknown kind by its own name), ``retracted`` the events that a
    retraction took out.
    """

    written: int
    left_out: Mapping[str, int]
    retracted: int

    def summary(self) -> str:
        """One line: ``left out 3 events: 1 EventCorrected, 2 EventRetracted``."""
        parts = [f"{n} {kind}" for kind, n in sorted(self.left_out.items())]
        if self.retracted:
            parts.append(f"{self.retracted} retracted")
        total = sum(self.left_out.values()) + self.retracted
        return f"left out {total} event{'' if total == 1 else 's'}" + (
            f": {', '.join(parts)}" if parts else ""
        )


def _definitions(events: Sequence[Event], amendments: Amendments, tally: Counter[str]) -> dict[Key, Event]:
    """The event that defines each key, as corrected; counts in ``tally`` the events left out
    (``""``: retracted).
    """
    definitions: dict[Key, Event] = {}
    for event in events:
        if type(event) in LEFT_OUT_TYPES:
            tally[event.kind if isinstance(event, OpaqueEvent) else event.wire_type] += 1
            continue
        now = amendments.current(event)
        if now is None:
            tally[""] += 1
        defined = defined_key(now or event)
        if defined is not None:
            definitions[defined[0]] = now or event
    return definitions


def _export(events: Iterable[Event], tally: Counter[str]) -> Iterator[dict[str, Any]]:
    """The records of ``events``, counting in ``tally`` what is left out (``""``: retracted)."""
    events = tuple(events)
    amendments = amendments_of(events)
    known = _Known(_definitions(events, amendments, tally))
    for event in counted(events, amendments=amendments):
        if type(event) is ReportDisputed:
            continue
        yield _record(event, known)
        known.note(event)


def event_parties(
    events: Iterable[Event], *, only: Collection[str] | None = None
) -> dict[str, tuple[Party, ...]]:
    """Each counted event's id (of those in ``only``, when given) to the parties it involves: who
    acts and on whom, as PLOVER reads them (an event that refers to a deadline, an agreement or a
    measure involves the parties of what it refers to). Disputes involve none.
    """
    events = tuple(events)
    amendments = amendments_of(events)
    known = _Known(_definitions(events, amendments, Counter()))
    out: dict[str, tuple[Party, ...]] = {}
    for event in counted(events, amendments=amendments):
        if only is None or event.id in only:
            source, recipient = _actors(event, known)
            out[event.id] = tuple(dict.fromkeys((*source, *recipient)))
    return out


def plover_records(events: Iterable[Event]) -> Iterator[dict[str, Any]]:
    """The PLOVER records of a log, in log order: one JSON-ready dict per event as currently
    known, except those of :data:`LEFT_OUT_TYPES`.
    """
    return _export(events, Counter())


def write_plover(events: Iterable[Event], out: IO[str]) -> PloverCounts:
    """Write the records of :func:`plover_records` to ``out``, one JSON object a line, and
    return what was written and what was left out.
    """
    tally: Counter[str] = Counter()
    written = 0
    for record in _export(events, tally):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    retracted = tally.pop("", 0)
    return PloverCounts(written, dict(tally), retracted)
