"""The shipped component definitions, regenerated from pinned inputs, checked against the policy facts."""

import json
from pathlib import Path

import pytest

from marse_oscal.compdef.azure_policy import PinnedPolicies, PolicyKind, read_initiative
from marse_oscal.compdef.sources import BuiltComponent, build_component, is_stale, source_folders
from marse_oscal.content import ContentStore
from marse_oscal.profile.resolve import resolve_profile
from marse_oscal.validate import ValidationOptions, validate_paths
from tests.conftest import REPO
from tests.integration.test_cli import run

ROOT = REPO / "component-definitions"


@pytest.fixture(scope="module")
def built(real_store: ContentStore) -> dict[str, BuiltComponent]:
    profile = resolve_profile(store=real_store)
    return {folder.name: build_component(folder, real_store, profile) for folder in source_folders(ROOT)}


def requirements(component: BuiltComponent) -> dict[str, dict]:
    implementation = component.document["component-definition"]["components"][0]["control-implementations"][0]
    return {r["control-id"]: r for r in implementation["implemented-requirements"]}


def responsibility(requirement: dict) -> str:
    return next(p["value"] for p in requirement["props"] if p["name"] == "responsibility")


def test_shipped_files_match_their_pinned_inputs(built: dict[str, BuiltComponent]) -> None:
    assert set(built) == {"azure", "azure-government", "intune"}
    stale = [name for name, component in built.items() if is_stale(component)]
    assert stale == [], "run `marse-oscal compdef build` and commit the result"


def test_regeneration_is_byte_identical(real_store: ContentStore, built: dict[str, BuiltComponent]) -> None:
    again = build_component(ROOT / "azure-government", real_store)
    assert again.text == built["azure-government"].text


def test_ac7_follows_the_initiatives(built: dict[str, BuiltComponent]) -> None:
    government = requirements(built["azure-government"])["ac-7"]
    assert responsibility(government) == "provider"  # the Azure Government initiative lists MMC 1044/1045 only
    assert "Microsoft Managed Control 1044, 1045" in government["description"]
    public = requirements(built["azure"])["ac-7"]
    assert responsibility(public) == "shared"  # MMC 1044/1045 (2022-08) + the customer action (current)
    assert "Enforce a limit of consecutive failed login attempts" in public["description"]


def test_government_responsibilities_match_policy_kinds(real_store: ContentStore, built) -> None:
    key = "azure-policy-nist-r4-azure-government"
    initiative = read_initiative(real_store.path(key), key)
    library = PinnedPolicies(real_store, key)
    mine = requirements(built["azure-government"])
    profile = resolve_profile(store=real_store).controls()
    for cid, guids in initiative.controls.items():
        if cid not in profile:
            assert cid not in mine
            continue
        kinds = {library.get(g).kind for g in guids}
        value = responsibility(mine[cid])
        if PolicyKind.microsoft_managed in kinds:
            assert value in ("provider", "shared"), cid
        if kinds & {PolicyKind.customer_action, PolicyKind.automated}:
            assert value in ("shared", "customer"), cid
    remarks = built["azure-government"].document["component-definition"]["metadata"]["remarks"]
    assert "does not select" in remarks and "AC-2(5)" in remarks


def test_rules_follow_trestle_conventions(built: dict[str, BuiltComponent]) -> None:
    component = built["azure-government"].document["component-definition"]["components"][0]
    rule_ids = {p["value"] for p in component["props"] if p["name"] == "Rule_Id"}
    assert rule_ids and all(
        any(p["name"] == "Rule_Description" and p["remarks"] == q["remarks"] for p in component["props"])
        for q in component["props"] if q["name"] == "Rule_Id"
    )  # fmt: skip
    used = {
        p["value"]
        for r in requirements(built["azure-government"]).values()
        for p in r["props"]
        if p["name"] == "Rule_Id"
    }
    assert used == rule_ids


def test_shipped_component_definitions_validate(real_store: ContentStore) -> None:
    files = [str(folder / "component-definition.json") for folder in source_folders(ROOT)]
    result = validate_paths(files, ValidationOptions(jobs=1), real_store.settings)
    assert result.exit_code == 0 and result.totals()["error"] == 0


def test_intune_is_shared_everywhere(built: dict[str, BuiltComponent]) -> None:
    values = {responsibility(r) for r in requirements(built["intune"]).values()}
    assert values == {"shared"} and "ac-19" in requirements(built["intune"])


@pytest.fixture
def env(mirror: Path, tmp_path: Path) -> dict[str, str]:
    return {"MARSE_OSCAL_MIRROR": str(mirror), "MARSE_OSCAL_CACHE": str(tmp_path / "cache")}


def test_import_cli_checkout_matches_pinned(env: dict[str, str], mirror: Path, tmp_path: Path, built) -> None:
    repo = mirror / "raw.githubusercontent.com/Azure/azure-policy/f4a50bacae07ddb096943c597669bcae494a6e29"
    initiative = (
        repo / "built-in-policies/policySetDefinitions/Azure Government/Regulatory Compliance/NIST_SP_800-53_R4.json"
    )
    out = tmp_path / "out" / "ag.json"
    result = run("compdef", "import-azure-policy", "--component", "azure-government", "--initiative", str(initiative),
                 "--policy-repo", str(repo), "-o", str(out), env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "not in MARS-E 2.0" in result.stderr and "AC-2(5)" in result.stderr
    imported = json.loads(out.read_text())["component-definition"]["components"][0]["control-implementations"][0]
    shipped = requirements(built["azure-government"])
    assert {r["control-id"]: responsibility(r) for r in imported["implemented-requirements"]} == {
        cid: responsibility(r) for cid, r in shipped.items()
    }
    first = out.read_bytes()
    assert run("compdef", "import-azure-policy", "--component", "azure-government", "--initiative", str(initiative),
               "--policy-repo", str(repo), "-o", str(out), env=env).returncode == 0  # fmt: skip
    assert out.read_bytes() == first


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{broken", "invalid JSON"),
        ('{"properties": {"policyDefinitions": [{"policyDefinitionId": "/x/abc", "groupNames": ["CIS_1"]}]}}',
         "is not a NIST SP 800-53 Rev. 4 control group"),
        ('{"properties": {"policyDefinitions": [{"policyDefinitionId": "/x/ffffffff-0000-4000-8000-000000000000", '
         '"groupNames": ["NIST_SP_800-53_R4_AC-7"]}]}}', "not found in the Azure Policy checkout"),
    ],
)  # fmt: skip
def test_import_errors_are_one_line(env: dict[str, str], mirror: Path, tmp_path: Path, content: str, fragment: str):
    repo = mirror / "raw.githubusercontent.com/Azure/azure-policy/f4a50bacae07ddb096943c597669bcae494a6e29"
    initiative = tmp_path / "initiative.json"
    initiative.write_text(content)
    result = run("compdef", "import-azure-policy", "--component", "x", "--initiative", str(initiative),
                 "--policy-repo", str(repo), "-o", str(tmp_path / "x.json"), env=env)  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and fragment in result.stderr


def test_coverage_cli(env: dict[str, str]) -> None:
    result = run("compdef", "coverage", "--format", "json", env=env)
    data = json.loads(result.stdout)
    assert result.returncode == 0 and "PM-1" in data["untouched"] and "AR-1" in data["untouched"]
    assert sum(sum(row.values()) for row in data["families"].values()) == 351
