"""The values events are made of: partial dates, their intervals and order, and party codes."""

from __future__ import annotations

import contextlib
import re
import sys
from datetime import date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from negotiations.domain.values import (
    DAY_PATTERN,
    PARTIAL_DATE_PATTERN,
    PARTIAL_DAY_PATTERN,
    PARTY_PATTERN,
    PYTHON_WHITESPACE,
    RECORDED_PATTERN,
    TEXT_PATTERN,
    PartialDate,
    Person,
    Source,
    check_party,
    parse_day,
    parse_recorded,
)
from negotiations.errors import InvalidValueError
from negotiations.testing import days, partial_dates, parties

# Texts shaped like partial dates, whose year, month and day may not exist: 2025-13, 2025-02-30.
_DATE_LIKE = st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[?~]?", fullmatch=True)


def _names_a_real_date(text: str) -> bool:
    """The oracle: ``text`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (maybe with ``?`` or ``~``)
    and its year, month and day exist in Python's calendar.
    """
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[?~]?", text):
        return False
    year, month, day = (int(part) for part in [*text.rstrip("?~").split("-"), "1", "1"][:3])
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _matches(pattern: str, text: str) -> bool:
    """Whether an anchored JSON Schema ``pattern`` matches ``text`` as ECMA-262 reads it: ``^`` at
    the start and ``$`` at the very end only, which is what ``re.fullmatch`` does.
    """
    return re.fullmatch(pattern, text) is not None


# -- parsing and text ---------------------------------------------------------------------------


@given(partial_dates())
def test_partial_date_text_round_trips(value: PartialDate) -> None:
    """A partial date parses back from its text to an equal date with the same text."""
    parsed = PartialDate.parse(str(value))
    assert parsed == value
    assert str(parsed) == str(value)
    assert (parsed.earliest, parsed.latest) == (value.earliest, value.latest)


@given(_DATE_LIKE)
@example("2025-02-29")
@example("2024-02-29")
@example("0000")
@example("2025-00")
@example("2025-03-00")
@example("2025\n")
@example("2025-07-20\n")
def test_parse_accepts_exactly_the_real_dates(text: str) -> None:
    """A date-shaped text parses, to a date with that text, exactly when its day exists; and
    exactly then PARTIAL_DATE_PATTERN, the schema's pattern, matches it.
    """
    assert _matches(PARTIAL_DATE_PATTERN, text) == _names_a_real_date(text)
    if _names_a_real_date(text):
        assert str(PartialDate.parse(text)) == text
    else:
        with pytest.raises(InvalidValueError):
            PartialDate.parse(text)


@pytest.mark.parametrize(
    "text",
    ["", "25", "2025-1", "2025-001", "2025-06-1", "2025/06/14", "2025-06-14T00:00", "June 2025", "2025??"],
)
def test_malformed_partial_dates_raise(text: str) -> None:
    """A text not in the form YYYY, YYYY-MM or YYYY-MM-DD (maybe with ? or ~) is rejected."""
    with pytest.raises(InvalidValueError, match="not a partial date"):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13", "2025-04-31", "0000"])
def test_impossible_partial_dates_raise(text: str) -> None:
    """A well-formed text naming a day, month or year that does not exist is rejected."""
    with pytest.raises(InvalidValueError, match=re.escape(repr(text))):
        PartialDate.parse(text)


@given(st.text(max_size=14))
def test_parse_raises_only_invalid_value_error(text: str) -> None:
    """Any text parses to a partial date or raises InvalidValueError, nothing else."""
    with contextlib.suppress(InvalidValueError):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["2025-00", "2025-00-05", "2025-03-00", "2025-00~"])
def test_month_or_day_zero_is_not_a_partial_date(text: str) -> None:
    """A month or day of 00 is rejected, as PARTIAL_DATE_PATTERN rejects it."""
    assert not _matches(PARTIAL_DATE_PATTERN, text)
    with pytest.raises(InvalidValueError):
        PartialDate.parse(text)


def test_trailing_newline_is_not_a_partial_date() -> None:
    """A partial date followed by a newline is rejected, not read as the date."""
    with pytest.raises(InvalidValueError):
        PartialDate.parse("2025\n")


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2025, None, 1), (0, None, None), (10_000, None, None), (2025, 2, 29), (2025, 13, None)],
)
def test_constructor_rejects_impossible_dates(year: int, month: int | None, day: int | None) -> None:
    """Building a partial date of a day without a month, or one that does not exist, raises."""
    with pytest.raises(InvalidValueError):
        PartialDate(year, month, day)


def test_constructor_rejects_unknown_qualifier() -> None:
    """A qualifier other than '', '?' or '~' raises."""
    with pytest.raises(InvalidValueError, match="qualifier"):
        PartialDate(2025, qualifier="!")  # type: ignore[arg-type]  # the point of the test


@given(days())
def test_of_a_day_is_that_day(day: date) -> None:
    """PartialDate.of gives the exact day, whose text is the ISO date."""
    value = PartialDate.of(day)
    assert str(value) == day.isoformat()
    assert value.earliest == value.latest == day
    assert value.is_day


# -- the interval -------------------------------------------------------------------------------


@given(partial_dates(precisions=["year"]))
def test_a_year_spans_the_year(value: PartialDate) -> None:
    """A year means 1 January to 31 December of it."""
    assert value.precision == "year"
    assert value.earliest == date(value.year, 1, 1)
    assert value.latest == date(value.year, 12, 31)


@given(partial_dates(precisions=["month"]))
def test_a_month_spans_the_month(value: PartialDate) -> None:
    """A month means its first to its last day."""
    assert value.precision == "month"
    assert value.earliest == date(value.year, value.month or 0, 1)
    assert value.latest.month == value.month
    assert (value.latest + timedelta(days=1)).day == 1


@given(partial_dates(precisions=["day"]))
def test_a_day_spans_itself(value: PartialDate) -> None:
    """A day means just that day."""
    assert value.precision == "day"
    assert value.is_day
    assert value.earliest == value.latest == date(value.year, value.month or 0, value.day or 0)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
        ("2025-06~", date(2025, 6, 1), date(2025, 6, 30)),
        ("2025?", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025-07-14?", date(2025, 7, 14), date(2025, 7, 14)),
    ],
)
def test_interval_examples(text: str, earliest: date, latest: date) -> None:
    """Leap years, month lengths and qualified dates have the expected first and last day."""
    value = PartialDate.parse(text)
    assert (value.earliest, value.latest) == (earliest, latest)


@given(partial_dates(qualifiers=False), st.sampled_from(["?", "~"]))
def test_qualifiers_keep_the_interval(value: PartialDate, qualifier: str) -> None:
    """A qualifier is kept in the text but does not widen the interval."""
    qualified = PartialDate.parse(f"{value}{qualifier}")
    assert str(qualified).endswith(qualifier)
    assert qualified != value
    assert (qualified.earliest, qualified.latest) == (value.earliest, value.latest)


@given(partial_dates(), st.integers(0, 400))
def test_plus_days_counts_from_a_whole_day(value: PartialDate, n: int) -> None:
    """Days count from a whole day; from a month or a year they raise."""
    if value.is_day:
        assert value.plus_days(n) == value.earliest + timedelta(days=n)
    else:
        with pytest.raises(InvalidValueError, match="not a whole day"):
            value.plus_days(n)


# -- may be / surely on or before ---------------------------------------------------------------


@given(partial_dates(), days())
def test_on_or_before_follows_the_interval(value: PartialDate, day: date) -> None:
    """'May be on or before' looks at the earliest day, 'is on or before' at the latest."""
    assert value.may_be_on_or_before(day) == (value.earliest <= day)
    assert value.is_on_or_before(day) == (value.latest <= day)


@given(partial_dates(), days())
def test_surely_before_implies_maybe_before(value: PartialDate, day: date) -> None:
    """What surely happened by a day may have happened by it; for a whole day the two agree."""
    if value.is_on_or_before(day):
        assert value.may_be_on_or_before(day)
    if value.is_day:
        assert value.is_on_or_before(day) == value.may_be_on_or_before(day)


def test_a_month_may_but_need_not_be_before_a_day_in_it() -> None:
    """June 2025 may have happened by 10 June, but not surely; by 30 June it surely did."""
    june = PartialDate.parse("2025-06")
    assert june.may_be_on_or_before(date(2025, 6, 10))
    assert not june.is_on_or_before(date(2025, 6, 10))
    assert june.is_on_or_before(date(2025, 6, 30))
    assert not june.may_be_on_or_before(date(2025, 5, 31))


# -- order --------------------------------------------------------------------------------------


@given(partial_dates(), partial_dates())
def test_order_is_total_and_agrees_with_equality(a: PartialDate, b: PartialDate) -> None:
    """Of two partial dates exactly one is less, or they are equal; <=, > and >= agree."""
    assert [a < b, a == b, b < a].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a > b) == (b < a)
    assert (a >= b) == (b <= a)


@given(partial_dates(), partial_dates(), partial_dates())
def test_order_is_transitive(a: PartialDate, b: PartialDate, c: PartialDate) -> None:
    """If a < b and b < c then a < c."""
    if a < b < c:
        assert a < c


@given(st.lists(partial_dates(), max_size=10))
def test_sorting_is_chronological(values: list[PartialDate]) -> None:
    """Sorted partial dates go by earliest day, then the narrower interval first."""
    ordered = sorted(values)
    keys = [(v.earliest, v.latest) for v in ordered]
    assert keys == sorted(keys)


def test_more_precise_date_sorts_first() -> None:
    """On the same first day, a day sorts before its month, and the month before its year."""
    texts = ["2025", "2025-01", "2025-01-01", "2024-12-31~"]
    assert [str(d) for d in sorted(map(PartialDate.parse, texts))] == [
        "2024-12-31~",
        "2025-01-01",
        "2025-01",
        "2025",
    ]


# -- parties, persons, sources and days ---------------------------------------------------------


@given(parties())
def test_generated_party_codes_are_valid(code: str) -> None:
    """Every party code the strategy gives passes the check, unchanged."""
    assert check_party(code) == code


def _is_party_code(text: str) -> bool:
    """The rule of a party code, written out by hand: 2 to 8 characters, each an uppercase ASCII
    letter or digit, the first a letter.
    """
    letters, digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
    return 2 <= len(text) <= 8 and text[0] in letters and all(c in letters + digits for c in text)


@given(st.one_of(st.text(max_size=10), st.from_regex(r"[A-Za-z0-9]{1,10}", fullmatch=True)))
@example("RU")
@example("R")
@example("ABCDEFGHI")
@example("rus")
@example("RUS\n")
@example("G7")
@example("G20")
@example("7G")
@example("E3")
@example("G٣")
def test_party_codes_are_two_to_eight_uppercase_letters_and_digits(text: str) -> None:
    """A party code is accepted exactly when it is two to eight uppercase ASCII letters and
    digits with a letter first, and exactly then PARTY_PATTERN matches it.
    """
    assert _matches(PARTY_PATTERN, text) == _is_party_code(text)
    if _is_party_code(text):
        assert check_party(text) == text
    else:
        with pytest.raises(InvalidValueError, match="not a party code"):
            check_party(text, "party")


def test_party_code_with_trailing_newline_is_rejected() -> None:
    """'RUS' followed by a newline is not a party code (the JSON Schema rejects it too)."""
    with pytest.raises(InvalidValueError):
        check_party("RUS\n")


def test_bad_party_error_names_the_field() -> None:
    """A bad party code's error names the field it was checked for."""
    with pytest.raises(InvalidValueError) as info:
        Person(name="Dmitry Peskov", party="Russia")  # type: ignore[arg-type]  # the point of the test
    assert info.value.field == "party"


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_blank_person_or_outlet_raises(name: str) -> None:
    """A person's name and a source's outlet must not be blank."""
    with pytest.raises(InvalidValueError, match="blank"):
        Person(name=name, party="RUS")  # type: ignore[arg-type]  # a plain str is a Party code
    with pytest.raises(InvalidValueError, match="blank"):
        Source(outlet=name)


@given(days())
def test_parse_day_round_trips(day: date) -> None:
    """A whole day parses back from its ISO text."""
    assert parse_day(day.isoformat()) == day


@pytest.mark.parametrize("text", ["2025-6-1", "2025-06", "2025-02-30", "20250601", "2025-06-01 "])
def test_parse_day_rejects_anything_but_a_whole_day(text: str) -> None:
    """Only YYYY-MM-DD naming a real day parses as a day, and the error names the field."""
    with pytest.raises(InvalidValueError) as info:
        parse_day(text, "due")
    assert info.value.field == "due"


@given(partial_dates(), partial_dates())
def test_sort_rank_orders_as_the_text_of_the_dates_breaks_ties(a: PartialDate, b: PartialDate) -> None:
    """sort_rank and sort_key order two partial dates alike: by earliest day, latest day, then
    by their EDTF text.
    """
    by_text = (a.earliest, a.latest, str(a)) < (b.earliest, b.latest, str(b))
    assert (a.sort_rank < b.sort_rank) == by_text
    assert (a.sort_key() < b.sort_key()) == by_text
    assert (a < b) == by_text
    assert (a.sort_rank == b.sort_rank) == (a == b)


# -- the patterns the JSON Schema states the rules with ------------------------------------------

_EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


def test_python_whitespace_is_what_isspace_calls_whitespace() -> None:
    """PYTHON_WHITESPACE holds exactly the characters for which str.isspace() holds."""
    assert sorted(PYTHON_WHITESPACE) == [c for c in _EVERY_CHARACTER if c.isspace()]


def _is_text(value: str) -> bool:
    """The oracle of the text rule: not blank by str.isspace(), and no NUL."""
    return value != "" and not value.isspace() and "\x00" not in value


_TEXT_LIKE = st.text(st.sampled_from([*PYTHON_WHITESPACE, "\x00", "a", "é", "\u200b", "\ufeff", "\n"]))


@given(st.one_of(_TEXT_LIKE, st.text()))
@example("")
@example("\x00")
@example("a\x00")
@example("a\n")
@example("\x1c\x1d\x1e\x1f")
@example("\ufeff")
def test_text_pattern_matches_exactly_the_texts(text: str) -> None:
    """TEXT_PATTERN matches a string exactly when it is not blank and holds no NUL."""
    assert _matches(TEXT_PATTERN, text) == _is_text(text)


@pytest.mark.parametrize("char", list(PYTHON_WHITESPACE))
def test_text_of_any_python_whitespace_is_blank(char: str) -> None:
    """Text made only of any one of Python's whitespace characters is blank, for the pattern and
    for the validators.
    """
    assert not _matches(TEXT_PATTERN, char * 3)
    with pytest.raises(InvalidValueError, match="blank"):
        Source(outlet=char * 3)


_YEARS = [1, 2, 3, 4, 99, 100, 400, 1600, 1700, 1800, 1900, 2000, 2023, 2024, 2025, 2100, 2400, 9996, 9999]


def _is_day(text: str) -> bool:
    """The oracle of a whole day: YYYY-MM-DD naming a day of Python's calendar."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if match is None:
        return False
    try:
        date(*(int(part) for part in match.groups()))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("year", [0, *_YEARS])
def test_day_pattern_matches_exactly_the_days_of_a_year(year: int) -> None:
    """For every month 00 to 13 and day 00 to 32 of a year, DAY_PATTERN matches exactly the days
    that exist, parse_day reads exactly those, and so does PARTIAL_DAY_PATTERN (with qualifiers).
    """
    for month in range(14):
        for day in range(33):
            text = f"{year:04d}-{month:02d}-{day:02d}"
            exists = _is_day(text)
            assert _matches(DAY_PATTERN, text) == exists, text
            assert _matches(PARTIAL_DAY_PATTERN, text + "~") == exists, text
            if exists:
                assert parse_day(text) == date(year, month, day)
            else:
                with pytest.raises(InvalidValueError):
                    parse_day(text)


@pytest.mark.parametrize("year", ["2024", "2000", "0004", "2400", "2023", "1900", "2100", "0000"])
def test_february_29_exists_in_leap_years_only(year: str) -> None:
    """29 February is a day in years divisible by 4 but not by 100 unless by 400; year 0 is none."""
    leap = year in {"2024", "2000", "0004", "2400"}
    assert _matches(DAY_PATTERN, f"{year}-02-29") == leap
    assert _matches(PARTIAL_DATE_PATTERN, f"{year}-02-29") == leap


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True) | st.dates().map(date.isoformat))
def test_day_pattern_matches_exactly_what_parse_day_reads(text: str) -> None:
    """DAY_PATTERN matches any date-shaped text exactly when it names a real day."""
    assert _matches(DAY_PATTERN, text) == _is_day(text)


def _is_moment(text: str) -> bool:
    """The oracle of a datetime: RFC 3339 with a UTC offset of less than a day, and no leap
    second, in Python's calendar.
    """
    match = re.fullmatch(
        r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,6})?)?"
        r"(?:Z|[+-]([0-9]{2}):([0-9]{2}))",
        text,
    )
    if match is None or not _is_day(match[1]):
        return False
    hour, minute, second, off_hour, off_minute = (int(part or 0) for part in match.groups()[1:])
    return hour < 24 and minute < 60 and second < 60 and off_hour < 24 and off_minute < 60


_MOMENT_LIKE = st.builds(
    "{}T{:02d}:{:02d}{}{}{}".format,
    st.sampled_from(["2025-07-20", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31"]),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["", ":00", ":59", ":60", ":99"]),
    st.sampled_from(["", ".1", ".123456", ".1234567"]),
    st.sampled_from(["Z", "z", "", "\n"])
    | st.builds("{}{:02d}:{:02d}".format, st.sampled_from("+-"), st.integers(0, 99), st.integers(0, 99)),
)


@given(_MOMENT_LIKE)
@example("2025-07-20T25:00:00+00:00")
@example("2025-07-20T24:00:00+00:00")
@example("2025-07-20T09:00:00+99:99")
@example("2025-07-20T09:00:00+24:00")
@example("2025-07-20T09:00:00+00:60")
@example("2025-07-20T09:00:00+23:59")
def test_recorded_pattern_matches_exactly_the_moments(text: str) -> None:
    """RECORDED_PATTERN matches a datetime-shaped text exactly when it is an RFC 3339 moment
    Python can hold, and parse_recorded reads exactly those, to the moment the text names.
    """
    assert _matches(RECORDED_PATTERN, text) == _is_moment(text)
    if _is_moment(text):
        assert parse_recorded(text) == datetime.fromisoformat(text)
    else:
        with pytest.raises(InvalidValueError):
            parse_recorded(text)
