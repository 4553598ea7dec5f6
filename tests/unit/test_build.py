"""The profile generator: deterministic, drift-checked, and honest about summaries."""

import shutil
from pathlib import Path

import pytest

from marse_oscal.errors import InputError
from marse_oscal.oscal import NAMESPACE, iter_controls, prop_value
from marse_oscal.profile.build import (
    PROFILE_FILE,
    SUPPLEMENTAL_FILE,
    build_profile_documents,
    stale_profile_documents,
    write_profile_documents,
)
from tests.conftest import PROFILE_DIR


def test_committed_profile_matches_its_sources() -> None:
    assert stale_profile_documents(PROFILE_DIR) == [], "run `marse-oscal profile build` and commit the result"


def test_build_is_byte_identical_and_uuid_stable(tmp_path: Path) -> None:
    shutil.copytree(PROFILE_DIR / "source", tmp_path / "source")
    assert len(write_profile_documents(tmp_path)) == 2
    first = {n: (tmp_path / n).read_bytes() for n in (PROFILE_FILE, SUPPLEMENTAL_FILE)}
    assert write_profile_documents(tmp_path) == []
    assert {n: (tmp_path / n).read_bytes() for n in first} == first


def test_selection_counts_and_exclusion() -> None:
    docs = build_profile_documents(PROFILE_DIR).documents
    profile = docs[PROFILE_FILE]["profile"]
    nist, supplemental = profile["imports"]
    assert nist["href"].endswith("/rev4/json/NIST_SP-800-53_rev4_catalog.json")
    assert supplemental["href"] == SUPPLEMENTAL_FILE
    assert len(nist["include-controls"][0]["with-ids"]) == 312
    assert len(supplemental["include-controls"][0]["with-ids"]) == 39
    assert "ac-3.11" not in nist["include-controls"][0]["with-ids"]
    excluded = [p for p in profile["metadata"]["props"] if p["name"] == "excluded-control"]
    assert excluded[0]["value"] == "ac-3.11" and "AC-3(10)" in excluded[0]["remarks"]
    assert "AC-3(11)" in profile["metadata"]["remarks"]
    assert "set-parameters" not in profile.get("modify", {}), "no CMS parameter values without a source"


def test_every_supplemental_statement_is_marked_as_a_summary_and_cites_its_source() -> None:
    catalog = build_profile_documents(PROFILE_DIR).documents[SUPPLEMENTAL_FILE]["catalog"]
    resources = {r["uuid"] for r in catalog["back-matter"]["resources"]}
    controls = list(iter_controls(catalog))
    assert len(controls) == 39
    for control in controls:
        assert prop_value(control, "statement-text", NAMESPACE) == "summary"
        statement = control["parts"][0]
        assert statement["name"] == "statement" and statement["prose"].strip()
        assert prop_value(statement, "statement-text", NAMESPACE) == "summary"
        assert {link["href"][1:] for link in control["links"]} <= resources
        for param in control.get("params", ()):
            assert "values" not in param
            assert param["label"].startswith("organization-defined")
    families = {g["id"]: len(list(iter_controls(g))) for g in catalog["groups"]}
    assert families == {"ap": 2, "ar": 8, "di": 5, "dm": 6, "ip": 6, "se": 2, "tr": 5, "ul": 2, "mp": 1, "sc": 2}


def edited_source(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the profile sources with one edit in one file; returns the profile folder."""
    shutil.copytree(PROFILE_DIR / "source", tmp_path / "source")
    source = tmp_path / "source" / name
    source.write_text(source.read_text().replace(old, new, 1))
    return tmp_path


def test_summary_with_undeclared_param_is_rejected(tmp_path: Path) -> None:
    folder = edited_source(tmp_path, "supplemental.yaml", "ar-4_prm_1", "ar-4_prm_9")
    with pytest.raises(InputError, match=r"AR-4: summary inserts undeclared params \['ar-4_prm_9'\]"):
        build_profile_documents(folder)


def test_missing_source_key_is_named(tmp_path: Path) -> None:
    folder = edited_source(tmp_path, "supplemental.yaml", "        title: Authority to Collect\n", "")
    with pytest.raises(InputError, match=r"supplemental\.yaml AP-1: missing required key 'title'"):
        build_profile_documents(folder)


def test_duplicate_selection_is_rejected(tmp_path: Path) -> None:
    folder = edited_source(tmp_path, "selection.yaml", '    - "AC-2"\n', '    - "AC-2"\n    - "ac-2"\n')
    with pytest.raises(InputError, match="controls listed twice: ac-2"):
        build_profile_documents(folder)
