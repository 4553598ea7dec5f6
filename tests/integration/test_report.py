"""The HTML report in a real browser (Debian's Chromium, headless): content, charts, filter, no console errors."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from marse_oscal.content import ContentStore
from marse_oscal.errors import InputError
from marse_oscal.files import dump_json
from marse_oscal.profile.resolve import resolve_profile
from marse_oscal.ssp.assemble import assemble
from marse_oscal.validate import ValidationOptions, Validator
from tests.conftest import REPO
from tests.integration.test_cli import run

DEMO = REPO / "trestle-workspace" / "example-state-exchange"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(real_store: ContentStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from marse_oscal.cli.report import write_report

    folder = REPO / "out" / "test-report"
    folder.mkdir(parents=True, exist_ok=True)
    ssp = folder / "ssp.json"
    ssp.write_text(
        dump_json(assemble(DEMO, resolve_profile(store=real_store), "../../profiles/mars-e-2.0/profile.json").document)
    )
    target = tmp_path_factory.mktemp("report") / "report.html"
    write_report(ssp, target, Validator(ValidationOptions(jobs=1), real_store))
    shutil.rmtree(folder)
    return target


def browse(page: Path, fragment: str, tmp_path: Path, screenshot: bool = False) -> tuple[str, str]:
    """DOM after the page's script ran, and Chromium's log (console messages included)."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
             "--window-size=1280,2000"]  # fmt: skip
    url = page.as_uri() + fragment
    if screenshot:
        shot = tmp_path / "report.png"
        subprocess.run([*flags, f"--screenshot={shot}", url], capture_output=True, timeout=120, check=False)
        assert shot.is_file() and shot.stat().st_size > 20_000
    result = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=False)
    return result.stdout, result.stderr


def visible_rows(dom: str) -> list[str]:
    rows = re.findall(r'<tr id="control-([^"]+)"([^>]*)>', dom)
    return [cid for cid, attributes in rows if " hidden" not in attributes]


def test_report_renders_without_console_errors(report: Path, tmp_path: Path) -> None:
    dom, log = browse(report, "", tmp_path, screenshot=True)
    assert "Example State Health Benefit Exchange" in dom
    assert 'data-breakdown="responsibility"' in dom and 'data-breakdown="status"' in dom
    assert 'id="control-ac-2"' in dom and len(visible_rows(dom)) == 351
    console_errors = [
        line for line in log.splitlines() if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)
    ]
    assert console_errors == []


def test_filter_by_search_and_family(report: Path, tmp_path: Path) -> None:
    dom, _ = browse(report, "#q=AC-2", tmp_path)
    shown = visible_rows(dom)
    assert "ac-2" in shown and "ia-2" not in shown and 0 < len(shown) < 351
    assert f"{len(shown)} controls shown" in dom
    dom, _ = browse(report, "#family=PM", tmp_path)
    assert sorted(visible_rows(dom)) == sorted(f"pm-{n}" for n in range(1, 17))


def test_report_is_deterministic(report: Path, real_store: ContentStore, tmp_path: Path) -> None:
    from marse_oscal.cli.report import write_report

    folder = REPO / "out" / "test-report-2"
    folder.mkdir(parents=True, exist_ok=True)
    ssp = folder / "ssp.json"
    ssp.write_text(
        dump_json(assemble(DEMO, resolve_profile(store=real_store), "../../profiles/mars-e-2.0/profile.json").document)
    )
    try:
        write_report(ssp, tmp_path / "again.html", Validator(ValidationOptions(jobs=1), real_store))
    finally:
        shutil.rmtree(folder)
    assert (tmp_path / "again.html").read_bytes() == report.read_bytes()
    assert "<script src" not in report.read_text() and "http://" not in report.read_text().split("<footer>")[0]


def test_schema_invalid_ssp_is_a_clear_error(real_store: ContentStore, tmp_path: Path, mirror: Path) -> None:
    from marse_oscal.cli.report import write_report

    bad = tmp_path / "ssp.json"
    bad.write_text('{"system-security-plan": {"uuid": "nope"}}')
    with pytest.raises(InputError, match="cannot report on it"):
        write_report(bad, tmp_path / "r.html", Validator(ValidationOptions(jobs=1), real_store))
    env = {"MARSE_OSCAL_MIRROR": str(mirror), "MARSE_OSCAL_CACHE": str(tmp_path / "cache")}
    result = run("report", str(bad), "-o", str(tmp_path / "r.html"), env=env)
    assert result.returncode == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_yaml_ssp_gets_the_same_report(report: Path, real_store: ContentStore, tmp_path: Path) -> None:
    """The report reads what the validator reads: a YAML SSP renders like its JSON twin."""
    import yaml

    from marse_oscal.cli.report import write_report

    folder = REPO / "out" / "test-report-yaml"
    folder.mkdir(parents=True, exist_ok=True)
    document = assemble(DEMO, resolve_profile(store=real_store), "../../profiles/mars-e-2.0/profile.json").document
    (folder / "ssp.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    try:
        count, _ = write_report(
            folder / "ssp.yaml", tmp_path / "yaml.html", Validator(ValidationOptions(jobs=1), real_store)
        )
    finally:
        shutil.rmtree(folder)
    assert count == 351 and (tmp_path / "yaml.html").read_bytes() == report.read_bytes()
