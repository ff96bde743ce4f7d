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
from typing import IO, Final

from negotiations._atomic import atomic_write
from negotiations.cli._io import PROG, InputError, Progress, numbered_events, opened, progress_to, utf8
from negotiations.codec import write_events
from negotiations.domain.events import Event
from negotiations.errors import LogError, NegotiationsError
from negotiations.log import EventLog
from negotiations.render import table
from negotiations.stores import EventStore, load_stream, open_store

__all__ = ["append", "export", "import_", "stream_log", "streams"]

_SHOWN: Final = 5
"""How many stream names an error about a missing stream lists."""

_RESUME: Final = "run the same import again to resume: events already there are skipped"


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
