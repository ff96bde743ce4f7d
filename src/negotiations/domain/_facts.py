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
    cameo: ClassVar[str | None] = "041"
    plover: ClassVar[str | None] = "CONSULT"
    plover_mode: ClassVar[str | None] = "phone"
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = None
    parties: tuple[Party, ...] = f.parties()
    persons: tuple[Person, ...] = field(default=(), validator=f.tuple_of(Person))
    summary: str | None = f.optional_text()


@frozen(kw_only=True)
class StatementMade(EventBase):
    """A public statement by a party, often by one of its people, through some channel."""

    wire_type: ClassVar[str] = "StatementMade"
    cameo: ClassVar[str | None] = "010"
    plover: ClassVar[str | None] = None
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = (
        "PLOVER drops CAMEO's statements (cue category 01); a statement is coded by its content, "
        "which this kind does not classify"
    )
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
    cameo: ClassVar[str | None] = "010"
    plover: ClassVar[str | None] = None
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = (
        "a stance is a statement, which PLOVER drops; a stance with demands is coded as CAMEO 100, DEMAND"
    )
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
    cameo: ClassVar[str | None] = "036"
    plover: ClassVar[str | None] = "AGREE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = (
        "CAMEO has intent to meet (036) and an appeal to meet (026, which PLOVER drops), but no "
        "proposal of talks"
    )
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
    cameo: ClassVar[str | None] = "046"
    plover: ClassVar[str | None] = "CONSULT"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "diplomatic"
    codes_note: ClassVar[str | None] = None
    parties: tuple[Party, ...] = f.parties()
    venue: str = f.text()
    round: int | None = f.optional_count()
    summary: str | None = f.optional_text()
    proposal_id: str | None = f.optional_text()
    ends: date | None = f.optional_of(date)
    level: TalksLevel | None = f.optional_one_of(*TALKS_LEVELS)
    # Added after the first release: written only when not empty, so older rounds write as before.
    hosts: tuple[Party, ...] = f.parties(min_items=0, omit_empty=True)
    mediators: tuple[Party, ...] = f.parties(min_items=0, omit_empty=True)
    delegations: tuple[Person, ...] = field(
        default=(), validator=f.tuple_of(Person), metadata={f.OMIT_EMPTY: True}
    )

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
    cameo: ClassVar[str | None] = "0871"
    plover: ClassVar[str | None] = "CONCEDE"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "military"
    codes_note: ClassVar[str | None] = (
        "the PLOVER manual puts a declared ceasefire under CONCEDE; its 2021 crosswalk puts 0871 "
        "under RETREAT, mode ceasefire"
    )
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
    cameo: ClassVar[str | None] = "196"
    plover: ClassVar[str | None] = "ASSAULT"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = "military"
    codes_note: ClassVar[str | None] = (
        "coded as a breach (196); a decision not to keep it is nearer 1246 (REJECT, yield), and an "
        "expiry has no code"
    )
    ceasefire_id: str = f.text()
    reason: str | None = f.optional_text()


# -- aid, sanctions and tariffs -----------------------------------------------------------------


@frozen(kw_only=True)
class AidAnnounced(EventBase):
    """Aid announced by a donor for a recipient."""

    wire_type: ClassVar[str] = "AidAnnounced"
    cameo: ClassVar[str | None] = "070"
    plover: ClassVar[str | None] = "AID"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = (
        "an announcement is between a pledge (033, AGREE) and a delivery (07x, AID)"
    )
    donor: Party = f.party()
    recipient: Party = f.party()
    category: AidCategory = f.one_of(*AID_CATEGORIES)
    items: tuple[str, ...] = f.texts()
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class AidPaused(EventBase):
    """A pause of a donor's aid of one category to a recipient, active until resumed."""

    wire_type: ClassVar[str] = "AidPaused"
    cameo: ClassVar[str | None] = "162"
    plover: ClassVar[str | None] = "SANCTION"
    plover_mode: ClassVar[str | None] = "withdraw"
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = None
    donor: Party = f.party()
    recipient: Party = f.party()
    category: AidCategory = f.one_of(*AID_CATEGORIES)
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class AidResumed(EventBase):
    """The end of a pause of a donor's aid of one category to a recipient."""

    wire_type: ClassVar[str] = "AidResumed"
    cameo: ClassVar[str | None] = "070"
    plover: ClassVar[str | None] = "AID"
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = (
        "CAMEO has no code for resuming aid; resuming it is coded as providing it"
    )
    donor: Party = f.party()
    recipient: Party = f.party()
    category: AidCategory = f.one_of(*AID_CATEGORIES)
    reason: str | None = f.optional_text()
