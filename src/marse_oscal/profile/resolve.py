"""Resolving a profile from files: imports come from the content store or local paths, never the network.

Pinned `https://` imports are read from the sha256-checked content store; hrefs relative to a pinned
artifact are resolved against its canonical URL. The resolution itself is in `resolution.py`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from marse_oscal import __version__
from marse_oscal.content import ContentStore
from marse_oscal.errors import InputError
from marse_oscal.files import read_json
from marse_oscal.hrefs import Base, HrefError, HrefLocator
from marse_oscal.oscal import OSCAL_VERSION, iter_controls, stable_uuid
from marse_oscal.profile.resolution import apply_modify, assemble_catalog, merge_selections, select_controls
from marse_oscal.shipped import shipped_path


def default_profile_path() -> Path:
    """The shipped MARS-E 2.0 profile: package data when installed, `profiles/` in a source checkout."""
    return shipped_path("_profiles/mars-e-2.0/profile.json", "profiles/mars-e-2.0/profile.json")


def profile_href(document: Path) -> str:
    """The shipped MARS-E profile as an href relative to the folder of `document` (an SSP or component definition)."""
    return Path(os.path.relpath(default_profile_path().resolve(), document.resolve().parent)).as_posix()


def load_oscal(path: Path, model: str) -> dict[str, Any]:
    """Read a JSON OSCAL document and insist on its model (root key)."""
    if path.suffix.lower() not in {".json", ""}:
        raise InputError(f"{path}: only OSCAL JSON can be resolved here (got {path.suffix})")
    document = read_json(path)
    if not isinstance(document, dict) or model not in document:
        found = ", ".join(map(str, document)) if isinstance(document, dict) else type(document).__name__
        raise InputError(f"{path}: not an OSCAL {model} (root is {found or 'empty'})")
    return document


_METADATA_HEAD = ("title", "published", "last-modified", "version", "oscal-version")


@dataclass
class _Resolver:
    """Resolves a profile and, recursively, the profiles it imports, loading every import locally."""

    locator: HrefLocator
    warnings: list[str] = field(default_factory=list)

    def resolve(self, profile: dict[str, Any], base: Base, source_href: str, depth: int = 0) -> dict[str, Any]:
        if depth > 8:
            raise InputError(f"{base}: profile imports nest deeper than 8 levels (a cycle?)")
        selections, resources = [], []
        for imp in profile.get("imports", ()):
            href = str(imp.get("href", ""))
            try:
                path, target_base = self.locator.locate(base, profile, href)
            except HrefError as exc:
                raise InputError(f"{base}: import {exc}") from None
            target = _read_import(path, href)
            if "profile" in target:
                target = {"catalog": self.resolve(target["profile"], target_base, href, depth + 1)}
            selection, missing = select_controls(target["catalog"], imp)
            self.warnings.extend(f"{href}: selects {cid}, which it does not contain" for cid in missing)
            selections.append(selection)
            resources.extend(selection["back-matter"].get("resources", ()))
        merged = merge_selections(selections, profile.get("merge"))
        self.warnings.extend(apply_modify(merged, profile.get("modify")))
        body = assemble_catalog(merged, resources, profile.get("back-matter", {}).get("resources", []))
        metadata = dict(profile.get("metadata", {}))
        metadata["oscal-version"] = OSCAL_VERSION
        tool = {"name": "resolution-tool", "value": f"marse-oscal {__version__}"}
        metadata["props"] = [*metadata.get("props", ()), tool]
        metadata["links"] = [*metadata.get("links", ()), {"href": source_href, "rel": "source-profile"}]
        ordered = {k: metadata[k] for k in _METADATA_HEAD if k in metadata}
        ordered.update((k, v) for k, v in metadata.items() if k not in ordered)
        uuid = stable_uuid("resolved-catalog", str(profile.get("uuid", source_href)))
        return {"uuid": uuid, "metadata": ordered, **body}


def _read_import(path: Path, href: str) -> dict[str, Any]:
    document = read_json(path) if path.suffix.lower() == ".json" else None
    if not (isinstance(document, dict) and ("catalog" in document or "profile" in document)):
        raise InputError(f"{path}: import {href!r} is not an OSCAL JSON catalog or profile")
    return document


@dataclass(frozen=True)
class ResolvedCatalog:
    """A resolved profile catalog with an index of its controls by id, and what resolution warned about."""

    document: dict[str, Any]
    warnings: tuple[str, ...] = ()

    @property
    def catalog(self) -> dict[str, Any]:
        return self.document["catalog"]

    def controls(self) -> dict[str, dict[str, Any]]:
        """Controls by id (indexed once: reports and rules look controls up hundreds of times)."""
        return self._controls

    def parameters(self) -> dict[str, dict[str, Any]]:
        """Every parameter of every control, by id."""
        return self._parameters

    def family_titles(self) -> dict[str, str]:
        return {g["id"]: g.get("title", g["id"]) for g in self.catalog.get("groups", ())}

    @cached_property
    def _controls(self) -> dict[str, dict[str, Any]]:
        return {c["id"]: c for c in iter_controls(self.catalog)}

    @cached_property
    def _parameters(self) -> dict[str, dict[str, Any]]:
        return {p["id"]: p for c in self._controls.values() for p in c.get("params", ()) if isinstance(p, dict)}


def resolve_profile(
    profile_path: Path | None = None, store: ContentStore | None = None, locator: HrefLocator | None = None
) -> ResolvedCatalog:
    """Resolve an OSCAL JSON profile (default: MARS-E 2.0) into its catalog, shaped for OSCAL 1.2.3.

    A `locator` with a boundary keeps local imports inside a repository (the validator passes one).
    """
    profile_path = profile_path or default_profile_path()
    document = load_oscal(profile_path, "profile")
    resolver = _Resolver(locator or HrefLocator(store or ContentStore()))
    try:
        catalog = resolver.resolve(document["profile"], profile_path.resolve(), profile_path.name)
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{profile_path}: malformed profile ({type(exc).__name__}: {exc})") from None
    return ResolvedCatalog({"catalog": catalog}, tuple(resolver.warnings))
