"""What changed in a log (:class:`~negotiations.projections.Changes`) as stable JSON, the output of
``negotiations changes --json``, and as short text for people.

The JSON is one object, ``{"since", "known_at", "new", "corrected", "retracted", "disputed"}``:
the two moments as ISO 8601 text with their offsets (``known_at`` is ``null`` for everything
recorded), then a list of items per kind, in log order. Every item names its ``event_id``, the
event behind it, and its ``recorded`` moment:

- ``new``: ``kind`` (the event's ``type``), ``occurred`` (its EDTF text) and ``summary``;
- ``corrected``: ``target``, ``root`` (the fact whose fields change, ``target`` unless that is
  a correction), ``target_kind``, ``fields`` (a list of ``{"field", "old", "new"}``, the values
  in their JSON form, ``null`` for an absent field) and ``reason``;
- ``retracted``: ``target``, ``target_kind``, ``target_summary`` and ``reason``;
- ``disputed``: ``claims`` and ``subject``.

Keys are only ever added, never renamed or removed.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from negotiations.projections import Changes, Correction, Dispute, NewFact, Retraction
from negotiations.render._terminal import printable

__all__ = ["changes_to_json", "changes_to_text"]


def _moment(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _new(item: NewFact) -> dict[str, Any]:
    return {
        "event_id": item.event_id,
        "kind": item.kind,
        "occurred": str(item.occurred),
        "recorded": item.recorded.isoformat(),
        "summary": item.summary,
    }


def _corrected(item: Correction) -> dict[str, Any]:
    return {
        "event_id": item.event_id,
        "target": item.target,
        "root": item.root,
        "target_kind": item.target_kind,
        "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in item.fields],
        "reason": item.reason,
        "recorded": item.recorded.isoformat(),
    }


def _retracted(item: Retraction) -> dict[str, Any]:
    return {
        "event_id": item.event_id,
        "target": item.target,
        "target_kind": item.target_kind,
        "target_summary": item.target_summary,
        "reason": item.reason,
        "recorded": item.recorded.isoformat(),
    }


def _disputed(item: Dispute) -> dict[str, Any]:
    return {
        "event_id": item.event_id,
        "claims": list(item.claims),
        "subject": item.subject,
        "recorded": item.recorded.isoformat(),
    }


def changes_to_json(changes: Changes) -> dict[str, Any]:
    """``changes`` as one JSON-ready object, as the module's docstring describes it."""
    return {
        "since": _moment(changes.since),
        "known_at": _moment(changes.known_at),
        "new": [_new(item) for item in changes.new],
        "corrected": [_corrected(item) for item in changes.corrected],
        "retracted": [_retracted(item) for item in changes.retracted],
        "disputed": [_disputed(item) for item in changes.disputed],
    }


def _value(value: object) -> str:
    """A field's JSON value as it reads in one line: ``null`` for an absent one."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _correction_line(item: Correction) -> str:
    kind = f" ({item.target_kind})" if item.target_kind else ""
    via = f" via {item.target}" if item.target != item.root else ""
    fields = "; ".join(f"{f.field} {_value(f.old)} -> {_value(f.new)}" for f in item.fields)
    reason = f" ({item.reason})" if item.reason else ""
    return f"{item.event_id}: {item.root}{kind}{via}: {fields}{reason}"


def _retraction_line(item: Retraction) -> str:
    kind = f" ({item.target_kind})" if item.target_kind else ""
    what = f' "{item.target_summary}"' if item.target_summary else ""
    return f"{item.event_id}: {item.target}{kind}{what}: {item.reason}"


def _dispute_line(item: Dispute) -> str:
    subject = f" on {item.subject}" if item.subject else ""
    return f"{item.event_id}: sources disagree{subject}: {', '.join(item.claims)}"


def changes_to_text(changes: Changes) -> str:
    """``changes`` for people: a line that counts each kind, then a titled section per kind that
    has items, one line an item, each starting with the id of its event. Text from the log is
    made :func:`~negotiations.render.printable`.
    """
    until = "now" if changes.known_at is None else changes.known_at.isoformat(timespec="seconds")
    lines = [
        f"Changes recorded after {changes.since.isoformat(timespec='seconds')}, up to {until}",
        (
            f"{len(changes.new)} new, {len(changes.corrected)} corrected, "
            f"{len(changes.retracted)} retracted, {len(changes.disputed)} disputed"
        ),
    ]
    sections = (
        ("NEW", [f"{n.event_id}: {n.kind}, {n.occurred}: {n.summary}" for n in changes.new]),
        ("CORRECTED", [_correction_line(c) for c in changes.corrected]),
        ("RETRACTED", [_retraction_line(r) for r in changes.retracted]),
        ("DISPUTED", [_dispute_line(d) for d in changes.disputed]),
    )
    for title, items in sections:
        if items:
            lines += ["", title, *(f"  {printable(item)}" for item in items)]
    return "\n".join(lines) + "\n"
