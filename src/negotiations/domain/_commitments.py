"""The events of commitments and how they are kept: deadlines, and the exchanges of prisoners
and the repatriation of remains that parties agree to.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from attrs import frozen

from negotiations.domain import _fields as f
from negotiations.domain._envelope import EventBase
from negotiations.domain.values import Party
from negotiations.errors import InvalidValueError


def _exactly_one_due(event: DeadlineSet | DeadlineChanged) -> None:
    if (event.due is None) == (event.within_days is None):
        raise InvalidValueError("give exactly one of 'due' or 'within_days'", field="due")
    if event.within_days is not None:
        if not event.occurred.is_day:
            reason = f"'within_days' counts from 'occurred', which must be a whole day, not {event.occurred}"
            raise InvalidValueError(reason, field="within_days")
        try:
            event.occurred.plus_days(event.within_days)
        except OverflowError:
            reason = f"{event.within_days} days from {event.occurred} is past the year 9999"
            raise InvalidValueError(reason, field="within_days") from None


# -- deadlines ----------------------------------------------------------------------------------


@frozen(kw_only=True)
class DeadlineSet(EventBase):
    """An ultimatum: ``issuer`` demands ``demand`` of ``target`` by a day, or else ``consequence``.

    The day is ``due``, or ``within_days`` counted from ``occurred`` (then a whole day).
    """

    wire_type: ClassVar[str] = "DeadlineSet"
    cameo: ClassVar[str | None] = "139"
    plover: ClassVar[str | None] = "THREATEN"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = None
    deadline_id: str = f.text()
    issuer: Party = f.party()
    target: Party = f.party()
    demand: str = f.text()
    consequence: str | None = f.optional_text()
    due: date | None = f.optional_of(date)
    within_days: int | None = f.optional_count()

    def __attrs_post_init__(self) -> None:
        _exactly_one_due(self)

    @property
    def due_day(self) -> date:
        """The day the deadline falls due."""
        if self.due is not None:
            return self.due
        return self.occurred.plus_days(self.within_days or 0)


@frozen(kw_only=True)
class DeadlineChanged(EventBase):
    """A new due day for a deadline: ``due``, or ``within_days`` counted from this event's
    ``occurred`` (then a whole day).
    """

    wire_type: ClassVar[str] = "DeadlineChanged"
    cameo: ClassVar[str | None] = "139"
    plover: ClassVar[str | None] = "THREATEN"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for a changed deadline: it is coded as the ultimatum restated, though an"
        " extension is nearer 080 (CONCEDE)"
    )
    deadline_id: str = f.text()
    due: date | None = f.optional_of(date)
    within_days: int | None = f.optional_count()
    reason: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        _exactly_one_due(self)

    @property
    def due_day(self) -> date:
        """The new day the deadline falls due."""
        if self.due is not None:
            return self.due
        return self.occurred.plus_days(self.within_days or 0)


@frozen(kw_only=True)
class DeadlineWithdrawn(EventBase):
    """The issuer dropped the deadline."""

    wire_type: ClassVar[str] = "DeadlineWithdrawn"
    cameo: ClassVar[str | None] = "080"
    plover: ClassVar[str | None] = "CONCEDE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for a withdrawn ultimatum: the issuer backing off is coded as yielding"
    )
    deadline_id: str = f.text()
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class DeadlineMet(EventBase):
    """The target did what the deadline demanded."""

    wire_type: ClassVar[str] = "DeadlineMet"
    cameo: ClassVar[str | None] = "080"
    plover: ClassVar[str | None] = "CONCEDE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "the nearest code depends on what was demanded (a release is 0841, RETREAT); the generic "
        "one is yielding"
    )
    deadline_id: str = f.text()
    reason: str | None = f.optional_text()


# -- prisoners and remains ----------------------------------------------------------------------


@frozen(kw_only=True)
class PrisonerExchangeAgreed(EventBase):
    """An agreement to exchange prisoners between two parties.

    The numbers are ``per_side`` for a symmetric swap, or ``terms`` (party code to the number
    returned to that party) for an unequal one, or neither when the report gives none.
    """

    wire_type: ClassVar[str] = "PrisonerExchangeAgreed"
    cameo: ClassVar[str | None] = "0353"
    plover: ClassVar[str | None] = "AGREE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "rights_freedoms"
    codes_note: ClassVar[str | None] = None
    agreement_id: str = f.text()
    parties: tuple[Party, ...] = f.parties(min_items=2, max_items=2)
    categories: tuple[str, ...] = f.texts()
    venue: str | None = f.optional_text()
    per_side: int | None = f.optional_count()
    terms: Mapping[Party, int] | None = f.counts(optional=True)

    def __attrs_post_init__(self) -> None:
        if self.per_side is not None and self.terms is not None:
            raise InvalidValueError("give at most one of 'per_side' or 'terms'", field="terms")
        if self.terms is not None and set(self.terms) != set(self.parties):
            reason = f"must name exactly the parties {', '.join(self.parties)}"
            raise InvalidValueError(reason, field="terms")

    def owed(self) -> Mapping[Party, int] | None:
        """The number to be returned to each party, or ``None`` when the agreement gives none."""
        if self.terms is not None:
            return self.terms
        if self.per_side is not None:
            return dict.fromkeys(self.parties, self.per_side)
        return None


@frozen(kw_only=True)
class PrisonersExchanged(EventBase):
    """A batch of prisoners returned home: party code to the number of its people returned."""

    wire_type: ClassVar[str] = "PrisonersExchanged"
    cameo: ClassVar[str | None] = "0841"
    plover: ClassVar[str | None] = "RETREAT"
    plover_mode: ClassVar[str | None] = "release"
    plover_context: ClassVar[str | None] = "legal"
    codes_note: ClassVar[str | None] = None
    returned: Mapping[Party, int] = f.counts()
    agreement_id: str | None = f.optional_text()


@frozen(kw_only=True)
class RemainsRepatriated(EventBase):
    """Bodies repatriated: party code to the number of its dead returned."""

    wire_type: ClassVar[str] = "RemainsRepatriated"
    cameo: ClassVar[str | None] = "084"
    plover: ClassVar[str | None] = "RETREAT"
    plover_mode: ClassVar[str | None] = "return"
    plover_context: ClassVar[str | None] = "humanitarian"
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for returning the dead: it is neither a release of persons nor a return "
        "of property"
    )
    returned: Mapping[Party, int] = f.counts()
    agreement_id: str | None = f.optional_text()
