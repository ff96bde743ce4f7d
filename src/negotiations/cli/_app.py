"""The argument parser, the commands on logs (``show``, ``changes``, ``validate``, ``schema``, and
``export --format plover``) and the dispatch to ``report`` (:mod:`negotiations.cli._report`) and
to the store commands of :mod:`negotiations.cli._stores`. What the commands on logs read is in
:mod:`negotiations.cli._reading`.
Every error ends as one line on standard error and a non-zero exit: 1 for bad input, 2 for a bad
command line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, Final, NoReturn

from negotiations._atomic import atomic_write
from negotiations.cli import _store_args, _stores
from negotiations.cli._io import PROG, InputError, opened, utf8
from negotiations.cli._reading import add_source, day, moment, read_log
from negotiations.cli._report import add_report, report
from negotiations.codec.schema import json_schema
from negotiations.errors import NegotiationsError, StoreError
from negotiations.log import check_lines
from negotiations.projections import VIEW_NAMES, changes, project
from negotiations.render import (
    changes_to_json,
    changes_to_text,
    printable,
    printable_json,
    views_to_json,
    views_to_text,
)
from negotiations.render.plover import write_plover
from negotiations.stores import default_url

_PROG = PROG
_DESCRIPTION = """\
Follow negotiations as an append-only log of typed events: who called whom, which talks were
proposed or held, what each side demands, aid, sanctions, ultimatums and prisoner exchanges.
A log is a JSON Lines file, one event a line; see 'negotiations schema' for its format. A store
(SQLite by default) keeps many logs, called streams, for 'import', 'export', 'append' and
'show --stream'."""
_EPILOG = """\
examples:
  negotiations show                          every view of the bundled July 2025 timeline
  negotiations show --view deadlines --as-of 2025-07-20
  negotiations show --known-at 2025-07-15    what the log held at the end of that day (UTC)
  negotiations show my-log.jsonl --json      the views as one JSON object
  negotiations show --view deadlines --explain
                                             each item with the ids and sources of its events
  negotiations changes --since 2025-07-15    what the log learnt after that day: new facts,
                                             corrections, retractions and disputes
  negotiations report --since 2025-07-15 -o report.html
                                             one HTML file, marking what is new since then
  negotiations validate my-log.jsonl         every error, with its line
  negotiations schema > event.schema.json
  negotiations import my-log.jsonl --stream russia-ukraine
                                             append a log to a stream of the default store
  negotiations show --stream russia-ukraine  the views of a stream
  negotiations streams                       the default store's streams and their versions"""


class _UsageError(Exception):
    """A bad command line."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, raised rather than printed."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


class _Version(argparse.Action):
    """``--version``: looks the version up only when asked, since reading the package's
    metadata costs more than the rest of starting the command.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,  # noqa: ARG002 - argparse's signature
        values: object,  # noqa: ARG002 - argparse's signature
        option_string: str | None = None,  # noqa: ARG002 - argparse's signature
    ) -> NoReturn:
        from importlib.metadata import version  # noqa: PLC0415 - see the class docstring

        print(f"{parser.prog} {version('negotiations')}")  # noqa: T201 - the command's output
        parser.exit()


def parser() -> argparse.ArgumentParser:
    """The parser of the ``negotiations`` command, with every subcommand: what ``--help`` prints,
    and what the documentation's CLI reference is made from.
    """
    parser = _Parser(
        prog=_PROG,
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    show = commands.add_parser(
        "show",
        help="show the views of a log",
        description="Fold a log into its views and print them as tables, or as JSON with --json.",
    )
    add_source(show, "to show")
    show.add_argument(
        "--view",
        action="append",
        choices=VIEW_NAMES,
        metavar="NAME",
        help=f"a view to show; repeat for more (default: all of {', '.join(VIEW_NAMES)})",
    )
    show.add_argument(
        "--as-of",
        type=day,
        metavar="YYYY-MM-DD",
        help="count only events that may have occurred on or before this day "
        "(default: the latest day in the log)",
    )
    show.add_argument(
        "--known-at",
        type=moment,
        metavar="WHEN",
        help="count only what the log held then: events, retractions and corrections recorded at "
        "or before WHEN, a day (its end, UTC) or a datetime with its offset such as "
        "2025-07-15T12:00:00+00:00 (default: everything recorded)",
    )
    show.add_argument("--json", action="store_true", help="print one JSON object, a key per view")
    show.add_argument(
        "--explain",
        action="store_true",
        help="under each item, list the events behind it: their ids and their sources' outlets and "
        "urls (with --json every item already carries its event ids and sources)",
    )
    show.add_argument(
        "--width",
        type=int,
        default=shutil.get_terminal_size((100, 24)).columns,
        help="the width of the tables (default: the terminal's)",
    )

    _store_args.add_lenient_option(show, "and pass them over in the views")

    _add_changes(commands)
    add_report(commands)

    validate = commands.add_parser(
        "validate",
        help="check a log and report every error with its line",
        description="Check every line of a log. Print each error with its line; exit 1 if any.",
    )
    validate.add_argument("log", metavar="LOG", help="a JSON Lines log, or - for standard input")
    _store_args.add_lenient_option(validate, "and count them as valid when their id, dates and sources are")

    commands.add_parser(
        "schema",
        help="print the JSON Schema of a log's lines",
        description="Print the JSON Schema (draft 2020-12) that every line of a log validates against.",
    )
    _store_args.add_commands(commands)
    return parser


def _add_changes(commands: Any) -> None:  # noqa: ANN401 - argparse's subparsers action is private
    """Add ``changes``, which reads its log as ``show`` does."""
    found = commands.add_parser(
        "changes",
        help="list what a log learnt since a moment",
        description="List the events recorded after --since (and at or before --known-at): new "
        "facts, corrections with each field's old and new value, retractions and disputes, each "
        "with the id of its event. It only reads.",
    )
    add_source(found, "to read")
    found.add_argument(
        "--since",
        type=moment,
        required=True,
        metavar="WHEN",
        help="list what was recorded after WHEN, a day (its end, UTC) or a datetime with its "
        "offset such as 2025-07-15T12:00:00+00:00",
    )
    found.add_argument(
        "--known-at",
        type=moment,
        metavar="WHEN",
        help="list only what was recorded at or before WHEN, given as for --since "
        "(default: everything recorded)",
    )
    found.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: since, known_at, and the lists new, corrected, retracted "
        "and disputed, each item with its event_id",
    )
    _store_args.add_lenient_option(found, "and list them as new facts")


def _check(args: argparse.Namespace) -> None:
    """The rules between options of ``show``, ``changes`` and ``export`` that argparse cannot
    state.
    """
    if args.command == "export":
        _check_export(args)
    if args.command not in ("show", "changes", "report"):
        return
    usage = f"(see '{_PROG} {args.command} --help')"
    what = {"show": "to show", "changes": "to read", "report": "to report"}[args.command]
    if args.log is not None and (args.stream is not None or args.store is not None):
        raise _UsageError(f"give a LOG or --stream NAME, not both {usage}")
    if args.store is not None and args.stream is None:
        raise _UsageError(f"--store needs --stream NAME, the stream {what} {usage}")
    since = getattr(args, "since", None)
    if since is not None and args.known_at is not None and since > args.known_at:
        raise _UsageError(f"--since must not be after --known-at {usage}")


def _check_export(args: argparse.Namespace) -> None:
    usage = f"(see '{_PROG} export --help')"
    if args.format == "jsonl":
        if args.log is not None:
            raise _UsageError(f"--format jsonl writes a stream, not a LOG: give --stream NAME {usage}")
        # As argparse said it when --stream was required of every export.
        if args.stream is None:
            raise _UsageError(f"the following arguments are required: --stream {usage}")
        if args.lenient:
            raise _UsageError(f"--lenient goes only with --format plover {usage}")
        return
    if args.log is not None and (args.stream is not None or args.store is not None):
        raise _UsageError(f"give a LOG or --stream NAME, not both {usage}")
    if args.store is not None and args.stream is None:
        raise _UsageError(f"--store needs --stream NAME, the stream to export {usage}")


def _show(args: argparse.Namespace, out: IO[str]) -> int:
    log = read_log(args)
    views = project(log, as_of=args.as_of, known_at=args.known_at)
    names = tuple(dict.fromkeys(args.view or VIEW_NAMES))
    if args.json:
        out.write(printable_json(json.dumps(views_to_json(views, names), ensure_ascii=False, indent=2)))
        out.write("\n")
    else:
        out.write(views_to_text(views, names, width=args.width, explain=args.explain))
    return 0


def _changes(args: argparse.Namespace, out: IO[str]) -> int:
    found = changes(read_log(args), args.since, known_at=args.known_at)
    if args.json:
        out.write(printable_json(json.dumps(changes_to_json(found), ensure_ascii=False, indent=2)))
        out.write("\n")
    else:
        out.write(changes_to_text(found))
    return 0


def _export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.format == "jsonl":
        return _stores.export(args, out, err)
    log = read_log(args)
    to_file = args.output not in (None, "-")
    where = args.output if to_file else "standard output"
    try:
        with atomic_write(args.output) if to_file else utf8(out) as target:
            counts = write_plover(log, target)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputError(f"cannot write {where}: {exc.strerror or exc}") from None
    if not args.quiet:
        err.write(printable(f"{_PROG}: export: {counts.summary()}") + "\n")
        if to_file:
            out.write(printable(f"{args.output}: {counts.written} PLOVER record(s) written") + "\n")
    return 0


def _validate(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    lines = 0

    def counted(stream: IO[bytes]) -> Iterator[bytes]:
        nonlocal lines
        for line in stream:
            lines += bool(line.strip())
            yield line

    errors = 0
    with opened(args.log) as stream, contextlib.ExitStack() as extra:
        # A file is read again where a check needs an earlier event, so that only each event's
        # id and offset are held; standard input cannot be, so its good events are held.
        reread = None if args.log == "-" else extra.enter_context(opened(args.log))
        for error in check_lines(counted(stream), lenient=args.lenient, reread=reread):
            errors += 1
            out.write(printable(f"{args.log}: {error}") + "\n")
    if errors:
        err.write(printable(f"{_PROG}: {args.log}: {errors} error(s) in {lines} event line(s)") + "\n")
        return 1
    out.write(printable(f"{args.log}: {lines} event(s), no errors") + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    try:
        args = parser().parse_args(argv)
        _check(args)
    except _UsageError as exc:
        _say(f"error: {exc}")
        return 2
    try:
        return _run(args, sys.stdout, sys.stderr)
    except StoreError as exc:
        # A store's errors name the store, or the stream and its versions, themselves.
        _say(f"error: {exc}")
    except NegotiationsError as exc:
        _say(f"error: {_source(args)}: {exc}")
    except InputError as exc:
        _say(f"error: {exc}")
    except BrokenPipeError:
        # The reader went away (``| head``). Point stdout at devnull so that the flush at exit
        # does not fail again, as the Python docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    return 1


def _say(message: str) -> None:
    """Write one line to standard error, as the program's message: whatever the log's text
    holds, it stays one line and cannot drive the terminal.
    """
    sys.stderr.write(printable(f"{_PROG}: {message}") + "\n")


def _source(args: argparse.Namespace) -> str:
    """What the input of a command is called in its errors: a file, ``-``, or a store."""
    log: str | None = getattr(args, "log", None)
    if log is not None:
        return log
    if args.command in ("show", "changes", "export") and args.stream is not None:
        return f"{args.store or default_url()} stream '{args.stream}'"
    if args.command == "streams":
        return args.store or default_url()
    return "-"


def _schema(_args: argparse.Namespace, out: IO[str], _err: IO[str]) -> int:
    json.dump(json_schema(), out, indent=2)
    out.write("\n")
    return 0


_Command = Callable[[argparse.Namespace, IO[str], IO[str]], int]
_COMMANDS: Final[dict[str, _Command]] = {
    "show": lambda args, out, _err: _show(args, out),
    "changes": lambda args, out, _err: _changes(args, out),
    "report": report,
    "validate": _validate,
    "schema": _schema,
    "import": _stores.import_,
    "export": _export,
    "append": _stores.append,
    "streams": _stores.streams,
}


def _run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    return _COMMANDS[args.command](args, out, err)
