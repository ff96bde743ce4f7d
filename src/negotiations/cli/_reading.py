"""What the commands on logs (``show``, ``changes``, ``report``, ``export --format plover``)
read, and the days and moments they take: a LOG, or a stream of a store, or the bundled
timeline.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from typing import Final

from negotiations.cli import _store_args, _stores
from negotiations.cli._io import opened
from negotiations.domain.values import parse_day, parse_moment
from negotiations.log import EventLog, load_log
from negotiations.seed import seed_timeline

__all__ = ["add_source", "day", "moment", "read_log"]


day: Final[Callable[[str], date]] = _store_args.argument_type(parse_day)
"""An option's day, ``YYYY-MM-DD``."""

moment: Final[Callable[[str], datetime]] = _store_args.argument_type(parse_moment)
"""An option's moment: a day (its end, UTC) or a datetime with its offset."""


def add_source(command: argparse.ArgumentParser, what: str) -> None:
    """Add what ``show``, ``changes`` and ``report`` read: a LOG, or ``--stream`` of ``--store``."""
    command.add_argument(
        "log",
        nargs="?",
        metavar="LOG",
        help="a JSON Lines log, or - for standard input (default: the bundled July 2025 timeline, "
        "or the stream given by --stream)",
    )
    _store_args.add_stream_option(command, required=False, what=f"{what}, instead of LOG")
    _store_args.add_store_option(command, of_stream=True)


def read_log(args: argparse.Namespace) -> EventLog:
    """The log the command reads: ``--stream`` of ``--store``, the LOG file, or the demo."""
    if args.stream is not None:
        return _stores.stream_log(args.store, args.stream)
    if args.log is None:
        return seed_timeline()
    with opened(args.log) as stream:
        return load_log(stream, lenient=args.lenient)
