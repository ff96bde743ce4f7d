"""The model of a stream that the store contract's state machine (:mod:`._machine`) checks every
append against: what an append of a batch must raise, or the stream after it.

The model is written apart from the code it checks: plain dicts and sets, and the rules of
:mod:`negotiations.log` as its docstring and issues 13 and 14 state them, not
:class:`~negotiations.log.EventLog` or the checks the stores share. The rules it states:

- deadline, agreement, proposal, ceasefire and measure ids are each defined once (else
  ``DuplicateKeyError``), and a reference comes after its definition (else
  ``UnknownReferenceError``, as for every rule below). A TalksProposed and a TermsProposed define
  proposal ids of one namespace; a PrisonerExchangeAgreed and an AgreementReached, agreement ids;
  a SanctionsImposed and a TariffsImposed, measure ids, when they have a ``measure_id`` (without
  one they define nothing).
- A proposal is put to its addressees: a TermsProposed's ``to``, a TalksProposed's
  ``counterpart``. An answer is by one of them, and its counter-proposal is an earlier proposal.
- An AgreementReached has terms. An AgreementStatusChanged or a CommitmentMet names an
  AgreementReached, a CommitmentMet one of its terms; an AgreementExtended or a ViolationReported
  names an AgreementReached or a CeasefireAgreed, and a violation's term is one of the
  agreement's. A PrisonersExchanged or a RemainsRepatriated names only a PrisonerExchangeAgreed.
- A MeasureChanged, MeasureSuspended, MeasureReinstated or MeasureLifted names a measure. Only a
  tariff takes a ``rate_percent`` (in a change or a suspension), only sanctions a non-empty
  ``measures`` (in a change).
- An event that both defines a taken id and refers to what is not there is refused as a
  duplicate: the log checks what an event defines before what it refers to.
- A retraction frees no id and takes no addressee, term or kind of measure away. Corrections
  change only a ``summary``, so that whether one applies is plain to see (it does when the event
  first corrected has a ``summary`` field), and so that no proposal's addressees, agreement's
  terms nor measure's kind ever change.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

import attrs

from negotiations.domain.events import (
    AgreementExtended,
    AgreementReached,
    AgreementStatusChanged,
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
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    ProposalAnswered,
    ProposalWithdrawn,
    RemainsRepatriated,
    ReportDisputed,
    SanctionsImposed,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import Party
from negotiations.errors import (
    DuplicateEventError,
    DuplicateKeyError,
    InvalidAmendmentError,
    LogError,
    UnknownReferenceError,
)
from negotiations.testing._measures import MeasureKind

__all__ = ["DEFINES", "RECORD", "Defined", "Stream"]

# What each kind defines, by its namespace and the field that names it: the model's own table.
DEFINES: Final[dict[type[Event], tuple[str, str]]] = {
    DeadlineSet: ("deadline", "deadline_id"),
    PrisonerExchangeAgreed: ("agreement", "agreement_id"),
    AgreementReached: ("agreement", "agreement_id"),
    TalksProposed: ("proposal", "proposal_id"),
    TermsProposed: ("proposal", "proposal_id"),
    CeasefireAgreed: ("ceasefire", "ceasefire_id"),
    SanctionsImposed: ("measure", "measure_id"),
    TariffsImposed: ("measure", "measure_id"),
}
RECORD: Final = (EventRetracted, EventCorrected, ReportDisputed)


@attrs.define
class Defined:
    """What the ids of a stream name: each deadline and ceasefire, each proposal with its
    addressees, each agreement with its terms, or ``None`` for a prisoner exchange, each measure
    with its kind.
    """

    deadlines: set[str] = attrs.Factory(set)
    ceasefires: set[str] = attrs.Factory(set)
    proposals: dict[str, frozenset[Party]] = attrs.Factory(dict)
    agreements: dict[str, frozenset[str] | None] = attrs.Factory(dict)
    measures: dict[str, MeasureKind] = attrs.Factory(dict)

    def copy(self) -> Defined:
        """A copy to change apart from this one."""
        return Defined(
            {*self.deadlines}, {*self.ceasefires}, {**self.proposals}, {**self.agreements}, {**self.measures}
        )

    def names(self, namespace: str) -> Collection[str]:
        """The ids of ``namespace`` defined."""
        by_namespace: dict[str, Collection[str]] = {
            "deadline": self.deadlines,
            "ceasefire": self.ceasefires,
            "proposal": self.proposals.keys(),
            "agreement": self.agreements.keys(),
            "measure": self.measures.keys(),
        }
        return by_namespace[namespace]

    def reached(self) -> dict[str, frozenset[str]]:
        """Each agreement reached, with its terms."""
        return {name: terms for name, terms in self.agreements.items() if terms is not None}

    def exchanges(self) -> list[str]:
        """The prisoner-exchange agreements."""
        return sorted(name for name, terms in self.agreements.items() if terms is None)

    def of_kind(self, kind: MeasureKind) -> list[str]:
        """The measures of ``kind``."""
        return sorted(name for name, of in self.measures.items() if of == kind)

    def add(self, event: Event) -> None:
        """Take in what ``event`` defines, if it defines what is not defined yet."""
        match event:
            case DeadlineSet():
                self.deadlines.add(event.deadline_id)
            case CeasefireAgreed():
                self.ceasefires.add(event.ceasefire_id)
            case TalksProposed():
                self.proposals.setdefault(event.proposal_id, frozenset({event.counterpart}))
            case TermsProposed():
                self.proposals.setdefault(event.proposal_id, frozenset(event.to))
            case AgreementReached():
                self.agreements.setdefault(event.agreement_id, frozenset(t.term_id for t in event.terms))
            case PrisonerExchangeAgreed():
                self.agreements.setdefault(event.agreement_id, None)
            case SanctionsImposed() if event.measure_id is not None:
                self.measures.setdefault(event.measure_id, "sanctions")
            case TariffsImposed() if event.measure_id is not None:
                self.measures.setdefault(event.measure_id, "tariffs")
            case _:
                pass

    def refers_rightly(self, event: Event) -> bool:  # noqa: PLR0911 - a return per rule
        """Whether every id ``event`` refers to is defined, as what it must name, and every
        party and term it names belongs to that.
        """
        match event:
            case DeadlineChanged() | DeadlineWithdrawn() | DeadlineMet():
                return event.deadline_id in self.deadlines
            case CeasefireEnded():
                return event.ceasefire_id in self.ceasefires
            case TalksHeld() | CeasefireAgreed() | AgreementReached():
                return event.proposal_id is None or event.proposal_id in self.proposals
            case ProposalWithdrawn():
                return event.proposal_id in self.proposals
            case ProposalAnswered():
                counter = event.counter_proposal_id
                addressees = self.proposals.get(event.proposal_id, frozenset())
                return event.party in addressees and (counter is None or counter in self.proposals)
            case PrisonersExchanged() | RemainsRepatriated():
                return event.agreement_id is None or event.agreement_id in self.exchanges()
            case MeasureChanged() | MeasureSuspended() | MeasureReinstated() | MeasureLifted():
                return self._moves_a_measure_rightly(event)
            case _:
                return self._names_an_agreement_reached(event)

    def _moves_a_measure_rightly(
        self, event: MeasureChanged | MeasureSuspended | MeasureReinstated | MeasureLifted
    ) -> bool:
        """Whether ``event`` names a measure, and gives a rate only to a tariff and a list of
        measures only to sanctions.
        """
        kind = self.measures.get(event.measure_id)
        rate = event.rate_percent if isinstance(event, MeasureChanged | MeasureSuspended) else None
        listed = event.measures if isinstance(event, MeasureChanged) else ()
        return (
            kind is not None and (rate is None or kind == "tariffs") and (not listed or kind == "sanctions")
        )

    def _names_an_agreement_reached(self, event: Event) -> bool:
        """Whether ``event``, if it must name an agreement reached (or a ceasefire, for some
        kinds), names one that is, and a term of it when it names a term.
        """
        reached = self.reached()
        match event:
            case AgreementStatusChanged():
                return event.agreement_id in reached
            case CommitmentMet():
                return event.term_id in reached.get(event.agreement_id, frozenset())
            case AgreementExtended() | ViolationReported() if event.agreement_id is None:
                return event.ceasefire_id in self.ceasefires
            case AgreementExtended():
                return event.agreement_id in reached
            case ViolationReported():
                terms = reached.get(event.agreement_id or "")
                return terms is not None and (event.term_id is None or event.term_id in terms)
            case _:
                return True


@attrs.define
class Stream:
    """What the model knows of one stream."""

    events: list[Event] = attrs.Factory(list)
    by_id: dict[str, Event] = attrs.Factory(dict)
    defined: Defined = attrs.Factory(Defined)
    retracted: set[str] = attrs.Factory(set)
    roots: dict[str, str] = attrs.Factory(dict)
    """Each correction's id to the id of the event it corrects in the end."""

    def outcome(self, batch: Sequence[Event]) -> type[LogError] | Stream:
        """The error an append of ``batch`` must raise, or the stream after it."""
        after = Stream([*self.events], {**self.by_id}, self.defined.copy(), {*self.retracted}, {**self.roots})
        for event in batch:
            known = after.by_id.get(event.id)
            if known is not None:
                if known != event:
                    return DuplicateEventError
                continue  # a retry
            entry = DEFINES.get(type(event))
            if entry is not None and getattr(event, entry[1]) in after.defined.names(entry[0]):
                return DuplicateKeyError
            if not after.defined.refers_rightly(event):
                return UnknownReferenceError
            error = after.amendment_error(event)
            if error is not None:
                return error
            after.defined.add(event)
            after.events.append(event)
            after.by_id[event.id] = event
        return after

    def amendment_error(self, event: Event) -> type[LogError] | None:  # noqa: PLR0911 - a return per rule
        """Why ``event`` cannot apply, if it is a retraction, correction or dispute that cannot;
        else take it into account.
        """
        if isinstance(event, ReportDisputed):
            return self._dispute_error(event)
        if not isinstance(event, EventRetracted | EventCorrected):
            return None
        target = self.by_id.get(event.target)
        if target is None:
            return UnknownReferenceError
        root = self.roots.get(target.id, target.id)
        if isinstance(target, EventRetracted) or root in self.retracted:
            return InvalidAmendmentError
        if isinstance(event, EventRetracted):
            if isinstance(target, EventCorrected):
                return InvalidAmendmentError
            self.retracted.add(target.id)
            return None
        # The model's corrections change only a summary: they apply to a kind that has one.
        if isinstance(self.by_id[root], ReportDisputed) or not hasattr(self.by_id[root], "summary"):
            return InvalidAmendmentError
        self.roots[event.id] = root
        return None

    def _dispute_error(self, event: ReportDisputed) -> type[LogError] | None:
        """Why a dispute cannot apply: a claim that is not there, or not a fact, or claims of
        different kinds.
        """
        claims = [self.by_id.get(claim) for claim in event.claims]
        for claim in claims:
            if claim is None:
                return UnknownReferenceError
            if isinstance(claim, RECORD):
                return InvalidAmendmentError
        return InvalidAmendmentError if len({type(c) for c in claims}) > 1 else None
