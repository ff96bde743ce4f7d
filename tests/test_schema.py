"""The exported JSON Schema: every valid event validates, and lines wrong in shape do not."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiations import DecodeError, Event, from_json, json_schema, to_json
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
