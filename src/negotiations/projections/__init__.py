"""Projections: pure folds of the log into current-state views.

Each view has a :class:`Projection`, a pure ``(view, event) -> view`` step. :func:`project` folds
a log into every view at once, as of a day; :meth:`Views.apply` folds one more event in, which
gives exactly what a fold of the longer log gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from attrs import frozen

from negotiations.domain.events import Event
from negotiations.projections._projection import Projection, counts_as_of, default_as_of
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
from negotiations.projections.exchanges import EXCHANGES, Agreement, AgreementStatus, Batch, Exchanges
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
    "Ceasefire",
    "Closure",
    "Contact",
    "Contacts",
    "Deadline",
    "DeadlineChange",
    "DeadlineStatus",
    "Deadlines",
    "Entry",
    "Exchanges",
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
    "counts_as_of",
    "default_as_of",
    "describe",
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


@frozen(kw_only=True)
class Views:
    """Every view of a log, folded as of one day (``None``: no cut-off, for an empty log)."""

    as_of: date | None
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
        """These views with one more event folded in (if it counts as of :attr:`as_of`)."""
        if not counts_as_of(event, self.as_of):
            return self
        changed = {name: p.apply(getattr(self, name), event) for name, p in PROJECTIONS.items()}
        return Views(as_of=self.as_of, **changed)


def project(events: Iterable[Event], *, as_of: date | None = None) -> Views:
    """Fold ``events`` (an :class:`~negotiations.log.EventLog` or any iterable) into every view.

    Only events that may have occurred on or before ``as_of`` count. Without ``as_of``, views
    are computed as of the latest day an event in ``events`` may have started on.
    """
    if as_of is None:
        events = tuple(events)
        as_of = default_as_of(events)
    views = Views(as_of=as_of)
    for event in events:
        views = views.apply(event)
    return views
