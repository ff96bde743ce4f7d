"""The documentation matches the code: the README example runs, and the format reference names
every event kind and every field.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import attrs
import pytest

from negotiations import EVENT_TYPES, Event

ROOT = Path(__file__).parent.parent
ENVELOPE = {"id", "occurred", "recorded", "sources"}


def python_blocks(path: Path) -> list[str]:
    """The ```python blocks of a Markdown file."""
    return re.findall(r"^```python\n(.*?)^```$", path.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def test_readme_example_runs_and_prints_what_it_says() -> None:
    """The README's Python example runs and prints what its comments say it prints."""
    (example,) = python_blocks(ROOT / "README.md")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(example, {})  # noqa: S102 - the README's own example, run as a user would
    promised = [line.removeprefix("# ") for line in example.splitlines() if line.startswith("# ")]
    printed = out.getvalue().splitlines()
    assert promised == [printed[0], printed[-1]]


def format_sections() -> dict[str, str]:
    """The format reference's event sections, by heading."""
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    parts = re.split(r"^### (\w+)\n", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_format_reference_has_every_kind() -> None:
    """docs/format.md has a section for every event kind, by its wire name, and no other."""
    assert set(format_sections()) == {cls.wire_type for cls in EVENT_TYPES}


@pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda cls: cls.wire_type)
def test_format_reference_names_every_field(cls: type[Event]) -> None:
    """Each event's section in docs/format.md names every field of the event."""
    section = format_sections()[cls.wire_type]
    same_shape = re.search(r"same shape as (\w+)", section)
    if same_shape:
        section = format_sections()[same_shape.group(1)]
    for field in attrs.fields(cls):
        if field.name not in ENVELOPE:
            assert f"`{field.name}`" in section, f"{cls.wire_type}.{field.name}"
