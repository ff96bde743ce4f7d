"""Every kind's CAMEO code and PLOVER category: declared on the class, spelled as the codebook and
the PLOVER manual spell them, annotated in the schema, and catalogued in docs/codes.md.

The oracles here are typed from the sources, not read from the code: the CAMEO names from the
CAMEO codebook (openeventdata/text_to_CAMEO, CAMEO_codefile.txt) and the PLOVER categories,
modes and contexts from the PLOVER manual, DRAFT version 0.8 (openeventdata/PLOVER).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from negotiations import EVENT_TYPES, Event, json_schema
from negotiations.domain.events import (
    FACT_TYPES,
    AgreementReached,
    CallHeld,
    DeadlineSet,
    EventCorrected,
    EventRetracted,
    PrisonersExchanged,
    ReportDisputed,
    SanctionsImposed,
    TalksHeld,
)
from negotiations.render.plover import REFINEMENTS, plover_records
from negotiations.seed import seed_timeline

ROOT = Path(__file__).parent.parent
CODES_DOC = ROOT / "docs" / "codes.md"
ATTRIBUTES = ("cameo", "plover", "plover_mode", "plover_context", "codes_note")
RECORD_KINDS = (EventRetracted, EventCorrected, ReportDisputed)

CAMEO_NAMES = {
    "010": "Make statement",
    "030": "Express intent to cooperate",
    "0353": "Express intent to release persons or property",
    "036": "Express intent to meet or negotiate",
    "037": "Express intent to settle dispute",
    "041": "Discuss by telephone",
    "046": "Engage in negotiation",
    "057": "Sign formal agreement",
    "060": "Engage in material cooperation",
    "070": "Provide aid",
    "071": "Provide economic aid",
    "072": "Provide military aid",
    "073": "Provide humanitarian aid",
    "080": "Yield",
    "084": "Return, release",
    "0841": "Return, release person(s)",
    "085": "Ease economic sanctions, boycott, embargo",
    "0871": "Declare truce, ceasefire",
    "100": "Demand",
    "112": "Accuse",
    "1123": "Accuse of aggression",
    "125": "Reject proposal to meet, discuss, or negotiate",
    "127": "Reject plan, agreement to settle dispute",
    "139": "Give ultimatum",
    "160": "Reduce relations",
    "162": "Reduce or stop aid",
    "1621": "Reduce or stop economic assistance",
    "1622": "Reduce or stop military assistance",
    "1623": "Reduce or stop humanitarian assistance",
    "163": "Impose embargo, boycott, or sanctions",
    "196": "Violate ceasefire",
}
"""The CAMEO codes used here, with their names in the codebook."""

PLOVER_MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"}),
    "DEMAND": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "ban", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "general", "strike", "hunger", "boycott", "obstruct"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset(
        {"confiscate", "restrict", "ban", "censor", "curfew", "martial-law", "arrest", "deport", "withhold"}
    ),
    "ASSAULT": frozenset(
        {
            "abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy", "primitive",
            "firearms", "explosives", "suicide-attack", "heavy-weapons", "cleansing", "massacre",
            "unconventional", "sideAB",
        }
    ),
}  # fmt: skip
"""PLOVER M0.8's categories, each with its modes."""

PLOVER_CONTEXTS = frozenset(
    {
        "military", "intelligence", "peacekeeping", "economic", "diplomatic", "resource", "disease",
        "enviro_disaster", "migration", "humanitarian", "asylum", "legal", "human_rights",
        "rights_freedoms", "gender", "lgbt", "terrorism", "human_security", "religion_ethnicity",
        "executive", "election", "legislative", "cbrn", "cyber", "political_institutions",
        "corruption", "crime", "illegal_drugs",
    }
)  # fmt: skip
"""PLOVER M0.8's general contexts."""


def _cell(value: str | None) -> str:
    return "—" if value is None else f"`{value}`"


def _cameo(code: str | None) -> str:
    return "—" if code is None else f"`{code}` {CAMEO_NAMES[code]}"


def catalogue() -> str:
    """The tables of docs/codes.md, as the class attributes and the refinements make them."""
    lines = [
        "| kind | CAMEO | PLOVER category | mode | context | where the fit is loose |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {cls.wire_type} | {_cameo(cls.cameo)} | {_cell(cls.plover)} | {_cell(cls.plover_mode)} "
        f"| {_cell(cls.plover_context)} | {cls.codes_note or ''} |"
        for cls in EVENT_TYPES
    ]
    lines += [
        "",
        "| kind | when | CAMEO | PLOVER category | mode | context |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {row.kind.wire_type} | {row.when} | {_cameo(row.codes.cameo)} | {_cell(row.codes.category)} "
        f"| {_cell(row.codes.mode)} | {_cell(row.codes.context)} |"
        for row in REFINEMENTS
    ]
    return "\n".join(lines) + "\n"


def _between(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name} -->\n(.*?)<!-- /{name} -->", text, re.DOTALL)
    assert match, f"docs/codes.md has no {name} block"
    return match.group(1)


@pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda cls: cls.wire_type)
def test_every_kind_declares_its_own_codes(cls: type[Event]) -> None:
    """Every wire kind sets all five code attributes in its own class body, not by inheritance."""
    assert set(ATTRIBUTES) <= set(vars(cls)), cls.wire_type


@pytest.mark.parametrize("cls", RECORD_KINDS, ids=lambda cls: cls.wire_type)
def test_record_kinds_have_no_codes(cls: type[Event]) -> None:
    """Retractions, corrections and disputes are about the record: they have no CAMEO or PLOVER code."""
    assert (cls.cameo, cls.plover, cls.plover_mode, cls.plover_context) == (None, None, None, None)


def test_the_issue_examples() -> None:
    """The codes the issue names hold: TalksHeld 046 CONSULT, CallHeld 041 CONSULT phone,
    SanctionsImposed 163 SANCTION, DeadlineSet 139 THREATEN, PrisonersExchanged 0841 RETREAT
    release, AgreementReached 057 AGREE.
    """
    pairs = {
        cls: (cls.cameo, cls.plover, cls.plover_mode)
        for cls in (TalksHeld, CallHeld, SanctionsImposed, DeadlineSet, PrisonersExchanged, AgreementReached)
    }
    assert pairs == {
        TalksHeld: ("046", "CONSULT", None),
        CallHeld: ("041", "CONSULT", "phone"),
        SanctionsImposed: ("163", "SANCTION", "discontinue"),
        DeadlineSet: ("139", "THREATEN", None),
        PrisonersExchanged: ("0841", "RETREAT", "release"),
        AgreementReached: ("057", "AGREE", None),
    }
    assert AgreementReached.codes_note is not None
    assert "SUPPORT" in AgreementReached.codes_note


@pytest.mark.parametrize("cls", FACT_TYPES, ids=lambda cls: cls.wire_type)
def test_codes_are_spelled_as_the_sources_spell_them(cls: type[Event]) -> None:
    """A kind's CAMEO code is in the codebook, and its PLOVER category, mode and context are
    M0.8's, the mode one its category has.
    """
    assert cls.cameo is None or cls.cameo in CAMEO_NAMES
    if cls.plover is None:
        assert cls.plover_mode is None
        assert cls.plover_context is None
        return
    assert cls.plover_mode is None or cls.plover_mode in PLOVER_MODES[cls.plover]
    assert cls.plover_context is None or cls.plover_context in PLOVER_CONTEXTS


@pytest.mark.parametrize("row", REFINEMENTS, ids=lambda row: f"{row.kind.wire_type} {row.when}")
def test_refinements_are_spelled_as_the_sources_spell_them(row: object) -> None:
    """Each refinement's codes are the codebook's and M0.8's, as the kinds' are."""
    codes = row.codes  # type: ignore[attr-defined]  # a Refinement, as the ids say
    assert codes.cameo in CAMEO_NAMES
    assert codes.mode is None or codes.mode in PLOVER_MODES[codes.category]
    assert codes.context is None or codes.context in PLOVER_CONTEXTS


def test_a_kind_without_a_category_says_why() -> None:
    """A fact kind with no PLOVER category, or no CAMEO code, has a note on the loose fit."""
    for cls in FACT_TYPES:
        if cls.plover is None or cls.cameo is None:
            assert cls.codes_note, cls.wire_type


def test_schema_annotates_each_kind() -> None:
    """Each fact kind's $defs entry carries x-cameo and x-plover, with no null member; the record
    kinds carry neither.
    """
    defs = json_schema()["$defs"]
    assert defs["CallHeld"]["x-cameo"] == "041"
    assert defs["CallHeld"]["x-plover"] == {"category": "CONSULT", "mode": "phone", "context": "diplomatic"}
    assert defs["TalksHeld"]["x-plover"] == {"category": "CONSULT", "context": "diplomatic"}
    for cls in FACT_TYPES:
        entry = defs[cls.wire_type]
        assert entry.get("x-cameo") == cls.cameo
        expected = {"category": cls.plover, "mode": cls.plover_mode, "context": cls.plover_context}
        if cls.plover is None:
            assert "x-plover" not in entry
        else:
            assert entry["x-plover"] == {k: v for k, v in expected.items() if v is not None}
    for cls in RECORD_KINDS:
        assert "x-cameo" not in defs[cls.wire_type]
        assert "x-plover" not in defs[cls.wire_type]


def test_docs_catalogue_matches_the_attributes() -> None:
    """docs/codes.md's catalogue is what the class attributes and the refinements say, row for row."""
    assert _between(CODES_DOC.read_text(encoding="utf-8"), "catalogue") == catalogue()


def test_docs_example_record_is_the_seeds() -> None:
    """docs/codes.md's example record is the record the export makes of the seed's first event."""
    block = _between(CODES_DOC.read_text(encoding="utf-8"), "example")
    (example,) = re.findall(r"^```json\n(.*?)^```$", block, re.MULTILINE | re.DOTALL)
    assert json.loads(example) == next(plover_records(seed_timeline()))


def test_docs_are_linked() -> None:
    """The format reference and the README link the catalogue of codes."""
    assert "codes.md" in (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert "docs/codes.md" in (ROOT / "README.md").read_text(encoding="utf-8")
