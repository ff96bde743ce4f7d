"""What ``import negotiations`` loads: the domain, the log and the codec, and nothing that waits for
first use (cattrs, the views, the stores' backends). Each check runs in a fresh interpreter, since
this one has imported everything already. The time itself is a benchmark figure
(``bench/processes.py``), not a test.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import negotiations

LAZY_MODULES = (
    "cattrs",
    "hypothesis",
    "importlib.resources",
    "logging",
    "negotiations.codec._detailed",
    "negotiations.projections",
    "negotiations.render",
    "negotiations.seed",
    "negotiations.services",
    "negotiations.stores",
    "pathlib",
    "psycopg",
    "sqlite3",
)
"""Modules that ``import negotiations`` used to load, or could, and now must not."""

LINE = (
    '{"type": "CallHeld", "id": "c1", "occurred": "2025-07-14", "recorded": "2025-07-14T18:00:00Z",'
    ' "parties": ["RUS", "USA"]}'
)
"""A valid event line, read and written by the generated fast paths alone."""


def loaded_after(code: str) -> set[str]:
    """Which of :data:`LAZY_MODULES` a fresh interpreter has loaded after running ``code``."""
    report = f"import json, sys; print(json.dumps([m for m in {LAZY_MODULES!r} if m in sys.modules]))"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_loads_no_lazy_module() -> None:
    """Importing negotiations loads neither cattrs, the views, the seed, nor any store backend."""
    assert loaded_after("import negotiations") == set()


def test_good_lines_are_read_and_written_without_cattrs() -> None:
    """Decoding and encoding a valid line goes through the fast paths and never imports cattrs."""
    assert "cattrs" not in loaded_after(f"import negotiations as n; n.encode_line(n.decode_line({LINE!r}))")


def test_views_are_written_as_json_without_cattrs() -> None:
    """The JSON of show --json and a snapshot's round trip go through the generated view codec
    alone and never import cattrs.
    """
    code = (
        "import negotiations as n\n"
        "from negotiations.codec import structure_view, unstructure_view\n"
        "from negotiations.render import views_to_json\n"
        "views = n.project(n.seed_timeline())\n"
        "views_to_json(views)\n"
        "for name in n.VIEW_NAMES:\n"
        "    view = views.view(name)\n"
        "    assert structure_view(unstructure_view(view), type(view)) == view"
    )
    assert "cattrs" not in loaded_after(code)


def test_a_bad_line_still_names_its_field() -> None:
    """A bad line loads the detailed converter, which names the bad field as before."""
    code = (
        "import negotiations as n\n"
        f"try: n.decode_line({LINE!r}.replace('USA', 'usa'), line=3)\n"
        "except n.DecodeError as e: assert e.line == 3 and e.field == 'parties', e"
    )
    assert "cattrs" in loaded_after(code)


def test_first_use_of_a_view_name_imports_the_views() -> None:
    """A lazily imported name, and the subpackage that holds it, load on first use."""
    loaded = loaded_after("import negotiations as n; n.project(n.seed_timeline()); n.render.views_to_text")
    assert {"negotiations.projections", "negotiations.render", "negotiations.seed"} <= loaded
    assert "sqlite3" not in loaded


def test_cli_loads_no_store_backend() -> None:
    """The command line imports neither sqlite3, cattrs, nor the projection runner until used."""
    loaded = loaded_after(
        "import negotiations.cli, sys; assert 'negotiations.services.runner' not in sys.modules"
    )
    assert not loaded & {"cattrs", "sqlite3", "logging", "psycopg"}


def test_dir_lists_every_public_name_without_importing_it() -> None:
    """dir(negotiations) lists all of __all__ in a fresh interpreter, and loads nothing to do so."""
    code = "import negotiations as n; assert set(n.__all__) <= set(dir(n)), set(n.__all__) - set(dir(n))"
    assert loaded_after(code) == set()


@pytest.mark.parametrize(
    "module_name", ["negotiations.projections", "negotiations.seed", "negotiations.stores"]
)
def test_lazy_names_are_their_modules_own(module_name: str) -> None:
    """Each name re-exported from a lazily imported module is that module's own object."""
    module = importlib.import_module(module_name)
    shared = set(module.__all__) & set(negotiations.__all__)
    assert shared
    for name in shared:
        assert getattr(negotiations, name) is getattr(module, name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name the package does not have raises AttributeError, as it always did."""
    with pytest.raises(AttributeError, match="no_such_name"):
        negotiations.no_such_name  # type: ignore[attr-defined]  # noqa: B018 - the access is the test
