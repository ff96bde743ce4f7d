"""The generated fast reader and writer: the same events, the same lines and the same errors as
the detailed converter they stand in front of.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator
from datetime import UTC, date
from typing import Any

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from json_oracle import parsed_with_notes
from negotiations.codec import decode_line, encode_line
from negotiations.codec._converter import (
    FAST_ENCODE,
    FAST_STRUCTURE,
    FAST_UNSTRUCTURE,
    VIEW_CONVERTER,
    _view_functions,
    dump_json,
    load_json,
    structure_slowly,
    structure_view,
    unstructure_slowly,
    unstructure_view,
)
from negotiations.domain.events import EVENT_TYPES, Event, OpaqueEvent
from negotiations.domain.values import PartialDate, Party, Person, Source
from negotiations.errors import DecodeError, NegotiationsError
from negotiations.log import EventLog
from negotiations.projections import PROJECTIONS, VIEW_NAMES
from negotiations.testing import (
    days,
    deadline_changed,
    deadline_set,
    event_logs,
    events,
    prisoner_exchange_agreed,
    prisoners_exchanged,
    remains_repatriated,
    talks_held,
)

Path_ = tuple[str | int, ...]
"""A path into a JSON value: object keys and list indexes."""

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

NEAR_MISS_VALUES: list[object] = [
    "5",
    "",
    " ",
    "\x00",
    "2025-02-30",
    "2025-13",
    "2025-07-20",
    "2025-07-20T09:00:00",
    "2025-07-20T09:00:00+00:00",
    "2025~",
    "RUS",
    "rus",
    "territory",
    "leaders",
    5,
    -1,
    0,
    2.5,
    1000.0,
    -1.0,
    1e300,
    1e400,
    True,
    False,
    None,
    [],
    ["RUS", "RUS"],
    ["RUS", "UKR"],
    {},
    {"RUS": 1},
    {"RUS": -1},
    {"outlet": "Reuters"},
    {"name": "Dmitry Peskov", "party": "RUS"},
]
"""Values that are valid somewhere, or nearly so: right JSON type, wrong shape or rule."""
NEAR_MISSES = st.sampled_from(NEAR_MISS_VALUES)

FIELD_NAMES = sorted(
    {a.name for cls in (*EVENT_TYPES, Person, Source) for a in attrs.fields(cls)} | {"stream", "batch"}
)
"""Every field name of every class: an added field that some other class would take."""


def _paths(value: object, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every path below ``value``, except an event's ``type`` and ``schema_version``."""
    items: list[tuple[str | int, object]] = []
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if prefix or k not in {"type", "schema_version"}]
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _objects(value: object, prefix: Path_ = ()) -> Iterator[Path_]:
    """The path of every JSON object in ``value``, itself included."""
    if isinstance(value, dict):
        yield prefix
    children = (
        value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    )
    for key, child in children:
        yield from _objects(child, (*prefix, key))


def _get(obj: Any, path: Path_) -> Any:  # noqa: ANN401 - any JSON value
    for key in path:
        obj = obj[key]
    return obj


def _typed(value: object) -> object:
    """``value`` with the type of every part spelled out, so that a tuple never equals a list."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, value)


def _outcome(decode: Any, *args: Any) -> Event | str:  # noqa: ANN401 - any decoder and its arguments
    """What decoding gives: the event, or the error's text."""
    try:
        return decode(*args)  # type: ignore[no-any-return]  # a decoder returns an event
    except NegotiationsError as exc:
        return f"{type(exc).__name__}: {exc}"


def test_every_class_has_a_fast_reader_and_writer() -> None:
    """Every event class, and the values inside events, has a generated reader and writer."""
    for cls in (*EVENT_TYPES, Person, Source):
        assert cls in FAST_STRUCTURE, cls
        assert cls in FAST_UNSTRUCTURE, cls
        assert cls in FAST_ENCODE, cls


@given(events())
def test_fast_read_gives_the_slow_read_and_the_event(event: Event) -> None:
    """The fast reader reads any event's line to the event the converter reads, which is the event."""
    obj = json.loads(encode_line(event))
    fast = FAST_STRUCTURE[type(event)](copy.deepcopy(obj))
    assert fast == structure_slowly(obj, type(event)) == event
    assert decode_line(encode_line(event)) == event


@given(events())
def test_fast_write_gives_the_slow_line_byte_for_byte(event: Event) -> None:
    """The fast writer gives the converter's dict, type for type, and the same line, byte for byte."""
    fast = FAST_UNSTRUCTURE[type(event)](event)
    slow = unstructure_slowly(event)
    assert _typed(fast) == _typed(slow)
    assert list(fast) == list(slow)
    assert dump_json(fast) == json.dumps(slow, ensure_ascii=False) == encode_line(event)


def _non_finite(value: object) -> bool:
    """Whether a JSON value holds a float JSON has no number for: NaN or an infinity."""
    if isinstance(value, dict):
        return any(_non_finite(item) for item in value.values())
    if isinstance(value, list):
        return any(_non_finite(item) for item in value)
    return isinstance(value, float) and not math.isfinite(value)


def _check_same_outcome(obj: dict[str, Any], cls: type[Event]) -> None:
    """Decoding ``obj`` the public way gives what the converter alone gives: the same event or the
    same error; and the fast reader, when it accepts ``obj``, gives that event. A line with NaN or
    Infinity in it is no JSON, and the public way refuses it before either reader sees it.
    """
    line = json.dumps(obj, ensure_ascii=False)
    public = _outcome(decode_line, line)
    if _non_finite(obj):
        assert isinstance(public, str)
        assert public.startswith("DecodeError: ")
        return
    slow = _outcome(structure_slowly, copy.deepcopy(obj), cls)
    assert public == slow
    try:
        fast = FAST_STRUCTURE[cls](copy.deepcopy(obj))
    except Exception:  # noqa: BLE001 - any refusal sends a line to the converter
        event("fast refused; " + ("an error" if isinstance(slow, str) else "the converter read it"))
        return
    event("fast read it")
    assert fast == slow


@given(events(), st.data())
def test_a_dropped_field_reads_as_the_slow_path_reads_it(event: Event, data: st.DataObject) -> None:
    """With any field of an event's object left out, the public decoder gives what the converter gives."""
    obj = json.loads(encode_line(event))
    path = data.draw(st.sampled_from([p for p in _paths(obj) if isinstance(_get(obj, p[:-1]), dict)]))
    del _get(obj, path[:-1])[path[-1]]
    _check_same_outcome(obj, type(event))


@given(events(), st.data())
def test_an_added_field_reads_as_the_slow_path_reads_it(event: Event, data: st.DataObject) -> None:
    """With a field added to any object in an event, the public decoder gives what the converter gives."""
    obj = json.loads(encode_line(event))
    where = _get(obj, data.draw(st.sampled_from(list(_objects(obj)))))
    name = data.draw(st.sampled_from(FIELD_NAMES) | st.text(max_size=8))
    where[name] = data.draw(JSON | NEAR_MISSES)
    if name in {"type", "schema_version"} and where is obj:
        return  # the envelope's own fields are read before either reader runs
    _check_same_outcome(obj, type(event))


@given(events(), st.data())
def test_a_changed_value_reads_as_the_slow_path_reads_it(event: Event, data: st.DataObject) -> None:
    """With any value in an event changed to another JSON value, the public decoder gives what the
    converter gives: the same event or the same error.
    """
    obj = json.loads(encode_line(event))
    paths = list(_paths(obj))
    path = data.draw(st.sampled_from(paths))
    elsewhere = st.sampled_from(paths).map(lambda p: copy.deepcopy(_get(obj, p)))
    value = data.draw(JSON | NEAR_MISSES | elsewhere)
    _get(obj, path[:-1])[path[-1]] = value
    _check_same_outcome(obj, type(event))


@pytest.mark.parametrize(
    "cls", [cls for cls in EVENT_TYPES if cls is not OpaqueEvent], ids=lambda c: c.__name__
)
@settings(max_examples=2, derandomize=True)
@given(data=st.data())
def test_every_near_miss_in_every_field_reads_as_the_slow_path_reads_it(
    cls: type[Event], data: st.DataObject
) -> None:
    """Not sampled: for two events of each kind (the same every run), every value in the event,
    nested ones included, and every optional field it leaves out, set to every near miss in turn,
    reads through the public decoder as the converter reads it, and the fast reader accepts it
    only as the converter's event.
    """
    obj = json.loads(encode_line(data.draw(st.from_type(cls))))
    absent = [(a.name,) for a in attrs.fields(cls) if a.name not in obj]
    for path in [*_paths(obj), *absent]:
        for value in NEAR_MISS_VALUES:
            mutated = copy.deepcopy(obj)
            _get(mutated, path[:-1])[path[-1]] = copy.deepcopy(value)
            _check_same_outcome(mutated, cls)


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


def _shortcuts() -> list[tuple[str, Any, Any]]:
    """Every distinct shortcut, as (where, condition as a function, (field, validator)): one
    field for each condition text and names, since fields that share both share a rule.
    """
    found = []
    seen = set()
    for cls in (*EVENT_TYPES, Person, Source):
        for a in attrs.fields(cls):
            if a.validator is None or not hasattr(a.validator, "shortcut"):
                continue
            condition, names = a.validator.shortcut
            key = (condition, tuple((k, id(v)) for k, v in sorted(names.items())))
            if key in seen:
                continue
            seen.add(key)
            namespace = {f"_n_{key}": value for key, value in names.items()}
            source = condition.format(v="v", **{key: f"_n_{key}" for key in names})
            holds = eval(f"lambda v: {source}", namespace)  # noqa: S307 - our own condition text
            found.append((f"{cls.__name__}.{a.name}", holds, (a, a.validator)))
    return found


SHORTCUTS = _shortcuts()

_SCALARS = st.one_of(
    NEAR_MISSES,
    st.text(alphabet=st.sampled_from("aAZ \t\n\x00\ud800é-0?~"), max_size=6),
    st.floats(),
    st.integers(-2, 3),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.sampled_from(
        [
            PartialDate.parse("2025-07-20"),
            Person(name="Dmitry Peskov", party=Party("RUS")),
            Source(outlet="Reuters"),
        ]
    ),
)
VALUES = _SCALARS | st.lists(_SCALARS, max_size=3).map(tuple)
"""Values of every kind a field holds, valid and nearly valid: texts that are blank, hold NUL,
a lone surrogate or non-ASCII letters; codes in the wrong case; tuples of those; odd numbers."""


def test_the_rules_the_readers_test_inline_have_shortcuts() -> None:
    """Text, party, count and the other common rules carry shortcuts (else the next test checks nothing)."""
    assert len(SHORTCUTS) >= 15


@pytest.mark.parametrize("shortcut", SHORTCUTS, ids=[where for where, *_ in SHORTCUTS])
@given(value=VALUES)
def test_a_shortcut_holds_only_for_values_its_validator_accepts(
    shortcut: tuple[str, Any, Any], value: object
) -> None:
    """Whenever a validator's shortcut condition holds for a value, the validator accepts it."""
    where, holds, (a, validator) = shortcut
    try:
        accepted = bool(holds(value))
    except Exception:  # noqa: BLE001 - a condition that raises sends the value to the validator
        accepted = False
    event(f"{where}: {'shortcut' if accepted else 'validator'}")
    if accepted:
        validator(None, a, value)  # raises when the shortcut let through what the rule refuses


@pytest.mark.parametrize("name", VIEW_NAMES)
@given(log=event_logs(max_size=25), as_of=st.none() | days())
def test_fast_view_codec_gives_what_the_view_converter_gives(
    name: str, log: EventLog, as_of: date | None
) -> None:
    """A saved view's JSON is the view converter's, byte for byte, and reads back as the converter
    reads it, to the view itself.
    """
    view = PROJECTIONS[name].fold(log, as_of=as_of)
    text = dump_json(unstructure_view(view))
    assert text == json.dumps(VIEW_CONVERTER.unstructure(view), ensure_ascii=False)
    slow = VIEW_CONVERTER.structure(json.loads(text), type(view))
    reader = _view_functions(type(view))[0]
    assert reader is not None
    assert reader(json.loads(text)) == structure_view(json.loads(text), type(view)) == slow == view


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_every_view_has_a_fast_reader_and_writer(name: str) -> None:
    """Every view class is read and written by generated functions, not the slow converter."""
    reader, writer = _view_functions(type(PROJECTIONS[name].empty))
    assert reader is not None
    assert writer is not None


_COUNT_EVENTS = st.one_of(
    talks_held(),
    deadline_set(),
    deadline_changed(),
    prisoner_exchange_agreed(),
    prisoners_exchanged(),
    remains_repatriated(),
)
"""Events with a count in them (``round``, ``within_days``, ``per_side``, ``terms``, ``returned``),
some of them optional."""


def _count_paths(obj: dict[str, Any]) -> list[Path_]:
    """The paths of the counts in an event's JSON object."""
    paths: list[Path_] = [(name,) for name in ("round", "within_days", "per_side") if name in obj]
    return paths + [(name, party) for name in ("terms", "returned") for party in obj.get(name) or {}]


@given(_COUNT_EVENTS, st.data())
def test_an_integral_float_reads_as_its_count(event: Event, data: st.DataObject) -> None:
    """A count written as an integral JSON number (``1000.0``, as JSON's data model has it the
    integer 1000) reads, by the fast reader, by the converter and the public way alike, as the
    event with that count, which is written back as the integer.
    """
    obj = json.loads(encode_line(event))
    paths = _count_paths(obj)
    if not paths:
        return
    path = data.draw(st.sampled_from(paths))
    _get(obj, path[:-1])[path[-1]] = float(_get(obj, path))
    line = json.dumps(obj, ensure_ascii=False)
    assert ".0" in line
    assert FAST_STRUCTURE[type(event)](copy.deepcopy(obj)) == event
    assert structure_slowly(copy.deepcopy(obj), type(event)) == event
    assert decode_line(line) == event
    assert encode_line(decode_line(line)) == encode_line(event)


@given(_COUNT_EVENTS, st.data())
def test_a_count_that_is_no_whole_number_is_an_error(event: Event, data: st.DataObject) -> None:
    """A count written as a fraction, a string, a boolean or a negative number is an error that
    names it, the same error by the public way as by the converter alone.
    """
    obj = json.loads(encode_line(event))
    paths = _count_paths(obj)
    if not paths:
        return
    path = data.draw(st.sampled_from(paths))
    count = _get(obj, path)
    wrong = data.draw(st.sampled_from([count + 0.5, str(count), True, False, -1, -1.0, None, [count]]))
    if wrong is None and len(path) == 1:
        return  # null is how an optional field may be left out
    _get(obj, path[:-1])[path[-1]] = wrong
    slow = _outcome(structure_slowly, copy.deepcopy(obj), type(event))
    assert isinstance(slow, str)
    assert f"field '{'.'.join(map(str, path))}'" in slow
    _check_same_outcome(obj, type(event))


def test_a_huge_integral_float_is_a_huge_count() -> None:
    """``1e300`` for a round is the integer it stands for, written back with all its digits."""
    line = encode_line(decode_line(json.dumps({**_ROUND, "round": 1e300})))
    assert json.loads(line)["round"] == int(1e300)
    assert "e" not in line.split('"round": ')[1]


_ROUND = {
    "type": "TalksHeld",
    "id": "t1",
    "occurred": "2025-07-23",
    "recorded": "2025-07-23T18:00:00+00:00",
    "parties": ["RUS", "UKR"],
    "venue": "Istanbul",
    "round": 3,
}
