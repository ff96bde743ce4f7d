"""The public face: each public module's __all__ is exactly the public names it has, sorted, and
every public name is documented.

``__all__`` is pinned the way httpx pins its own: against the names the module actually has, not a
hand-kept copy, so a name that leaks into a module, one that ``__all__`` lists but the module
lacks, and a bad sort order all fail.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import negotiations

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import site_hooks  # from scripts/, put on the path above

LIBRARY = site_hooks.LIBRARY
"""The package every public module belongs to."""

PUBLIC_MODULES = site_hooks.public_modules()
"""Every public module of the library, as the docs build finds them (by walking the package, so
a new module is pinned too)."""


def sort_key(name: str) -> tuple[int, str]:
    """Where ``name`` goes in a sorted ``__all__``: constants, then classes, then the rest, each
    group in code-point order, as ruff's RUF022 sorts it (``sorted(..., key=sort_key)``).
    """
    if len(name) > 1 and name.isupper():
        return (0, name)
    return (1 if name[:1].isupper() else 2, name)


def _absolute(module: ModuleType, node: ast.ImportFrom) -> str:
    """The absolute name of the module that ``from ... import`` in ``module`` imports from."""
    if not node.level:
        return node.module or ""
    package = module.__name__ if hasattr(module, "__path__") else module.__name__.rpartition(".")[0]
    base = package.rsplit(".", node.level - 1)[0]
    return f"{base}.{node.module}" if node.module else base


def _bindings(module: ModuleType, node: ast.stmt) -> list[tuple[str, str | None]]:
    """The names one top-level statement of ``module`` binds, each with where it comes from."""
    if isinstance(node, ast.Import):
        return [(alias.asname or alias.name.partition(".")[0], alias.name) for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [(alias.asname or alias.name, _absolute(module, node)) for alias in node.names]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [(node.name, None)]
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [(n.id, None) for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return []


def origins(module: ModuleType, source: str | None = None) -> dict[str, str | None]:
    """Each name ``module``'s source (or ``source``) binds at its top level (under ``if`` and
    ``try`` too, so the names imported for type checkers only count), with the module it is
    imported from, or ``None`` for a name the module defines itself.
    """
    found: dict[str, str | None] = {}
    body = list(ast.parse(inspect.getsource(module) if source is None else source).body)
    while body:
        node = body.pop(0)
        if isinstance(node, ast.If | ast.Try):
            handlers = [statement for handler in getattr(node, "handlers", []) for statement in handler.body]
            body[:0] = [*node.body, *handlers, *node.orelse, *getattr(node, "finalbody", [])]
        found.update(_bindings(module, node))
    return found


def public_names(module: ModuleType, source: str | None = None) -> list[str]:
    """The public names ``module`` has, sorted: each name without a leading underscore that
    :func:`dir` lists (so the lazily imported ones too) and that the module defines, imports
    from inside itself, or, for the top-level package, imports from anywhere in the library.

    A name the module imports from elsewhere is one its code uses, not one it offers, unless
    ``__all__`` lists it: that is a re-export on purpose. The top-level package may import
    nothing else with a public name (so a stray import there fails), and the import system's
    own attributes, the module's submodules, are not names it offers either.
    """
    own = module.__name__
    bound = origins(module, source)
    names = []
    for name in dir(module):
        if name.startswith("_"):
            continue
        if name not in bound:
            value = getattr(module, name)
            assert inspect.ismodule(value), f"{module.__name__}.{name} has no origin in its source"
            assert value.__name__ == f"{module.__name__}.{name}", f"{module.__name__}.{name}"
            continue
        origin = bound[name]
        if origin is None or origin == own or origin.startswith(f"{own}."):
            names.append(name)
        elif module.__name__ == LIBRARY:
            names.append(name)  # not the library's: never in __all__, so the pin fails
        elif origin.startswith(f"{LIBRARY}.") and name in module.__all__:
            names.append(name)
    return sorted(names, key=sort_key)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_is_every_public_name_sorted(module_name: str) -> None:
    """A public module's __all__ is exactly the public names it has, sorted as ruff sorts it."""
    module = importlib.import_module(module_name)
    assert module.__all__ == public_names(module)


def test_every_top_level_name_is_importable() -> None:
    """Each name of negotiations.__all__ is there, the lazily imported ones too."""
    for name in negotiations.__all__:
        assert hasattr(negotiations, name), name


def test_every_error_is_at_the_top_level() -> None:
    """Every error of negotiations.errors is exported at the top level and is in its tree."""
    errors = importlib.import_module("negotiations.errors")
    tree = re.findall(r"^ {4}[ │├└─]*(\w+Error)\b", errors.__doc__ or "", re.MULTILINE)
    assert sorted(tree, key=sort_key) == errors.__all__
    for name in errors.__all__:
        assert getattr(negotiations, name) is getattr(errors, name), name


def test_a_leaked_name_fails_the_pin() -> None:
    """A name imported into the top level but not in __all__ fails the pin, from the library or
    not; so does a subpackage's name from its own private module, and an unsorted __all__.
    """
    source = "import json\nfrom negotiations.log import EventLog\nfrom negotiations.seed import SEED_FILE\n"
    module = ModuleType(LIBRARY)
    exec(compile(source, "<leak>", "exec"), module.__dict__)  # noqa: S102 - a fixed source
    module.__all__ = ["EventLog"]  # type: ignore[attr-defined]
    assert public_names(module, source) == ["SEED_FILE", "EventLog", "json"]

    source = "from negotiations.domain import Event\nfrom negotiations.projections.timeline import describe\n"
    module = ModuleType("negotiations.projections")
    exec(compile(source, "<leak>", "exec"), module.__dict__)  # noqa: S102 - a fixed source
    module.__all__ = []  # type: ignore[attr-defined]
    assert public_names(module, source) == ["describe"]  # Event is only used there

    unsorted = ["project", "Views", "EVENT_TYPES"]
    assert sorted(unsorted, key=sort_key) == ["EVENT_TYPES", "Views", "project"] != unsorted


def test_every_public_name_has_a_docstring() -> None:
    """Every public module, class and function, and every public method and property of those
    classes, says what it is: the check the strict docs build runs.
    """
    assert site_hooks.missing_docstrings() == []


def test_core_does_not_import_hypothesis() -> None:
    """Importing the package does not import Hypothesis, which is only a testing extra."""
    code = "import sys, negotiations, negotiations.cli; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
