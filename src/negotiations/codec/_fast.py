"""Generated per-class functions that read and write the common case fast.

The cattrs converter with detailed validation says exactly which field of a bad line is wrong,
and that costs time on every good line too. The functions here are the other half: one plain
function per class, generated from its attrs fields, that takes the JSON object of a valid event
to the event with no error bookkeeping, and the event back to its JSON object.

A fast reader is at least as strict as the converter: it raises on anything it is not sure of
(any exception will do; its message is never shown), and the caller then runs the converter,
which accepts the line after all or raises the error it always raised. So the fast reader can only
make a line cheaper, never change what a line means. The event classes' own ``__init__`` runs as
always, with every validator: the rules stay in one place.

The fast writer gives the same dict as the converter, key for key and in the same order.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from json.encoder import encode_basestring  # the C function, as json.dumps uses
from types import MappingProxyType
from typing import Any, Final, Literal, NewType, get_args, get_origin

import attrs

from negotiations.domain import thaw_json
from negotiations.domain.values import PartialDate, parse_day, parse_recorded

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
    """Lines that check ``var`` against ``tp`` as the converter would, or convert it in place."""
    tp = _supertype(tp)
    origin, args = get_origin(tp), get_args(tp)
    emit = gen.lines.append
    inner = _optional_inner(tp)
    if inner is not None:
        emit(f"{indent}if {var} is not None:")
        _check(gen, inner, var, indent + "    ", structurers)
    elif tp is str:
        emit(f"{indent}if type({var}) is not str: raise _Miss")
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
        emit(f"{indent}if type({var}) is not str or {var} not in {gen.name('_choices', frozenset(args))}:")
        emit(f"{indent}    raise _Miss")
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


def _construct(gen: _Gen, cls: type, fields: tuple[attrs.Attribute[Any], ...]) -> None:
    """Lines that make ``e``, the instance of ``cls`` from the values ``v0``, ``v1``, ..., as its
    attrs ``__init__`` would: each value converted and set, then every validator, then
    ``__attrs_post_init__``. A validator with a :func:`~negotiations.domain.values.shortcut` runs
    only when its condition does not hold; that inline test is what makes this cheaper.
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
        condition, names = getattr(a.validator, "shortcut", (None, {}))
        if condition is None:
            emit(f"    {run}")
        else:
            named = {key: gen.name(f"_{key}", value) for key, value in names.items()}
            emit(f"    if not ({condition.format(v=f'v{n}', **named)}): {run}")
    if hasattr(cls, "__attrs_post_init__"):
        emit("    e.__attrs_post_init__()")
    emit("    return e")


def _unstructure_expr(  # noqa: PLR0911 - a case per field type
    gen: _Gen, tp: object, expr: str, unstructurers: Mapping[type, Unstructurer]
) -> str:
    """An expression for the JSON-ready form of ``expr``, of type ``tp``, as the converter gives."""
    tp = _supertype(tp)
    origin, args = get_origin(tp), get_args(tp)
    if tp in (str, int, float) or origin is Literal:
        return expr
    if tp is PartialDate:
        return f"{gen.name('_text', str)}({expr})"
    if tp is date or tp is datetime:
        return f"{gen.name('_iso', tp.isoformat)}({expr})"
    if isinstance(tp, type) and attrs.has(tp):
        if tp not in unstructurers:
            raise UnsupportedTypeError(tp)
        return f"{gen.name('_nested', unstructurers[tp])}({expr})"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 - tuple[X, ...]
        item = _unstructure_expr(gen, args[0], "_x", unstructurers)
        return f"list({expr})" if item == "_x" else f"[{item} for _x in {expr}]"
    if origin is Mapping:
        if _supertype(args[1]) is Any:
            return f"{gen.name('_thaw', thaw_json)}({expr})"
        key, value = gen.fresh("_k"), gen.fresh("_v")
        item = _unstructure_expr(gen, args[1], value, unstructurers)
        return f"{{{key}: {item} for {key}, {value} in {expr}.items()}}"
    raise UnsupportedTypeError(tp)


def _split(
    fields: tuple[attrs.Attribute[Any], ...], *, omit_none: bool = True
) -> tuple[list[attrs.Attribute[Any]], list[attrs.Attribute[Any]]]:
    """The fields a writer always writes, in class order, and those it writes after them only when
    not ``None`` (the fields that default to ``None``, unless not ``omit_none``).
    """
    always = [a for a in fields if not (omit_none and a.default is None)]
    return always, [a for a in fields if omit_none and a.default is None]


def unstructurer(
    cls: type,
    unstructurers: Mapping[type, Unstructurer],
    head: Mapping[str, object] | None = None,
    *,
    omit_none: bool = True,
) -> Unstructurer:
    """A fast writer of ``cls``: the dict the converter gives, after the items of ``head``.

    Like the event converter, it writes first every field whose default is not ``None`` and then,
    in class order, each field that defaults to ``None`` and is not ``None``. Without
    ``omit_none``, like the view converter, it writes every field in class order, ``None`` too.
    """
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    gen = _Gen()
    fn = f"unstructure_{cls.__name__}"
    gen.lines.append(f"def {fn}(e):")
    items = [f"{key!r}: {gen.name('_head', value)}" for key, value in (head or {}).items()]
    always, omitted = _split(fields, omit_none=omit_none)
    for a in always:
        inner = _optional_inner(a.type)
        if inner is not None:
            value = _unstructure_expr(gen, inner, f"e.{a.name}", unstructurers)
            items.append(f"{a.name!r}: None if e.{a.name} is None else {value}")
        else:
            items.append(f"{a.name!r}: {_unstructure_expr(gen, a.type, f'e.{a.name}', unstructurers)}")
    gen.lines.append(f"    d = {{{', '.join(items)}}}")
    for a in omitted:
        inner = _optional_inner(a.type)
        gen.lines.append(f"    v = e.{a.name}")
        gen.lines.append("    if v is not None:")
        expr = _unstructure_expr(gen, a.type if inner is None else inner, "v", unstructurers)
        gen.lines.append(f"        d[{a.name!r}] = {expr}")
    gen.lines.append("    return d")
    return gen.compile(fn)  # type: ignore[no-any-return]  # the function generated above


def _encode_expr(gen: _Gen, tp: object, expr: str, encoders: Mapping[type, Encoder]) -> str:
    """An expression for the JSON text of ``expr``, of type ``tp``, as ``json.dumps`` of the
    converter's value writes it (``ensure_ascii=False``, the default separators).
    """
    tp = _supertype(tp)
    origin, args = get_origin(tp), get_args(tp)
    if tp is str or origin is Literal:
        return f"{gen.name('_string', encode_basestring)}({expr})"
    if tp is int or tp is float:  # json writes both with their repr; event numbers are finite
        return f"{gen.name('_repr', tp.__repr__)}({expr})"
    if tp is PartialDate or tp is date or tp is datetime:  # digits, '-', ':', '+', 'T', '.', '?', '~'
        text = f"{gen.name('_text', str)}({expr})" if tp is PartialDate else f"{expr}.isoformat()"
        return f"'\"' + {text} + '\"'"
    if isinstance(tp, type) and attrs.has(tp):
        if tp not in encoders:
            raise UnsupportedTypeError(tp)
        return f"{gen.name('_nested', encoders[tp])}({expr})"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 - tuple[X, ...]
        item = _encode_expr(gen, args[0], "_x", encoders)
        return f"'[' + ', '.join([{item} for _x in {expr}]) + ']'"
    if origin is Mapping:
        return f"{gen.name('_dump', dump_json)}({gen.name('_thaw', thaw_json)}({expr}))"
    raise UnsupportedTypeError(tp)


def encoder(cls: type, encoders: Mapping[type, Encoder], head: Mapping[str, object] | None = None) -> Encoder:
    """A fast line writer of ``cls``: exactly the JSON text of what :func:`unstructurer`'s writer
    gives (``head``'s items first, then the fields in the same order), without building the dict.
    """
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    gen = _Gen()
    fn = f"encode_{cls.__name__}"
    gen.lines.append(f"def {fn}(e):")
    parts = [repr(f"{dump_json(key)}: {dump_json(value)}") for key, value in (head or {}).items()]
    always, omitted = _split(fields)
    parts += [
        f"{dump_json(a.name)!r} + ': ' + {_encode_expr(gen, a.type, f'e.{a.name}', encoders)}" for a in always
    ]
    gen.lines.append(f"    s = '{{' + ', '.join([{', '.join(parts)}])")
    for a in omitted:
        inner = _optional_inner(a.type)
        glue = "', '" if parts else "('' if s == '{' else ', ')"
        gen.lines.append(f"    v = e.{a.name}")
        gen.lines.append("    if v is not None:")
        expr = _encode_expr(gen, a.type if inner is None else inner, "v", encoders)
        gen.lines.append(f"        s += {glue} + {dump_json(a.name)!r} + ': ' + {expr}")
    gen.lines.append("    return s + '}'")
    return gen.compile(fn)  # type: ignore[no-any-return]  # the function generated above
