"""The exported JSON Schema against the decoder, one line at a time, with two independent validators.

Each line, a valid event or a mutation of one, goes to the decoder (``decode_line``, strict), to
the ``jsonschema`` package and to ``jsonschema-rs``. All three must accept it or all three refuse
it, unless the disagreement has a cause on :data:`DIFFERENCES`, the list that
``docs/format.md`` keeps under "Where the schema and the decoder differ". Every cause is told from
the line itself, without asking the decoder; an unexplained disagreement fails the test. How often
each cause came up is written at the end of the module's tests.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Final, Literal

import attrs
import jsonschema
import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from json_oracle import parsed_with_notes
from negotiations import Event, json_schema, to_json
from negotiations.codec import decode_line
from negotiations.domain.events import EVENT_TYPES
from negotiations.domain.values import PYTHON_WHITESPACE, Person, Source
from negotiations.errors import NegotiationsError
from negotiations.testing import events

SCHEMA: Final = json_schema()
PY_VALIDATOR: Final = jsonschema.Draft202012Validator(SCHEMA)
RS_VALIDATOR: Final = jsonschema_rs.validator_for(SCHEMA, validate_formats=True, ignore_unknown_formats=False)

Verdict = Literal["accept", "refuse", "cannot read"]
"""What a checker makes of a line; a validator that cannot take the parsed value at all (jsonschema-rs
and a lone surrogate, which is no Unicode text) cannot read it."""

DIFFERENCES: Final[dict[str, str]] = {
    "references": "rules across lines: references to deadlines, agreements, proposals and ceasefires, "
    "unique ids, amendments' targets and disputes' claims (the log checks them; one line cannot show them)",
    "duplicate-key": "a key twice in one JSON object: the decoder refuses it, a validator sees the parsed "
    "value, which keeps one of them",
    "non-finite-number": "NaN and Infinity, which are no JSON: the decoder refuses them, a validator sees "
    "whatever its parser made of them",
    "float-range": "a number a 64-bit float cannot hold (1e400, 1e-400, or an integer past 1.8e308 for "
    "rate_percent): Python's limit; JSON Schema's numbers have no range",
    "lone-surrogate": "half of a UTF-16 pair escaped in a string, which is no Unicode text: the decoder "
    "refuses it; Python's jsonschema takes it, jsonschema-rs cannot read it",
    "date-arithmetic": "within_days that runs past 9999-12-31 from occurred: Python's last day, and "
    "arithmetic across two fields that JSON Schema cannot do",
    "between-fields": "a rule between two fields' values: ends before starts, terms that name other "
    "parties than parties",
    "optional-null": "null for an optional field: the decoder reads it as absent; the schema, by design, "
    "asks writers to leave the field out",
}
"""Each legitimate cause of a disagreement between the schema and the decoder, by name."""

COUNTS: Final[Counter[str]] = Counter()
"""How often each outcome came up in this run: ``agree``, a cause's name, or ``unclassified``."""


# -- the three checkers -------------------------------------------------------------------------


def _decoder(line: str) -> Verdict:
    """What the decoder makes of a line."""
    try:
        decode_line(line)
    except NegotiationsError:
        return "refuse"
    return "accept"


def _validator(is_valid: Callable[[object], bool], value: object) -> Verdict:
    """What a schema validator makes of a parsed line."""
    try:
        return "accept" if is_valid(value) else "refuse"
    except (ValueError, TypeError, OverflowError):  # a value it has no JSON for, such as a lone surrogate
        return "cannot read"


def verdicts(line: str) -> dict[str, Verdict]:
    """What the decoder and each validator make of a line. The validators get the value that
    Python's own JSON parser makes of it, as a service that validates a line first would.
    """
    value = json.loads(line)
    return {
        "decoder": _decoder(line),
        "jsonschema": _validator(PY_VALIDATOR.is_valid, value),
        "jsonschema-rs": _validator(RS_VALIDATOR.is_valid, value),
    }


# -- telling causes from the line alone ---------------------------------------------------------


def _day(text: object) -> date | None:
    """The day a ``YYYY-MM-DD`` text (maybe with a qualifier) names, or ``None``."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[?~]?", text):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _earliest(text: object) -> date | None:
    """The first day a partial date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, maybe qualified)
    may be, or ``None``.
    """
    if not isinstance(text, str):
        return None
    bare = text.rstrip("?~")
    padded = {4: f"{bare}-01-01", 7: f"{bare}-01"}.get(len(bare), bare)
    return _day(padded)


def _starts_after(obj: dict[str, Any], last: str) -> bool:
    """Whether the day of the field ``last`` is before the day ``obj`` takes effect: its
    ``effective``, or else the first day its ``occurred`` may be.
    """
    end = _day(obj.get(last))
    start = _day(obj.get("effective")) if obj.get("effective") is not None else _earliest(obj.get("occurred"))
    return end is not None and start is not None and end < start


def _whole(value: object) -> int | None:
    """A JSON number that is a whole number, as an int (``1000.0`` too), or ``None``."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


def _fits_a_float(number: int) -> bool:
    """Whether a 64-bit float can hold an integer (to within rounding)."""
    try:
        float(number)
    except OverflowError:
        return False
    return True


def _past_last_day(obj: dict[str, Any]) -> bool:
    """Whether a deadline's ``within_days`` runs past 9999-12-31 from its ``occurred``."""
    start, days = _day(obj.get("occurred")), _whole(obj.get("within_days"))
    return start is not None and days is not None and start.toordinal() + days > date.max.toordinal()


def _between_fields(obj: dict[str, Any]) -> bool:  # noqa: PLR0911 - a return per kind with such rules
    """Whether a rule between two fields' values fails: a ceasefire, measure or round of talks that
    ends before it starts, an agreement's terms that name other parties, and the like.
    """
    if obj.get("type") == "CeasefireAgreed":
        starts, ends = _day(obj.get("starts")), _day(obj.get("ends"))
        return starts is not None and ends is not None and ends < starts
    terms, parties = obj.get("terms"), obj.get("parties")
    if obj.get("type") == "PrisonerExchangeAgreed" and isinstance(terms, dict) and isinstance(parties, list):
        return set(terms) != {p for p in parties if isinstance(p, str)}
    if obj.get("type") == "AgreementReached":
        return _agreement_between_fields(obj)
    if obj.get("type") == "TermsProposed":
        proposer, to, jointly = (
            obj.get("proposer"),
            _strings(obj.get("to")),
            _strings(obj.get("co_proposers")),
        )
        return proposer in to or proposer in jointly or bool(to & jointly)
    if obj.get("type") == "ProposalAnswered":
        return obj.get("counter_proposal_id") is not None and obj.get("counter_proposal_id") == obj.get(
            "proposal_id"
        )
    if obj.get("type") == "ViolationReported":
        return obj.get("accuser") is not None and obj.get("accuser") == obj.get("accused")
    if obj.get("type") in {"SanctionsImposed", "TariffsImposed"}:
        return _starts_after(obj, "ends")
    if obj.get("type") == "MeasureSuspended":
        return _starts_after(obj, "until")
    if obj.get("type") == "TalksHeld":
        ends, began = _day(obj.get("ends")), _earliest(obj.get("occurred"))
        parties = _strings(obj.get("parties"))
        others = _strings(obj.get("hosts")) | _strings(obj.get("mediators"))
        return (ends is not None and began is not None and ends < began) or bool(parties & others)
    return False


def _strings(value: object) -> set[str]:
    """The strings of a JSON list, or none."""
    return {item for item in value if isinstance(item, str)} if isinstance(value, list) else set()


def _agreement_between_fields(obj: dict[str, Any]) -> bool:
    """Whether an agreement ends before it starts, names a mediator or guarantor among its
    parties, or has a term of another party or a term id twice.
    """
    starts, ends = _day(obj.get("starts")), _day(obj.get("ends"))
    if starts is not None and ends is not None and ends < starts:
        return True
    parties = _strings(obj.get("parties"))
    if parties & (_strings(obj.get("mediators")) | _strings(obj.get("guarantors"))):
        return True
    terms = (
        [t for t in obj.get("terms") or [] if isinstance(t, dict)]
        if isinstance(obj.get("terms"), list)
        else []
    )
    ids = [t.get("term_id") for t in terms]
    return len(ids) != len(set(map(str, ids))) or any(t.get("party") not in parties for t in terms)


def _without_nulls(value: object) -> object:
    """A JSON value with every member of every object that is ``null`` left out."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _causes(line: str) -> list[tuple[str, str]]:
    """The causes on :data:`DIFFERENCES` that a line shows, each with the side it makes stricter:
    ``decoder`` (it refuses what the schema takes) or ``schema``.
    """
    value, notes = parsed_with_notes(line)
    found = [(note, "decoder") for note in sorted(notes)]
    if not isinstance(value, dict):
        return found
    if type(value.get("rate_percent")) is int and not _fits_a_float(value["rate_percent"]):
        found.append(("float-range", "decoder"))
    if value.get("type") in {"DeadlineSet", "DeadlineChanged"} and _past_last_day(value):
        found.append(("date-arithmetic", "decoder"))
    if _between_fields(value):
        found.append(("between-fields", "decoder"))
    stripped = _without_nulls(value)
    if stripped != value and all(
        _validator(is_valid, stripped) == "accept"
        for is_valid in (PY_VALIDATOR.is_valid, RS_VALIDATOR.is_valid)
    ):
        found.append(("optional-null", "schema"))
    return found


def classify(line: str, seen: dict[str, Verdict]) -> str | None:
    """``agree`` when every checker gave the decoder's verdict; else the first cause on
    :data:`DIFFERENCES` that the line shows and that explains each validator's disagreement
    (only a lone surrogate explains a validator that cannot read the line); else ``None``.
    """
    decoder = seen["decoder"]
    others = {seen[name] for name in seen if name != "decoder" and seen[name] != decoder}
    if not others:
        return "agree"
    for cause, stricter in _causes(line):
        if stricter == "decoder" and decoder == "refuse":
            allowed: set[Verdict] = {"accept", "cannot read"} if cause == "lone-surrogate" else {"accept"}
        elif stricter == "schema" and decoder == "accept":
            allowed = {"refuse"}
        else:
            continue
        if others <= allowed:
            return cause
    return None


# -- lines: valid events, and mutations of them ------------------------------------------------

_BLANKS = ["", *PYTHON_WHITESPACE, "  \t", "\u3000\u2028", "\x1c\x1d\x1e\x1f", " \x85 "]
_TEXTS = ["ok", "a\x00b", "\x00", "a\n", "\u200b", "\ufeff", "Istanbul"]
_DAYS = [
    *["2025-02-30", "2023-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "2100-02-29", "0000-01-01"],
    *["0001-01-01", "9999-12-31", "2025-00-10", "2025-13-01", "2025-07-32", "2025-04-31", "2025-07-00"],
    *["2025-07", "2025-13", "2025", "0000", "0000-01", "2025-07-03?", "2025-07-03~", "2025-07-03\n"],
    *["2025-7-3", "2025-07-03 ", "2025-07-03T00:00:00+00:00"],
]
_MOMENTS = [
    f"{day}T{clock}{offset}"
    for day, clock, offset in [
        ("2025-07-20", "24:00:00", "+00:00"),
        ("2025-07-20", "25:00:00", "+00:00"),
        ("2025-07-20", "09:60:00", "+00:00"),
        ("2025-07-20", "09:00:60", "+00:00"),
        ("2025-07-20", "09:00:00", "+99:99"),
        ("2025-07-20", "09:00:00", "+24:00"),
        ("2025-07-20", "09:00:00", "+23:59"),
        ("2025-07-20", "09:00:00", "-23:59"),
        ("2025-07-20", "09:00:00", "+00:60"),
        ("2025-07-20", "09:00:00", "-00:00"),
        ("2025-07-20", "09:00:00", "Z"),
        ("2025-07-20", "09:00:00", "z"),
        ("2025-07-20", "09:00:00.123456", "Z"),
        ("2025-07-20", "09:00:00.1234567", "Z"),
        ("2025-07-20", "09:00", "Z"),
        ("2025-07-20", "09:00:00", ""),
        ("2023-02-29", "09:00:00", "Z"),
        ("0000-01-01", "00:00:00", "Z"),
        ("9999-12-31", "23:59:59", "-01:00"),
        ("2025-07-20", "09:00:00", "Z\n"),
    ]
]
_NUMBERS: list[object] = [0, 1, 1000, 1000.0, 0.0, -0.0, 1000.5, 0.5, -1, -1.0, 2**53 + 1, 2**64, 10**30]
_NUMBERS += [1e300, 1e-300, 10**9, 3_000_000, True, False, "5", "1000.0"]
_PARTIES = [
    "RUS",
    "rus",
    "R",
    "RU",
    "ABCDEFGH",
    "ABCDEFGHI",
    "RUS\n",
    "RÜS",
    "R S",
    "\uff32\uff35\uff33",
    "RU1",
    "",
]
_OTHER: list[object] = [
    *["territory", "Territory", "territory\n", "1territory", "a" * 32, "a" * 33, "a-", "-a"],
    *["leaders", "Leaders", "military ", "CallHeld", "DeadlineMet", "DeadlineWithdrawn"],
    *[None, [], {}, [""], ["RUS"], ["RUS", "RUS"], ["RUS", "UKR"], ["RUS", "UKR", "USA"], [1], [None]],
    *[{"RUS": 1}, {"RUS": -1}, {"RUS": 1.0}, {"RUS": 1.5}, {"rus": 1}, {"": 1}, {"RUS": None}],
    *[{"outlet": "Reuters"}, {"outlet": ""}, {"outlet": " "}, {"outlet": "x", "published": "2023-02-29"}],
    *[{"outlet": "x", "url": None}, {"name": "A", "party": "RUS"}, {"name": "A", "party": "rus"}],
    *[{"name": " ", "party": "RUS"}, {"within_days": 12}, {"type": "x"}, {"id": "y"}, {"name": "A"}],
]
NEAR_MISSES: Final[list[object]] = [*_BLANKS, *_TEXTS, *_DAYS, *_MOMENTS, *_NUMBERS, *_PARTIES, *_OTHER]
"""Values that are valid somewhere, or nearly so, for some field."""

RAW_JSON: Final = [
    *["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "1E3", "-0.0", "0e0"],
    *["1" + "0" * 400, "1.0", "3e6"],
]
"""JSON text for a number, which no Python value writes as such: what only a line can hold."""
RAW_JSON_TEXTS: Final = ['"\\ud800"', '"a\\udfffb"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\u2028"']
"""JSON text for a string: escapes of lone surrogates, a pair, NUL and a line separator."""

FIELD_NAMES: Final = sorted(
    {a.name for cls in (*EVENT_TYPES, Person, Source) for a in attrs.fields(cls)} | {"type", "schema_version"}
)
"""Every field name of every class: a key that some other object takes."""

Path_ = tuple[str | int, ...]
"""A path into a JSON value: object keys and list indexes."""


def _paths(value: object, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every path below ``value``."""
    items: list[tuple[str | int, object]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _get(value: Any, path: Path_) -> Any:  # noqa: ANN401 - any JSON value
    for key in path:
        value = value[key]
    return value


def _variants(value: object) -> list[object]:
    """Near misses made from a field's own value: the same text with a line break, a NUL or in
    another case; a count as a float, a fraction, a string or a boolean; a list shorter or with
    an item twice.
    """
    if isinstance(value, str):
        return [
            value + "\n",
            value + "\x00",
            "\x00" + value,
            value.lower(),
            value.upper(),
            value[:-1],
            f" {value} ",
        ]
    if isinstance(value, bool):
        return [int(value)]
    if isinstance(value, int):
        return [float(value), value + 0.5, -value - 1, str(value), value == 1, value * 10**9]
    if isinstance(value, list):
        return [[], value[:1], value + value[:1], [*value, *value], value[::-1]]
    if isinstance(value, dict):
        return [{}, {**value, "x": 1}, dict(list(value.items())[:1])]
    return []


_PLACEHOLDER: Final = "\x01raw\x01"


@st.composite
def mutated_lines(draw: st.DrawFn) -> tuple[str, str]:
    """A line of a valid event with one thing changed, and what was changed: a value replaced by
    a near miss (or by raw JSON text), a field left out, a field added, a key renamed, or a key
    given twice. Hypothesis picks the event, the place and the change.
    """
    event = draw(events())
    obj: dict[str, Any] = to_json(event)
    paths = list(_paths(obj))
    how = draw(
        st.sampled_from(["replace", "replace", "replace", "null", "raw", "drop", "add", "rename", "twice"])
    )
    if how in {"replace", "null", "raw"}:
        numbers = [p for p in paths if type(_get(obj, p)) in {int, float}]
        path = draw(st.sampled_from(numbers if how == "raw" and numbers and draw(st.booleans()) else paths))
        current = _get(obj, path)
        if how == "replace":
            value = draw(st.sampled_from(NEAR_MISSES) | st.sampled_from(_variants(current) or [None]))
        else:
            value = None if how == "null" else _PLACEHOLDER
        _get(obj, path[:-1])[path[-1]] = value
        raw = draw(st.sampled_from(RAW_JSON_TEXTS if isinstance(current, str) else RAW_JSON))
        line = json.dumps(obj, ensure_ascii=False).replace(json.dumps(_PLACEHOLDER), raw)
        return line, f"{how} at {'.'.join(map(str, path))}: {raw if how == 'raw' else repr(value)}"
    objects = [()] + [p for p in paths if isinstance(_get(obj, p), dict)]
    where: Path_ = draw(st.sampled_from(objects))
    target = _get(obj, where)
    if how == "drop" and target:
        key = draw(st.sampled_from(sorted(target)))
        del target[key]
        return json.dumps(obj), f"drop {'.'.join(map(str, (*where, key)))}"
    if how == "rename" and target:
        key = draw(st.sampled_from(sorted(target)))
        new = draw(st.sampled_from(_PARTIES + FIELD_NAMES + [key + "\n", key.upper()]))
        target[new] = target.pop(key)
        return json.dumps(obj), f"rename {'.'.join(map(str, (*where, key)))} to {new!r}"
    if how == "twice" and obj:
        key = draw(st.sampled_from(sorted(obj)))
        other = draw(st.sampled_from([obj[key], *NEAR_MISSES]))
        member = f"{json.dumps(key)}: {json.dumps(other)}"
        body = json.dumps(obj)[1:-1]
        line = "{" + (f"{member}, {body}" if draw(st.booleans()) else f"{body}, {member}") + "}"
        return line, f"give {key} twice, once as {other!r}"
    name = draw(st.sampled_from(FIELD_NAMES) | st.text(min_size=1, max_size=8))
    target[name] = draw(st.sampled_from(NEAR_MISSES))
    return json.dumps(obj), f"add {'.'.join(map(str, (*where, name)))} = {target[name]!r}"


# -- the tests ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the module's tests, write how often each outcome came up."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and COUNTS:
        shown = ", ".join(f"{name}: {n}" for name, n in sorted(COUNTS.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nschema vs decoder, lines by outcome: {shown}")


@given(events())
def test_every_valid_event_passes_all_three(event: Event) -> None:
    """The line of any valid event is accepted by the decoder and by both validators."""
    line = json.dumps(to_json(event))
    assert verdicts(line) == {"decoder": "accept", "jsonschema": "accept", "jsonschema-rs": "accept"}
    COUNTS["agree (accept)"] += 1


@settings(max_examples=10 * settings().max_examples)  # cheap lines, and causes that come up rarely
@given(mutated_lines())
def test_a_mutated_line_gets_one_verdict_or_a_documented_cause(case: tuple[str, str]) -> None:
    """A line with one thing changed is accepted by all three checkers or refused by all three,
    unless a cause on the documented list explains the disagreement.
    """
    line, how = case
    seen = verdicts(line)
    cause = classify(line, seen)
    COUNTS[f"agree ({seen['decoder']})" if cause == "agree" else cause or "unclassified"] += 1
    assert cause is not None, f"unexplained disagreement {seen} after {how}: {line}"


_ENVELOPE: Final = {"id": "e1", "occurred": "2025-07-14", "recorded": "2025-07-20T09:00:00+00:00"}
_DEADLINE: Final = {"deadline_id": "us-ultimatum", "issuer": "USA", "target": "RUS", "demand": "a cease-fire"}


def _line(kind: str = "DeadlineSet", **fields: object) -> str:
    """The line of an event of ``kind`` with the envelope and ``fields`` (a valid deadline when
    only ``kind`` is left as it is; ``within_days`` 50 unless given).
    """
    if kind == "DeadlineSet":
        fields = {**_DEADLINE, "within_days": 50, **fields}
    return json.dumps({"type": kind, **_ENVELOPE, **fields})


_TARIFF: Final = {"imposer": "USA", "target": "RUS", "rate_percent": "rate"}
_SWAP: Final = {"agreement_id": "a1", "parties": ["RUS", "UKR"]}


@pytest.mark.parametrize(
    ("line", "cause"),
    [
        (_line(), "agree"),
        (_line(consequence=None), "optional-null"),
        (_line(within_days=3_000_000), "date-arithmetic"),
        (_line(within_days=1000.0), "agree"),
        (_line(within_days=1000.5), "agree"),
        (_line(schema_version=1.0), "agree"),
        (_line(schema_version=1.5), "agree"),
        (_line(id="a\ud800"), "lone-surrogate"),
        ('{"id": "x", ' + _line()[1:], "duplicate-key"),
        (_line("TariffsImposed", **_TARIFF).replace('"rate"', "NaN"), "non-finite-number"),
        (_line("TariffsImposed", **_TARIFF).replace('"rate"', "Infinity"), "non-finite-number"),
        (_line("TariffsImposed", **_TARIFF).replace('"rate"', "1e400"), "float-range"),
        (_line("TariffsImposed", **_TARIFF).replace('"rate"', "1e-400"), "float-range"),
        (_line("TariffsImposed", **{**_TARIFF, "rate_percent": 10**400}), "float-range"),
        (_line("TariffsImposed", **{**_TARIFF, "rate_percent": 2.5}), "agree"),
        (_line("CeasefireAgreed", ceasefire_id="c1", parties=["RUS", "UKR"], starts="2025-07-10"), "agree"),
        (
            _line(
                "CeasefireAgreed",
                ceasefire_id="c1",
                parties=["RUS", "UKR"],
                starts="2025-07-10",
                ends="2025-07-01",
            ),
            "between-fields",
        ),
        (_line("PrisonerExchangeAgreed", **_SWAP, terms={"RUS": 1, "UKR": 2}), "agree"),
        (_line("PrisonerExchangeAgreed", **_SWAP, terms={"RUS": 1, "USA": 2}), "between-fields"),
    ],
)
def test_known_lines_are_classified_by_their_cause(line: str, cause: str) -> None:
    """Lines whose verdicts are known get the cause that explains them, or agree."""
    assert classify(line, verdicts(line)) == cause


def test_an_unexplained_disagreement_is_unclassified() -> None:
    """A disagreement that no documented cause explains is left unclassified, so the property fails."""
    line = _line()
    assert classify(line, {"decoder": "accept", "jsonschema": "refuse", "jsonschema-rs": "refuse"}) is None
    assert classify(line, {"decoder": "refuse", "jsonschema": "accept", "jsonschema-rs": "refuse"}) is None
    assert (
        classify(
            _line(id="a\ud800"), {"decoder": "accept", "jsonschema": "accept", "jsonschema-rs": "cannot read"}
        )
        is None
    )


def _documented_causes() -> list[str]:
    """The causes that docs/format.md lists under "Where the schema and the decoder differ"."""
    text = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    section = text.split("\n## Where the schema and the decoder differ\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z-]+)` \|", section, flags=re.MULTILINE)


def test_the_documented_differences_are_the_tested_ones() -> None:
    """docs/format.md lists exactly the causes this test accepts, in the same order."""
    assert _documented_causes() == list(DIFFERENCES)
