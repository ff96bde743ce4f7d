"""The one writer of whole files, ``atomic_write``: the target is replaced whole, or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from negotiations._atomic import atomic_write

OLD = b"the old content\n" * 1000


class BoomError(Exception):
    """An error raised part-way through a write."""


def write_then_fail(target: Path, error: type[BaseException], text: str) -> None:
    """Write ``text`` to ``target`` atomically, then raise ``error`` before the write ends."""
    with atomic_write(target) as stream:
        stream.write(text)
        raise error


def names(directory: Path) -> list[str]:
    """The names in ``directory``, sorted: a temporary left behind shows here."""
    return sorted(p.name for p in directory.iterdir())


def test_replaces_the_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    """A write that ends well replaces the file's bytes, keeps its permissions, and leaves no temporary."""
    target = tmp_path / "out.jsonl"
    target.write_bytes(OLD)
    target.chmod(0o604)
    with atomic_write(target) as stream:
        stream.write("new\r\nline é\n")
    assert target.read_bytes() == "new\r\nline é\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert names(tmp_path) == ["out.jsonl"]


def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path: Path) -> None:
    """A file that did not exist is created as open() would create it, not private as a temporary is."""
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "new.jsonl") as stream:
            stream.write("x\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o644


@pytest.mark.parametrize("error", [BoomError, KeyboardInterrupt])
def test_an_error_part_way_leaves_the_file_and_removes_the_temporary(
    tmp_path: Path, error: type[BaseException]
) -> None:
    """An error (or Ctrl-C) after much was written leaves the old bytes, and no temporary, and is raised."""
    target = tmp_path / "out.jsonl"
    target.write_bytes(OLD)
    with pytest.raises(error):
        write_then_fail(target, error, "partial\n" * 100_000)
    assert target.read_bytes() == OLD
    assert names(tmp_path) == ["out.jsonl"]


def test_a_missing_file_stays_missing_after_an_error(tmp_path: Path) -> None:
    """A write that fails creates nothing."""
    with pytest.raises(BoomError):
        write_then_fail(tmp_path / "out.jsonl", BoomError, "partial\n")
    assert names(tmp_path) == []


def test_a_symbolic_link_is_followed(tmp_path: Path) -> None:
    """Writing through a link replaces the file it points to, and the link stays a link."""
    real = tmp_path / "real.jsonl"
    real.write_bytes(OLD)
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with atomic_write(link) as stream:
        stream.write("new\n")
    assert link.is_symlink()
    assert real.read_bytes() == b"new\n"
    assert names(tmp_path) == ["link.jsonl", "real.jsonl"]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    """A directory as the target is IsADirectoryError, before anything is written."""
    with pytest.raises(IsADirectoryError), atomic_write(tmp_path) as stream:
        stream.write("never\n")
    assert names(tmp_path) == []


def test_a_device_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    """A character device (a null device made here) is written into, and stays a device."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc.strerror}")
    with atomic_write(device) as stream:
        stream.write("into the void\n")
    assert stat.S_ISCHR(device.stat().st_mode)
    assert names(tmp_path) == ["null"]


def test_a_pipe_named_by_its_descriptor_is_written_in_place() -> None:
    """/dev/stdout of a pipe (here /proc/self/fd/N), whose link names no file, is written into."""
    read, write = os.pipe()
    try:
        with atomic_write(f"/proc/self/fd/{write}") as stream:
            stream.write("through the pipe\n")
        assert os.read(read, 100) == b"through the pipe\n"
    finally:
        os.close(read)
        os.close(write)
