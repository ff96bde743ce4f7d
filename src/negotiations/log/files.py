"""Logs from JSON Lines: a file, a stream or a string read into an :class:`EventLog`, and a check
that reports every error in lines of JSON.

Reading is all or nothing: :func:`load_log` returns a log only when every line is a valid event
that fits the log; otherwise it raises the first error, which names its line. :func:`check_lines`
reports every error instead, for ``negotiations validate``.

Every reader is strict by default: an event of a kind this library does not know is an error
naming its line. With ``lenient=True`` such an event, or one in a ``schema_version`` newer than
this library reads, is kept as an :class:`~negotiations.domain.events.OpaqueEvent` instead, and
writing it out again gives back its JSON object unchanged.

The lines themselves are read by the codec (:mod:`negotiations.codec.jsonl`), one layer down;
this module adds what only the log knows: whether each event fits the events before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from os import PathLike
from typing import IO

from negotiations.codec import decode_line, numbered_lines
from negotiations.domain.events import Event
from negotiations.errors import DecodeError, LogError, NegotiationsError
from negotiations.log._eventlog import EventLog

__all__ = ["check_lines", "load_log", "loads"]


def _append(log: EventLog, event: Event, number: int) -> EventLog:
    try:
        return log.append(event)
    except LogError as exc:
        raise exc.at_line(number) from None


def loads(text: str, *, lenient: bool = False) -> EventLog:
    """The log held in a JSON Lines string. Raises the first error, naming its line.
    ``lenient`` is as for :func:`~negotiations.codec.decode_line`.
    """
    # Split on newlines only: JSON text may hold U+2028 and its kin, which splitlines() breaks at.
    return _load(text.split("\n"), lenient=lenient)


def load_log(source: str | PathLike[str] | IO[str] | IO[bytes], *, lenient: bool = False) -> EventLog:
    """The log held in a JSON Lines file (a path, or a stream open for reading).

    Raises :class:`DecodeError` or :class:`LogError` for the first bad line, naming it. Nothing
    is returned from a bad file, so nothing from it is half-loaded. ``lenient`` is as for
    :func:`~negotiations.codec.decode_line`.
    """
    if isinstance(source, str | PathLike):
        with open(source, "rb") as stream:  # noqa: PTH123 - Path.open would import pathlib at start-up
            return _load(stream, lenient=lenient)
    return _load(source, lenient=lenient)


def _load(lines: Iterable[str] | Iterable[bytes], *, lenient: bool) -> EventLog:
    log = EventLog()
    for number, text in numbered_lines(lines):
        if isinstance(text, DecodeError):  # a line that is not UTF-8
            raise text
        log = _append(log, decode_line(text, line=number, lenient=lenient), number)
    return log


def check_lines(
    lines: Iterable[str] | Iterable[bytes], *, lenient: bool = False
) -> Iterator[NegotiationsError]:
    """Every error in lines of JSON, in line order: bad lines, and events that do not fit the log
    made of the good lines before them. With ``lenient``, events of unknown kinds are no errors.
    """
    log = EventLog()
    for number, text in numbered_lines(lines):
        if isinstance(text, DecodeError):
            yield text
            continue
        try:
            log = _append(log, decode_line(text, line=number, lenient=lenient), number)
        except NegotiationsError as exc:
            yield exc
