"""The projector type: a named, pure step ``(view, event) -> view``, and the builder behind it.

A projection dispatches on the event's exact class through a dict, the cheapest dispatch Python
offers; an event of a kind it does not handle leaves the view as it is. Views are immutable, so
earlier views stay valid, and folding a log in two parts gives what folding it whole gives.

Each view has one private :class:`Builder`: mutable state updated in place, one method per
event kind, frozen into the view on demand. The pure step runs it on one event; a fold runs it
on every event and freezes once, so it never copies a view per event; live views
(:class:`~negotiations.projections.LiveViews`) keep builders and freeze only when read.

Which events a fold counts, and as what, is :func:`counted`'s business: it cuts the log by
valid time (``as_of``) and record time (``known_at``), and applies retractions and corrections,
so that the step functions only ever see facts as they stand.
"""

from __future__ import annotations

import bisect
import functools
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from types import MappingProxyType, MethodType
from typing import Any, Final, Generic, TypeVar, cast

import attrs
from attrs import frozen

from negotiations.domain.events import AMENDMENT_TYPES, Event, OpaqueEvent, ReportDisputed
from negotiations.log.amendments import Amendments

__all__ = [
    "Builder",
    "Chrono",
    "Evidence",
    "Fold",
    "OneEvent",
    "Projection",
    "counted",
    "counts_as_of",
    "evolve",
    "is_known",
    "quiet_collector",
]

V = TypeVar("V")
T = TypeVar("T")
K = TypeVar("K")


EMPTY: Mapping[Any, Any] = MappingProxyType({})
"""The empty read-only mapping that empty views start from."""


def counts_as_of(event: Event, as_of: date | None) -> bool:
    """Whether ``event`` counts in a view as of ``as_of``: it may have occurred on or before it.

    A partial date counts from its earliest day: an event of ``2025-06`` counts as of
    2025-06-01 and later. ``None`` means no cut-off.
    """
    return as_of is None or event.occurred.earliest <= as_of


def is_known(event: Event, known_at: datetime | None) -> bool:
    """Whether ``event`` was known at ``known_at``: recorded at or before it. ``None`` means
    everything recorded so far.
    """
    return known_at is None or event.recorded <= known_at


_PASSED_OVER: Final = frozenset((*AMENDMENT_TYPES, OpaqueEvent))
"""Kinds no view sees: amendments act through :func:`counted`, and opaque events are unknown."""


def amendments_of(events: Iterable[Event], known_at: datetime | None = None) -> Amendments:
    """The retractions and corrections among ``events`` that were known at ``known_at``.

    ``events`` is read once; an :class:`~negotiations.log.EventLog` hands over its index of
    amendments instead of being read.
    """
    own = getattr(events, "amendments", None)
    found = own() if callable(own) else (e for e in events if type(e) in AMENDMENT_TYPES)
    return Amendments(e for e in found if is_known(e, known_at))


def counted(
    events: Iterable[Event],
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    amendments: Amendments | None = None,
) -> Iterator[Event]:
    """The events of a log as a fold counts them, in log order.

    - only events known at ``known_at`` (recorded at or before it);
    - retracted events left out, and corrected events replaced by their corrected content,
      counting only the retractions and corrections known at ``known_at``;
    - then only events that may have occurred on or before ``as_of`` (see :func:`counts_as_of`);
    - disputes (:class:`~negotiations.domain.events.ReportDisputed`) are about the record, not
      the world, so ``as_of`` does not cut them;
    - retractions, corrections and events of unknown kinds are never counted themselves.

    ``amendments`` are those of the whole log. Without them, ``events`` is read twice (once to
    find them), unless it is a log, which indexes its own. A one-shot iterator cannot be read
    twice, so it is held in memory whole: to fold a log too large for that, pass an iterable
    that reads it afresh each time it is iterated, and it is never held.
    """
    if amendments is None:
        if isinstance(events, Iterator):
            events = tuple(events)
        amendments = amendments_of(events, known_at)
    passed_over = _PASSED_OVER
    current = amendments.current if amendments else None
    for event in events:
        if type(event) in passed_over or (known_at is not None and event.recorded > known_at):
            continue
        if current is not None:
            now = current(event)
            if now is None:
                continue
            event = now  # noqa: PLW2901 - the event as corrected is the one that counts
        if as_of is None or type(event) is ReportDisputed or event.occurred.earliest <= as_of:
            yield event


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration, unless it is already paused.

    A fold allocates many small objects that all survive and never form cycles: the collector
    would walk them again and again, as they age through its generations, to free nothing, and
    that walking takes about a third of a fold's time. Reference counting still frees
    everything that is not in a cycle, so memory is not at risk; cycles made meanwhile (by
    other threads, say) are collected once it resumes.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@frozen
class Evidence:
    """One event behind an item of a view, by its id. Its sources stay in the log: a renderer
    reads them through :class:`Citations` (``views.cited(evidence.event_id)``).
    """

    event_id: str


class OneEvent:
    """What a view item built from one event shares: its ``provenance`` is that event. The item
    declares ``event_id`` as a field of its own.
    """

    __slots__ = ()
    event_id: str

    @property
    def provenance(self) -> tuple[Evidence, ...]:
        """The one event behind this item."""
        return (Evidence(self.event_id),)


class Builder(Generic[V]):
    """A view under construction: private, mutable state that one fold updates in place and
    :meth:`freeze` turns into the immutable view.

    A subclass starts from any view of its kind (``__init__(view)``, copying what it will
    change, never changing the view) and has one method per event kind it handles, listed in
    its :class:`Projection`'s ``steps``. Each method does in place what the projection's
    pure step means, so that one implementation serves the pure step (start, one method,
    freeze), the batch fold (start, every method, freeze once) and live views (start once,
    freeze when read).
    """

    def freeze(self) -> V:
        """The view as it stands, immutable: later steps of this builder never change it."""
        raise NotImplementedError


@frozen
class Projection(Generic[V]):
    """A view's projector: its ``name``, its ``empty`` view, the ``builder`` that folds events
    into a view in place, and the builder's ``steps``, one per event class it handles.

    :meth:`apply` is the pure step ``(view, event) -> view``; :meth:`fold` runs one builder over
    many events and freezes it once, so a fold costs time in proportion to its events, and
    gives exactly what applying them one at a time gives.

    ``version`` names the projector's logic: bump it when a step changes what it computes, so
    that views saved by the older logic are rebuilt rather than trusted.
    """

    name: str
    empty: V
    builder: Callable[[V], Builder[V]]
    steps: Mapping[type[Event], Callable[[Any, Any], None]]
    version: str = "1"

    def apply(self, view: V, event: Event) -> V:
        """The view after ``event``: ``view`` itself when this projection ignores the event.

        ``view`` is left as it was; the new view shares nothing mutable with it.
        """
        step = self.steps.get(type(event))
        if step is None:
            return view
        builder = self.builder(view)
        step(builder, event)
        return builder.freeze()

    def fold(
        self,
        events: Iterable[Event],
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        start: V | None = None,
    ) -> V:
        """Fold ``events`` in order into ``start`` (the empty view by default), counting them as
        :func:`counted` does: as known at ``known_at``, as of ``as_of``.

        Retractions and corrections apply to the events of ``events``: to fold on from a view
        made of earlier events, make sure none of those were amended since, or fold again.
        """
        fold = Fold((self,), {} if start is None else {self.name: start})
        view: V = fold.fold(counted(events, as_of=as_of, known_at=known_at))[self.name]
        return view


class Fold:
    """The fold driver: the builders of ``projections``, each started from its view in ``start``
    (the empty view if it has none), and the steps that fold an event into them in place.

    It is the one place events are dispatched to builders: :meth:`Projection.fold`,
    :func:`~negotiations.projections.project`, :class:`~negotiations.projections.LiveViews` and
    the projection runner all fold through it. It folds events as they stand: which events count,
    and as what, is :func:`counted`'s business, so a caller passes ``counted(log, ...)``.

    Each event class maps to the bound steps of every builder that handles it, so an event costs
    one dict lookup and one call per view it changes, however many views there are. Retractions,
    corrections and opaque events have no steps: they act through :func:`counted`, or not at all.
    """

    __slots__ = ("_builders", "_frozen", "_steps")

    def __init__(self, projections: Iterable[Projection[Any]], start: Mapping[str, Any] = EMPTY) -> None:
        chosen = tuple(projections)
        self._builders = {p.name: p.builder(start.get(p.name, p.empty)) for p in chosen}
        steps: dict[type[Event], list[Callable[[Event], None]]] = {}
        for projection in chosen:
            builder = self._builders[projection.name]
            for kind, step in projection.steps.items():
                if kind not in _PASSED_OVER:  # no view sees them, even handed over as they stand
                    steps.setdefault(kind, []).append(MethodType(step, builder))
        self._steps = {kind: tuple(bound) for kind, bound in steps.items()}
        # A builder frozen before any step gives the view it started from: no need to freeze it.
        self._frozen: dict[str, Any] | None = {p.name: start.get(p.name, p.empty) for p in chosen}

    def apply(self, event: Event) -> None:
        """Fold ``event`` in as it stands: the caller has decided that it counts."""
        steps = self._steps.get(type(event))
        if steps is not None:
            self._frozen = None
            for step in steps:
                step(event)

    def fold(self, events: Iterable[Event]) -> dict[str, Any]:
        """Fold ``events`` in, in order, each as it stands, and return :meth:`views`.

        The collector is paused meanwhile (see :func:`quiet_collector`): a fold makes many
        objects that all survive.
        """
        table = self._steps
        with quiet_collector():
            self._frozen = None
            for event in events:
                steps = table.get(type(event))
                if steps is not None:
                    for step in steps:
                        step(event)
            return self.views()

    def views(self) -> dict[str, Any]:
        """Every view as it stands, by name, immutable; frozen once per change, when read."""
        if self._frozen is None:
            self._frozen = {name: builder.freeze() for name, builder in self._builders.items()}
        return self._frozen


# -- helpers for builders ----------------------------------------------------------------------


class Chrono(Generic[T]):
    """Items in order of date, as a builder keeps them: appended as they come and sorted only
    when read, so a fold pays one sort rather than a search per item, and adding one costs the
    same however many there are.

    The order is the one the views document: by date, and items of the same date in the order
    they were added. A stable sort of items in the order they came gives exactly that.
    ``rank`` gives an item's date as :attr:`~negotiations.domain.values.PartialDate.sort_rank`;
    an ``operator.attrgetter`` keeps the sort free of Python calls.
    """

    __slots__ = ("_frozen", "_rank", "_replaced", "_sorted", "items")

    def __init__(self, items: Iterable[T], rank: Callable[[T], int]) -> None:
        self.items = list(items)
        """The items, in order up to the first one added since the last read."""
        self._rank = rank
        self._sorted = len(self.items)
        self._replaced: dict[int, T] = {}
        # A view's tuple is its own freeze until an item is added: the same object, so that
        # what did not change keeps its identity (the runner's saves find changes by it).
        self._frozen: tuple[T, ...] | None = items if isinstance(items, tuple) else None

    def add(self, item: T) -> None:
        """Add ``item`` after every item not later than it."""
        self.items.append(item)
        self._frozen = None

    def replace(self, old: T, new: T) -> None:
        """Put ``new``, of the same date, in the place of ``old`` (the very object), when next
        read: finding ``old`` now would cost a search.
        """
        self._replaced[id(old)] = new  # ``old`` stays in ``items`` until then, so its id is its own
        self._frozen = None

    def ordered(self) -> list[T]:
        """The items in order, with every replacement made.

        Only what the items added since the last read can move is sorted again: from the place
        of the earliest of them on. They are mostly of recent dates, so a live view read after
        every batch pays for the batch, not for the whole view.
        """
        items, done = self.items, self._sorted
        if done < len(items):
            rank = self._rank
            start = bisect.bisect_right(items, min(map(rank, items[done:])), 0, done, key=rank) if done else 0
            # A stable sort of the rest: the items already in order come first in it, so those
            # of the same date as an added one stay ahead of it.
            if start:
                items[start:] = sorted(items[start:], key=rank)
            else:
                items.sort(key=rank)
            self._sorted = len(items)
        if self._replaced:
            replaced = self._replaced
            self.items = [replaced.get(id(item), item) for item in self.items]
            replaced.clear()
        return self.items

    def freeze(self) -> tuple[T, ...]:
        """The items in order, as a tuple: the same tuple as last time while none was added."""
        if self._frozen is None:
            self._frozen = tuple(self.ordered())
        return self._frozen


def frozen_map(mapping: Mapping[K, T]) -> Mapping[K, T]:
    """A read-only copy of ``mapping``."""
    return MappingProxyType(dict(mapping))


_UNCHANGED: Final = object()
"""The default of each argument of a generated :func:`evolve`: the field keeps its value."""


@functools.cache
def _evolver(cls: type) -> Callable[..., Any]:
    """A function ``(instance, **changes) -> copy`` for ``cls``, generated from its fields: one
    keyword argument per field, defaulting to the instance's own value.
    """
    names = [a.alias for a in attrs.fields(cls) if a.init and a.alias == a.name]
    if len(names) != sum(1 for a in attrs.fields(cls) if a.init):
        return attrs.evolve  # a field renamed for ``__init__``: the general function knows how
    arguments = ", ".join(f"{n}=_UNCHANGED" for n in names)
    values = ", ".join(f"{n}=o.{n} if {n} is _UNCHANGED else {n}" for n in names)
    namespace: dict[str, Any] = {"cls": cls, "_UNCHANGED": _UNCHANGED}
    exec(f"def evolve(o, *, {arguments}):\n    return cls({values})", namespace)  # noqa: S102 - our own text
    return cast("Callable[..., Any]", namespace["evolve"])


def evolve(inst: T, **changes: Any) -> T:  # noqa: ANN401 - any field's value
    """``attrs.evolve(inst, **changes)``, about five times faster: a copy of ``inst`` with
    ``changes`` made, through its class's ``__init__`` (so every validator runs).

    The builders replace an item each time an event changes it, and ``attrs.evolve`` looks the
    class's fields up on every call, which took a tenth of a fold; the function generated here
    once per class does not.
    """
    cls: type = type(inst)
    return cast("T", _evolver(cls)(inst, **changes))
