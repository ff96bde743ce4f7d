"""The agreements view: every agreement reached, its commitments and how each is kept, its
status and end day as they moved, and the violations alleged.

Events are taken in order of their day (events of the same day in log order), so a log written
out of order gives the same view:

- ``status`` is the latest status: that of the last :class:`AgreementStatusChanged`, or the one
  the agreement was reached with. A violation alleged never changes it.
- ``ends`` is the end day of the last :class:`AgreementExtended`, or the one it was reached with.
- A term's due day is its ``due``, or ``within_days`` after the day the agreement was reached.
  Its status as of a day is ``met`` once its own :class:`CommitmentMet` is folded in (the first
  one counts), ``overdue`` once the day is after the due day, and ``pending`` up to and on it.
- ``history`` holds each status change and each extension, in order of day.

Whether an agreement is in force, and the days left, depend on the as-of day: pass the same
``as_of`` to :meth:`Accord.in_force` and :meth:`Accord.days_left` that the view was folded with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter
from typing import Final, Literal, TypeAlias

from attrs import frozen

from negotiations.domain.events import (
    AgreementExtended,
    AgreementReached,
    AgreementStage,
    AgreementStatus,
    AgreementStatusChanged,
    CommitmentMet,
    ViolationReported,
)
from negotiations.domain.values import PartialDate, Party
from negotiations.projections._projection import (
    EMPTY,
    Builder,
    Evidence,
    OneEvent,
    Projection,
    evolve,
    frozen_map,
)

__all__ = [
    "AGREEMENTS",
    "IN_FORCE_STATUSES",
    "Accord",
    "AgreementChange",
    "Agreements",
    "Commitment",
    "TermStatus",
    "Violation",
    "violation_of",
]

TermStatus: TypeAlias = Literal["met", "overdue", "pending"]

IN_FORCE_STATUSES: Final[frozenset[AgreementStatus]] = frozenset(("agreed", "signed", "ratified", "in-force"))
"""The statuses under which an agreement can be in force (``initialed``, ``suspended`` and
``terminated`` are not)."""


@frozen(kw_only=True)
class Violation(OneEvent):
    """A violation alleged: ``accuser`` says that ``accused`` broke an agreement (or one of its
    terms) or a ceasefire. An allegation, never a finding.
    """

    event_id: str
    occurred: PartialDate
    accuser: Party
    accused: Party
    term_id: str | None
    summary: str | None


def violation_of(event: ViolationReported) -> Violation:
    """The allegation ``event`` makes."""
    return Violation(
        event_id=event.id,
        occurred=event.occurred,
        accuser=event.accuser,
        accused=event.accused,
        term_id=event.term_id,
        summary=event.summary,
    )


@frozen(kw_only=True)
class AgreementChange(OneEvent):
    """One entry of an agreement's history: a change of its status (``kind`` ``status``, with the
    new ``status``) or an extension (``kind`` ``extended``, with the new ``ends``).
    """

    event_id: str
    occurred: PartialDate
    kind: Literal["status", "extended"]
    status: AgreementStatus | None
    ends: date | None
    reason: str | None


@frozen(kw_only=True)
class Commitment:
    """One term of an agreement: who commits to what, by when, and whether it was met."""

    agreement_id: str
    term_id: str
    party: Party
    commitment: str
    due: date | None
    """The due day: the term's ``due``, or ``within_days`` after the agreement was reached."""
    quantity: float | None
    unit: str | None
    event_id: str
    """The AgreementReached event that set the term."""
    met_on: PartialDate | None = None
    met_by: Evidence | None = None
    """The CommitmentMet event that met it."""

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this term: the agreement, then the event that met it."""
        agreed = Evidence(self.event_id)
        return (agreed,) if self.met_by is None else (agreed, self.met_by)

    def status(self, as_of: date) -> TermStatus:
        """``met``, ``overdue`` (after the due day, not met) or ``pending``, as of ``as_of``. A
        term is still pending on its due day.
        """
        if self.met_by is not None:
            return "met"
        return "overdue" if self.due is not None and as_of > self.due else "pending"


@frozen(kw_only=True)
class Accord:
    """One agreement reached (an AgreementReached event), its terms, its history and the
    violations alleged.
    """

    agreement_id: str
    title: str
    parties: tuple[Party, ...]
    stage: AgreementStage | None
    reached_as: AgreementStatus
    """The status it was reached with: ``agreed``, ``initialed`` or ``signed``."""
    mediators: tuple[Party, ...]
    guarantors: tuple[Party, ...]
    agreed_on: PartialDate
    starts: date | None
    agreed_ends: date | None
    """The end day it was reached with, before any extension."""
    proposal_id: str | None
    event_id: str
    terms: tuple[Commitment, ...] = ()
    history: tuple[AgreementChange, ...] = ()
    """Each status change and extension, in order of day."""
    violations: tuple[Violation, ...] = ()
    """Each violation alleged, in order of day."""

    @property
    def status(self) -> AgreementStatus:
        """The latest status: that of the last status change, or the one it was reached with."""
        for change in reversed(self.history):
            if change.status is not None:
                return change.status
        return self.reached_as

    @property
    def ends(self) -> date | None:
        """The latest end day: that of the last extension, or the one it was reached with."""
        for change in reversed(self.history):
            if change.ends is not None:
                return change.ends
        return self.agreed_ends

    def in_force(self, as_of: date) -> bool:
        """Whether the agreement holds on ``as_of``: its status is one of
        :data:`IN_FORCE_STATUSES`, ``as_of`` is not before ``starts`` nor after ``ends``.
        """
        ends = self.ends
        return (
            self.status in IN_FORCE_STATUSES
            and (self.starts is None or self.starts <= as_of)
            and (ends is None or as_of <= ends)
        )

    def days_left(self, as_of: date) -> int | None:
        """``ends`` minus ``as_of``, in days (negative once past); ``None`` without an end."""
        ends = self.ends
        return None if ends is None else (ends - as_of).days

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this agreement: the agreement, each change, each term met, then each
        violation alleged.
        """
        met = (t.met_by for t in self.terms if t.met_by is not None)
        return tuple(
            dict.fromkeys(
                (
                    Evidence(self.event_id),
                    *(e for c in self.history for e in c.provenance),
                    *met,
                    *(e for v in self.violations for e in v.provenance),
                )
            )
        )


@frozen(kw_only=True)
class Agreements:
    """Agreement id to :class:`Accord`, in order of the day each was reached."""

    by_id: Mapping[str, Accord] = EMPTY


_rank: Callable[[AgreementChange | Violation], int] = attrgetter("occurred.sort_rank")


class _Builder(Builder[Agreements]):
    __slots__ = ("by_id",)

    def __init__(self, view: Agreements) -> None:
        self.by_id = dict(view.by_id)

    def freeze(self) -> Agreements:
        # In order of the day reached; a stable sort keeps the log order within a day.
        ordered = sorted(self.by_id.values(), key=attrgetter("agreed_on.sort_rank"))
        return Agreements(by_id=frozen_map({a.agreement_id: a for a in ordered}))

    def reached(self, event: AgreementReached) -> None:
        self.by_id[event.agreement_id] = Accord(
            agreement_id=event.agreement_id,
            title=event.title,
            parties=event.parties,
            stage=event.stage,
            reached_as=event.status,
            mediators=event.mediators,
            guarantors=event.guarantors,
            agreed_on=event.occurred,
            starts=event.starts,
            agreed_ends=event.ends,
            proposal_id=event.proposal_id,
            event_id=event.id,
            terms=tuple(
                Commitment(
                    agreement_id=event.agreement_id,
                    term_id=term.term_id,
                    party=term.party,
                    commitment=term.commitment,
                    due=term.due_day(event.occurred),
                    quantity=term.quantity,
                    unit=term.unit,
                    event_id=event.id,
                )
                for term in event.terms
            ),
        )

    def _changed(self, agreement_id: str, change: AgreementChange) -> None:
        accord = self.by_id.get(agreement_id)
        if accord is None:  # reached after the as-of day
            return
        history = sorted((*accord.history, change), key=_rank)
        self.by_id[agreement_id] = evolve(accord, history=tuple(history))

    def status_changed(self, event: AgreementStatusChanged) -> None:
        change = AgreementChange(
            event_id=event.id,
            occurred=event.occurred,
            kind="status",
            status=event.status,
            ends=None,
            reason=event.reason,
        )
        self._changed(event.agreement_id, change)

    def extended(self, event: AgreementExtended) -> None:
        if event.agreement_id is None:  # a ceasefire's: the talks view takes it
            return
        change = AgreementChange(
            event_id=event.id,
            occurred=event.occurred,
            kind="extended",
            status=None,
            ends=event.ends_on,
            reason=event.reason,
        )
        self._changed(event.agreement_id, change)

    def met(self, event: CommitmentMet) -> None:
        accord = self.by_id.get(event.agreement_id)
        if accord is None:
            return
        terms = list(accord.terms)
        for n, term in enumerate(terms):
            if term.term_id == event.term_id and term.met_by is None:
                terms[n] = evolve(term, met_on=event.occurred, met_by=Evidence(event.id))
                self.by_id[event.agreement_id] = evolve(accord, terms=tuple(terms))
                return

    def violated(self, event: ViolationReported) -> None:
        if event.agreement_id is None:  # a ceasefire's: the talks view takes it
            return
        accord = self.by_id.get(event.agreement_id)
        if accord is None:
            return
        violations = sorted((*accord.violations, violation_of(event)), key=_rank)
        self.by_id[event.agreement_id] = evolve(accord, violations=tuple(violations))


AGREEMENTS: Projection[Agreements] = Projection(
    "agreements",
    Agreements(),
    _Builder,
    {
        AgreementReached: _Builder.reached,
        AgreementStatusChanged: _Builder.status_changed,
        AgreementExtended: _Builder.extended,
        CommitmentMet: _Builder.met,
        ViolationReported: _Builder.violated,
    },
)
"""The agreements projection."""
