"""negotiations: follow negotiations as typed, immutable events in an append-only log.

Record each fact as an event, append it to an :class:`EventLog`, and fold the log into views
with :func:`project`::

    >>> from datetime import date
    >>> from negotiations import project, seed_timeline
    >>> views = project(seed_timeline(), as_of=date(2025, 7, 20))
    >>> deadline = views.deadlines.by_id["us-ceasefire-ultimatum"]
    >>> deadline.due, deadline.days_left(views.as_of)
    (datetime.date(2025, 9, 2), 44)

This module holds what a script uses: the events and their values, the log, every error, the
line codec and its JSON Schema, the views, what a log learnt since a moment (:func:`changes`),
the stores and the seed timeline. The rest lives in its subpackage: the view items and the
projection API in :mod:`negotiations.projections`, rendering in :mod:`negotiations.render`, the
kinds' constants in :mod:`negotiations.domain`, upcasting in :mod:`negotiations.codec`, the
backends in :mod:`negotiations.stores`.
"""

# The standard library's names are private here, so that every public name of this module is one
# of the library's own, each in __all__ (tests/test_api.py checks it).
import typing as _typing
from importlib import import_module as _import_module

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
    ALL,
    EVENT_TYPES,
    AgreementExtended,
    AgreementReached,
    AgreementStage,
    AgreementStatusChanged,
    AidAnnounced,
    AidCategory,
    AidPaused,
    AidResumed,
    CallHeld,
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
    OpaqueEvent,
    PartialDate,
    Party,
    Person,
    PositionStated,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    ProposalAnswer,
    ProposalAnswered,
    ProposalWithdrawn,
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
    Term,
    TermsProposed,
    ViolationReported,
)
from negotiations.errors import (
    ConcurrencyError,
    DecodeError,
    DuplicateEventError,
    DuplicateKeyError,
    InvalidAmendmentError,
    InvalidValueError,
    LogError,
    NegotiationsError,
    RefoldRequiredError,
    StoreError,
    UnknownReferenceError,
)
from negotiations.log import EventLog, check_lines, load_log, loads

if _typing.TYPE_CHECKING:
    from negotiations.projections import VIEW_NAMES, Changes, LiveViews, Views, changes, project
    from negotiations.seed import seed_timeline
    from negotiations.stores import open_store

# The views, the seed timeline and the stores are imported when one of their names is first used,
# not by ``import negotiations``: they are the layers above the log (the views alone took a fifth
# of the import: they are some forty attrs classes), and the stores bring pathlib and their
# backends. A program that reads, checks or writes events never loads them.
_LAZY: _typing.Final = {
    "Changes": "negotiations.projections",
    "LiveViews": "negotiations.projections",
    "VIEW_NAMES": "negotiations.projections",
    "Views": "negotiations.projections",
    "changes": "negotiations.projections",
    "project": "negotiations.projections",
    "seed_timeline": "negotiations.seed",
    "open_store": "negotiations.stores",
}
"""The module that defines each lazily imported name."""

_SUBMODULES: _typing.Final = frozenset({"projections", "render", "seed"})
"""The subpackages ``import negotiations`` used to import, still reachable as attributes."""


# Hidden from type checkers, which see each lazy name's own type above; a misspelt name stays
# an error for them instead of being Any.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> _typing.Any:  # noqa: ANN401 - typed by the imports above
        """A lazily imported name, imported on first use (PEP 562)."""
        if name in _LAZY:
            value = getattr(_import_module(_LAZY[name]), name)
        elif name in _SUBMODULES:
            value = _import_module(f"{__name__}.{name}")
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value  # later reads find it without calling this again
        return value


def __dir__() -> list[str]:
    """The module's names, the lazily imported ones included."""
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ALL",
    "EVENT_TYPES",
    "VIEW_NAMES",
    "AgreementExtended",
    "AgreementReached",
    "AgreementStage",
    "AgreementStatusChanged",
    "AidAnnounced",
    "AidCategory",
    "AidPaused",
    "AidResumed",
    "CallHeld",
    "CeasefireAgreed",
    "CeasefireEnded",
    "Changes",
    "CommitmentMet",
    "ConcurrencyError",
    "DeadlineChanged",
    "DeadlineMet",
    "DeadlineSet",
    "DeadlineWithdrawn",
    "DecodeError",
    "DuplicateEventError",
    "DuplicateKeyError",
    "Event",
    "EventCorrected",
    "EventLog",
    "EventRetracted",
    "InvalidAmendmentError",
    "InvalidValueError",
    "LiveViews",
    "LogError",
    "MeasureChanged",
    "MeasureLifted",
    "MeasureReinstated",
    "MeasureSuspended",
    "NegotiationsError",
    "OpaqueEvent",
    "PartialDate",
    "Party",
    "Person",
    "PositionStated",
    "PrisonerExchangeAgreed",
    "PrisonersExchanged",
    "ProposalAnswer",
    "ProposalAnswered",
    "ProposalWithdrawn",
    "Qualifier",
    "RefoldRequiredError",
    "RemainsRepatriated",
    "ReportDisputed",
    "SanctionsImposed",
    "Source",
    "StatementMade",
    "StoreError",
    "TalksHeld",
    "TalksLevel",
    "TalksProposed",
    "TariffsImposed",
    "Term",
    "TermsProposed",
    "UnknownReferenceError",
    "Views",
    "ViolationReported",
    "changes",
    "check_lines",
    "decode_line",
    "dumps",
    "encode_line",
    "from_json",
    "json_schema",
    "load_log",
    "loads",
    "open_store",
    "project",
    "read_events",
    "seed_timeline",
    "to_json",
    "write_events",
]
