"""The JSON Schema (draft 2020-12) of one line of the format, made from the event classes.

Each field's JSON type comes from its annotation; its constraints are derived here from the rule
its validator keeps (:func:`~negotiations.domain.rules.rule_of`), as the fast path derives its
inline conditions from it; and the patterns of days, datetimes, partial dates and party codes come
from :mod:`negotiations.domain.patterns`, where the parsers that apply them find them. So the schema
and the validators state each rule once. A field whose rule that data cannot express (a mapping's
keys and values, a correction's changed fields) says its keywords in its ``"schema"`` metadata.

The schema is stricter than the decoder in two ways only: optional fields are left out rather than
given as ``null``, and an event of a kind this library does not know is invalid, where a lenient
reader keeps it as an opaque event. It states every rule the decoder applies to one line that JSON
Schema can express; the others (rules between two fields' values, rules on the JSON text rather than
its value, Python's own limits, and rules across lines) are listed in ``docs/format.md``, under
"Where the schema and the decoder differ".

The schema compiles under strict validators: every ``required`` names a property defined beside it,
every keyword that applies to one JSON type stands beside that ``type``, and it uses no ``format``.

Every event object may carry ``schema_version``, the version of its kind's shape: a whole number
from 1 up to the kind's current version. It is optional, since the 0.1.0 release wrote none (a line
without it is version 1).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final, Literal, get_args, get_origin

import attrs

from negotiations.domain import ISSUE_PATTERN
from negotiations.domain.events import (
    EVENT_TYPES,
    NESTED_TYPES,
    AgreementExtended,
    AgreementReached,
    DeadlineChanged,
    DeadlineSet,
    EventBase,
    MeasureChanged,
    PrisonerExchangeAgreed,
    ProposalAnswered,
    Term,
    ViolationReported,
)
from negotiations.domain.patterns import (
    DAY_PATTERN,
    LINE_BREAKS,
    PARTIAL_DATE_PATTERN,
    PARTIAL_DAY_PATTERN,
    PARTY_PATTERN,
    RECORDED_PATTERN,
    TEXT_PATTERN,
    char_class,
)
from negotiations.domain.rules import Rule, TupleRule, rule_of
from negotiations.domain.values import PartialDate, Party

__all__ = ["SCHEMA_ID", "json_schema"]

SCHEMA_ID: Final = "https://negotiations.invalid/schema/event.schema.json"
"""The ``$id`` of the schema: a name for it, not a place to fetch it from."""

_ONE_LINE_PATTERNS: Final = frozenset(
    {PARTY_PATTERN, ISSUE_PATTERN, DAY_PATTERN, PARTIAL_DATE_PATTERN, PARTIAL_DAY_PATTERN, RECORDED_PATTERN}
)
"""The patterns of values that hold no line break (codes, keys, dates and moments)."""
_NO_LINE_BREAK: Final = {"type": "string", "pattern": char_class(LINE_BREAKS)}
"""A string with a line break in it: what a value of :data:`_ONE_LINE_PATTERNS` is not, said
beside its pattern for validators whose ``$`` also matches before a final line break (Python's
``re``, as the ``jsonschema`` package uses it; Java's; .NET's), which would take ``"RUS\\n"``."""


def _present(*names: str) -> dict[str, Any]:
    """A schema that holds when each of ``names`` is present: ``required``, with the properties it
    names defined beside it (strict validators refuse a ``required`` of undefined properties).
    """
    return {"type": "object", "properties": dict.fromkeys(names, True), "required": list(names)}


_WITHIN_DAYS_FROM_A_DAY: Final = {
    "within_days": {
        "type": "object",
        "properties": {"occurred": {"type": "string", "pattern": PARTIAL_DAY_PATTERN}},
    }
}
"""Days are counted from `occurred`, which must then be a whole day."""
_ONE_DUE: Final = {
    # Exactly one of the two: a branch for each, and oneOf refuses both and neither.
    "oneOf": [_present("due"), _present("within_days")],
    "dependentSchemas": _WITHIN_DAYS_FROM_A_DAY,
}
_ONE_SUBJECT: Final = {"oneOf": [_present("agreement_id"), _present("ceasefire_id")]}
"""Exactly one of an agreement or a ceasefire is what an extension or a violation is about."""
_ONE_END: Final = {
    "type": "object",
    "oneOf": [_present("ends"), _present("within_days")],
    "dependentSchemas": _WITHIN_DAYS_FROM_A_DAY,
}
_WHOLE_DAY_IF_TERMS_COUNT_DAYS: Final = {
    # A term's within_days counts from the agreement's `occurred`, which must then be a whole day.
    "if": {
        "type": "object",
        "properties": {"terms": {"type": "array", "contains": _present("within_days")}},
        "required": ["terms"],
    },
    "then": _WITHIN_DAYS_FROM_A_DAY["within_days"],
}
_SOME_CHANGE: Final = {
    # At least one change: a rate, a list that is not empty, or a day it applies from.
    "anyOf": [
        _present("rate_percent"),
        {
            "type": "object",
            "properties": {"measures": {"type": "array", "minItems": 1}},
            "required": ["measures"],
        },
        {
            "type": "object",
            "properties": {"sectors": {"type": "array", "minItems": 1}},
            "required": ["sectors"],
        },
        _present("effective"),
    ]
}
_CLASS_RULES: Final[Mapping[type, dict[str, Any]]] = {
    MeasureChanged: _SOME_CHANGE,
    DeadlineSet: _ONE_DUE,
    DeadlineChanged: _ONE_DUE,
    PrisonerExchangeAgreed: {"not": _present("per_side", "terms")},
    Term: {"not": _present("due", "within_days")},
    AgreementReached: _WHOLE_DAY_IF_TERMS_COUNT_DAYS,
    AgreementExtended: {"allOf": [_ONE_SUBJECT, _ONE_END]},
    ViolationReported: _ONE_SUBJECT | {"dependentSchemas": {"term_id": _present("agreement_id")}},
    ProposalAnswered: {
        # A counter-proposal goes only with the answer `countered`.
        "dependentSchemas": {
            "counter_proposal_id": {"type": "object", "properties": {"answer": {"const": "countered"}}}
        }
    },
}

_SCALARS: Final[Mapping[object, dict[str, Any]]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    Party: {"type": "string", "pattern": PARTY_PATTERN},
    date: {"type": "string", "pattern": DAY_PATTERN},
    datetime: {"type": "string", "pattern": RECORDED_PATTERN},
    PartialDate: {"type": "string", "pattern": PARTIAL_DATE_PATTERN},
}


def _type_schema(annotation: object) -> dict[str, Any]:
    """The schema of a field's type, leaving out ``None`` from optional types."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [a for a in args if a is not type(None)]
        return _type_schema(inner)
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin is Mapping:
        return {"type": "object"}
    if annotation in NESTED_TYPES:
        return {"$ref": f"#/$defs/{annotation.__name__}"}
    return dict(_SCALARS[annotation])


def _rule_schema(rule: Rule | TupleRule | None) -> dict[str, Any]:
    """The keywords of ``rule`` that the schema of the field's type does not already state."""
    if rule is None:
        return {}
    if isinstance(rule, TupleRule):
        out: dict[str, Any] = {}
        # minItems 0 holds of every array; the schema has always said it of arrays of strings and
        # never of arrays of objects, and it stays byte for byte what it was.
        if rule.min_items or rule.item.kind != "exactly":
            out["minItems"] = rule.min_items
        if rule.unique:
            out["uniqueItems"] = True
        if rule.max_items is not None:
            out["maxItems"] = rule.max_items
        item = _rule_schema(rule.item)
        return out | {"items": item} if item else out
    match rule.kind:
        case "text":
            return {"minLength": 1, "pattern": TEXT_PATTERN}
        case "pattern":
            return {"pattern": rule.pattern.pattern}  # type: ignore[union-attr]  # a pattern rule has one
        case "count" | "number":
            return {"minimum": 0}
        case "choice" | "exactly" | "aware":
            # The type says these: a Literal's enum (in its order, which a set of choices lacks),
            # the $ref or pattern of the class, the pattern of a datetime with its offset.
            return {}


def _plain(value: object) -> object:
    """``value`` with every mapping in it a plain dict and every tuple a list: JSON-ready."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with the keywords of ``extra`` added, merging the subschemas both have."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and key in out else _plain(value)
    return out


def _object_schema(cls: type, wire_type: str | None = None) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    if wire_type is not None:
        properties["type"] = {"const": wire_type}
        required.append("type")
        properties["schema_version"] = {
            "type": "integer",
            "minimum": 1,
            "maximum": getattr(cls, "schema_version", 1),
            "description": "The version of this kind's shape the line was written in; 1 when absent.",
        }
    for field in attrs.fields(cls):
        if not field.init:
            continue
        derived = _merge(_type_schema(hints[field.name]), _rule_schema(rule_of(field.validator)))
        properties[field.name] = _merge(derived, field.metadata.get("schema", {}))
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema: dict[str, Any] = {
        "type": "object",
        "description": " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split()),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return schema | _CLASS_RULES.get(cls, {})


def _one_line(schema: object) -> Any:  # noqa: ANN401 - any part of a schema
    """``schema`` with :data:`_NO_LINE_BREAK` refused beside each pattern of :data:`_ONE_LINE_PATTERNS`."""
    if isinstance(schema, list):
        return [_one_line(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _one_line(value) for key, value in schema.items()}
    if out.get("pattern") in _ONE_LINE_PATTERNS:
        guard = {"not": dict(_NO_LINE_BREAK)}
        if "not" in out:  # keep the one there: both must hold
            out["allOf"] = [*out.get("allOf", []), guard]
        else:
            out |= guard
    return out


def _codes(cls: type[EventBase]) -> dict[str, Any]:
    """The kind's nearest CAMEO code and PLOVER category, mode and context, as the annotations
    ``x-cameo`` and ``x-plover`` (validators pass over unknown ``x-`` keywords; Ajv's strict mode
    wants them declared, ``ajv.addVocabulary(["x-cameo", "x-plover"])``); none of them when the
    kind has none, and no member that is ``None``.
    """
    out: dict[str, Any] = {}
    if cls.cameo is not None:
        out["x-cameo"] = cls.cameo
    plover = {"category": cls.plover, "mode": cls.plover_mode, "context": cls.plover_context}
    if cls.plover is not None:
        out["x-plover"] = {key: value for key, value in plover.items() if value is not None}
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema that every line of a log validates against.

    >>> schema = json_schema()
    >>> sorted(schema["$defs"]["DeadlineSet"]["required"])[:3]
    ['deadline_id', 'demand', 'id']
    """
    defs = {cls.wire_type: _object_schema(cls, cls.wire_type) | _codes(cls) for cls in EVENT_TYPES}
    defs |= {cls.__name__: _object_schema(cls) for cls in NESTED_TYPES}
    schema: dict[str, Any] = _one_line(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_ID,
            "title": "negotiations event",
            "description": "One line of a negotiations log: an event, with `type` naming its kind.",
            "oneOf": [{"$ref": f"#/$defs/{cls.wire_type}"} for cls in EVENT_TYPES],
            "$defs": defs,
        }
    )
    return schema
