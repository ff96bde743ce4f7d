r"""The wire forms of the values as regular expressions: one statement of each rule, used by the
validators (through :mod:`negotiations.domain.values`) and exported in the JSON Schema.

Every pattern is written for every engine a schema validator may use: no lookaround (RE2 and
Rust's ``regex`` have none), characters spelt out rather than ``\s`` (whose meaning differs
between engines), and whole-string anchors that :func:`whole` adds.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DAY_PATTERN",
    "LINE_BREAKS",
    "PARTIAL_DATE_PATTERN",
    "PARTIAL_DAY_PATTERN",
    "PARTY_PATTERN",
    "PYTHON_WHITESPACE",
    "RECORDED_PATTERN",
    "TEXT_PATTERN",
    "char_class",
    "whole",
]


def whole(body: str) -> str:
    """A pattern that matches a string when ``body`` matches all of it, as JSON Schema (ECMA-262)
    searches with it, and as ``re.fullmatch`` matches with it. It uses no lookaround, so that
    engines without it (RE2, Rust's ``regex``) read it too.

    Searched with Python's ``re.search`` (as the ``jsonschema`` package does), ``$`` also matches
    before a final newline; the JSON Schema adds :data:`LINE_BREAKS` where that matters.
    """
    return f"^(?:{body})$"


LINE_BREAKS: Final = "\n\r\x85\u2028\u2029"
"""The characters before which, at the end of a string, some engines' ``$`` matches too (Python's,
.NET's and Java's ``$`` read a final line break as the end)."""


PYTHON_WHITESPACE: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character for which ``str.isspace()`` holds, the rule of blank text (a test checks it
against all of Unicode). ECMA-262's ``\\s`` is another set, so patterns spell these out."""


def char_class(chars: str, *, negate: bool = False) -> str:
    r"""A regular expression character class of exactly ``chars`` (or of all others, ``negate``),
    runs of them as ranges. The characters stand in it as themselves, which every engine reads
    alike (``\u0000`` is not RE2's, ``\x{0}`` not ECMA-262's), but for those a class gives a
    meaning to (``]``, ``\``, ``^``, ``-``), escaped.
    """

    def one(code: int) -> str:
        return f"\\{chr(code)}" if chr(code) in "]\\^-" else chr(code)

    codes = sorted({ord(c) for c in chars})
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        parts.append(one(start) if start == prev else f"{one(start)}-{one(prev)}")
        start = prev = code
    return f"[{'^' if negate else ''}{''.join(parts)}]"


TEXT_PATTERN: Final = whole(
    f"{char_class(PYTHON_WHITESPACE)}*{char_class(PYTHON_WHITESPACE + chr(0), negate=True)}"
    f"{char_class(chr(0), negate=True)}*"
)
"""The regular expression every text matches: no NUL, and something other than whitespace (in
the sense of ``str.isspace()``). Whitespace, then the first other character, then the rest: each
character has one place to go, so matching takes time in proportion to the text."""

PARTY_PATTERN: Final = whole("[A-Z][A-Z0-9]{1,7}")
"""The regular expression every party code matches."""

_YEAR: Final = "[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3}"
"""Any year from 0001 to 9999 (there is no year 0000)."""
_MONTH: Final = "0[1-9]|1[0-2]"
_MONTH_DAY: Final = (
    f"(?:{_MONTH})-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31"
)
"""A month and a day that every year has: all but 29 February."""
_LEAP_YEAR: Final = "[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00"
"""A leap year of the Gregorian calendar: divisible by 4, and not by 100 unless by 400."""
_DAY: Final = f"(?:{_YEAR})-(?:{_MONTH_DAY})|(?:{_LEAP_YEAR})-02-29"
"""A day of the Gregorian calendar, ``YYYY-MM-DD``, from 0001-01-01 to 9999-12-31."""

DAY_PATTERN: Final = whole(_DAY)
"""The regular expression every whole day (``YYYY-MM-DD``) matches: exactly the days that exist."""

PARTIAL_DATE_PATTERN: Final = whole(f"(?:(?:{_YEAR})(?:-(?:{_MONTH}))?|{_DAY})[?~]?")
"""The regular expression every partial date matches: exactly the years, months and days that
exist, each maybe followed by a qualifier."""

PARTIAL_DAY_PATTERN: Final = whole(f"(?:{_DAY})[?~]?")
"""The regular expression of a partial date that is a whole day (maybe qualified)."""

_HOUR_MINUTE: Final = "(?:[01][0-9]|2[0-3]):[0-5][0-9]"
RECORDED_PATTERN: Final = whole(
    f"(?:{_DAY})T{_HOUR_MINUTE}(?::[0-5][0-9](?:\\.[0-9]{{1,6}})?)?(?:Z|[+-]{_HOUR_MINUTE})"
)
"""The wire form of a moment such as ``recorded``: an RFC 3339 datetime with its UTC offset (of
less than a day), from 0001 to 9999; seconds go up to 59 (Python has no leap seconds)."""
