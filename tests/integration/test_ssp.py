"""SSP authoring end to end on the embedded demo: assemble, validate, diff locality, init, gaps, export."""

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from marse_oscal.content import ContentStore
from marse_oscal.files import dump_json
from marse_oscal.profile.resolve import ResolvedCatalog, resolve_profile
from marse_oscal.ssp.assemble import assemble
from marse_oscal.ssp.export import export_files, write_export
from marse_oscal.ssp.gaps import find_gaps
from marse_oscal.validate import Severity, ValidationOptions, validate_paths
from tests.conftest import REPO
from tests.integration.test_cli import run

DEMO = REPO / "trestle-workspace" / "example-state-exchange"
HREF = "../../profiles/mars-e-2.0/profile.json"


@pytest.fixture(scope="module")
def catalog(real_store: ContentStore) -> ResolvedCatalog:
    return resolve_profile(store=real_store)


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """The demo inputs inside a fake repository, beside the MARS-E profile they import."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(DEMO, tmp_path / "inputs" / "demo")
    return tmp_path / "inputs" / "demo"


def test_demo_ssp_is_complete_and_valid(catalog: ResolvedCatalog, real_store: ContentStore, tmp_path: Path) -> None:
    assembly = assemble(DEMO, catalog, HREF)
    assert not assembly.missing_narratives and not assembly.missing_params and not assembly.missing_files
    out = REPO / "out" / "test-demo" / "ssp.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump_json(assembly.document))
    try:
        report = validate_paths([str(out)], ValidationOptions(jobs=1), real_store.settings).files[0]
    finally:
        shutil.rmtree(out.parent)
    errors = [f for f in report.findings if f.severity is Severity.error]
    assert errors == [] and not [f for f in report.findings if f.severity is Severity.warning]
    assert len(assembly.document["system-security-plan"]["control-implementation"]["implemented-requirements"]) == 351


def test_trestle_loads_the_demo_ssp(catalog: ResolvedCatalog) -> None:
    from trestle.oscal.ssp import SystemSecurityPlan

    document = assemble(DEMO, catalog, HREF).document
    model = SystemSecurityPlan.model_validate(document["system-security-plan"])
    assert len(model.control_implementation.implemented_requirements) == 351


def test_marse_rules_ran_on_the_demo(catalog: ResolvedCatalog, real_store: ContentStore, demo_copy: Path) -> None:
    control = demo_copy / "controls" / "ac" / "ac-2.md"
    control.write_text(control.read_text().replace('values: ["at least annually"]', "values: []"))
    out = demo_copy.parent.parent / "ssp.json"
    # an import-profile that cannot be followed: --profile mars-e-2.0 must still apply the MARS-E rules
    out.write_text(dump_json(assemble(demo_copy, catalog, "missing-profile.json").document))
    report = validate_paths([str(out)], ValidationOptions(jobs=1, profile="mars-e-2.0"), real_store.settings).files[0]
    assert [f.rule for f in report.findings if f.severity is Severity.error] == ["MARSE-SSP-005"]


def test_assembly_is_deterministic_and_edits_stay_local(catalog: ResolvedCatalog, demo_copy: Path) -> None:
    first = dump_json(assemble(demo_copy, catalog, HREF).document)
    assert dump_json(assemble(demo_copy, catalog, HREF).document) == first
    control = demo_copy / "controls" / "au" / "au-6.md"
    text = control.read_text()
    marker = "### This System\n\n"
    control.write_text(text.replace(marker, marker + "Reviewed weekly by the SOC. ", 1))
    second = dump_json(assemble(demo_copy, catalog, HREF).document)
    before, after = json.loads(first), json.loads(second)
    old = before["system-security-plan"]["control-implementation"]["implemented-requirements"]
    new = after["system-security-plan"]["control-implementation"]["implemented-requirements"]
    changed = [o["control-id"] for o, n in zip(old, new, strict=True) if o != n]
    assert changed == ["au-6"]
    before["system-security-plan"]["control-implementation"]["implemented-requirements"] = []
    after["system-security-plan"]["control-implementation"]["implemented-requirements"] = []
    assert before == after
    changed_lines = [n for n, (a, b) in enumerate(zip(first.splitlines(), second.splitlines(), strict=True)) if a != b]
    assert len(changed_lines) == 1


def test_init_scaffolds_and_never_overwrites(tmp_path: Path, mirror: Path) -> None:
    env = {"MARSE_OSCAL_MIRROR": str(mirror), "MARSE_OSCAL_CACHE": str(tmp_path / "cache")}
    target = tmp_path / "new-ssp"
    result = run("ssp", "init", str(target), env=env)
    assert result.returncode == 0 and "352 file(s) written" in result.stdout
    ac7 = target / "controls" / "ac" / "ac-7.md"
    assert "TODO(marse-oscal)" in ac7.read_text() and "Microsoft Managed Control 1044" in ac7.read_text()
    ac7.write_text(ac7.read_text().replace("<!-- TODO(marse-oscal)", "Our lockout policy. <!--"))
    kept = ac7.read_text()
    assert "0 file(s) written" in run("ssp", "init", str(target), env=env).stdout
    assert ac7.read_text() == kept
    gaps = run("ssp", "gaps", str(target), "--format", "json", env=env)
    data = json.loads(gaps.stdout)
    assert gaps.returncode == 1 and data["total"] > 0 and "AC-7" not in data["families"]["AC"]["narrative"]
    assert any("date-authorized" in line for line in data["system-yaml"])


def test_gaps_on_the_demo_are_empty(catalog: ResolvedCatalog) -> None:
    assert find_gaps(DEMO, assemble(DEMO, catalog, HREF)).total == 0


def test_located_input_errors(tmp_path: Path, mirror: Path, demo_copy: Path) -> None:
    env = {"MARSE_OSCAL_MIRROR": str(mirror), "MARSE_OSCAL_CACHE": str(tmp_path / "cache")}
    system = demo_copy / "system.yaml"
    system.write_text(system.read_text().replace("sensitivity: moderate", "sensitivity: medium"))
    result = run("ssp", "assemble", str(demo_copy), "-o", str(tmp_path / "x.json"), env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "system.yaml:" in result.stderr and "system.sensitivity: 'medium' is not one of" in result.stderr
    system.write_text(system.read_text().replace("sensitivity: medium", "sensitivity: moderate"))
    bogus = demo_copy / "controls" / "zz" / "zz-1.md"
    bogus.parent.mkdir()
    bogus.write_text("---\ncontrol-id: zz-1\n---\n")
    result = run("ssp", "assemble", str(demo_copy), "-o", str(tmp_path / "x.json"), env=env)
    assert result.returncode == 2 and "zz-1.md:1: zz-1 is not a MARS-E 2.0 control" in result.stderr


def test_export_set_is_complete_and_stable(catalog: ResolvedCatalog, tmp_path: Path) -> None:
    document = assemble(DEMO, catalog, HREF).document
    files = export_files(document, catalog)
    names = {f.name for f in files}
    assert {
        "ssp.json",
        "ssp.yaml",
        "mars-e-2.0-resolved-catalog.json",
        "control-matrix.csv",
        "control-matrix.xlsx",
        "manifest.json",
        "component-definitions/azure-government.json",
        "component-definitions/intune.json",
    } == names
    out = tmp_path / "export"
    write_export(files, out, archive=True)
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["files"]:
        import hashlib

        assert hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    assert write_export(export_files(document, catalog), out, archive=True) == []
    with zipfile.ZipFile(out.with_suffix(".zip")) as archive:
        assert sorted(archive.namelist()) == sorted(names)
    rows = (out / "control-matrix.csv").read_text().splitlines()
    assert len(rows) == 352 and rows[0].startswith("control,title,family,responsibility")
    from openpyxl import load_workbook

    sheet = load_workbook(out / "control-matrix.xlsx").active
    assert sheet.max_row == 352 and sheet["A2"].value == "AC-1"


def test_demo_command(tmp_path: Path, mirror: Path) -> None:
    env = {"MARSE_OSCAL_MIRROR": str(mirror), "MARSE_OSCAL_CACHE": str(tmp_path / "cache")}
    out = REPO / "out" / "test-demo-command"
    try:
        result = run("demo", "-o", str(out), env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 error(s), 0 warning(s)" in result.stdout and (out / "example-state-exchange" / "export.zip").is_file()
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_not_applicable_without_justification_is_a_gap(catalog: ResolvedCatalog, real_store, demo_copy: Path) -> None:
    control = demo_copy / "controls" / "ac" / "ac-18.md"
    control.write_text(re.sub(r"^justification: .*\n", "", control.read_text(), flags=re.M))
    assembly = assemble(demo_copy, catalog, HREF)
    assert assembly.missing_justifications == ["ac-18"]
    assert find_gaps(demo_copy, assembly).families["AC"]["justification"] == ["AC-18"]
    out = demo_copy.parent.parent / "ssp.json"
    out.write_text(dump_json(assemble(demo_copy, catalog, "missing-profile.json").document))
    report = validate_paths([str(out)], ValidationOptions(jobs=1, profile="mars-e-2.0"), real_store.settings).files[0]
    assert [f.rule for f in report.findings if f.severity is Severity.error] == ["MARSE-SSP-002"]


def test_section_naming_no_component_is_an_error(catalog: ResolvedCatalog, demo_copy: Path) -> None:
    from marse_oscal.errors import InputError

    control = demo_copy / "controls" / "ac" / "ac-2.md"
    control.write_text(control.read_text().replace("### This System", "### Enrolment portal", 1))
    with pytest.raises(InputError, match=r"ac-2\.md:\d+: section 'Enrolment portal' names no component"):
        assemble(demo_copy, catalog, HREF)


def test_per_part_narratives_become_statements(catalog: ResolvedCatalog, real_store, demo_copy: Path) -> None:
    control = demo_copy / "controls" / "ac" / "ac-2.md"
    control.write_text(
        control.read_text()
        + "\n## Implementation for part a.\n\n### Enrollment web portal\n\nThe portal defines resident and staff"
        " account types.\n\n#### Implementation Status: partial\n"
    )
    document = assemble(demo_copy, catalog, HREF).document
    requirement = next(
        r for r in document["system-security-plan"]["control-implementation"]["implemented-requirements"]
        if r["control-id"] == "ac-2"
    )  # fmt: skip
    (statement,) = requirement["statements"]
    assert statement["statement-id"] == "ac-2_smt.a"
    assert statement["by-components"][0]["implementation-status"] == {"state": "partial"}
    out = demo_copy.parent.parent / "ssp.json"
    out.write_text(dump_json(assemble(demo_copy, catalog, "missing-profile.json").document))
    report = validate_paths([str(out)], ValidationOptions(jobs=1, profile="mars-e-2.0"), real_store.settings).files[0]
    assert [f for f in report.findings if f.severity is Severity.error] == []


def test_unknown_part_is_a_located_error(catalog: ResolvedCatalog, demo_copy: Path) -> None:
    from marse_oscal.errors import InputError

    control = demo_copy / "controls" / "ac" / "ac-2.md"
    control.write_text(control.read_text() + "\n## Implementation for part z.\n\n### This System\n\nText.\n")
    with pytest.raises(InputError, match=r"ac-2\.md:\d+: part 'z' is not a part of AC-2"):
        assemble(demo_copy, catalog, HREF)
