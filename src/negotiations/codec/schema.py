"""The JSON Schema (draft 2020-12) of one line of the format, made from the event classes.

Each field's JSON type comes from its annotation; its constraints come from the field's
``"schema"`` metadata, which the same factory that writes the field's validator puts there. So the
schema and the validators state each rule once. The schema is stricter than the decoder in two
ways only: optional fields are left out rather than given as ``null``, and an event of a kind this
library does not know is invalid, where a lenient reader keeps it as an opaque event.

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

from negotiations.domain._converter import DAY_PATTERN
from negotiations.domain.events import EVENT_TYPES, DeadlineChanged, DeadlineSet, PrisonerExchangeAgreed
from negotiations.domain.values import (
    PARTIAL_DATE_PATTERN,
    PARTY_PATTERN,
    RECORDED_PATTERN,
    PartialDate,
    Party,
    Person,
    Source,
)

__all__ = ["SCHEMA_ID", "json_schema"]

SCHEMA_ID: Final = "https://negotiations.invalid/schema/event.schema.json"
"""The ``$id`` of the schema: a name for it, not a place to fetch it from."""

_ONE_DUE: Final = {
    "oneOf": [
        {"required": ["due"], "not": {"required": ["within_days"]}},
        {"required": ["within_days"], "not": {"required": ["due"]}},
    ]
}
_CLASS_RULES: Final[Mapping[type, dict[str, Any]]] = {
    DeadlineSet: _ONE_DUE,
    DeadlineChanged: _ONE_DUE,
    PrisonerExchangeAgreed: {"not": {"required": ["per_side", "terms"]}},
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
    if annotation in (Person, Source):
        return {"$ref": f"#/$defs/{annotation.__name__}"}
    return dict(_SCALARS[annotation])


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and key in out else value
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
        properties[field.name] = _merge(_type_schema(hints[field.name]), field.metadata.get("schema", {}))
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


def json_schema() -> dict[str, Any]:
    """The JSON Schema that every line of a log validates against.

    >>> schema = json_schema()
    >>> sorted(schema["$defs"]["DeadlineSet"]["required"])[:3]
    ['deadline_id', 'demand', 'id']
    """
    defs = {cls.wire_type: _object_schema(cls, cls.wire_type) for cls in EVENT_TYPES}
    defs |= {"Person": _object_schema(Person), "Source": _object_schema(Source)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "negotiations event",
        "description": "One line of a negotiations log: an event, with `type` naming its kind.",
        "oneOf": [{"$ref": f"#/$defs/{cls.wire_type}"} for cls in EVENT_TYPES],
        "$defs": defs,
    }
