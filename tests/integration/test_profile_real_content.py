"""The MARS-E profile and the resolver on the real NIST rev4 content, read through the offline mirror."""

import csv
import json
from pathlib import Path

import pytest

from marse_oscal.content import ContentStore
from marse_oscal.controls import control_id
from marse_oscal.errors import UnknownControlError
from marse_oscal.oscal import iter_controls
from marse_oscal.profile.build import PROFILE_FILE, SUPPLEMENTAL_FILE
from marse_oscal.profile.inspect import diff_baseline, show_control, verify_profile
from marse_oscal.profile.resolve import ResolvedCatalog, resolve_profile
from marse_oscal.schema import SchemaValidator
from tests.conftest import PROFILE_DIR, SHARED

CONTROLS_CSV = SHARED / "reference" / "mars-e-2.0" / "controls.csv"


@pytest.fixture(scope="module")
def resolved(real_store: ContentStore) -> ResolvedCatalog:
    return resolve_profile(PROFILE_DIR / PROFILE_FILE, real_store)


def test_resolves_exactly_the_mars_e_selection(resolved: ResolvedCatalog) -> None:
    controls = resolved.controls()
    assert len(controls) == 351
    assert resolved.warnings == ()
    if CONTROLS_CSV.is_file():
        rows = list(csv.DictReader(CONTROLS_CSV.open()))
        expected = {control_id(r["control"]) for r in rows if r["source_catalog"] != "unverified"}
        assert set(controls) == expected
        assert len(rows) == 352


def test_every_control_has_statement_text(resolved: ResolvedCatalog) -> None:
    for cid, control in resolved.controls().items():
        statement = [p for p in control.get("parts", ()) if p["name"] == "statement"]
        text = json.dumps(statement)
        assert statement and '"prose": "' in text, cid


def test_families_include_privacy_and_cms_controls(resolved: ResolvedCatalog) -> None:
    groups = {g["id"]: g for g in resolved.catalog["groups"]}
    assert set(groups) == {
        "ac",
        "ap",
        "ar",
        "at",
        "au",
        "ca",
        "cm",
        "cp",
        "di",
        "dm",
        "ia",
        "ip",
        "ir",
        "ma",
        "mp",
        "pe",
        "pl",
        "pm",
        "ps",
        "ra",
        "sa",
        "sc",
        "se",
        "si",
        "tr",
        "ul",
    }
    assert "mp-cms-1" in [c["id"] for c in groups["mp"]["controls"]]
    assert {"sc-aca-1", "sc-aca-2"} <= {c["id"] for c in groups["sc"]["controls"]}


def test_profile_supplemental_and_resolved_catalog_pass_the_official_schema(
    resolved: ResolvedCatalog, real_store: ContentStore
) -> None:
    validator = SchemaValidator(real_store)
    for name in (PROFILE_FILE, SUPPLEMENTAL_FILE):
        assert validator.violations(json.loads((PROFILE_DIR / name).read_text())) == [], name
    assert validator.violations(resolved.document) == []


@pytest.mark.parametrize("baseline", ["low", "moderate", "high"])
def test_resolver_reproduces_nist_resolved_baselines(real_store: ContentStore, baseline: str) -> None:
    mine = resolve_profile(real_store.path(f"nist-800-53-rev4-{baseline}-profile"), real_store)
    reference = json.loads(real_store.path(f"nist-800-53-rev4-{baseline}-resolved").read_text())["catalog"]

    def flat(container: dict) -> dict[str, dict]:
        return {c["id"]: {k: v for k, v in c.items() if k != "controls"} for c in iter_controls(container)}

    assert flat(mine.catalog) == flat(reference)
    assert [g["id"] for g in mine.catalog["groups"]] == [g["id"] for g in reference["groups"]]
    mine_resources = [r["uuid"] for r in mine.catalog["back-matter"]["resources"]]
    assert sorted(mine_resources) == sorted(r["uuid"] for r in reference["back-matter"]["resources"])


def test_resolver_agrees_with_compliance_trestle(resolved: ResolvedCatalog, real_store: ContentStore, tmp_path: Path):
    from trestle.core.profile_resolver import ProfileResolver

    profile = json.loads((PROFILE_DIR / PROFILE_FILE).read_text())
    profile["profile"]["imports"][0]["href"] = str(real_store.path("nist-800-53-rev4-catalog"))
    profile["profile"]["imports"][1]["href"] = str(PROFILE_DIR / SUPPLEMENTAL_FILE)
    (tmp_path / ".trestle").mkdir()
    (tmp_path / "profile.json").write_text(json.dumps(profile))
    theirs = ProfileResolver.get_resolved_profile_catalog(tmp_path, tmp_path / "profile.json").oscal_dict()
    their_controls = {c["id"]: c for c in iter_controls(theirs["catalog"])}
    mine = resolved.controls()
    assert set(their_controls) == set(mine)
    for cid, control in mine.items():
        assert control["parts"] == their_controls[cid]["parts"], cid
        assert control.get("params", []) == their_controls[cid].get("params", []), cid
        assert control["props"] == their_controls[cid]["props"], cid


def test_diff_against_moderate(resolved: ResolvedCatalog, real_store: ContentStore) -> None:
    result = diff_baseline(resolved, "moderate", real_store)
    assert result.baseline_count == 261
    assert len(result.added) == 59 and len(result.omitted) == 8
    named_in_the_facts = {"ac-2.7", "ac-3.9", "ac-10", "au-5.1", "au-10", "au-12.1", "au-16", "sc-7.8", "si-6"}
    assert named_in_the_facts | {"si-4.14"} <= set(result.added)
    assert {f"pm-{n}" for n in range(1, 17)} <= set(result.added)
    assert result.omitted == ["ac-6.10", "cm-2.7", "ia-2.12", "ia-8.1", "ia-8.2", "ia-8.3", "ia-8.4", "sa-4.10"]
    assert len(result.supplemental["nist-800-53-rev4-appendix-j"]) == 36
    assert result.supplemental["cms-defined"] == ["mp-cms-1", "sc-aca-1", "sc-aca-2"]
    assert list(result.excluded) == ["ac-3.11"]


def test_show_control_and_its_errors(resolved: ResolvedCatalog) -> None:
    view = show_control(resolved, "AC-2(1)")
    assert view.title == "Automated System Account Management" and not view.summary
    ar5 = show_control(resolved, "ar-5")
    assert ar5.summary and len(ar5.params) == 3
    assert all(p["value"] == "organization-defined: must be supplied" for p in ar5.params)
    with pytest.raises(UnknownControlError, match="excluded from this profile by decision"):
        show_control(resolved, "AC-3(11)")
    with pytest.raises(UnknownControlError, match="not a control of this profile"):
        show_control(resolved, "AC-6(10)")


def test_verify_passes_and_reports_the_decision(real_store: ContentStore) -> None:
    result = verify_profile(PROFILE_DIR, real_store)
    assert result.ok, [f for f in result.findings if f.severity == "error"]
    assert result.control_count == 351
    decisions = [f for f in result.findings if f.check == "decision"]
    assert decisions and decisions[0].severity == "warning" and "AC-3(11)" in decisions[0].message


def test_verify_catches_a_lost_control(real_store: ContentStore, tmp_path: Path) -> None:
    import shutil

    from marse_oscal.profile.build import write_profile_documents

    shutil.copytree(PROFILE_DIR / "source", tmp_path / "source")
    selection = tmp_path / "source" / "selection.yaml"
    selection.write_text(selection.read_text().replace('    - "SI-6"\n', ""))
    write_profile_documents(tmp_path)
    result = verify_profile(tmp_path, real_store)
    errors = [f.message for f in result.findings if f.severity == "error"]
    assert not result.ok
    assert any(m.startswith("SI: 24 controls resolved, the facts say 25") for m in errors)
