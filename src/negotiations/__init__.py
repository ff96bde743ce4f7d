"""negotiations: follow negotiations as typed, immutable events in an append-only log.

Record each fact as an event, append it to an :class:`EventLog`, and fold the log into views
with :func:`project`::

    >>> from datetime import date
    >>> from negotiations import project, seed_timeline
    >>> views = project(seed_timeline(), as_of=date(2025, 7, 20))
    >>> deadline = views.deadlines.by_id["us-ceasefire-ultimatum"]
    >>> deadline.due, deadline.days_left(views.as_of)
    (datetime.date(2025, 9, 2), 44)
"""

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from negotiations.codec import (
    decode_line,
    dumps,
    encode_line,
    from_json,
    read_events,
    to_json,
    write_events,
)
from negotiations.codec.schema import json_schema
from negotiations.domain import (
    AID_CATEGORIES,
    AMENDMENT_TYPES,
    EVENT_TYPES,
    FACT_TYPES,
    TALKS_LEVELS,
    AidAnnounced,
    AidCategory,
    AidPaused,
    AidResumed,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    Event,
    EventCorrected,
    EventRetracted,
    OpaqueEvent,
    PartialDate,
    Party,
    Person,
    PositionStated,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    Qualifier,
    RemainsRepatriated,
    ReportDisputed,
    SanctionsImposed,
    Source,
    StatementMade,
    TalksHeld,
    TalksLevel,
    TalksProposed,
    TariffsImposed,
)
from negotiations.errors import (
    DecodeError,
    DuplicateEventError,
    DuplicateKeyError,
    InvalidAmendmentError,
    InvalidValueError,
    LogError,
    NegotiationsError,
    RefoldRequiredError,
    UnknownReferenceError,
)
from negotiations.log import EventLog, check_lines, load_log, loads

if TYPE_CHECKING:
    from negotiations.projections import (
        AID,
        CONTACTS,
        DEADLINES,
        EXCHANGES,
        POSITIONS,
        PROJECTIONS,
        SANCTIONS,
        TALKS,
        TIMELINE,
        VIEW_NAMES,
        Agreement,
        AgreementStatus,
        Aid,
        Announcement,
        Batch,
        Builder,
        Ceasefire,
        Claim,
        Closure,
        Contact,
        Contacts,
        Deadline,
        DeadlineChange,
        Deadlines,
        DeadlineStatus,
        Entry,
        Evidence,
        Exchanges,
        LiveViews,
        Pause,
        Position,
        Positions,
        Projection,
        Proposal,
        Round,
        Sanctions,
        SanctionsPackage,
        Stance,
        Talks,
        Tariff,
        Timeline,
        View,
        Views,
        counted,
        counts_as_of,
        default_as_of,
        describe,
        is_known,
        project,
    )
    from negotiations.render import views_to_json, views_to_text
    from negotiations.seed import seed_timeline

# The views, their rendering and the seed timeline are imported when one of their names is first
# used, not by ``import negotiations``: they are the layers above the log, and took a fifth of
# the import (the views are some forty attrs classes). A program that reads, checks or writes
# events never loads them.
_FROM_PROJECTIONS: Final = (
    "AID", "CONTACTS", "DEADLINES", "EXCHANGES", "POSITIONS", "PROJECTIONS", "SANCTIONS", "TALKS",
    "TIMELINE", "VIEW_NAMES", "Agreement", "AgreementStatus", "Aid", "Announcement", "Batch",
    "Builder", "LiveViews",
    "Ceasefire", "Claim", "Closure", "Contact", "Contacts", "Deadline", "DeadlineChange", "Deadlines",
    "DeadlineStatus", "Entry", "Evidence", "Exchanges", "Pause", "Position", "Positions",
    "Projection", "Proposal", "Round", "Sanctions", "SanctionsPackage", "Stance", "Talks", "Tariff",
    "Timeline", "View", "Views", "counted", "counts_as_of", "default_as_of", "describe", "is_known",
    "project",
)  # fmt: skip
"""The names this module re-exports from :mod:`negotiations.projections`."""

_LAZY: Final[Mapping[str, str]] = {
    **dict.fromkeys(_FROM_PROJECTIONS, "negotiations.projections"),
    "views_to_json": "negotiations.render",
    "views_to_text": "negotiations.render",
    "seed_timeline": "negotiations.seed",
}
"""The module that defines each lazily imported name."""

_SUBMODULES: Final = frozenset({"projections", "render", "seed"})
"""The subpackages ``import negotiations`` used to import, still reachable as attributes."""


# Hidden from type checkers, which see each lazy name's own type above; a misspelt name stays
# an error for them instead of being Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:  # noqa: ANN401 - typed by the imports above
        """A lazily imported name, imported on first use (PEP 562)."""
        if name in _LAZY:
            value = getattr(importlib.import_module(_LAZY[name]), name)
        elif name in _SUBMODULES:
            value = importlib.import_module(f"{__name__}.{name}")
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value  # later reads find it without calling this again
        return value


def __dir__() -> list[str]:
    """The module's names, the lazily imported ones included."""
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AID",
    "AID_CATEGORIES",
    "AMENDMENT_TYPES",
    "CONTACTS",
    "DEADLINES",
    "EVENT_TYPES",
    "EXCHANGES",
    "FACT_TYPES",
    "POSITIONS",
    "PROJECTIONS",
    "SANCTIONS",
    "TALKS",
    "TALKS_LEVELS",
    "TIMELINE",
    "VIEW_NAMES",
    "Agreement",
    "AgreementStatus",
    "Aid",
    "AidAnnounced",
    "AidCategory",
    "AidPaused",
    "AidResumed",
    "Announcement",
    "Batch",
    "Builder",
    "CallHeld",
    "Ceasefire",
    "CeasefireAgreed",
    "CeasefireEnded",
    "Claim",
    "Closure",
    "Contact",
    "Contacts",
    "Deadline",
    "DeadlineChange",
    "DeadlineChanged",
    "DeadlineMet",
    "DeadlineSet",
    "DeadlineStatus",
    "DeadlineWithdrawn",
    "Deadlines",
    "DecodeError",
    "DuplicateEventError",
    "DuplicateKeyError",
    "Entry",
    "Event",
    "EventCorrected",
    "EventLog",
    "EventRetracted",
    "Evidence",
    "Exchanges",
    "InvalidAmendmentError",
    "InvalidValueError",
    "LiveViews",
    "LogError",
    "NegotiationsError",
    "OpaqueEvent",
    "PartialDate",
    "Party",
    "Pause",
    "Person",
    "Position",
    "PositionStated",
    "Positions",
    "PrisonerExchangeAgreed",
    "PrisonersExchanged",
    "Projection",
    "Proposal",
    "Qualifier",
    "RefoldRequiredError",
    "RemainsRepatriated",
    "ReportDisputed",
    "Round",
    "Sanctions",
    "SanctionsImposed",
    "SanctionsPackage",
    "Source",
    "Stance",
    "StatementMade",
    "Talks",
    "TalksHeld",
    "TalksLevel",
    "TalksProposed",
    "Tariff",
    "TariffsImposed",
    "Timeline",
    "UnknownReferenceError",
    "View",
    "Views",
    "check_lines",
    "counted",
    "counts_as_of",
    "decode_line",
    "default_as_of",
    "describe",
    "dumps",
    "encode_line",
    "from_json",
    "is_known",
    "json_schema",
    "load_log",
    "loads",
    "project",
    "read_events",
    "seed_timeline",
    "to_json",
    "views_to_json",
    "views_to_text",
    "write_events",
]
