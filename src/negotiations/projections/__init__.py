"""Projections: pure folds of the log into current-state views.

Each view has a :class:`Projection`, a pure ``(view, event) -> view`` step. :func:`project` folds
a log into every view at once, as of a day (valid time) and as known at a moment (record time);
:meth:`Views.apply` folds one more event in, which gives exactly what a fold of the longer log
gives, unless the event is a retraction or correction: those change events already folded, so
the log must be folded again.

The fields of :class:`Views` are the registry of views: a view is its module (its items, its
builder and its :class:`Projection`) and one field there, from which :data:`PROJECTIONS`,
:data:`VIEW_NAMES` and :data:`View` are read. Every fold runs through one driver, :class:`Fold`.

:func:`changes` folds nothing: it lists what a log learnt between two moments of record time,
its new facts, corrections, retractions and disputes, each with the id of its event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, Final, TypeAlias, TypeVar, get_args

from attrs import evolve, field, fields, frozen

from negotiations.domain.events import AMENDMENT_TYPES, Event, OpaqueEvent, ReportDisputed
from negotiations.domain.values import Source
from negotiations.errors import RefoldRequiredError
from negotiations.projections._changes import (
    Changes,
    Correction,
    Dispute,
    FieldChange,
    NewFact,
    Retraction,
    changes,
)
from negotiations.projections._citations import Citations
from negotiations.projections._citations import uncited as _uncited
from negotiations.projections._projection import (
    Builder,
    Evidence,
    Fold,
    Projection,
    amendments_of,
    counted,
    counts_as_of,
    is_known,
    quiet_collector,
)
from negotiations.projections.agreements import (
    AGREEMENTS,
    IN_FORCE_STATUSES,
    Accord,
    AgreementChange,
    Agreements,
    Commitment,
    TermStatus,
    Violation,
)
from negotiations.projections.aid import AID, Aid, Announcement, Pause
from negotiations.projections.contacts import CONTACTS, Contact, Contacts
from negotiations.projections.deadlines import (
    DEADLINES,
    Closure,
    Deadline,
    DeadlineChange,
    Deadlines,
    DeadlineStatus,
)
from negotiations.projections.exchanges import EXCHANGES, Agreement, AgreementStatus, Batch, Claim, Exchanges
from negotiations.projections.measures import ACTIVE_STATUSES, Measure, MeasureMove, MeasureStatus
from negotiations.projections.positions import POSITIONS, Position, Positions, Stance
from negotiations.projections.sanctions import SANCTIONS, Sanctions, SanctionsPackage, Tariff
from negotiations.projections.talks import TALKS, Answer, Ceasefire, Proposal, ProposalStatus, Round, Talks
from negotiations.projections.timeline import TIMELINE, Entry, Timeline, describe

__all__ = [
    "ACTIVE_STATUSES",
    "AGREEMENTS",
    "AID",
    "CONTACTS",
    "DEADLINES",
    "EXCHANGES",
    "IN_FORCE_STATUSES",
    "POSITIONS",
    "PROJECTIONS",
    "SANCTIONS",
    "TALKS",
    "TIMELINE",
    "VIEW_NAMES",
    "Accord",
    "Agreement",
    "AgreementChange",
    "AgreementStatus",
    "Agreements",
    "Aid",
    "Announcement",
    "Answer",
    "Batch",
    "Builder",
    "Ceasefire",
    "Changes",
    "Citations",
    "Claim",
    "Closure",
    "Commitment",
    "Contact",
    "Contacts",
    "Correction",
    "Deadline",
    "DeadlineChange",
    "DeadlineStatus",
    "Deadlines",
    "Dispute",
    "Entry",
    "Evidence",
    "Exchanges",
    "FieldChange",
    "Fold",
    "LiveViews",
    "Measure",
    "MeasureMove",
    "MeasureStatus",
    "NewFact",
    "Pause",
    "Position",
    "Positions",
    "Projection",
    "Proposal",
    "ProposalStatus",
    "Retraction",
    "Round",
    "Sanctions",
    "SanctionsPackage",
    "Stance",
    "Talks",
    "Tariff",
    "TermStatus",
    "Timeline",
    "View",
    "Views",
    "Violation",
    "amendments_of",
    "changes",
    "counted",
    "counts_as_of",
    "describe",
    "is_known",
    "project",
    "quiet_collector",
]

_V = TypeVar("_V")

_PROJECTION: Final = "projection"
"""The key of a :class:`Views` field's metadata that holds the field's projection."""


def _registered(projection: Projection[_V]) -> _V:
    """A field of :class:`Views` holding ``projection``'s view, empty by default: one entry of the
    registry of views.
    """
    return field(default=projection.empty, metadata={_PROJECTION: projection})


def _counts_next(event: Event, as_of: date | None, known_at: datetime | None) -> bool:
    """Whether ``event``, folded after the events of views as of ``as_of`` and as known at
    ``known_at``, counts in them; raise :class:`RefoldRequiredError` for an amendment.
    """
    kind = type(event)
    if kind in AMENDMENT_TYPES:
        reason = f"'{event.id}' amends an event already folded; fold the log again with project()"
        raise RefoldRequiredError(reason, field="type")
    if kind is OpaqueEvent or not is_known(event, known_at):
        return False
    return kind is ReportDisputed or counts_as_of(event, as_of)


@frozen(kw_only=True)
class Views:
    """Every view of a log, folded as of one day (``as_of``; ``None``: no cut-off, for an empty
    log) and as known at one moment (``known_at``; ``None``: everything recorded).

    Its fields are the registry of views: :data:`PROJECTIONS` and :data:`VIEW_NAMES` are read
    from them, and :data:`View` and the renderers are checked against them. A view is added by
    writing its module and one field here, named after its projection, in the order the views
    are shown (and its type in :data:`View`, which a type checker must be able to read).

    The views keep the ids of the events behind their items, not those events' sources:
    :attr:`citations` reads the sources back from the log when an item is rendered or explained.
    """

    as_of: date | None
    known_at: datetime | None = None
    citations: Citations | None = field(default=None, eq=False, repr=False, kw_only=True)
    """Where the sources of the events behind the items are read from: set by :func:`project`,
    ``None`` for views folded without their log (give the renderers one then)."""
    deadlines: Deadlines = _registered(DEADLINES)
    exchanges: Exchanges = _registered(EXCHANGES)
    positions: Positions = _registered(POSITIONS)
    talks: Talks = _registered(TALKS)
    agreements: Agreements = _registered(AGREEMENTS)
    aid: Aid = _registered(AID)
    sanctions: Sanctions = _registered(SANCTIONS)
    contacts: Contacts = _registered(CONTACTS)
    timeline: Timeline = _registered(TIMELINE)

    def sources_of(self, event_id: str) -> tuple[Source, ...]:
        """The sources the event ``event_id`` cites, as corrected, read from the log through
        :attr:`citations`; none for an id the log does not hold.

        Raises:
            NegotiationsError: the views were folded without their log (by
                :class:`LiveViews`, say), so they have no citations.

        """
        if self.citations is None:
            raise _uncited(event_id)
        return self.citations(event_id)

    def event_of(self, event_id: str) -> Event | None:
        """The event ``event_id`` as these views counted it (corrected), read from the log
        through :attr:`citations`: what a renderer reads an item's text from. ``None`` for an id
        the log does not hold.

        Raises:
            NegotiationsError: the views were folded without their log, so they have no
                citations.

        """
        if self.citations is None:
            raise _uncited(event_id)
        return self.citations.event(event_id)

    def summary_of(self, event_id: str) -> str:
        """The one-line summary of the event ``event_id`` (:func:`describe` of it, as counted),
        as the timeline shows it; empty for an id the log does not hold.

        Raises:
            NegotiationsError: the views were folded without their log, so they have no
                citations.

        """
        event = self.event_of(event_id)
        return "" if event is None else describe(event)

    def view(self, name: str) -> View:
        """The view called ``name``, one of :data:`VIEW_NAMES`."""
        if name not in PROJECTIONS:
            raise KeyError(f"no view {name!r}; the views are {', '.join(VIEW_NAMES)}")
        view: View = getattr(self, name)
        return view

    def apply(self, event: Event) -> Views:
        """These views with one more event folded in, if it counts as of :attr:`as_of` and as
        known at :attr:`known_at`.

        Raises:
            RefoldRequiredError: ``event`` is a retraction or a correction, which changes events
                already folded: fold the log again with :func:`project`.

        """
        return self._step(event) if _counts_next(event, self.as_of, self.known_at) else self

    def _step(self, event: Event) -> Views:
        changed = {}
        for name, projection in PROJECTIONS.items():
            if type(event) in projection.steps:
                changed[name] = projection.apply(getattr(self, name), event)
        if not changed:
            return self
        citations = None if self.citations is None else self.citations.plus(event)
        return evolve(self, citations=citations, **changed)


def _registry(views: type[Views]) -> dict[str, Projection[Any]]:
    """Every projection of a field of ``views``, by view name, in the order of the fields."""
    found: dict[str, Projection[Any]] = {}
    for view in fields(views):
        projection = view.metadata.get(_PROJECTION)
        if projection is None:
            continue
        if view.name != projection.name:
            reason = f"Views.{view.name} holds the {projection.name!r} view; name it {projection.name}"
            raise TypeError(reason)
        found[view.name] = projection
    return found


PROJECTIONS: Final[Mapping[str, Projection[Any]]] = _registry(Views)
"""Every projection, by view name, in the order they are shown: the fields of :class:`Views`."""

VIEW_NAMES: Final[tuple[str, ...]] = tuple(PROJECTIONS)
"""The view names, in the order they are shown."""

View: TypeAlias = (
    Deadlines | Exchanges | Positions | Talks | Agreements | Aid | Sanctions | Contacts | Timeline
)
"""Any one view: the union of every registered view's type, written out so that a type checker
can read it, and checked against the registry when this module is imported.
"""

if set(get_args(View)) != {type(p.empty) for p in PROJECTIONS.values()}:
    _stated = {t.__name__ for t in get_args(View)}
    _registered_types = {type(p.empty).__name__ for p in PROJECTIONS.values()}
    raise TypeError(
        f"View lists {', '.join(sorted(_stated))} but the registered views are "
        f"{', '.join(sorted(_registered_types))}: make View the union of the Views fields' types"
    )


class LiveViews:
    """Every view, kept current in place one event at a time: the views a service keeps live.

    Each :meth:`apply` costs the same however many events came before: the views' builders
    change in place and no view is copied. :meth:`views` freezes them into an immutable
    :class:`Views`, in time proportional to their size, and keeps it until the next event
    changes them; read it when it is needed, not after every event.

    >>> from negotiations import seed_timeline
    >>> live = LiveViews()
    >>> for event in seed_timeline():
    ...     live.apply(event)
    >>> live.views().deadlines.by_id["us-ceasefire-ultimatum"].due
    datetime.date(2025, 9, 2)

    Start from ``start``, views folded earlier, to go on from them; ``as_of`` and ``known_at``
    then come from it.
    """

    __slots__ = ("_fold", "_seen", "_views", "as_of", "known_at")

    def __init__(
        self, start: Views | None = None, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> None:
        if start is None:
            start = Views(as_of=as_of, known_at=known_at)
        self.as_of = start.as_of
        """The day the views are folded as of (``None``: no cut-off)."""
        self.known_at = start.known_at
        """The moment the views are folded as known at (``None``: everything recorded)."""
        self._fold = Fold(PROJECTIONS.values(), {name: getattr(start, name) for name in PROJECTIONS})
        self._seen = self._fold.views()
        self._views = start

    def apply(self, event: Event) -> None:
        """Fold one more event in, if it counts as of :attr:`as_of` and as known at
        :attr:`known_at`, exactly as :meth:`Views.apply` would.

        Raises:
            RefoldRequiredError: ``event`` is a retraction or a correction, which changes events
                already folded: fold the log again with :func:`project`.

        """
        if _counts_next(event, self.as_of, self.known_at):
            self._fold.apply(event)

    def views(self) -> Views:
        """The views as they stand, immutable: later events never change what it returns."""
        built = self._fold.views()
        if built is not self._seen:  # the fold froze them anew, so an event changed them
            self._seen = built
            self._views = Views(as_of=self.as_of, known_at=self.known_at, **built)
        return self._views


class _Dated:
    """The events of ``events``, noting as they pass the latest day a fact among them may have
    started on (disputes are about the record, not the world): :attr:`latest` once read through.
    """

    __slots__ = ("events", "latest")

    def __init__(self, events: Iterable[Event]) -> None:
        self.events = events
        self.latest: date | None = None

    def __iter__(self) -> Iterator[Event]:
        latest: date | None = None
        for event in self.events:
            if type(event) is not ReportDisputed and (latest is None or event.occurred.earliest > latest):
                latest = event.occurred.earliest
            yield event
        self.latest = latest


def project(events: Iterable[Event], *, as_of: date | None = None, known_at: datetime | None = None) -> Views:
    """Fold ``events`` (an :class:`~negotiations.log.EventLog` or any iterable) into every view.

    Only events that may have occurred on or before ``as_of`` count, and only as far as they
    were known at ``known_at``: events recorded later, and retractions or corrections recorded
    later, are left out (see :func:`counted`). Without ``as_of``, views are computed as of the
    latest day a counted event may have started on.

    The fold updates every view in place and freezes them once at the end; it gives exactly
    what folding the events one at a time with :meth:`Views.apply` gives. The views'
    :attr:`~Views.citations` read the sources of their items from ``events``: a log is asked
    for them, any other iterable is read again when they are first asked for, and a one-shot
    iterator is held.
    """
    if isinstance(events, Iterator):
        events = tuple(events)  # read twice: for the amendments, then folded
    amendments = amendments_of(events, known_at)
    citations = Citations(events, known_at=known_at, amendments=amendments)
    fold = Fold(PROJECTIONS.values())
    counting = counted(events, as_of=as_of, known_at=known_at, amendments=amendments)
    if as_of is not None:
        return Views(as_of=as_of, known_at=known_at, citations=citations, **fold.fold(counting))
    dated = _Dated(counting)
    built = fold.fold(dated)
    return Views(as_of=dated.latest, known_at=known_at, citations=citations, **built)
