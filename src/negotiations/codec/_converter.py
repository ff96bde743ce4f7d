"""Events and views to and from JSON-ready values: one codec per direction.

Writing has one path: the generated writer of each class (:mod:`negotiations.codec._fast`),
which gives an event's dict or, from the same per-field expressions, its line of JSON text, and a
view's dict for ``show --json`` and for saved snapshots alike. Reading has the generated reader
of each class in front, and behind it the detailed cattrs converter of
:mod:`negotiations.codec._detailed`, which runs only once the fast reader has refused a value:
to say exactly which field of a bad line is wrong, or to find it good after all.

Nothing here is built at import. The fast readers and writers are generated when a class is
first read or written, and cattrs is imported only when the detailed converter is first needed
(a bad line, a lenient read of an unknown kind): built at import, they took over a third of
``import negotiations``. The converter and the fast tables are still reachable as
module attributes (:data:`CONVERTER`, :data:`FAST_STRUCTURE`, :data:`FAST_UNSTRUCTURE`,
:data:`FAST_ENCODE`), which are built on first access.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Final, TypeVar, get_args

import attrs

from negotiations.codec import _fast
from negotiations.codec._words import describe
from negotiations.codec.upcasting import UPCASTERS, Upcasters
from negotiations.domain import thaw_json
from negotiations.domain.events import EVENT_TYPES, Event, OpaqueEvent, Term
from negotiations.domain.values import PartialDate, Person, Source
from negotiations.errors import DecodeError

if TYPE_CHECKING:
    from cattrs import Converter

    CONVERTER: Converter
    """The detailed converter from JSON-ready values to events."""
    FAST_STRUCTURE: dict[type, _fast.Structurer]
    """The generated fast reader of each class, by class."""
    FAST_UNSTRUCTURE: dict[type, _fast.Unstructurer]
    """The generated fast writer of each class, by class."""
    FAST_ENCODE: dict[type, _fast.Encoder]
    """The generated fast line writer of each class, by class."""

T = TypeVar("T")

BY_WIRE_TYPE: Final[Mapping[str, type[Event]]] = {cls.wire_type: cls for cls in EVENT_TYPES}
"""Each event class by its wire name."""


@functools.cache
def _fast_tables() -> tuple[
    dict[type, _fast.Structurer], dict[type, _fast.Unstructurer], dict[type, _fast.Encoder]
]:
    """The fast reader, writer and line writer of each class, every one of which the generator
    must handle (it raises for a field type it cannot). Generated on first use: compiling them all
    at import cost more than the rest of the domain.
    """
    readers: dict[type, _fast.Structurer] = {}
    writers: dict[type, _fast.Unstructurer] = {}
    encoders: dict[type, _fast.Encoder] = {}
    for cls in (Person, Source, Term, *EVENT_TYPES):  # nested classes first: event functions call theirs
        event = cls not in (Person, Source, Term)
        head = {"type": cls.wire_type, "schema_version": cls.schema_version} if event else None  # type: ignore[union-attr]  # events have both
        readers[cls] = _fast.structurer(cls, readers, envelope=event)
        writers[cls] = _fast.writer(cls, writers, head)
        encoders[cls] = _fast.writer(cls, encoders, head, text=True)
    return readers, writers, encoders


def _nested_classes(tp: object) -> list[type]:
    """The attrs classes a field of type ``tp`` holds, other than partial dates (read as text)."""
    if isinstance(tp, type) and attrs.has(tp):
        return [] if tp is PartialDate else [tp]
    return [cls for arg in get_args(tp) for cls in _nested_classes(arg)]


@functools.cache
def _view_tables() -> tuple[dict[type, _fast.Structurer | None], dict[type, _fast.Unstructurer | None]]:
    """The fast reader and writer of each view class met so far, or ``None`` for a class the
    generator cannot handle. Filled by :func:`_view_functions`; persons and sources are read as
    events read them, and written as every view value is, ``None`` fields included.
    """
    readers: dict[type, _fast.Structurer | None] = {Person: _fast_tables()[0][Person]}
    readers[Source] = _fast_tables()[0][Source]
    return readers, {}


def _view_functions(cls: type) -> tuple[_fast.Structurer | None, _fast.Unstructurer | None]:
    """The fast reader and writer of view class ``cls``, generated (with those of every class it
    holds) on first use. Either is ``None`` when the generator cannot handle ``cls``.
    """
    readers, writers = _view_tables()
    if cls not in writers:
        writers[cls] = None  # a class that holds itself meets this, and is refused
        attrs.resolve_types(cls)
        for field in attrs.fields(cls):
            for nested in _nested_classes(field.type):
                _view_functions(nested)
        known_readers = {k: v for k, v in readers.items() if v is not None}
        known_writers = {k: v for k, v in writers.items() if v is not None}
        if cls not in readers:
            readers[cls] = None
            with suppress(_fast.UnsupportedTypeError):
                readers[cls] = _fast.structurer(cls, known_readers)
        with suppress(_fast.UnsupportedTypeError):
            writers[cls] = _fast.writer(cls, known_writers, omit_none=False)
    return readers[cls], writers[cls]


def structure_view(obj: Any, cls: type[T]) -> T:  # noqa: ANN401 - any decoded JSON value
    """The view of type ``cls`` that a decoded JSON value (a saved snapshot) holds, through its
    generated reader, or the cattrs view converter once that has refused ``obj``.
    """
    fast = _view_functions(cls)[0]
    if fast is not None:
        try:
            return fast(obj)  # type: ignore[no-any-return]  # a reader of ``cls``
        except Exception:  # noqa: BLE001, S110 - any doubt at all: the converter decides, and says why
            pass
    from negotiations.codec import _detailed  # noqa: PLC0415 - imports cattrs: only on first need

    return _detailed.view_converter().structure(obj, cls)


def unstructure_view(view: object) -> Any:  # noqa: ANN401 - a JSON-ready value
    """The JSON-ready value of a view, of an item of one, or of a tuple or list of them (a list):
    the one view writer, which ``show --json`` and saved snapshots share. Every field is written,
    ``None`` too, in class order; dates as ``YYYY-MM-DD`` and partial dates as their text.
    """
    if isinstance(view, tuple | list):
        return [unstructure_view(item) for item in view]
    fast = _view_functions(type(view))[1]
    if fast is None:
        raise TypeError(f"the view writer cannot write a {type(view).__name__}")
    return fast(view)


_FAST_NAMES: Final = ("FAST_STRUCTURE", "FAST_UNSTRUCTURE", "FAST_ENCODE")

# Hidden from type checkers, which see each lazy name's own type above; a misspelt name stays
# an error for them instead of being Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:  # noqa: ANN401 - typed by the declarations above
        """The converters and fast tables, built on their first access (PEP 562)."""
        if name == "CONVERTER":
            from negotiations.codec import _detailed  # noqa: PLC0415 - imports cattrs: only on first need

            value: object = _detailed.converter()
        elif name in _FAST_NAMES:
            value = _fast_tables()[_FAST_NAMES.index(name)]
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value  # later reads find it without calling this again
        return value


def structure(obj: object, *, lenient: bool = False, upcasters: Upcasters | None = None) -> Event:
    """Turn one decoded JSON value into an event, or raise :class:`DecodeError`.

    An object in an older ``schema_version`` of its kind is upcast first, with ``upcasters``
    (default: :data:`~negotiations.codec.upcasting.UPCASTERS`). With ``lenient``, an object of a
    kind this library does not know, or in a version newer than it reads, becomes an
    :class:`OpaqueEvent` (its envelope still checked) instead of an error.
    """
    if not isinstance(obj, dict):
        raise DecodeError(f"expected a JSON object for an event, got {describe(obj)}")
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
        whole = type(version) is int or (type(version) is float and version.is_integer())
        if lenient and whole and version > cls.schema_version:
            return _opaque(wire, obj)
        obj = (UPCASTERS if upcasters is None else upcasters).upcast(obj)
    try:
        return _fast_tables()[0][cls](obj)  # type: ignore[no-any-return]  # a reader of ``cls``
    except Exception:  # noqa: BLE001, S110 - any doubt at all: the converter decides, and says why
        pass  # and outside this handler, so that its error does not carry the fast reader's
    return structure_slowly(obj, cls)


def structure_slowly(obj: dict[str, Any], cls: type[Event]) -> Event:
    """``obj`` (current version, of kind ``cls``) as an event, through the detailed converter."""
    from negotiations.codec import _detailed  # noqa: PLC0415 - imports cattrs: only on first need

    return _detailed.structure(obj, cls)


def _opaque(wire: str, obj: dict[str, Any]) -> OpaqueEvent:
    """What a lenient reader keeps of an event it cannot read: its envelope, checked, and the
    whole object as it is.
    """
    from negotiations.codec import _detailed  # noqa: PLC0415 - imports cattrs: only on first need

    return _detailed.opaque(wire, obj)


def unstructure(event: Event) -> dict[str, Any]:
    """Turn an event into a JSON-ready dict: ``type`` and ``schema_version`` first, absent optional
    fields left out. An :class:`OpaqueEvent` gives back the object it was read from, as it was.
    """
    if type(event) is OpaqueEvent:
        return thaw_json(event.data)  # type: ignore[no-any-return]  # a JSON object, as read
    return _fast_tables()[1][type(event)](event)


dump_json: Final = _fast.dump_json
"""``json.dumps(value, ensure_ascii=False)``, without building an encoder on every call."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members as a dict, refusing a key given twice: JSON leaves such an object's
    meaning open, and a reader that silently keeps the last one could be shown another event than
    the one a person reviewed.
    """
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]  # set.add is None: the test is ``in seen``
        raise DecodeError("appears more than once in one JSON object", field=twice)
    return obj


def _finite(text: str) -> float:
    """A JSON number with a fraction or an exponent, refused where a float would change its value
    past rounding: too large (it would become infinity) or too small (it would become zero).
    """
    value = float(text)
    if value in (_INFINITY, -_INFINITY) or (
        not value and any(digit in "123456789" for digit in text.partition("e")[0].partition("E")[0])
    ):
        shown = text if len(text) <= 40 else f"{text[:37]}..."  # noqa: PLR2004 - enough to recognise it
        raise DecodeError(f"the number {shown} is out of the range this format reads (a 64-bit float)")
    return value


def _constant(text: str) -> Any:  # noqa: ANN401 - never returns
    """``NaN``, ``Infinity`` and ``-Infinity``, which Python's parser takes but JSON does not have."""
    raise DecodeError(f"{text} is not a JSON number")


_INFINITY: Final = float("inf")
_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_unique_keys, parse_float=_finite, parse_constant=_constant
)
"""The JSON parser of the format: ``json``'s, refusing what RFC 8259 does not define as a value."""
_scan: Final[Callable[[str, int], tuple[Any, int]]] = _DECODER.scan_once  # type: ignore[attr-defined]  # set in __init__; the stubs leave it out
_ESCAPED_SURROGATE: Final = re.compile(r"\\u[dD][89abcdefABCDEF]")
"""The escape of one half of a UTF-16 pair, where a lone surrogate may hide."""


def load_json(text: str) -> Any:  # noqa: ANN401 - any JSON value
    """``json.loads(text)``, the same value or the same error, except that it refuses what JSON
    does not define: a key twice in one object, ``NaN`` and ``Infinity``, a number too large for a
    float, and a lone surrogate (half of a UTF-16 pair, which is not Unicode text). Each of these
    raises :class:`DecodeError` naming the key or field.
    """
    try:
        value, end = _scan(text, 0)
    except DecodeError:
        raise
    except Exception:  # noqa: BLE001 - the parser says what is wrong, as json.loads always did
        value = _DECODER.decode(text)
    else:
        if end != len(text) and text[end:].strip(" \t\n\r"):
            value = _DECODER.decode(text)  # text after the value: the parser says what
    if _ESCAPED_SURROGATE.search(text) is not None or not (text.isascii() or _is_unicode(text)):
        _refuse_surrogates(value)
    return value


def _is_unicode(text: str) -> bool:
    """Whether ``text`` holds no lone surrogate (text decoded from UTF-8 never does)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_surrogates(value: object, path: str | None = None) -> None:
    """Raise :class:`DecodeError` naming the first key or text in ``value`` with a lone surrogate."""
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise DecodeError("holds a lone surrogate, which is not Unicode text", field=path) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            # A key with a surrogate is named with it escaped: the error's own text must be text.
            named = key.encode("utf-8", "backslashreplace").decode("utf-8")
            inner = named if path is None else f"{path}.{named}"
            _refuse_surrogates(key, inner)
            _refuse_surrogates(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_surrogates(item, f"{path or ''}[{index}]")


def encode(event: Event) -> str:
    """The JSON text of ``event``: ``json.dumps(unstructure(event), ensure_ascii=False)``, written
    straight from the event by its class's generated line writer.
    """
    if type(event) is OpaqueEvent:
        return dump_json(thaw_json(event.data))
    return _fast_tables()[2][type(event)](event)


def wire_type_of(event: Event) -> str:
    """The name of ``event``'s kind on the wire: its class's ``wire_type``, or an opaque event's
    ``kind``.
    """
    return event.kind if type(event) is OpaqueEvent else event.wire_type
