"""`system.yaml`: the facts about the system that the SSP's metadata, characteristics and implementation need."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marse_oscal.compdef.sources import OUTPUT_FILE, default_compdef_root
from marse_oscal.errors import InputError
from marse_oscal.files import read_json
from marse_oscal.ssp.inputs import LEVELS, SYSTEM_FILE, YamlFile

COMPONENT_TYPES = ("software", "hardware", "service", "policy", "process", "procedure", "plan", "guidance",
                   "standard", "validation", "interconnection", "physical", "system", "this-system")  # fmt: skip


@dataclass(frozen=True)
class Provider:
    """A provider component the system uses: its component definition and the leveraged authorization."""

    name: str
    title: str
    document: dict[str, Any]
    source: Path
    authorization_title: str | None  # None: no leveraged authorization, so nothing is inherited from it
    party: str
    date_authorized: str
    remarks: str

    def requirements(self) -> dict[str, dict[str, Any]]:
        component = self.document["component-definition"]["components"][0]
        implementation = component["control-implementations"][0]
        return {r["control-id"]: r for r in implementation["implemented-requirements"]}


@dataclass
class SystemSpec:
    """Everything from system.yaml, checked field by field."""

    file: YamlFile
    data: dict[str, Any] = field(default_factory=dict)
    providers: list[Provider] = field(default_factory=list)

    @property
    def system_id(self) -> str:
        return self.data["system"]["id"]


def _provider(spec: YamlFile, n: int, root: Path) -> Provider:
    base = f"/providers/{n}"
    name = spec.get(f"{base}/component")
    path = root / name if name.endswith(".json") else default_compdef_root() / name / OUTPUT_FILE
    if not path.is_file():
        raise spec.error(f"{base}/component", f"no component definition {name!r} (looked at {path})")
    document = read_json(path)
    if "component-definition" not in document:
        raise spec.error(f"{base}/component", f"{path} is not an OSCAL component definition")
    title = document["component-definition"]["components"][0]["title"]
    authorized = spec.get(f"{base}/leveraged-authorization", dict, required=False) is not None
    return Provider(
        name=Path(name).stem if name.endswith(".json") else name,
        title=title,
        document=document,
        source=path,
        authorization_title=spec.get(f"{base}/leveraged-authorization/title") if authorized else None,
        party=spec.get(f"{base}/leveraged-authorization/party") if authorized else "",
        date_authorized=spec.get(f"{base}/leveraged-authorization/date-authorized") if authorized else "",
        remarks=spec.get(f"{base}/leveraged-authorization/remarks", str, required=False) or "",
    )


def load_system(directory: Path) -> SystemSpec:
    """Read and check system.yaml; every problem is `file:line: field: reason`."""
    path = directory / SYSTEM_FILE
    if not path.is_file():
        raise InputError(f"{path}: missing (run `marse-oscal ssp init {directory}`)")
    spec = YamlFile.load(path)
    for pointer in ("/system/id", "/system/name", "/system/description", "/system/authorization-boundary",
                    "/ssp/title", "/ssp/version", "/ssp/last-modified"):  # fmt: skip
        spec.get(pointer)
    spec.choice(
        "/system/status", ("operational", "under-development", "under-major-modification", "disposition", "other")
    )
    spec.choice("/system/sensitivity", LEVELS)
    for objective in ("confidentiality", "integrity", "availability"):
        spec.choice(f"/system/impact/{objective}", LEVELS)
    info_types = spec.get("/system/information-types", list)
    if not info_types:
        raise spec.error("/system/information-types", "list at least one information type")
    for n, _ in enumerate(info_types):
        spec.get(f"/system/information-types/{n}/title")
        spec.get(f"/system/information-types/{n}/description")
        for flag in ("pii", "phi", "fti"):
            spec.get(f"/system/information-types/{n}/{flag}", bool, required=False)
        for objective in ("confidentiality", "integrity", "availability"):
            spec.choice(f"/system/information-types/{n}/impact/{objective}", LEVELS)
    parties = spec.get("/parties", list)
    party_ids = set()
    for n, _ in enumerate(parties):
        party_ids.add(spec.get(f"/parties/{n}/id"))
        spec.get(f"/parties/{n}/name")
        spec.choice(f"/parties/{n}/type", ("person", "organization"))
    roles = spec.get("/roles", list)
    role_ids = {spec.get(f"/roles/{n}/id") for n, _ in enumerate(roles)}
    for n, _ in enumerate(roles):
        spec.get(f"/roles/{n}/title")
    for role, people in (spec.get("/responsible-parties", dict, required=False) or {}).items():
        if role not in role_ids:
            raise spec.error(f"/responsible-parties/{role}", "not a role defined under roles")
        for m, person in enumerate(people if isinstance(people, list) else [people]):
            if person not in party_ids:
                raise spec.error(f"/responsible-parties/{role}/{m}", f"{person!r} is not a party id")
    providers = [
        _provider(spec, n, directory) for n, _ in enumerate(spec.get("/providers", list, required=False) or [])
    ]
    for n, provider in enumerate(providers):
        if provider.authorization_title and provider.party not in party_ids:
            raise spec.error(f"/providers/{n}/leveraged-authorization/party", f"{provider.party!r} is not a party id")
    component_ids = set()
    for n, _ in enumerate(spec.get("/components", list, required=False) or []):
        component_ids.add(spec.get(f"/components/{n}/id"))
        spec.get(f"/components/{n}/title")
        spec.get(f"/components/{n}/description")
        spec.choice(f"/components/{n}/type", COMPONENT_TYPES)
        spec.choice(f"/components/{n}/status", ("operational", "under-development", "disposition", "other"))
    for n, _ in enumerate(spec.get("/users", list, required=False) or []):
        spec.get(f"/users/{n}/id")
        spec.get(f"/users/{n}/title")
        _check_members(spec, f"/users/{n}/role-ids", role_ids, "role id")
    for n, _ in enumerate(spec.get("/inventory", list, required=False) or []):
        spec.get(f"/inventory/{n}/id")
        spec.get(f"/inventory/{n}/description")
        _check_members(spec, f"/inventory/{n}/components", component_ids, "component id")
    return SystemSpec(spec, spec.document.data, providers)


def _check_members(spec: YamlFile, pointer: str, allowed: set[str], what: str) -> None:
    """Each entry of an optional list must be one of `allowed` (ids defined elsewhere in system.yaml)."""
    for m, value in enumerate(spec.get(pointer, list, required=False) or []):
        if value not in allowed:
            raise spec.error(f"{pointer}/{m}", f"{value!r} is not a {what}")
