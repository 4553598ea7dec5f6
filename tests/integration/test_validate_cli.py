"""`marse-oscal validate` as a pull-request gate runs it: exit codes, one-line reasons, no tracebacks."""

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.integration.test_cli import run

MINI = REPO / "tests" / "fixtures" / "mini"


@pytest.fixture
def env(mirror: Path, tmp_path: Path) -> dict[str, str]:
    return {"MARSE_OSCAL_MIRROR": str(mirror), "MARSE_OSCAL_CACHE": str(tmp_path / "cache")}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(MINI, root / "ssp")
    return root


def test_valid_directory_exits_0(env: dict[str, str], repo: Path) -> None:
    result = run("validate", str(repo), "--jobs", "1", env=env)
    assert result.returncode == 0, result.stdout
    assert result.stdout.rstrip().endswith("valid") and "3 file(s)" in result.stdout


def test_parallel_and_glob(env: dict[str, str], repo: Path) -> None:
    for n in range(4):
        shutil.copy(repo / "ssp" / "catalog.json", repo / f"catalog-{n}.json")
    result = run("validate", str(repo / "**" / "*.json"), "--format", "json", env=env)
    data = json.loads(result.stdout)
    assert result.returncode == 0 and len(data["files"]) == 7


def test_findings_exit_1_with_sarif_file(env: dict[str, str], repo: Path, tmp_path: Path) -> None:
    ssp = repo / "ssp" / "ssp.json"
    ssp.write_text(ssp.read_text().replace('"control-id": "ac-1"', '"control-id": "zz-1"'))
    out = tmp_path / "report.sarif"
    result = run("validate", str(ssp), "--format", "sarif", "-o", str(out), env=env)
    assert result.returncode == 1
    sarif = json.loads(out.read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"INTEGRITY-010", "MARSE-SSP-009"}


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("bomb.xml", b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><catalog>&b;</catalog>', "PARSE-006"),
        ("xxe.xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><catalog>&e;</catalog>', "PARSE-006"),
        ("tag.yaml", b"catalog: !!python/object/apply:os.system ['echo hacked']\n", "PARSE-001"),
        ("deep.json", b"[" * 200_000 + b"]" * 200_000, "PARSE-005"),
        ("empty.json", b"", "PARSE-002"),
        ("binary.json", b"\x00\xff\x00\xff", "PARSE-003"),
        ("truncated.json", b'{"catalog": {"uuid": ', "PARSE-001"),
        ("latin1.yaml", b"catalog:\n  title: caf\xe9\n", "PARSE-004"),
    ],
)
def test_unreadable_input_exits_2_without_traceback(env: dict[str, str], tmp_path: Path, name, content, rule) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run("validate", str(path), "--format", "json", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    finding = json.loads(result.stdout)["files"][0]["findings"][0]
    assert finding["rule"] == rule and "\n" not in finding["message"]
    assert "root:" not in result.stdout and "hacked" not in result.stdout


def test_wrong_model_is_a_schema_finding(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    path.write_text('{"not-oscal": {}}')
    result = run("validate", str(path), "--format", "json", env=env)
    assert result.returncode == 1
    assert json.loads(result.stdout)["files"][0]["findings"][0]["rule"] == "SCHEMA-002"


def test_usage_errors_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    assert run("validate", env=env).returncode == 2
    bad_layer = run("validate", str(MINI), "--layers", "schema,magic", env=env)
    assert bad_layer.returncode == 2 and "unknown layer" in bad_layer.stderr
    missing_with = run("validate", str(MINI / "ssp.json"), "--with", str(tmp_path / "nope.json"), env=env)
    assert missing_with.returncode == 2 and missing_with.stderr.startswith("error: ")
    assert "Traceback" not in missing_with.stderr


def test_missing_file_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "absent.json"), env=env)
    assert result.returncode == 2 and "PARSE-009" in result.stdout


def test_fail_on_warning(env: dict[str, str], tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    document = json.loads((MINI / "catalog.json").read_text())
    document["catalog"]["metadata"]["oscal-version"] = "1.1.2"  # an older version: SCHEMA-003 warning
    catalog.write_text(json.dumps(document))
    assert run("validate", str(catalog), env=env).returncode == 0
    assert run("validate", str(catalog), "--fail-on", "warning", env=env).returncode == 1
    assert run("validate", str(catalog), "--fail-on", "note", env=env).returncode == 2
