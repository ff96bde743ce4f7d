"""The benchmark suite: every figure of the performance issue, measured side by side, one table.

    .venv/bin/python bench/run.py            # 100,000 events
    .venv/bin/python bench/run.py --quick    # 10,000 events, as CI runs it
    .venv/bin/python bench/run.py --full     # 1,000,000 events
    .venv/bin/python bench/run.py --json results.json --postgres postgresql://USER@HOST:PORT/DB

It generates a realistic log with the seeded generator of ``bench/_data.py``, then measures the
fold (``fold.py``), the codec (``decode.py``), the stores against eventsourcing and bare sqlite3
(``storage.py``), start-up and memory in fresh processes (``processes.py``) and restarts
(``restart.py``). Each figure is the median of several repeats; a repeat that runs past
``--budget`` seconds is stopped and the figure shown as a lower bound (``>``). Without
``--postgres``, PostgreSQL runs on a throwaway server started as ``tests/pgserver.py`` does, when
its binaries are installed. The targets are informational: the exit status is 0 whatever they say.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Final

import decode
import fold
import hostile
import negotiations
import processes
import restart
import storage
from _data import BATCH, generate
from _harness import Row, Timing, Value, render, timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import pgserver  # noqa: E402 - the tests' throwaway PostgreSQL server, reused

SIZES = {"quick": 10_000, "default": 100_000, "full": 1_000_000}
REPEATS = {"quick": 2, "default": 5, "full": 3}
STORE_REPEATS = {"quick": 1, "default": 3, "full": 1}
BUDGETS = {"quick": 30.0, "default": 60.0, "full": 300.0}


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _pair(
    name: str, ours: Timing, theirs: Timing, n: int, *, limit: float | None = None, note: str = ""
) -> Row:
    return Row(name, "us/event", Value.per_event(ours, n), Value.per_event(theirs, n), limit=limit, note=note)


def store_rows(
    batches: storage.Batches, folder: Path, *, repeats: int, limit: float
) -> tuple[list[Row], Path]:
    """The SQLite figures; returns them and the path of our store, left full for later figures."""
    n = sum(len(b) for _, b in batches)
    ours_db, es_db, raw_db = folder / "ours.db", folder / "es.db", folder / "raw.db"
    url, env, rows = f"sqlite:{ours_db}", storage.es_sqlite_env(es_db), storage.payloads(batches)
    ours = timed(
        lambda: storage.ours_append(url, batches), repeats=repeats, limit=limit, setup=storage.fresh(ours_db)
    )
    es = timed(
        lambda: storage.es_append(env, batches), repeats=repeats, limit=limit, setup=storage.fresh(es_db)
    )
    raw = timed(
        lambda: storage.raw_append(raw_db, rows), repeats=repeats, limit=limit, setup=storage.fresh(raw_db)
    )
    read = timed(lambda: storage.ours_read(url), repeats=repeats, limit=limit)
    es_read = timed(lambda: storage.es_read(env), repeats=repeats, limit=limit)
    raw_read = timed(lambda: storage.raw_read(raw_db), repeats=repeats, limit=limit)
    sync = f"eventsourcing's synchronous={storage.sqlite_synchronous()} (2 = FULL)"
    return [
        _pair(
            "sqlite append x100: SQLiteStore vs eventsourcing app.save", ours, es, n, limit=1 / 3, note=sync
        ),
        _pair("sqlite append x100: SQLiteStore vs raw sqlite3 (pre-encoded)", ours, raw, n, limit=1.5),
        _pair(
            "sqlite read all + decode: ours vs eventsourcing notification log", read, es_read, n, limit=0.5
        ),
        _pair("sqlite read all + decode: ours vs raw sqlite3 paging + from_json", read, raw_read, n),
    ], ours_db


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """The server URL to measure on: ``url``, or a throwaway server's."""
    if url:
        yield url
    else:
        with pgserver.postgres_server() as server:
            yield server


def postgres_rows(batches: storage.Batches, server: str, *, repeats: int, limit: float) -> list[Row]:
    """The PostgreSQL figures: ours against eventsourcing's PostgreSQL recorder, same server."""
    n = sum(len(b) for _, b in batches)
    made: dict[str, str] = {}

    def fresh(kind: str) -> Callable[[], None]:
        def setup() -> None:
            if kind in made:
                pgserver.drop_database(made[kind])
            made[kind] = pgserver.create_database(server)

        return setup

    ours = timed(
        lambda: storage.ours_append(made["ours"], batches), repeats=repeats, limit=limit, setup=fresh("ours")
    )
    es = timed(
        lambda: storage.es_append(storage.es_postgres_env(made["es"]), batches),
        repeats=repeats, limit=limit, setup=fresh("es"),
    )  # fmt: skip
    read = timed(lambda: storage.ours_read(made["ours"]), repeats=repeats, limit=limit)
    es_read = timed(
        lambda: storage.es_read(storage.es_postgres_env(made["es"])), repeats=repeats, limit=limit
    )
    for url in made.values():
        pgserver.drop_database(url)
    return [
        _pair("postgres append x100: PostgresStore vs eventsourcing", ours, es, n),
        _pair("postgres read all + decode: ours vs eventsourcing notification log", read, es_read, n),
    ]


def postgres_missing(why: str) -> list[Row]:
    """The PostgreSQL rows when there is no server."""
    return [
        Row("postgres append x100: PostgresStore vs eventsourcing", "us/event", Value(None, why=why)),
        Row(
            "postgres read all + decode: ours vs eventsourcing notification log",
            "us/event",
            Value(None, why=why),
        ),
    ]


RESTART_BUDGET: Final = 180.0
"""The least budget, in seconds, of each side of the restart figure."""


def measure(
    n: int, seed: int, args: argparse.Namespace, *, repeats: int, store_repeats: int, limit: float
) -> list[Row]:
    """Generate ``n`` events and measure every figure on them."""
    _log(f"generating {n:,} events (seed {seed})")
    *batches, extra = generate(n + BATCH, "bench", seed)  # one more batch, for the restart figure
    events = [e for _, batch in batches for e in batch]
    gc.collect()
    gc.freeze()  # the log lives through every figure: keep the collector from walking it again and again

    rows: list[Row] = []
    _log("fold")
    rows += fold.rows(events, repeats=repeats, limit=limit)
    _log("decode and export")
    rows += decode.rows(events, repeats=repeats, limit=limit)
    _log("hostile input")
    rows += hostile.rows(4 if args.quick else 10, repeats=repeats, limit=limit)
    with tempfile.TemporaryDirectory(prefix="negotiations-bench-") as tmp, ExitStack() as stack:
        _log("sqlite")
        sqlite_rows, ours_db = store_rows(batches, Path(tmp), repeats=store_repeats, limit=limit)
        rows += sqlite_rows
        if args.no_postgres:
            rows += postgres_missing("--no-postgres")
        else:
            _log("postgresql")
            try:
                server = stack.enter_context(postgres(args.postgres))
                rows += postgres_rows(batches, server, repeats=store_repeats, limit=limit)
            except pgserver.Unavailable as error:
                if os.environ.get(pgserver.REQUIRE_ENV) == "1":
                    sys.exit(f"PostgreSQL is required ({pgserver.REQUIRE_ENV}=1) but unavailable: {error}")
                rows += postgres_missing(f"no PostgreSQL: {error}")
        _log("processes")
        rows += [
            processes.import_row(repeats + 2),
            processes.show_row(repeats + 2),
            processes.rss_row(f"sqlite:{ours_db}", n, limit),
        ]
        _log("restart")
        # The replay is the baseline, and it saves every view ten times over: give it at least
        # three minutes, so that the default run (100,000 events) has a figure to compare with.
        rows += restart.rows(ours_db, extra, limit=max(limit, RESTART_BUDGET))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Measure every figure and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="10,000 events (as CI runs it)")
    size.add_argument("--full", action="store_true", help="1,000,000 events")
    parser.add_argument("--events", type=int, help="another number of events")
    parser.add_argument("--budget", type=float, help="seconds a repeat may run before it is stopped")
    parser.add_argument(
        "--postgres", metavar="URL", help="measure PostgreSQL on this server (needs CREATEDB)"
    )
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the results to FILE")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed (default: 0)")
    args = parser.parse_args(argv)
    if args.events is not None and (args.events < BATCH or args.events % BATCH):
        parser.error(f"--events must be a positive multiple of {BATCH}")
    mode = "quick" if args.quick else "full" if args.full else "default"
    n, repeats, limit = args.events or SIZES[mode], REPEATS[mode], args.budget or BUDGETS[mode]
    store_repeats = STORE_REPEATS[mode]
    started = time.perf_counter()

    rows = measure(n, args.seed, args, repeats=repeats, store_repeats=store_repeats, limit=limit)
    elapsed = time.perf_counter() - started
    print(
        f"{n:,} events, {mode} mode, {repeats} repeats ({store_repeats} for stores), budget {limit:g}s a "
        f"repeat; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {elapsed:.0f}s in all; "
        f"measuring {Path(negotiations.__file__).parent}"
    )
    print(render(rows))
    failed = [row.figure for row in rows if row.gate and row.holds is False]
    if args.json:
        meta = {
            "events": n,
            "mode": mode,
            "repeats": repeats,
            "budget": limit,
            "python": sys.version.split()[0],
        }
        args.json.write_text(json.dumps({**meta, "rows": [r.as_json() for r in rows]}, indent=2) + "\n")
    if failed:
        print(f"run.py: a gate failed: {'; '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
