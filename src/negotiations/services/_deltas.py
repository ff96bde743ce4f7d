"""What changed in a view between two saves, as JSON, and that change applied to the earlier view.

The projection runner saves a view whole once, then only what changed since its last save: a
**delta**. A view's fields are tuples of items or mappings (of items, of counts, or of mappings
again), and a builder keeps the very item objects that did not change from one freeze to the
next, so what changed is found by identity, without comparing items:

- a tuple field gives the items of the new tuple that the old one did not hold, each with its
  place in the new tuple, and the places in the old tuple of the items the new one no longer
  holds (an item replaced, or joined into another);
- a mapping field gives the keys whose value is new, the keys gone, and, when the new order of
  the keys is not the old order with new keys at the end, the whole order; a mapping nested in a
  mapping gives its own delta under its key.

:func:`delta` finds it, and :func:`patched` applies it. ``patched(old, delta(old, new)) == new``
for every pair of views of one builder, which is what the runner's restarts rely on; the
properties of ``tests/test_deltas.py`` prove it for views folded from drawn logs.
"""

from __future__ import annotations

import functools
import itertools
import operator
import typing
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, get_args, get_origin

import attrs

from negotiations.codec import structure_view, unstructure_view

__all__ = ["delta", "patched"]

Delta = dict[str, Any]
"""The JSON-ready delta of one view: by field name, that field's change."""

_SCALARS: Final = (int, str, float, bool)


@functools.cache
def _fields(view_type: type) -> tuple[tuple[str, Any], ...]:
    """The fields of a view class with their types, resolved once."""
    hints = typing.get_type_hints(view_type)
    return tuple((f.name, hints[f.name]) for f in attrs.fields(view_type))


def _value_type(mapping_type: Any) -> Any:  # noqa: ANN401 - a type expression
    return get_args(mapping_type)[1]


def _is_mapping(tp: Any) -> bool:  # noqa: ANN401 - a type expression
    origin = get_origin(tp)
    return isinstance(origin, type) and issubclass(origin, Mapping)


def _dump(value: Any, tp: Any) -> Any:  # noqa: ANN401 - a view's value and its JSON
    if _is_mapping(tp):
        inner = _value_type(tp)
        return {key: _dump(item, inner) for key, item in value.items()}
    if isinstance(value, _SCALARS):
        return value
    return unstructure_view(value)


def _load(obj: Any, tp: Any) -> Any:  # noqa: ANN401 - a JSON value and the view's value
    if _is_mapping(tp):
        inner = _value_type(tp)
        return MappingProxyType({key: _load(item, inner) for key, item in obj.items()})
    origin = get_origin(tp) or tp
    if origin in _SCALARS:
        if not isinstance(obj, origin):
            raise TypeError(f"expected {origin.__name__}, got {type(obj).__name__}")
        return obj
    return structure_view(obj, tp)


def delta(old: Any, new: Any) -> Delta:  # noqa: ANN401 - two views of one class
    """What ``new`` holds that ``old`` did not, field by field; ``{}`` when nothing changed."""
    changes = _item_delta(old, new)
    if changes is None:
        raise TypeError(f"a {type(new).__name__} is not a view of tuples and mappings")
    return changes


def _is_tuple(tp: Any) -> bool:  # noqa: ANN401 - a type expression
    return get_origin(tp) is tuple and len(get_args(tp)) == 2 and get_args(tp)[1] is Ellipsis  # noqa: PLR2004


def _item_delta(old: Any, new: Any) -> Delta | None:  # noqa: ANN401 - two items of one class
    """The changes of the tuple and mapping fields of ``new`` from ``old``, or ``None`` when
    another field changed, so that the item is to be written whole.
    """
    changes: Delta = {}
    cls: type = type(new)
    for name, tp in _fields(cls):
        before, after = getattr(old, name), getattr(new, name)
        if before is after:
            continue
        if _is_mapping(tp):
            change = _mapping_delta(before, after, tp)
        elif _is_tuple(tp):
            change = _tuple_delta(before, after)
        elif before == after:
            continue
        else:
            return None
        if change:
            changes[name] = change
    return changes


def _first_other(old: Iterable[Any], new: Iterable[Any], limit: int) -> int:
    """The index of the first place where ``old`` and ``new`` hold other objects; ``limit`` if
    none does before it. Found at C speed: a timeline of a million entries costs milliseconds.
    """
    return next(itertools.compress(itertools.count(), map(operator.is_not, old, new)), limit)


def _tuple_delta(old: tuple[Any, ...], new: tuple[Any, ...]) -> dict[str, Any]:
    # Only the stretch between the items both keep at the start and at the end is compared by
    # identity, so the cost is that of what changed (and a pointer comparison an item): an event
    # inserts its entry near the end of the timeline, by date, and seldom anywhere else.
    shorter = min(len(old), len(new))
    start = _first_other(old, new, shorter)
    end = _first_other(reversed(old[start:]), reversed(new[start:]), shorter - start)
    before, after = old[start : len(old) - end], new[start : len(new) - end]
    if not before and not after:
        return {}
    seen = {id(item) for item in before}
    kept = {id(item) for item in after}
    put = [[i, unstructure_view(item)] for i, item in enumerate(after, start) if id(item) not in seen]
    drop = [j for j, item in enumerate(before, start) if id(item) not in kept]
    if not put and not drop:
        return {}
    return {"n": len(new), "put": put, "drop": drop}


def _mapping_delta(old: Mapping[str, Any], new: Mapping[str, Any], tp: Any) -> dict[str, Any]:  # noqa: ANN401
    inner = _value_type(tp)
    nested = _is_mapping(inner)
    put: list[list[Any]] = []
    sub: list[list[Any]] = []
    # The keys whose value is another object than before, found at C speed: a save after a
    # batch visits in Python only what the batch changed, however large the mapping.
    befores = map(old.get, new.keys(), itertools.repeat(_ABSENT))
    for key in itertools.compress(new.keys(), map(operator.is_not, befores, new.values())):
        value, before = new[key], old.get(key, _ABSENT)
        if isinstance(value, _SCALARS) and before == value:
            continue
        change = None if before is _ABSENT else _value_delta(before, value, inner, nested=nested)
        if change is None:
            put.append([key, _dump(value, inner)])
        elif change:
            sub.append([key, change])
    drop = list(itertools.filterfalse(new.__contains__, old.keys())) if len(old) else []
    result: dict[str, Any] = {}
    if put:
        result["put"] = put
    if sub:
        result["sub"] = sub
    if drop:
        result["drop"] = drop
    added = list(itertools.filterfalse(old.__contains__, new.keys()))
    gone = set(drop)
    kept = [key for key in old if key not in gone] if gone else list(old)
    if kept + added != list(new):
        result["order"] = list(new)
    return result


_ABSENT: Final = object()


def _value_delta(old: Any, new: Any, tp: Any, *, nested: bool) -> Delta | None:  # noqa: ANN401
    """The change of one mapping value, or ``None`` when it is to be written whole."""
    if nested:
        return _mapping_delta(old, new, tp)
    if attrs.has(type(new)) and type(old) is type(new):
        return _item_delta(old, new)
    return None


def patched(view: Any, changes: Delta) -> Any:  # noqa: ANN401 - a view, and the same view changed
    """``view`` with ``changes`` (a :func:`delta` of it) applied.

    Raises:
        TypeError: ``changes`` is not a delta of a view of this class (any error of its shape
            raises ``TypeError``, ``ValueError``, ``KeyError`` or ``IndexError``).

    """
    if not changes:
        return view
    cls: type = type(view)
    fields = dict(_fields(cls))
    unknown = set(changes) - fields.keys()
    if unknown:
        raise TypeError(f"a delta of {type(view).__name__} names no such field: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, change in changes.items():
        tp, current = fields[name], getattr(view, name)
        if _is_mapping(tp):
            values[name] = _patch_mapping(current, change, tp)
        elif _is_tuple(tp):
            values[name] = _patch_tuple(current, change, get_args(tp)[0])
        else:
            raise TypeError(
                f"a delta changes {type(view).__name__}.{name}, which is neither a tuple nor a mapping"
            )
    return attrs.evolve(view, **values)


def _patch_tuple(old: tuple[Any, ...], change: dict[str, Any], item_type: type) -> tuple[Any, ...]:
    size, put, drop = change["n"], change["put"], change["drop"]
    if drop:
        gone = set(drop)
        kept = [item for j, item in enumerate(old) if j not in gone]
    else:
        kept = list(old)
    if len(kept) + len(put) != size:
        raise ValueError(f"a delta of {size} items does not fit {len(kept)} kept and {len(put)} new")
    out: list[Any] = []
    taken = 0
    for place, obj in put:
        run = place - len(out)
        if run < 0:
            raise ValueError("a delta's places are not in order")
        out += kept[taken : taken + run]
        taken += run
        out.append(structure_view(obj, item_type))
    out += kept[taken:]
    return tuple(out)


def _patch_mapping(old: Mapping[str, Any], change: dict[str, Any], tp: Any) -> Mapping[str, Any]:  # noqa: ANN401
    inner = _value_type(tp)
    nested = _is_mapping(inner)
    out = dict(old)
    for key in change.get("drop", ()):
        del out[key]
    for key, sub in change.get("sub", ()):
        out[key] = _patch_mapping(out[key], sub, inner) if nested else patched(out[key], sub)
    for key, obj in change.get("put", ()):
        out[key] = _load(obj, inner)
    order = change.get("order")
    if order is not None:
        if set(order) != out.keys() or len(order) != len(out):
            raise ValueError("a delta's order does not name the mapping's keys")
        out = {key: out[key] for key in order}
    return MappingProxyType(out)
