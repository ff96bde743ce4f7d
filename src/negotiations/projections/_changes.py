"""What changed in a log between two moments of record time: :func:`changes`.

A log never forgets what it believed: every event carries ``recorded``, and retractions,
corrections and disputes are events too. So "what do we know now that we did not know at
``since``, and what did we get wrong?" is a question of record time alone: the events recorded
after ``since`` and at or before ``known_at`` (``None``: everything recorded), each listed by its
kind, in log order:

- a retraction (:class:`~negotiations.domain.events.EventRetracted`) under ``retracted``;
- a correction (:class:`~negotiations.domain.events.EventCorrected`) under ``corrected``, with
  each field it changes from its old value (the fact just before the correction) to its new one;
- a dispute (:class:`~negotiations.domain.events.ReportDisputed`) under ``disputed``;
- every other event, a new fact, under ``new``.

Valid time plays no part: a fact recorded late about a day long past is new, as it should be to
a reader who asks what the log learnt.

It sits with the projections, above the log, for the one-line summary of a fact that the
timeline gives (:func:`~negotiations.projections.timeline.describe`); it folds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from attrs import frozen

from negotiations.codec import to_json
from negotiations.domain import thaw_json
from negotiations.domain.events import Event, EventCorrected, EventRetracted, OpaqueEvent, ReportDisputed
from negotiations.domain.values import PartialDate
from negotiations.errors import InvalidValueError, NegotiationsError
from negotiations.log import EventLog
from negotiations.log.amendments import Amendments, corrected
from negotiations.projections._projection import amendments_of
from negotiations.projections.timeline import describe

__all__ = [
    "Changes",
    "Correction",
    "Dispute",
    "FieldChange",
    "NewFact",
    "Retraction",
    "changes",
]


@frozen(kw_only=True)
class NewFact:
    """An event recorded in the window that is not about the record: a fact the log learnt.

    It is listed as first recorded, even when it was corrected or retracted in the window too
    (those are listed under their own kinds).
    """

    event_id: str
    kind: str
    """The event's ``type`` on the wire, such as ``"DeadlineSet"``."""
    occurred: PartialDate
    recorded: datetime
    summary: str
    """The one line the timeline shows for it (:func:`~negotiations.projections.describe`)."""


@frozen(kw_only=True)
class FieldChange:
    """One field that a correction changes, with its values in their JSON form (``None``: the
    field is absent, or ``null``).
    """

    field: str
    old: Any
    """The value just before the correction: the fact as first recorded, with every earlier
    correction of it applied."""
    new: Any
    """The value the correction's ``changes`` give the field."""


@frozen(kw_only=True)
class Correction:
    """A correction recorded in the window: which event it corrects, and each field's old and
    new value.
    """

    event_id: str
    """The id of the correction."""
    target: str
    """The event the correction names."""
    root: str
    """The fact whose fields change: ``target``, or the fact that ``target`` corrects when it is
    a correction itself."""
    target_kind: str | None
    """The ``type`` of ``root`` on the wire; ``None`` when the events do not hold it."""
    fields: tuple[FieldChange, ...]
    """The fields the correction changes, in the order of its ``changes``."""
    reason: str | None
    recorded: datetime


@frozen(kw_only=True)
class Retraction:
    """A retraction recorded in the window: which event was wrong, and why."""

    event_id: str
    """The id of the retraction."""
    target: str
    """The event retracted."""
    target_kind: str | None
    """The ``type`` of ``target`` on the wire; ``None`` when the events do not hold it."""
    target_summary: str | None
    """The one line the timeline showed for ``target`` at ``since`` (as first recorded, when it
    is new in the window); ``None`` when the events do not hold it."""
    reason: str
    recorded: datetime


@frozen(kw_only=True)
class Dispute:
    """A dispute recorded in the window: events that report one fact differently."""

    event_id: str
    """The id of the dispute."""
    claims: tuple[str, ...]
    subject: str | None
    recorded: datetime


@frozen(kw_only=True)
class Changes:
    """What a log learnt between ``since`` and ``known_at``: see :func:`changes`."""

    since: datetime
    known_at: datetime | None
    """The end of the window; ``None``: everything recorded."""
    new: tuple[NewFact, ...] = ()
    corrected: tuple[Correction, ...] = ()
    retracted: tuple[Retraction, ...] = ()
    disputed: tuple[Dispute, ...] = ()

    def __len__(self) -> int:
        """How many events the window holds, of every kind."""
        return len(self.new) + len(self.corrected) + len(self.retracted) + len(self.disputed)

    def event_ids(self) -> tuple[str, ...]:
        """The ids of the events behind every item: those the window holds, in no set order."""
        lists: Sequence[tuple[NewFact | Correction | Retraction | Dispute, ...]] = (
            self.new,
            self.corrected,
            self.retracted,
            self.disputed,
        )
        return tuple(item.event_id for items in lists for item in items)


def changes(events: Iterable[Event], since: datetime, *, known_at: datetime | None = None) -> Changes:
    """What ``events`` (an :class:`~negotiations.log.EventLog` or any iterable of a valid log)
    learnt after ``since``, as far as was known at ``known_at`` (``None``: everything recorded).

    The window is the events with ``since < recorded <= known_at``; each is listed once, by its
    kind, in log order (see the module's docstring), and each item names its ``event_id``. An
    event recorded in the window and retracted in it too is both a new fact and a retraction. A
    correction's old values are the fact just before it, as first recorded with every earlier
    correction applied (a field absent then is ``None``), and its new values are those its
    ``changes`` state: two corrections of one field in the window read as a chain, 50 -> 40,
    then 40 -> 12.

    Raises:
        InvalidValueError: ``since`` or ``known_at`` has no UTC offset, or ``since`` is after
            ``known_at`` (the error's field is ``since``).

    """
    _check_aware(since, "since")
    if known_at is not None:
        _check_aware(known_at, "known_at")
        if since > known_at:
            reason = f"{since.isoformat()} is after known_at {known_at.isoformat()}: nothing can have changed"
            raise InvalidValueError(reason, field="since")
    if isinstance(events, Iterator):
        events = tuple(events)  # read more than once: for the amendments, then the window
    get = events.get if isinstance(events, EventLog) else {e.id: e for e in events}.get
    found = _Window(
        get, before=amendments_of(events, since), now=amendments_of(events, known_at), since=since
    )
    for event in events:
        if since < event.recorded and (known_at is None or event.recorded <= known_at):
            found.add(event)
    return Changes(
        since=since,
        known_at=known_at,
        new=tuple(found.new),
        corrected=tuple(found.corrected),
        retracted=tuple(found.retracted),
        disputed=tuple(found.disputed),
    )


def _check_aware(moment: object, name: str) -> None:
    """Refuse what is not an aware datetime: a naive one, or a date, cannot be set against ``recorded``."""
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        reason = f"{moment!r} is not a datetime with its UTC offset, such as 2025-07-15T00:00:00+00:00"
        raise InvalidValueError(reason, field=name)


def _kind(event: Event) -> str:
    """The ``type`` of ``event`` on the wire; an opaque event's own."""
    return event.kind if type(event) is OpaqueEvent else event.wire_type


def _applied(event: Event, fixes: Iterable[EventCorrected]) -> Iterator[Event]:
    """``event`` after each of ``fixes`` in turn, as far as they apply."""
    for fix in fixes:
        try:
            event = corrected(event, fix.changes)
        except NegotiationsError:
            return  # only a log whose record times go back along it gets here
        yield event


class _Window:
    """The items of a window, gathered event by event in log order."""

    def __init__(
        self, get: Callable[[str], Event | None], *, before: Amendments, now: Amendments, since: datetime
    ) -> None:
        self.get = get
        self.before = before
        """The retractions and corrections known at ``since``."""
        self.now = now
        """Those known at the window's end."""
        self.since = since
        self.new: list[NewFact] = []
        self.corrected: list[Correction] = []
        self.retracted: list[Retraction] = []
        self.disputed: list[Dispute] = []

    def known(self, event: Event) -> Event:
        """``event`` as known at ``since``: corrected as it was by then (retracted or not), or as
        first recorded when it is new since.
        """
        last = event
        if event.recorded <= self.since:
            for last in _applied(event, self.before.corrections.get(event.id, ())):  # noqa: B007 - the last is wanted
                pass
        return last

    def before_fix(self, root: Event, fix: EventCorrected) -> Event:
        """``root`` just before ``fix``: with each correction of it that comes earlier in the log."""
        fixes = self.now.corrections.get(root.id, [])
        earlier = next((fixes[:n] for n, other in enumerate(fixes) if other.id == fix.id), fixes)
        last = root
        for last in _applied(root, earlier):  # noqa: B007 - the last is wanted
            pass
        return last

    def add(self, event: Event) -> None:
        if type(event) is EventCorrected:
            self.corrected.append(self._correction(event))
        elif type(event) is EventRetracted:
            target = self.get(event.target)
            self.retracted.append(
                Retraction(
                    event_id=event.id,
                    target=event.target,
                    target_kind=None if target is None else _kind(target),
                    target_summary=None if target is None else describe(self.known(target)),
                    reason=event.reason,
                    recorded=event.recorded,
                )
            )
        elif type(event) is ReportDisputed:
            dispute = Dispute(
                event_id=event.id, claims=event.claims, subject=event.subject, recorded=event.recorded
            )
            self.disputed.append(dispute)
        else:
            self.new.append(
                NewFact(
                    event_id=event.id,
                    kind=_kind(event),
                    occurred=event.occurred,
                    recorded=event.recorded,
                    summary=describe(event),
                )
            )

    def _correction(self, event: EventCorrected) -> Correction:
        root_id = self.now.roots.get(event.id, event.target)
        root = self.get(root_id)
        new = thaw_json(event.changes)
        old: dict[str, Any] = {} if root is None else to_json(self.before_fix(root, event))
        return Correction(
            event_id=event.id,
            target=event.target,
            root=root_id,
            target_kind=None if root is None else _kind(root),
            fields=tuple(
                FieldChange(field=name, old=old.get(name), new=value) for name, value in new.items()
            ),
            reason=event.reason,
            recorded=event.recorded,
        )
