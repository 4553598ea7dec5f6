"""Building OSCAL component definitions against the MARS-E 2.0 profile.

Two sources: Azure Policy initiatives (Azure, Azure Government) and an authored YAML file (Intune).
Output is deterministic: UUIDs derive from names, dates come from the source spec, so regenerating from
unchanged pinned inputs gives byte-identical files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from marse_oscal.compdef.azure_policy import Initiative, PolicyDefinition, PolicyKind
from marse_oscal.controls import control_id, control_label, sort_key
from marse_oscal.errors import InputError
from marse_oscal.oscal import OSCAL_VERSION, prop, stable_uuid
from marse_oscal.profile.resolve import ResolvedCatalog

TRESTLE_NS = "https://oscal-compass.github.io/compliance-trestle/schemas/oscal"
RESPONSIBILITIES = ("provider", "shared", "customer")
_MMC_NUMBER = re.compile(r"Microsoft Managed Control (\d+)")


@dataclass(frozen=True)
class ComponentSpec:
    """What the source file says about the component (never about controls: those come from the data)."""

    name: str
    title: str
    type: str
    description: str
    version: str
    last_modified: str
    authorization: dict[str, str] = field(default_factory=dict)


def component_spec(raw: dict[str, Any], where: str) -> ComponentSpec:
    component = raw.get("component")
    if not isinstance(component, dict):
        raise InputError(f"{where}: missing 'component' mapping")
    try:
        return ComponentSpec(
            name=str(component["name"]),
            title=str(component["title"]),
            type=str(component.get("type", "service")),
            description=" ".join(str(component["description"]).split()),
            version=str(component["version"]),
            last_modified=str(component["last-modified"]),
            authorization={str(k): " ".join(str(v).split()) for k, v in (raw.get("authorization") or {}).items()},
        )
    except KeyError as exc:
        raise InputError(f"{where}: component is missing {exc.args[0]!r}") from None


@dataclass
class Requirement:
    """One MARS-E control the component addresses."""

    control: str
    responsibility: str
    description: str
    rules: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # back-matter resource ids


@dataclass
class ComponentData:
    """Everything that goes into one component definition."""

    spec: ComponentSpec
    requirements: list[Requirement]
    rules: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule id -> (description, check description)
    resources: dict[str, tuple[str, str]] = field(default_factory=dict)  # resource id -> (title, url)
    sources: list[tuple[str, str]] = field(default_factory=list)  # (title, url) of the input data
    unselected: list[str] = field(default_factory=list)  # covered by the input, not selected by MARS-E


def responsibility_of(kinds: set[PolicyKind]) -> str:
    """provider: Microsoft only; shared: Microsoft plus a customer part; customer: no Microsoft part."""
    microsoft = PolicyKind.microsoft_managed in kinds
    customer = bool(kinds & {PolicyKind.customer_action, PolicyKind.automated})
    if microsoft and customer:
        return "shared"
    return "provider" if microsoft else "customer"


def _names(definitions: Iterable[PolicyDefinition]) -> str:
    return "; ".join(sorted({d.display_name for d in definitions}))


def describe(label: str, platform: str, definitions: list[PolicyDefinition]) -> str:
    """The implemented-requirement description, written here from the policy facts."""
    by_kind = {kind: [d for d in definitions if d.kind is kind] for kind in PolicyKind}
    managed = sorted(
        {m.group(1) for d in by_kind[PolicyKind.microsoft_managed] if (m := _MMC_NUMBER.search(d.display_name))}
    )
    actions, automated = by_kind[PolicyKind.customer_action], by_kind[PolicyKind.automated]
    parts = []
    if managed:
        parts.append(
            f"Microsoft implements {label} for the {platform} platform (Azure Policy: Microsoft Managed Control "
            f"{', '.join(managed)}); a system on {platform} inherits that part."
        )
    if actions:
        parts.append(f"The customer must act: {_names(actions)}.")
    if automated:
        parts.append(
            f"{len({d.guid for d in automated})} Azure Policy definition(s) check the customer's own resources for "
            f"{label}; the customer assigns them and fixes what they report."
        )
    if not managed:
        parts.insert(0, f"{platform} leaves {label} to the customer.")
    return " ".join(parts)


def from_initiatives(
    spec: ComponentSpec,
    initiatives: list[tuple[Initiative, Any]],
    profile: ResolvedCatalog,
    platform: str,
) -> ComponentData:
    """Per MARS-E control: the policies of every initiative, their kinds, and the responsibility they imply."""
    selected = profile.controls()
    per_control: dict[str, dict[str, PolicyDefinition]] = {}
    unselected: set[str] = set()
    data = ComponentData(spec, [])
    for initiative, library in initiatives:
        data.sources.append((f"{initiative.display_name} v{initiative.version}", initiative.source))
        for cid, guids in initiative.controls.items():
            if cid not in selected:
                unselected.add(cid)
                continue
            for guid in guids:
                per_control.setdefault(cid, {})[guid] = library.get(guid)
    for cid in sorted(per_control, key=sort_key):
        definitions = sorted(per_control[cid].values(), key=lambda d: d.guid)
        requirement = Requirement(
            control=cid,
            responsibility=responsibility_of({d.kind for d in definitions}),
            description=describe(control_label(cid), platform, definitions),
        )
        for definition in definitions:
            if definition.kind is PolicyKind.automated:
                rule = f"azure-policy-{definition.guid}"
                effects = ", ".join(e for e in definition.effects if e) or "see definition"
                data.rules[rule] = (
                    definition.display_name,
                    f"Azure Policy definition {definition.guid} (effects: {effects})",
                )
                requirement.rules.append(rule)
            else:
                resource = f"azure-policy-{definition.guid}"
                data.resources[resource] = (f"Azure Policy: {definition.display_name}", definition.source)
                requirement.references.append(resource)
        data.requirements.append(requirement)
    data.unselected = sorted(unselected - set(per_control), key=sort_key)
    return data


def from_capabilities(spec: ComponentSpec, raw: dict[str, Any], profile: ResolvedCatalog, where: str) -> ComponentData:
    """An authored source: capabilities in our own words, each mapped to MARS-E controls with a responsibility."""
    selected = profile.controls()
    capabilities = raw.get("capabilities")
    if not isinstance(capabilities, list) or not capabilities:
        raise InputError(f"{where}: 'capabilities' must be a non-empty list")
    per_control: dict[str, list[dict[str, Any]]] = {}
    for capability in capabilities:
        name = capability.get("title") if isinstance(capability, dict) else None
        if not name or not capability.get("description") or not capability.get("controls"):
            raise InputError(f"{where}: each capability needs title, description and controls")
        if capability.get("responsibility", "shared") not in RESPONSIBILITIES:
            raise InputError(f"{where}: {name}: responsibility must be one of {', '.join(RESPONSIBILITIES)}")
        for label in capability["controls"]:
            cid = control_id(str(label))
            if cid not in selected:
                raise InputError(f"{where}: {name}: {label} is not a MARS-E 2.0 control")
            per_control.setdefault(cid, []).append(capability)
    data = ComponentData(spec, [])
    for cid in sorted(per_control, key=sort_key):
        items = per_control[cid]
        responsibility = combined_responsibility({c.get("responsibility", "shared") for c in items})
        text = " ".join(f"{c['title']}: {' '.join(str(c['description']).split())}" for c in items)
        data.requirements.append(
            Requirement(cid, responsibility, f"{spec.title} helps meet {control_label(cid)}. {text}")
        )
    return data


def combined_responsibility(values: set[str]) -> str:
    """One responsibility for a control several sources address: mixed or shared parts make it shared."""
    if len(values) == 1:
        return next(iter(values))
    return "shared"


def to_oscal(data: ComponentData, profile_href: str) -> dict[str, Any]:
    """The component definition document."""
    spec = data.spec
    name = spec.name
    rule_props: list[dict[str, str]] = []
    for n, (rule, (description, check)) in enumerate(sorted(data.rules.items())):
        rule_set = f"rule_set_{n:03d}"
        for key, value in (
            ("Rule_Id", rule),
            ("Rule_Description", description),
            ("Check_Id", rule),
            ("Check_Description", check),
        ):
            rule_props.append({"name": key, "ns": TRESTLE_NS, "value": value, "remarks": rule_set})
    component_props = [prop("component-name", name)]
    if spec.authorization:
        auth = spec.authorization
        component_props.append(
            prop("leveraged-authorization", f"{auth['program']} {auth['level']} {auth['type']}", auth.get("statement"))
        )
    requirements = []
    for requirement in data.requirements:
        entry: dict[str, Any] = {
            "uuid": stable_uuid("compdef", name, "requirement", requirement.control),
            "control-id": requirement.control,
            "description": requirement.description,
            "props": [prop("responsibility", requirement.responsibility)]
            + [{"name": "Rule_Id", "ns": TRESTLE_NS, "value": rule} for rule in requirement.rules],
        }
        if requirement.references:
            entry["links"] = [
                {"href": f"#{stable_uuid('resource', ref)}", "rel": "reference"}
                for ref in sorted(requirement.references)
            ]
        requirements.append(entry)
    resources = [
        {"uuid": stable_uuid("resource", ref), "title": title, "rlinks": [{"href": url}]}
        for ref, (title, url) in sorted(data.resources.items())
    ]
    resources += [
        {"uuid": stable_uuid("resource", name, "source", url), "title": title, "props": [prop("role", "input-data")],
         "rlinks": [{"href": url}]}
        for title, url in data.sources
    ]  # fmt: skip
    if spec.authorization.get("source"):
        resources.append(
            {"uuid": stable_uuid("resource", name, "authorization"),
             "title": spec.authorization.get("source-title", "Authorization source"),
             "rlinks": [{"href": spec.authorization["source"]}]}
        )  # fmt: skip
    remarks = ""
    if data.unselected:
        remarks = (
            f"The input also maps {len(data.unselected)} rev4 control(s) that MARS-E 2.0 does not select: "
            + ", ".join(control_label(c) for c in data.unselected)
        )
    implementation: dict[str, Any] = {
        "uuid": stable_uuid("compdef", name, "control-implementation"),
        "source": profile_href,
        "description": f"How {spec.title} supports the MARS-E 2.0 controls, and who is responsible for each.",
        "implemented-requirements": requirements,
    }
    component: dict[str, Any] = {
        "uuid": stable_uuid("compdef", name, "component"),
        "type": spec.type,
        "title": spec.title,
        "description": spec.description,
        "props": component_props + rule_props,
        "control-implementations": [implementation],
    }
    document: dict[str, Any] = {
        "uuid": stable_uuid("compdef", name),
        "metadata": {
            "title": f"{spec.title}: MARS-E 2.0 component definition",
            "last-modified": spec.last_modified,
            "version": spec.version,
            "oscal-version": OSCAL_VERSION,
            "props": [prop("mars-e-version", "2.0")],
            **({"remarks": remarks} if remarks else {}),
        },
        "components": [component],
    }
    if resources:
        document["back-matter"] = {"resources": resources}
    return {"component-definition": document}


def coverage(
    documents: Iterable[dict[str, Any]], profile: ResolvedCatalog
) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Controls by family x responsibility across component definitions, and the controls none touches."""
    seen: dict[str, set[str]] = {}
    for document in documents:
        for component in document.get("component-definition", {}).get("components", ()):
            for implementation in component.get("control-implementations", ()):
                for requirement in implementation.get("implemented-requirements", ()):
                    value = next(
                        (p.get("value") for p in requirement.get("props", ()) if p.get("name") == "responsibility"),
                        "unspecified",
                    )
                    seen.setdefault(requirement.get("control-id", ""), set()).add(value)
    table: dict[str, dict[str, int]] = {}
    controls = profile.controls()
    for cid in controls:
        family = cid.split("-", 1)[0].upper()
        row = table.setdefault(family, {r: 0 for r in (*RESPONSIBILITIES, "none")})
        values = seen.get(cid)
        if not values:
            row["none"] += 1
        else:
            combined = combined_responsibility(values)
            row[combined] = row.get(combined, 0) + 1
    untouched = sorted((cid for cid in controls if cid not in seen), key=sort_key)
    return dict(sorted(table.items())), untouched
