"""`marse-oscal validate` on NIST's examples, the rev4 content, and small documents broken on purpose."""

import copy
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marse_oscal.content import ContentStore
from marse_oscal.validate import Layer, Severity, ValidationOptions, Validator, validate_paths
from marse_oscal.validate.parsers import parse
from marse_oscal.validate.reporters import render
from marse_oscal.validate.rules import RULES
from tests.conftest import REPO, SHARED

EXAMPLES = SHARED / "reference" / "exemplars" / "nist-oscal-content-examples"
MINI = REPO / "tests" / "fixtures" / "mini"


def errors(report) -> list:
    return [f for f in report.findings if f.severity is Severity.error]


def run(real_store: ContentStore, *paths, **options):
    return validate_paths([str(p) for p in paths], ValidationOptions(jobs=1, **options), real_store.settings)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini catalog/profile/SSP inside a fake repository."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def mutate(path: Path, change) -> Path:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document, indent=2))
    return path


def test_nist_examples_only_real_defects(real_store: ContentStore) -> None:
    if not EXAMPLES.is_dir():
        pytest.skip("NIST examples not available")
    result = run(real_store, EXAMPLES)
    by_name = {Path(r.path).name: r for r in result.files}
    assert len(by_name) == 9
    for name, report in by_name.items():
        assert not any(
            f.layer in (Layer.parse, Layer.schema, Layer.model) and f.severity is Severity.error
            for f in report.findings
        ), name
        if name.startswith("example-component-definition"):
            assert [f.rule for f in errors(report)] == ["INTEGRITY-001"], name
            assert "bb9219b1-e51c-4680-abb0-616a43bbfbb1" in errors(report)[0].message
        elif name.startswith("ifa_plan-of-action"):
            # its related-risk names the uuid of a mitigating factor, not of a risk
            assert [(f.rule, f.pointer) for f in errors(report)] == [
                ("INTEGRITY-002", "/plan-of-action-and-milestones/poam-items/0/related-risks/0/risk-uuid")
            ]
            assert "mitigating-factors" in errors(report)[0].message
        else:
            assert errors(report) == [], (name, errors(report))
    poam = by_name["ifa_plan-of-action-and-milestones.json"]
    assert {f.rule for f in poam.findings if f.severity is not Severity.error} == {"SCHEMA-003", "INTEGRITY-006"}


def test_leveraging_ssp_resolved_with_its_leveraged_ssp(real_store: ContentStore) -> None:
    if not EXAMPLES.is_dir():
        pytest.skip("NIST examples not available")
    leveraging = EXAMPLES / "oscal_leveraging-example_ssp.json"
    alone = run(real_store, leveraging).files[0]
    assert errors(alone) == []
    assert sum(f.rule == "INTEGRITY-006" for f in alone.findings) == 3
    paired = run(real_store, leveraging, with_files=(EXAMPLES / "oscal_leveraged-example_ssp.json",)).files[0]
    assert not any(f.rule == "INTEGRITY-006" for f in paired.findings)
    assert [f.rule for f in errors(paired)] == ["INTEGRITY-002"]
    assert "names an entry of 'provided'" in errors(paired)[0].message


@pytest.mark.parametrize(
    "key",
    [
        "nist-800-53-rev4-catalog",
        *[f"nist-800-53-rev4-{b}-{k}" for b in ("low", "moderate", "high") for k in ("profile", "resolved")],
    ],
)
def test_rev4_content_passes_the_schema_layer(real_store: ContentStore, key: str) -> None:
    report = run(real_store, real_store.path(key), layers=frozenset({Layer.parse, Layer.schema})).files[0]
    assert errors(report) == []


def test_fedramp_profile_names_the_version_difference(real_store: ContentStore) -> None:
    fedramp = SHARED / "reference" / "exemplars" / "FedRAMP_rev4_MODERATE-baseline_profile.json"
    if not fedramp.is_file():
        pytest.skip("FedRAMP exemplar not available")
    report = run(real_store, fedramp, layers=frozenset({Layer.parse, Layer.schema})).files[0]
    schema_errors = [f for f in report.findings if f.rule == "SCHEMA-001"]
    assert schema_errors and schema_errors[0].pointer == "/profile/merge/combine"
    assert "OSCAL 1.2 removed profile merge 'combine.method'" in schema_errors[0].message
    assert schema_errors[0].line is not None
    assert any(f.rule == "SCHEMA-003" and "1.0.4" in f.message for f in report.findings)


def test_mini_documents_are_valid_in_every_layer(real_store: ContentStore, mini: Path) -> None:
    result = run(real_store, mini)
    assert result.exit_code == 0, render(result, "text", colour=False)
    assert [r.model for r in result.files] == ["catalog", "profile", "system-security-plan"]


@pytest.mark.parametrize(
    ("change", "rule", "pointer_end"),
    [
        (lambda d: d["system-security-plan"].__setitem__("uuid", 5), "SCHEMA-001", "/system-security-plan/uuid"),
        (lambda d: d["system-security-plan"]["metadata"].pop("title"), "SCHEMA-001", "/system-security-plan/metadata"),
        (
            lambda d: d["system-security-plan"].__setitem__("uuid", "not-a-uuid"),
            "SCHEMA-001",
            "/system-security-plan/uuid",
        ),
        (
            lambda d: d["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["statements"][
                0
            ]["by-components"][0].__setitem__("component-uuid", "5a5a5a5a-0000-4000-8000-000000000999"),
            "INTEGRITY-002",
            "/component-uuid",
        ),
        (
            lambda d: d["system-security-plan"]["control-implementation"]["implemented-requirements"][1].__setitem__(
                "uuid", "5a5a5a5a-0000-4000-8000-000000000010"
            ),
            "INTEGRITY-001",
            "/implemented-requirements/1",
        ),
        (
            lambda d: d["system-security-plan"]["metadata"]["responsible-parties"][0].__setitem__("role-id", "ghost"),
            "INTEGRITY-003",
            "/responsible-parties/0/role-id",
        ),
        (
            lambda d: d["system-security-plan"]["system-implementation"]["components"][0].__setitem__(
                "links", [{"href": "#5a5a5a5a-0000-4000-8000-000000000777", "rel": "reference"}]
            ),
            "INTEGRITY-004",
            "/links/0/href",
        ),
        (
            lambda d: d["system-security-plan"]["control-implementation"]["implemented-requirements"][0].__setitem__(
                "control-id", "zz-9"
            ),
            "INTEGRITY-010",
            "/implemented-requirements/0/control-id",
        ),
        (
            lambda d: d["system-security-plan"]["control-implementation"]["implemented-requirements"][0]["statements"][
                0
            ].__setitem__("statement-id", "ac-1_smt.z"),
            "INTEGRITY-011",
            "/implemented-requirements/0/statements/0",
        ),
        (
            lambda d: d["system-security-plan"]["control-implementation"]["implemented-requirements"][0][
                "set-parameters"
            ][0].__setitem__("param-id", "ac-1_prm_9"),
            "INTEGRITY-012",
            "/implemented-requirements/0/set-parameters/0",
        ),
    ],
)
def test_each_defect_gives_its_finding(real_store: ContentStore, mini: Path, change, rule: str, pointer_end: str):
    report = run(real_store, mutate(mini / "ssp.json", change)).files[0]
    found = [f for f in errors(report) + report.findings if f.rule == rule]
    assert found, render(run(real_store, mini / "ssp.json"), "text", colour=False)
    assert found[0].pointer.endswith(pointer_end) and found[0].line, found[0]


def ssp_requirements(d: dict) -> list:
    return d["system-security-plan"]["control-implementation"]["implemented-requirements"]


@pytest.mark.parametrize(
    ("change", "rule", "text"),
    [
        (lambda d: ssp_requirements(d).pop(2), "MARSE-SSP-001", "AC-2(1)"),
        (
            lambda d: ssp_requirements(d)[2].__setitem__(
                "props", [{"name": "implementation-status", "value": "not-applicable"}]
            ),
            "MARSE-SSP-002",
            "AC-2(1) is not-applicable",
        ),
        (lambda d: ssp_requirements(d)[3].pop("by-components"), "MARSE-SSP-003", "AR-1 names no component"),
        (lambda d: ssp_requirements(d)[3].pop("props"), "MARSE-SSP-004", "AR-1 states no responsibility"),
        (lambda d: ssp_requirements(d)[0].pop("set-parameters"), "MARSE-SSP-005", "ac-1_prm_1"),
        (
            lambda d: d["system-security-plan"]["system-implementation"]["components"][1]["props"].pop(0),
            "MARSE-SSP-006",
            "AC-2: inherits",
        ),
        (lambda d: ssp_requirements(d).pop(3), "MARSE-SSP-007", "privacy control AR-1"),
        (
            lambda d: d["system-security-plan"]["system-characteristics"].__setitem__(
                "security-sensitivity-level", "high"
            ),
            "MARSE-SSP-008",
            "security-sensitivity-level is high",
        ),
    ],
)
def test_each_marse_rule(real_store: ContentStore, mini: Path, change, rule: str, text: str) -> None:
    report = run(real_store, mutate(mini / "ssp.json", change)).files[0]
    found = [f for f in report.findings if f.rule == rule]
    assert found and text in found[0].message, [(f.rule, f.message) for f in report.findings]


def test_justified_not_applicable_passes(real_store: ContentStore, mini: Path) -> None:
    def change(d: dict) -> None:
        requirement = ssp_requirements(d)[2]
        requirement["props"] = [
            {
                "name": "implementation-status",
                "value": "not-applicable",
                "remarks": "No automated account management: the exchange has two accounts.",
            }
        ]
        requirement.pop("by-components")

    assert run(real_store, mutate(mini / "ssp.json", change)).exit_code == 0


def test_forced_marse_profile_reports_every_missing_control(real_store: ContentStore, mini: Path) -> None:
    report = run(real_store, mini / "ssp.json", profile="mars-e-2.0").files[0]
    missing = [f for f in report.findings if f.rule in ("MARSE-SSP-001", "MARSE-SSP-007")]
    assert len(missing) == 351 - 4  # the mini SSP addresses ac-1, ac-2, ac-2.1 and ar-1
    assert sum(f.rule == "MARSE-SSP-007" for f in missing) == 35


def test_href_escaping_the_repository_is_refused(real_store: ContentStore, mini: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside-profile.json"
    shutil.copy(mini / "profile.json", outside)
    ssp = mutate(
        mini / "ssp.json",
        lambda d: d["system-security-plan"]["import-profile"].__setitem__("href", f"../../{outside.name}"),
    )
    report = run(real_store, ssp).files[0]
    refused = [f for f in report.findings if f.rule == "INTEGRITY-009"]
    assert refused and "refused" in refused[0].message
    outside.unlink()


def test_trestle_href(real_store: ContentStore, mini: Path) -> None:
    (mini.parent / ".trestle").mkdir()
    ssp = mutate(
        mini / "ssp.json",
        lambda d: d["system-security-plan"]["import-profile"].__setitem__("href", "trestle://mini/profile.json"),
    )
    assert run(real_store, ssp).exit_code == 0


def test_reporters(real_store: ContentStore, mini: Path) -> None:
    mutate(mini / "ssp.json", lambda d: ssp_requirements(d)[0].__setitem__("control-id", "zz-9"))
    result = run(real_store, mini)
    sarif = json.loads(render(result, "sarif"))
    assert sarif["version"] == "2.1.0"
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    results = sarif["runs"][0]["results"]
    assert results and all(r["ruleId"] in rule_ids for r in results)
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    junit = ElementTree.fromstring(render(result, "junit"))
    assert junit.get("tests") == "3" and junit.get("failures") == "1"
    data = json.loads(render(result, "json"))
    assert data["exit-code"] == 1 and data["totals"]["error"] >= 1
    text = render(result, "text", colour=False)
    assert "ssp.json: FAILED" in text and text.rstrip().endswith("findings")


def test_every_rule_is_documented() -> None:
    docs = (REPO / "docs" / "validation.md").read_text()
    for rule_id in RULES:
        assert f"`{rule_id}`" in docs, rule_id


oscal_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["#x", "5a5a5a5a-0000-4000-8000-000000000002", "ac-1", "admin"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "uuid",
                    "href",
                    "component-uuid",
                    "party-uuids",
                    "role-id",
                    "control-id",
                    "props",
                    "name",
                    "value",
                    "metadata",
                    "import-profile",
                    "statements",
                    "set-parameters",
                    "implemented-requirements",
                    "control-implementation",
                    "by-components",
                    "id",
                    "links",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["system-security-plan", "catalog", "profile", "component-definition"]), oscal_like)
def test_validator_never_crashes(real_store: ContentStore, mini: Path, model: str, body) -> None:
    validator = Validator(ValidationOptions(jobs=1), real_store)
    document = parse("doc.json", json.dumps({model: body}).encode())
    for finding in validator.validate_document(document, mini / "doc.json"):
        assert finding.rule in RULES


def test_validator_survives_mutated_real_documents(real_store: ContentStore, mini: Path) -> None:
    """Drop each key of the mini SSP in turn: never a crash, always a finding."""
    original = json.loads((mini / "ssp.json").read_text())
    validator = Validator(ValidationOptions(jobs=1), real_store)
    stack = [((), original)]
    paths = []
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                paths.append((*path, key))
                stack.append(((*path, key), child))
    for path in paths:
        doc = copy.deepcopy(original)
        holder = doc
        for key in path[:-1]:
            holder = holder[key]
        del holder[path[-1]]
        findings = validator.validate_document(parse("ssp.json", json.dumps(doc).encode()), mini / "ssp.json")
        assert all(f.rule in RULES for f in findings)
