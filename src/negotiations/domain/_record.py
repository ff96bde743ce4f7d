"""The events about the record itself: retractions, corrections and disputes between sources,
and what a lenient reader keeps of an event of a kind it does not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from attrs import frozen

from negotiations.domain import _fields as f
from negotiations.domain._envelope import EventBase

# -- the record itself: retractions, corrections and disputes -----------------------------------


@frozen(kw_only=True)
class EventRetracted(EventBase):
    """The event ``target`` was wrong: once this is recorded, views behave as if it never
    happened. The log keeps both.
    """

    wire_type: ClassVar[str] = "EventRetracted"
    cameo: ClassVar[str | None] = None
    plover: ClassVar[str | None] = None
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = "about the record, not the world: export leaves it out"
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
    cameo: ClassVar[str | None] = None
    plover: ClassVar[str | None] = None
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = "about the record, not the world: export leaves it out"
    target: str = f.text()
    changes: Mapping[str, Any] = f.changes()
    reason: str | None = f.optional_text()


@frozen(kw_only=True)
class ReportDisputed(EventBase):
    """Sources disagree on one fact: ``claims`` are the ids of two or more events of one kind
    that report it differently. Views show the fact once, as disputed, with every claim.
    """

    wire_type: ClassVar[str] = "ReportDisputed"
    cameo: ClassVar[str | None] = None
    plover: ClassVar[str | None] = None
    plover_mode: ClassVar[str | None] = None
    plover_context: ClassVar[str | None] = None
    codes_note: ClassVar[str | None] = "about the record, not the world: export leaves it out"
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
