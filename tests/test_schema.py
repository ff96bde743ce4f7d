"""The exported JSON Schema: every valid event validates, and lines wrong in shape do not."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import attrs
import jsonschema
import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiations import DecodeError, Event, from_json, json_schema, to_json
from negotiations.domain.events import EVENT_TYPES
from negotiations.domain.rules import rule_of
from negotiations.domain.values import Person, Source
from negotiations.testing import events

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# One value of each JSON type, and the schema types each one satisfies.
SAMPLES: dict[str, tuple[object, set[str]]] = {
    "string": ("text", {"string"}),
    "integer": (7, {"integer", "number"}),
    "fraction": (1.5, {"number"}),
    "boolean": (True, {"boolean"}),
    "array": (["text"], {"array"}),
    "object": ({"k": "v"}, {"object"}),
}
MALFORMED_DATES = [
    "July 3",
    "2025/07/03",
    "2025-7-3",
    "25-07-03",
    "2025-07-03T00:00",
    "2025-13",
    "2025-00-01",
    "",
]


def field_type(wire_type: str, field: str) -> str:
    """The JSON type the schema gives a field of an event kind."""
    spec = SCHEMA["$defs"][wire_type]["properties"][field]
    return "object" if "$ref" in spec else str(spec["type"])


def rejected(obj: object) -> bool:
    """Whether the schema rejects a JSON value."""
    return not VALIDATOR.is_valid(obj)


def test_schema_is_valid_draft_2020_12() -> None:
    """The exported schema is itself a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_compiles_strictly_with_jsonschema_rs() -> None:
    """jsonschema-rs validates the schema against the draft 2020-12 meta-schema and compiles it
    as draft 2020-12, with an unknown format an error rather than ignored.
    """
    jsonschema_rs.meta.validate(SCHEMA)
    validator = jsonschema_rs.validator_for(SCHEMA, validate_formats=True, ignore_unknown_formats=False)
    assert isinstance(validator, jsonschema_rs.Draft202012Validator)


# The keywords of draft 2020-12, and the JSON type each type-specific one applies to.
_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "$comment", "$anchor", "$dynamicRef", "$dynamicAnchor",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "type", "enum", "const",
    "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
}  # fmt: skip
_TYPED_KEYWORDS = {
    "string": {"minLength", "maxLength", "pattern"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "array": {"items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"},
    "object": {
        "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
        "minProperties", "maxProperties", "dependentSchemas", "dependentRequired",
    },
}  # fmt: skip
_SUBSCHEMA_KEYWORDS = {"not", "if", "then", "else", "items", "additionalProperties", "propertyNames"}
_SUBSCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
_SUBSCHEMA_MAPS = {"$defs", "properties", "patternProperties", "dependentSchemas"}


def _subschemas(schema: object, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in ``schema``, itself included, with its JSON pointer."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for key, value in schema.items():
        if key in _SUBSCHEMA_KEYWORDS:
            yield from _subschemas(value, f"{where}/{key}")
        elif key in _SUBSCHEMA_LISTS:
            for n, item in enumerate(value):
                yield from _subschemas(item, f"{where}/{key}/{n}")
        elif key in _SUBSCHEMA_MAPS:
            for name, item in value.items():
                yield from _subschemas(item, f"{where}/{key}/{name}")


_ANNOTATIONS = frozenset({"x-cameo", "x-plover"})
"""The schema's own annotations, which a strict validator takes once they are declared (Ajv:
``ajv.addVocabulary(["x-cameo", "x-plover"])``); any other unknown keyword is a problem."""


def strict_problems(schema: dict[str, Any]) -> list[str]:
    """What a strict validator (such as Ajv in strict mode) refuses in ``schema``: unknown
    keywords (but the declared annotations), a ``required`` of a property not defined beside it,
    a type-specific keyword without its ``type`` beside it, and any ``format``.
    """
    typed = {keyword: kind for kind, keywords in _TYPED_KEYWORDS.items() for keyword in keywords}
    problems = []
    for where, sub in _subschemas(schema):
        for keyword in sub:
            if keyword in _ANNOTATIONS:
                continue
            if keyword not in _KEYWORDS and keyword not in typed:
                problems.append(f"{where}: unknown keyword {keyword!r}")
            elif keyword in typed:
                kinds = sub.get("type", [])
                kinds = {kinds} if isinstance(kinds, str) else set(kinds)
                if typed[keyword] not in kinds | ({"number"} if "integer" in kinds else set()):
                    problems.append(f"{where}: {keyword!r} without type {typed[keyword]!r} beside it")
        problems += [
            f"{where}: required property {name!r} is not defined beside it"
            for name in sub.get("required", [])
            if name not in sub.get("properties", {})
        ]
    return problems


def test_schema_is_strict() -> None:
    """The schema has nothing a strict validator refuses: every ``required`` names a property
    defined in the same schema object, every keyword is known and stands beside its type.
    """
    assert strict_problems(SCHEMA) == []


def test_strict_problems_finds_what_strict_mode_refuses() -> None:
    """The strictness check finds an undefined required property in a oneOf branch (the old
    schema's fault), an unknown keyword, a pattern without a string type, and a format.
    """
    old = {"type": "object", "properties": {"due": {"type": "string"}}, "oneOf": [{"required": ["due"]}]}
    assert "#/oneOf/0: required property 'due' is not defined beside it" in strict_problems(old)
    assert len(strict_problems({"type": "string", "patern": "x", "format": "date"})) == 2
    assert strict_problems({"pattern": "x"}) == ["#: 'pattern' without type 'string' beside it"]


@given(events())
def test_every_event_validates(event: Event) -> None:
    """Every generated event, as JSON, validates against the schema."""
    errors = [error.message for error in VALIDATOR.iter_errors(to_json(event))]
    assert errors == []


@given(events(), st.data())
def test_wrong_type_fails_schema_and_decoder(event: Event, data: st.DataObject) -> None:
    """A field given a value of the wrong JSON type fails the schema and the decoder alike."""
    obj = to_json(event)
    field = data.draw(st.sampled_from(sorted(set(obj) - {"type"})))
    expected = field_type(obj["type"], field)
    wrong = [value for value, kinds in SAMPLES.values() if expected not in kinds]
    obj[field] = data.draw(st.sampled_from(wrong))
    assert rejected(obj)
    with pytest.raises(DecodeError) as caught:
        from_json(obj)
    assert caught.value.field is not None
    assert caught.value.field.split(".")[0] == field


@given(events(), st.data())
def test_missing_field_fails_schema_and_decoder(event: Event, data: st.DataObject) -> None:
    """An event without one of its required fields fails the schema and the decoder alike."""
    obj = to_json(event)
    required = SCHEMA["$defs"][obj["type"]]["required"]
    field = data.draw(st.sampled_from(required))
    del obj[field]
    assert rejected(obj)
    with pytest.raises(DecodeError, match="is required") as caught:
        from_json(obj)
    assert caught.value.field == field


@given(events(), st.text(min_size=1).filter(lambda t: t not in SCHEMA["$defs"]))
def test_unknown_type_fails_schema_and_decoder(event: Event, kind: str) -> None:
    """An unknown `type` fails the schema and the decoder alike."""
    obj: dict[str, Any] = {**to_json(event), "type": kind}
    assert rejected(obj)
    with pytest.raises(DecodeError, match="unknown event type"):
        from_json(obj)


@given(events(), st.sampled_from(MALFORMED_DATES))
def test_malformed_date_fails_schema_and_decoder(event: Event, text: str) -> None:
    """A malformed `occurred` date fails the schema and the decoder alike."""
    obj = {**to_json(event), "occurred": text}
    assert rejected(obj)
    with pytest.raises(DecodeError) as caught:
        from_json(obj)
    assert caught.value.field == "occurred"


@given(events(), st.text(min_size=1, alphabet="abcdefghijklmnopqrstuvwxyz_"))
def test_unknown_field_fails_schema_and_decoder(event: Event, name: str) -> None:
    """A field the kind does not have fails the schema and the decoder alike."""
    obj = to_json(event)
    if name in SCHEMA["$defs"][obj["type"]]["properties"]:
        return
    obj[name] = "x"
    assert rejected(obj)
    with pytest.raises(DecodeError, match="is not a field of") as caught:
        from_json(obj)
    assert caught.value.field == name


RS_VALIDATOR = jsonschema_rs.validator_for(SCHEMA)

_DEADLINE: dict[str, Any] = {
    "type": "DeadlineSet",
    "schema_version": 1,
    "id": "us-ultimatum-set",
    "occurred": "2025-07-14",
    "recorded": "2025-07-20T09:00:00+00:00",
    "sources": [{"outlet": "The Epoch Times", "published": "2025-07-15"}],
    "deadline_id": "us-ceasefire-ultimatum",
    "issuer": "USA",
    "target": "RUS",
    "demand": "agree to a cease-fire with Ukraine",
    "within_days": 50,
}
_STATEMENT: dict[str, Any] = {
    "type": "StatementMade",
    "id": "s1",
    "occurred": "2025-07",
    "recorded": "2025-07-20T18:00:00Z",
    "party": "RUS",
    "summary": "no comment",
    "speaker": {"name": "Dmitry Peskov", "party": "RUS", "role": "spokesman"},
}


def _with(base: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """A deep copy of ``base`` with the value at the dotted ``path`` set to ``value``."""
    obj = copy.deepcopy(base)
    *parents, last = path.split(".")
    where: Any = obj
    for key in parents:
        where = where[int(key)] if isinstance(where, list) else where[key]
    where[last] = value
    return obj


_REFUSED = [
    (_DEADLINE, "sources.0.outlet", ""),
    (_DEADLINE, "sources.0.outlet", "   "),
    (_DEADLINE, "sources.0.outlet", "\u3000\x1c"),
    (_DEADLINE, "sources.0.quote", "\t"),
    (_DEADLINE, "sources.0.published", "2025-02-30"),
    (_STATEMENT, "speaker.name", "\u2028"),
    (_STATEMENT, "speaker.role", "\x85"),
    (_STATEMENT, "speaker.party", "RUS\n"),
    (_DEADLINE, "id", "a\x00b"),
    (_DEADLINE, "demand", "\x1f"),
    (_DEADLINE, "recorded", "2025-07-20T25:00:00+00:00"),
    (_DEADLINE, "recorded", "2025-07-20T24:00:00+00:00"),
    (_DEADLINE, "recorded", "2025-07-20T09:60:00+00:00"),
    (_DEADLINE, "recorded", "2025-07-20T09:00:00+99:99"),
    (_DEADLINE, "recorded", "2025-07-20T09:00:00+24:00"),
    (_DEADLINE, "recorded", "2025-07-20T09:00:00+00:60"),
    (_DEADLINE, "recorded", "2023-02-29T09:00:00+00:00"),
    (_DEADLINE, "occurred", "0000-01-01"),
    (_DEADLINE, "occurred", "2025-02-30"),
    (_DEADLINE, "occurred", "2023-02-29"),
    (_DEADLINE, "occurred", "0000"),
    (_DEADLINE, "within_days", 1000.5),
    (_DEADLINE, "within_days", "5"),
    (_DEADLINE, "within_days", True),
    (_DEADLINE, "within_days", -1),
    (_DEADLINE, "issuer", "usa"),
    (_STATEMENT, "occurred", "2025-13"),
    # A final line break, which Python's re (so the jsonschema package) reads `$` before:
    (_DEADLINE, "occurred", "2025-07-14\n"),
    (_DEADLINE, "recorded", "2025-07-20T09:00:00Z\n"),
    (_DEADLINE, "sources.0.published", "2025-07-15\n"),
    (_DEADLINE, "target", "RUS\n"),
]


@pytest.mark.parametrize(("base", "path", "value"), _REFUSED, ids=[f"{p}={v!r}" for _, p, v in _REFUSED])
def test_schema_refuses_what_the_decoder_refuses(base: dict[str, Any], path: str, value: object) -> None:
    """Blank texts (in any of Python's whitespace), NUL, days and moments that do not exist,
    offsets of a day or more, fractional counts, strings and booleans for counts: both validators
    of the schema refuse them, as the decoder does.
    """
    obj = _with(base, path, value)
    assert not VALIDATOR.is_valid(obj)
    assert not RS_VALIDATOR.is_valid(obj)
    with pytest.raises(DecodeError) as caught:
        from_json(obj)
    assert caught.value.field is not None
    assert caught.value.field.split(".")[0] == path.split(".", maxsplit=1)[0]


_ACCEPTED = [
    (_DEADLINE, "within_days", 1000.0),
    (_DEADLINE, "occurred", "2024-02-29~"),
    (_DEADLINE, "recorded", "2000-02-29T23:59:59.123456-23:59"),
    (_STATEMENT, "speaker.name", "\u200b"),  # a zero-width space is not whitespace to Python
    (_STATEMENT, "occurred", "2025-07-03?"),
]


@pytest.mark.parametrize(("base", "path", "value"), _ACCEPTED, ids=[f"{p}={v!r}" for _, p, v in _ACCEPTED])
def test_schema_accepts_what_the_decoder_accepts(base: dict[str, Any], path: str, value: object) -> None:
    """Leap days, offsets under a day, an integral float for a count: the decoder and both
    validators accept them.
    """
    obj = _with(base, path, value)
    assert VALIDATOR.is_valid(obj)
    assert RS_VALIDATOR.is_valid(obj)
    from_json(obj)


@pytest.mark.parametrize("occurred", ["2025-07", "2025", "2025-07~"])
def test_within_days_needs_a_whole_day_in_schema_and_decoder(occurred: str) -> None:
    """``within_days`` counts from ``occurred``, which must then be a whole day: both validators
    refuse a month or a year, and the decoder names ``within_days``; ``due`` takes any date.
    """
    obj = _with(_DEADLINE, "occurred", occurred)
    assert not VALIDATOR.is_valid(obj)
    assert not RS_VALIDATOR.is_valid(obj)
    with pytest.raises(DecodeError) as caught:
        from_json(obj)
    assert caught.value.field == "within_days"
    del obj["within_days"]
    obj["due"] = "2025-09-02"
    assert VALIDATOR.is_valid(obj)
    assert RS_VALIDATOR.is_valid(obj)
    from_json(obj)


@pytest.mark.parametrize("due", ["due", "within_days", None])
def test_exactly_one_of_due_or_within_days(due: str | None) -> None:
    """A deadline with both ``due`` and ``within_days``, or neither, fails both validators and
    the decoder; with one of them it passes.
    """
    obj = {**_DEADLINE, "due": "2025-09-02"}
    if due is not None:
        del obj[due]
        assert VALIDATOR.is_valid(obj)
        assert RS_VALIDATOR.is_valid(obj)
        from_json(obj)
        del obj["due" if due == "within_days" else "within_days"]
    assert not VALIDATOR.is_valid(obj)
    assert not RS_VALIDATOR.is_valid(obj)
    with pytest.raises(DecodeError, match="exactly one"):
        from_json(obj)


def test_hand_written_keywords_only_where_no_rule_is_kept() -> None:
    """A field says JSON Schema keywords in its metadata only when its validator keeps no rule."""
    restated = [
        f"{cls.__name__}.{a.name}"
        for cls in (*EVENT_TYPES, Person, Source)
        for a in attrs.fields(cls)
        if "schema" in a.metadata and rule_of(a.validator) is not None
    ]
    assert restated == []
