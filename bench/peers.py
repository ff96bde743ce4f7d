"""The decoders we are compared with: pydantic v2 and msgspec models equivalent to our events.

Both are built from the event classes themselves, so they cannot drift from them: the same
fields, the same required and optional ones, the same field rules (non-blank text, party codes,
issue keys, whole numbers zero or more, at least one item, aware datetimes, whole days), unknown
keys refused, nested ``Person`` and ``Source`` objects, a union tagged by ``type``, and the rules
that span fields (exactly one of ``due`` or ``within_days``; ``per_side`` or ``terms``;
``ends`` not before ``starts``). Partial dates are parsed into our :class:`PartialDate`, as ours
are (msgspec's in ``__post_init__``, so its structs are not frozen). Left out: the checks for
NUL characters and lone surrogates, and for distinct parties.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Annotated, Any, Literal, get_args, get_origin

import attrs
import msgspec
import pydantic
from annotated_types import Ge, Len
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, StringConstraints

from negotiations import EVENT_TYPES, PartialDate, Person, Source
from negotiations.codec.schema import json_schema
from negotiations.domain.values import PARTIAL_DATE_PATTERN, PARTY_PATTERN

_FIELD_SCHEMA: dict[str, dict[str, Any]] = json_schema()["$defs"]
"""Each class's JSON Schema: the constraints of its fields, as the validators state them."""
NONBLANK = r"\S"


def _rules(obj: Any) -> None:  # noqa: ANN401 - any peer model
    """The rules that span fields, as the event classes check them."""
    if isinstance(obj, msgspec.Struct):
        obj.occurred = PartialDate.parse(obj.occurred)
        fields: Any = obj.__struct_fields__
    else:
        fields = type(obj).model_fields
    if "within_days" in fields and (obj.due is None) == (obj.within_days is None):
        raise ValueError("give exactly one of 'due' or 'within_days'")
    if "within_days" in fields and obj.within_days is not None and not obj.occurred.is_day:
        raise ValueError("'within_days' counts from a whole day")
    if "terms" in fields and obj.per_side is not None and obj.terms is not None:
        raise ValueError("give at most one of 'per_side' or 'terms'")
    if "starts" in fields and obj.starts is not None and obj.ends is not None and obj.ends < obj.starts:
        raise ValueError("ends before it starts")


def _constraints(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords of a field's schema, as msgspec ``Meta`` arguments."""
    names = {"pattern": "pattern", "minLength": "min_length", "minItems": "min_length", "minimum": "ge"}
    names |= {"maxItems": "max_length", "minProperties": "min_length"}
    return {names[k]: v for k, v in schema.items() if k in names}


def _peer_type(tp: object, schema: Mapping[str, Any], peer: Literal["msgspec", "pydantic"]) -> object:  # noqa: C901, PLR0911, PLR0912 - a case per type
    """The peer's annotation for one of our field types, with the field's constraints."""
    origin, args = get_origin(tp), get_args(tp)
    meta = _constraints(schema)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [a for a in args if a is not type(None)]
        return _peer_type(inner, schema, peer) | None
    if tp is date:
        return date
    if tp is datetime:
        return Annotated[datetime, msgspec.Meta(tz=True)] if peer == "msgspec" else AwareDatetime
    if tp is PartialDate:
        if peer == "msgspec":  # parsed by __post_init__: msgspec would take an attrs class for an object
            return Annotated[str, msgspec.Meta(pattern=PARTIAL_DATE_PATTERN)]
        return Annotated[str, AfterValidator(PartialDate.parse)]
    if tp in (Person, Source):
        return MODELS[peer][tp.__name__]
    if origin is tuple:
        item = _peer_type(args[0], schema.get("items", {}), peer)
        container = tuple[item, ...]  # type: ignore[valid-type]
    elif origin is Mapping and args[1] is Any:  # a JSON object of any values
        container = dict[str, Any]
    elif origin is Mapping:
        party = _peer_type(str, {"pattern": PARTY_PATTERN}, peer)
        count = _peer_type(int, {"minimum": 0}, peer)
        container = dict[party, count]  # type: ignore[valid-type]
    elif origin is Literal or tp in (int, float):
        container = tp
    else:  # str and Party
        container = str
    if not meta:
        return container
    if peer == "msgspec":
        return Annotated[container, msgspec.Meta(**meta)]
    if container is str:
        return Annotated[
            str, StringConstraints(pattern=meta.get("pattern"), min_length=meta.get("min_length"))
        ]
    extra = [Ge(meta["ge"])] if "ge" in meta else []
    if "min_length" in meta or "max_length" in meta:
        extra.append(Len(meta.get("min_length", 0), meta.get("max_length")))
    return Annotated[container, *extra]


def _fields(cls: type, peer: Literal["msgspec", "pydantic"]) -> list[tuple[str, object, object]]:
    """Each init field of ``cls``: name, peer type, default (``attrs.NOTHING``: required)."""
    name = getattr(cls, "wire_type", cls.__name__)
    properties = _FIELD_SCHEMA.get(name, {}).get("properties", {})
    hints = typing.get_type_hints(cls)
    out = []
    for a in attrs.fields(cls):
        hint = hints[a.name]
        schema = dict(properties.get(a.name, {}))
        if hint in (str, str | None) and "pattern" not in schema:  # Person's and Source's texts
            schema["pattern"] = NONBLANK
        out.append((a.name, _peer_type(hint, schema, peer), a.default))
    if isinstance(getattr(cls, "schema_version", None), int):  # written by newer versions of ours
        out.append(("schema_version", int | None, None))
    return out


MODELS: dict[str, dict[str, Any]] = {"msgspec": {}, "pydantic": {}}
"""Each peer's model classes, by our class name."""


def _msgspec_model(cls: type) -> type[msgspec.Struct]:
    fields = [(n, t) if d is attrs.NOTHING else (n, t, d) for n, t, d in _fields(cls, "msgspec")]
    wire = getattr(cls, "wire_type", None)
    namespace = {"__post_init__": _rules} if wire else {}
    return msgspec.defstruct(
        cls.__name__, fields, kw_only=True, forbid_unknown_fields=True,
        tag_field="type" if wire else None, tag=wire, namespace=namespace,
    )  # fmt: skip


def _pydantic_model(cls: type) -> type[pydantic.BaseModel]:
    fields: dict[str, Any] = {
        n: (t, ...) if d is attrs.NOTHING else (t, d) for n, t, d in _fields(cls, "pydantic")
    }
    wire = getattr(cls, "wire_type", None)
    validators: dict[str, Any] = {}
    if wire:
        fields["type"] = (Literal[wire], ...)

        def rules(self: Any) -> Any:  # noqa: ANN401 - the model
            _rules(self)
            return self

        validators["rules"] = pydantic.model_validator(mode="after")(rules)
    config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    return pydantic.create_model(cls.__name__, __config__=config, __validators__=validators, **fields)


for _cls in (Person, Source, *EVENT_TYPES):  # nested classes first: events refer to them
    MODELS["msgspec"][_cls.__name__] = _msgspec_model(_cls)
    MODELS["pydantic"][_cls.__name__] = _pydantic_model(_cls)

_EVENT_NAMES = [cls.__name__ for cls in EVENT_TYPES]
MSGSPEC_UNION: Any = reduce(or_, (MODELS["msgspec"][n] for n in _EVENT_NAMES))
PYDANTIC_UNION: Any = Annotated[
    reduce(or_, (MODELS["pydantic"][n] for n in _EVENT_NAMES)), Field(discriminator="type")
]


def pydantic_decoder() -> Callable[[str | bytes], Any]:
    """Pydantic's per-line decoder: a TypeAdapter of the discriminated union, ``validate_json``."""
    return pydantic.TypeAdapter(PYDANTIC_UNION).validate_json


def msgspec_decoder() -> msgspec.json.Decoder[Any]:
    """Msgspec's decoder of one event (``decode``) or of JSON Lines (``decode_lines``)."""
    return msgspec.json.Decoder(MSGSPEC_UNION)
