"""What retractions and corrections do to the events they target.

An :class:`~negotiations.domain.events.EventRetracted` makes its target count as never having
happened; an :class:`~negotiations.domain.events.EventCorrected` replaces some of its target's
fields. Neither edits anything: :class:`Amendments` reads them, in log order, and answers what an
event currently says. The log uses it to reject amendments that cannot apply, and the views use
it to fold each event as it currently stands.

It belongs to the log's layer, above the codec: a correction's changes are fields in their JSON
form, so applying one writes the event as JSON, applies them, and reads it back.

The rules:

- the target of either must be an earlier event of the log, and not a retraction;
- a retracted event cannot be retracted again or corrected;
- a correction whose target is a correction stands for that correction's own target (the
  *root*), so corrections of one fact apply in log order, each to the result of the last;
- a correction cannot target a dispute or an event of a kind this library does not know, and
  the corrected event must be a valid event of its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from negotiations.codec import structure, unstructure
from negotiations.domain import thaw_json
from negotiations.domain.events import (
    Event,
    EventCorrected,
    EventRetracted,
    OpaqueEvent,
    ProposalAnswered,
    ReportDisputed,
)
from negotiations.errors import InvalidAmendmentError, NegotiationsError, UnknownReferenceError

__all__ = ["Amendments", "corrected"]

_AMENDMENTS: Final = (EventRetracted, EventCorrected)


def corrected(event: Event, changes: Mapping[str, Any]) -> Event:
    """``event`` with ``changes`` (fields in their JSON form) applied, validated as its kind.

    Raises:
        DecodeError: a change is not a field of the event's kind, or makes it invalid; the
            error's field is the path within ``changes``.

    """
    data = unstructure(event)
    data.update(thaw_json(changes))
    try:
        return structure(data)
    except NegotiationsError as exc:
        raise exc.within("changes") from None


class Amendments:
    """The retractions and corrections of a log, read in log order.

    >>> amendments = Amendments()
    >>> amendments.retracted
    set()
    """

    __slots__ = ("_cache", "corrections", "retracted", "roots")

    def __init__(self, amendments: Iterable[Event] = ()) -> None:
        """Read ``amendments`` (any other events among them are passed over), in order."""
        self.retracted: set[str] = set()
        """The ids of retracted events."""
        self.roots: dict[str, str] = {}
        """Each correction's id to the id of the event it corrects in the end."""
        self.corrections: dict[str, list[EventCorrected]] = {}
        """Each corrected event's id to its corrections, in log order."""
        self._cache: dict[str, Event] = {}
        for event in amendments:
            self.add(event)

    def __bool__(self) -> bool:
        return bool(self.retracted or self.corrections)

    def add(self, event: Event) -> None:
        """Take one more amendment into account (any other event is passed over). It is not
        checked: see :meth:`check`.
        """
        if type(event) is EventRetracted:
            self.retracted.add(event.target)
        elif type(event) is EventCorrected:
            root = self.roots.get(event.target, event.target)
            self.roots[event.id] = root
            self.corrections.setdefault(root, []).append(event)
            self._cache.pop(root, None)

    def current(self, event: Event) -> Event | None:
        """What ``event`` says now: ``None`` when it is retracted, else the event with every
        correction applied in order.
        """
        event_id = event.id
        if event_id in self.retracted:
            return None
        fixes = self.corrections.get(event_id)
        if fixes is None:
            return event
        cached = self._cache.get(event_id)
        if cached is None:
            cached = event
            for fix in fixes:
                cached = corrected(cached, fix.changes)
            self._cache[event_id] = cached
        return cached

    def check(self, event: Event, get: Callable[[str], Event | None]) -> None:
        """Raise if ``event`` (an amendment or a dispute) cannot apply to the log that ``get``
        reads, with these amendments. Other events pass.

        Raises:
            UnknownReferenceError: the target, or a claim, is not in the log.
            InvalidAmendmentError: the target is a retraction or retracted, a correction's
                result is not a valid event, or a dispute's claims are not alike.

        """
        if type(event) is ReportDisputed:
            self._check_claims(event, get)
        elif type(event) is EventRetracted:
            self._check_target(event, get)
        elif type(event) is EventCorrected:
            self._check_correction(event, self._check_target(event, get), get)

    def _check_target(
        self, event: EventRetracted | EventCorrected, get: Callable[[str], Event | None]
    ) -> Event:
        """The target of ``event``, once it is known to be in the log, neither a retraction nor
        retracted, and (for a retraction) not a correction.
        """
        target = get(event.target)
        if target is None:
            reason = f"unknown event '{event.target}': no event before it has that id"
            raise UnknownReferenceError(reason, event_id=event.id, field="target")
        if type(target) is EventRetracted:
            reason = f"'{event.target}' is a retraction, which cannot be retracted or corrected"
            raise InvalidAmendmentError(reason, event_id=event.id, field="target")
        root_id = self.roots.get(target.id, target.id)
        if root_id in self.retracted:
            reason = f"event '{root_id}' is already retracted"
            raise InvalidAmendmentError(reason, event_id=event.id, field="target")
        if type(event) is EventRetracted and type(target) is EventCorrected:
            reason = f"'{event.target}' is a correction; correct '{root_id}' again to undo it"
            raise InvalidAmendmentError(reason, event_id=event.id, field="target")
        return target

    def _check_correction(
        self, event: EventCorrected, target: Event, get: Callable[[str], Event | None]
    ) -> None:
        root = get(self.roots[target.id]) if target.id in self.roots else target
        if root is None or type(root) in (ReportDisputed, OpaqueEvent):
            what = "a dispute" if type(root) is ReportDisputed else "of a kind this library does not know"
            reason = f"'{event.target}' is {what}; retract it and record a new one"
            raise InvalidAmendmentError(reason, event_id=event.id, field="target")
        for name in event.changes:
            if name in _key_fields(root):
                reason = f"cannot change '{name}', which other events refer to; retract and record anew"
                raise InvalidAmendmentError(reason, event_id=event.id, field=f"changes.{name}")
        try:
            corrected(self.current(root) or root, event.changes)
        except NegotiationsError as exc:
            raise InvalidAmendmentError(exc.reason, event_id=event.id, field=exc.field) from None

    @staticmethod
    def _check_claims(event: ReportDisputed, get: Callable[[str], Event | None]) -> None:
        kinds = set()
        for n, claim in enumerate(event.claims):
            found = get(claim)
            if found is None:
                reason = f"unknown event '{claim}': no event before it has that id"
                raise UnknownReferenceError(reason, event_id=event.id, field=f"claims.{n}")
            if type(found) in (*_AMENDMENTS, ReportDisputed, OpaqueEvent):
                reason = f"'{claim}' is a {found.wire_type}, not a report of a fact"
                raise InvalidAmendmentError(reason, event_id=event.id, field=f"claims.{n}")
            kinds.add(found.wire_type)
        if len(kinds) > 1:
            reason = f"claims must be reports of one kind, not {', '.join(sorted(kinds))}"
            raise InvalidAmendmentError(reason, event_id=event.id, field="claims")


_KEY_FIELDS: Final = (
    "deadline_id",
    "agreement_id",
    "proposal_id",
    "ceasefire_id",
    "measure_id",
    "counter_proposal_id",
    "term_id",
)


def _key_fields(event: Event) -> tuple[str, ...]:
    """The fields of ``event`` that define or refer to a deadline, agreement, proposal, ceasefire
    or measure, or name a term of an agreement or the addressee who answers: a correction cannot
    change them, since other events rely on them, or the log checked them against others.
    """
    names = tuple(name for name in _KEY_FIELDS if hasattr(event, name))
    return (*names, "party") if type(event) is ProposalAnswered else names
