"""Stores made before issue 13 recorded no addressee for a proposal of talks: opening one keys its
proposals anew, once, so that an answer by the counterpart is taken, as in a new store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

from negotiations import UnknownReferenceError, decode_line
from negotiations.stores import open_store

from .conftest import fresh_url

PROPOSAL = decode_line(
    '{"type":"TalksProposed","id":"p","occurred":"2025-07-07","recorded":"2025-07-08T00:00:00+00:00",'
    '"proposal_id":"istanbul-3","proposer":"UKR","counterpart":"RUS","level":"delegations"}'
)
ANSWER = decode_line(
    '{"type":"ProposalAnswered","id":"a","occurred":"2025-07-09","recorded":"2025-07-09T00:00:00+00:00",'
    '"proposal_id":"istanbul-3","party":"RUS","answer":"accepted"}'
)


@contextmanager
def raw(url: str) -> Iterator[Callable[[str], list[tuple[Any, ...]]]]:
    """Run SQL on the store at ``url`` behind its back, committed at the end."""
    if url.startswith("sqlite:"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:"))) as lite:
            yield lambda sql: lite.execute(sql).fetchall()
            lite.commit()
    else:
        with psycopg.connect(url, autocommit=True) as pg:

            def run(sql: str) -> list[tuple[Any, ...]]:
                cursor = pg.execute(sql)
                return cursor.fetchall() if cursor.description is not None else []

            yield run


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh SQLite or PostgreSQL store."""
    return fresh_url(request.param, tmp_path, request)


def make_old(url: str) -> None:
    """Turn the store at ``url``, which holds :data:`PROPOSAL`, into one as a store before issue 13
    left it: no addressee keys, and no note of its layout.
    """
    with raw(url) as sql:
        assert sql("SELECT kind FROM keys WHERE kind = 'addressee'"), "a proposal records its addressee"
        sql("DELETE FROM keys WHERE kind IN ('addressee', 'layout')")


def test_an_old_store_takes_answers_to_its_proposals_of_talks(url: str) -> None:
    """Opened, a store made before addressees were keys keys its proposals of talks, and then takes
    the counterpart's answer, as a new store would.
    """
    with closing(open_store(url)) as store:
        store.append("s", [PROPOSAL])
    make_old(url)
    with closing(open_store(url)) as store:
        assert store.append("s", [ANSWER]) == 2
        assert [r.event for r in store.read_stream("s")] == [PROPOSAL, ANSWER]
    with raw(url) as sql:
        assert sql("SELECT name FROM keys WHERE stream = '' AND kind = 'layout'") == [("2",)]


def test_the_upgrade_runs_once(url: str) -> None:
    """A store whose layout is noted is not keyed anew: with its addressee key taken away behind its
    back (and its note kept), an answer is refused, so opening did not read the proposals again.
    """
    with closing(open_store(url)) as store:
        store.append("s", [PROPOSAL])
    with raw(url) as sql:
        sql("DELETE FROM keys WHERE kind = 'addressee'")
    with closing(open_store(url)) as store, pytest.raises(UnknownReferenceError) as caught:
        store.append("s", [ANSWER])
    assert caught.value.field == "party"


def test_a_read_only_open_writes_no_keys(tmp_path: Path) -> None:
    """An old SQLite store opened read-only is read as it is: no key is added, nor a layout noted."""
    url = f"sqlite:{tmp_path / 'events.db'}"
    with closing(open_store(url)) as store:
        store.append("s", [PROPOSAL])
    make_old(url)
    with closing(open_store(url, readonly=True)) as store:
        assert [r.event for r in store.read_stream("s")] == [PROPOSAL]
    with raw(url) as sql:
        assert sql("SELECT kind FROM keys WHERE kind IN ('addressee', 'layout')") == []
