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
from negotiations.domain.events import AMENDMENT_TYPES, Event
from negotiations.errors import DecodeError, LogError, NegotiationsError
from negotiations.log._eventlog import EventLog, Key, new_events, recorded_keys

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
    lines: Iterable[str] | Iterable[bytes], *, lenient: bool = False, reread: IO[bytes] | None = None
) -> Iterator[NegotiationsError]:
    """Every error in lines of JSON, in line order: bad lines, and events that do not fit the log
    made of the good lines before them. With ``lenient``, events of unknown kinds are no errors.

    ``reread``, when given, is the same file as ``lines`` (bytes, every line in order, blank ones
    too), opened again for reading at any offset. The check then keeps, of each good event, only
    its id and the offset of its line, with the keys the events recorded and their retractions
    and corrections, and reads an earlier event again from ``reread`` when a check asks for it
    (a repeated id, an amendment's target, a dispute's claims): its memory grows with the number
    of events, not with their text. Without it, the good events are held.
    """
    if reread is None:
        yield from _check_held(lines, lenient=lenient)
    else:
        yield from _check_indexed(lines, reread, lenient=lenient)  # type: ignore[arg-type]  # bytes


def _check_held(lines: Iterable[str] | Iterable[bytes], *, lenient: bool) -> Iterator[NegotiationsError]:
    log = EventLog()
    for number, text in numbered_lines(lines):
        if isinstance(text, DecodeError):
            yield text
            continue
        try:
            log = _append(log, decode_line(text, line=number, lenient=lenient), number)
        except NegotiationsError as exc:
            yield exc


class _Index:
    """What the checks need of the good lines of a file: each event's id and the offset of its
    line, the keys the events recorded, and their retractions and corrections, held whole (they
    are few). An earlier event is read again from ``reread`` when a check asks for it.
    """

    __slots__ = ("amendments", "ids", "keys", "lenient", "reread")

    def __init__(self, reread: IO[bytes], *, lenient: bool) -> None:
        self.reread = reread
        self.lenient = lenient
        self.ids: dict[str, int] = {}
        self.keys: set[Key] = set()
        self.amendments: list[Event] = []

    def get(self, event_id: str) -> Event | None:
        """The good event ``event_id``, read again from its line; ``None`` if there is none."""
        start = self.ids.get(event_id)
        if start is None:
            return None
        self.reread.seek(start)
        text = self.reread.readline().decode("utf-8")
        if start == 0 and text.startswith("\ufeff"):
            text = text[1:]
        return decode_line(text, lenient=self.lenient)

    def append(self, event: Event, start: int) -> None:
        """Check ``event``, whose line starts at ``start``, and keep it as a good one if it is new.

        Raises:
            LogError: it does not fit the good events before it.

        """
        for fresh in new_events((event,), self.get, self.keys.__contains__, lambda: self.amendments):
            self.ids[fresh.id] = start
            self.keys.update(recorded_keys(fresh))
            if type(fresh) in AMENDMENT_TYPES:
                self.amendments.append(fresh)


def _check_indexed(
    lines: Iterable[bytes], reread: IO[bytes], *, lenient: bool
) -> Iterator[NegotiationsError]:
    offset = 0

    def measured() -> Iterator[bytes]:
        # ``offset`` is where the line the check is at starts: it moves on only as the next is read.
        nonlocal offset
        for raw in lines:
            yield raw
            offset += len(raw)

    index = _Index(reread, lenient=lenient)
    for number, text in numbered_lines(measured()):
        if isinstance(text, DecodeError):
            yield text
            continue
        try:
            index.append(decode_line(text, line=number, lenient=lenient), offset)
        except LogError as exc:
            yield exc.at_line(number)
        except NegotiationsError as exc:
            yield exc
