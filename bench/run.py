"""The benchmark suite: every figure of the performance issue, measured side by side, one table.

    .venv/bin/python bench/run.py            # 100,000 events
    .venv/bin/python bench/run.py --quick    # 10,000 events, as CI runs it
    .venv/bin/python bench/run.py --full     # 1,000,000 events
    .venv/bin/python bench/run.py --full --only memory,restart
    .venv/bin/python bench/run.py --json results.json --postgres postgresql://USER@HOST:PORT/DB

It generates a realistic log with the seeded generator of ``bench/_data.py``, then measures the
fold (``fold.py``), the codec (``decode.py``), hostile input (``hostile.py``), the HTML report
(``html_report.py``), the stores against
eventsourcing and bare sqlite3 (``storage.py``), PostgreSQL with concurrent writers
(``writers.py``), start-up and memory in fresh processes (``processes.py``), and the projection
runner's first replay and restarts (``restart.py``); then it runs the codec and SQLite figures
again in a child with ``NEGOTIATIONS_NO_FAST=1``, as the core install (without the ``fast``
extra) runs them. ``--only`` picks some of these groups. Each figure is the median of several
repeats; a repeat that runs past ``--budget`` seconds is stopped and the figure shown as a lower
bound (``>``). Without ``--postgres``, PostgreSQL runs on a throwaway server started as
``tests/pgserver.py`` does, when its binaries are installed. The targets are informational: the
exit status is 0 whatever they say, but for a failed gate.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Final

import decode
import fold
import hostile
import html_report
import negotiations
import processes
import restart
import storage
import writers
from _data import BATCH, generate
from _harness import Row, Timing, Value, render, timed
from negotiations import write_events
from negotiations.codec import dump_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import pgserver  # noqa: E402 - the tests' throwaway PostgreSQL server, reused

SIZES = {"quick": 10_000, "default": 100_000, "full": 1_000_000}
REPEATS = {"quick": 2, "default": 5, "full": 3}
STORE_REPEATS = {"quick": 1, "default": 3, "full": 1}
BUDGETS = {"quick": 30.0, "default": 60.0, "full": 300.0}
GROUPS: Final = (
    "fold", "decode", "hostile", "report", "sqlite", "postgres", "processes", "memory", "runner", "restart",
    "core",
)  # fmt: skip
"""The groups of figures ``--only`` chooses among, in the order they run."""
CORE: Final = ("decode", "sqlite")
"""The groups measured a second time as the core install measures them (``NEGOTIATIONS_NO_FAST=1``)."""
NO_FAST: Final = "NEGOTIATIONS_NO_FAST"
"""The environment variable that turns the codec's ``fast`` backend off."""


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
    floors = {"json": dump_json, "orjson": storage.fast_dumps()}
    floor = {
        kind: timed(
            lambda dumps=dumps: storage.floor_append(raw_db, batches, dumps),  # type: ignore[misc]
            repeats=repeats,
            limit=limit,
            setup=storage.fresh(raw_db),
        )
        for kind, dumps in floors.items()
        if dumps is not None
    }
    storage.fresh(raw_db)()  # the raw rows again, for the raw read: the floors wrote their own
    storage.raw_append(raw_db, rows)
    read = timed(lambda: storage.ours_read(url), repeats=repeats, limit=limit)
    es_read = timed(lambda: storage.es_read(env), repeats=repeats, limit=limit)
    raw_read = timed(lambda: storage.raw_read(raw_db), repeats=repeats, limit=limit)
    sync = f"eventsourcing's synchronous={storage.sqlite_synchronous()} (2 = FULL)"
    return [
        _pair(
            "sqlite append x100: SQLiteStore vs eventsourcing app.save", ours, es, n, limit=1 / 3, note=sync
        ),
        _pair("sqlite append x100: SQLiteStore vs raw sqlite3 (pre-encoded)", ours, raw, n, limit=1.5),
        *(
            _pair(
                f"sqlite append x100: the floor (raw sqlite3, to_json, {kind}) vs {versus}",
                timing,
                base,
                n,
                note="no store in Python appends faster: the least a target needs",
            )
            for kind, timing in floor.items()
            for versus, base in (("eventsourcing", es), ("raw sqlite3", raw))
        ),
        _pair(
            "sqlite read all + decode: ours vs eventsourcing notification log", read, es_read, n, limit=0.5
        ),
        _pair("sqlite read all + decode: ours vs raw sqlite3 paging + from_json", read, raw_read, n),
    ], ours_db


def built_store(batches: storage.Batches, folder: Path) -> Path:
    """Our SQLite store of every batch, appended untimed, for the figures that need one when the
    SQLite figures did not run.
    """
    db = folder / "ours.db"
    storage.ours_append(f"sqlite:{db}", batches)
    return db


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
        _pair("postgres append x100: PostgresStore vs eventsourcing", ours, es, n, limit=1 / 3),
        _pair("postgres read all + decode: ours vs eventsourcing notification log", read, es_read, n,
              limit=0.5),
    ]  # fmt: skip


def writers_rows(batches: storage.Batches, server: str, *, limit: float) -> list[Row]:
    """The PostgreSQL figures of four concurrent writers against one, each side on a fresh database."""
    made: list[str] = []

    def fresh() -> str:
        made.append(pgserver.create_database(server))
        return made[-1]

    try:
        return writers.rows(batches, fresh, limit=limit)
    finally:
        for url in made:
            pgserver.drop_database(url)


def postgres_missing(why: str) -> list[Row]:
    """The PostgreSQL rows when there is no server."""
    return [
        Row("postgres append x100: PostgresStore vs eventsourcing", "us/event", Value(None, why=why)),
        Row(
            "postgres read all + decode: ours vs eventsourcing notification log",
            "us/event",
            Value(None, why=why),
        ),
        *(Row(figure, "x", Value(None, why=why)) for figure in writers.FIGURES.values()),
    ]


def core_rows(n: int, mode: str, args: argparse.Namespace, limit: float) -> list[Row]:
    """The codec and SQLite figures once more, measured by a child run with ``NEGOTIATIONS_NO_FAST=1``
    (the core install, without the ``fast`` extra), their figures suffixed " (core install)".
    """
    suffix = " (core install)"
    if os.environ.get(NO_FAST) == "1":
        why = f"{NO_FAST}=1 is set already: the rows above are the core install's"
        return [Row(f"core install: decode and sqlite{suffix}", "us/event", Value(None, why=why))]
    with tempfile.TemporaryDirectory(prefix="negotiations-bench-") as folder:
        out = Path(folder) / "core.json"
        command = [sys.executable, __file__, "--events", str(n), "--budget", str(limit),
                   "--seed", str(args.seed), "--only", ",".join(CORE), "--json", str(out)]  # fmt: skip
        if mode != "default":
            command.append(f"--{mode}")
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, env={**os.environ, NO_FAST: "1"}
        )
        if done.returncode != 0 or not out.exists():
            why = f"the child run failed ({done.returncode}): {done.stderr.strip()[-300:]}"
            return [Row(f"core install: decode and sqlite{suffix}", "us/event", Value(None, why=why))]
        results: dict[str, Any] = json.loads(out.read_text())
    return [Row.from_json(row, suffix=suffix) for row in results["rows"]]


RESTART_BUDGET: Final = 180.0
"""The least budget, in seconds, of each side of the restart figure."""


def measure(  # noqa: C901, PLR0912, PLR0915 - one branch a group, in the order they run
    n: int, seed: int, args: argparse.Namespace, *, repeats: int, store_repeats: int, limit: float
) -> list[Row]:
    """Generate ``n`` events and measure the figures of the groups ``args.only`` chooses."""
    only: set[str] = set(args.only)
    _log(f"generating {n:,} events (seed {seed})")
    *batches, extra = generate(n + BATCH, "bench", seed)  # one more batch, for the restart figure
    events = [e for _, batch in batches for e in batch]
    gc.collect()
    gc.freeze()  # the log lives through every figure: keep the collector from walking it again and again

    rows: list[Row] = []
    if "fold" in only:
        _log("fold")
        rows += fold.rows(events, repeats=repeats, limit=limit)
    if "decode" in only:
        _log("decode and export")
        rows += decode.rows(events, repeats=repeats, limit=limit)
    if "hostile" in only:
        _log("hostile input")
        rows += hostile.rows(4 if args.quick else 10, repeats=repeats, limit=limit)
    if "report" in only:
        _log("the HTML report")
        rows += html_report.rows(events, repeats=repeats, limit=limit)
    with tempfile.TemporaryDirectory(prefix="negotiations-bench-") as tmp, ExitStack() as stack:
        folder, ours_db = Path(tmp), None
        if "sqlite" in only:
            _log("sqlite")
            sqlite_rows, ours_db = store_rows(batches, folder, repeats=store_repeats, limit=limit)
            rows += sqlite_rows
        if "postgres" in only and args.no_postgres:
            rows += postgres_missing("--no-postgres")
        elif "postgres" in only:
            _log("postgresql")
            try:
                server = stack.enter_context(postgres(args.postgres))
                rows += postgres_rows(batches, server, repeats=store_repeats, limit=limit)
                _log(f"postgresql, {writers.WRITERS} writers")
                rows += writers_rows(batches, server, limit=limit)
            except pgserver.Unavailable as error:
                if os.environ.get(pgserver.REQUIRE_ENV) == "1":
                    sys.exit(f"PostgreSQL is required ({pgserver.REQUIRE_ENV}=1) but unavailable: {error}")
                rows += postgres_missing(f"no PostgreSQL: {error}")
        if "processes" in only:
            _log("processes")
            rows += [processes.import_row(repeats + 2), processes.show_row(repeats + 2)]
        if ours_db is None and only & {"memory", "runner", "restart"}:
            _log("sqlite store, untimed")
            ours_db = built_store(batches, folder)
        if "memory" in only:
            assert ours_db is not None
            _log("memory")
            rows.append(processes.rss_row(f"sqlite:{ours_db}", n, limit))
            log = folder / "log.jsonl"
            with log.open("w", encoding="utf-8") as stream:  # once, for both commands
                write_events(events, stream)
            rows += [processes.cli_row(command, log, n, limit) for command in ("show", "validate")]
            log.unlink()
            url = restart.copy_store(ours_db, folder / "live.db")
            rows.append(processes.runner_row(url, n, limit))
            storage.fresh(folder / "live.db")()
        # The replay is the baseline of both runner groups, and it saves every view every 10,000
        # events: give it at least three minutes, so that the default run has a figure to compare.
        replayed = None
        if only & {"runner", "restart"}:
            assert ours_db is not None
            _log("runner: first replay")
            replayed = restart.replay(ours_db, folder / "replayed.db", limit=max(limit, RESTART_BUDGET))
        if "runner" in only:
            assert ours_db is not None
            assert replayed is not None
            _log("runner: project() of the same events")
            rows.append(restart.replay_row(ours_db, replayed, repeats=store_repeats, limit=limit))
        if "restart" in only:
            assert replayed is not None
            _log("restart")
            rows += restart.resume_rows(replayed, batches, extra, repeats=store_repeats,
                                        limit=max(limit, RESTART_BUDGET))  # fmt: skip
    if "core" in only:
        _log(f"the core install: {', '.join(CORE)} again, {NO_FAST}=1")
        rows += core_rows(n, args.mode, args, limit)
    return rows


def _groups(text: str) -> list[str]:
    """The groups of ``--only``, checked."""
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in GROUPS]
    if unknown or not chosen:
        named = ", ".join(map(repr, unknown)) or "(none given)"
        raise argparse.ArgumentTypeError(f"unknown group {named}: choose among {', '.join(GROUPS)}")
    return chosen


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
    parser.add_argument(
        "--only", metavar="GROUPS", type=_groups, default=list(GROUPS),
        help=f"measure only these groups, comma-separated, among: {','.join(GROUPS)} (default: all)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.events is not None and (args.events < BATCH or args.events % BATCH):
        parser.error(f"--events must be a positive multiple of {BATCH}")
    mode = args.mode = "quick" if args.quick else "full" if args.full else "default"
    n, repeats, limit = args.events or SIZES[mode], REPEATS[mode], args.budget or BUDGETS[mode]
    store_repeats = STORE_REPEATS[mode]
    started = time.perf_counter()

    rows = measure(n, args.seed, args, repeats=repeats, store_repeats=store_repeats, limit=limit)
    elapsed = time.perf_counter() - started
    print(
        f"{n:,} events, {mode} mode, {repeats} repeats ({store_repeats} for stores), budget {limit:g}s a "
        f"repeat; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {elapsed:.0f}s in all; "
        f"codec: {decode.backend()}; groups: {','.join(args.only)}; "
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
            "codec": decode.backend(),
            "groups": args.only,
            "seconds": round(elapsed, 1),
        }
        args.json.write_text(json.dumps({**meta, "rows": [r.as_json() for r in rows]}, indent=2) + "\n")
    if failed:
        print(f"run.py: a gate failed: {'; '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
