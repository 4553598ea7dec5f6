"""The CLI as a user runs it: exit codes 0/1/2, one-line errors, no tracebacks, stable output files."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROFILE_DIR


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marse_oscal", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MARSE_OSCAL_OFFLINE": "1", **(env or {})},  # subprocesses never download
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], result.stderr


@pytest.fixture
def mirror_env(mirror: Path, tmp_path: Path) -> dict[str, str]:
    return {"MARSE_OSCAL_MIRROR": str(mirror), "MARSE_OSCAL_CACHE": str(tmp_path / "cache"), "MARSE_OSCAL_OFFLINE": "1"}


def test_help_lists_commands_and_examples() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("content", "profile", "Examples:", "Exit codes"):
        assert word in result.stdout


def test_usage_error_exits_2() -> None:
    assert run("profile", "no-such-command").returncode == 2


def test_resolve_writes_byte_identical_output(mirror_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "resolved.json"
    first = run("profile", "resolve", "-o", str(out), env=mirror_env)
    assert first.returncode == 0, first.stderr
    assert "351 controls in 26 families" in first.stderr
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert run("profile", "resolve", "-o", str(out), env=mirror_env).returncode == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert len(json.loads(out.read_text())["catalog"]["groups"]) == 26


def test_show_diff_verify(mirror_env: dict[str, str]) -> None:
    show = run("profile", "show", "ar-1", env=mirror_env)
    assert show.returncode == 0 and "NOT the official text" in show.stdout
    diff = run("profile", "diff", "--baseline", "moderate", "--format", "json", env=mirror_env)
    data = json.loads(diff.stdout)
    assert len(data["added"]) == 59 and len(data["omitted"]) == 8 and "AC-3(11)" in data["excluded"]
    verify = run("profile", "verify", env=mirror_env)
    assert verify.returncode == 0 and "AC-3(11)" in verify.stdout and "profile verified" in verify.stdout


def test_unknown_control_and_bad_id(mirror_env: dict[str, str]) -> None:
    assert_one_line_error(run("profile", "show", "AC-99", env=mirror_env), 2, "not a control of this profile")
    assert_one_line_error(run("profile", "show", "hello", env=mirror_env), 2, "not a control id")
    assert_one_line_error(run("profile", "diff", "--baseline", "extreme", env=mirror_env), 2, "choose one of")


def test_missing_mirror_offline(tmp_path: Path) -> None:
    env = {"MARSE_OSCAL_CACHE": str(tmp_path / "cache"), "MARSE_OSCAL_OFFLINE": "1", "MARSE_OSCAL_MIRROR": ""}
    assert_one_line_error(run("profile", "resolve", env=env), 2, "set MARSE_OSCAL_MIRROR")
    env["MARSE_OSCAL_MIRROR"] = str(tmp_path / "nowhere")
    assert_one_line_error(run("content", "sync", env=env), 2, "not in the offline mirror")


def test_corrupted_cache_and_wrong_digest(mirror_env: dict[str, str], tmp_path: Path) -> None:
    assert run("content", "sync", "nist-800-53-rev4-catalog", env=mirror_env).returncode == 0
    cached = next(Path(mirror_env["MARSE_OSCAL_CACHE"]).rglob("NIST_SP-800-53_rev4_catalog.json"))
    cached.write_bytes(cached.read_bytes()[:-10])
    assert_one_line_error(run("profile", "resolve", env=mirror_env), 2, "sha256 mismatch")
    fixed = run("content", "sync", "--refresh", "nist-800-53-rev4-catalog", env=mirror_env)
    assert fixed.returncode == 0
    status = json.loads(run("content", "status", "--format", "json", env=mirror_env).stdout)
    assert {a["key"]: a["state"] for a in status["artifacts"]}["nist-800-53-rev4-catalog"] == "cached"


def test_tampered_mirror_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "mirror/raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev4/json"
    fake.mkdir(parents=True)
    (fake / "NIST_SP-800-53_rev4_catalog.json").write_text('{"catalog": {}}')
    env = {"MARSE_OSCAL_MIRROR": str(tmp_path / "mirror"), "MARSE_OSCAL_CACHE": str(tmp_path / "c")}
    assert_one_line_error(run("content", "sync", "nist-800-53-rev4-catalog", env=env), 2, "expected ")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{not json", "invalid JSON"), ('{"catalog": {}}', "not an OSCAL profile"), ("", "file is empty")],
)
def test_bad_profile_input(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "p.json"
    path.write_text(content)
    assert_one_line_error(run("profile", "resolve", "--profile", str(path)), 2, fragment)


def test_build_check_detects_drift(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(PROFILE_DIR, tmp_path / "p")
    assert run("profile", "build", "--check", str(tmp_path / "p")).returncode == 0
    (tmp_path / "p" / "profile.json").write_text("{}")
    assert run("profile", "build", "--check", str(tmp_path / "p")).returncode == 1
    assert run("profile", "build", str(tmp_path / "p")).returncode == 0
    assert run("profile", "build", "--check", str(tmp_path / "p")).returncode == 0
