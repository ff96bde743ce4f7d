"""The file store's snapshots: one JSON object in a file beside the store's, of each snapshot's
name to ``[tag, checkpoint, data]``, replaced atomically
(:func:`negotiations._atomic.atomic_write`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from negotiations._atomic import atomic_write
from negotiations.errors import StoreError
from negotiations.stores._base import Snapshot

__all__ = ["SnapshotFile"]

_SNAPSHOT_FIELDS: Final = 3
"""A saved snapshot is ``[tag, checkpoint, data]``."""


class SnapshotFile:
    """The snapshots saved in the file at ``path``. The caller holds the store's lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save(self, snapshots: Sequence[Snapshot]) -> None:
        """Save snapshots, replacing those of the same names, by an atomic rename."""
        saved = self.read()
        saved.update({s.name: [s.tag, s.checkpoint, s.data] for s in snapshots})
        try:
            with atomic_write(self.path) as stream:
                json.dump(saved, stream, ensure_ascii=False)
        except OSError as exc:
            reason = f"cannot save the snapshots {self.path}: {exc.strerror or exc}"
            raise StoreError(reason) from None

    def read(self) -> dict[str, list[Any]]:
        """Every snapshot saved, by name, as ``[tag, checkpoint, data]``.

        Raises:
            StoreError: the file cannot be read, or is not one of saved snapshots.

        """
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise StoreError(f"cannot read the snapshots {self.path}: {exc.strerror or exc}") from None
        try:
            saved = json.loads(text)
        except ValueError as exc:
            saved = f"not JSON: {exc}"
        if not isinstance(saved, dict) or not all(
            isinstance(s, list)
            and len(s) == _SNAPSHOT_FIELDS
            and isinstance(s[1], int)
            and isinstance(s[2], str)
            for s in saved.values()
        ):
            what = saved if isinstance(saved, str) else "not an object of snapshots"
            reason = f"the snapshots {self.path} are damaged ({what}); delete them to rebuild the views"
            raise StoreError(reason)
        return saved

    def load(self, name: str) -> Snapshot | None:
        """The snapshot called ``name``, or ``None``."""
        found = self.read().get(name)
        return (
            None if found is None else Snapshot(name=name, tag=found[0], checkpoint=found[1], data=found[2])
        )
