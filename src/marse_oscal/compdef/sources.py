"""Shipped component definitions: a source folder (`source.yaml`) in, `component-definition.json` out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marse_oscal.compdef.azure_policy import PinnedPolicies, read_initiative
from marse_oscal.compdef.build import (
    ComponentData,
    component_spec,
    from_capabilities,
    from_initiatives,
    to_oscal,
)
from marse_oscal.content import ContentStore
from marse_oscal.errors import InputError
from marse_oscal.files import dump_json, read_json, read_yaml, write_atomic
from marse_oscal.profile.resolve import ResolvedCatalog, profile_href, resolve_profile
from marse_oscal.shipped import shipped_path

OUTPUT_FILE = "component-definition.json"
SOURCE_FILE = "source.yaml"


def default_compdef_root() -> Path:
    """`component-definitions/` of a source checkout (or the installed package's copy)."""
    return shipped_path("_component_definitions", "component-definitions")


@dataclass(frozen=True)
class BuiltComponent:
    folder: Path
    document: dict[str, Any]
    data: ComponentData

    @property
    def text(self) -> str:
        return dump_json(self.document)


def build_component(folder: Path, store: ContentStore, profile: ResolvedCatalog | None = None) -> BuiltComponent:
    """Generate one component definition from its source folder."""
    where = str(folder / SOURCE_FILE)
    raw = read_yaml(folder / SOURCE_FILE)
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a mapping")
    spec = component_spec(raw, where)
    profile = profile or resolve_profile(store=store)
    if "azure-policy" in raw:
        keys = (raw["azure-policy"] or {}).get("initiatives") or []
        if not keys:
            raise InputError(f"{where}: azure-policy.initiatives lists no initiative")
        initiatives = []
        for key in keys:
            artifact = store.manifest.get(str(key))
            initiatives.append(
                (read_initiative(store.path(artifact.key), artifact.url), PinnedPolicies(store, artifact.key))
            )
        data = from_initiatives(spec, initiatives, profile, str(raw.get("platform", spec.title)))
    else:
        data = from_capabilities(spec, raw, profile, where)
    href = profile_href(folder / OUTPUT_FILE)
    return BuiltComponent(folder, to_oscal(data, href), data)


def source_folders(root: Path | None = None) -> list[Path]:
    root = root or default_compdef_root()
    return sorted(p.parent for p in root.glob(f"*/{SOURCE_FILE}"))


def write_component(built: BuiltComponent) -> bool:
    return write_atomic(built.folder / OUTPUT_FILE, built.text)


def is_stale(built: BuiltComponent) -> bool:
    path = built.folder / OUTPUT_FILE
    return not path.is_file() or path.read_text(encoding="utf-8") != built.text


def shipped_documents(root: Path | None = None) -> list[dict[str, Any]]:
    return [read_json(folder / OUTPUT_FILE) for folder in source_folders(root) if (folder / OUTPUT_FILE).is_file()]
