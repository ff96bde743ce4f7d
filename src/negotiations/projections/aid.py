"""The aid view: announcements, and pauses with whether they are still active.

A pause is active until aid of the same donor, recipient and category is resumed.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from attrs import frozen

from negotiations.domain.events import AidAnnounced, AidCategory, AidPaused, AidResumed
from negotiations.domain.values import PartialDate, Party
from negotiations.projections._projection import Builder, Chrono, Evidence, OneEvent, Projection, evolve

__all__ = ["AID", "Aid", "Announcement", "Pause"]


@frozen(kw_only=True)
class Announcement(OneEvent):
    """Aid announced."""

    event_id: str
    occurred: PartialDate
    donor: Party
    recipient: Party
    category: AidCategory
    items: tuple[str, ...]
    reason: str | None


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
    resumed_by: Evidence | None = None
    """The AidResumed event that ended the pause."""

    @property
    def active(self) -> bool:
        """Whether the aid is still paused."""
        return self.resumed is None

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this pause: the AidPaused event, then the one that resumed the aid."""
        paused = Evidence(self.event_id)
        return (paused,) if self.resumed_by is None else (paused, self.resumed_by)


@frozen(kw_only=True)
class Aid:
    """Every announcement and every pause, each in order of date."""

    announcements: tuple[Announcement, ...] = ()
    pauses: tuple[Pause, ...] = ()

    def active_pauses(self) -> tuple[Pause, ...]:
        """The pauses not yet resumed."""
        return tuple(p for p in self.pauses if p.active)


_occurred: Callable[[Announcement], int] = attrgetter("occurred.sort_rank")


_since: Callable[[Pause], int] = attrgetter("since.sort_rank")


_Flow = tuple[Party, Party, AidCategory]
"""Aid of one donor to one recipient in one category."""


class _Builder(Builder[Aid]):
    __slots__ = ("active", "announcements", "pauses")

    def __init__(self, view: Aid) -> None:
        self.announcements = Chrono(view.announcements, _occurred)
        self.pauses = Chrono(view.pauses, _since)
        self.active: dict[_Flow, list[Pause]] = {}
        """The active pauses of each flow of aid, so a resume need not read every pause."""
        for pause in view.pauses:
            if pause.active:
                self.active.setdefault((pause.donor, pause.recipient, pause.category), []).append(pause)

    def freeze(self) -> Aid:
        return Aid(announcements=self.announcements.freeze(), pauses=self.pauses.freeze())

    def announced(self, event: AidAnnounced) -> None:
        item = Announcement(
            event_id=event.id,
            occurred=event.occurred,
            donor=event.donor,
            recipient=event.recipient,
            category=event.category,
            items=event.items,
            reason=event.reason,
        )
        self.announcements.add(item)

    def paused(self, event: AidPaused) -> None:
        pause = Pause(
            event_id=event.id,
            since=event.occurred,
            donor=event.donor,
            recipient=event.recipient,
            category=event.category,
            reason=event.reason,
        )
        self.pauses.add(pause)
        self.active.setdefault((event.donor, event.recipient, event.category), []).append(pause)

    def resumed(self, event: AidResumed) -> None:
        resumed_by = Evidence(event.id)
        for pause in self.active.pop((event.donor, event.recipient, event.category), ()):
            ended = evolve(pause, resumed=event.occurred, resumed_reason=event.reason, resumed_by=resumed_by)
            self.pauses.replace(pause, ended)


AID: Projection[Aid] = Projection(
    "aid",
    Aid(),
    _Builder,
    {AidAnnounced: _Builder.announced, AidPaused: _Builder.paused, AidResumed: _Builder.resumed},
)
"""The aid projection."""
