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
    "AID", "AID_CATEGORIES", "CONTACTS", "DEADLINES", "EVENT_TYPES", "EXCHANGES", "POSITIONS",
    "PROJECTIONS", "SANCTIONS", "TALKS", "TALKS_LEVELS", "TIMELINE", "VIEW_NAMES",
    "Agreement", "AgreementStatus", "Aid", "AidAnnounced", "AidCategory", "AidPaused", "AidResumed",
    "Announcement", "Batch", "Builder", "CallHeld", "Ceasefire", "CeasefireAgreed", "CeasefireEnded",
    "Closure",
    "Contact", "Contacts", "Deadline", "DeadlineChange", "DeadlineChanged", "DeadlineMet",
    "DeadlineSet", "DeadlineStatus", "DeadlineWithdrawn", "Deadlines", "DecodeError",
    "DuplicateEventError", "DuplicateKeyError", "Entry", "Event", "EventLog", "Exchanges", "LiveViews",
    "InvalidValueError", "LogError", "NegotiationsError", "PartialDate", "Party", "Pause", "Person",
    "Position", "PositionStated", "Positions", "PrisonerExchangeAgreed", "PrisonersExchanged",
    "Projection", "Proposal", "Qualifier", "RemainsRepatriated", "Round", "Sanctions",
    "SanctionsImposed", "SanctionsPackage", "Source", "Stance", "StatementMade", "Talks", "TalksHeld",
    "TalksLevel", "TalksProposed", "Tariff", "TariffsImposed", "Timeline", "UnknownReferenceError",
    "View", "Views", "check_lines",
    "AMENDMENT_TYPES", "FACT_TYPES", "EventCorrected", "EventRetracted", "OpaqueEvent", "ReportDisputed",
    "InvalidAmendmentError", "RefoldRequiredError", "Evidence", "Claim", "counted", "is_known",
    "counts_as_of", "decode_line", "describe", "dumps",
    "encode_line", "from_json", "json_schema", "load_log", "loads", "project", "read_events",
    "seed_timeline", "to_json", "views_to_json", "views_to_text", "write_events",
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
