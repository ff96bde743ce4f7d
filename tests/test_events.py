"""Events check the types of their fields, whether built in Python or decoded."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from negotiations import (
    CeasefireAgreed,
    DeadlineSet,
    DecodeError,
    InvalidValueError,
    PartialDate,
    Party,
    Person,
    Source,
    StatementMade,
    TariffsImposed,
    Term,
    decode_line,
)

ENVELOPE: dict[str, Any] = {
    "id": "x",
    "occurred": PartialDate.parse("2025-07-14"),
    "recorded": datetime(2025, 7, 20, tzinfo=UTC),
}


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: DeadlineSet(**ENVELOPE, deadline_id="d", issuer=Party("USA"), target=Party("RUS"),
                             demand="a ceasefire", due="2025-09-02"), "due"),  # type: ignore[arg-type]
        (lambda: DeadlineSet(**ENVELOPE, deadline_id="d", issuer=Party("USA"), target=Party("RUS"),
                             demand="a ceasefire", due=datetime(2025, 9, 2, tzinfo=UTC)), "due"),
        (lambda: CeasefireAgreed(**ENVELOPE, ceasefire_id="c", parties=(Party("RUS"), Party("UKR")),
                                 starts="2025-09-01"), "starts"),  # type: ignore[arg-type]
        (lambda: StatementMade(**ENVELOPE, party=Party("UKR"), summary="s", speaker="Zelenskyy"), "speaker"),  # type: ignore[arg-type]
        (lambda: Person(name=None, party=Party("RUS")), "name"),  # type: ignore[arg-type]
        (lambda: Source(outlet="o", published="2025-07-20"), "published"),  # type: ignore[arg-type]
    ],
)  # fmt: skip
def test_wrong_python_types_are_rejected(build: Any, field: str) -> None:  # noqa: ANN401 - any builder
    """A field given a value of the wrong type raises InvalidValueError naming the field."""
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert caught.value.field == field


def test_a_day_is_not_a_datetime() -> None:
    """A whole-day field takes a date; the deadline then falls due on it."""
    event = DeadlineSet(
        **ENVELOPE,
        deadline_id="d",
        issuer=Party("USA"),
        target=Party("RUS"),
        demand="a ceasefire",
        due=date(2025, 9, 2),
    )
    assert event.due_day == date(2025, 9, 2)


@pytest.mark.parametrize(
    ("extra", "field", "reason"),
    [
        ({"sources": [True]}, "sources.0", "expected an object, got a boolean"),
        ({"speaker": True}, "speaker", "expected an object, got a boolean"),
        (
            {"speaker": {"name": "Peskov", "party": "RUS", "rank": 1}},
            "speaker.rank",
            "is not a field of Person",
        ),
        ({"mood": "calm"}, "mood", "is not a field of StatementMade"),
    ],
)
def test_nested_errors_name_their_path(extra: dict[str, Any], field: str, reason: str) -> None:
    """A decoded value that is not an object, or has a field it should not, is named by its path."""
    line = {
        "type": "StatementMade",
        "id": "x",
        "occurred": "2025",
        "recorded": "2025-07-20T00:00:00Z",
        "party": "RUS",
        "summary": "s",
        **extra,
    }
    with pytest.raises(DecodeError) as caught:
        decode_line(json.dumps(line), line=4)
    assert (caught.value.line, caught.value.field) == (4, field)
    assert reason in caught.value.reason


def test_a_whole_number_from_python_is_a_number() -> None:
    """A number field given a whole number from Python holds it as a float, which equals the
    same event decoded from JSON; a bool is refused, naming the field.
    """
    term = Term(term_id="hostages", party=Party("HAMAS"), commitment="release", quantity=20)
    assert type(term.quantity) is float
    assert term == Term(term_id="hostages", party=Party("HAMAS"), commitment="release", quantity=20.0)
    tariff = TariffsImposed(**ENVELOPE, imposer=Party("USA"), target=Party("CHN"), rate_percent=30)
    line = json.dumps({"type": "TariffsImposed", "schema_version": 1, "id": "x", "occurred": "2025-07-14",
                       "recorded": "2025-07-20T00:00:00+00:00", "imposer": "USA", "target": "CHN",
                       "rate_percent": 30})  # fmt: skip
    assert decode_line(line) == tariff
    with pytest.raises(InvalidValueError) as caught:
        Term(term_id="t", party=Party("HAMAS"), commitment="c", quantity=True)
    assert caught.value.field == "quantity"
