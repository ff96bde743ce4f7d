"""The arguments and help of the store commands (``import``, ``export``, ``append`` and
``streams``), and the ``--store``, ``--stream`` and ``--lenient`` options that ``show`` and
``validate`` share with them.

The commands themselves are :mod:`negotiations.cli._stores`; this module only describes them to
argparse, so that their help reads in one place.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, Final, TypeVar

from negotiations.errors import NegotiationsError
from negotiations.stores import check_stream, default_url

__all__ = [
    "BATCH",
    "add_commands",
    "add_lenient_option",
    "add_store_option",
    "add_stream_option",
    "argument_type",
    "store_help",
]

T = TypeVar("T")

BATCH: Final = 1000
"""Events per append in ``import``."""


def store_help() -> str:
    """The help of ``--store``, with the default it has now."""
    return (
        "the store: memory:, file:PATH.jsonl, sqlite:PATH.db or postgresql://USER@HOST:PORT/DB "
        "(default: $NEGOTIATIONS_STORE if set, else the SQLite file negotiations/events.db under "
        f"$XDG_DATA_HOME or ~/.local/share; here: {default_url()})"
    ).replace("%", "%%")


def argument_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """``parse`` as an argparse ``type``: the library's error becomes argparse's, with its reason."""

    def parsed(text: str) -> T:
        try:
            return parse(text)
        except NegotiationsError as exc:
            raise argparse.ArgumentTypeError(exc.reason) from None

    return parsed


_stream_name = argument_type(check_stream)


def _version(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a stream version (0, 1, 2, ...)")
    return value


def _batch(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a batch size (1, 2, ...)")
    return value


def add_store_option(parser: argparse.ArgumentParser, *, of_stream: bool = False) -> None:
    """Add ``--store URL``; with ``of_stream``, as the store that holds ``--stream``."""
    holds = "the store that holds --stream; " if of_stream else ""
    parser.add_argument("--store", metavar="URL", help=holds + store_help())


EXPORT_FORMATS: Final = ("jsonl", "plover")
"""What ``export`` writes: the log's own JSON Lines, or PLOVER event records."""


def add_stream_option(parser: argparse.ArgumentParser, *, required: bool, what: str) -> None:
    """Add ``--stream NAME``."""
    parser.add_argument(
        "--stream",
        required=required,
        type=_stream_name,
        metavar="NAME",
        help=f"the stream {what}: letters, digits, '.', '_' and '-', such as russia-ukraine",
    )


def add_lenient_option(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--lenient``: read events of kinds this version does not know, then do ``what``."""
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="read events of kinds this version of negotiations does not know, or of newer "
        f"versions of a kind (a newer negotiations wrote them), {what}; their id, occurred, "
        "recorded and sources must still be valid (default: such an event is an error)",
    )


def _expected_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--expected-version",
        type=_version,
        metavar="N",
        help=f"{what} only if the stream is at version N (0: a new stream); otherwise exit 1 "
        "and write nothing",
    )


def _progress_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--progress",
        action="store_true",
        help=f"draw a progress bar on standard error (default: on a terminal, for more than "
        f"{BATCH:,} events)",
    )
    group.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")


def add_commands(commands: Any) -> None:  # noqa: ANN401 - argparse's subparsers action is private
    """Add the store commands to the subparsers ``commands``."""
    formatter = argparse.RawDescriptionHelpFormatter

    import_ = commands.add_parser(
        "import",
        help="append a JSON Lines log to a stream of a store",
        formatter_class=formatter,
        description=f"""\
Read a log and append it to a stream, {BATCH:,} events per append.

The whole file is checked first, as 'show' checks it: if any line is bad, the command names it
and writes nothing. Each batch is appended atomically, and events already in the stream are
skipped, so importing a file twice is a no-op, and an import that stopped part way (a crash,
Ctrl-C, a lost connection) resumes when it is run again.

LOG must be a log on its own, as 'validate' checks it; to add events that refer to what the
stream already holds, use 'append'. With --expected-version N, the first batch expects version
N and each later batch the version the one before it left, so a writer that slips in between
stops the import with exit 1. A batch already in the stream is a no-op that checks nothing: that
is what lets a re-run resume.

It prints one line: the events read, appended and already there, and the stream's version.""",
        epilog="""\
examples:
  negotiations import timeline.jsonl --stream russia-ukraine
  negotiations import timeline.jsonl --stream russia-ukraine --store sqlite:events.db
  negotiations import new.jsonl --stream talks --expected-version 0   only into a new stream""",
    )
    import_.add_argument("log", metavar="LOG", help="a JSON Lines log, or - for standard input")
    add_stream_option(import_, required=True, what="to append to")
    add_store_option(import_)
    _expected_option(import_, "import")
    import_.add_argument(
        "--batch",
        type=_batch,
        default=BATCH,
        metavar="N",
        help=f"events per append (default: {BATCH:,})",
    )
    add_lenient_option(import_, "and store them as they are, for 'export' to write back unchanged")
    _progress_options(import_)

    export = commands.add_parser(
        "export",
        help="write a stream of a store as a JSON Lines log",
        formatter_class=formatter,
        description="""\
Write the events of a stream, oldest first, as a JSON Lines log in the format 'show', 'validate'
and 'import' read. The events are read and written a page at a time, never all at once; the
export holds the stream as it was when the command started. Events of kinds this version does not
know (stored by 'import --lenient', or by a newer negotiations) are written back exactly as they
were read, so export needs no --lenient.

With --format plover it writes PLOVER event records instead, one JSON object a line, with the
field names of the PLOVER manual (version 0.8): the log as currently known (corrections applied,
retracted events left out), without retractions, corrections, disputes and events of unknown
kinds. It reads a LOG, or the stream given by --stream, or the bundled July 2025 timeline, and
prints on standard error one line that counts what it left out. docs/codes.md lists the codes.""",
        epilog="""\
examples:
  negotiations export --stream russia-ukraine > timeline.jsonl
  negotiations export --stream russia-ukraine --store sqlite:events.db -o timeline.jsonl
  negotiations export --format plover my-log.jsonl -o events.plover.jsonl
  negotiations export --format plover --stream russia-ukraine > events.plover.jsonl""",
    )
    export.add_argument(
        "log",
        nargs="?",
        metavar="LOG",
        help="with --format plover: a JSON Lines log, or - for standard input (default: the bundled "
        "July 2025 timeline, or the stream given by --stream)",
    )
    # Not required by argparse: --format plover may read a LOG instead; the command checks that
    # --format jsonl has its stream.
    add_stream_option(export, required=False, what="to write (required by --format jsonl)")
    add_store_option(export)
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default="jsonl",
        help="jsonl: the log's own format (the default); plover: PLOVER event records",
    )
    add_lenient_option(export, "with --format plover, and leave them out")
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the file to write (default: standard output); it then prints a one-line summary",
    )
    _progress_options(export)

    append_ = commands.add_parser(
        "append",
        help="append events from standard input to a stream",
        formatter_class=formatter,
        description="""\
Read events as JSON Lines from standard input and append them to a stream in one atomic append:
all of them or none. The events are checked against the stream, so they may refer to deadlines,
agreements, proposals and ceasefires the stream already holds. Events already in the stream are
skipped, so a retry is a no-op.""",
        epilog="""\
examples:
  negotiations append --stream russia-ukraine < today.jsonl
  negotiations append --stream russia-ukraine --expected-version 19 < today.jsonl""",
    )
    add_stream_option(append_, required=True, what="to append to")
    add_store_option(append_)
    _expected_option(append_, "append")
    append_.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")

    streams_ = commands.add_parser(
        "streams",
        help="list the streams of a store",
        formatter_class=formatter,
        description="List the streams of a store, with their versions (how many events each holds).",
        epilog="""\
examples:
  negotiations streams
  negotiations streams --store sqlite:events.db --json""",
    )
    add_store_option(streams_)
    streams_.add_argument("--json", action="store_true", help="print a JSON list of {name, version}")
