r"""Text for a terminal: made safe, and wrapped to a width.

:func:`printable` is the one place where text from a log is escaped before it is printed, in
``show``'s tables and in every error message.

A log's text comes from people and from other services, and some of it is hostile. Printed raw,
a newline in an id forges an extra output line, and an ESC sequence in a summary clears the
screen or recolours it. :func:`printable` writes each such character as a visible escape, the way
Python's ``repr`` does (``\n``, ``\x1b``, ``\u202e``), and leaves all other text, accents,
scripts and emoji included, as it is.
"""

from __future__ import annotations

import re
import textwrap
from typing import Final

__all__ = ["printable", "printable_json", "wrap"]

_UNSAFE_PAST_C0: Final = (
    "\x7f-\x9f"  # DEL and the C1 controls, such as CSI
    "\u2028\u2029"  # line and paragraph separators, which some terminals break lines at
    "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, overrides and isolates
    "\ud800-\udfff"  # lone surrogates: not text, and not writable as UTF-8
)
_UNSAFE: Final = re.compile(f"[\x00-\x1f{_UNSAFE_PAST_C0}]")
"""Every character :func:`printable` escapes: the C0 controls (newlines, tabs, ESC) and the rest."""
_UNSAFE_IN_JSON: Final = re.compile(f"[{_UNSAFE_PAST_C0}]")
"""What JSON text may still hold raw after ``json.dumps(..., ensure_ascii=False)``, which escapes
the C0 controls in strings itself."""

_NAMED: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"  # noqa: PLR2004 - one byte or four digits


def printable(text: str) -> str:
    r"""``text`` with every control character, line separator, bidirectional control and lone
    surrogate written as a visible escape, so that it prints as one line that cannot move the
    cursor, recolour the terminal or reorder what follows it.

    >>> printable("ok\nline 2: \x1b[2J")
    'ok\\nline 2: \\x1b[2J'
    >>> printable("Zelensky – Зеленський")
    'Zelensky – Зеленський'
    """
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def printable_json(text: str) -> str:
    r"""JSON text, as ``json.dumps(..., ensure_ascii=False)`` writes it, with every character a
    terminal may act on inside its strings written as a ``\uXXXX`` escape: the same JSON value,
    safe to print, and still readable in any script.

    >>> printable_json('{"summary": "a\u202eb\x9b"}')
    '{"summary": "a\\u202eb\\u009b"}'
    """
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SPLITTER: Final = textwrap.TextWrapper()
"""Splits text into the words and spaces that :func:`textwrap.wrap` fills lines with."""

_SOLID: Final = re.compile(r"\S")
"""A character that ``str.strip()`` keeps (``re``'s ``\\s`` is ``str.isspace()``)."""


def wrap(text: str, width: int) -> list[str]:
    """The lines :func:`textwrap.wrap` gives for ``text`` at ``width`` (default options), in time
    linear in the length of the text.

    ``textwrap`` copies the rest of a word too long for a line each time it breaks one off, so one
    unbroken word of ten megabytes took seconds. This fills lines the same way, word by word,
    breaking a long word after a hyphen where it can, but walks a long word by its offset instead
    of copying what is left of it.

    >>> wrap("Ceasefire talks in Istanbul-on-Bosphorus resumed", 16)
    ['Ceasefire talks', 'in Istanbul-on-', 'Bosphorus', 'resumed']
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    chunks = _SPLITTER._split_chunks(text)  # noqa: SLF001 - textwrap's own splitting, kept exact
    lines: list[str] = []
    count = len(chunks)
    index = offset = 0  # the next chunk, and how much of it earlier lines took (a long word)
    solid = (-1, 0)  # a chunk, and where its first non-space at or after ``offset`` is
    while index < count:
        line: list[str] = []
        length = 0
        # A line after the first does not start with a space (nor with what is left of one).
        if lines:
            if solid[0] != index or solid[1] < offset:
                found = _SOLID.search(chunks[index], offset)
                solid = (index, len(chunks[index]) if found is None else found.start())
            if solid[1] == len(chunks[index]):
                index, offset = index + 1, 0
        while index < count and length + len(chunks[index]) - offset <= width:
            chunk = chunks[index]
            line.append(chunk[offset:] if offset else chunk)
            length += len(chunk) - offset
            index, offset = index + 1, 0
        if index < count and len(chunks[index]) - offset > width:
            offset += _break_long_word(chunks[index], offset, width - length, line)
        if line and not line[-1].strip():
            line.pop()
        if line:
            lines.append("".join(line))
    return lines


def _break_long_word(chunk: str, offset: int, space: int, line: list[str]) -> int:
    """Put as much of ``chunk`` from ``offset`` as fits in ``space`` onto ``line``, ending after
    its last hyphen there if anything but hyphens stands before it; return how much it took.
    """
    end = space
    hyphen = chunk.rfind("-", offset, offset + space) - offset
    if hyphen > 0 and chunk[offset : offset + hyphen].strip("-"):
        end = hyphen + 1
    line.append(chunk[offset : offset + end])
    return end
