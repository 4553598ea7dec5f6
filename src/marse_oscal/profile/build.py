"""Generates the MARS-E profile and its supplemental catalog from the YAML sources, deterministically.

Same sources in, byte-identical files out: UUIDs derive from names and timestamps come from the sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marse_oscal.content.manifest import NIST_REV4_CATALOG, load_manifest
from marse_oscal.controls import sort_id
from marse_oscal.errors import InputError
from marse_oscal.files import dump_json, write_atomic
from marse_oscal.oscal import OSCAL_VERSION, PARAM_INSERT, prop, stable_uuid
from marse_oscal.profile.source import ProfileSource, SupplementalControl, load_profile_source

PROFILE_FILE = "profile.json"
SUPPLEMENTAL_FILE = "mars-e-supplemental-catalog.json"
NIST_SOURCE = "nist-800-53-rev4"


@dataclass(frozen=True)
class BuiltProfile:
    """The generated documents, keyed by file name inside the profile folder."""

    documents: dict[str, dict[str, Any]]

    def rendered(self) -> dict[str, str]:
        return {name: dump_json(doc) for name, doc in self.documents.items()}


def _parties(source: ProfileSource) -> list[dict[str, Any]]:
    parties = []
    for party in source.metadata["parties"]:
        entry: dict[str, Any] = {
            "uuid": stable_uuid("party", party["id"]),
            "type": "organization",
            "name": party["name"],
            "short-name": party["short-name"],
        }
        if party.get("homepage"):
            entry["links"] = [{"href": party["homepage"], "rel": "homepage"}]
        parties.append(entry)
    return parties


def _metadata(source: ProfileSource, key: str, extra_props: list[dict[str, str]]) -> dict[str, Any]:
    meta = source.metadata[key]
    parties = {p["id"]: stable_uuid("party", p["id"]) for p in source.metadata["parties"]}
    return {
        "title": meta["title"],
        "last-modified": meta["last-modified"],
        "version": meta["version"],
        "oscal-version": OSCAL_VERSION,
        "props": [prop("mars-e-version", "2.0"), prop("mars-e-published", "2015-11-10"), *extra_props],
        "roles": [
            {"id": "prepared-by", "title": "Prepared this OSCAL document"},
            {"id": "content-owner", "title": "Owns the standard this document expresses"},
        ],
        "parties": _parties(source),
        "responsible-parties": [
            {"role-id": "prepared-by", "party-uuids": [parties["marse-oscal"]]},
            {"role-id": "content-owner", "party-uuids": [parties["cms"]]},
        ],
        "remarks": " ".join(meta["remarks"].split()),
    }


def _back_matter(source: ProfileSource) -> dict[str, Any]:
    resources = []
    for res in source.metadata["resources"]:
        entry: dict[str, Any] = {"uuid": stable_uuid("resource", res["id"]), "title": res["title"]}
        props = [prop("resource-id", res["id"])]
        if res.get("published"):
            props.append(prop("published", res["published"]))
        entry["props"] = props
        if res.get("href"):
            rlink = {"href": res["href"]}
            if res.get("media-type"):
                rlink["media-type"] = res["media-type"]
            entry["rlinks"] = [rlink]
        resources.append(entry)
    return {"resources": resources}


def _catalog_control(control: SupplementalControl, source_key: str, reference: str) -> dict[str, Any]:
    params = [
        {"id": f"{control.oscal_id}_prm_{n}", "label": label, "props": [prop("value-source", "organization-defined")]}
        for n, label in enumerate(control.param_labels, start=1)
    ]
    param_ids = {p["id"] for p in params}
    unknown = sorted(set(PARAM_INSERT.findall(control.summary)) - param_ids)
    if unknown:
        raise InputError(f"supplemental control {control.label}: summary inserts undeclared params {unknown}")
    entry: dict[str, Any] = {
        "id": control.oscal_id,
        "class": "SP800-53" if source_key == "nist-800-53-rev4-appendix-j" else "cms-defined",
        "title": control.title,
    }
    if params:
        entry["params"] = params
    entry["props"] = [
        {"name": "label", "value": control.label},
        {"name": "sort-id", "value": sort_id(control.oscal_id)},
        prop("source-catalog", source_key),
        prop("statement-text", "summary"),
    ]
    entry["links"] = [{"href": f"#{stable_uuid('resource', reference)}", "rel": "reference"}]
    entry["parts"] = [
        {
            "id": f"{control.oscal_id}_smt",
            "name": "statement",
            "props": [prop("statement-text", "summary", "Written by marse-oscal; not the official text.")],
            "prose": control.summary,
        }
    ]
    if control.enhancements:
        entry["controls"] = [_catalog_control(e, source_key, reference) for e in control.enhancements]
    return entry


def build_supplemental_catalog(source: ProfileSource) -> dict[str, Any]:
    groups = []
    for family in source.families:
        reference = source.sources[family.source]["reference"]
        groups.append(
            {
                "id": family.id,
                "class": "family",
                "title": family.title,
                "controls": [_catalog_control(c, family.source, reference) for c in family.controls],
            }
        )
    return {
        "catalog": {
            "uuid": stable_uuid("catalog", "mars-e-2.0-supplemental"),
            "metadata": _metadata(source, "supplemental-catalog", []),
            "groups": groups,
            "back-matter": _back_matter(source),
        }
    }


def build_profile(source: ProfileSource) -> dict[str, Any]:
    supplemental = source.supplemental_ids()
    nist_ids = [i for i in source.selection if i not in supplemental]
    sup_ids = [i for i in source.selection if i in supplemental]
    unselected = sorted(set(supplemental) - set(sup_ids))
    if unselected:
        raise InputError(f"supplemental controls not in selection.yaml: {', '.join(unselected)}")
    exclusion_props = [prop("excluded-control", e.oscal_id, f"{e.label}: {e.reason}") for e in source.exclusions]
    metadata = _metadata(
        source,
        "profile",
        [prop("control-count", str(len(source.selection))), *exclusion_props],
    )
    metadata["remarks"] += "".join(f" Excluded: {e.label}. {e.reason}" for e in source.exclusions)
    alters = [
        {
            "control-id": cid,
            "adds": [{"position": "ending", "props": [prop("mars-e-source", supplemental.get(cid, NIST_SOURCE))]}],
        }
        for cid in source.selection
    ]
    return {
        "profile": {
            "uuid": stable_uuid("profile", "mars-e-2.0"),
            "metadata": metadata,
            "imports": [
                {"href": load_manifest().get(NIST_REV4_CATALOG).url, "include-controls": [{"with-ids": nist_ids}]},
                {"href": SUPPLEMENTAL_FILE, "include-controls": [{"with-ids": sup_ids}]},
            ],
            "merge": {"as-is": True},
            "modify": {"alters": alters},
            "back-matter": _back_matter(source),
        }
    }


def build_profile_documents(profile_dir: Path) -> BuiltProfile:
    """Both generated documents for the profile folder `profile_dir` (which holds `source/`)."""
    source = load_profile_source(profile_dir / "source")
    return BuiltProfile({PROFILE_FILE: build_profile(source), SUPPLEMENTAL_FILE: build_supplemental_catalog(source)})


def write_profile_documents(profile_dir: Path) -> list[Path]:
    """Regenerate the files atomically; returns the ones whose bytes changed."""
    changed = []
    for name, text in build_profile_documents(profile_dir).rendered().items():
        if write_atomic(profile_dir / name, text):
            changed.append(profile_dir / name)
    return changed


def stale_profile_documents(profile_dir: Path) -> list[str]:
    """Names of committed files that differ from what the sources generate (drift)."""
    stale = []
    for name, text in build_profile_documents(profile_dir).rendered().items():
        path = profile_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
