"""Generated per-class functions: the one writer of each class, and the reader of the common case.

The cattrs converter with detailed validation says exactly which field of a bad line is wrong,
and that costs time on every good line too. The readers here are the other half: one plain
function per class, generated from its attrs fields, that takes the JSON object of a valid event
to the event with no error bookkeeping. A fast reader is at least as strict as the converter: it
raises on anything it is not sure of (any exception will do; its message is never shown), and the
caller then runs the converter, which accepts the line after all or raises the error it always
raised. So the fast reader can only make a line cheaper, never change what a line means. The
classes' own ``__init__`` runs as always, with every validator: the rules stay in one place, and
the inline test that spares a validator's call is derived here (:func:`condition`) from the data
of the rule it keeps (:mod:`negotiations.domain.rules`).

The writers are the only ones: :func:`writer` gives a class's JSON-ready dict or, from the same
per-field expressions, its JSON text, for events, their values and views alike.
"""

from __future__ import annotations

import json
import math
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from json.encoder import encode_basestring  # the C function, as json.dumps uses
from types import MappingProxyType
from typing import Any, Final, Literal, NewType, get_args, get_origin

import attrs

from negotiations.domain import OMIT_EMPTY, thaw_json
from negotiations.domain.rules import Rule, TupleRule, rule_of
from negotiations.domain.values import PartialDate, Party, parse_day, parse_recorded

Structurer = Callable[[dict[str, Any]], Any]
"""A fast reader: a JSON object in, an instance out, or any exception."""
Unstructurer = Callable[[Any], dict[str, Any]]
"""A fast writer: an instance in, its JSON-ready dict out."""
Encoder = Callable[[Any], str]
"""A fast line writer: an instance in, its JSON text out."""


class UnsupportedTypeError(TypeError):
    """A field type the generator has no fast code for; that class is read the slow way only."""


class Miss(Exception):  # noqa: N818 - not an error: the signal to take the slow path
    """Raised by a fast reader for any input it does not accept; never shown to a user."""


dump_json: Final[Callable[[object], str]] = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
"""``json.dumps(value, ensure_ascii=False)`` for the values an event unstructures to, without building
an encoder on every call. It skips the check for circular references: such a value is a tree of
fresh dicts and lists, and holds no cycle.
"""

_CACHE_SIZE: Final = 4096
"""Parsed dates, datetimes and partial dates kept for reuse (all immutable); a log repeats them."""


class _Cache:
    """``parse`` with its results kept for reuse, by the exact string parsed."""

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse = parse
        self.held: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:  # noqa: ANN401 - whatever ``parse`` gives
        parsed = self.parse(text)
        if len(self.held) >= _CACHE_SIZE:
            self.held.clear()
        self.held[text] = parsed
        return parsed


_SCALARS: Final[Mapping[object, tuple[str, _Cache]]] = {
    date: ("_day", _Cache(parse_day)),
    datetime: ("_moment", _Cache(parse_recorded)),
    PartialDate: ("_partial", _Cache(PartialDate.parse)),
}


class _Gen:
    """The source of one generated function and the names it closes over."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, object] = {"_Miss": Miss}
        self.count = 0

    def fresh(self, prefix: str) -> str:
        """A local variable name not used before in this function."""
        self.count += 1
        return f"{prefix}{self.count}"

    def name(self, prefix: str, value: object) -> str:
        for existing, held in self.names.items():
            if held is value and existing.startswith(prefix):
                return existing
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def compile(self, name: str) -> Any:  # noqa: ANN401 - a generated function
        source = "\n".join(self.lines)
        namespace: dict[str, Any] = dict(self.names)
        exec(compile(source, f"<negotiations fast {name}>", "exec"), namespace)  # noqa: S102 - our own generated code, as attrs and cattrs do
        return namespace[name]


def _supertype(tp: object) -> object:
    while isinstance(tp, NewType):
        tp = tp.__supertype__
    return tp


def _optional_inner(tp: object) -> object | None:
    """``X`` of ``X | None``, or ``None`` when ``tp`` is not optional."""
    if get_origin(tp) in (types.UnionType, typing.Union):
        args: list[object] = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:  # noqa: PLR2004 - X and None
            return args[0]
    return None


def _check(gen: _Gen, tp: object, var: str, indent: str, structurers: Mapping[type, Structurer]) -> None:  # noqa: C901, PLR0912, PLR0915 - a case per field type
    """Lines that check ``var`` against ``tp`` as the converter would, or convert it in place.

    A party code is interned, and a choice (a ``Literal``) replaced by the library's own string:
    a log repeats a few dozen such values in nearly every event, and views that keep them would
    otherwise keep a copy of each per event.
    """
    named, tp = tp, _supertype(tp)
    origin, args = get_origin(tp), get_args(tp)
    emit = gen.lines.append
    inner = _optional_inner(tp)
    if inner is not None:
        emit(f"{indent}if {var} is not None:")
        _check(gen, inner, var, indent + "    ", structurers)
    elif tp is str:
        emit(f"{indent}if type({var}) is not str: raise _Miss")
        if named is Party:
            emit(f"{indent}{var} = {gen.name('_intern', sys.intern)}({var})")
    elif tp is int:  # a whole number; an integral float such as 1000.0 is one too, as in JSON
        emit(f"{indent}if type({var}) is not int:")
        emit(f"{indent}    if type({var}) is not float or not {var}.is_integer(): raise _Miss")
        emit(f"{indent}    {var} = int({var})")
    elif tp is float:
        emit(f"{indent}if type({var}) is not float:")
        emit(f"{indent}    if type({var}) is not int: raise _Miss")
        emit(f"{indent}    {var} = float({var})")
    elif tp in _SCALARS:
        prefix, cache = _SCALARS[tp]
        # Inline, as the common case: a string parsed before. Only exact strings are looked up.
        emit(f"{indent}if type({var}) is not str: raise _Miss")
        emit(f"{indent}_p = {gen.name(prefix + '_held', cache.held)}.get({var})")
        emit(f"{indent}{var} = {gen.name(prefix, cache)}({var}) if _p is None else _p")
    elif origin is Literal:
        if not all(type(a) is str for a in args):
            raise UnsupportedTypeError(tp)
        canonical = gen.name("_canonical", {a: a for a in args})
        emit(f"{indent}_c = {canonical}.get({var}) if type({var}) is str else None")
        emit(f"{indent}if _c is None: raise _Miss")
        emit(f"{indent}{var} = _c")
    elif isinstance(tp, type) and attrs.has(tp):
        if tp not in structurers:
            raise UnsupportedTypeError(tp)
        emit(f"{indent}{var} = {gen.name('_nested', structurers[tp])}({var})")
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 - tuple[X, ...]
        emit(f"{indent}if type({var}) is not list: raise _Miss")
        item = _supertype(args[0])
        if item is str:
            emit(f"{indent}for _x in {var}:")
            emit(f"{indent}    if type(_x) is not str: raise _Miss")
            if args[0] is Party:
                emit(f"{indent}{var} = tuple(map({gen.name('_intern', sys.intern)}, {var}))")
            else:
                emit(f"{indent}{var} = tuple({var})")
        elif isinstance(item, type) and attrs.has(item) and item in structurers:
            emit(f"{indent}{var} = tuple([{gen.name('_nested', structurers[item])}(_x) for _x in {var}])")
        else:
            raise UnsupportedTypeError(tp)
    elif origin is Mapping:
        key, value = (_supertype(a) for a in args)
        emit(f"{indent}if type({var}) is not dict: raise _Miss")
        if value is Any:
            return  # a JSON object kept as read: the converter passes it on as it is
        if key is not str:
            raise UnsupportedTypeError(tp)
        # JSON keys are strings already; each value is checked, and the copy made read-only as
        # the converters make it (an event's converter freezes a read-only mapping the same way).
        read, key_var, item = gen.fresh("_m"), gen.fresh("_k"), gen.fresh("_v")
        emit(f"{indent}{read} = {{}}")
        emit(f"{indent}for {key_var}, {item} in {var}.items():")
        _check(gen, value, item, indent + "    ", structurers)
        if args[0] is Party:
            emit(f"{indent}    {read}[{gen.name('_intern', sys.intern)}({key_var})] = {item}")
        else:
            emit(f"{indent}    {read}[{key_var}] = {item}")
        emit(f"{indent}{var} = {gen.name('_proxy', MappingProxyType)}({read})")
    else:
        raise UnsupportedTypeError(tp)


def structurer(cls: type, structurers: Mapping[type, Structurer], *, envelope: bool = False) -> Structurer:
    """A fast reader of ``cls`` from a JSON object (with ``type`` and ``schema_version`` allowed,
    and ignored, when ``envelope``). Raises :class:`UnsupportedTypeError` for a field type it cannot read.
    """
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    allowed = frozenset(a.name for a in fields) | ({"type", "schema_version"} if envelope else set())
    gen = _Gen()
    fn = f"structure_{cls.__name__}"
    gen.lines.append(f"def {fn}(o):")
    gen.lines.append("    if type(o) is not dict or not o.keys() <= _allowed: raise _Miss")
    gen.names["_allowed"] = allowed
    gen.names["_cls"] = cls
    for n, a in enumerate(fields):
        var = f"v{n}"
        inner = _optional_inner(a.type)
        if a.default is attrs.NOTHING:
            gen.lines.append(f"    {var} = o[{a.name!r}]")
            _check(gen, a.type, var, "    ", structurers)
        elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]  # attrs types Factory loosely
            raise UnsupportedTypeError(f"{cls.__name__}.{a.name} has a factory default")
        elif inner is not None and a.default is None:
            # Absent and null both mean the default, None, for the converter too.
            gen.lines.append(f"    {var} = o.get({a.name!r})")
            gen.lines.append(f"    if {var} is not None:")
            _check(gen, inner, var, "        ", structurers)
        else:
            gen.lines.append(f"    if {a.name!r} in o:")
            gen.lines.append(f"        {var} = o[{a.name!r}]")
            _check(gen, a.type, var, "        ", structurers)
            gen.lines.append("    else:")
            gen.lines.append(f"        {var} = {gen.name('_default', a.default)}")
    _construct(gen, cls, fields)
    return gen.compile(fn)  # type: ignore[no-any-return]  # the function generated above


def condition(gen: _Gen, rule: Rule | TupleRule, var: str) -> str:
    """A Python expression in ``var`` that holds only for values ``rule`` describes, and so only
    for values a validator that keeps ``rule`` accepts: derived here from the rule's data, so
    that the rule itself is stated once, in its validator.
    """
    if isinstance(rule, TupleRule):
        item = condition(gen, rule.item, "_x")
        sizes = "" if rule.min_items == 0 else f" and {rule.min_items} <= len({var})"
        sizes += "" if rule.max_items is None else f" and len({var}) <= {rule.max_items}"
        unique = f" and len(set({var})) == len({var})" if rule.unique else ""
        return f"type({var}) is tuple{sizes} and all([{item} for _x in {var}]){unique}"
    match rule.kind:
        case "text":  # ordinary text, known cheaply: a non-blank ASCII string without NUL
            test = f"type({var}) is str and {var}.isascii() and {var} != '' and not {var}.isspace()"
            test += f" and '\\x00' not in {var}"
        case "pattern":
            pattern = rule.pattern.fullmatch  # type: ignore[union-attr]  # a pattern rule has one
            test = f"type({var}) is str and {gen.name('_pattern', pattern)}({var}) is not None"
        case "choice":
            test = f"type({var}) is str and {var} in {gen.name('_choices', rule.choices)}"
        case "count":
            test = f"type({var}) is int and {var} >= 0"
        case "number":
            test = f"type({var}) is float and 0.0 <= {var} < {gen.name('_inf', math.inf)}"
        case "exactly":
            test = f"type({var}) is {gen.name('_class', rule.cls)}"
        case "aware":
            test = f"type({var}) is {gen.name('_class', datetime)} and {var}.utcoffset() is not None"
    return f"{var} is None or ({test})" if rule.optional else test


def _construct(gen: _Gen, cls: type, fields: tuple[attrs.Attribute[Any], ...]) -> None:
    """Lines that make ``e``, the instance of ``cls`` from the values ``v0``, ``v1``, ..., as its
    attrs ``__init__`` would: each value converted and set, then every validator, then
    ``__attrs_post_init__``. A validator that keeps a rule (:func:`~negotiations.domain.rules.keeps`)
    runs only when the :func:`condition` of that rule does not hold; that inline test is what
    makes this cheaper.
    """
    emit = gen.lines.append
    emit(f"    e = {gen.name('_new', object.__new__)}(_cls)")
    setattr_ = gen.name("_setattr", object.__setattr__)
    for n, a in enumerate(fields):
        if a.converter is not None:
            emit(f"    v{n} = {gen.name('_convert', a.converter)}(v{n})")
        emit(f"    {setattr_}(e, {a.name!r}, v{n})")
    for n, a in enumerate(fields):
        if a.validator is None:
            continue
        run = f"{gen.name('_check', a.validator)}(e, {gen.name('_field', a)}, v{n})"
        rule = rule_of(a.validator)
        emit(f"    {run}" if rule is None else f"    if not ({condition(gen, rule, f'v{n}')}): {run}")
    if hasattr(cls, "__attrs_post_init__"):
        emit("    e.__attrs_post_init__()")
    emit("    return e")


def _written(  # noqa: PLR0911 - a case per field type
    gen: _Gen, tp: object, expr: str, writers: Mapping[type, Callable[[Any], Any]], *, text: bool
) -> str:
    """An expression for the JSON-ready value of ``expr``, of type ``tp``, or with ``text`` for
    its JSON text, exactly as ``json.dumps`` of that value writes it (``ensure_ascii=False``, the
    default separators). Each case gives both forms, so that the two writers cannot drift apart.
    """
    tp = _supertype(tp)
    origin, args = get_origin(tp), get_args(tp)
    if tp is str or origin is Literal:
        return f"{gen.name('_string', encode_basestring)}({expr})" if text else expr
    if tp is int or tp is float:  # json writes both with their repr; event numbers are finite
        return f"{gen.name('_repr', tp.__repr__)}({expr})" if text else expr
    if tp is PartialDate or tp is date or tp is datetime:  # digits, '-', ':', '+', 'T', '.', '?', '~'
        as_text = str if tp is PartialDate else date.isoformat if tp is date else datetime.isoformat
        value = f"{gen.name('_text', as_text)}({expr})"
        return f"'\"' + {value} + '\"'" if text else value
    if isinstance(tp, type) and attrs.has(tp):
        if tp not in writers:
            raise UnsupportedTypeError(tp)
        return f"{gen.name('_nested', writers[tp])}({expr})"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 - tuple[X, ...]
        item = _written(gen, args[0], "_x", writers, text=text)
        if text:
            return f"'[' + ', '.join([{item} for _x in {expr}]) + ']'"
        return f"list({expr})" if item == "_x" else f"[{item} for _x in {expr}]"
    if origin is Mapping:
        if text or _supertype(args[1]) is Any:  # a JSON object, or counts: json writes either
            value = f"{gen.name('_thaw', thaw_json)}({expr})"
            return f"{gen.name('_dump', dump_json)}({value})" if text else value
        key, item = gen.fresh("_k"), gen.fresh("_v")
        value = _written(gen, args[1], item, writers, text=False)
        return f"{{{key}: {value} for {key}, {item} in {expr}.items()}}"
    raise UnsupportedTypeError(tp)


def _field(gen: _Gen, a: attrs.Attribute[Any], expr: str, writers: Mapping[type, Any], *, text: bool) -> str:
    """The written form of field ``a``'s value ``expr``: ``null`` for ``None`` if its type allows it."""
    inner = _optional_inner(a.type)
    if inner is None:
        return _written(gen, a.type, expr, writers, text=text)
    value = _written(gen, inner, expr, writers, text=text)
    return f"{'None' if not text else repr('null')} if {expr} is None else {value}"


def writer(
    cls: type,
    writers: Mapping[type, Callable[[Any], Any]],
    head: Mapping[str, object] | None = None,
    *,
    text: bool = False,
    omit_none: bool = True,
) -> Callable[[Any], Any]:
    """A fast writer of ``cls``: its JSON-ready dict (an :data:`Unstructurer`), or with ``text``
    the JSON text of that dict (an :data:`Encoder`), written straight from the instance without
    building the dict. ``writers`` are those of the classes ``cls`` holds, of the same form.

    Like the event converter, it writes the items of ``head``, then every field whose default is
    not ``None`` and then, in class order, each field that defaults to ``None`` and is not
    ``None``, and each list marked :data:`~negotiations.domain.OMIT_EMPTY` that is not empty.
    Without ``omit_none``, like the view converter, it writes every field in class order,
    ``None`` too. Raises :class:`UnsupportedTypeError` for a field type it cannot write.
    """
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)

    def left_out(a: attrs.Attribute[Any]) -> bool:
        return omit_none and (a.default is None or bool(a.metadata.get(OMIT_EMPTY)))

    always = [a for a in fields if not left_out(a)]
    omitted = [a for a in fields if left_out(a)]
    gen = _Gen()
    fn = f"{'encode' if text else 'unstructure'}_{cls.__name__}"
    gen.lines.append(f"def {fn}(e):")
    if text:
        parts = [repr(f"{dump_json(key)}: {dump_json(value)}") for key, value in (head or {}).items()]
        parts += [
            f"{dump_json(a.name)!r} + ': ' + {_field(gen, a, f'e.{a.name}', writers, text=True)}"
            for a in always
        ]
        gen.lines.append(f"    s = '{{' + ', '.join([{', '.join(parts)}])")
        glue = "', '" if parts else "('' if s == '{' else ', ')"
    else:
        items = [f"{key!r}: {gen.name('_head', value)}" for key, value in (head or {}).items()]
        items += [f"{a.name!r}: {_field(gen, a, f'e.{a.name}', writers, text=False)}" for a in always]
        gen.lines.append(f"    d = {{{', '.join(items)}}}")
    for a in omitted:
        inner = _optional_inner(a.type)
        value = _written(gen, a.type if inner is None else inner, "v", writers, text=text)
        gen.lines.append(f"    v = e.{a.name}")
        gen.lines.append("    if v:" if a.metadata.get(OMIT_EMPTY) else "    if v is not None:")
        if text:
            gen.lines.append(f"        s += {glue} + {dump_json(a.name)!r} + ': ' + {value}")
        else:
            gen.lines.append(f"        d[{a.name!r}] = {value}")
    gen.lines.append("    return s + '}'" if text else "    return d")
    return gen.compile(fn)  # type: ignore[no-any-return]  # the function generated above
