"""Every view has both renderers: a text table for ``show`` and a JSON value for ``show --json``,
its own where one is written and the generic one otherwise.
"""

from __future__ import annotations

import json

import pytest

from negotiations import VIEW_NAMES, project, seed_timeline
from negotiations.codec import structure_view
from negotiations.projections import PROJECTIONS, Citations, Contacts, Views
from negotiations.render import _text, views_to_json, views_to_text
from negotiations.render._json import _RENDERERS as JSON_RENDERERS
from negotiations.render._json import _generic as generic_json
from negotiations.render._text import _RENDERERS as TEXT_RENDERERS
from negotiations.render._text import _generic as generic_text


def _cited(views: Views) -> Citations:
    """The citations of views folded from their log."""
    assert views.citations is not None
    return views.citations


SHIPPED = ("deadlines", "exchanges", "positions", "talks", "aid", "sanctions", "contacts", "timeline")
"""The views the library ships."""

VIEW_TYPES = {type(projection.empty) for projection in PROJECTIONS.values()}
"""The type of every view in the registry."""


def test_the_renderers_of_their_own_are_of_registered_views() -> None:
    """The text and JSON renderers written for a view are keyed by view types of the registry, so
    one left behind by a view that left it fails here.
    """
    assert set(TEXT_RENDERERS) <= VIEW_TYPES
    assert set(JSON_RENDERERS) <= VIEW_TYPES


def test_the_shipped_views_have_renderers_of_their_own() -> None:
    """Each view the library ships is rendered by its own text and JSON renderers, never by the
    generic ones, so its output stays as it was.
    """
    shipped = [type(PROJECTIONS[name].empty) for name in SHIPPED]
    assert set(shipped) <= set(TEXT_RENDERERS)
    assert set(shipped) <= set(JSON_RENDERERS)


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_each_view_renders_alone_in_both_forms(name: str) -> None:
    """Each view of the seed renders by itself: a titled text section, and a JSON key holding a
    value that survives a round trip through JSON text.
    """
    views = project(seed_timeline())
    text = views_to_text(views, (name,))
    assert text.startswith(f"{name.upper()} as of 2025-07-20\n")
    out = views_to_json(views, (name,))
    assert list(out) == ["as_of", "known_at", name]
    assert json.loads(json.dumps(out)) == out


def test_a_view_with_no_text_renderer_of_its_own_is_a_table_of_its_records() -> None:
    """The generic text renderer shows the seed's contacts as one table: a column per field,
    persons by name, and under each record, explained, the event behind it.
    """
    views = project(seed_timeline())
    lines = generic_text(views.contacts, views.as_of, 100, explain=True, cite=_cited(views)).splitlines()
    headers = ["EVENT", "ID", "OCCURRED", "KIND", "PARTIES", "PERSONS", "VENUE", "SUMMARY"]
    assert lines[0].split() == [*headers, "ENDS", "LEVEL", "HOSTS", "MEDIATORS"]
    call = next(line for line in lines if line.startswith("us-ru-call-2025-07-03"))
    assert call.split()[:8] == ["us-ru-call-2025-07-03", "2025-07-03", "call", "USA,", "RUS", "Donald",
                                "Trump,", "Vladimir"]  # fmt: skip
    assert "      ← us-ru-call-2025-07-03  (The Epoch Times)" in lines


def test_show_falls_back_to_the_generic_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A view whose text renderer is missing from the table is still shown, by the generic one."""
    custom = {kind: render for kind, render in TEXT_RENDERERS.items() if kind is not Contacts}
    monkeypatch.setattr(_text, "_RENDERERS", custom)
    text = views_to_text(project(seed_timeline()), ("contacts",))
    assert text.splitlines()[2].startswith("EVENT ID ")
    assert "Donald Trump, Vladimir Putin" in text


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_the_generic_json_of_a_view_reads_back_as_the_view(name: str) -> None:
    """The generic JSON renderer gives JSON text that the view codec reads back to the view."""
    views = project(seed_timeline())
    view = views.view(name)
    text = json.dumps(generic_json(view, views.as_of, _cited(views)))
    assert structure_view(json.loads(text), type(view)) == view
