"""Every view has both renderers: a text table for ``show`` and a JSON value for ``show --json``."""

from __future__ import annotations

import json

import pytest

from negotiations import VIEW_NAMES, project, seed_timeline
from negotiations.projections import PROJECTIONS
from negotiations.render import views_to_json, views_to_text
from negotiations.render._json import _RENDERERS as JSON_RENDERERS
from negotiations.render._text import _RENDERERS as TEXT_RENDERERS


def test_every_view_has_a_text_and_a_json_renderer() -> None:
    """The registry of views, the text renderers and the JSON renderers name the same views, in
    the same order, so a view added to the registry without its renderers fails here.
    """
    assert tuple(PROJECTIONS) == VIEW_NAMES
    assert tuple(TEXT_RENDERERS) == VIEW_NAMES
    assert tuple(JSON_RENDERERS) == VIEW_NAMES


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
