"""What the commands share for input and output: opening a log, reading numbered events, and a
progress bar on standard error.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Final, Self

from negotiations.codec import read_events
from negotiations.domain.events import Event

__all__ = [
    "PROG",
    "PROGRESS_THRESHOLD",
    "InputError",
    "Progress",
    "numbered_events",
    "opened",
    "progress_to",
    "utf8",
]

PROG: Final = "negotiations"
"""The program's name, as its messages start."""

PROGRESS_THRESHOLD: Final = 1000
"""A bar is drawn on a terminal only for more events than this; fewer go by too fast to watch."""


class InputError(Exception):
    """Input that cannot be read or used at all; printed as it is, on one line."""


@contextmanager
def opened(path: str) -> Iterator[IO[bytes]]:
    """The file at ``path`` (``-``: standard input), in binary, so that the codec can name the
    line of any byte that is not UTF-8.
    """
    if path == "-":
        yield sys.stdin.buffer
        return
    try:
        stream = Path(path).open("rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with stream:
        yield stream


def numbered_events(lines: Iterable[bytes], *, lenient: bool = False) -> Iterator[tuple[int, Event]]:
    """Each event in lines of JSON with the number of its line, decoded lazily. A bad line raises
    :class:`~negotiations.errors.DecodeError` naming it. ``lenient`` is as for
    :func:`~negotiations.codec.read_events`.
    """
    number = 0

    def counted() -> Iterator[bytes]:
        nonlocal number
        for number, line in enumerate(lines, 1):  # noqa: B007 - read by the loop below
            yield line

    # read_events yields an event as soon as it has decoded its line, so ``number`` is that line.
    for event in read_events(counted(), lenient=lenient):
        yield number, event


@contextmanager
def utf8(out: IO[str]) -> Iterator[IO[str]]:
    """``out``, or a UTF-8 writer over its bytes when its own encoding is another: the format is
    UTF-8 whatever the locale says.
    """
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    buffer = getattr(out, "buffer", None)
    if encoding == "utf8" or buffer is None:
        yield out
        return
    out.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    try:
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()  # leave ``out``'s buffer open


def progress_to(args: argparse.Namespace, total: int, err: IO[str]) -> IO[str] | None:
    """Where to draw the progress bar of ``total`` events: ``err`` with ``--progress``, or on a
    terminal for more than :data:`PROGRESS_THRESHOLD` events; nowhere with ``--quiet``.
    """
    if args.quiet:
        return None
    if args.progress or (total > PROGRESS_THRESHOLD and err.isatty()):
        return err
    return None


class Progress:
    """A progress bar, ``[#####.....] 53% 53,000/100,000 events read``, redrawn in place.

    It redraws at most every ``interval`` seconds and once more at the end, then ends its line.
    Without a stream it does nothing, so that callers need no ``if``.
    """

    WIDTH: Final = 30

    def __init__(
        self,
        total: int,
        what: str,
        stream: IO[str] | None,
        *,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.what = what
        self.done = 0
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._drawn_at: float | None = None

    def __enter__(self) -> Self:
        self._draw()
        return self

    def __exit__(self, *_: object) -> None:
        if self._stream is not None:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more events done, and redraw if the last drawing is old enough."""
        self.done += count
        if self._stream is None:
            return
        now = self._clock()
        if self._drawn_at is None or now - self._drawn_at >= self._interval:
            self._draw(now)

    def _draw(self, now: float | None = None) -> None:
        if self._stream is None:
            return
        fraction = 1.0 if self.total <= 0 else min(self.done / self.total, 1.0)
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self._stream.write(f"\r[{bar}] {int(fraction * 100):3d}% {self.done:,}/{self.total:,} {self.what}")
        self._stream.flush()
        self._drawn_at = self._clock() if now is None else now
