"""The ``report`` command: one self-contained HTML file of a log (:mod:`negotiations.render.report`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO, Any, Final

from negotiations._atomic import atomic_write
from negotiations.cli import _store_args
from negotiations.cli._io import PROG, InputError, utf8
from negotiations.cli._reading import add_source, day, moment, read_log
from negotiations.render import printable

__all__ = ["add_report", "report"]

SEED_TITLE: Final = "Russia–Ukraine, July 2025 (the demo)"


def add_report(commands: Any) -> None:  # noqa: ANN401 - argparse's subparsers action is private
    """Add ``report``, which reads its log as ``show`` does and writes one HTML file."""
    report = commands.add_parser(
        "report",
        help="write a self-contained HTML report of a log",
        description="Write one HTML file that shows the views of a log: deadlines as bars, "
        "agreements and their terms, exchanges against what was agreed, measures and tariff rates, "
        "positions with their sources, aid, talks, contacts and a timeline filtered by party and "
        "kind. With --since it lists what changed since then and marks it in every section. The "
        "file loads nothing from the network. It replaces only a report it made before.",
    )
    add_source(report, "to report")
    report.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the HTML file to write, or - for standard output",
    )
    report.add_argument(
        "--as-of", type=day, metavar="YYYY-MM-DD", help="as for show (default: the latest day in the log)"
    )
    report.add_argument(
        "--known-at", type=moment, metavar="WHEN", help="as for show (default: everything recorded)"
    )
    report.add_argument(
        "--since",
        type=moment,
        metavar="WHEN",
        help="also list what was recorded after WHEN, as 'changes' does, and mark it in every section",
    )
    report.add_argument("--title", help="the report's title (default: the stream's or the log's name)")
    _store_args.add_lenient_option(report, "and pass them over in the views")


def report(args: argparse.Namespace, out: IO[str], _err: IO[str]) -> int:
    """Write the report of the log the arguments name to ``--output``, or to standard output."""
    from negotiations.render.report import OPENING, report_html  # noqa: PLC0415 - only this command needs it

    if args.output != "-":
        _check_ours(args.output, args.log, OPENING)
    log = read_log(args)
    title = args.title or _title(args)
    text = report_html(log, title=title, as_of=args.as_of, known_at=args.known_at, since=args.since)
    if args.output == "-":
        with utf8(out) as target:
            target.write(text)
        return 0
    try:
        with atomic_write(args.output) as target:
            target.write(text)
    except OSError as exc:
        raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    out.write(printable(f"{args.output}: report of {title} written ({len(text.encode()):,} bytes)") + "\n")
    return 0


def _title(args: argparse.Namespace) -> str:
    """A report's title when none is given: its stream's name, its log's file name, or the demo's."""
    if args.stream is not None:
        return f"stream {args.stream}"
    if args.log == "-":
        return "a log read from standard input"
    return SEED_TITLE if args.log is None else Path(args.log).name


def _check_ours(output: str, log: str | None, opening: str) -> None:
    """Refuse to replace a file that is not a report of ours (one that starts with ``opening``,
    as every report does), or the log being reported.
    """
    path = Path(output)
    if log not in (None, "-") and path.exists() and Path(log).exists() and path.samefile(log):
        raise InputError(f"cannot write {output}: it is the log being reported")
    if not path.is_file():
        return
    try:
        with path.open("rb") as existing:
            head = existing.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read {output}: {exc.strerror or exc}") from None
    if not head.startswith(opening.encode()):
        raise InputError(f"{output} exists and is not a report of {PROG}: remove it, or choose another file")
