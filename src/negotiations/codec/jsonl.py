"""JSON Lines: one event a line, read into events, and written back.

This module reads and writes lines and knows nothing of logs: building a log from lines, which
checks each event against those before it, is :mod:`negotiations.log.files` (``load_log``,
``loads`` and ``check_lines``), one layer up.

Every reader is strict by default: an event of a kind this library does not know is an error
naming its line. With ``lenient=True`` such an event, or one in a ``schema_version`` newer than
this library reads, is kept as an :class:`~negotiations.domain.events.OpaqueEvent` instead, and
writing it out again gives back its JSON object unchanged.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from negotiations.codec._converter import encode, load_json, structure, unstructure
from negotiations.domain.events import Event
from negotiations.errors import DecodeError, NegotiationsError

__all__ = [
    "decode_line",
    "dumps",
    "encode_line",
    "from_json",
    "numbered_lines",
    "read_events",
    "to_json",
    "write_events",
]


def to_json(event: Event) -> dict[str, Any]:
    """The JSON object of ``event``: ``type`` first, then its fields; absent optional fields are
    left out.
    """
    return unstructure(event)


def from_json(obj: object, *, lenient: bool = False) -> Event:
    """The event a decoded JSON object stands for. Raises :class:`DecodeError` naming the field.

    With ``lenient``, an object of an unknown kind becomes an
    :class:`~negotiations.domain.events.OpaqueEvent`.
    """
    return structure(obj, lenient=lenient)


def encode_line(event: Event) -> str:
    """One line of JSON for ``event``, without the newline."""
    return encode(event)


def decode_line(text: str, *, line: int | None = None, lenient: bool = False) -> Event:
    """The event on one line of JSON. Raises :class:`DecodeError` naming ``line`` and the field.

    With ``lenient``, an event of an unknown kind becomes an
    :class:`~negotiations.domain.events.OpaqueEvent`.
    """
    try:
        obj = load_json(text)
    except DecodeError as exc:  # JSON that the format refuses: a key twice, NaN, a lone surrogate
        raise exc.at_line(line) if line is not None else exc from None
    except json.JSONDecodeError as exc:
        raise DecodeError(f"not valid JSON: {exc.msg} at column {exc.colno}", line=line) from None
    except (ValueError, RecursionError) as exc:  # too deep, or a number too long to convert
        raise DecodeError(f"not usable JSON: {exc}", line=line) from None
    try:
        return structure(obj, lenient=lenient)
    except NegotiationsError as exc:
        raise exc.at_line(line) if line is not None else exc from None


def numbered_lines(lines: Iterable[str] | Iterable[bytes]) -> Iterator[tuple[int, str | DecodeError]]:
    """The non-blank lines with their 1-based numbers. Lines given as bytes are decoded as UTF-8;
    a line that is not UTF-8 comes as the :class:`DecodeError` naming it, so that a caller may
    report it and go on. A byte order mark at the start of the first line is dropped: editors on
    some systems write one, and it is no part of the JSON.
    """
    items: Iterable[str | bytes] = lines
    for number, line in enumerate(items, 1):
        if isinstance(line, bytes):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]  # noqa: PLW2901 - the same line, without its mark
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, DecodeError(f"not UTF-8 text ({exc.reason})", line=number)
                continue
        else:
            text = line[1:] if number == 1 and line.startswith("\ufeff") else line
        if text.strip():
            yield number, text


def _numbered(lines: Iterable[str] | Iterable[bytes]) -> Iterator[tuple[int, str]]:
    """The non-blank lines with their 1-based numbers, as :func:`numbered_lines` gives them; a
    line that is not UTF-8 raises its :class:`DecodeError`.
    """
    for number, text in numbered_lines(lines):
        if isinstance(text, DecodeError):
            raise text
        yield number, text


def read_events(lines: Iterable[str] | Iterable[bytes], *, lenient: bool = False) -> Iterator[Event]:
    """Decode events from lines of JSON, skipping blank lines. Raises :class:`DecodeError` with
    the line number at the first bad line. ``lenient`` is as for :func:`decode_line`.
    """
    for number, text in _numbered(lines):
        yield decode_line(text, line=number, lenient=lenient)


def write_events(events: Iterable[Event], stream: IO[str]) -> int:
    """Write events to a text stream as JSON Lines, one at a time; return how many."""
    count = 0
    for event in events:
        stream.write(encode_line(event))
        stream.write("\n")
        count += 1
    return count


def dumps(events: Iterable[Event]) -> str:
    """Events as a JSON Lines string, each line ending in a newline."""
    return "".join(f"{encode_line(event)}\n" for event in events)
