"""The service: a FastAPI application over one event store.

=========================================================  ===========================================
``POST /streams/{name}/events``                            append JSON Lines or a JSON array, atomically
``GET /streams/{name}/views/{view}?as_of=&known_at=``      a view, as ``show --json --view`` prints it
``GET /streams/{name}/events?after=N``                     the stream from version N on, live (SSE)
``GET /schema``                                            the JSON Schema of an event
=========================================================  ===========================================

Every store call runs in a worker thread (:func:`starlette.concurrency.run_in_threadpool`), never
on the event loop: the library's stores are synchronous and safe to share between threads, and
a thread keeps one code path for every backend (an async PostgreSQL driver would serve only one
of them). Folding and rendering a view is CPU work, and goes to the same threads.

Each stream's views are kept live by a :class:`~negotiations.services.ProjectionRunner`, one per
stream, made when the stream is first asked for. A request for a view first lets the runner
fold what was committed since it last looked (one cheap read when nothing was), so a view always
holds every append that was answered before the request came, made by this instance or by any
other on the same store. A request with ``as_of`` or ``known_at`` folds the stream on demand.
"""

from __future__ import annotations

import asyncio
import enum
import json
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing
from datetime import date, datetime
from itertools import islice
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from negotiations import Views, project
from negotiations.codec import encode_line, from_json, load_json, read_events
from negotiations.codec.schema import json_schema
from negotiations.domain.events import Event
from negotiations.domain.values import parse_day, parse_moment
from negotiations.errors import ConcurrencyError, DecodeError, LogError, NegotiationsError, StoreError
from negotiations.log import EventLog
from negotiations.projections import VIEW_NAMES, Citations
from negotiations.render import views_to_json
from negotiations.services import ProjectionRunner
from negotiations.stores import EventStore, load_stream, open_store

__all__ = ["JSON_LINES", "STREAM_PATTERN", "Service", "create_app", "router"]

JSON_LINES: Final = "application/x-ndjson"
"""The media type of a body of JSON Lines, one event a line."""

STREAM_PATTERN: Final = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
"""What a stream name is (as :func:`negotiations.stores.check_stream` checks it)."""

_BATCH: Final = 500
"""How many events an SSE stream reads from the store at a time."""

_POLL: Final = 0.2
"""How long an SSE stream that has caught up waits before it looks for new events, in seconds."""

_KEEPALIVE: Final = 15.0
"""How often an idle SSE stream sends a comment, so that proxies keep the connection open."""


View = enum.StrEnum("View", {name: name for name in VIEW_NAMES})  # type: ignore[misc] # one member per view, from the library's list


class Version(BaseModel):
    """What an append answers: the stream's version after it."""

    version: int


class Conflict(BaseModel):
    """What an append that expected another version answers (409). Nothing was written."""

    error: str
    version: int


class Invalid(BaseModel):
    """What bad input gets (422): what was wrong, and the line (1-based: of a JSON Lines body, or
    the item of a JSON array) and the field at fault, where there is one. Nothing was written.
    """

    error: str
    line: int | None
    field: str | None


class Problem(BaseModel):
    """Any other error: an unknown stream (404), an unsupported media type (415), a store that
    cannot be reached (503).
    """

    error: str


class _Live:
    """One stream's live views: its runner; the stream's events, which the views' sources and
    summaries are read from, extended with what is new at each request; and the lock that lets one
    request at a time move them.
    """

    def __init__(self, store: EventStore, stream: str, prefix: str) -> None:
        self.store = store
        self.stream = stream
        self.runner = ProjectionRunner(store, stream=stream, prefix=prefix)
        self.log = EventLog()
        self.citations = Citations(self.log)
        self.lock = threading.Lock()

    def current(self) -> tuple[Views, Citations, int]:
        """The views as of now, with every event committed before the call; where their sources
        are read from; and the stream's version they hold at least.

        Only what was committed since the last call is read: the runner folds it, and the log
        gains it. The views are immutable, so they are rendered after the lock is let go.
        """
        with self.lock:
            self.runner.catch_up()
            # Read after the runner: the log holds at least every event the views hold.
            with closing(self.store.read_stream(self.stream, len(self.log) + 1)) as records:  # type: ignore[type-var] # a generator
                new = [record.event for record in records]
            if new:
                self.log = self.log.extend(new)
                self.citations = Citations(self.log)
            live = self.runner.views
            return Views(as_of=_latest_day(live["timeline"].entries), **live), self.citations, len(self.log)


def _latest_day(entries: Any) -> date | None:  # noqa: ANN401 - the timeline's entries
    """The day the views are as of when no ``as_of`` is given, as :func:`~negotiations.project`
    chooses it: the latest day a counted fact may have started on. Every counted fact has an
    entry on the timeline, so it is the latest of the entries' earliest days.
    """
    return max((entry.occurred.earliest for entry in entries), default=None)


class Service:
    """What the application serves from: one store, and the live views of its streams.

    Args:
        url: The store's URL (``None``: the library's default store).
        instance: This instance's name, which its runners' snapshots are saved under, so that
            two instances on one store do not overwrite each other's.

    """

    def __init__(self, url: str | None, instance: str) -> None:
        self.url = url
        self.instance = instance
        self._store: EventStore | None = None
        self._live: dict[str, _Live] = {}
        self._lock = threading.Lock()

    @property
    def store(self) -> EventStore:
        """The open store."""
        if self._store is None:
            raise StoreError("the service's store is not open")
        return self._store

    def open(self) -> None:
        """Open the store (in a worker thread: opening may create the file or the tables)."""
        self._store = open_store(self.url)

    def close(self) -> None:
        """Close the store."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def append(self, stream: str, numbered: list[tuple[int, Event]], expected: int | None) -> int:
        """Append the events in one atomic append; a log error names the line of its event."""
        if not numbered:
            raise DecodeError("the body holds no events")
        line_of = {event.id: number for number, event in numbered}  # a repeated id: its later line
        try:
            return self.store.append(stream, [event for _, event in numbered], expected_version=expected)
        except LogError as exc:
            if exc.event_id in line_of:
                exc.at_line(line_of[exc.event_id])
            raise

    def live(self, stream: str) -> _Live:
        """The live views of ``stream``, made (and caught up from its snapshots) when first asked."""
        with self._lock:
            if stream not in self._live:
                self._live[stream] = _Live(self.store, stream, f"service/{self.instance}")
            return self._live[stream]

    def view(
        self, stream: str, view: str, as_of: date | None, known_at: datetime | None
    ) -> tuple[bytes, int]:
        """``view`` of ``stream`` as JSON, live or folded on demand as of a day or as known at a
        moment, and the stream's version it holds.
        """
        if not self.store.stream_version(stream):
            raise _NoStreamError(stream)
        if as_of is None and known_at is None:
            views, citations, version = self.live(stream).current()
            data = views_to_json(views, (view,), citations=citations)
        else:
            log = load_stream(self.store, stream)
            data, version = views_to_json(project(log, as_of=as_of, known_at=known_at), (view,)), len(log)
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(), version

    def read(self, stream: str, after: int) -> list[tuple[int, str]]:
        """At most a batch of the events of ``stream`` after version ``after``: each version and
        JSON line.
        """
        with closing(self.store.read_stream(stream, after + 1)) as records:  # type: ignore[type-var] # a generator
            return [(record.version, encode_line(record.event)) for record in islice(records, _BATCH)]


class _NoStreamError(NegotiationsError):
    """The stream asked for holds no events."""

    def __init__(self, stream: str) -> None:
        super().__init__(f"stream '{stream}' holds no events", field="name")


def _expected(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header expects: ``26`` or ``"26"`` (an ETag); none for no
    header or ``*``. A weak ETag (``W/"26"``) is refused: ``If-Match`` compares strongly.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    text = if_match.strip()
    if text.startswith("W/"):
        raise DecodeError(
            f'{if_match!r} is a weak ETag, which If-Match cannot match: send "26"', field="If-Match"
        )
    if len(text) >= 2 and text[0] == text[-1] == '"':  # noqa: PLR2004 - the two quotes
        text = text[1:-1]
    if not text.isascii() or not text.isdigit():
        reason = f'{if_match!r} is not a stream version: give a number, or an ETag such as "26"'
        raise DecodeError(reason, field="If-Match")
    return int(text)


def _events(body: bytes, media: str) -> list[tuple[int, Event]]:
    """The events of a body with their line numbers: the lines of JSON Lines, or the 1-based
    items of a JSON array.
    """
    if media == JSON_LINES:
        number = 0

        def counted() -> Iterator[bytes]:
            nonlocal number
            for number, line in enumerate(body.splitlines(keepends=True), 1):  # noqa: B007 - read below
                yield line

        # read_events yields each event as soon as its line is decoded: ``number`` is that line.
        return [(number, event) for event in read_events(counted())]
    try:
        items = load_json(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DecodeError(f"the body is not UTF-8 text ({exc.reason})") from None
    except ValueError as exc:
        raise DecodeError(f"the body is not valid JSON: {exc}") from None
    if not isinstance(items, list):
        raise DecodeError("the body is not a JSON array of events")
    numbered = []
    for number, item in enumerate(items, 1):
        try:
            numbered.append((number, from_json(item)))
        except NegotiationsError as exc:
            raise exc.at_line(number) from None
    return numbered


def _invalid(exc: NegotiationsError) -> JSONResponse:
    body = Invalid(error=str(exc), line=exc.line, field=exc.field)
    return JSONResponse(body.model_dump(), status_code=422)


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse(Problem(error=message).model_dump(), status_code=status)


_STREAM = Annotated[
    str, Path(pattern=STREAM_PATTERN, description="the stream's name", examples=["russia-ukraine"])
]

_EVENTS_BODY: Final = {
    "required": True,
    "description": "Events, as JSON Lines or as one JSON array; each as `GET /schema` describes it.",
    "content": {
        JSON_LINES: {
            "schema": {"type": "array", "items": {"type": "object"}, "description": "one object a line"}
        },
        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
    },
}

_JSON_OBJECT: Final = {"content": {"application/json": {"schema": {"type": "object"}}}}
_NOT_FOUND: Final = {"model": Problem, "description": "The stream holds no events."}
_INVALID: Final = {"model": Invalid, "description": "Bad input; nothing was written."}
_UNAVAILABLE: Final = {"model": Problem, "description": "The store cannot be read or written."}
_CONFLICT: Final = {
    "model": Conflict,
    "description": "The stream is at another version; nothing was written.",
}
_UNSUPPORTED: Final = {"model": Problem, "description": "The body is neither JSON Lines nor JSON."}

router = APIRouter()
"""The service's routes; :func:`create_app` mounts them over a :class:`Service`."""


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


_SERVICE = Annotated[Service, Depends(_service)]


@router.post(
    "/streams/{name}/events",
    status_code=201,
    response_model=Version,
    responses={409: _CONFLICT, 415: _UNSUPPORTED, 422: _INVALID, 503: _UNAVAILABLE},
    openapi_extra={"requestBody": _EVENTS_BODY},
    summary="Append events to a stream",
)
async def append(
    name: _STREAM,
    request: Request,
    service: _SERVICE,
    if_match: Annotated[
        str | None,
        Header(
            description='the version the stream must be at: a number, an ETag such as "26", or * for any',
        ),
    ] = None,
) -> JSONResponse:
    """Append the body's events to the stream in one atomic append, all or none. Events already
    in the stream with identical content are skipped, so a retry is harmless.
    """
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media not in (JSON_LINES, "application/json"):
        return _problem(415, f"send {JSON_LINES} or application/json, not {media or 'no content type'}")
    expected = _expected(if_match)
    body = await request.body()
    numbered = await run_in_threadpool(_events, body, media)
    version = await run_in_threadpool(service.append, name, numbered, expected)
    return JSONResponse({"version": version}, status_code=201, headers={"ETag": f'"{version}"'})


@router.get(
    "/streams/{name}/views/{view}",
    responses={200: _JSON_OBJECT, 404: _NOT_FOUND, 422: _INVALID, 503: _UNAVAILABLE},
    summary="A view of a stream",
)
async def view(
    name: _STREAM,
    view: Annotated[View, Path(description="the view's name")],
    service: _SERVICE,
    as_of: Annotated[
        str | None,
        Query(description="count what may have occurred by this day", json_schema_extra={"format": "date"}),
    ] = None,
    known_at: Annotated[
        str | None,
        Query(
            description="count what was recorded by then: a day (its end, UTC) or a datetime with its offset",
            json_schema_extra={"anyOf": [{"type": "string", "format": f} for f in ("date", "date-time")]},
        ),
    ] = None,
) -> Response:
    """The view as ``negotiations show --json --view VIEW`` prints it: live, or folded on demand
    as of a day and as known at a moment. Its ``ETag`` is the stream's version it holds, for an
    append's ``If-Match``.
    """
    day = None if as_of is None else parse_day(as_of, "as_of")
    moment = None if known_at is None else parse_moment(known_at, "known_at")
    body, version = await run_in_threadpool(service.view, name, str(view), day, moment)
    return Response(body, media_type="application/json", headers={"ETag": f'"{version}"'})


@router.get(
    "/streams/{name}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}, 422: _INVALID},
    summary="Follow a stream",
)
async def follow(
    name: _STREAM,
    service: _SERVICE,
    after: Annotated[int | None, Query(ge=0, description="send the events after this version")] = None,
    last_event_id: Annotated[
        str | None, Header(description="set by a reconnecting EventSource: the last version it saw")
    ] = None,
) -> StreamingResponse:
    """Each event of the stream after version ``after`` (or after the ``Last-Event-ID`` that a
    reconnecting client sends, which wins), then each new one as it is committed: ``id:`` its
    version, ``data:`` its JSON line. A stream with no events yet is followed from its first.
    """
    # A reconnecting EventSource sends Last-Event-ID to the URL it first opened, ?after= and all:
    # the id, when given, is where it stopped.
    start = _last_seen(last_event_id) if last_event_id is not None else after or 0
    messages = _messages(service, name, start)
    return StreamingResponse(messages, media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.get("/schema", responses={200: _JSON_OBJECT}, summary="The JSON Schema of an event")
async def schema() -> JSONResponse:
    """The JSON Schema of one event, as ``negotiations schema`` prints it."""
    return JSONResponse(json_schema())


async def _bad_request(_request: Request, exc: Exception) -> JSONResponse:
    """A request that FastAPI refused: a path, query or header that breaks its rule."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else [{}]
    first = errors[0]
    where: str | None = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
    if where is not None and first["loc"][0] == "header":  # as HTTP spells it: If-Match
        where = "-".join(word.capitalize() for word in where.split("-"))
    return JSONResponse(
        Invalid(error=str(first.get("msg", exc)), line=None, field=where).model_dump(), status_code=422
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """A request Starlette refused (no such path, a method the path does not take), with our body.

    A method not allowed lists in ``Allow`` every method of the path, not just those of the one
    route Starlette tried: each method of a path is a route of its own.
    """
    if not isinstance(exc, StarletteHTTPException):
        raise exc
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # noqa: PLR2004 - Method Not Allowed
        methods = {
            method
            for route in request.app.routes
            if isinstance(route, APIRoute) and route.path_regex.match(request.url.path)
            for method in route.methods or ()
        }
        headers["Allow"] = ", ".join(sorted(methods))
    return JSONResponse(
        Problem(error=str(exc.detail)).model_dump(), status_code=exc.status_code, headers=headers
    )


async def _our_error(_request: Request, exc: Exception) -> JSONResponse:
    """One of the library's errors, as its status and body."""
    if isinstance(exc, ConcurrencyError):
        return JSONResponse(Conflict(error=str(exc), version=exc.actual).model_dump(), status_code=409)
    if isinstance(exc, _NoStreamError):
        return _problem(404, str(exc))
    if isinstance(exc, StoreError):
        return _problem(503, str(exc))
    if isinstance(exc, NegotiationsError):
        return _invalid(exc)
    raise exc


def create_app(store: str | None = None, *, instance: str = "default") -> FastAPI:
    """The application over the store at ``store`` (``None``: the library's default store).

    ``instance`` names this instance's snapshots in the store: give each instance that shares a
    store its own.
    """
    service = Service(store, instance)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(service.open)
        try:
            yield
        finally:
            await run_in_threadpool(service.close)

    app = FastAPI(
        title="negotiations example service",
        version="1.0",
        description="Append events to the streams of a `negotiations` store, read their live views, "
        "and follow them as Server-Sent Events.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: the service serves only its own.
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(NegotiationsError, _our_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.include_router(router)
    return app


def _last_seen(last_event_id: str) -> int:
    try:
        return max(int(last_event_id), 0)
    except ValueError:
        raise DecodeError(f"{last_event_id!r} is not a stream version", field="Last-Event-ID") from None


async def _messages(service: Service, stream: str, after: int) -> AsyncIterator[str]:
    """The SSE messages of ``stream`` after version ``after``, for as long as the client listens."""
    loop = asyncio.get_running_loop()
    version, quiet_since = after, loop.time()
    while True:
        records = await run_in_threadpool(service.read, stream, version)
        for version, line in records:
            yield f"id: {version}\ndata: {line}\n\n"
        if records:
            quiet_since = loop.time()
            continue
        if loop.time() - quiet_since >= _KEEPALIVE:
            yield ": keep-alive\n\n"
            quiet_since = loop.time()
        await asyncio.sleep(_POLL)
