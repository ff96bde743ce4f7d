"""The detailed cattrs converter: strict field hooks first, then one structure function per event
class, and a walk that turns cattrs' grouped errors into one :class:`DecodeError`.

It stands behind the generated fast reader of :mod:`negotiations.codec._converter`, which imports
this module only once a line has failed there: to say exactly what is wrong with it, or to find
that it is good after all. It never writes: every event and every view is written by its
generated writer. Importing cattrs and building the converter takes about as long as all the
rest of ``import negotiations``, so a program that only writes, or only reads good lines, never
pays for it. The view converter, which reads a saved snapshot that the generated view reader
refused, is here too; each converter is built on its first use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final, get_args, get_origin

from cattrs import Converter
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from negotiations.codec._words import describe
from negotiations.domain.events import EVENT_TYPES, NESTED_TYPES, Event, OpaqueEvent
from negotiations.domain.values import (
    PartialDate,
    parse_day,
    parse_recorded,
)
from negotiations.errors import DecodeError, InvalidValueError, NegotiationsError

__all__ = ["converter", "opaque", "structure", "view_converter"]


def _expected(what: str, value: object) -> InvalidValueError:
    return InvalidValueError(f"expected {what}, got {describe(value)}")


def _str(value: object, _: object) -> str:
    if type(value) is not str:
        raise _expected("a string", value)
    return value


def _int(value: object, _: object) -> int:
    if type(value) is int:  # not a bool, which JSON keeps apart from numbers
        return value
    if type(value) is float and value.is_integer():  # JSON's data model: 1000.0 is the integer 1000
        return int(value)
    raise _expected("a whole number", value)


def _float(value: object, _: object) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise _expected("a number", value)


def _day(value: object, _: object) -> date:
    return parse_day(_str(value, None))


def _partial(value: object, _: object) -> PartialDate:
    return PartialDate.parse(_str(value, None))


def _datetime(value: object, _: object) -> datetime:
    return parse_recorded(_str(value, None))


def _is_homogeneous_tuple(cls: object) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis  # noqa: PLR2004


def _is_mapping(cls: object) -> bool:
    return get_origin(cls) is Mapping


def _tuple_hook(conv: Converter, cls: object) -> Callable[[object, object], tuple[Any, ...]]:
    item = conv.get_structure_hook(get_args(cls)[0])
    item_type = get_args(cls)[0]

    def structure(value: object, _: object) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _expected("a list", value)
        out = []
        for index, element in enumerate(value):
            try:
                out.append(item(element, item_type))
            except NegotiationsError as exc:
                raise exc.within(str(index)) from None
            except BaseValidationError as exc:
                raise _to_error(exc).within(str(index)) from None
        return tuple(out)

    return structure


def _mapping_hook(conv: Converter, cls: object) -> Callable[[object, object], dict[Any, Any]]:
    key_type, value_type = get_args(cls)
    if value_type is Any:  # a JSON object kept as read, such as a correction's changes

        def structure_json(value: object, _: object) -> dict[Any, Any]:
            if type(value) is not dict:
                raise _expected("an object", value)
            return value

        return structure_json
    key_hook = conv.get_structure_hook(key_type)
    value_hook = conv.get_structure_hook(value_type)

    def structure(value: object, _: object) -> dict[Any, Any]:
        if type(value) is not dict:
            raise _expected("an object", value)
        out = {}
        for key, element in value.items():
            try:
                out[key_hook(key, key_type)] = value_hook(element, value_type)
            except NegotiationsError as exc:
                raise exc.within(str(key)) from None
        return out

    return structure


def _objects_only(hook: Callable[[Any, Any], Any]) -> Callable[[object, object], Any]:
    """``hook``, refusing anything but a JSON object with an error that says so."""

    def structure(value: object, cls: object) -> object:
        if type(value) is not dict:
            raise _expected("an object", value)
        return hook(value, cls)

    return structure


@functools.cache
def converter() -> Converter:
    """The converter from JSON-ready values to events, built on first use. It only reads: every
    event is written by its generated writer.
    """
    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(date, _day)
    conv.register_structure_hook(datetime, _datetime)
    conv.register_structure_hook(PartialDate, _partial)

    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda cls: _tuple_hook(conv, cls))
    conv.register_structure_hook_factory(_is_mapping, lambda cls: _mapping_hook(conv, cls))

    for cls in (*NESTED_TYPES, *EVENT_TYPES):  # nested classes first: event hooks capture theirs
        conv.register_structure_hook(cls, _objects_only(make_dict_structure_fn(cls, conv)))
    conv.register_structure_hook(OpaqueEvent, _objects_only(make_dict_structure_fn(OpaqueEvent, conv)))
    return conv


@functools.cache
def view_converter() -> Converter:
    """The converter between views and JSON-ready values: for output, and for saved snapshots.
    Built on first use.
    """
    conv = Converter()
    conv.register_unstructure_hook(PartialDate, str)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(PartialDate, _partial)
    conv.register_structure_hook(date, _day)

    def mapping_hook(cls: object) -> Callable[[object, object], Mapping[Any, Any]]:
        key_type, value_type = get_args(cls)
        key_hook, value_hook = conv.get_structure_hook(key_type), conv.get_structure_hook(value_type)

        def structure(value: object, _: object) -> Mapping[Any, Any]:
            if type(value) is not dict:
                raise _expected("an object", value)
            return MappingProxyType(
                {key_hook(k, key_type): value_hook(v, value_type) for k, v in value.items()}
            )

        return structure

    conv.register_structure_hook_factory(_is_mapping, mapping_hook)
    return conv


def _to_error(exc: BaseException, path: tuple[str, ...] = ()) -> NegotiationsError:  # noqa: PLR0911 - a case per cattrs error kind
    """The first leaf of cattrs' grouped error, as one error naming the field's path."""
    if isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    return _to_error(sub, (*path, note.name))
                if isinstance(note, IterableValidationNote):
                    return _to_error(sub, (*path, str(note.index)))
        return _to_error(exc.exceptions[0], path)
    if isinstance(exc, NegotiationsError):
        parts = (*path, exc.field) if exc.field else path
        return DecodeError(exc.reason, field=".".join(parts) or None)
    field = ".".join(path) or None
    if isinstance(exc, KeyError):
        return DecodeError("is required", field=field)
    if isinstance(exc, ForbiddenExtraKeysError):
        extra = sorted(exc.extra_fields)
        name = ".".join((*path, extra[0]))
        return DecodeError(f"is not a field of {exc.cl.__name__} (unknown: {', '.join(extra)})", field=name)
    return DecodeError(f"invalid value ({exc})", field=field)


_ENVELOPE: Final = ("id", "occurred", "recorded", "sources")


def structure(obj: dict[str, Any], cls: type[Event]) -> Event:
    """``obj`` (current version, of kind ``cls``) as an event, or the :class:`DecodeError` that
    names the first bad field.
    """
    payload = dict(obj)
    del payload["type"]
    payload.pop("schema_version", None)
    try:
        return converter().structure(payload, cls)
    except (BaseValidationError, NegotiationsError) as exc:
        raise _to_error(exc) from None


def opaque(wire: str, obj: dict[str, Any]) -> OpaqueEvent:
    """What a lenient reader keeps of an event it cannot read: its envelope, checked, and the
    whole object as it is.
    """
    payload = {k: obj[k] for k in _ENVELOPE if k in obj}
    try:
        return converter().structure({**payload, "kind": wire, "data": obj}, OpaqueEvent)
    except (BaseValidationError, NegotiationsError) as exc:
        raise _to_error(exc) from None
