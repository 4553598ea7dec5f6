"""Profile resolution on small hand-written catalogs: selection, merge, modify, back-matter."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marse_oscal.content import ContentStore, Manifest
from marse_oscal.errors import InputError
from marse_oscal.oscal import iter_controls
from marse_oscal.profile.resolution import apply_modify, merge_selections, select_controls
from marse_oscal.profile.resolve import resolve_profile
from marse_oscal.settings import Settings

RES_A = "11111111-1111-4111-8111-111111111111"
RES_B = "22222222-2222-4222-8222-222222222222"
META = {"title": "mini", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.2.3"}


def control(cid: str, *children: dict, **extra: object) -> dict:
    body = {
        "id": cid,
        "title": cid.upper(),
        "params": [{"id": f"{cid}_prm_1", "label": "organization-defined frequency"}],
        "props": [{"name": "label", "value": cid.upper()}],
        "parts": [
            {"id": f"{cid}_smt", "name": "statement", "prose": f"Do {{{{ insert: param, {cid}_prm_1 }}}}."},
        ],
        **extra,
    }
    if children:
        body["controls"] = list(children)
    return body


def catalog() -> dict:
    return {
        "uuid": "00000000-0000-4000-8000-000000000000",
        "metadata": META,
        "groups": [
            {
                "id": "aa",
                "title": "Family A",
                "controls": [
                    control("aa-1", control("aa-1.1"), control("aa-1.2"), links=[{"href": f"#{RES_A}"}]),
                    control("aa-2"),
                ],
            },
            {"id": "bb", "title": "Family B", "controls": [control("bb-1", links=[{"href": f"#{RES_B}"}])]},
        ],
        "back-matter": {"resources": [{"uuid": RES_A, "title": "A"}, {"uuid": RES_B, "title": "B"}]},
    }


def ids(container: dict) -> list[str]:
    return [c["id"] for c in iter_controls(container)]


def test_with_ids_keeps_structure_and_reports_missing() -> None:
    selection, missing = select_controls(catalog(), {"include-controls": [{"with-ids": ["aa-1", "aa-1.2", "zz-9"]}]})
    assert ids(selection) == ["aa-1", "aa-1.2"]
    assert [g["id"] for g in selection["groups"]] == ["aa"]
    assert missing == ["zz-9"]


def test_with_child_controls_and_exclude() -> None:
    spec = {
        "include-controls": [{"with-ids": ["aa-1"], "with-child-controls": "yes"}],
        "exclude-controls": [{"with-ids": ["aa-1.1"]}],
    }
    assert ids(select_controls(catalog(), spec)[0]) == ["aa-1", "aa-1.2"]


def test_unselected_parent_promotes_selected_child() -> None:
    selection, _ = select_controls(catalog(), {"include-controls": [{"with-ids": ["aa-1.1", "aa-2"]}]})
    assert [c["id"] for c in selection["groups"][0]["controls"]] == ["aa-1.1", "aa-2"]


def test_matching_patterns_and_include_all() -> None:
    assert ids(select_controls(catalog(), {"include-controls": [{"matching": [{"pattern": "aa-1*"}]}]})[0]) == [
        "aa-1",
        "aa-1.1",
        "aa-1.2",
    ]
    assert len(ids(select_controls(catalog(), {"include-all": {}})[0])) == 5


def test_as_is_merge_joins_groups_with_the_same_id() -> None:
    first, _ = select_controls(catalog(), {"include-controls": [{"with-ids": ["aa-1"]}]})
    other = catalog()
    other["groups"][0]["controls"] = [control("aa-9")]
    second, _ = select_controls(other, {"include-controls": [{"with-ids": ["aa-9", "bb-1"]}]})
    merged = merge_selections([first, second], {"as-is": True})
    assert [(g["id"], [c["id"] for c in g["controls"]]) for g in merged["groups"]] == [
        ("aa", ["aa-1", "aa-9"]),
        ("bb", ["bb-1"]),
    ]


def test_flat_merge_and_duplicates() -> None:
    first, _ = select_controls(catalog(), {"include-all": {}})
    second, _ = select_controls(catalog(), {"include-controls": [{"with-ids": ["bb-1"]}]})
    flat = merge_selections([first, second], {"flat": {}})
    assert [c["id"] for c in flat["controls"]] == ["aa-1", "aa-1.1", "aa-1.2", "aa-2", "bb-1"]
    assert flat["groups"] == []
    with pytest.raises(InputError, match="bb-1 is imported twice"):
        merge_selections([first, second], {"as-is": True, "combine": {"method": "keep"}})
    with pytest.raises(InputError, match="custom"):
        merge_selections([first], {"custom": {}})


def test_set_parameters_and_alters() -> None:
    selection, _ = select_controls(catalog(), {"include-all": {}})
    merged = merge_selections([selection], {"as-is": True})
    warnings = apply_modify(
        merged,
        {
            "set-parameters": [
                {"param-id": "aa-2_prm_1", "values": ["annually"], "props": [{"name": "x", "value": "y"}]},
                {"param-id": "nope_prm_1", "values": ["1"]},
            ],
            "alters": [
                {
                    "control-id": "aa-2",
                    "removes": [{"by-name": "label"}],
                    "adds": [
                        {"position": "starting", "props": [{"name": "first", "value": "1"}]},
                        {"position": "after", "by-id": "aa-2_smt", "parts": [{"name": "guidance", "prose": "g"}]},
                        {"by-id": "aa-2_smt", "props": [{"name": "in-part", "value": "1"}]},
                    ],
                },
                {"control-id": "gone-1", "adds": [{"props": [{"name": "p", "value": "v"}]}]},
            ],
        },
    )
    aa2 = {c["id"]: c for c in iter_controls(merged)}["aa-2"]
    assert aa2["params"][0]["values"] == ["annually"] and aa2["params"][0]["props"] == [{"name": "x", "value": "y"}]
    assert aa2["props"] == [{"name": "first", "value": "1"}]
    assert [p["name"] for p in aa2["parts"]] == ["statement", "guidance"]
    assert aa2["parts"][0]["props"] == [{"name": "in-part", "value": "1"}]
    assert len(warnings) == 2 and "nope_prm_1" in warnings[0] and "gone-1" in warnings[1]


def write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document))
    return path


def offline_store(tmp_path: Path) -> ContentStore:
    return ContentStore(Settings(cache_dir=tmp_path / "cache", mirror_dir=None, offline=True), Manifest(()))


def test_resolve_profile_from_files_prunes_back_matter(tmp_path: Path) -> None:
    write(tmp_path / "cat.json", {"catalog": catalog()})
    profile = {
        "profile": {
            "uuid": "33333333-3333-4333-8333-333333333333",
            "metadata": META,
            "imports": [{"href": "cat.json", "include-controls": [{"with-ids": ["bb-1"]}]}],
            "merge": {"as-is": True},
        }
    }
    path = write(tmp_path / "profile.json", profile)
    first = resolve_profile(path, offline_store(tmp_path))
    assert list(first.controls()) == ["bb-1"]
    assert [r["uuid"] for r in first.catalog["back-matter"]["resources"]] == [RES_B]
    assert first.catalog["metadata"]["links"] == [{"href": "profile.json", "rel": "source-profile"}]
    assert first.document == resolve_profile(path, offline_store(tmp_path)).document


def test_resolve_profile_of_a_profile(tmp_path: Path) -> None:
    write(tmp_path / "cat.json", {"catalog": catalog()})
    meta = META
    inner = {"profile": {"uuid": RES_A, "metadata": meta, "imports": [{"href": "cat.json", "include-all": {}}]}}
    write(tmp_path / "inner.json", inner)
    outer = {"profile": {"uuid": RES_B, "metadata": meta, "imports": [{"href": "inner.json", "include-all": {}}]}}
    resolved = resolve_profile(write(tmp_path / "outer.json", outer), offline_store(tmp_path))
    assert sorted(resolved.controls()) == ["aa-1", "aa-1.1", "aa-1.2", "aa-2", "bb-1"]


@pytest.mark.parametrize(
    ("imports", "message"),
    [
        ([{"href": "missing.json", "include-all": {}}], "not found"),
        ([{"href": "https://example.org/unpinned.json", "include-all": {}}], "not pinned content"),
        ([{"href": "#44444444-4444-4444-8444-444444444444", "include-all": {}}], "names no back-matter resource"),
        ([{"href": "profile.json", "include-all": {}}], "nest deeper"),
    ],
)
def test_bad_imports_are_input_errors(tmp_path: Path, imports: list, message: str) -> None:
    meta = META
    path = write(tmp_path / "profile.json", {"profile": {"uuid": RES_A, "metadata": meta, "imports": imports}})
    with pytest.raises(InputError, match=message):
        resolve_profile(path, offline_store(tmp_path))


def test_wrong_model_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "cat.json", {"catalog": catalog()})
    with pytest.raises(InputError, match="not an OSCAL profile"):
        resolve_profile(path, offline_store(tmp_path))


ALL_IDS = ["aa-1", "aa-1.1", "aa-1.2", "aa-2", "bb-1"]


@given(st.sets(st.sampled_from(ALL_IDS)), st.sets(st.sampled_from(ALL_IDS)))
def test_selection_is_exactly_included_minus_excluded(include: set[str], exclude: set[str]) -> None:
    spec = {"include-controls": [{"with-ids": sorted(include)}], "exclude-controls": [{"with-ids": sorted(exclude)}]}
    selection, missing = select_controls(catalog(), spec)
    chosen = ids(selection)
    assert sorted(chosen) == sorted(include - exclude)
    assert len(chosen) == len(set(chosen)) and missing == []
