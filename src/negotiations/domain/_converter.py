"""The one cattrs converter: strict field hooks first, then one structure and unstructure function
per event class, and a walk that turns cattrs' grouped errors into one :class:`DecodeError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from negotiations.domain import _fast
from negotiations.domain._fields import thaw_json
from negotiations.domain.events import EVENT_TYPES, Event, OpaqueEvent
from negotiations.domain.upcasting import UPCASTERS, Upcasters
from negotiations.domain.values import (
    PartialDate,
    Person,
    Source,
    parse_day,
    parse_recorded,
)
from negotiations.errors import DecodeError, InvalidValueError, NegotiationsError

DAY_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
"""The wire form of a whole day."""

BY_WIRE_TYPE: Final[Mapping[str, type[Event]]] = {cls.wire_type: cls for cls in EVENT_TYPES}
"""Each event class by its wire name."""


def _expected(what: str, value: object) -> InvalidValueError:
    return InvalidValueError(f"expected {what}, got {_describe(value)}")


def _describe(value: object) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _str(value: object, _: object) -> str:
    if type(value) is not str:
        raise _expected("a string", value)
    return value


def _int(value: object, _: object) -> int:
    if type(value) is not int:
        raise _expected("a whole number", value)
    return value


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


def _make_converter() -> Converter:
    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(date, _day)
    conv.register_structure_hook(datetime, _datetime)
    conv.register_structure_hook(PartialDate, _partial)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_unstructure_hook(PartialDate, str)
    conv.register_unstructure_hook_func(_is_mapping, thaw_json)

    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda cls: _tuple_hook(conv, cls))
    conv.register_structure_hook_factory(_is_mapping, lambda cls: _mapping_hook(conv, cls))

    for cls in (Person, Source, *EVENT_TYPES):  # nested classes first: event hooks capture theirs
        conv.register_structure_hook(cls, _objects_only(make_dict_structure_fn(cls, conv)))
        omit = {a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is None}
        conv.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, conv, **omit))  # type: ignore[arg-type]  # cattrs types overrides loosely
    conv.register_structure_hook(OpaqueEvent, _objects_only(make_dict_structure_fn(OpaqueEvent, conv)))
    return conv


CONVERTER: Final = _make_converter()
"""The converter between events and JSON-ready values."""


def _make_view_converter() -> Converter:
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


VIEW_CONVERTER: Final = _make_view_converter()
"""The converter between views and JSON-ready values: for output, and for saved snapshots."""


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


def _make_fast() -> tuple[dict[type, _fast.Structurer], dict[type, _fast.Unstructurer]]:
    """The fast reader and writer of each class the generator supports (all of them, as a test
    pins); a class without one is read and written by :data:`CONVERTER` alone.
    """
    readers: dict[type, _fast.Structurer] = {}
    writers: dict[type, _fast.Unstructurer] = {}
    for cls in (Person, Source, *EVENT_TYPES):  # nested classes first: event functions call theirs
        event = cls not in (Person, Source)
        head = {"type": cls.wire_type, "schema_version": cls.schema_version} if event else None  # type: ignore[union-attr]  # events have both
        with suppress(_fast.UnsupportedTypeError):
            readers[cls] = _fast.structurer(cls, readers, envelope=event)
        with suppress(_fast.UnsupportedTypeError):
            writers[cls] = _fast.unstructurer(cls, writers, head)
    return readers, writers


FAST_STRUCTURE, FAST_UNSTRUCTURE = _make_fast()
"""The generated fast reader and writer of each class, by class."""


def structure(obj: object, *, lenient: bool = False, upcasters: Upcasters | None = None) -> Event:
    """Turn one decoded JSON value into an event, or raise :class:`DecodeError`.

    An object in an older ``schema_version`` of its kind is upcast first, with ``upcasters``
    (default: :data:`~negotiations.domain.upcasting.UPCASTERS`). With ``lenient``, an object of a
    kind this library does not know, or in a version newer than it reads, becomes an
    :class:`OpaqueEvent` (its envelope still checked) instead of an error.
    """
    if not isinstance(obj, dict):
        raise DecodeError(f"expected a JSON object for an event, got {_describe(obj)}")
    wire = obj.get("type")
    if wire is None:
        raise DecodeError("is required", field="type")
    cls = BY_WIRE_TYPE.get(wire) if isinstance(wire, str) else None
    if cls is None:
        if lenient and isinstance(wire, str):
            return _opaque(wire, obj)
        raise DecodeError(f"unknown event type {wire!r}", field="type")
    version = obj.get("schema_version", 1)
    if type(version) is not int or version != cls.schema_version:  # the rare path: not current
        if lenient and type(version) is int and version > cls.schema_version:
            return _opaque(wire, obj)
        obj = (UPCASTERS if upcasters is None else upcasters).upcast(obj)
    fast = FAST_STRUCTURE.get(cls)
    if fast is not None:
        try:
            return fast(obj)  # type: ignore[no-any-return]  # a reader of ``cls``
        except Exception:  # noqa: BLE001, S110 - any doubt at all: the converter decides, and says why
            pass
    return structure_slowly(obj, cls)


def structure_slowly(obj: dict[str, Any], cls: type[Event]) -> Event:
    """``obj`` (current version, of kind ``cls``) as an event, through the detailed converter."""
    payload = dict(obj)
    del payload["type"]
    payload.pop("schema_version", None)
    try:
        return CONVERTER.structure(payload, cls)
    except (BaseValidationError, NegotiationsError) as exc:
        raise _to_error(exc) from None


def _opaque(wire: str, obj: dict[str, Any]) -> OpaqueEvent:
    """What a lenient reader keeps of an event it cannot read: its envelope, checked, and the
    whole object as it is.
    """
    payload = {k: obj[k] for k in _ENVELOPE if k in obj}
    try:
        return CONVERTER.structure({**payload, "kind": wire, "data": obj}, OpaqueEvent)
    except (BaseValidationError, NegotiationsError) as exc:
        raise _to_error(exc) from None


def unstructure(event: Event) -> dict[str, Any]:
    """Turn an event into a JSON-ready dict: ``type`` and ``schema_version`` first, absent optional
    fields left out. An :class:`OpaqueEvent` gives back the object it was read from, as it was.
    """
    fast = FAST_UNSTRUCTURE.get(type(event))
    if fast is not None:
        return fast(event)
    return unstructure_slowly(event)


def unstructure_slowly(event: Event) -> dict[str, Any]:
    """:func:`unstructure` through the converter alone."""
    if type(event) is OpaqueEvent:
        return thaw_json(event.data)  # type: ignore[no-any-return]  # a JSON object, as read
    return {
        "type": event.wire_type,
        "schema_version": event.schema_version,
        **CONVERTER.unstructure(event, type(event)),
    }


dump_json: Final[Callable[[object], str]] = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
"""``json.dumps(value, ensure_ascii=False)`` for the values an event unstructures to, without building
an encoder on every call. It skips the check for circular references: such a value is a tree of
fresh dicts and lists, and holds no cycle.
"""


_scan: Final[Callable[[str, int], tuple[Any, int]]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__; the stubs leave it out


def load_json(text: str) -> Any:  # noqa: ANN401 - any JSON value
    """``json.loads(text)``, the same value or the same error, a little cheaper on a usual line:
    one that starts with its value and ends with it or with JSON whitespace.
    """
    try:
        value, end = _scan(text, 0)
    except Exception:  # noqa: BLE001 - json.loads says what is wrong, as it always did
        return json.loads(text)
    if end == len(text) or not text[end:].strip(" \t\n\r"):
        return value
    return json.loads(text)  # text after the value: json.loads says what


def encode(event: Event) -> str:
    """The JSON text of ``event``: ``json.dumps(unstructure(event), ensure_ascii=False)``."""
    return dump_json(unstructure(event))


def wire_type_of(event: Event) -> str:
    """The name of ``event``'s kind on the wire: its class's ``wire_type``, or an opaque event's
    ``kind``.
    """
    return event.kind if type(event) is OpaqueEvent else event.wire_type
