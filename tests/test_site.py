"""The documentation site: it builds strictly and offline, its generated pages say what the code
says, and the docstring check and the docstring rewriting it relies on work.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from negotiations import EVENT_TYPES, json_schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import site_griffe  # noqa: E402 - from scripts/, put on the path above
import site_hooks  # noqa: E402

pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install -e '.[docs]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once with ``mkdocs build --strict`` into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return out


def _pages(site: Path) -> Iterator[tuple[Path, str]]:
    for page in site.rglob("*.html"):
        yield page, page.read_text(encoding="utf-8")


def test_site_fetches_nothing_from_the_web(site: Path) -> None:
    """No page loads a script, a style sheet, a font or an image from another host, and no style
    sheet imports one: the site reads offline.
    """
    remote = re.compile(
        r"<script[^>]+src=\"https?://|<link[^>]+rel=\"(?:stylesheet|preconnect|preload)\"[^>]+href=\"https?://"
        r"|<link[^>]+href=\"https?://[^\"]+\"[^>]+rel=\"(?:stylesheet|preconnect|preload)\"|<img[^>]+src=\"https?://"
        r"|fonts\.googleapis|fonts\.gstatic"
    )
    found = [(page.name, m.group(0)) for page, text in _pages(site) for m in remote.finditer(text)]
    assert found == []
    sheets = [
        p for p in site.rglob("*.css") if re.search(r"url\(['\"]?https?://|@import", p.read_text("utf-8"))
    ]
    assert sheets == []


def test_site_serves_the_schema_the_cli_prints(site: Path) -> None:
    """``schema.json`` on the site is what ``negotiations schema`` prints, byte for byte."""
    printed = subprocess.run(
        [sys.executable, "-m", "negotiations", "schema"], capture_output=True, text=True, check=True
    ).stdout
    assert (site / "schema.json").read_text(encoding="utf-8") == printed
    assert json.loads(printed) == json_schema()


def test_site_has_every_page_of_the_nav(site: Path) -> None:
    """Every page the issue names is built, the generated ones among them."""
    for page in ("getting-started", "concepts", "catalogue", "views", "stores", "testing", "cli", "format",
                 "performance", "architecture", "changelog", "reference"):  # fmt: skip
        assert (site / page / "index.html").is_file(), page


def test_catalogue_lists_every_kind_with_its_codes_and_example() -> None:
    """Each kind has a section with its CAMEO code, its PLOVER category and its own example line."""
    page = site_hooks.catalogue_page()
    sections = re.split(r"^## ", page, flags=re.MULTILINE)[1:]
    by_kind = {section.split("\n", 1)[0]: section for section in sections}
    for cls in EVENT_TYPES:
        section = by_kind[cls.wire_type]
        assert (f"CAMEO `{cls.cameo}`" if cls.cameo else "no CAMEO code") in section
        assert (f"PLOVER `{cls.plover}`" if cls.plover else "no PLOVER category") in section
        (example,) = re.findall(r"```json\n(.*)\n```", section)
        assert json.loads(example)["type"] == cls.wire_type


def test_catalogue_states_the_rules_of_real_fields() -> None:
    """The tables say what the validators enforce: a call's parties, a deadline's days, a level."""
    page = site_hooks.catalogue_page()
    call = page.split("## CallHeld", 1)[1].split("\n## ", 1)[0]
    assert "| `parties` | required | a list, each item a party code" in call
    assert "(at least 2, all different)" in call
    assert "| `summary` | optional | text, not blank |" in call
    deadline = page.split("## DeadlineSet", 1)[1].split("\n## ", 1)[0]
    assert "| `within_days` | optional | a whole number, 0 or more |" in deadline
    talks = page.split("## TalksHeld", 1)[1].split("\n## ", 1)[0]
    assert "| `level` | optional | one of `delegations`, `leaders`, `ministers` |" in talks


def test_catalogue_examples_are_valid_canonical_and_complete() -> None:
    """``docs/catalogue.jsonl`` has one line of each kind, in order, each as the library writes it."""
    assert site_hooks.check_examples() == []


def test_catalogue_page_and_check_leave_out_blank_lines_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blank lines in the examples are left out by the page and by the check alike, and the check
    names a line by its number in the file.
    """
    lines = site_hooks.EXAMPLES.read_text(encoding="utf-8").splitlines()
    expected = site_hooks.catalogue_examples()
    examples = tmp_path / "catalogue.jsonl"
    monkeypatch.setattr(site_hooks, "EXAMPLES", examples)
    examples.write_text("\n".join([lines[0], "", "  ", *lines[1:]]) + "\n", encoding="utf-8")
    assert site_hooks.catalogue_examples() == expected
    assert site_hooks.check_examples() == []
    reordered = json.dumps(dict(reversed(json.loads(lines[1]).items())), ensure_ascii=False)
    examples.write_text("\n".join([lines[0], "", "  ", reordered, *lines[2:]]) + "\n", encoding="utf-8")
    assert site_hooks.check_examples() == ["line 4 is not written as the library writes it"]


def test_views_page_shows_each_view_and_the_seed_facts() -> None:
    """The views page has a section for every view, and the seed's ultimatum with its due day."""
    page = site_hooks.views_page()
    headings = re.findall(r"^## (\w+)$", page, flags=re.MULTILINE)
    assert headings == ["deadlines", "exchanges", "positions", "talks", "agreements", "aid", "sanctions",
                        "contacts", "timeline"]  # fmt: skip
    assert '"deadline_id": "us-ceasefire-ultimatum"' in page
    assert '"due": "2025-09-02"' in page
    assert '"days_left": 33' in page  # 2025-09-02 less the page's day, 2025-07-31


def test_cli_page_holds_each_commands_help() -> None:
    """The CLI reference holds the help each command prints, run as a user runs it."""
    page = site_hooks.cli_page()
    for command in ("show", "validate", "schema", "import", "export", "append", "streams"):
        printed = subprocess.run(
            [sys.executable, "-m", "negotiations", command, "--help"],
            capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "80"},
        ).stdout  # fmt: skip
        assert f"## `negotiations {command}`" in page
        assert printed.splitlines()[0] in page, command


def test_docstring_check_finds_a_missing_docstring(monkeypatch: pytest.MonkeyPatch) -> None:
    """A public function without a docstring, and a public method without one, are reported."""
    errors = importlib.import_module("negotiations.errors")

    def undocumented() -> None:
        pass

    class Undocumented:
        """Documented itself."""

        def method(self) -> None:
            pass

    Undocumented.__module__ = undocumented.__module__ = "negotiations.errors"
    monkeypatch.setattr(errors, "undocumented", undocumented, raising=False)
    monkeypatch.setattr(errors, "Undocumented", Undocumented, raising=False)
    monkeypatch.setattr(errors, "__all__", [*errors.__all__, "undocumented", "Undocumented"])
    assert site_hooks.missing_docstrings() == [
        "negotiations.errors.Undocumented.method",
        "negotiations.errors.undocumented",
    ]


def test_doctest_blocks_are_fenced_and_fences_left_alone() -> None:
    """A doctest block becomes a ``pycon`` fence at its indentation; one already fenced does not."""
    text = "Summary.\n\n    >>> 1 + 1\n    2\n\nMore.\n\n```pycon\n>>> 2\n2\n```"
    assert site_griffe.fenced(text) == (
        "Summary.\n\n    ```pycon\n    >>> 1 + 1\n    2\n    ```\n\nMore.\n\n```pycon\n>>> 2\n2\n```"
    )
    assert site_griffe.fenced(">>> x\n1") == "```pycon\n>>> x\n1\n```"


def test_rest_markup_becomes_markdown() -> None:
    """Roles become code (the last part of the name after ``~``), double backquotes single ones."""
    text = "See :class:`Views`, :meth:`~negotiations.Views.apply` and ``as_of``."
    assert site_griffe.markdown(text) == "See `Views`, `apply` and `as_of`."
