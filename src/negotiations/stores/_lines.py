"""The lines of the file store: how each starts, how one is read, and the error that refuses a file
for what is wrong with one of its lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from negotiations.codec import structure
from negotiations.domain.events import Event
from negotiations.errors import NegotiationsError, StoreError
from negotiations.stores._base import check_stream

__all__ = ["LINE_START", "Refused", "is_whole", "not_torn", "parse", "refusal"]

LINE_START: Final = b'{"stream": "'
"""How every line this store writes starts; a torn last line starts so too, or is cut inside it."""


class Refused(Exception):  # noqa: N818 - not an error of its own: becomes a StoreError
    """A line the store cannot take: what is wrong with it, and whether it is foreign."""

    def __init__(self, what: str, *, plain: bool = False) -> None:
        super().__init__(what)
        self.what = what
        self.plain = plain
        """Whether the line is a valid event without a ``stream``: a plain event log's."""


def is_whole(rest: bytes) -> bool:
    """Whether ``rest``, a last line without a newline, is a whole line of this store's."""
    if not rest.startswith(LINE_START):
        return False
    try:
        parse(rest)
    except Refused:
        return False
    return True


def not_torn(rest: bytes) -> Refused:
    """What is wrong with ``rest``, a last line without a newline that cannot be a torn one."""
    try:
        parse(rest)
    except Refused as refused:
        if refused.plain:
            return refused
    return Refused("has no newline, and does not start as every line of a file store does")


def parse(raw: bytes) -> tuple[str, int | None, Event]:
    """A complete line's stream, its ``batch`` (or ``None``) and its event.

    Raises:
        Refused: the line is not one this store writes.

    """
    try:
        obj = json.loads(raw)
    except UnicodeDecodeError:
        raise Refused("is not UTF-8 text") from None
    except ValueError as exc:
        raise Refused(f"is not JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise Refused("is not a JSON object")
    stream = obj.pop("stream", None)
    size = obj.pop("batch", None)
    try:
        # Leniently: the file may hold events of kinds a newer library wrote.
        event = structure(obj, lenient=True)
    except (NegotiationsError, ValueError, TypeError) as exc:
        raise Refused(f"is not a valid event: {exc}") from None
    if stream is None:
        raise Refused("has no 'stream'", plain=True)
    if not isinstance(stream, str):
        raise Refused("has a 'stream' that is not a text")
    try:
        check_stream(stream)
    except NegotiationsError as exc:
        raise Refused(f"has a bad 'stream': {exc.reason}") from None
    if size is not None and (type(size) is not int or size < 1):
        raise Refused(f"has a bad 'batch': {size!r} is not a count of lines (1, 2, ...)")
    return stream, size, event


def refusal(path: Path, number: int, refused: Refused) -> StoreError:
    """The error that refuses the file at ``path`` for what is wrong with line ``number``."""
    if refused.plain and number == 1:
        return StoreError(
            f"{path} is not a file store: line {number} {refused.what}, so it is a plain log; "
            f"import it with 'negotiations import {path} --stream NAME'; the file was left as it is"
        )
    if number == 1:
        return StoreError(f"{path} is not a file store: line 1 {refused.what}; the file was left as it is")
    return StoreError(
        f"the file store {path} is damaged: line {number} {refused.what}; the file was left as it is"
    )
