"""The two paths of reading: the generated fast reader of each class, and the detailed converter
behind it, which runs only once the fast reader has refused a value. The fast reader may only make
a line cheaper, never change what it means: field by field, for every near miss, a line reads
through the public decoder as the detailed converter alone reads it. The inline conditions the
fast reader derives from each field's rule hold only for values that rule's validator accepts.
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

from negotiations.codec import decode_line, encode_line, load_json
from negotiations.codec._converter import (
    FAST_ENCODE,
    FAST_STRUCTURE,
    FAST_UNSTRUCTURE,
    _view_functions,
    dump_json,
    structure_slowly,
    unstructure_view,
)
from negotiations.codec._fast import _Gen, condition
from negotiations.domain.events import EVENT_TYPES, AidAnnounced, CallHeld, Event
from negotiations.domain.rules import Rule, TupleRule, rule_of
from negotiations.domain.values import PartialDate, Party, Person, Source
from negotiations.errors import NegotiationsError
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


def _outcome(decode: Any, *args: Any) -> Event | str:  # noqa: ANN401 - any decoder and its arguments
    """What decoding gives: the event, or the error's text."""
    try:
        return decode(*args)  # type: ignore[no-any-return]  # a decoder returns an event
    except NegotiationsError as exc:
        return f"{type(exc).__name__}: {exc}"


def test_every_class_has_a_fast_reader_and_writer() -> None:
    """Every event class, and the values inside events, has a generated reader and both writers."""
    for cls in (*EVENT_TYPES, Person, Source):
        assert cls in FAST_STRUCTURE, cls
        assert cls in FAST_UNSTRUCTURE, cls
        assert cls in FAST_ENCODE, cls


def _non_finite(value: object) -> bool:
    """Whether a JSON value holds a float JSON has no number for: NaN or an infinity."""
    if isinstance(value, dict):
        return any(_non_finite(item) for item in value.values())
    if isinstance(value, list):
        return any(_non_finite(item) for item in value)
    return isinstance(value, float) and not math.isfinite(value)


def _check_same_outcome(obj: dict[str, Any], cls: type[Event]) -> bool | None:
    """Decoding ``obj`` the public way gives what the converter alone gives: the same event or the
    same error; and the fast reader, when it accepts ``obj``, gives that event. Whether the fast
    reader accepted it, or ``None`` for a line with NaN or Infinity in it, which is no JSON: the
    public way refuses it before either reader sees it.
    """
    line = json.dumps(obj, ensure_ascii=False)
    public = _outcome(decode_line, line)
    if _non_finite(obj):
        assert isinstance(public, str)
        assert public.startswith("DecodeError: ")
        return None
    slow = _outcome(structure_slowly, copy.deepcopy(obj), cls)
    assert public == slow
    try:
        fast = FAST_STRUCTURE[cls](copy.deepcopy(obj))
    except Exception:  # noqa: BLE001 - any refusal sends a line to the converter
        return False
    assert fast == slow
    return True


FULL_SOURCE = {
    "outlet": "Reuters",
    "url": "https://example.org/a",
    "quote": "Agreed.",
    "published": "2025-07-14",
}
FULL_PERSON = {"name": "Dmitry Peskov", "party": "RUS", "role": "Kremlin spokesman"}
"""A source and a person with every field given, so that each nested field gets every near miss."""


def _filled(obj: dict[str, Any], cls: type[Event]) -> dict[str, Any]:
    """``obj`` with a full source, and a full person in each field that holds persons."""
    filled = {**obj, "sources": [FULL_SOURCE]}
    for a in attrs.fields(attrs.resolve_types(cls)):
        if a.type == Person | None:
            filled[a.name] = FULL_PERSON
        elif a.type == tuple[Person, ...]:
            filled[a.name] = [FULL_PERSON]
    return copy.deepcopy(filled)


@pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda c: c.__name__)
@settings(max_examples=2, derandomize=True)
@given(data=st.data())
def test_every_near_miss_in_every_field_reads_as_the_slow_path_reads_it(
    cls: type[Event], data: st.DataObject
) -> None:
    """Not sampled: for two events of each kind (the same every run), given a full source and
    full persons, the event as written is read by the fast reader; and every value in it, nested
    ones included, and every optional field it leaves out, set in turn to every near miss, every
    value left out, and every object given each field name of any class, reads through the public
    decoder as the converter reads it, with the fast reader accepting it only as the converter's
    event.
    """
    obj = _filled(json.loads(encode_line(data.draw(st.from_type(cls)))), cls)
    assert _check_same_outcome(copy.deepcopy(obj), cls) is True
    absent = [(a.name,) for a in attrs.fields(cls) if a.name not in obj]
    for path in [*_paths(obj), *absent]:
        for value in NEAR_MISS_VALUES:
            mutated = copy.deepcopy(obj)
            _get(mutated, path[:-1])[path[-1]] = copy.deepcopy(value)
            _check_same_outcome(mutated, cls)
    for path in _paths(obj):
        mutated = copy.deepcopy(obj)
        del _get(mutated, path[:-1])[path[-1]]
        _check_same_outcome(mutated, cls)
    for where in _objects(obj):
        for name in FIELD_NAMES:
            if name in _get(obj, where) or (where == () and name == "schema_version"):
                continue  # present already, or read before either reader runs
            mutated = copy.deepcopy(obj)
            _get(mutated, where)[name] = "x"
            _check_same_outcome(mutated, cls)


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


def _rules() -> list[tuple[str, Any, Any]]:
    """Every distinct rule a validator keeps, as (where, its derived condition as a function,
    (field, validator)): one field for each rule, since fields that keep one rule share it.
    """
    found = []
    seen: list[Rule | TupleRule] = []
    for cls in (*EVENT_TYPES, Person, Source):
        for a in attrs.fields(cls):
            rule = rule_of(a.validator)
            if rule is None or rule in seen:
                continue
            seen.append(rule)
            gen = _Gen()
            gen.lines += ["def holds(v):", f"    return {condition(gen, rule, 'v')}"]
            found.append((f"{cls.__name__}.{a.name}", gen.compile("holds"), (a, a.validator)))
    return found


RULES = _rules()

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


def test_the_common_rules_are_tested_inline() -> None:
    """Text, party, count and the other common rules are kept as data the reader tests inline,
    every kind of them (else the next test checks nothing).
    """
    kinds = {(r.item if isinstance(r, TupleRule) else r).kind for _, _, (_, v) in RULES if (r := rule_of(v))}
    assert kinds == {"text", "pattern", "choice", "count", "number", "exactly", "aware"}
    assert len(RULES) >= 15


@pytest.mark.parametrize("rule", RULES, ids=[where for where, *_ in RULES])
@given(value=VALUES)
def test_a_rules_condition_holds_only_for_values_its_validator_accepts(
    rule: tuple[str, Any, Any], value: object
) -> None:
    """Whenever the condition the reader derives from a field's rule holds for a value, the
    field's validator accepts that value.
    """
    where, holds, (a, validator) = rule
    try:
        accepted = bool(holds(value))
    except Exception:  # noqa: BLE001 - a condition that raises sends the value to the validator
        accepted = False
    event(f"{where}: {'inline' if accepted else 'validator'}")
    if accepted:
        validator(None, a, value)  # raises when the condition let through what the rule refuses


@pytest.mark.parametrize("name", VIEW_NAMES)
@given(log=event_logs(max_size=25), as_of=st.none() | days())
def test_the_view_codec_reads_back_what_it_writes(name: str, log: EventLog, as_of: date | None) -> None:
    """A view written as a saved snapshot is, reads back through its generated reader to the
    view itself; its items and tuples of them are written as the items within it are.
    """
    view = PROJECTIONS[name].fold(log, as_of=as_of)
    written = unstructure_view(view)
    reader = _view_functions(type(view))[0]
    assert reader is not None
    assert reader(load_json(dump_json(written))) == view
    for field in attrs.fields(type(view)):
        value = getattr(view, field.name)
        if isinstance(value, tuple):
            assert unstructure_view(value) == written[field.name]


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_every_view_has_a_fast_reader_and_writer(name: str) -> None:
    """Every view class is read and written by generated functions, not the slow converter."""
    reader, writer = _view_functions(type(PROJECTIONS[name].empty))
    assert reader is not None
    assert writer is not None


def test_a_view_is_written_with_every_field_in_class_order() -> None:
    """A view's JSON holds every field in class order, ``None`` ones too, its mappings as objects,
    its tuples as lists, days as ``YYYY-MM-DD`` and partial dates as their text, and no sources
    (they stay in the log): the format saved snapshots hold and ``show --json`` starts from,
    pinned by example.
    """
    envelope = {"occurred": "2025-07-14", "recorded": "2025-07-14T18:00:00+00:00", "deadline_id": "trump-50"}
    objects = [
        {
            "type": "DeadlineSet",
            "id": "d1",
            **envelope,
            "issuer": "USA",
            "target": "RUS",
            "demand": "a ceasefire",
        }
        | {"within_days": 50, "sources": [{"outlet": "Reuters", "published": "2025-07-14"}]},
        {"type": "DeadlineChanged", "id": "d2", **envelope, "occurred": "2025-07", "due": "2025-08-08"},
    ]
    lines = [json.dumps(obj) for obj in objects]
    view = PROJECTIONS["deadlines"].fold(EventLog([decode_line(line) for line in lines]))
    first = {
        "event_id": "d1",
        "occurred": "2025-07-14",
        "due": "2025-09-02",
        "reason": None,
    }
    second: dict[str, object] = {"event_id": "d2", "occurred": "2025-07", "due": "2025-08-08"}
    second |= {"reason": None}
    assert unstructure_view(view) == {
        "by_id": {
            "trump-50": {
                "deadline_id": "trump-50",
                "issuer": "USA",
                "target": "RUS",
                "demand": "a ceasefire",
                "consequence": None,
                "set_on": "2025-07-14",
                "history": [first, second],
                "closure": None,
            }
        }
    }


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


def test_party_codes_and_choices_are_shared_across_decoded_events() -> None:
    """Two lines naming the same parties and choices decode to the very same string objects, so
    that views keeping them keep one copy, not one per event; the events read as before.
    """
    envelope = {"occurred": "2025-07-14", "recorded": "2025-07-14T18:00:00+00:00"}
    aid: dict[str, object] = {"type": "AidAnnounced", **envelope, "donor": "USA", "recipient": "UKR"}
    aid["category"] = "military"
    call: dict[str, object] = {"type": "CallHeld", **envelope, "parties": ["USA", "RUS"]}
    lines = [json.dumps({**obj, "id": f"e{n}"}) for n, obj in enumerate((aid, aid, call, call))]
    first, second, one, other = (decode_line(line) for line in lines)
    assert isinstance(first, AidAnnounced)
    assert isinstance(second, AidAnnounced)
    assert isinstance(one, CallHeld)
    assert isinstance(other, CallHeld)
    assert (first.donor, first.recipient, first.category) == ("USA", "UKR", "military")
    assert first.donor is second.donor
    assert first.recipient is second.recipient
    assert first.category is second.category
    assert one.parties == ("USA", "RUS")
    assert one.parties[1] is other.parties[1]
    assert first.donor is one.parties[0]
    assert decode_line(encode_line(first)) == first
