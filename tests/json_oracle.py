"""An oracle for JSON text, written apart from the library's parser: what a line holds that RFC
8259 leaves undefined or has no value for. The codec and schema tests compare the decoder with it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any


def strings(value: object) -> Iterator[str]:
    """Every string in a JSON value: its texts and its objects' keys."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def parsed_with_notes(text: str) -> tuple[Any, set[str]]:
    """The value ``json.loads`` reads from ``text``, and what the text holds that JSON does not
    define: ``duplicate-key`` (a key twice in one object), ``non-finite-number`` (NaN, Infinity),
    ``float-range`` (a number a float turns into infinity or into zero) and ``lone-surrogate``.
    """
    notes: set[str] = set()

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({key for key, _ in items}) != len(items):
            notes.add("duplicate-key")
        return dict(items)

    def number(digits: str) -> float:
        value = float(digits)
        if math.isinf(value) or (value == 0 and Decimal(digits) != 0):
            notes.add("float-range")
        return value

    def constant(name: str) -> float:
        notes.add("non-finite-number")
        return float(name)

    value = json.loads(text, object_pairs_hook=pairs, parse_float=number, parse_constant=constant)
    if any("\ud800" <= char <= "\udfff" for string in strings(value) for char in string):
        notes.add("lone-surrogate")
    return value, notes
