"""The example service over HTTP: appends with ``If-Match``, bad input, views live and as of a
day, the SSE stream, a restart, and two instances on one PostgreSQL database.
"""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiations import project, seed_timeline
from negotiations.cli import main
from negotiations.codec import encode_line
from negotiations.domain.events import Event, StatementMade
from negotiations.log import EventLog
from negotiations.projections import VIEW_NAMES
from negotiations.render import views_to_json
from negotiations.stores import open_store
from negotiations.testing import event_logs
from service.conftest import ROOT, running

SEED: Final = ROOT / "src" / "negotiations" / "seed" / "russia_ukraine_2025_07.jsonl"
NDJSON: Final = {"content-type": "application/x-ndjson"}
JSON: Final = {"content-type": "application/json"}
SEED_EVENTS: Final = len(SEED.read_text(encoding="utf-8").splitlines())


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:  # noqa: ANN401 - any JSON
    """What ``negotiations show ... --json`` prints, parsed."""
    capsys.readouterr()
    assert main(["show", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def statement(number: int) -> Event:
    """A new valid event: the seed's first statement, under another id."""
    first = next(e for e in seed_timeline() if isinstance(e, StatementMade))
    return attrs.evolve(first, id=f"statement-{number}")


def post(url: str, stream: str, body: str, **headers: str) -> httpx.Response:
    """POST ``body`` as JSON Lines to ``stream``."""
    return httpx.post(f"{url}/streams/{stream}/events", content=body.encode(), headers={**NDJSON, **headers})


def seeded(url: str, stream: str) -> None:
    """Append the seed timeline to ``stream``."""
    response = post(url, stream, SEED.read_text(encoding="utf-8"))
    assert response.status_code == httpx.codes.CREATED, response.text


def version_of(store: str, stream: str) -> int:
    """The stream's version, read from the store itself."""
    opened = open_store(store, readonly=True)
    try:
        return opened.stream_version(stream)
    finally:
        opened.close()


def test_append_answers_the_version_and_its_etag(service: str) -> None:
    """An append of the seed as JSON Lines answers 201 with the stream's version and its ETag."""
    response = post(service, "etag", SEED.read_text(encoding="utf-8"))
    assert response.status_code == httpx.codes.CREATED
    assert response.json() == {"version": SEED_EVENTS}
    assert response.headers["ETag"] == f'"{SEED_EVENTS}"'


def test_a_json_array_appends_as_json_lines_do(service: str, sqlite_store: str) -> None:
    """A JSON array of events appends them all, in order, as one append."""
    events = [json.loads(encode_line(statement(n))) for n in range(3)]
    response = httpx.post(f"{service}/streams/array/events", json=events)
    assert response.status_code == httpx.codes.CREATED
    assert response.json() == {"version": 3}
    store = open_store(sqlite_store, readonly=True)
    try:
        assert [r.event.id for r in store.read_stream("array")] == [
            "statement-0",
            "statement-1",
            "statement-2",
        ]
    finally:
        store.close()


def test_a_retry_of_the_same_events_is_harmless(service: str) -> None:
    """Posting the same events twice leaves the stream at the version of the first append."""
    body = encode_line(statement(1)) + "\n"
    assert post(service, "retry", body).json() == {"version": 1}
    again = post(service, "retry", body, **{"If-Match": "0"})
    assert again.status_code == httpx.codes.CREATED
    assert again.json() == {"version": 1}


@pytest.mark.parametrize("if_match", ["1", '"1"'])
def test_if_match_takes_a_number_or_a_quoted_etag(service: str, if_match: str) -> None:
    """``If-Match`` expects the version as a bare number or as an ETag; a match appends."""
    stream = f"match-{len(if_match)}"
    post(service, stream, encode_line(statement(1)))
    response = post(service, stream, encode_line(statement(2)), **{"If-Match": if_match})
    assert response.status_code == httpx.codes.CREATED
    assert response.json() == {"version": 2}


def test_a_stale_if_match_is_a_conflict_and_writes_nothing(service: str, sqlite_store: str) -> None:
    """An append that expects an old version answers 409 with the current version, and writes nothing."""
    post(service, "stale", encode_line(statement(1)) + "\n" + encode_line(statement(2)))
    response = post(service, "stale", encode_line(statement(3)), **{"If-Match": '"1"'})
    assert response.status_code == httpx.codes.CONFLICT
    body = response.json()
    assert body["version"] == 2
    assert "version 2" in body["error"]
    assert version_of(sqlite_store, "stale") == 2


def test_concurrent_appends_with_one_if_match_let_exactly_one_in(service: str, sqlite_store: str) -> None:
    """Of eight clients that append at once, each expecting version 1, one gets 201 and seven get 409."""
    post(service, "race", encode_line(statement(0)))
    barrier = threading.Barrier(8)
    answers: queue.Queue[httpx.Response] = queue.Queue()

    def client(number: int) -> None:
        barrier.wait()
        answers.put(post(service, "race", encode_line(statement(number)), **{"If-Match": "1"}))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(answers.get().status_code for _ in threads)
    assert statuses == [201] + [409] * 7
    assert version_of(sqlite_store, "race") == 2


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        pytest.param("{}\n", 1, "type", id="no type"),
        pytest.param("not json\n", 1, None, id="not json"),
        pytest.param("\n{statement}\n\n" + '{"type": "CallHeld"}\n', 4, "id", id="a later line"),
        pytest.param('{"type": "DeadlineChanged", "id": "x"}', 1, None, id="missing fields"),
    ],
)
def test_bad_json_lines_name_the_line_and_field_and_write_nothing(
    service: str, sqlite_store: str, body: str, line: int, field: str | None
) -> None:
    """A bad line answers 422 with its line and field, and the stream gets none of the body's events."""
    text = body.replace("{statement}", encode_line(statement(1)))
    response = post(service, "bad-lines", text)
    assert response.status_code == httpx.codes.UNPROCESSABLE_ENTITY
    got = response.json()
    assert got["line"] == line
    if field is not None:
        assert got["field"] == field
    assert got["error"].startswith(f"line {line}")
    assert version_of(sqlite_store, "bad-lines") == 0


def test_a_bad_item_of_a_json_array_is_named_by_its_place(service: str, sqlite_store: str) -> None:
    """In a JSON array, the line of an error is the 1-based place of the item at fault."""
    good = json.loads(encode_line(statement(1)))
    bad = {**json.loads(encode_line(statement(2))), "occurred": "2025-02-30"}
    response = httpx.post(f"{service}/streams/bad-array/events", json=[good, bad])
    assert response.status_code == httpx.codes.UNPROCESSABLE_ENTITY
    assert response.json() == {
        "error": "line 2: field 'occurred': '2025-02-30' is not a valid date: day is out of range for month",
        "line": 2,
        "field": "occurred",
    }
    assert version_of(sqlite_store, "bad-array") == 0


def test_an_event_that_does_not_fit_the_stream_names_its_line(service: str) -> None:
    """An event that refers to a deadline the stream lacks answers 422 naming its line and field."""
    envelope = {
        key: json.loads(encode_line(statement(2)))[key] for key in ("occurred", "recorded", "sources")
    }
    met = {"type": "DeadlineMet", "id": "met", **envelope, "deadline_id": "no-such-deadline"}
    body = encode_line(statement(1)) + "\n" + json.dumps(met) + "\n"
    response = post(service, "orphan", body)
    assert response.status_code == httpx.codes.UNPROCESSABLE_ENTITY
    assert response.json()["line"] == 2
    assert response.json()["field"] == "deadline_id"


@pytest.mark.parametrize(
    ("request_args", "status", "field"),
    [
        pytest.param({"headers": {"If-Match": "W/x"}}, 422, "If-Match", id="bad If-Match"),
        pytest.param({"headers": {"content-type": "text/plain"}}, 415, None, id="text/plain"),
        pytest.param(
            {"content": b"[]", "headers": {"content-type": "application/json"}}, 422, None, id="empty"
        ),
        pytest.param(
            {"content": b"{}", "headers": {"content-type": "application/json"}}, 422, None, id="no array"
        ),
        pytest.param({"content": b"\xff\n"}, 422, None, id="not utf-8"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(
    service: str, request_args: dict[str, Any], status: int, field: str | None
) -> None:
    """A bad header, media type or body is refused with its status and a one-line reason."""
    headers = {**NDJSON, **request_args.get("headers", {})}
    content = request_args.get("content", (encode_line(statement(1)) + "\n").encode())
    response = httpx.post(f"{service}/streams/refused/events", content=content, headers=headers)
    assert response.status_code == status
    assert "\n" not in response.json()["error"]
    if field is not None:
        assert response.json()["field"] == field


def test_a_bad_stream_name_is_refused(service: str) -> None:
    """A stream name with a character that names may not hold answers 422 naming the name."""
    response = post(service, "no%20spaces", encode_line(statement(1)))
    assert response.status_code == httpx.codes.UNPROCESSABLE_ENTITY
    assert response.json()["field"] == "name"


def test_every_view_is_what_show_json_prints(service: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each live view of the seed stream is the JSON that ``show --json --view`` prints of the seed."""
    seeded(service, "views")
    for name in VIEW_NAMES:
        response = httpx.get(f"{service}/streams/views/views/{name}")
        assert response.status_code == httpx.codes.OK
        assert response.json() == cli_json(capsys, str(SEED), "--view", name), name


def test_the_live_deadline_holds_the_seed_facts(service: str) -> None:
    """The live deadlines of the seed hold the US ultimatum, due 2025-09-02, as of the seed's last day."""
    seeded(service, "facts")
    body = httpx.get(f"{service}/streams/facts/views/deadlines").json()
    assert body["as_of"] == "2025-07-20"
    (deadline,) = body["deadlines"]
    assert deadline["deadline_id"] == "us-ceasefire-ultimatum"
    assert deadline["due"] == "2025-09-02"


def test_a_view_follows_each_append(service: str) -> None:
    """A view asked for after an append holds the appended event."""
    post(service, "grows", encode_line(statement(1)))
    before = httpx.get(f"{service}/streams/grows/views/timeline").json()
    post(service, "grows", encode_line(statement(2)))
    after = httpx.get(f"{service}/streams/grows/views/timeline").json()
    assert [e["event_id"] for e in before["timeline"]] == ["statement-1"]
    assert [e["event_id"] for e in after["timeline"]] == ["statement-1", "statement-2"]


@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "2025-07-10"},
        {"as_of": "2025-07-15"},
        {"known_at": "2025-07-14"},
        {"as_of": "2025-07-20", "known_at": "2025-07-16T12:00:00+00:00"},
    ],
)
def test_views_as_of_a_day_and_known_at_a_moment_are_what_show_prints(
    service: str, capsys: pytest.CaptureFixture[str], query: dict[str, str]
) -> None:
    """``as_of`` and ``known_at`` give what ``show --as-of --known-at --json`` prints."""
    seeded(service, "as-of")
    options = [item for key, value in query.items() for item in (f"--{key.replace('_', '-')}", value)]
    for name in ("deadlines", "exchanges", "timeline"):
        response = httpx.get(f"{service}/streams/as-of/views/{name}", params=query)
        assert response.status_code == httpx.codes.OK
        assert response.json() == cli_json(capsys, str(SEED), "--view", name, *options)


def test_a_view_before_the_ultimatum_has_no_deadline(service: str) -> None:
    """As of 2025-07-10, before the ultimatum of 2025-07-14 was set, the seed has no deadline."""
    seeded(service, "early")
    body = httpx.get(f"{service}/streams/early/views/deadlines", params={"as_of": "2025-07-10"}).json()
    assert body == {"as_of": "2025-07-10", "known_at": None, "deadlines": []}


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/streams/nobody/views/deadlines", 404, None),
        ("/streams/facts/views/nothing", 422, "view"),
        ("/streams/facts/views/deadlines?as_of=2025-02-30", 422, "as_of"),
        ("/streams/facts/views/deadlines?known_at=soon", 422, "known_at"),
    ],
)
def test_bad_view_requests_say_what_was_wrong(
    service: str, path: str, status: int, field: str | None
) -> None:
    """An unknown stream is 404; an unknown view or a bad day is 422 naming the parameter."""
    seeded(service, "facts")
    response = httpx.get(f"{service}{path}")
    assert response.status_code == status
    assert response.json()["error"]
    if field is not None:
        assert response.json()["field"] == field


def test_the_schema_is_what_the_cli_prints(service: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``GET /schema`` serves the JSON Schema that ``negotiations schema`` prints."""
    capsys.readouterr()
    assert main(["schema"]) == 0
    assert httpx.get(f"{service}/schema").json() == json.loads(capsys.readouterr().out)


def sse(url: str, stream: str, after: int | None = None) -> Iterator[tuple[int, str]]:
    """The (id, data) of each message of the stream's SSE, as they come."""
    params = {} if after is None else {"after": after}
    timeout = httpx.Timeout(10.0)
    with httpx.stream("GET", f"{url}/streams/{stream}/events", params=params, timeout=timeout) as response:
        assert response.status_code == httpx.codes.OK
        assert response.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, str] = {}
        for line in response.iter_lines():
            if line.startswith(":"):
                continue
            if not line:
                if fields:
                    yield int(fields["id"]), fields["data"]
                fields = {}
                continue
            key, _, value = line.partition(": ")
            fields[key] = value


def test_sse_sends_the_stream_after_a_version_then_another_clients_append(service: str) -> None:
    """A follower from version 1 gets version 2, then the event another client appends meanwhile."""
    post(service, "follow", encode_line(statement(1)) + "\n" + encode_line(statement(2)))
    got: queue.Queue[tuple[int, str]] = queue.Queue()

    def follower() -> None:
        for message in sse(service, "follow", after=1):
            got.put(message)
            if message[0] == 3:
                return

    thread = threading.Thread(target=follower, daemon=True)
    thread.start()
    assert got.get(timeout=10) == (2, encode_line(statement(2)))
    response = post(service, "follow", encode_line(statement(3)))
    assert response.status_code == httpx.codes.CREATED
    assert got.get(timeout=10) == (3, encode_line(statement(3)))
    thread.join(10)


def test_sse_resumes_after_the_last_event_id(service: str) -> None:
    """A reconnecting client's ``Last-Event-ID`` starts the stream after that version."""
    post(service, "resume", "\n".join(encode_line(statement(n)) for n in range(3)))
    headers = {"Last-Event-ID": "2"}
    with httpx.stream("GET", f"{service}/streams/resume/events", headers=headers, timeout=10) as response:
        lines = response.iter_lines()
        assert next(lines) == "id: 3"
        assert next(lines) == f"data: {encode_line(statement(2))}"


def test_a_restarted_service_serves_the_same_views_from_its_snapshots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a restart on the same store, the views are the same, and came from the saved snapshots."""
    store = f"sqlite:{tmp_path / 'events.db'}"
    with running(store, tmp_path / "first.log") as url:
        seeded(url, "kept")
        first = httpx.get(f"{url}/streams/kept/views/agreements").json()
    opened = open_store(store, readonly=True)
    try:
        snapshot = opened.load_snapshot("service/test/kept/agreements")
    finally:
        opened.close()
    assert snapshot is not None, "the live views were not kept by a runner"
    assert snapshot.checkpoint == SEED_EVENTS
    with running(store, tmp_path / "second.log") as url:
        assert httpx.get(f"{url}/streams/kept/views/agreements").json() == first
    assert first == cli_json(capsys, str(SEED), "--view", "agreements")


def test_two_instances_on_one_postgresql_database_serve_the_same_views(
    pg_database: str, tmp_path: Path
) -> None:
    """Each of two instances on one PostgreSQL database serves what the other appended, live and by SSE."""
    with (
        running(pg_database, tmp_path / "a.log", instance="a") as a,
        running(pg_database, tmp_path / "b.log", instance="b") as b,
    ):
        seeded(a, "shared")
        assert (
            httpx.get(f"{b}/streams/shared/views/deadlines").json()
            == httpx.get(f"{a}/streams/shared/views/deadlines").json()
        )
        got: queue.Queue[tuple[int, str]] = queue.Queue()

        def follower() -> None:
            for message in sse(a, "shared", after=SEED_EVENTS):
                got.put(message)
                return

        thread = threading.Thread(target=follower, daemon=True)
        thread.start()
        response = post(b, "shared", encode_line(statement(1)), **{"If-Match": f'"{SEED_EVENTS}"'})
        assert response.status_code == httpx.codes.CREATED
        assert got.get(timeout=10) == (SEED_EVENTS + 1, encode_line(statement(1)))
        thread.join(10)
        views = [httpx.get(f"{url}/streams/shared/views/timeline").json() for url in (a, b)]
        assert views[0] == views[1]
        assert "statement-1" in [entry["event_id"] for entry in views[0]["timeline"]]
        stale = post(a, "shared", encode_line(statement(2)), **{"If-Match": f"{SEED_EVENTS}"})
        assert stale.status_code == httpx.codes.CONFLICT
        assert stale.json()["version"] == SEED_EVENTS + 1


def test_a_store_that_cannot_be_opened_is_one_line_and_exit_1() -> None:
    """The service refuses a bad store URL with one line on standard error and exit status 1."""
    done = subprocess.run(
        [sys.executable, "-m", "examples.service", "--store", "nowhere:at-all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "is not a store URL" in done.stderr
    assert "Traceback" not in done.stderr


_streams = itertools.count()


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=event_logs(min_size=1, max_size=20), data=st.data())
def test_live_views_of_any_log_appended_in_two_parts_are_its_fold(
    service: str, log: EventLog, data: st.DataObject
) -> None:
    """Whatever the log, and wherever it is split in two appends, each live view is what folding
    the whole log gives, retractions and corrections included.
    """
    stream = f"any-{next(_streams)}"
    events = list(log)
    split = data.draw(st.integers(0, len(events)), label="split")
    name = data.draw(st.sampled_from(VIEW_NAMES), label="view read between the appends")
    for part in (events[:split], events[split:]):
        if part:
            body = "".join(encode_line(event) + "\n" for event in part)
            assert post(service, stream, body).status_code == httpx.codes.CREATED
        httpx.get(f"{service}/streams/{stream}/views/{name}")  # moves the live views part way
    folded = project(log)
    for view in VIEW_NAMES:
        expected = json.loads(json.dumps(views_to_json(folded, (view,))))
        assert httpx.get(f"{service}/streams/{stream}/views/{view}").json() == expected, view


def test_no_page_of_the_service_loads_from_a_cdn(service: str) -> None:
    """FastAPI's Swagger UI and ReDoc, which load their scripts from a CDN, are not served."""
    for page in ("/docs", "/redoc"):
        response = httpx.get(f"{service}{page}")
        assert response.status_code == httpx.codes.NOT_FOUND, page
        assert response.json() == {"error": "Not Found"}


def test_a_reconnect_resumes_at_its_last_event_id_even_with_after(service: str) -> None:
    """An EventSource reconnects to the URL it opened, ?after= included: Last-Event-ID wins."""
    post(service, "reconnect", "\n".join(encode_line(statement(n)) for n in range(4)))
    url = f"{service}/streams/reconnect/events"
    with httpx.stream(
        "GET", url, params={"after": 0}, headers={"Last-Event-ID": "3"}, timeout=10
    ) as response:
        assert next(response.iter_lines()) == "id: 4"


def test_a_views_etag_is_the_version_an_append_can_expect(service: str) -> None:
    """A view's ETag is the stream's version; appending with it as If-Match succeeds, and with a
    stale one fails.
    """
    post(service, "etags", encode_line(statement(1)))
    etag = httpx.get(f"{service}/streams/etags/views/timeline").headers["ETag"]
    assert etag == '"1"'
    assert post(service, "etags", encode_line(statement(2)), **{"If-Match": etag}).status_code == 201
    assert (
        httpx.get(f"{service}/streams/etags/views/timeline", params={"as_of": "2025-12-31"}).headers["ETag"]
        == '"2"'
    )
    assert post(service, "etags", encode_line(statement(3)), **{"If-Match": etag}).status_code == 409


def test_if_match_star_is_any_version_and_a_weak_etag_is_refused(service: str) -> None:
    """``If-Match: *`` appends whatever the version; ``W/"1"`` is refused naming If-Match."""
    assert post(service, "star", encode_line(statement(1)), **{"If-Match": "*"}).status_code == 201
    weak = post(service, "star", encode_line(statement(2)), **{"If-Match": 'W/"1"'})
    assert weak.status_code == 422
    assert weak.json()["field"] == "If-Match"
    assert "weak ETag" in weak.json()["error"]
