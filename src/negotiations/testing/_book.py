"""The bookkeeping of :func:`~negotiations.testing.event_logs`: what a log being drawn has
defined so far, handed to the strategies of later events as the pools they may refer to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from attrs import define, field

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
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    ProposalAnswered,
    ProposalWithdrawn,
    RemainsRepatriated,
    SanctionsImposed,
    TalksHeld,
    TalksProposed,
    TariffsImposed,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain.values import Party
from negotiations.log import KeyKind
from negotiations.testing._measures import MeasureKind

DEFINES: Final[Mapping[type[Event], tuple[KeyKind, str]]] = {
    DeadlineSet: ("deadline", "deadline_id"),
    PrisonerExchangeAgreed: ("agreement", "agreement_id"),
    AgreementReached: ("agreement", "agreement_id"),
    TalksProposed: ("proposal", "proposal_id"),
    TermsProposed: ("proposal", "proposal_id"),
    CeasefireAgreed: ("ceasefire", "ceasefire_id"),
    SanctionsImposed: ("measure", "measure_id"),
    TariffsImposed: ("measure", "measure_id"),
}
"""The kinds that define an id, with its namespace and field (an imposition's may be absent).
Kept here rather than read from the log, so that the strategies keep ids unique whatever the log
checks."""

_IMPOSED: Final = (SanctionsImposed, TariffsImposed)
# What each kind that refers to ids needs in the log, so that focusing on it brings it along: a
# measure moves as either kind, so a change of one brings both.
NEEDS: Final[Mapping[type[Event], tuple[type[Event], ...]]] = {
    DeadlineChanged: (DeadlineSet,),
    DeadlineWithdrawn: (DeadlineSet,),
    DeadlineMet: (DeadlineSet,),
    CeasefireEnded: (CeasefireAgreed,),
    PrisonersExchanged: (PrisonerExchangeAgreed,),
    RemainsRepatriated: (PrisonerExchangeAgreed,),
    TalksHeld: (TalksProposed,),
    ProposalAnswered: (TermsProposed,),
    ProposalWithdrawn: (TermsProposed,),
    AgreementStatusChanged: (AgreementReached,),
    AgreementExtended: (AgreementReached,),
    CommitmentMet: (AgreementReached,),
    ViolationReported: (AgreementReached,),
    MeasureChanged: _IMPOSED,
    MeasureSuspended: _IMPOSED,
    MeasureReinstated: _IMPOSED,
    MeasureLifted: _IMPOSED,
}

# The kinds whose strategies take no ``parties``: they name none, or only the ones they refer to.
NAMES_NO_PARTIES: Final = frozenset(
    {
        CeasefireEnded,
        DeadlineChanged,
        DeadlineWithdrawn,
        DeadlineMet,
        ProposalWithdrawn,
        AgreementStatusChanged,
        AgreementExtended,
        CommitmentMet,
        MeasureChanged,
        MeasureSuspended,
        MeasureReinstated,
        MeasureLifted,
    }
)


@define
class Book:
    """The ids a log has defined so far, and what each reference must fit: the addressees of
    each proposal, the terms of each agreement, which agreements are prisoner exchanges, which
    measures are tariffs and which sanctions.
    """

    namespaces: dict[KeyKind, list[str]] = field(
        factory=lambda: {"deadline": [], "agreement": [], "proposal": [], "ceasefire": [], "measure": []}
    )
    exchanges: list[str] = field(factory=list)
    agreements: dict[str, tuple[str, ...]] = field(factory=dict)
    proposals: dict[str, tuple[Party, ...]] = field(factory=dict)
    measures: dict[str, MeasureKind] = field(factory=dict)

    def add(self, event: Event) -> None:
        """Note what ``event`` (whose ids are already fresh) defines."""
        entry = DEFINES.get(type(event))
        if entry is None or getattr(event, entry[1]) is None:
            return
        kind, name = entry
        self.namespaces[kind].append(getattr(event, name))
        match event:
            case SanctionsImposed(measure_id=str(measure_id)):
                self.measures[measure_id] = "sanctions"
            case TariffsImposed(measure_id=str(measure_id)):
                self.measures[measure_id] = "tariffs"
            case PrisonerExchangeAgreed():
                self.exchanges.append(event.agreement_id)
            case AgreementReached():
                self.agreements[event.agreement_id] = tuple(term.term_id for term in event.terms)
            case TalksProposed():
                self.proposals[event.proposal_id] = (event.counterpart,)
            case TermsProposed():
                self.proposals[event.proposal_id] = event.to
            case _:
                pass

    def can_draw(self, cls: type[Event]) -> bool:
        """Whether the log holds what an event of ``cls`` must refer to."""
        ceasefires = self.namespaces["ceasefire"]
        must: Mapping[type[Event], object] = {
            DeadlineChanged: self.namespaces["deadline"],
            DeadlineWithdrawn: self.namespaces["deadline"],
            DeadlineMet: self.namespaces["deadline"],
            CeasefireEnded: ceasefires,
            ProposalAnswered: self.proposals,
            ProposalWithdrawn: self.proposals,
            AgreementStatusChanged: self.agreements,
            AgreementExtended: self.agreements or ceasefires,
            ViolationReported: self.agreements or ceasefires,
            CommitmentMet: any(self.agreements.values()),
            MeasureChanged: self.measures,
            MeasureSuspended: self.measures,
            MeasureReinstated: self.measures,
            MeasureLifted: self.measures,
        }
        return bool(must.get(cls, True))

    def options(self, cls: type[Event]) -> dict[str, Any]:
        """The pools to pass the strategy of ``cls``."""
        proposals = tuple(self.proposals)
        ceasefires = tuple(self.namespaces["ceasefire"])
        agreements = dict(self.agreements)
        measures = tuple(self.measures)
        table: Mapping[type[Event], dict[str, Any]] = {
            DeadlineChanged: {"deadline_ids": tuple(self.namespaces["deadline"])},
            DeadlineWithdrawn: {"deadline_ids": tuple(self.namespaces["deadline"])},
            DeadlineMet: {"deadline_ids": tuple(self.namespaces["deadline"])},
            CeasefireAgreed: {"proposal_ids": proposals},
            CeasefireEnded: {"ceasefire_ids": ceasefires},
            PrisonersExchanged: {"agreement_ids": tuple(self.exchanges)},
            RemainsRepatriated: {"agreement_ids": tuple(self.exchanges)},
            TalksHeld: {"proposal_ids": proposals},  # talks may take up a proposal of either kind
            ProposalAnswered: {"proposal_addressees": dict(self.proposals)},
            ProposalWithdrawn: {"proposal_ids": proposals},
            AgreementReached: {"proposal_ids": proposals},
            AgreementStatusChanged: {"agreement_ids": tuple(agreements)},
            AgreementExtended: {"agreement_ids": tuple(agreements), "ceasefire_ids": ceasefires},
            CommitmentMet: {"agreement_terms": agreements},
            ViolationReported: {"agreement_terms": agreements, "ceasefire_ids": ceasefires},
            MeasureChanged: {"measure_kinds": dict(self.measures)},
            MeasureSuspended: {"measure_kinds": dict(self.measures)},
            MeasureReinstated: {"measure_ids": measures},
            MeasureLifted: {"measure_ids": measures},
        }
        return table.get(cls, {})
