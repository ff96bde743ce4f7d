"""The one place that writes a whole file: atomically, so that a reader (or a crash) sees the old
file or the new one, never a file cut short.

:func:`atomic_write` writes into a temporary file in the target's own directory, ``fsync`` s it,
renames it over the target, and ``fsync`` s the directory, so that the rename itself survives a
crash. On any failure (an error while writing, a full disk, Ctrl-C), the temporary file is removed
and the target is left byte for byte as it was. ``export -o`` and the file store's snapshots use it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

__all__ = ["atomic_write"]

_ATTEMPTS = 100
"""How many temporary names to try before giving up: each is random, so one clash is rare."""


@contextmanager
def atomic_write(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text stream (Unix line ends) whose content replaces the file at ``path`` when the block
    ends without an error; on an error the file at ``path`` is untouched, and the error raised.

    A symbolic link is followed: the file it points to is replaced, and the link stays. A new file
    gets the permissions the umask allows; a file replaced keeps its permissions. A target that
    exists but is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO) has no content on disk
    to keep whole, and is written in place.

    Raises:
        OSError: the file cannot be written (``IsADirectoryError`` when ``path`` is a directory);
            nothing was changed.

    """
    try:
        existing: os.stat_result | None = os.stat(path)  # noqa: PTH116 - of a str or a Path
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # Opened by the name given: /dev/stdout resolves to no path when it is a pipe.
        with open(path, "w", encoding=encoding, newline="\n") as stream:  # noqa: PTH123 - as above
            yield stream
        return
    target = Path(os.path.realpath(path))
    temporary, descriptor = _create_temporary(target)
    try:
        if existing is not None:
            os.fchmod(descriptor, stat.S_IMODE(existing.st_mode))
            if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
                with suppress(OSError):  # only root may give a file away; others keep their own
                    os.fchown(descriptor, existing.st_uid, existing.st_gid)
        stream = open(descriptor, "w", encoding=encoding, newline="\n")  # noqa: PTH123, SIM115 - closed below
    except BaseException:
        os.close(descriptor)
        temporary.unlink(missing_ok=True)
        raise
    try:
        yield stream
        stream.flush()  # a full disk may show only here
        os.fsync(stream.fileno())
        stream.close()
        temporary.replace(target)
    except BaseException:
        with suppress(OSError):
            stream.close()
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)


def _create_temporary(target: Path) -> tuple[Path, int]:
    """A new, empty file beside ``target``, hidden, and its descriptor open for writing."""
    for _ in range(_ATTEMPTS):
        temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        return temporary, descriptor
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def _sync_directory(directory: Path) -> None:
    """``fsync`` a directory, so that a rename in it survives a crash. The file is already in
    place, whole, when this runs: a file system that cannot sync a directory costs only that.
    """
    with suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
