"""The domain events: one frozen class per kind of fact, and the :data:`Event` union of them all.

Every event shares an envelope: ``id`` (unique in a log), ``occurred`` (a partial date),
``recorded`` (an aware datetime, when the fact entered the log) and ``sources``. Each class has a
``wire_type``, the stable name of its kind in JSON; it never follows the Python class name, so a
renamed class still reads every stored log.

The classes live in private modules by concern: the envelope (``_envelope``), facts in the world
(``_facts``), commitments (``_commitments``), proposals of terms and agreements
(``_agreements``) and the record itself (``_record``); this module
is their one public face, with the :data:`Event` union and the tables of kinds.
"""

from __future__ import annotations

from typing import Final, TypeAlias

from negotiations.domain._agreements import (
    AGREEMENT_STAGES,
    AGREEMENT_STATUSES,
    CHANGED_STATUSES,
    PROPOSAL_ANSWERS,
    REACHED_STATUSES,
    AgreementExtended,
    AgreementReached,
    AgreementStage,
    AgreementStatus,
    AgreementStatusChanged,
    ChangedStatus,
    CommitmentMet,
    ProposalAnswer,
    ProposalAnswered,
    ProposalWithdrawn,
    ReachedStatus,
    Term,
    TermsProposed,
    ViolationReported,
)
from negotiations.domain._commitments import (
    DeadlineChanged,
    DeadlineMet,
    DeadlineSet,
    DeadlineWithdrawn,
    PrisonerExchangeAgreed,
    PrisonersExchanged,
    RemainsRepatriated,
)
from negotiations.domain._envelope import EventBase
from negotiations.domain._facts import (
    AID_CATEGORIES,
    TALKS_LEVELS,
    AidAnnounced,
    AidCategory,
    AidPaused,
    AidResumed,
    CallHeld,
    CeasefireAgreed,
    CeasefireEnded,
    PositionStated,
    StatementMade,
    TalksHeld,
    TalksLevel,
    TalksProposed,
)
from negotiations.domain._measures import (
    ALL,
    MeasureChanged,
    MeasureLifted,
    MeasureReinstated,
    MeasureSuspended,
    SanctionsImposed,
    TariffsImposed,
)
from negotiations.domain._record import EventCorrected, EventRetracted, OpaqueEvent, ReportDisputed
from negotiations.domain.values import Person, Source

__all__ = [
    "AGREEMENT_STAGES",
    "AGREEMENT_STATUSES",
    "AID_CATEGORIES",
    "ALL",
    "AMENDMENT_TYPES",
    "CHANGED_STATUSES",
    "EVENT_TYPES",
    "FACT_TYPES",
    "MEASURE_TYPES",
    "NESTED_TYPES",
    "PROPOSAL_ANSWERS",
    "REACHED_STATUSES",
    "TALKS_LEVELS",
    "AgreementExtended",
    "AgreementReached",
    "AgreementStage",
    "AgreementStatus",
    "AgreementStatusChanged",
    "AidAnnounced",
    "AidCategory",
    "AidPaused",
    "AidResumed",
    "CallHeld",
    "CeasefireAgreed",
    "CeasefireEnded",
    "ChangedStatus",
    "CommitmentMet",
    "DeadlineChanged",
    "DeadlineMet",
    "DeadlineSet",
    "DeadlineWithdrawn",
    "Event",
    "EventBase",
    "EventCorrected",
    "EventRetracted",
    "MeasureChanged",
    "MeasureLifted",
    "MeasureReinstated",
    "MeasureSuspended",
    "OpaqueEvent",
    "PositionStated",
    "PrisonerExchangeAgreed",
    "PrisonersExchanged",
    "ProposalAnswer",
    "ProposalAnswered",
    "ProposalWithdrawn",
    "ReachedStatus",
    "RemainsRepatriated",
    "ReportDisputed",
    "SanctionsImposed",
    "StatementMade",
    "TalksHeld",
    "TalksLevel",
    "TalksProposed",
    "TariffsImposed",
    "Term",
    "TermsProposed",
    "ViolationReported",
]

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
    | TermsProposed
    | ProposalAnswered
    | ProposalWithdrawn
    | AgreementReached
    | AgreementStatusChanged
    | AgreementExtended
    | CommitmentMet
    | ViolationReported
    | MeasureChanged
    | MeasureSuspended
    | MeasureReinstated
    | MeasureLifted
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
    TermsProposed,
    ProposalAnswered,
    ProposalWithdrawn,
    AgreementReached,
    AgreementStatusChanged,
    AgreementExtended,
    CommitmentMet,
    ViolationReported,
    MeasureChanged,
    MeasureSuspended,
    MeasureReinstated,
    MeasureLifted,
    EventRetracted,
    EventCorrected,
    ReportDisputed,
)
"""Every event class with a wire type, in the order of the :data:`Event` union (all but
:class:`OpaqueEvent`).
"""

MEASURE_TYPES: Final[tuple[type[Event], ...]] = (
    SanctionsImposed,
    TariffsImposed,
    MeasureChanged,
    MeasureSuspended,
    MeasureReinstated,
    MeasureLifted,
)
"""The kinds of measures: the two that impose one, then the four that move it."""

NESTED_TYPES: Final[tuple[type, ...]] = (Person, Source, Term)
"""The classes an event's field may hold, each a JSON object of its own: people, sources and an
agreement's terms.
"""

AMENDMENT_TYPES: Final = (EventRetracted, EventCorrected)
"""The events that amend earlier events rather than record facts of the world."""

FACT_TYPES: Final[tuple[type[Event], ...]] = EVENT_TYPES[: EVENT_TYPES.index(EventRetracted)]
"""The event classes that record facts of the world: all but retractions, corrections and
disputes, which are about the record.
"""
