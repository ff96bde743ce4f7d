"""The projection runner: keeps views current as events arrive, and resumes from saved snapshots.

The runner folds the events of one stream (or of every stream) into its projections' views. It
saves every view with the global position it has folded up to (its checkpoint) in the store
itself, all in one transaction, so a restarted runner reads its snapshots and folds only the
events after the checkpoint. Folding is pure and a fold split anywhere equals a fold whole, so
snapshot plus newer events gives exactly what a full replay gives.

A retraction or correction changes events already folded, so when one arrives the runner folds
the views again from the start of the store, with every amendment up to it applied. They are
rare; every other event costs one step.

Each snapshot carries a tag: the projection's name and ``version`` and a fingerprint of the view
type's shape. A snapshot whose tag differs, made by an older projector, is rebuilt from the start
of the store, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, get_args, get_origin

import attrs

from negotiations.codec import dump_json, structure_view, unstructure_view
from negotiations.domain.events import AMENDMENT_TYPES, Event
from negotiations.errors import NegotiationsError, StoreError
from negotiations.log.amendments import Amendments
from negotiations.projections import PROJECTIONS, Citations, Fold, Projection, counted, quiet_collector
from negotiations.services._deltas import delta, patched
from negotiations.stores import EventStore, Recorded, Snapshot, check_stream, subscribe

__all__ = ["MAX_CHUNKS", "MAX_DELTAS", "ProjectionRunner", "snapshot_tag"]

_ALL_STREAMS: Final = "*"
_NO_AMENDMENTS: Final = Amendments()


def _shape(tp: object, seen: frozenset[type] = frozenset()) -> str:
    """A text that changes whenever the view type's fields or their types change."""
    if isinstance(tp, type) and attrs.has(tp) and tp not in seen:
        hints = typing.get_type_hints(tp)
        inner = ",".join(f"{f.name}:{_shape(hints[f.name], seen | {tp})}" for f in attrs.fields(tp))
        return f"{tp.__qualname__}({inner})"
    origin = get_origin(tp)
    if origin is not None:
        return f"{_shape(origin, seen)}[{','.join(_shape(a, seen) for a in get_args(tp))}]"
    return getattr(tp, "__qualname__", repr(tp))


@functools.cache
def _fingerprint(view_type: type) -> str:
    """A short hash of the view type's shape. Cached: resolving type hints is slow, and a runner
    tags every snapshot it saves or loads.
    """
    return hashlib.sha256(_shape(view_type).encode()).hexdigest()[:12]


_LAYOUT: Final = "chunked-1"
"""The layout of the saved snapshots: a manifest and its chunks (see :class:`ProjectionRunner`).
Snapshots of another layout are not read, but rebuilt."""

MAX_CHUNKS: Final = 32
"""The most chunks a view's snapshot has: its whole view and deltas after it. Loading reads
each, so past this many the next save writes the view whole again."""

MAX_DELTAS: Final = 4
"""How many times the size of the whole view its deltas may add up to before the next save
writes it whole again. A view that only grows (a timeline) loads as its whole view plus the
items added since, which is just the view; only items replaced or dropped are read for
nothing, so loading reads at most this many times more than the view, plus one."""


def snapshot_tag(projection: Projection[Any]) -> str:
    """The tag of ``projection``'s snapshots: its name, its version, its view's fingerprint and
    the layout of the snapshots.
    """
    view_type: type = type(projection.empty)
    return f"{projection.name}:{projection.version}:{_fingerprint(view_type)}:{_LAYOUT}"


@attrs.define
class _Chunks:
    """What a view's saved snapshot holds: how many chunks, and the size of its whole view and of
    the deltas after it, in characters of JSON.
    """

    count: int
    whole: int
    deltas: int = 0


class _Stored:
    """The events of one stream (``None``: every stream) of a store, read afresh from the store
    each time they are iterated.
    """

    __slots__ = ("store", "stream")

    def __init__(self, store: EventStore, stream: str | None) -> None:
        self.store = store
        self.stream = stream

    def __iter__(self) -> Iterator[Event]:
        records = self.store.read_all() if self.stream is None else self.store.read_stream(self.stream)
        return (record.event for record in records)


class ProjectionRunner:
    """Keeps the views of ``projections`` current over ``stream`` (``None``: every stream).

    Its snapshots are called ``PREFIX/STREAM/VIEW`` (``*`` for every stream). Two runners of the
    same stream in one store, in two processes, say, each save and trust their own, so each
    needs a ``prefix`` of its own.

    >>> from negotiations import seed_timeline
    >>> from negotiations.stores import MemoryStore
    >>> store = MemoryStore()
    >>> _ = store.append("russia-ukraine", list(seed_timeline()))
    >>> runner = ProjectionRunner(store, stream="russia-ukraine")
    >>> runner.catch_up()
    19
    >>> runner.views["deadlines"].by_id["us-ceasefire-ultimatum"].due
    datetime.date(2025, 9, 2)
    """

    def __init__(
        self,
        store: EventStore,
        projections: Sequence[Projection[Any]] = tuple(PROJECTIONS.values()),
        *,
        stream: str | None = None,
        save_every: int = 10_000,
        prefix: str = "views",
    ) -> None:
        self.store = store
        self.stream = None if stream is None else check_stream(stream)
        self.prefix = prefix
        """What the names of the runner's snapshots start with: give each runner of the same
        stream that shares a store a prefix of its own (a service's instance name, say), so that
        neither overwrites the snapshots the other reads."""
        self.projections = {p.name: p for p in projections}
        self.save_every = save_every
        self.checkpoint = 0
        """The global position the views have folded up to."""
        self.rebuilt: list[str] = []
        """The views rebuilt from the start because their snapshot was missing or out of date, until
        they are saved."""
        self._saved: dict[str, Any] = {}
        """Each view as last saved or loaded, which the next save writes only the changes of."""
        self._chunks: dict[str, _Chunks] = {}
        self._fold = self._load()

    @property
    def views(self) -> dict[str, Any]:
        """Every view as of the checkpoint, by name. The runner keeps them live in place, so an
        event costs the same however long the store; reading them freezes them (in time
        proportional to their size), once per change.
        """
        return self._fold.views()

    @property
    def citations(self) -> Citations:
        """Where the sources and text of the events behind the views are read from: the runner's
        stream in the store, read when first asked (and then held), which a renderer takes as
        ``citations=``. Read it anew for each rendering, so that it holds the events folded since.

        >>> from negotiations import Views, seed_timeline
        >>> from negotiations.render import views_to_json
        >>> from negotiations.stores import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.append("s", list(seed_timeline()))
        >>> runner = ProjectionRunner(store, stream="s")
        >>> _ = runner.catch_up()
        >>> views = Views(as_of=None, **runner.views)
        >>> (deadline,) = views_to_json(views, ("deadlines",), citations=runner.citations)["deadlines"]
        >>> deadline["history"][0]["sources"][0]["outlet"]
        'The Epoch Times'
        """
        return Citations(_Stored(self.store, self.stream))

    def _name(self, projection: str) -> str:
        return f"{self.prefix}/{self.stream or _ALL_STREAMS}/{projection}"

    def _load(self) -> Fold:
        """Start from the saved snapshots; rebuild any view whose snapshot cannot be trusted."""
        manifests = {name: self.store.load_snapshot(self._name(name)) for name in self.projections}
        trusted = {
            name: s
            for name, s in manifests.items()
            if s is not None and s.tag == snapshot_tag(self.projections[name])
        }
        checkpoints = {s.checkpoint for s in trusted.values()}
        if len(checkpoints) > 1:  # saved together, so this is a damaged store
            raise StoreError(f"the snapshots of {', '.join(trusted)} disagree on their checkpoint")
        self.checkpoint = checkpoints.pop() if checkpoints else 0
        start = {}
        for name, manifest in trusted.items():
            view = self._read_chunks(name, manifest)
            if view is not None:
                start[name] = view
        self.rebuilt = [name for name in self.projections if name not in start]
        self._saved = dict(start)
        if self.rebuilt and self.checkpoint:
            start.update(self._rebuild(self.checkpoint, self.rebuilt).views())
        fold = Fold(self.projections.values(), start)
        self._saved = {name: view for name, view in fold.views().items() if name in self._saved}
        return fold

    def _read_chunks(self, name: str, manifest: Snapshot) -> Any | None:  # noqa: ANN401 - a view
        """The view a trusted manifest saved: its whole view patched with each delta after it;
        ``None`` (rebuild it) when a chunk is missing or does not fit.
        """
        view_type: type = type(self.projections[name].empty)
        try:
            count = int(json.loads(manifest.data)["chunks"])
            texts = [self.store.load_snapshot(f"{self._name(name)}#{n}") for n in range(count)]
            if count < 1 or any(t is None or t.tag != manifest.tag for t in texts):
                return None
            chunks = [t.data for t in texts if t is not None]
            view: Any = structure_view(json.loads(chunks[0]), view_type)
            for text in chunks[1:]:
                view = patched(view, json.loads(text))
        except (ValueError, TypeError, KeyError, IndexError, NegotiationsError):
            return None
        self._chunks[name] = _Chunks(count, len(chunks[0]), sum(len(t) for t in chunks[1:]))
        return view

    def _ours(self, record: Recorded) -> bool:
        return self.stream is None or record.stream == self.stream

    def _rebuild(self, upto: int, names: Iterable[str]) -> Fold:
        """The views called ``names`` folded again from the empty view, over every event up to
        global position ``upto``, with the amendments among them applied (each stream's own).

        One read suffices when there are no amendments; otherwise the first read finds them and a
        second folds with them.
        """
        chosen = [self.projections[name] for name in names]
        amendments: dict[str, Amendments] = {}

        def until_amended() -> Iterator[Event]:
            for record in self.store.read_all(1, limit=upto):
                if not self._ours(record):
                    continue
                if type(record.event) in AMENDMENT_TYPES:
                    amendments.setdefault(record.stream, Amendments()).add(record.event)
                elif not amendments:
                    yield record.event  # with no amendment, every other event counts as it stands

        def amended() -> Iterator[Event]:
            for record in self.store.read_all(1, limit=upto):
                if self._ours(record):
                    known = amendments.get(record.stream, _NO_AMENDMENTS)
                    yield from counted((record.event,), amendments=known)

        fold = Fold(chosen)
        fold.fold(until_amended())
        if amendments:
            fold = Fold(chosen)
            fold.fold(amended())
        return fold

    def _advance(self, record: Recorded) -> None:
        if not self._ours(record):
            pass
        elif type(record.event) in AMENDMENT_TYPES:
            self._fold = self._rebuild(record.position, self.projections)
            self._saved = {}  # a new fold shares no item with the views saved: save them whole
        else:
            self._fold.apply(record.event)  # amendments only target earlier events: it stands
        self.checkpoint = record.position

    def save(self) -> None:
        """Save every view with the checkpoint, in one transaction.

        A view is saved whole the first time, and after that only what changed since its last
        save (a delta), so a save costs what the events since the last one changed. Each view's
        snapshot is a manifest, named after the view, that says how many chunks follow it: the
        whole view, then the deltas in order. When the deltas add up to more than
        :data:`MAX_DELTAS` times the whole view, or reach :data:`MAX_CHUNKS`, the view is saved
        whole again: a view that grows is written whole about 1.25 times over its life, and one
        whose items are replaced loads at most five times its size.
        """
        views = self.views
        snapshots = []
        for name, projection in self.projections.items():
            tag, base, view = snapshot_tag(projection), self._name(name), views[name]
            chunks, saved = self._chunks.get(name), self._saved.get(name)
            changes = None if saved is None or chunks is None else delta(saved, view)
            text = None if changes is None else dump_json(changes) if changes else ""
            if (
                chunks is None
                or text is None
                or chunks.deltas + len(text) > MAX_DELTAS * chunks.whole
                or (text and chunks.count >= MAX_CHUNKS)
            ):
                text = dump_json(unstructure_view(view))  # the whole view: a new first chunk
                chunks = self._chunks[name] = _Chunks(0, len(text))
            if text:  # "" when nothing changed: the manifest alone moves to the checkpoint
                snapshots.append(
                    Snapshot(name=f"{base}#{chunks.count}", tag=tag, checkpoint=self.checkpoint, data=text)
                )
                if chunks.count:  # a delta after the whole view
                    chunks.deltas += len(text)
                chunks.count += 1
            manifest = dump_json({"chunks": chunks.count})
            snapshots.append(Snapshot(name=base, tag=tag, checkpoint=self.checkpoint, data=manifest))
        self.store.save_snapshots(snapshots)
        self._saved = dict(views)
        self.rebuilt = []

    def catch_up(self) -> int:
        """Fold every event committed after the checkpoint, save, and return the checkpoint."""
        unsaved = 0
        # The collector is paused, as for any fold: the views are many objects that all survive.
        with quiet_collector():
            for record in self.store.read_all(self.checkpoint + 1):
                self._advance(record)
                unsaved += 1
                if unsaved >= self.save_every:
                    self.save()
                    unsaved = 0
            if unsaved or self.rebuilt:
                self.save()
        return self.checkpoint

    def run(self, stop: threading.Event, *, poll: float = 0.2) -> None:
        """Catch up, then follow new events until ``stop`` is set, saving after each quiet spell
        and every ``save_every`` events.
        """
        self.catch_up()
        saved = self.checkpoint

        def save_if_behind() -> None:
            nonlocal saved
            if saved != self.checkpoint:
                self.save()
                saved = self.checkpoint

        for record in subscribe(self.store, self.checkpoint, stop=stop, poll=poll, on_idle=save_if_behind):
            self._advance(record)
            if self.checkpoint - saved >= self.save_every:
                save_if_behind()
        save_if_behind()
