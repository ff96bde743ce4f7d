"""Field factories for events: each states a field's rule once, as an attrs validator, marked
with the parameters of that rule as data (:mod:`negotiations.domain.rules`), from which the codec
derives both its inline test of the common case and the field's JSON Schema keywords. A rule that
data cannot express (a mapping's, a correction's) keeps its keywords in the field's metadata,
under ``"schema"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

from attrs import Attribute, field

from negotiations.domain.patterns import whole
from negotiations.domain.rules import Rule, TupleRule, keeps
from negotiations.domain.values import (
    OPTIONAL_TEXT,
    PARTY,
    PARTY_PATTERN,
    TEXT,
    Party,
    check_party,
    check_text_chars,
)
from negotiations.errors import InvalidValueError

ISSUE_PATTERN: Final = whole("[a-z][a-z0-9-]{0,31}")
"""The pattern of an issue's name: a lower-case letter, then up to 31 letters, digits or hyphens."""
_ISSUE_RE: Final = re.compile(ISSUE_PATTERN)


def _fail(attribute: Attribute[Any], reason: str) -> None:
    raise InvalidValueError(reason, field=attribute.name)


def _check_text(attribute: Attribute[Any], value: object, where: str = "") -> None:
    if not isinstance(value, str):
        _fail(attribute, f"{where}expected a string, got {type(value).__name__}")
    elif not value or value.isspace():  # blank: what strip() would leave empty, without the copy
        _fail(attribute, f"{where}must not be blank")
    else:
        check_text_chars(value, attribute.name, where)


def _plain_text(v: object) -> bool:
    """Whether ``v`` is ordinary valid text, known cheaply: a non-blank ASCII string without NUL.
    Anything else gets the full check, which also says what is wrong.
    """
    return type(v) is str and v.isascii() and bool(v) and not v.isspace() and "\x00" not in v


def text() -> Any:
    """A required, non-blank string."""

    @keeps(TEXT)
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if not _plain_text(v):
            _check_text(a, v)

    return field(validator=check)


def optional_text() -> Any:
    """An optional string: absent (``None``) or non-blank."""

    @keeps(OPTIONAL_TEXT)
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if v is not None and not _plain_text(v):
            _check_text(a, v)

    return field(default=None, validator=check)


OMIT_EMPTY: Final = "negotiations.omit_empty"
"""The metadata key of a list field that is written only when it is not empty: one added to a kind
after its first release, so that an event recorded before reads and writes back as it was."""


def texts(*, min_items: int = 0, unique: bool = False, omit_empty: bool = False) -> Any:
    """A tuple of non-blank strings (a JSON list), with at least ``min_items`` of them, all
    different when ``unique``; with ``omit_empty``, written only when not empty.
    """

    @keeps(TupleRule(TEXT, min_items=min_items, unique=unique))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if not isinstance(v, tuple):
            _fail(a, f"expected a tuple of strings, got {type(v).__name__}")
        elif len(v) < min_items:
            _fail(a, f"needs at least {min_items} item(s)")
        else:
            for n, item in enumerate(v):
                _check_text(a, item, f"item {n}: ")
            if unique and len(set(v)) != len(v):
                _fail(a, f"names an item twice: {', '.join(v)}")

    if min_items:
        return field(validator=check)
    return field(default=(), validator=check, metadata={OMIT_EMPTY: omit_empty})


def party() -> Any:
    """A required party code."""

    @keeps(PARTY)
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        check_party(v, a.name)

    return field(validator=check)


def parties(*, min_items: int = 2, max_items: int | None = None, omit_empty: bool = False) -> Any:
    """A tuple of distinct party codes, with ``min_items`` to ``max_items`` of them; with no
    ``min_items``, it may be left out, and is then empty (and with ``omit_empty``, written only
    when not empty).
    """

    @keeps(TupleRule(PARTY, min_items=min_items, max_items=max_items, unique=True))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if not isinstance(v, tuple):
            _fail(a, f"expected a tuple of party codes, got {type(v).__name__}")
            return
        for item in v:
            check_party(item, a.name)
        if len(set(v)) != len(v):
            _fail(a, f"names a party twice: {', '.join(v)}")
        if len(v) < min_items or (max_items is not None and len(v) > max_items):
            wanted = f"exactly {min_items}" if min_items == max_items else f"at least {min_items}"
            _fail(a, f"needs {wanted} parties, got {len(v)}")

    if not min_items:
        return field(default=(), validator=check, metadata={OMIT_EMPTY: omit_empty})
    return field(validator=check)


def disjoint(field: str, these: tuple[Party, ...], others: tuple[Party, ...], what: str) -> None:
    """Refuse parties of ``field`` that are also among ``others`` (``what`` names them).

    Raises:
        InvalidValueError: naming ``field`` and the parties in both.

    """
    both = sorted(set(these) & set(others))
    if both:
        raise InvalidValueError(f"{', '.join(both)} cannot also be among {what}", field=field)


def not_before(field: str, day: date | None, start: date | None, what: str) -> None:
    """Refuse a ``day`` of ``field`` before ``start`` (``what`` names it), when both are given.

    Raises:
        InvalidValueError: naming ``field`` and both days.

    """
    if day is not None and start is not None and day < start:
        raise InvalidValueError(f"{field} {day} is before {what} {start}", field=field)


def _check_count(name: str, v: object) -> None:
    if type(v) is not int:
        raise InvalidValueError(f"expected a whole number, got {type(v).__name__}", field=name)
    if v < 0:
        raise InvalidValueError(f"must not be negative, got {v}", field=name)


def optional_count() -> Any:
    """An optional whole number, zero or more."""

    @keeps(Rule("count", optional=True))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if v is not None:
            _check_count(a.name, v)

    return field(default=None, validator=check)


def _whole_to_float(value: object) -> object:
    """A whole number given from Python, such as ``quantity=20``, as the float it stands for;
    anything else as it is, for the validator to judge (a bool is not a number here).
    """
    return float(value) if type(value) is int else value


def number() -> Any:
    """A finite number, zero or more; a whole number given from Python is taken as a float."""

    @keeps(Rule("number"))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if type(v) is not float or not math.isfinite(v):
            _fail(a, f"expected a finite number, got {v!r}")
        elif v < 0:
            _fail(a, f"must not be negative, got {v}")

    return field(validator=check, converter=_whole_to_float)


def optional_number() -> Any:
    """An optional finite number, zero or more; a whole number is taken as a float."""

    @keeps(Rule("number", optional=True))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if v is None:
            return
        if type(v) is not float or not math.isfinite(v):
            _fail(a, f"expected a finite number, got {v!r}")
        elif v < 0:
            _fail(a, f"must not be negative, got {v}")

    return field(default=None, validator=check, converter=_whole_to_float)


def _freeze_counts(value: Mapping[Party, int] | None) -> Mapping[Party, int] | None:
    return None if value is None else MappingProxyType(dict(value))


def counts(*, optional: bool = False) -> Any:
    """A read-only mapping of party code to a whole number (zero or more), with at least one
    party; a JSON object such as ``{"UKR": 250, "RUS": 250}``.
    """

    def check(_i: object, a: Attribute[Any], v: Mapping[object, object] | None) -> None:
        if v is None:
            if not optional:
                _fail(a, "is required")
            return
        if not v:
            _fail(a, "needs at least one party")
        for key, n in v.items():
            check_party(key, f"{a.name}.{key}")
            _check_count(f"{a.name}.{key}", n)

    # No rule of :mod:`negotiations.domain.rules` describes a mapping (its keys' and its values'
    # rules), so the schema's keywords for one are said here, beside the validator.
    schema = {
        "minProperties": 1,
        "propertyNames": {"type": "string", "pattern": PARTY_PATTERN},
        "additionalProperties": {"type": "integer", "minimum": 0},
    }
    if optional:
        return field(default=None, converter=_freeze_counts, validator=check, metadata={"schema": schema})
    return field(converter=_freeze_counts, validator=check, metadata={"schema": schema})


def issue() -> Any:
    """A short lowercase key for what a position is about: ``territory``, ``ceasefire``, ..."""

    @keeps(Rule("pattern", pattern=_ISSUE_RE))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if not isinstance(v, str) or not _ISSUE_RE.fullmatch(v):
            _fail(a, f"{v!r} is not an issue key (lowercase letters, digits and '-', such as territory)")

    return field(validator=check)


def one_of(*choices: str, default: str | None = None) -> Any:
    """A string that is one of ``choices``; ``default`` when left out, if given."""

    @keeps(Rule("choice", choices=frozenset(choices)))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if v not in choices:
            _fail(a, f"{v!r} is not one of {', '.join(choices)}")

    if default is not None:
        return field(default=default, validator=check)
    return field(validator=check)


def optional_one_of(*choices: str) -> Any:
    """An optional string: absent (``None``) or one of ``choices``."""

    @keeps(Rule("choice", optional=True, choices=frozenset(choices)))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if v is not None and v not in choices:
            _fail(a, f"{v!r} is not one of {', '.join(choices)}")

    return field(default=None, validator=check)


def instance_of(cls: type) -> Any:
    """Validate that a value is an instance of ``cls``."""

    @keeps(Rule("exactly", cls=cls))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if not isinstance(v, cls):
            _fail(a, f"expected a {cls.__name__}, got {type(v).__name__}")

    return check


def optional_of(cls: type) -> Any:
    """An optional value of ``cls``; for ``date``, exactly a date (a datetime is not a day)."""

    @keeps(Rule("exactly", optional=True, cls=cls))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if v is not None and not (type(v) is cls if cls is date else isinstance(v, cls)):
            _fail(a, f"expected a {cls.__name__} or nothing, got {type(v).__name__}")

    return field(default=None, validator=check)


def tuple_of(cls: type) -> Any:
    """Validate a tuple of instances of ``cls``."""

    @keeps(TupleRule(Rule("exactly", cls=cls)))
    def check(_i: object, a: Attribute[Any], v: object) -> None:
        if not isinstance(v, tuple) or not all(isinstance(item, cls) for item in v):
            _fail(a, f"expected a tuple of {cls.__name__}")

    return check


@keeps(Rule("aware"))
def aware(_i: object, a: Attribute[Any], v: object) -> None:
    """Validate an aware datetime: one that carries its UTC offset."""
    if not isinstance(v, datetime):
        _fail(a, f"expected a datetime, got {type(v).__name__}")
    elif v.utcoffset() is None:
        _fail(a, f"{v.isoformat()} has no UTC offset; add one, such as +00:00")


def freeze_json(value: object) -> Any:
    """A read-only copy of a JSON value: objects become read-only mappings, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze_json(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze_json(item) for item in value)
    return value


def thaw_json(value: object) -> Any:
    """The JSON value that :func:`freeze_json` froze: plain dicts and lists again."""
    if isinstance(value, Mapping):
        return {key: thaw_json(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw_json(item) for item in value]
    return value


def _check_json_object(a: Attribute[Any], v: object) -> None:
    if not isinstance(v, Mapping):
        _fail(a, f"expected a JSON object, got {type(v).__name__}")
    problem = _not_json(v)
    if problem is not None:
        where, what = problem
        raise InvalidValueError(what, field=f"{a.name}.{where}" if where else a.name)


def _not_json(value: object, path: str = "") -> tuple[str, str] | None:
    """Where in ``value`` (frozen or not) something is that JSON text cannot hold, and what, or
    ``None``: a key that is not a string, a float that is not finite, a string with a lone
    surrogate, or a value of another type. Such an event, built in Python, could not be written
    as a line that reads back as itself.
    """
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return path, "every key of a JSON object must be a string"
            found = _not_json_scalar(key, path) or _not_json(item, f"{path}.{key}" if path else key)
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        found_in = (_not_json(item, f"{path}[{index}]") for index, item in enumerate(value))
        return next((found for found in found_in if found is not None), None)
    return _not_json_scalar(value, path)


def _not_json_scalar(value: object, path: str) -> tuple[str, str] | None:
    """:func:`_not_json` for a value that is no object or array."""
    reason = None
    if isinstance(value, float) and not math.isfinite(value):
        reason = f"{value} is not a JSON number"
    elif isinstance(value, str):
        try:
            check_text_chars(value.replace("\x00", " "))  # NUL is JSON text; surrogates are not
        except InvalidValueError as exc:
            reason = exc.reason
    elif not (value is None or isinstance(value, bool | int | float)):
        reason = f"{type(value).__name__} is not a JSON value"
    return None if reason is None else (path, reason)


def json_object() -> Any:
    """A read-only JSON object, kept as it was read."""

    def check(_i: object, a: Attribute[Any], v: object) -> None:
        _check_json_object(a, v)

    return field(converter=freeze_json, validator=check)


FIXED_FIELDS: Final = ("type", "id", "recorded", "schema_version")
"""The fields a correction cannot change: what the event is, which it is, when it was recorded."""


def changes() -> Any:
    """The fields a correction changes: a JSON object with at least one field, none of them one
    of :data:`FIXED_FIELDS`.
    """

    def check(_i: object, a: Attribute[Any], v: Mapping[str, object]) -> None:
        _check_json_object(a, v)
        if not v:
            _fail(a, "needs at least one changed field")
        for name in v:
            if name in FIXED_FIELDS:
                _fail(a, f"cannot change '{name}'; retract the event and record a new one")

    # A rule of the names in a JSON object is none that the rule data describes, so its keywords
    # are said here, beside the validator.
    schema = {"minProperties": 1, "propertyNames": {"not": {"enum": list(FIXED_FIELDS)}}}
    return field(converter=freeze_json, validator=check, metadata={"schema": schema})
