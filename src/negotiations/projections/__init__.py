"""Projections: pure folds of the log into current-state views.

Each view has a :class:`Projection`, a pure ``(view, event) -> view`` step. :func:`project` folds
a log into every view at once, as of a day (valid time) and as known at a moment (record time);
:meth:`Views.apply` folds one more event in, which gives exactly what a fold of the longer log
gives, unless the event is a retraction or correction: those change events already folded, so
the log must be folded again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from types import MethodType
from typing import Any, Final

from attrs import evolve, frozen

from negotiations.domain.events import AMENDMENT_TYPES, Event, OpaqueEvent, ReportDisputed
from negotiations.errors import RefoldRequiredError
from negotiations.projections._projection import (
    Builder,
    Evidence,
    Projection,
    amendments_of,
    counted,
    counts_as_of,
    is_known,
)
from negotiations.projections._projection import (
    quiet_collector as _quiet_collector,
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
from negotiations.projections.positions import POSITIONS, Position, Positions, Stance
from negotiations.projections.sanctions import SANCTIONS, Sanctions, SanctionsPackage, Tariff
from negotiations.projections.talks import TALKS, Ceasefire, Proposal, Round, Talks
from negotiations.projections.timeline import TIMELINE, Entry, Timeline, describe

__all__ = [
    "AID",
    "CONTACTS",
    "DEADLINES",
    "EXCHANGES",
    "POSITIONS",
    "PROJECTIONS",
    "SANCTIONS",
    "TALKS",
    "TIMELINE",
    "VIEW_NAMES",
    "Agreement",
    "AgreementStatus",
    "Aid",
    "Announcement",
    "Batch",
    "Builder",
    "Ceasefire",
    "Claim",
    "Closure",
    "Contact",
    "Contacts",
    "Deadline",
    "DeadlineChange",
    "DeadlineStatus",
    "Deadlines",
    "Entry",
    "Evidence",
    "Exchanges",
    "LiveViews",
    "Pause",
    "Position",
    "Positions",
    "Projection",
    "Proposal",
    "Round",
    "Sanctions",
    "SanctionsPackage",
    "Stance",
    "Talks",
    "Tariff",
    "Timeline",
    "View",
    "Views",
    "amendments_of",
    "counted",
    "counts_as_of",
    "describe",
    "is_known",
    "project",
]

PROJECTIONS: Final[Mapping[str, Projection[Any]]] = {
    p.name: p for p in (DEADLINES, EXCHANGES, POSITIONS, TALKS, AID, SANCTIONS, CONTACTS, TIMELINE)
}
"""Every projection, by view name."""

VIEW_NAMES: Final[tuple[str, ...]] = tuple(PROJECTIONS)
"""The view names, in the order they are shown."""


View = Deadlines | Exchanges | Positions | Talks | Aid | Sanctions | Contacts | Timeline
"""Any one view."""


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
    """

    as_of: date | None
    known_at: datetime | None = None
    deadlines: Deadlines = DEADLINES.empty
    exchanges: Exchanges = EXCHANGES.empty
    positions: Positions = POSITIONS.empty
    talks: Talks = TALKS.empty
    aid: Aid = AID.empty
    sanctions: Sanctions = SANCTIONS.empty
    contacts: Contacts = CONTACTS.empty
    timeline: Timeline = TIMELINE.empty

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
        return evolve(self, **changed) if changed else self


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

    __slots__ = ("_builders", "_frozen", "_steps", "as_of", "known_at")

    def __init__(
        self, start: Views | None = None, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> None:
        if start is None:
            start = Views(as_of=as_of, known_at=known_at)
        self.as_of = start.as_of
        """The day the views are folded as of (``None``: no cut-off)."""
        self.known_at = start.known_at
        """The moment the views are folded as known at (``None``: everything recorded)."""
        self._frozen: Views | None = start
        self._builders = {name: p.builder(getattr(start, name)) for name, p in PROJECTIONS.items()}
        steps: dict[type[Event], list[Callable[[Event], None]]] = {}
        for name, projection in PROJECTIONS.items():
            builder = self._builders[name]
            for kind, step in projection.steps.items():
                steps.setdefault(kind, []).append(MethodType(step, builder))
        self._steps = {kind: tuple(bound) for kind, bound in steps.items()}

    def apply(self, event: Event) -> None:
        """Fold one more event in, if it counts as of :attr:`as_of` and as known at
        :attr:`known_at`, exactly as :meth:`Views.apply` would.

        Raises:
            RefoldRequiredError: ``event`` is a retraction or a correction, which changes events
                already folded: fold the log again with :func:`project`.

        """
        if _counts_next(event, self.as_of, self.known_at):
            self._step(event)

    def _step(self, event: Event) -> None:
        """Fold ``event`` in, counted as it is."""
        steps = self._steps.get(type(event))
        if steps is not None:
            self._frozen = None
            for step in steps:
                step(event)

    def views(self) -> Views:
        """The views as they stand, immutable: later events never change what it returns."""
        if self._frozen is None:
            built = {name: builder.freeze() for name, builder in self._builders.items()}
            self._frozen = Views(as_of=self.as_of, known_at=self.known_at, **built)
        return self._frozen


def project(events: Iterable[Event], *, as_of: date | None = None, known_at: datetime | None = None) -> Views:
    """Fold ``events`` (an :class:`~negotiations.log.EventLog` or any iterable) into every view.

    Only events that may have occurred on or before ``as_of`` count, and only as far as they
    were known at ``known_at``: events recorded later, and retractions or corrections recorded
    later, are left out (see :func:`counted`). Without ``as_of``, views are computed as of the
    latest day a counted event may have started on.

    The fold updates every view in place and freezes them once at the end; it gives exactly
    what folding the events one at a time with :meth:`Views.apply` gives.
    """
    live = LiveViews(as_of=as_of, known_at=known_at)
    step = live._step  # noqa: SLF001 - its own module
    latest: date | None = None
    with _quiet_collector():
        for event in counted(events, as_of=as_of, known_at=known_at):
            if type(event) is not ReportDisputed and (latest is None or event.occurred.earliest > latest):
                latest = event.occurred.earliest
            step(event)
        views = live.views()
    return views if as_of is not None else evolve(views, as_of=latest)
