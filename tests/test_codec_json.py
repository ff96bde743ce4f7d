"""JSON text as the format reads and writes it: ``load_json`` is ``json.loads`` refusing what
RFC 8259 leaves undefined, and ``dump_json`` is ``json.dumps`` with ``ensure_ascii=False``.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from json_oracle import parsed_with_notes
from negotiations.codec import dump_json, load_json
from negotiations.errors import DecodeError

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
"""Any JSON value."""


def _typed(value: object) -> object:
    """``value`` with the type of every part spelled out, so that a tuple never equals a list."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, value)


JSON_TEXT = st.one_of(
    JSON.map(json.dumps),
    st.sampled_from(
        [
            *['{"a": 1, "a": 2}', '[{"b": {"c": 1, "c": 1}}]', "NaN", "[-Infinity]", "1e400", "-1E+999"],
            *["1e-400", "0e5", "0.0", '"\\ud800"', '{"\\udfff": 1}', '"\\ud83d\\ude00"', "\ufeff[]"],
        ]
    ),
    st.builds(
        lambda v, a, b: a + json.dumps(v) + b,
        JSON,
        *[st.sampled_from(["", " ", "\n", "\r\n", "\t", "x", "\ufeff", "\u2028", " 1"])] * 2,
    ),
    st.text(max_size=20),
)
"""Text that is JSON, JSON with something around it, or anything at all."""


def _not_in_json(text: str) -> bool:
    """Whether JSON text that ``json.loads`` reads holds what RFC 8259 leaves undefined or has no
    value for: a key twice in one object, NaN or Infinity, a number a float turns into infinity
    or into zero, or a lone surrogate.
    """
    return bool(parsed_with_notes(text)[1])


@given(JSON_TEXT)
def test_load_json_is_json_loads(text: str) -> None:
    """``load_json`` gives what ``json.loads`` gives, the same value or an error, except that it
    refuses with a :class:`DecodeError` what JSON does not define: a key twice, NaN, Infinity,
    numbers out of a float's range and lone surrogates.
    """
    try:
        expected: object = _typed(json.loads(text))
    except ValueError:
        with pytest.raises(ValueError):  # noqa: PT011 - json's errors, or ours: the text is no JSON
            load_json(text)
        return
    if _not_in_json(text):
        with pytest.raises(DecodeError):
            load_json(text)
    else:
        assert _typed(load_json(text)) == expected


@given(JSON)
def test_dump_json_is_json_dumps(value: object) -> None:
    """``dump_json`` writes any JSON value as ``json.dumps(..., ensure_ascii=False)`` does."""
    assert dump_json(value) == json.dumps(value, ensure_ascii=False)
