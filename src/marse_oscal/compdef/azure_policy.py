"""Reading Azure Policy regulatory-compliance initiatives and the policy definitions they reference.

An initiative (policy set definition) groups policy definitions under NIST SP 800-53 Rev. 4 control
groups (`NIST_SP_800-53_R4_AC-2(1)`). Each definition is one of three kinds, which decide who is
responsible for the control: "Microsoft Managed Control" policies (Microsoft implements it for the
platform), manual customer-action policies (effect `Manual`: the customer must act) and automated
policies (they audit or enforce settings of the customer's own resources).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from marse_oscal.content import Artifact, ContentStore
from marse_oscal.controls import control_id
from marse_oscal.errors import InputError
from marse_oscal.files import read_json

GROUP_PREFIX = "NIST_SP_800-53_R4_"
REPOSITORY = "https://raw.githubusercontent.com/Azure/azure-policy/"
_NAME = re.compile(r'"name"\s*:\s*"([0-9A-Za-z-]{36})"')  # Azure ships some non-hex "GUIDs" (17k78e20-...)


class PolicyKind(StrEnum):
    microsoft_managed = "microsoft-managed"
    customer_action = "customer-action"
    automated = "automated"


@dataclass(frozen=True)
class PolicyDefinition:
    """The facts the component definition uses about one Azure Policy definition."""

    guid: str
    display_name: str
    kind: PolicyKind
    effects: tuple[str, ...]
    source: str  # repository URL or local path


@dataclass(frozen=True)
class Initiative:
    """An initiative: its identity and, per rev4 control id, the referenced policy definition GUIDs."""

    name: str
    display_name: str
    version: str
    source: str
    controls: dict[str, tuple[str, ...]]


def classify(document: dict[str, Any]) -> tuple[PolicyKind, tuple[str, ...]]:
    """Kind and possible effects of a policy definition document."""
    properties = document.get("properties") or {}
    name = str(properties.get("displayName", ""))
    effect = (properties.get("parameters") or {}).get("effect") or {}
    effects = tuple(str(e) for e in effect.get("allowedValues") or ())
    rule_effect = str(((properties.get("policyRule") or {}).get("then") or {}).get("effect", ""))
    if not effects and not rule_effect.startswith("["):
        effects = (rule_effect,)
    if name.startswith("Microsoft Managed Control"):
        return PolicyKind.microsoft_managed, effects
    default = str(effect.get("defaultValue") or rule_effect)
    if default.lower() == "manual":
        return PolicyKind.customer_action, effects
    return PolicyKind.automated, effects


def _definition(guid: str, document: Any, source: str) -> PolicyDefinition:
    if not isinstance(document, dict) or not isinstance(document.get("properties"), dict):
        raise InputError(f"{source}: policy definition {guid} is not an Azure Policy definition")
    kind, effects = classify(document)
    name = str(document["properties"].get("displayName") or guid)
    return PolicyDefinition(guid, name, kind, effects, source)


def read_initiative(path: Path, source: str) -> Initiative:
    """Parse an initiative; a malformed file or a group that is not a rev4 control id is an InputError."""
    document = read_json(path)
    properties = document.get("properties") if isinstance(document, dict) else None
    if not isinstance(properties, dict) or not isinstance(properties.get("policyDefinitions"), list):
        raise InputError(f"{source}: not an Azure Policy initiative (no properties.policyDefinitions)")
    controls: dict[str, list[str]] = {}
    for n, reference in enumerate(properties["policyDefinitions"]):
        definition_id = reference.get("policyDefinitionId") if isinstance(reference, dict) else None
        if not isinstance(definition_id, str):
            raise InputError(f"{source}: policyDefinitions[{n}] has no policyDefinitionId")
        guid = definition_id.rsplit("/", 1)[-1]
        for group in reference.get("groupNames") or ():
            if not str(group).startswith(GROUP_PREFIX):
                raise InputError(f"{source}: group {group!r} is not a NIST SP 800-53 Rev. 4 control group")
            try:
                cid = control_id(str(group)[len(GROUP_PREFIX) :])
            except InputError:
                raise InputError(f"{source}: group {group!r} does not name a control") from None
            controls.setdefault(cid, []).append(guid)
    return Initiative(
        name=str(document.get("name", "")),
        display_name=str(properties.get("displayName", "")),
        version=str(properties.get("version") or (properties.get("metadata") or {}).get("version", "")),
        source=source,
        controls={cid: tuple(dict.fromkeys(guids)) for cid, guids in controls.items()},
    )


@lru_cache(maxsize=1)
def _pins() -> dict[str, dict[str, list[Any]]]:
    text = resources.files("marse_oscal.content").joinpath("azure-policy-pins.json").read_text("utf-8")
    return json.loads(text)["initiatives"]


class PinnedPolicies:
    """Policy definitions referenced by a pinned initiative, through the content store (cache, mirror, download)."""

    def __init__(self, store: ContentStore, initiative_key: str) -> None:
        artifact = store.manifest.get(initiative_key)
        self.store = store
        self.commit = artifact.url[len(REPOSITORY) :].split("/", 1)[0]
        self.pins = _pins().get(initiative_key, {})

    def get(self, guid: str) -> PolicyDefinition:
        pin = self.pins.get(guid)
        if pin is None:
            raise InputError(f"policy definition {guid} is not pinned for this initiative")
        path, sha256, size = pin
        url = f"{REPOSITORY}{self.commit}/{path.replace(' ', '%20')}"
        artifact = Artifact(f"azure-policy:{self.commit[:8]}:{guid}", url, sha256, size, "azure-policy", guid)
        return _definition(guid, read_json(self.store.fetch(artifact)), url)


class CheckoutPolicies:
    """Policy definitions from a local checkout of Azure/azure-policy (or a mirror of one commit)."""

    def __init__(self, repo: Path, prefer_government: bool) -> None:
        root = repo / "built-in-policies" / "policyDefinitions"
        if not root.is_dir():
            raise InputError(f"{repo}: not an Azure/azure-policy checkout (no built-in-policies/policyDefinitions)")
        self.paths: dict[str, Path] = {}
        for path in sorted(root.rglob("*.json")):
            names = _NAME.findall(path.read_text(encoding="utf-8-sig", errors="replace"))
            if not names:
                continue
            guid = names[-1].lower()
            in_government = "Azure Government" in path.relative_to(root).parts[:1]
            if guid not in self.paths or in_government == prefer_government:
                self.paths[guid] = path

    def get(self, guid: str) -> PolicyDefinition:
        path = self.paths.get(guid.lower())
        if path is None:
            raise InputError(f"policy definition {guid} not found in the Azure Policy checkout")
        return _definition(guid, read_json(path), str(path))
