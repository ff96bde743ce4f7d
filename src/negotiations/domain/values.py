"""The values events are made of: parties, persons, sources and partial dates.

A partial date is the EDTF subset ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, optionally ending in
``?`` (uncertain) or ``~`` (approximate). It stands for the interval of days it may mean:
``2025-06`` is 2025-06-01 to 2025-06-30. Comparisons are defined on that interval:

- :meth:`PartialDate.may_be_on_or_before` holds when the earliest day is on or before a day.
  This is the rule views use for ``as_of``: an event counts once it may have happened.
- :meth:`PartialDate.is_on_or_before` holds when the latest day is on or before a day: it surely
  happened by then.
- ``a < b`` orders partial dates by earliest day, then latest day, then text, which sorts a
  timeline chronologically with the more precise date first.

The qualifiers do not widen the interval; they are kept and shown, never dropped.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal, NewType

from attrs import Attribute, field, frozen

from negotiations.domain.patterns import (
    DAY_PATTERN,
    LINE_BREAKS,
    PARTIAL_DATE_PATTERN,
    PARTIAL_DAY_PATTERN,
    PARTY_PATTERN,
    PYTHON_WHITESPACE,
    RECORDED_PATTERN,
    TEXT_PATTERN,
)
from negotiations.domain.rules import Rule, keeps
from negotiations.errors import InvalidValueError

__all__ = [
    "DAY_PATTERN",
    "LINE_BREAKS",
    "OPTIONAL_TEXT",
    "PARTIAL_DATE_PATTERN",
    "PARTIAL_DAY_PATTERN",
    "PARTY",
    "PARTY_PATTERN",
    "PYTHON_WHITESPACE",
    "RECORDED_PATTERN",
    "TEXT",
    "TEXT_PATTERN",
    "PartialDate",
    "Party",
    "Person",
    "Qualifier",
    "Source",
    "check_party",
    "check_text_chars",
    "parse_day",
    "parse_moment",
    "parse_recorded",
]

Party = NewType("Party", str)
"""A party's code: ISO 3166-1 alpha-3 for a state (``RUS``), a short code for an organisation
(``EU``) or group (``G7``). Two to eight uppercase letters and digits, a letter first."""


_PARTY_RE: Final = re.compile(PARTY_PATTERN)
_PARTIAL_RE: Final = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([?~]?)$")
_DAY_RE: Final = re.compile(DAY_PATTERN)
_DAY_SHAPE_RE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_RECORDED_RE: Final = re.compile(RECORDED_PATTERN)

TEXT: Final = Rule("text")
"""The rule of a required text."""
OPTIONAL_TEXT: Final = Rule("text", optional=True)
"""The rule of an optional text."""
PARTY: Final = Rule("pattern", pattern=_PARTY_RE)
"""The rule of a party code."""


Qualifier = Literal["", "?", "~"]
"""An EDTF qualifier: none, ``?`` (uncertain) or ``~`` (approximate)."""


def check_party(value: object, what: str | None = None) -> Party:
    """Return ``value`` as a :data:`Party`, or raise :class:`InvalidValueError` naming ``what``."""
    if not isinstance(value, str) or not _PARTY_RE.fullmatch(value):
        rule = "2 to 8 uppercase letters and digits, a letter first, such as RUS, EU or G7"
        reason = f"{value!r} is not a party code ({rule})"
        raise InvalidValueError(reason, field=what)
    return Party(value)


def parse_day(text: str, what: str | None = None) -> date:
    """Parse a whole day ``YYYY-MM-DD``, or raise :class:`InvalidValueError` naming ``what``."""
    try:
        if not _DAY_RE.fullmatch(text):
            raise ValueError  # noqa: TRY301 - one message for every malformed shape
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        raise InvalidValueError(f"{text!r} is not a date (YYYY-MM-DD)", field=what) from None


def parse_recorded(text: str, what: str | None = None) -> datetime:
    """Parse a datetime with its UTC offset (``2025-07-20T09:00:00+00:00``), or raise
    :class:`InvalidValueError` naming ``what``.
    """
    if not _RECORDED_RE.fullmatch(text):
        reason = f"{text!r} is not a datetime with a UTC offset (2025-07-20T09:00:00+00:00)"
        raise InvalidValueError(reason, field=what)
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidValueError(f"{text!r} is not a valid datetime: {exc}", field=what) from None


def parse_moment(text: str, what: str | None = None) -> datetime:
    """Parse a moment to cut a log at by record time: a datetime with its UTC offset, or a day
    ``YYYY-MM-DD`` that stands for its last instant in UTC.

    >>> parse_moment("2025-07-15")
    datetime.datetime(2025, 7, 15, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc)
    """
    if _DAY_SHAPE_RE.fullmatch(text):  # a day, or meant as one: parse_day says what is wrong
        return datetime.combine(parse_day(text, what), time.max, UTC)
    return parse_recorded(text, what)


def check_text_chars(value: str, name: str | None = None, where: str = "") -> None:
    """Reject what no text of a report holds and not every store can keep: NUL characters and
    lone surrogates (which are not Unicode text and cannot be written as UTF-8).
    """
    if "\x00" in value:
        raise InvalidValueError(f"{where}must not contain a NUL character", field=name)
    if value.isascii():  # the usual case, known without a scan: no surrogate can be in it
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValueError(
            f"{where}holds a lone surrogate, which is not Unicode text", field=name
        ) from None


@keeps(TEXT)
def _nonblank(_instance: object, attribute: Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise InvalidValueError(f"expected a string, got {type(value).__name__}", field=attribute.name)
    if not value or value.isspace():  # blank: what strip() would leave empty, without the copy
        raise InvalidValueError("must not be blank", field=attribute.name)
    check_text_chars(value, attribute.name)


@keeps(PARTY)
def _party(_instance: object, attribute: Attribute[Party], value: str) -> None:
    check_party(value, attribute.name)


@keeps(OPTIONAL_TEXT)
def _optional_nonblank(_instance: object, attribute: Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidValueError(f"expected a string, got {type(value).__name__}", field=attribute.name)
    if not value or value.isspace():  # blank: what strip() would leave empty, without the copy
        raise InvalidValueError("must not be blank when given", field=attribute.name)
    check_text_chars(value, attribute.name)


@keeps(Rule("exactly", optional=True, cls=date))
def _optional_day(_instance: object, attribute: Attribute[date | None], value: object) -> None:
    if value is not None and type(value) is not date:
        raise InvalidValueError(
            f"expected a date or nothing, got {type(value).__name__}", field=attribute.name
        )


@frozen(kw_only=True)
class Person:
    """Someone who speaks or acts for a party: ``Person(name="Dmitry Peskov", party="RUS",
    role="Kremlin spokesman")``.
    """

    name: str = field(validator=_nonblank)
    party: Party = field(validator=_party)
    role: str | None = field(default=None, validator=_optional_nonblank)


@frozen(kw_only=True)
class Source:
    """Where a fact was reported: the outlet and, when known, the url, the quote and the day it
    was published.
    """

    outlet: str = field(validator=_nonblank)
    url: str | None = field(default=None, validator=_optional_nonblank)
    quote: str | None = field(default=None, validator=_optional_nonblank)
    published: date | None = field(default=None, validator=_optional_day)


_QUALIFIER_RANK: Final = {"": 0, "?": 1, "~": 2}


@functools.total_ordering
@frozen(order=False)
class PartialDate:
    """A day, a month or a year, maybe qualified as uncertain (``?``) or approximate (``~``).

    Build one with :meth:`parse`; ``str()`` gives the EDTF text back exactly.
    """

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: Qualifier = ""
    earliest: date = field(init=False, eq=False, repr=False)
    """The first day the date may mean."""
    latest: date = field(init=False, eq=False, repr=False)
    """The last day the date may mean."""
    sort_rank: int = field(init=False, eq=False, repr=False)
    """One integer that orders partial dates exactly as :meth:`sort_key` does, compared
    without building a tuple: what keeps views in order of date cheaply."""
    _text: str = field(init=False, eq=False, repr=False)
    """The EDTF text, which views and snapshots write once for every item dated by it."""

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.year <= 9999:  # noqa: PLR2004 - the four digits of EDTF
            raise InvalidValueError(f"year {self.year} is out of range 1 to 9999")
        if self.day is not None and self.month is None:
            raise InvalidValueError("a day needs a month")
        if self.qualifier not in ("", "?", "~"):
            raise InvalidValueError(f"{self.qualifier!r} is not a qualifier ('?' or '~')")
        try:
            first = date(
                self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day
            )
        except ValueError as exc:
            raise InvalidValueError(str(exc)) from None
        if self.day is not None:
            last = first
        elif self.month is not None:
            last = first.replace(day=calendar.monthrange(self.year, self.month)[1])
        else:
            last = date(self.year, 12, 31)
        object.__setattr__(self, "earliest", first)
        object.__setattr__(self, "latest", last)
        # earliest day, then the span to the latest (at most 365 days: 9 bits), then the
        # qualifier ('' < '?' < '~': 2 bits)
        span = (last - first).days
        rank = (first.toordinal() << 11 | span) << 2 | _QUALIFIER_RANK[self.qualifier]
        object.__setattr__(self, "sort_rank", rank)
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        object.__setattr__(self, "_text", text + self.qualifier)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, each optionally ending in ``?`` or ``~``."""
        try:
            match = _PARTIAL_RE.fullmatch(text)
        except TypeError:
            match = None
        if match is None:
            reason = f"{text!r} is not a partial date (YYYY, YYYY-MM or YYYY-MM-DD, maybe + ? or ~)"
            raise InvalidValueError(reason)
        year, month, day, qualifier = match.groups()
        try:
            return cls(
                int(year),
                None if month is None else int(month),
                None if day is None else int(day),
                qualifier,  # type: ignore[arg-type]  # the regex admits only '', '?' or '~'
            )
        except InvalidValueError as exc:
            raise InvalidValueError(f"{text!r} is not a valid date: {exc.reason}") from None

    @classmethod
    def of(cls, day: date) -> PartialDate:
        """The exact partial date of a whole ``day``."""
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        """How much of the date is known."""
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    @property
    def is_day(self) -> bool:
        """Whether this is a whole day (with or without a qualifier)."""
        return self.day is not None

    def may_be_on_or_before(self, day: date) -> bool:
        """Whether the date may fall on or before ``day``: its earliest day is not after it."""
        return self.earliest <= day

    def is_on_or_before(self, day: date) -> bool:
        """Whether the date surely falls on or before ``day``: its latest day is not after it."""
        return self.latest <= day

    def plus_days(self, days: int) -> date:
        """The day ``days`` after this whole day. Raises if this is not a whole day."""
        if self.day is None:
            raise InvalidValueError(f"{self!s} is not a whole day, so days cannot be counted from it")
        return self.earliest + timedelta(days=days)

    def sort_key(self) -> tuple[date, date, str]:
        """The key that orders partial dates: earliest day, latest day, then qualifier (none,
        ``?``, ``~``), which orders them as their text would. :attr:`sort_rank` orders them
        the same way as one integer.
        """
        return (self.earliest, self.latest, self.qualifier)

    def __lt__(self, other: object) -> bool:
        """Order by :meth:`sort_key`: earliest day, then latest day, then qualifier."""
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_rank < other.sort_rank

    def __str__(self) -> str:
        return self._text
