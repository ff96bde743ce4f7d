"""The deadlines view: every ultimatum, its due day and history, and its status as of a day.

Status as of a day: ``met`` or ``withdrawn`` once such an event is folded in; otherwise
``lapsed`` when the day is after the due day, and ``pending`` up to and on the due day. Pass the
same ``as_of`` to :meth:`Deadline.status` that the view was folded with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Literal, TypeAlias

from attrs import frozen

from negotiations.domain.events import DeadlineChanged, DeadlineMet, DeadlineSet, DeadlineWithdrawn
from negotiations.domain.values import PartialDate, Party
from negotiations.projections._projection import (
    EMPTY,
    Builder,
    Evidence,
    OneEvent,
    Projection,
    evolve,
    frozen_map,
)

__all__ = ["DEADLINES", "Closure", "Deadline", "DeadlineChange", "DeadlineStatus", "Deadlines"]

DeadlineStatus: TypeAlias = Literal["pending", "met", "withdrawn", "lapsed"]


@frozen(kw_only=True)
class DeadlineChange(OneEvent):
    """A due day a deadline was given, by the event that set or changed it."""

    event_id: str
    occurred: PartialDate
    due: date
    reason: str | None = None


@frozen(kw_only=True)
class Closure(OneEvent):
    """How a deadline was closed: met by its target or withdrawn by its issuer."""

    status: Literal["met", "withdrawn"]
    event_id: str
    occurred: PartialDate
    reason: str | None


@frozen(kw_only=True)
class Deadline:
    """One deadline: who demands what of whom, by when, or else what."""

    deadline_id: str
    issuer: Party
    target: Party
    demand: str
    consequence: str | None
    set_on: PartialDate
    history: tuple[DeadlineChange, ...]
    closure: Closure | None = None

    @property
    def due(self) -> date:
        """The current due day: the last one set or changed."""
        return self.history[-1].due

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The events behind this deadline: each change of its due day, then its closure."""
        changes = (e for change in self.history for e in change.provenance)
        closed = self.closure.provenance if self.closure else ()
        return tuple(dict.fromkeys((*changes, *closed)))

    def status(self, as_of: date) -> DeadlineStatus:
        """The status as of ``as_of``. A deadline is still pending on its due day."""
        if self.closure is not None:
            return self.closure.status
        return "lapsed" if as_of > self.due else "pending"

    def days_left(self, as_of: date) -> int:
        """The due day minus ``as_of``, in days; negative once it has passed."""
        return (self.due - as_of).days


@frozen(kw_only=True)
class Deadlines:
    """Deadline id to :class:`Deadline`, in the order they were set."""

    by_id: Mapping[str, Deadline] = EMPTY


class _Builder(Builder[Deadlines]):
    __slots__ = ("by_id",)

    def __init__(self, view: Deadlines) -> None:
        self.by_id = dict(view.by_id)

    def freeze(self) -> Deadlines:
        return Deadlines(by_id=frozen_map(self.by_id))

    def set(self, event: DeadlineSet) -> None:
        self.by_id[event.deadline_id] = Deadline(
            deadline_id=event.deadline_id,
            issuer=event.issuer,
            target=event.target,
            demand=event.demand,
            consequence=event.consequence,
            set_on=event.occurred,
            history=(DeadlineChange(event_id=event.id, occurred=event.occurred, due=event.due_day),),
        )

    def change(self, event: DeadlineChanged) -> None:
        deadline = self.by_id.get(event.deadline_id)
        if deadline is None:  # its DeadlineSet occurred after the as-of day
            return
        change = DeadlineChange(
            event_id=event.id,
            occurred=event.occurred,
            due=event.due_day,
            reason=event.reason,
        )
        self.by_id[event.deadline_id] = evolve(deadline, history=(*deadline.history, change))

    def close(self, event: DeadlineMet | DeadlineWithdrawn) -> None:
        deadline = self.by_id.get(event.deadline_id)
        if deadline is None or deadline.closure is not None:
            return
        closure = Closure(
            status="met" if type(event) is DeadlineMet else "withdrawn",
            event_id=event.id,
            occurred=event.occurred,
            reason=event.reason,
        )
        self.by_id[event.deadline_id] = evolve(deadline, closure=closure)


DEADLINES: Projection[Deadlines] = Projection(
    "deadlines",
    Deadlines(),
    _Builder,
    {
        DeadlineSet: _Builder.set,
        DeadlineChanged: _Builder.change,
        DeadlineMet: _Builder.close,
        DeadlineWithdrawn: _Builder.close,
    },
)
"""The deadlines projection."""
