"""The shell sessions of ``docs/service.md`` print what the page says they print, run against a
live service.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from service.conftest import ROOT, running

PAGE = ROOT / "docs" / "service.md"
DOCUMENTED = "localhost:8000"


def sessions() -> list[tuple[str, str]]:
    """Each ``$`` command of the page's console blocks that talks to the service, with what
    follows it up to the next command or the block's end.
    """
    found = []
    for block in re.findall(
        r"^```console\n(.*?)^```$", PAGE.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL
    ):
        for command, output in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", block, re.MULTILINE):
            if DOCUMENTED in command:
                found.append((command, output))
    return found


def test_the_page_has_sessions_to_run() -> None:
    """The page shows an append, a conflict, bad input, a view and an event stream."""
    commands = [command for command, _ in sessions()]
    assert len(commands) == 5


def test_each_session_prints_what_the_page_shows(tmp_path: Path) -> None:
    """Run in order against a fresh service, each command prints the output the page shows."""
    with running(f"sqlite:{tmp_path / 'events.db'}", tmp_path / "service.log") as url:
        for command, output in sessions():
            done = subprocess.run(
                ["bash", "-c", command.replace(f"{DOCUMENTED}", url.removeprefix("http://"))],  # noqa: S607 - bash from PATH
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.stdout.rstrip("\n") == output.rstrip("\n"), command
