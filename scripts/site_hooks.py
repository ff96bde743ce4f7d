"""MkDocs hooks for the documentation site: the pages made from the code, and the docstring check.

``mkdocs.yml`` names this file under ``hooks``. At each build it:

- refuses a public name without a docstring: every class and function that a public module's
  ``__all__`` lists, and every public method and property of those classes, must say what it is,
  or the strict build fails (:func:`missing_docstrings`);
- adds the pages that are generated so that they cannot drift from the code: the event catalogue
  (:func:`catalogue_page`, each kind's fields and their rules from the classes' validators, an
  example line from ``docs/catalogue.jsonl``, and its CAMEO and PLOVER codes), the views
  (:func:`views_page`, each view's items and the JSON the seed gives), the CLI reference
  (:func:`cli_page`, the parser's own help), the changelog (``CHANGELOG.md``), the JSON Schema as
  a file to download (``schema.json``) and the API reference (:func:`reference_pages`, one page a
  public package, rendered by mkdocstrings).

The tests import these functions too (``tests/test_site.py``), so a page that cannot be made
fails the suite as well as the build; ``tests/test_api.py`` pins ``__all__`` of the modules
:func:`public_modules` gives and runs :func:`missing_docstrings`, so both hold one list.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import pkgutil
import re
import typing
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Final, Literal, get_args, get_origin

import attrs
from site_griffe import markdown

import negotiations
from negotiations import EVENT_TYPES, Event, from_json, json_schema, seed_timeline
from negotiations.cli import parser
from negotiations.codec import encode
from negotiations.domain import OMIT_EMPTY, PartialDate
from negotiations.domain.events import NESTED_TYPES
from negotiations.domain.patterns import PARTY_PATTERN
from negotiations.domain.rules import Rule, TupleRule, rule_of
from negotiations.projections import PROJECTIONS, project
from negotiations.render import views_to_json

ROOT: Final = Path(__file__).resolve().parent.parent
EXAMPLES: Final = ROOT / "docs" / "catalogue.jsonl"
"""One example line of each event kind, in the catalogue's order; the tests check each."""
AS_OF: Final = date(2025, 7, 31)
"""The day the views page shows the seed as of: the end of the seed's month."""
LIBRARY: Final = "negotiations"

log = logging.getLogger("mkdocs.plugins.negotiations")


# -- the docstring check -------------------------------------------------------------------------


def public_modules() -> list[str]:
    """Every public module of the library, the package itself first: no part of the name private."""
    walked = pkgutil.walk_packages(negotiations.__path__, f"{LIBRARY}.")
    return [LIBRARY, *(i.name for i in walked if not any(p.startswith("_") for p in i.name.split(".")))]


def _members(cls: type) -> Iterator[tuple[str, object]]:
    """The public methods and properties ``cls`` defines itself (attrs writes only dunders)."""
    for name, value in vars(cls).items():
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, property)):
            yield name, value


def missing_docstrings() -> list[str]:
    """The public names without a docstring: classes, functions, and their classes' public
    methods and properties, in every public module's ``__all__``.
    """
    missing: list[str] = []
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        if not module.__doc__:
            missing.append(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if not (inspect.isclass(value) or inspect.isfunction(value)):
                continue
            if not inspect.getdoc(value):
                missing.append(f"{module_name}.{name}")
            if inspect.isclass(value):
                missing += [
                    f"{module_name}.{name}.{member}"
                    for member, attribute in _members(value)
                    if not (attribute.__doc__ or "").strip()
                ]
    return sorted(set(missing))


# -- the event catalogue -------------------------------------------------------------------------

_FORMS: Final = {
    PartialDate: (
        "a partial date: `2025`, `2025-07` or `2025-07-14`, each may end in `?` (uncertain) or `~` (about)"
    ),
    date: "a day, `YYYY-MM-DD`",
    datetime: "a moment with its UTC offset, `2025-07-14T09:30:00+00:00`",
}


def _rule_text(rule: Rule) -> str:
    """A rule in words."""
    if rule.kind == "text":
        return "text, not blank"
    if rule.kind == "pattern" and rule.pattern is not None:
        if rule.pattern.pattern == PARTY_PATTERN:
            return "a party code: a capital letter, then 1 to 7 capitals or digits (`UKR`, `EU`, `G7`)"
        return f"text matching `{rule.pattern.pattern}`"
    if rule.kind == "choice":
        return "one of " + ", ".join(f"`{c}`" for c in sorted(rule.choices))
    if rule.kind == "count":
        return "a whole number, 0 or more"
    if rule.kind == "number":
        return "a number, 0 or more"
    if rule.kind == "aware":
        return _FORMS[datetime]
    if rule.kind == "exactly" and rule.cls is not None:
        return _FORMS.get(rule.cls) or f"a [{rule.cls.__name__}](#{rule.cls.__name__.lower()}) object"
    return rule.kind


def _type_text(tp: object) -> str:
    """A field's type in words, for the fields whose validator keeps no rule."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (UnionType, typing.Union):
        return " or ".join(_type_text(a) for a in args if a is not NoneType)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if isinstance(tp, type) and tp in _FORMS:
        return _FORMS[tp]
    if isinstance(tp, type) and attrs.has(tp):
        return f"a [{tp.__name__}](#{tp.__name__.lower()}) object"
    if origin is tuple:
        return f"a list, each item {_type_text(args[0])}"
    if origin is not None and issubclass(origin, typing.Mapping):
        return f"an object of {_type_text(args[1])} by {_type_text(args[0])}"
    if tp is str:
        return "text"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    return getattr(tp, "__name__", str(tp))


def field_rule(cls: type, field: attrs.Attribute[Any]) -> str:
    """What a field of ``cls`` takes, in words: its rule, or its type when it keeps none."""
    rule = rule_of(field.validator)
    if isinstance(rule, TupleRule):
        text = f"a list, each item {_rule_text(rule.item)}"
        bounds = []
        if rule.min_items:
            bounds.append(f"at least {rule.min_items}")
        if rule.max_items is not None:
            bounds.append(f"at most {rule.max_items}")
        if rule.unique:
            bounds.append("all different")
        return text + (f" ({', '.join(bounds)})" if bounds else "")
    if isinstance(rule, Rule):
        return _rule_text(rule)
    return _type_text(typing.get_type_hints(cls)[field.name])


def _presence(field: attrs.Attribute[Any]) -> str:
    if field.default is attrs.NOTHING:
        return "required"
    if field.metadata.get(OMIT_EMPTY) or field.default == ():
        return "optional, default `[]`"
    if field.default is None:
        return "optional"
    return f"optional, default `{json.dumps(field.default)}`"


def _table(cls: type, skip: tuple[str, ...] = ()) -> list[str]:
    rows = ["| field | | takes |", "| --- | --- | --- |"]
    for field in attrs.fields(cls):
        if field.name in skip:
            continue
        rows.append(f"| `{field.name}` | {_presence(field)} | {field_rule(cls, field)} |")
    return rows


def _doc(obj: object) -> str:
    """The first paragraph of an object's docstring, as Markdown (see :func:`markdown`)."""
    return markdown(" ".join((inspect.getdoc(obj) or "").split("\n\n")[0].split()))


def _example_lines() -> list[tuple[int, str]]:
    """The lines of ``docs/catalogue.jsonl`` with their 1-based numbers, blank ones left out (as
    :func:`~negotiations.read_events` leaves them out): the page and the check read these.
    """
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    return [(number, line) for number, line in enumerate(lines, 1) if line.strip()]


def catalogue_examples() -> dict[str, str]:
    """The example line of each kind, by wire name, as ``docs/catalogue.jsonl`` gives them."""
    return {json.loads(line)["type"]: line for _, line in _example_lines()}


def _codes(cls: type[Event]) -> str:
    cameo = f"CAMEO `{cls.cameo}`" if cls.cameo else "no CAMEO code"
    if cls.plover:
        extra = ", ".join(
            f"{what} `{v}`" for what, v in (("mode", cls.plover_mode), ("context", cls.plover_context)) if v
        )
        plover = f"PLOVER `{cls.plover}`" + (f" ({extra})" if extra else "")
    else:
        plover = "no PLOVER category"
    note = f" The fit is loose: {cls.codes_note}." if cls.codes_note else ""
    return f"{cameo}; {plover}.{note} See [CAMEO and PLOVER codes](codes.md)."


def catalogue_page() -> str:
    """The event catalogue: the envelope, then every kind with its fields, codes and an example."""
    examples = catalogue_examples()
    envelope = ("type", "schema_version", "id", "occurred", "recorded", "sources")
    first = EVENT_TYPES[0]
    out = [
        "# Event catalogue",
        "",
        "Every kind of event, generated from the classes themselves: each field with what it takes",
        "(from the field's validator), the kind's CAMEO code and PLOVER category, and an example",
        "line. The rules between fields (a ceasefire that ends before it starts, say) are in each",
        "kind's description and in the [format reference](format.md).",
        "",
        "## The envelope",
        "",
        "Every event has these fields, before its own:",
        "",
        "| field | | takes |",
        "| --- | --- | --- |",
        "| `type` | required | the kind's wire name, as the headings below give it |",
        "| `schema_version` | optional, default `1` | the version of the kind's shape the line uses |",
        *(line for line in _table(first)[2:] if line.split("`")[1] in envelope),
        "",
    ]
    for cls in EVENT_TYPES:
        out += [f"## {cls.wire_type}", "", _doc(cls), "", _codes(cls), ""]
        out += _table(cls, envelope)
        out += ["", "```json", examples[cls.wire_type], "```", ""]
    out += ["## Nested objects", ""]
    for nested in NESTED_TYPES:
        out += [f"### {nested.__name__}", "", _doc(nested), "", *_table(nested), ""]
    return "\n".join(out)


# -- the views -----------------------------------------------------------------------------------


def _first_items(value: Any) -> Any:  # noqa: ANN401 - a JSON value
    """``value`` with each list cut to its first item, so the page shows each shape once."""
    if isinstance(value, list):
        return [_first_items(value[0])] if value else []
    if isinstance(value, dict):
        return {key: _first_items(item) for key, item in value.items()}
    return value


def views_page() -> str:
    """The views: what each holds (its items' docstrings) and its JSON for the seed, each list cut
    to its first item.
    """
    views = project(seed_timeline(), as_of=AS_OF)
    out = [
        "# Views",
        "",
        "Each view is folded from the log by its projection and holds only what it needs to answer:",
        "ids, days, counts and states. Its text (summaries, quotes and sources) stays in the log and",
        "is read when the view is rendered. This page is generated from the code: each view's",
        "description, its items, and the JSON `negotiations show --json --view NAME` prints for the",
        f"seed timeline as of {AS_OF.isoformat()}, with each list cut to its first item.",
        "",
    ]
    for name, projection in PROJECTIONS.items():
        view_type = type(projection.empty)
        module = importlib.import_module(view_type.__module__)
        items = [
            value
            for item in getattr(module, "__all__", ())
            if inspect.isclass(value := getattr(module, item)) and attrs.has(value) and value is not view_type
        ]
        shown = _first_items(views_to_json(views, (name,))[name])
        out += [f"## {name}", "", _doc(view_type), ""]
        out += [f"- [`{item.__name__}`][{module.__name__}.{item.__name__}]: {_doc(item)}" for item in items]
        out += ["", "```json", json.dumps(shown, ensure_ascii=False, indent=2), "```", ""]
    return "\n".join(out)


# -- the command line ----------------------------------------------------------------------------


def cli_page() -> str:
    """The CLI reference: the help of the command and of each subcommand, as the parser prints it."""
    main = parser()
    out = [
        "# Command line",
        "",
        "`negotiations --help` and each command's `--help`, as the parser prints them.",
        "",
    ]
    out += ["```text", main.format_help().rstrip(), "```", ""]
    for action in main._subparsers._group_actions if main._subparsers else ():  # noqa: SLF001 - argparse keeps them there
        for name, sub in getattr(action, "choices", {}).items():
            out += [f"## `negotiations {name}`", "", "```text", sub.format_help().rstrip(), "```", ""]
    return "\n".join(out)


# -- the API reference ---------------------------------------------------------------------------


def reference_pages() -> dict[str, str]:
    """One page a public package (``reference/NAME.md``), rendered by mkdocstrings: the package's
    own names, then those of its public submodules that the package does not re-export.
    """
    modules = public_modules()
    pages: dict[str, str] = {}
    top = importlib.import_module(LIBRARY)
    index = [
        "# API reference",
        "",
        _doc(top),
        "",
        "The top-level package re-exports what a script uses; each name is documented where it lives:",
        "",
    ]
    packages = [m for m in modules if m.count(".") == 1]
    homes: dict[int, str] = {}
    """Where each class and function is documented, by the object's ``id()``: the first of
    the pages' ``:::`` blocks that renders it."""

    def rendered(module_name: str, names: Iterable[str]) -> None:
        module = importlib.import_module(module_name)
        for name in names:
            value = getattr(module, name)
            if inspect.isclass(value) or inspect.isfunction(value):  # constants get no anchor
                homes.setdefault(id(value), f"{module_name}.{name}")

    for package in packages:
        shown = list(getattr(importlib.import_module(package), "__all__", ()))
        rendered(package, shown)
        lines = [f"# `{package}`", "", f"::: {package}", "    options:", "      show_submodules: false", ""]
        for sub in (m for m in modules if m.startswith(f"{package}.")):
            rest = [n for n in getattr(importlib.import_module(sub), "__all__", ()) if n not in shown]
            if rest:
                lines += [f"## `{sub}`", "", *(f"::: {sub}.{n}" for n in rest), ""]
                rendered(sub, rest)
                shown += rest
        pages[f"reference/{package.split('.')[1]}.md"] = "\n".join(lines)
    for name in top.__all__:
        home = homes.get(id(getattr(top, name)))
        index.append(f"- [`{name}`][{home}]" if home else f"- `{name}`")
    index += ["", "Packages:", ""]
    index += [f"- [`{p}`]({p.split('.')[1]}.md)" for p in packages]
    pages["reference/index.md"] = "\n".join(index) + "\n"
    return pages


# -- the other generated files -------------------------------------------------------------------


def changelog_page() -> str:
    """``CHANGELOG.md``, with its links into ``docs/`` made relative to the site."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.sub(r"\]\(docs/([^)]+)\)", r"](\1)", text)


def schema_file() -> str:
    """The JSON Schema as ``negotiations schema`` prints it."""
    return json.dumps(json_schema(), indent=2) + "\n"


def generated() -> dict[str, str]:
    """Every generated file of the site, by its path in the site's sources."""
    return {
        "catalogue.md": catalogue_page(),
        "views.md": views_page(),
        "cli.md": cli_page(),
        "changelog.md": changelog_page(),
        "schema.json": schema_file(),
        **reference_pages(),
    }


# -- the hooks -----------------------------------------------------------------------------------


def on_pre_build(config: Any) -> None:  # noqa: ANN401, ARG001 - MkDocs' hook signature
    """Warn (which fails the strict build) for each public name without a docstring."""
    for name in missing_docstrings():
        log.warning("%s has no docstring", name)


def on_files(files: Any, config: Any) -> Any:  # noqa: ANN401 - MkDocs' hook signature
    """Add the generated pages and files to the site."""
    from mkdocs.structure.files import File  # noqa: PLC0415 - only when MkDocs runs

    for path, content in generated().items():
        files.append(File.generated(config, path, content=content))
    return files


def check_examples() -> list[str]:
    """What is wrong with ``docs/catalogue.jsonl``: a line that does not decode to its kind or is
    not as the library writes it, a kind missing or repeated.
    """
    problems = []
    seen: list[str] = []
    for number, line in _example_lines():
        event = from_json(json.loads(line))
        seen.append(event.wire_type)
        if encode(event) != line:
            problems.append(f"line {number} is not written as the library writes it")
    expected = [cls.wire_type for cls in EVENT_TYPES]
    if seen != expected:
        problems.append(f"the kinds are {seen}, not {expected}")
    return problems


__all__ = [
    "catalogue_page",
    "check_examples",
    "cli_page",
    "field_rule",
    "generated",
    "missing_docstrings",
    "public_modules",
    "reference_pages",
    "views_page",
]
