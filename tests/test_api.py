"""The public face: one sorted __all__, every public name documented."""

from __future__ import annotations

import importlib
import inspect

import pytest

import negotiations

PUBLIC_MODULES = [
    "negotiations",
    "negotiations.cli",
    "negotiations.codec",
    "negotiations.codec.schema",
    "negotiations.domain",
    "negotiations.errors",
    "negotiations.log",
    "negotiations.projections",
    "negotiations.render",
    "negotiations.seed",
    "negotiations.testing",
]

EXPECTED_API = {
    "AidAnnounced", "AidCategory", "AidPaused", "AidResumed", "CallHeld", "CeasefireAgreed",
    "CeasefireEnded", "ConcurrencyError", "DeadlineChanged", "DeadlineMet", "DeadlineSet",
    "DeadlineWithdrawn", "DecodeError", "DuplicateEventError", "DuplicateKeyError", "EVENT_TYPES", "Event",
    "EventCorrected", "EventLog", "EventRetracted", "InvalidAmendmentError", "InvalidValueError",
    "LiveViews", "LogError", "NegotiationsError", "OpaqueEvent", "PartialDate", "Party", "Person",
    "PositionStated", "PrisonerExchangeAgreed", "PrisonersExchanged", "Qualifier", "RefoldRequiredError",
    "RemainsRepatriated", "ReportDisputed", "SanctionsImposed", "Source", "StatementMade", "StoreError",
    "TalksHeld", "TalksLevel", "TalksProposed", "TariffsImposed", "UnknownReferenceError", "VIEW_NAMES",
    "Views", "check_lines", "decode_line", "dumps", "encode_line", "from_json", "json_schema", "load_log",
    "loads", "open_store", "project", "read_events", "seed_timeline", "to_json", "write_events",
}  # fmt: skip


def test_all_is_the_public_api() -> None:
    """negotiations.__all__ is exactly the documented public API, each name importable."""
    assert set(negotiations.__all__) == EXPECTED_API
    assert len(negotiations.__all__) == len(EXPECTED_API)
    for name in negotiations.__all__:
        assert hasattr(negotiations, name), name


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_has_a_docstring(module_name: str) -> None:
    """Every public class and function in a public module says what it is."""
    module = importlib.import_module(module_name)
    assert module.__doc__, module_name
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{module_name}.{name}"


def test_core_does_not_import_hypothesis() -> None:
    """Importing the package does not import Hypothesis, which is only a testing extra."""
    import subprocess  # noqa: PLC0415 - only this test runs a fresh interpreter
    import sys  # noqa: PLC0415

    code = "import sys, negotiations, negotiations.cli; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
