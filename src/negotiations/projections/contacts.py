"""The contacts view: calls and meetings between parties, in order of date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Literal

from attrs import frozen

from negotiations.domain.events import CallHeld, TalksHeld, TalksLevel
from negotiations.domain.values import PartialDate, Party, Person
from negotiations.projections._projection import Builder, Chrono, OneEvent, Projection

__all__ = ["CONTACTS", "Contact", "Contacts"]


@frozen(kw_only=True)
class Contact(OneEvent):
    """A call or a meeting (a round of talks) between parties. ``persons`` are those on a call,
    or the delegations of a round of talks; ``ends``, ``level``, ``hosts`` and ``mediators`` are
    a round of talks' (empty for a call).
    """

    event_id: str
    occurred: PartialDate
    kind: Literal["call", "talks"]
    parties: tuple[Party, ...]
    persons: tuple[Person, ...] = ()
    venue: str | None = None
    summary: str | None = None
    ends: date | None = None
    level: TalksLevel | None = None
    hosts: tuple[Party, ...] = ()
    mediators: tuple[Party, ...] = ()


@frozen(kw_only=True)
class Contacts:
    """Every contact, in order of date."""

    contacts: tuple[Contact, ...] = ()

    def between(self, first: str, second: str) -> tuple[Contact, ...]:
        """The contacts in which both parties took part."""
        return tuple(c for c in self.contacts if first in c.parties and second in c.parties)


_when: Callable[[Contact], int] = attrgetter("occurred.sort_rank")


class _Builder(Builder[Contacts]):
    __slots__ = ("contacts",)

    def __init__(self, view: Contacts) -> None:
        self.contacts = Chrono(view.contacts, _when)

    def freeze(self) -> Contacts:
        return Contacts(contacts=self.contacts.freeze())

    def call(self, event: CallHeld) -> None:
        contact = Contact(
            event_id=event.id,
            occurred=event.occurred,
            kind="call",
            parties=event.parties,
            persons=event.persons,
            summary=event.summary,
        )
        self.contacts.add(contact)

    def talks(self, event: TalksHeld) -> None:
        contact = Contact(
            event_id=event.id,
            occurred=event.occurred,
            kind="talks",
            parties=event.parties,
            persons=event.delegations,
            venue=event.venue,
            summary=event.summary,
            ends=event.ends,
            level=event.level,
            hosts=event.hosts,
            mediators=event.mediators,
        )
        self.contacts.add(contact)


CONTACTS: Projection[Contacts] = Projection(
    "contacts",
    Contacts(),
    _Builder,
    {CallHeld: _Builder.call, TalksHeld: _Builder.talks},
    # 2: talks' delegations as persons, and their ends, level, hosts and mediators.
    version="2",
)
"""The contacts projection."""
