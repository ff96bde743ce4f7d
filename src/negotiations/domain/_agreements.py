"""The events of what a negotiation produces: proposals of terms and the answers to them, and
agreements with their commitments, how each is kept, and the violations alleged.

A proposal of terms (:class:`TermsProposed`) shares its ``proposal_id`` namespace with a proposal
of talks; an agreement (:class:`AgreementReached`) shares its ``agreement_id`` namespace with a
prisoner-exchange agreement. Which ids a log defines, and what may refer to what, is the log's
business (:mod:`negotiations.log`); these classes check only what one event says on its own.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, Literal, TypeAlias

from attrs import field, frozen

from negotiations.domain import _fields as f
from negotiations.domain._envelope import EventBase
from negotiations.domain.values import PartialDate, Party
from negotiations.errors import InvalidValueError

ProposalAnswer: TypeAlias = Literal["accepted", "rejected", "countered"]
PROPOSAL_ANSWERS: Final[tuple[ProposalAnswer, ...]] = ("accepted", "rejected", "countered")
"""How an addressee may answer a proposal."""

AgreementStage: TypeAlias = Literal[
    "pre-negotiation", "partial", "comprehensive", "implementation", "renewal", "ceasefire"
]
AGREEMENT_STAGES: Final[tuple[AgreementStage, ...]] = (
    "pre-negotiation",
    "partial",
    "comprehensive",
    "implementation",
    "renewal",
    "ceasefire",
)
"""The stages of an agreement, as the PA-X peace agreements database names them."""

ReachedStatus: TypeAlias = Literal["agreed", "initialed", "signed"]
ChangedStatus: TypeAlias = Literal["initialed", "signed", "ratified", "in-force", "suspended", "terminated"]
AgreementStatus: TypeAlias = Literal[
    "agreed", "initialed", "signed", "ratified", "in-force", "suspended", "terminated"
]
"""Any status an agreement can have: a :data:`ReachedStatus` or a :data:`ChangedStatus`, as one
``Literal``, which the codec writes as one enum."""

REACHED_STATUSES: Final[tuple[ReachedStatus, ...]] = ("agreed", "initialed", "signed")
"""The statuses an agreement may be reached with: ``agreed`` (the default), ``initialed`` or
``signed``."""

CHANGED_STATUSES: Final[tuple[ChangedStatus, ...]] = (
    "initialed",
    "signed",
    "ratified",
    "in-force",
    "suspended",
    "terminated",
)
"""The statuses an :class:`AgreementStatusChanged` may move an agreement to."""

AGREEMENT_STATUSES: Final[tuple[AgreementStatus, ...]] = (*REACHED_STATUSES, *CHANGED_STATUSES[2:])
"""Every status an agreement can have, in the order an agreement may pass through them."""


def _check_within_days(occurred: PartialDate, within_days: int | None, field: str) -> None:
    """``within_days`` counts from ``occurred``, which must then be a whole day, and must not run
    past the last day a date can hold.
    """
    if within_days is None:
        return
    if not occurred.is_day:
        reason = f"'within_days' counts from 'occurred', which must be a whole day, not {occurred}"
        raise InvalidValueError(reason, field=field)
    try:
        occurred.plus_days(within_days)
    except OverflowError:
        reason = f"{within_days} days from {occurred} is past the year 9999"
        raise InvalidValueError(reason, field=field) from None


_ONE_SUBJECT: Final = "give exactly one of 'agreement_id' or 'ceasefire_id'"


# -- proposals of terms -------------------------------------------------------------------------


@frozen(kw_only=True)
class TermsProposed(EventBase):
    """A proposal of terms, such as a peace plan, a framework or a memorandum, put by
    ``proposer`` (with any ``co_proposers``) to the parties ``to``.
    """

    wire_type: ClassVar[str] = "TermsProposed"
    cameo: ClassVar[str | None] = "037"
    plover: ClassVar[str | None] = "AGREE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for proposing terms: an offer to settle is coded as intent to settle"
    )
    proposal_id: str = f.text()
    proposer: Party = f.party()
    to: tuple[Party, ...] = f.parties(min_items=1)
    title: str = f.text()
    co_proposers: tuple[Party, ...] = f.parties(min_items=0)
    points: tuple[str, ...] = f.texts()
    mediators: tuple[Party, ...] = f.parties(min_items=0)
    summary: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        if self.proposer in self.to:
            raise InvalidValueError(f"{self.proposer} cannot propose to itself", field="to")
        if self.proposer in self.co_proposers:
            reason = f"{self.proposer} is the proposer, not a co-proposer"
            raise InvalidValueError(reason, field="co_proposers")
        f.disjoint("co_proposers", self.co_proposers, self.to, "'to', the addressees")


@frozen(kw_only=True)
class ProposalAnswered(EventBase):
    """One addressee's answer to a proposal of talks or of terms. A later answer by the same
    party replaces its earlier one.
    """

    wire_type: ClassVar[str] = "ProposalAnswered"
    cameo: ClassVar[str | None] = "037"
    plover: ClassVar[str | None] = "AGREE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "the answer decides the code: this is an acceptance of terms; rejections (125, 127) and "
        "counters are coded as REJECT, mode meet"
    )
    proposal_id: str = f.text()
    party: Party = f.party()
    answer: ProposalAnswer = f.one_of(*PROPOSAL_ANSWERS)
    counter_proposal_id: str | None = f.optional_text()
    conditions: tuple[str, ...] = f.texts()
    summary: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        if self.counter_proposal_id is not None:
            if self.answer != "countered":
                reason = f"a counter-proposal goes only with the answer 'countered', not {self.answer!r}"
                raise InvalidValueError(reason, field="counter_proposal_id")
            if self.counter_proposal_id == self.proposal_id:
                reason = f"{self.proposal_id!r} cannot counter itself"
                raise InvalidValueError(reason, field="counter_proposal_id")


@frozen(kw_only=True)
class ProposalWithdrawn(EventBase):
    """The proposer withdrew a proposal of talks or of terms."""

    wire_type: ClassVar[str] = "ProposalWithdrawn"
    cameo: ClassVar[str | None] = None
    plover: ClassVar[str | None] = "REJECT"
    plover_mode: ClassVar[str | None] = "meet"
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for a proposer taking its offer back; PLOVER codes a cancelled meeting as REJECT"
    )
    proposal_id: str = f.text()
    reason: str | None = f.optional_text()


# -- agreements ---------------------------------------------------------------------------------


@frozen(kw_only=True)
class Term:
    """One commitment of an agreement: ``party`` commits to ``commitment``, by ``due`` or within
    ``within_days`` of the agreement (at most one of them), optionally for a ``quantity`` of
    ``unit``.
    """

    term_id: str = f.text()
    party: Party = f.party()
    commitment: str = f.text()
    due: date | None = f.optional_of(date)
    within_days: int | None = f.optional_count()
    quantity: float | None = f.optional_number()
    unit: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        if self.due is not None and self.within_days is not None:
            raise InvalidValueError("give at most one of 'due' or 'within_days'", field="due")

    def due_day(self, agreed: PartialDate) -> date | None:
        """The day the term falls due, for an agreement that ``agreed`` on a day: ``due``, or
        ``within_days`` after it; ``None`` when the term has no due day.
        """
        if self.due is not None:
            return self.due
        if self.within_days is not None:
            return agreed.plus_days(self.within_days)
        return None


@frozen(kw_only=True)
class AgreementReached(EventBase):
    """An agreement between ``parties``, with its ``terms``: who commits to what, by when."""

    wire_type: ClassVar[str] = "AgreementReached"
    cameo: ClassVar[str | None] = "057"
    plover: ClassVar[str | None] = "AGREE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "057 is a signed agreement, which PLOVER's crosswalk puts under SUPPORT: a signed one is "
        "exported as SUPPORT, one only agreed as AGREE"
    )
    agreement_id: str = f.text()
    parties: tuple[Party, ...] = f.parties()
    title: str = f.text()
    stage: AgreementStage | None = f.optional_one_of(*AGREEMENT_STAGES)
    status: ReachedStatus = f.one_of(*REACHED_STATUSES, default="agreed")
    mediators: tuple[Party, ...] = f.parties(min_items=0)
    guarantors: tuple[Party, ...] = f.parties(min_items=0)
    starts: date | None = f.optional_of(date)
    ends: date | None = f.optional_of(date)
    proposal_id: str | None = f.optional_text()
    terms: tuple[Term, ...] = field(default=(), validator=f.tuple_of(Term))

    def __attrs_post_init__(self) -> None:
        f.disjoint("mediators", self.mediators, self.parties, "its parties")
        f.disjoint("guarantors", self.guarantors, self.parties, "its parties")
        if self.starts is not None and self.ends is not None and self.ends < self.starts:
            raise InvalidValueError(f"ends {self.ends} before it starts {self.starts}", field="ends")
        seen: set[str] = set()
        for n, term in enumerate(self.terms):
            where = f"terms.{n}"
            if term.term_id in seen:
                raise InvalidValueError(f"term {term.term_id!r} is given twice", field=f"{where}.term_id")
            seen.add(term.term_id)
            if term.party not in self.parties:
                reason = f"{term.party} is not one of the parties {', '.join(self.parties)}"
                raise InvalidValueError(reason, field=f"{where}.party")
            _check_within_days(self.occurred, term.within_days, f"{where}.within_days")

    @property
    def term_ids(self) -> frozenset[str]:
        """The ids of the agreement's terms."""
        return frozenset(term.term_id for term in self.terms)


@frozen(kw_only=True)
class AgreementStatusChanged(EventBase):
    """An agreement was initialed, signed, ratified, brought into force, suspended or
    terminated.
    """

    wire_type: ClassVar[str] = "AgreementStatusChanged"
    cameo: ClassVar[str | None] = "057"
    plover: ClassVar[str | None] = "SUPPORT"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "fits signing and ratifying; bringing into force has no code, and a suspension or "
        "termination is coded as 160, SANCTION"
    )
    agreement_id: str = f.text()
    status: ChangedStatus = f.one_of(*CHANGED_STATUSES)
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class AgreementExtended(EventBase):
    """A new end day for an agreement or a ceasefire (exactly one of ``agreement_id`` or
    ``ceasefire_id``): ``ends``, or ``within_days`` counted from this event's ``occurred`` (then a
    whole day).
    """

    wire_type: ClassVar[str] = "AgreementExtended"
    cameo: ClassVar[str | None] = "030"
    plover: ClassVar[str | None] = "AGREE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for an extension: it is coded as intent to cooperate, and the new end day is lost"
    )
    agreement_id: str | None = f.optional_text()
    ceasefire_id: str | None = f.optional_text()
    ends: date | None = f.optional_of(date)
    within_days: int | None = f.optional_count()
    reason: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        if (self.agreement_id is None) == (self.ceasefire_id is None):
            raise InvalidValueError(_ONE_SUBJECT, field="agreement_id")
        if (self.ends is None) == (self.within_days is None):
            raise InvalidValueError("give exactly one of 'ends' or 'within_days'", field="ends")
        _check_within_days(self.occurred, self.within_days, "within_days")

    @property
    def ends_on(self) -> date:
        """The new end day."""
        if self.ends is not None:
            return self.ends
        return self.occurred.plus_days(self.within_days or 0)


@frozen(kw_only=True)
class CommitmentMet(EventBase):
    """A party did what one term of an agreement committed it to."""

    wire_type: ClassVar[str] = "CommitmentMet"
    cameo: ClassVar[str | None] = "060"
    plover: ClassVar[str | None] = "COOPERATE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = (
        "CAMEO and PLOVER code what was done, not that a promise was kept: the nearest is material "
        "cooperation"
    )
    agreement_id: str = f.text()
    term_id: str = f.text()
    summary: str | None = f.optional_text()


@frozen(kw_only=True)
class ViolationReported(EventBase):
    """``accuser`` alleges that ``accused`` broke an agreement (or one of its terms) or a ceasefire
    (exactly one of ``agreement_id`` or ``ceasefire_id``). It is an allegation, not a finding.
    """

    wire_type: ClassVar[str] = "ViolationReported"
    cameo: ClassVar[str | None] = "112"
    plover: ClassVar[str | None] = "ACCUSE"
    plover_mode: ClassVar[str | None] = "allege"
    plover_context: ClassVar[str | None] = "legal"
    codes_note: ClassVar[str | None] = None
    agreement_id: str | None = f.optional_text()
    ceasefire_id: str | None = f.optional_text()
    accuser: Party = f.party()
    accused: Party = f.party()
    term_id: str | None = f.optional_text()
    summary: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        if (self.agreement_id is None) == (self.ceasefire_id is None):
            raise InvalidValueError(_ONE_SUBJECT, field="agreement_id")
        if self.term_id is not None and self.agreement_id is None:
            raise InvalidValueError("a term_id goes only with an agreement_id", field="term_id")
        if self.accuser == self.accused:
            raise InvalidValueError(f"{self.accuser} cannot accuse itself", field="accused")
