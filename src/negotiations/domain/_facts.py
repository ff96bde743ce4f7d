"""The events of facts in the world as they unfold: contacts and statements, talks and
ceasefires, and aid. Sanctions and tariffs are in :mod:`negotiations.domain._measures`.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, Literal, TypeAlias

from attrs import field, frozen

from negotiations.domain import _fields as f
from negotiations.domain._envelope import EventBase
from negotiations.domain.values import Party, Person
from negotiations.errors import InvalidValueError

AidCategory: TypeAlias = Literal["military", "financial", "humanitarian"]
AID_CATEGORIES: Final[tuple[AidCategory, ...]] = ("military", "financial", "humanitarian")
TalksLevel: TypeAlias = Literal["delegations", "ministers", "leaders"]
TALKS_LEVELS: Final[tuple[TalksLevel, ...]] = ("delegations", "ministers", "leaders")


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
    """A round of talks between ``parties``, over one day or through ``ends``, at a ``level``,
    hosted and mediated by others, with the people of each ``delegations``. ``proposal_id``, when
    given, marks that proposal as taken up.
    """

    wire_type: ClassVar[str] = "TalksHeld"
    parties: tuple[Party, ...] = f.parties()
    venue: str = f.text()
    round: int | None = f.optional_count()
    summary: str | None = f.optional_text()
    proposal_id: str | None = f.optional_text()
    ends: date | None = f.optional_of(date)
    level: TalksLevel | None = f.optional_one_of(*TALKS_LEVELS)
    hosts: tuple[Party, ...] = f.parties(min_items=0)
    mediators: tuple[Party, ...] = f.parties(min_items=0)
    delegations: tuple[Person, ...] = field(default=(), validator=f.tuple_of(Person))

    def __attrs_post_init__(self) -> None:
        f.not_before("ends", self.ends, self.occurred.earliest, "the earliest day it began,")
        f.disjoint("hosts", self.hosts, self.parties, "its parties")
        f.disjoint("mediators", self.mediators, self.parties, "its parties")


@frozen(kw_only=True)
class CeasefireAgreed(EventBase):
    """A ceasefire, in force from ``starts`` (or when agreed) until ``ends`` or its end event;
    ``proposal_id`` names the proposal it settles, if any.
    """

    wire_type: ClassVar[str] = "CeasefireAgreed"
    ceasefire_id: str = f.text()
    parties: tuple[Party, ...] = f.parties()
    starts: date | None = f.optional_of(date)
    ends: date | None = f.optional_of(date)
    scope: str | None = f.optional_text()
    proposal_id: str | None = f.optional_text()

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
