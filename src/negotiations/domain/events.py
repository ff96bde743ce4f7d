"""The domain events: one frozen class per kind of fact, and the :data:`Event` union of them all.

Every event shares an envelope: ``id`` (unique in a log), ``occurred`` (a partial date),
``recorded`` (an aware datetime, when the fact entered the log) and ``sources``. Each class has a
``wire_type``, the stable name of its kind in JSON; it never follows the Python class name, so a
renamed class still reads every stored log.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Final, Literal, TypeAlias

from attrs import field, frozen

from negotiations.domain import _fields as f
from negotiations.domain.values import PartialDate, Party, Person, Source
from negotiations.errors import InvalidValueError

__all__ = [
    "AID_CATEGORIES",
    "AMENDMENT_TYPES",
    "EVENT_TYPES",
    "FACT_TYPES",
    "TALKS_LEVELS",
    "AidAnnounced",
    "AidCategory",
    "AidPaused",
    "AidResumed",
    "CallHeld",
    "CeasefireAgreed",
    "CeasefireEnded",
    "DeadlineChanged",
    "DeadlineMet",
    "DeadlineSet",
    "DeadlineWithdrawn",
    "Event",
    "EventBase",
    "EventCorrected",
    "EventRetracted",
    "OpaqueEvent",
    "PositionStated",
    "PrisonerExchangeAgreed",
    "PrisonersExchanged",
    "RemainsRepatriated",
    "ReportDisputed",
    "SanctionsImposed",
    "StatementMade",
    "TalksHeld",
    "TalksLevel",
    "TalksProposed",
    "TariffsImposed",
]

AidCategory: TypeAlias = Literal["military", "financial", "humanitarian"]
AID_CATEGORIES: Final[tuple[AidCategory, ...]] = ("military", "financial", "humanitarian")
TalksLevel: TypeAlias = Literal["delegations", "ministers", "leaders"]
TALKS_LEVELS: Final[tuple[TalksLevel, ...]] = ("delegations", "ministers", "leaders")


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


@frozen(kw_only=True)
class EventBase:
    """The envelope every event carries. Not an event kind itself."""

    wire_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    id: str = f.text()
    occurred: PartialDate = field(validator=f.instance_of(PartialDate))
    recorded: datetime = field(validator=f.aware)
    sources: tuple[Source, ...] = field(default=(), validator=f.tuple_of(Source))


# -- contacts and statements --------------------------------------------------------------------


@frozen(kw_only=True)
class CallHeld(EventBase):
    """A phone or video call between two or more parties."""

    wire_type: ClassVar[str] = "CallHeld"
    parties: tuple[Party, ...] = f.parties()
    persons: tuple[Person, ...] = field(default=(), validator=f.tuple_of(Person))
    summary: str | None = f.optional_text()


@frozen(kw_only=True)
class StatementMade(EventBase):
    """A public statement by a party, often by one of its people, through some channel."""

    wire_type: ClassVar[str] = "StatementMade"
    party: Party = f.party()
    summary: str = f.text()
    speaker: Person | None = f.optional_of(Person)
    channel: str | None = f.optional_text()


@frozen(kw_only=True)
class PositionStated(EventBase):
    """A party's stance on an issue, with its demands. It replaces that party's earlier stance
    on the same issue.
    """

    wire_type: ClassVar[str] = "PositionStated"
    party: Party = f.party()
    issue: str = f.issue()
    stance: str = f.text()
    demands: tuple[str, ...] = f.texts()
    speaker: Person | None = f.optional_of(Person)


# -- talks and ceasefires -----------------------------------------------------------------------


@frozen(kw_only=True)
class TalksProposed(EventBase):
    """A proposal of talks, open until talks are held under its ``proposal_id``."""

    wire_type: ClassVar[str] = "TalksProposed"
    proposal_id: str = f.text()
    proposer: Party = f.party()
    counterpart: Party = f.party()
    level: TalksLevel = f.one_of(*TALKS_LEVELS)
    venue: str | None = f.optional_text()
    proposed_by: Person | None = f.optional_of(Person)


@frozen(kw_only=True)
class TalksHeld(EventBase):
    """A round of talks. ``proposal_id``, when given, marks that proposal as taken up."""

    wire_type: ClassVar[str] = "TalksHeld"
    parties: tuple[Party, ...] = f.parties()
    venue: str = f.text()
    round: int | None = f.optional_count()
    summary: str | None = f.optional_text()
    proposal_id: str | None = f.optional_text()


@frozen(kw_only=True)
class CeasefireAgreed(EventBase):
    """A ceasefire, in force from ``starts`` (or when agreed) until ``ends`` or its end event."""

    wire_type: ClassVar[str] = "CeasefireAgreed"
    ceasefire_id: str = f.text()
    parties: tuple[Party, ...] = f.parties()
    starts: date | None = f.optional_of(date)
    ends: date | None = f.optional_of(date)
    scope: str | None = f.optional_text()

    def __attrs_post_init__(self) -> None:
        if self.starts is not None and self.ends is not None and self.ends < self.starts:
            raise InvalidValueError(f"ends {self.ends} before it starts {self.starts}", field="ends")


@frozen(kw_only=True)
class CeasefireEnded(EventBase):
    """The end of a ceasefire, by breach, expiry or decision."""

    wire_type: ClassVar[str] = "CeasefireEnded"
    ceasefire_id: str = f.text()
    reason: str | None = f.optional_text()


# -- aid, sanctions and tariffs -----------------------------------------------------------------


@frozen(kw_only=True)
class AidAnnounced(EventBase):
    """Aid announced by a donor for a recipient."""

    wire_type: ClassVar[str] = "AidAnnounced"
    donor: Party = f.party()
    recipient: Party = f.party()
    category: AidCategory = f.one_of(*AID_CATEGORIES)
    items: tuple[str, ...] = f.texts()
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class AidPaused(EventBase):
    """A pause of a donor's aid of one category to a recipient, active until resumed."""

    wire_type: ClassVar[str] = "AidPaused"
    donor: Party = f.party()
    recipient: Party = f.party()
    category: AidCategory = f.one_of(*AID_CATEGORIES)
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class AidResumed(EventBase):
    """The end of a pause of a donor's aid of one category to a recipient."""

    wire_type: ClassVar[str] = "AidResumed"
    donor: Party = f.party()
    recipient: Party = f.party()
    category: AidCategory = f.one_of(*AID_CATEGORIES)
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class SanctionsImposed(EventBase):
    """Sanctions imposed by one party on another."""

    wire_type: ClassVar[str] = "SanctionsImposed"
    imposer: Party = f.party()
    target: Party = f.party()
    measures: tuple[str, ...] = f.texts(min_items=1)
    sectors: tuple[str, ...] = f.texts()
    package: str | None = f.optional_text()


@frozen(kw_only=True)
class TariffsImposed(EventBase):
    """Tariffs imposed by one party on another, at a rate in percent."""

    wire_type: ClassVar[str] = "TariffsImposed"
    imposer: Party = f.party()
    target: Party = f.party()
    rate_percent: float = f.number()
    basis: str | None = f.optional_text()


# -- deadlines ----------------------------------------------------------------------------------


@frozen(kw_only=True)
class DeadlineSet(EventBase):
    """An ultimatum: ``issuer`` demands ``demand`` of ``target`` by a day, or else ``consequence``.

    The day is ``due``, or ``within_days`` counted from ``occurred`` (then a whole day).
    """

    wire_type: ClassVar[str] = "DeadlineSet"
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
    deadline_id: str = f.text()
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class DeadlineMet(EventBase):
    """The target did what the deadline demanded."""

    wire_type: ClassVar[str] = "DeadlineMet"
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
    returned: Mapping[Party, int] = f.counts()
    agreement_id: str | None = f.optional_text()


@frozen(kw_only=True)
class RemainsRepatriated(EventBase):
    """Bodies repatriated: party code to the number of its dead returned."""

    wire_type: ClassVar[str] = "RemainsRepatriated"
    returned: Mapping[Party, int] = f.counts()
    agreement_id: str | None = f.optional_text()


# -- the record itself: retractions, corrections and disputes -----------------------------------


@frozen(kw_only=True)
class EventRetracted(EventBase):
    """The event ``target`` was wrong: once this is recorded, views behave as if it never
    happened. The log keeps both.
    """

    wire_type: ClassVar[str] = "EventRetracted"
    target: str = f.text()
    reason: str = f.text()


@frozen(kw_only=True)
class EventCorrected(EventBase):
    """The event ``target`` had some fields wrong: once this is recorded, views use the target
    with ``changes`` applied.

    ``changes`` holds the changed fields in their JSON form, such as ``{"returned": {"UKR":
    6057}}``; the corrected event must be a valid event of the target's kind. A target that is
    itself a correction stands for the event that correction corrects, so corrections of one
    fact apply in log order.
    """

    wire_type: ClassVar[str] = "EventCorrected"
    target: str = f.text()
    changes: Mapping[str, Any] = f.changes()
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class ReportDisputed(EventBase):
    """Sources disagree on one fact: ``claims`` are the ids of two or more events of one kind
    that report it differently. Views show the fact once, as disputed, with every claim.
    """

    wire_type: ClassVar[str] = "ReportDisputed"
    claims: tuple[str, ...] = f.texts(min_items=2, unique=True)
    subject: str | None = f.optional_text()


# -- what a lenient reader keeps of kinds it does not know -------------------------------------


@frozen(kw_only=True)
class OpaqueEvent(EventBase):
    """An event of a kind this version of the library does not know, kept by a lenient reader.

    Its envelope is read as usual; ``data`` is the whole JSON object as it was read, so that
    writing the event out again loses nothing. Views pass it over.
    """

    wire_type: ClassVar[str] = "(opaque)"
    kind: str = f.text()
    """The event's ``type`` on the wire."""
    data: Mapping[str, Any] = f.json_object()


Event: TypeAlias = (
    CallHeld
    | StatementMade
    | PositionStated
    | TalksProposed
    | TalksHeld
    | CeasefireAgreed
    | CeasefireEnded
    | AidAnnounced
    | AidPaused
    | AidResumed
    | SanctionsImposed
    | TariffsImposed
    | DeadlineSet
    | DeadlineChanged
    | DeadlineWithdrawn
    | DeadlineMet
    | PrisonerExchangeAgreed
    | PrisonersExchanged
    | RemainsRepatriated
    | EventRetracted
    | EventCorrected
    | ReportDisputed
    | OpaqueEvent
)
"""Any event. ``match`` over it is checked for exhaustiveness by mypy."""

EVENT_TYPES: Final[tuple[type[Event], ...]] = (
    CallHeld,
    StatementMade,
    PositionStated,
    TalksProposed,
    TalksHeld,
    CeasefireAgreed,
    CeasefireEnded,
    AidAnnounced,
    AidPaused,
    AidResumed,
    SanctionsImposed,
    TariffsImposed,
    DeadlineSet,
    DeadlineChanged,
    DeadlineWithdrawn,
    DeadlineMet,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
    EventRetracted,
    EventCorrected,
    ReportDisputed,
)
"""Every event class with a wire type, in the order of the :data:`Event` union (all but
:class:`OpaqueEvent`).
"""

AMENDMENT_TYPES: Final = (EventRetracted, EventCorrected)
"""The events that amend earlier events rather than record facts of the world."""

FACT_TYPES: Final[tuple[type[Event], ...]] = EVENT_TYPES[: EVENT_TYPES.index(EventRetracted)]
"""The event classes that record facts of the world: all but retractions, corrections and
disputes, which are about the record.
"""
