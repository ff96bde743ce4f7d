"""The report's first section with ``--since``: what changed, with old and new values."""

from __future__ import annotations

from negotiations.projections import Changes
from negotiations.render.report._html import esc, opt, value

__all__ = ["changes_section"]


def changes_section(found: Changes) -> str:
    """What changed: the counts, then the new facts, corrections (old → new), retractions and
    disputes, each item with the id of its event.
    """
    counts = (
        f"<p><b>{len(found.new)}</b> new, <b>{len(found.corrected)}</b> corrected, "
        f"<b>{len(found.retracted)}</b> retracted, <b>{len(found.disputed)}</b> disputed</p>"
    )
    new = "".join(
        f'<li data-event-id="{esc(n.event_id)}" data-change="new" class="change-new">{esc(n.occurred)} · '
        f'<span class="what">{esc(n.kind)}</span> {esc(n.summary)}</li>'
        for n in found.new
    )
    corrected = "".join(
        f'<li data-event-id="{esc(c.event_id)}" data-change="corrected" data-target="{esc(c.target)}"'
        f' class="change-corrected">{esc(c.root)} <span class="what">{esc(c.target_kind)}</span>: '
        + "; ".join(
            f'{esc(f.field)} <span class="old">{esc(value(f.old))}</span> → '
            f'<span class="newvalue">{esc(value(f.new))}</span>'
            for f in c.fields
        )
        + f"{opt(' (', c.reason, ')')}</li>"
        for c in found.corrected
    )
    retracted = "".join(
        f'<li data-event-id="{esc(r.event_id)}" data-change="retracted" data-target="{esc(r.target)}"'
        f' class="change-retracted"><span class="old">{esc(r.target_summary or r.target)}</span> '
        f'<span class="what">{esc(r.target_kind)}</span> retracted: {esc(r.reason)}</li>'
        for r in found.retracted
    )
    disputed = "".join(
        f'<li data-event-id="{esc(d.event_id)}" data-change="disputed" class="change-disputed">'
        f"{esc(', '.join(d.claims))}{opt(': ', d.subject)}</li>"
        for d in found.disputed
    )
    lists = [
        ("New facts", new),
        ("Corrections", corrected),
        ("Retractions", retracted),
        ("Disputes", disputed),
    ]
    return counts + "".join(
        f'<h3>{title}</h3><ul class="plain changes">{items}</ul>' for title, items in lists if items
    )
