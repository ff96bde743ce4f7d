"""Shared test settings: Hypothesis profiles, a fast one by default and a thorough one for CI;
and the session's throwaway PostgreSQL server, for the store and the service tests.

Set ``CI`` (any value) to run the ``ci`` profile; ``HYPOTHESIS_PROFILE`` picks one by name.

The PostgreSQL tests are skipped, loudly, when the server's binaries are not installed, unless
``NEGOTIATIONS_REQUIRE_POSTGRES=1`` makes them fail instead (see ``tests/pgserver.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from hypothesis import settings

import pgserver

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a throwaway PostgreSQL server that lives as long as the test session."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(pgserver.postgres_server())
        except pgserver.Unavailable as exc:
            pgserver.unavailable(str(exc))
        yield url
