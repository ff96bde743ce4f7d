"""The store commands: ``import``, ``export``, ``append`` and ``streams``, and the reading of a
stream for ``show --stream``.

The commands that only read (``streams``, ``export`` and ``show --stream``) open their store
read-only (``open_store(url, readonly=True)``), so that they never write to it: they create no
file or table, and cut no torn tail. ``export -o FILE`` writes FILE atomically: a failed export
leaves it as it was.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from itertools import islice
from pathlib import Path
from typing import IO, Any, Final

from negotiations._atomic import atomic_write
from negotiations.cli._io import PROG, InputError, Progress, numbered_events, opened, progress_to, utf8
from negotiations.codec import write_events
from negotiations.domain.events import Event
from negotiations.errors import LogError, NegotiationsError
from negotiations.log import EventLog
from negotiations.render import table
from negotiations.stores import EventStore, check_stream, default_url, load_stream, open_store

__all__ = [
    "BATCH",
    "add_commands",
    "add_lenient_option",
    "add_store_option",
    "add_stream_option",
    "append",
    "export",
    "import_",
    "store_help",
    "stream_log",
    "streams",
]

BATCH: Final = 1000
"""Events per append in ``import``."""

_SHOWN: Final = 5
"""How many stream names an error about a missing stream lists."""

_RESUME: Final = "run the same import again to resume: events already there are skipped"


def store_help() -> str:
    """The help of ``--store``, with the default it has now."""
    return (
        "the store: memory:, file:PATH.jsonl, sqlite:PATH.db or postgresql://USER@HOST:PORT/DB "
        "(default: $NEGOTIATIONS_STORE if set, else the SQLite file negotiations/events.db under "
        f"$XDG_DATA_HOME or ~/.local/share; here: {default_url()})"
    ).replace("%", "%%")


def _stream_name(text: str) -> str:
    try:
        return check_stream(text)
    except NegotiationsError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None


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


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--store URL``."""
    parser.add_argument("--store", metavar="URL", help=store_help())


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
were read, so export needs no --lenient.""",
        epilog="""\
examples:
  negotiations export --stream russia-ukraine > timeline.jsonl
  negotiations export --stream russia-ukraine --store sqlite:events.db -o timeline.jsonl""",
    )
    add_stream_option(export, required=True, what="to write")
    add_store_option(export)
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


def _missing(store: EventStore, stream: str) -> InputError:
    names = [info.name for info in store.streams()]
    shown = ", ".join(names[:_SHOWN]) + (", ..." if len(names) > _SHOWN else "")
    known = f"its streams: {shown}" if names else "it is empty"
    return InputError(f"{store.url} has no stream '{stream}' ({known})")


def stream_log(url: str | None, stream: str) -> EventLog:
    """The stream ``stream`` of the store at ``url``, for ``show``, read without writing."""
    store = open_store(url, readonly=True)
    try:
        log = load_stream(store, stream)
        if not log:
            raise _missing(store, stream)
        return log
    finally:
        store.close()


def _lines_of(path: str) -> list[bytes]:
    with opened(path) as stream:
        return stream.readlines()


def import_(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Check the log, then append it to the stream batch by batch; print a summary."""
    store = open_store(args.store)
    try:
        return _import(store, args, out, err)
    finally:
        store.close()


def _import(store: EventStore, args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    lines = _lines_of(args.log)
    total = sum(1 for line in lines if line.strip())
    where = progress_to(args, total, err)
    log = EventLog()
    line_of: dict[str, int] = {}
    with Progress(total, "events read", where) as progress:
        for number, event in numbered_events(lines, lenient=args.lenient):
            try:
                log = log.append(event)
            except LogError as exc:
                raise exc.at_line(number) from None
            line_of.setdefault(event.id, number)
            progress.advance()
    del lines

    events = list(log)
    version = first = store.stream_version(args.stream)
    expected = args.expected_version
    appended = 0
    try:
        with Progress(len(events), "events appended", where) as progress:
            for start in range(0, len(events), args.batch):
                batch = events[start : start + args.batch]
                try:
                    new_version = store.append(args.stream, batch, expected_version=expected)
                except NegotiationsError as exc:
                    raise _stopped(exc, args, line_of, appended) from None
                # A batch that was all there already leaves the version as it was: counts nothing.
                appended += new_version - version
                version = expected = new_version
                progress.advance(len(batch))
    except KeyboardInterrupt:
        # Ctrl-C may land after an append committed and before it was counted: ask the store.
        with suppress(NegotiationsError):
            appended = max(appended, store.stream_version(args.stream) - first)
        if not appended:
            raise
        err.write(f"{PROG}: interrupted after appending {appended} event(s); {_RESUME}\n")
        return 130
    if not args.quiet:
        out.write(
            f"{args.log}: {len(events)} event(s) read, {appended} appended, "
            f"{len(events) - appended} already there; stream '{args.stream}' is at version {version}\n"
        )
    return 0


def _stopped(
    exc: NegotiationsError, args: argparse.Namespace, line_of: dict[str, int], appended: int
) -> Exception:
    """The error that stops an import part way, naming the line of the event at fault."""
    if isinstance(exc, LogError) and exc.event_id in line_of:
        exc.at_line(line_of[exc.event_id])
        message = f"{args.log}: {exc}"
    else:
        message = str(exc)
    if not appended:
        return InputError(message)
    # A clash with the stream's content stays when the import is run again; anything else passes.
    resume = "" if isinstance(exc, LogError) else f"; {_RESUME}"
    return InputError(f"{message}; {appended} event(s) before it were appended{resume}")


def append(args: argparse.Namespace, out: IO[str], _err: IO[str]) -> int:
    """Append the events on standard input to the stream in one atomic append."""
    numbered = list(numbered_events(sys.stdin.buffer))
    # An id given twice with other content is at fault on its later line.
    line_of = {event.id: number for number, event in numbered}
    events = [event for _, event in numbered]
    store = open_store(args.store)
    try:
        before = store.stream_version(args.stream)
        try:
            version = store.append(args.stream, events, expected_version=args.expected_version)
        except LogError as exc:
            if exc.event_id in line_of:
                exc.at_line(line_of[exc.event_id])
            raise
    finally:
        store.close()
    appended = max(version - before, 0)
    if not args.quiet:
        out.write(
            f"-: {len(events)} event(s) read, {appended} appended, {len(events) - appended} already "
            f"there; stream '{args.stream}' is at version {version}\n"
        )
    return 0


def _records(store: EventStore, stream: str, count: int, progress: Progress) -> Iterator[Event]:
    # Stop at the version the stream had when the export began: one consistent cut.
    for record in islice(store.read_stream(stream), count):
        progress.advance()
        yield record.event


def _check_not_the_store(store: EventStore, output: str) -> None:
    """Refuse to export over the store's own file, which would replace the store by a log."""
    path = getattr(store, "path", None)
    if isinstance(path, Path) and Path(output).exists() and path.exists() and path.samefile(output):
        raise InputError(f"cannot write {output}: it is the file of the store {store.url} itself")


def export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Write the stream as JSON Lines, streaming; to a file, atomically."""
    store = open_store(args.store, readonly=True)
    to_file = args.output not in (None, "-")
    where = args.output if to_file else "standard output"
    try:
        count = store.stream_version(args.stream)
        if not count:
            raise _missing(store, args.stream)
        if to_file:
            _check_not_the_store(store, args.output)
        # Every step that can fail with OSError writes the output: opening it, each write, and the
        # flush, fsync and rename when the atomic file closes. A failed step leaves FILE as it was.
        with ExitStack() as stack:
            target = stack.enter_context(atomic_write(args.output) if to_file else utf8(out))
            progress = stack.enter_context(Progress(count, "events written", progress_to(args, count, err)))
            written = write_events(_records(store, args.stream, count, progress), target)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise InputError(f"cannot write {where}: {exc.strerror or exc}") from None
    finally:
        store.close()
    if to_file and not args.quiet:
        out.write(f"{args.output}: {written} event(s) of stream '{args.stream}' written\n")
    return 0


def streams(args: argparse.Namespace, out: IO[str], _err: IO[str]) -> int:
    """List the streams with their versions."""
    store = open_store(args.store, readonly=True)
    try:
        infos = store.streams()
    finally:
        store.close()
    if args.json:
        json.dump([{"name": i.name, "version": i.version} for i in infos], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        width = max([len("VERSION"), *(len(str(i.version)) for i in infos)])
        rows = [[i.name, str(i.version).rjust(width)] for i in infos]
        out.write(table(["STREAM", "VERSION".rjust(width)], rows) + "\n")
    return 0
