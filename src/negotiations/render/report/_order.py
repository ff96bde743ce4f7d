"""The orders the report's lists are cut in: what a reader wants first, when a list shows only
some of its items (:meth:`~negotiations.render.report._sections.Sections.pick`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from negotiations.render.report._html import day

__all__ = [
    "in_force_first",
    "later_first",
    "newest",
    "newest_effective",
    "open_first",
    "paused_first",
    "pending_first",
    "pressing",
]


def later_first(text: object) -> int:
    """A sort key that puts later days first (an unknown day last)."""
    when = day(text)
    return -(when or date.min).toordinal()


def newest(item: Mapping[str, Any]) -> int:
    """Newest first, by the day it occurred (or began)."""
    return later_first(item.get("occurred") or item.get("since"))


def newest_effective(item: Mapping[str, Any]) -> int:
    """Newest first, by the day it took effect."""
    return later_first(item.get("effective"))


def pressing(item: Mapping[str, Any]) -> tuple[bool, int]:
    """Pending deadlines first, soonest due first; then the others, the latest due first."""
    due = day(item.get("due")) or date.max
    pending = item.get("status") == "pending"
    return (not pending, due.toordinal() if pending else -due.toordinal())


def in_force_first(item: Mapping[str, Any]) -> tuple[bool, int]:
    """In force first, then the latest agreed first."""
    return (not item.get("in_force"), later_first(item.get("agreed_on")))


def open_first(item: Mapping[str, Any]) -> tuple[bool, int]:
    """Not yet complete first, then the latest agreed first."""
    return (item.get("status") == "complete", later_first(item.get("agreed_on")))


def pending_first(item: Mapping[str, Any]) -> tuple[bool, int]:
    """Pending first, then the latest proposed first."""
    return (not item.get("pending"), later_first(item.get("proposed_on")))


def paused_first(item: Mapping[str, Any]) -> tuple[bool, int]:
    """Still paused first, then the latest paused first."""
    return (not item.get("active"), later_first(item.get("since")))
