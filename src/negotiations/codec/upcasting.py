"""Schema versions and upcasters: how a line written in an older shape of an event kind is read.

Each event class has a ``schema_version`` (a class variable, 1 for every kind so far), and every
encoded event carries it on the wire, right after ``type``. A line without it is version 1: the
0.1.0 release wrote none. When a kind's shape changes, its class's ``schema_version`` goes up by
one, and an *upcaster* is registered that turns the JSON object of the old version into the new
one. Reading then applies the chain of upcasters, one step per version, before the object is
turned into the current class; nothing stored is ever rewritten.

>>> registry = Upcasters()
>>> @registry.register("CallHeld", from_version=1)
... def _(obj: dict[str, Any]) -> dict[str, Any]:
...     obj["summary"] = obj.pop("note")
...     return obj
>>> registry.steps()
[('CallHeld', 1)]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

from negotiations.domain.events import EVENT_TYPES, Event
from negotiations.errors import DecodeError

__all__ = ["UPCASTERS", "Upcaster", "Upcasters", "read_version"]

Upcaster: TypeAlias = Callable[[dict[str, Any]], dict[str, Any]]
"""A step: the JSON object of one version of a kind in, the object of the next version out."""

_CLASSES: Final[Mapping[str, type[Event]]] = {cls.wire_type: cls for cls in EVENT_TYPES}
_JSON_TYPES: Final = {
    bool: "a boolean",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "an object",
}


def read_version(obj: Mapping[str, Any]) -> int:
    """The ``schema_version`` of an event's JSON object: 1 when absent (or ``null``, as for any
    optional field).

    Raises:
        DecodeError: it is not a whole number of 1 or more (naming the field ``schema_version``).

    """
    version = obj.get("schema_version")
    if version is None:
        return 1
    if type(version) is float and version.is_integer():
        version = int(version)  # JSON's data model: 1.0 is the number 1, as a count reads it
    if type(version) is not int:
        what = _JSON_TYPES.get(type(version), type(version).__name__)
        raise DecodeError(f"expected a whole number, got {what}", field="schema_version")
    if version < 1:
        raise DecodeError(f"must be 1 or more, got {version}", field="schema_version")
    return version


class Upcasters:
    """A registry of upcasters, one for each step from a version of a kind to the next.

    :data:`UPCASTERS` is the one the library reads with; a fresh registry is for tests.
    """

    __slots__ = ("_steps",)

    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], Upcaster] = {}

    def register(self, wire_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """A decorator that registers its function as the step from ``from_version`` of the kind
        ``wire_type`` to ``from_version + 1``, and returns the function unchanged.

        The function gets a shallow copy of the object, which it may change and return; it must
        not change the values nested in it in place. It need not touch ``type`` or
        ``schema_version``: the registry keeps the one and sets the other.

        Raises:
            ValueError: ``wire_type`` is not a kind of this library, ``from_version`` is not 1 or
                more, or that step is registered already.

        """
        if wire_type not in _CLASSES:
            raise ValueError(f"unknown event type {wire_type!r}")
        if type(from_version) is not int or from_version < 1:
            raise ValueError(f"a version is a whole number, 1 or more, not {from_version!r}")
        if (wire_type, from_version) in self._steps:
            raise ValueError(f"an upcaster from version {from_version} of {wire_type} is registered already")

        def decorate(step: Upcaster) -> Upcaster:
            self._steps[wire_type, from_version] = step
            return step

        return decorate

    def steps(self) -> list[tuple[str, int]]:
        """The registered steps, as ``(wire type, from version)``, sorted."""
        return sorted(self._steps)

    def upcast(self, obj: dict[str, Any]) -> dict[str, Any]:
        """``obj`` (an event's JSON object) in the current version of its kind.

        An object already at the current version is returned as it is, and so is one of a kind
        this library does not know (reading decides what to do with it). Otherwise the result is a
        new object, with ``type`` and ``schema_version`` first.

        Raises:
            DecodeError: ``schema_version`` is not a whole number of 1 or more, is newer than this
                library reads, or a step from it to the current version is not registered; the
                error names the field ``schema_version``.

        """
        wire = obj.get("type")
        cls = _CLASSES.get(wire) if isinstance(wire, str) else None
        if cls is None:
            return obj
        version, current = read_version(obj), cls.schema_version
        if version == current and obj.get("schema_version") != version:
            return {**obj, "schema_version": version}  # ``1.0``, read as the whole number it is
        if version > current:
            reason = (
                f"version {version} of {wire} was written by a newer version of negotiations, which "
                f"reads up to version {current}; upgrade negotiations, or read leniently"
            )
            raise DecodeError(reason, field="schema_version")
        while version < current:
            step = self._steps.get((cls.wire_type, version))
            if step is None:
                reason = f"cannot read version {version} of {wire}: no upcaster to version {version + 1}"
                raise DecodeError(reason, field="schema_version")
            body = step(dict(obj))
            version += 1
            obj = {"type": wire, "schema_version": version}
            obj.update((k, v) for k, v in body.items() if k not in ("type", "schema_version"))
        return obj


UPCASTERS: Final = Upcasters()
"""The upcasters the library reads with. Empty while every kind is at version 1."""
