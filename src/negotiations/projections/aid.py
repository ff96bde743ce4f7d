"""The aid view: announcements, and pauses with whether they are still active.

A pause is active until aid of the same donor, recipient and category is resumed.
"""

from __future__ import annotations

from attrs import evolve, frozen

from negotiations.domain.events import AidAnnounced, AidCategory, AidPaused, AidResumed
from negotiations.domain.values import PartialDate, Party, Source
from negotiations.projections._projection import Evidence, Projection, chrono_insert

__all__ = ["AID", "Aid", "Announcement", "Pause"]


@frozen(kw_only=True)
class Announcement:
    """Aid announced."""

    event_id: str
    occurred: PartialDate
    donor: Party
    recipient: Party
    category: AidCategory
    items: tuple[str, ...]
    reason: str | None
    sources: tuple[Source, ...] = ()

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The event behind this announcement: the AidAnnounced event."""
        return (Evidence(self.event_id, self.sources),)


@frozen(kw_only=True)
class Pause:
    """A pause of aid, and when it was resumed, if it was."""

    event_id: str
    since: PartialDate
    donor: Party
    recipient: Party
    category: AidCategory
    reason: str | None
    resumed: PartialDate | None = None
    resumed_reason: str | None = None
    sources: tuple[Source, ...] = ()
    resumed_by: Evidence | None = None
    """The AidResumed event that ended the pause, with its sources."""

    @property
    def active(self) -> bool:
        """Whether the aid is still paused."""
        return self.resumed is None

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this pause: the AidPaused event, then the one that resumed the aid."""
        paused = Evidence(self.event_id, self.sources)
        return (paused,) if self.resumed_by is None else (paused, self.resumed_by)


@frozen(kw_only=True)
class Aid:
    """Every announcement and every pause, each in order of date."""

    announcements: tuple[Announcement, ...] = ()
    pauses: tuple[Pause, ...] = ()

    def active_pauses(self) -> tuple[Pause, ...]:
        """The pauses not yet resumed."""
        return tuple(p for p in self.pauses if p.active)


def _announced(view: Aid, event: AidAnnounced) -> Aid:
    item = Announcement(
        event_id=event.id,
        occurred=event.occurred,
        donor=event.donor,
        recipient=event.recipient,
        category=event.category,
        items=event.items,
        reason=event.reason,
        sources=event.sources,
    )
    return evolve(view, announcements=chrono_insert(view.announcements, item, lambda a: a.occurred))


def _paused(view: Aid, event: AidPaused) -> Aid:
    pause = Pause(
        event_id=event.id,
        since=event.occurred,
        donor=event.donor,
        recipient=event.recipient,
        category=event.category,
        reason=event.reason,
        sources=event.sources,
    )
    return evolve(view, pauses=chrono_insert(view.pauses, pause, lambda p: p.since))


def _resumed(view: Aid, event: AidResumed) -> Aid:
    def matches(p: Pause) -> bool:
        return p.active and (p.donor, p.recipient, p.category) == (
            event.donor,
            event.recipient,
            event.category,
        )

    resumed_by = Evidence(event.id, event.sources)
    pauses = list(view.pauses)
    for index, pause in enumerate(pauses):
        if matches(pause):
            pauses[index] = evolve(
                pause, resumed=event.occurred, resumed_reason=event.reason, resumed_by=resumed_by
            )
    return evolve(view, pauses=tuple(pauses))


AID: Projection[Aid] = Projection(
    "aid", Aid(), {AidAnnounced: _announced, AidPaused: _paused, AidResumed: _resumed}
)
"""The aid projection."""
