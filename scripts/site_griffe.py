"""A Griffe extension for the documentation site: the docstrings' reST markup made Markdown.

The library's docstrings use reST's inline markup (``:class:`Views```, double backquotes) and
carry examples as plain doctest blocks (``>>>`` lines and their output), which the test suite
runs. Markdown would show the roles as they are and read the blocks as nested quotes; this
extension makes the markup Markdown and fences each block as ``pycon`` code before mkdocstrings
renders it. ``mkdocs.yml`` loads it.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["DoctestBlocks", "fenced", "markdown"]

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def markdown(text: str) -> str:
    """``text`` with reST's inline markup made Markdown: a role such as ``:class:`~a.B``` becomes
    the code `B` (with ``~``, the last part of the name; else the whole name), and a literal in
    double backquotes becomes code in single ones.
    """

    def role(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"`{name.rsplit('.', 1)[-1]}`" if match.group(0).split("`")[1].startswith("~") else f"`{name}`"

    return _LITERAL.sub(r"`\1`", _ROLE.sub(role, text))


def fenced(text: str) -> str:
    """``text`` with each doctest block (from a ``>>>`` line to the next blank line) fenced as
    ``pycon`` code, at its own indentation; blocks already inside a fence are left as they are.
    """
    out: list[str] = []
    inside_fence = in_block = False
    indent = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if in_block and not stripped:
            out += [f"{indent}```", line]
            in_block = False
            continue
        if stripped.startswith("```"):
            inside_fence = not inside_fence
        elif not inside_fence and not in_block and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            in_block = True
        out.append(line)
    if in_block:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Fence the doctest blocks of every docstring Griffe reads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:  # noqa: ANN401, ARG002 - Griffe's hook
        """Rewrite ``obj``'s docstring with its doctest blocks fenced."""
        if obj.docstring is not None:
            value = markdown(obj.docstring.value)
            obj.docstring.value = fenced(value) if ">>>" in value else value
