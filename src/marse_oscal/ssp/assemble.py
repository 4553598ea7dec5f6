"""Assembling the OSCAL SSP from the inputs, deterministically.

UUIDs derive from the system id and stable keys (control id, component name), so editing one narrative
changes only that implemented-requirement; timestamps come from system.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marse_oscal.compdef.build import combined_responsibility
from marse_oscal.controls import control_label, sort_key
from marse_oscal.errors import InputError
from marse_oscal.oscal import OSCAL_VERSION, prop, prop_value, stable_uuid
from marse_oscal.profile.resolve import ResolvedCatalog, profile_href
from marse_oscal.ssp.inputs import THIS_SYSTEM, ComponentSection, ControlFile, control_files
from marse_oscal.ssp.system import Provider, SystemSpec, load_system
from marse_oscal.validate.checkers.marse import applicable_params

NOT_WRITTEN = "Not yet documented: the customer part of this control must be written."


@dataclass
class Assembly:
    """The SSP and what the author still owes (used by `ssp gaps` and the demo summary)."""

    document: dict[str, Any]
    responsibilities: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    missing_narratives: list[str] = field(default_factory=list)
    missing_params: dict[str, list[str]] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    missing_justifications: list[str] = field(default_factory=list)


class _Ids:
    """Stable UUIDs inside one system's SSP."""

    def __init__(self, system_id: str) -> None:
        self.system_id = system_id

    def __call__(self, *names: str) -> str:
        return stable_uuid("ssp", self.system_id, *names)


def _level(value: str) -> str:
    return f"fips-199-{value}"


def _metadata(spec: SystemSpec, ids: _Ids) -> dict[str, Any]:
    data = spec.data
    parties = []
    for party in data["parties"]:
        entry: dict[str, Any] = {"uuid": ids("party", party["id"]), "type": party["type"], "name": party["name"]}
        if party.get("short-name"):
            entry["short-name"] = party["short-name"]
        if party.get("email"):
            entry["email-addresses"] = [party["email"]]
        parties.append(entry)
    responsible = [
        {"role-id": role, "party-uuids": [ids("party", p) for p in (people if isinstance(people, list) else [people])]}
        for role, people in (data.get("responsible-parties") or {}).items()
    ]
    metadata: dict[str, Any] = {
        "title": data["ssp"]["title"],
        "last-modified": str(data["ssp"]["last-modified"]),
        "version": str(data["ssp"]["version"]),
        "oscal-version": OSCAL_VERSION,
        "props": [prop("mars-e-version", "2.0")],
        "roles": [{"id": r["id"], "title": r["title"]} for r in data["roles"]],
        "parties": parties,
    }
    if responsible:
        metadata["responsible-parties"] = responsible
    return metadata


def _characteristics(spec: SystemSpec, ids: _Ids) -> dict[str, Any]:
    system = spec.data["system"]
    info_types = []
    for n, info in enumerate(system["information-types"]):
        impact = info["impact"]
        entry: dict[str, Any] = {
            "uuid": ids("information-type", str(n), info["title"]),
            "title": info["title"],
            "description": " ".join(str(info["description"]).split()),
        }
        flags = [prop(f"contains-{flag}", "yes") for flag in ("pii", "phi", "fti") if info.get(flag)]
        if flags:
            entry["props"] = flags
        entry.update(
            {f"{o}-impact": {"base": _level(impact[o])} for o in ("confidentiality", "integrity", "availability")}
        )
        info_types.append(entry)
    impact = system["impact"]
    characteristics: dict[str, Any] = {
        "system-ids": [{"id": system["id"]}],
        "system-name": system["name"],
    }
    if system.get("short-name"):
        characteristics["system-name-short"] = system["short-name"]
    characteristics.update(
        {
            "description": " ".join(str(system["description"]).split()),
            "security-sensitivity-level": system["sensitivity"],
            "system-information": {"information-types": info_types},
            "security-impact-level": {
                f"security-objective-{o}": impact[o] for o in ("confidentiality", "integrity", "availability")
            },
            "status": {"state": system["status"]},
            "authorization-boundary": {"description": " ".join(str(system["authorization-boundary"]).split())},
        }
    )
    return characteristics


def _implementation(spec: SystemSpec, ids: _Ids) -> dict[str, Any]:
    data = spec.data
    leveraged = []
    components: list[dict[str, Any]] = [
        {
            "uuid": ids("component", "this-system"),
            "type": "this-system",
            "title": THIS_SYSTEM,
            "description": f"{data['system']['name']} as a whole, within its authorization boundary.",
            "status": {"state": "operational"},
        }
    ]
    for provider in spec.providers:
        props = [{"name": "implementation-point", "value": "external"}, prop("component-definition", provider.name)]
        if provider.authorization_title:
            authorization_uuid = ids("leveraged-authorization", provider.name)
            entry: dict[str, Any] = {
                "uuid": authorization_uuid,
                "title": provider.authorization_title,
                "party-uuid": ids("party", provider.party),
                "date-authorized": provider.date_authorized,
            }
            if provider.remarks:
                entry["remarks"] = " ".join(provider.remarks.split())
            leveraged.append(entry)
            props.insert(0, {"name": "leveraged-authorization-uuid", "value": authorization_uuid})
        source = provider.document["component-definition"]["components"][0]
        components.append(
            {
                "uuid": ids("component", provider.name),
                "type": "service",
                "title": provider.title,
                "description": source["description"],
                "props": props,
                "status": {"state": "operational"},
            }
        )
    for component in data.get("components") or []:
        components.append(
            {
                "uuid": ids("component", component["id"]),
                "type": component["type"],
                "title": component["title"],
                "description": " ".join(str(component["description"]).split()),
                "status": {"state": component["status"]},
            }
        )
    users = [
        {
            "uuid": ids("user", user["id"]),
            "title": user["title"],
            **({"role-ids": user["role-ids"]} if user.get("role-ids") else {}),
        }
        for user in data.get("users") or []
    ]
    implementation: dict[str, Any] = {}
    if leveraged:
        implementation["leveraged-authorizations"] = leveraged
    implementation["users"] = users or [{"uuid": ids("user", "none"), "title": "No users recorded"}]
    implementation["components"] = components
    inventory = [
        {
            "uuid": ids("inventory-item", item["id"]),
            "description": " ".join(str(item["description"]).split()),
            **(
                {"implemented-components": [{"component-uuid": ids("component", c)} for c in item["components"]]}
                if item.get("components")
                else {}
            ),
        }
        for item in data.get("inventory") or []
    ]
    if inventory:
        implementation["inventory-items"] = inventory
    return implementation


def _customer_components(spec: SystemSpec) -> dict[str, str]:
    """Section title -> component key, for the customer's own components (This System first)."""
    titles = {THIS_SYSTEM: "this-system"}
    titles.update({c["title"]: c["id"] for c in spec.data.get("components") or []})
    return titles


def _requirement(
    cid: str,
    control: dict[str, Any],
    inputs: ControlFile | None,
    providers: list[tuple[Provider, dict[str, Any]]],
    customer: dict[str, str],
    ids: _Ids,
    assembly: Assembly,
) -> dict[str, Any]:
    label = control_label(cid)
    status = inputs.status if inputs else "planned"
    provider_resps = {prop_value(r, "responsibility") or "shared" for _, r in providers}
    customer_needed = not providers or bool(provider_resps & {"shared", "customer"})
    if inputs:
        _check_section_titles(inputs, customer, {p.title for p, _ in providers})
    sections = {t: s for t, s in (inputs.sections if inputs else {}).items() if t in customer}
    statements = _statements(cid, control, inputs, customer, ids) if inputs else []
    narrated = any(s.written for s in sections.values()) or bool(statements)
    parts = set(provider_resps)
    if customer_needed or narrated:
        parts.add("customer")
    responsibility = combined_responsibility(parts)
    assembly.responsibilities[cid] = responsibility
    assembly.statuses[cid] = status
    if status != "not-applicable" and customer_needed and not narrated:
        assembly.missing_narratives.append(cid)
    requirement: dict[str, Any] = {
        "uuid": ids("requirement", cid),
        "control-id": cid,
        "props": [prop("responsibility", responsibility)],
    }
    if status == "not-applicable":
        marker: dict[str, str] = {"name": "implementation-status", "value": "not-applicable"}
        if inputs and inputs.justification:
            marker["remarks"] = inputs.justification
        else:
            assembly.missing_justifications.append(cid)  # left without remarks, so MARSE-SSP-002 reports it too
        requirement["props"].append(marker)
    values = inputs.params if inputs else {}
    missing = [p["id"] for p in applicable_params(control) if not values.get(p["id"]) and not p.get("values")]
    if missing and status != "not-applicable":
        assembly.missing_params[cid] = missing
    set_parameters = [{"param-id": pid, "values": values[pid]} for pid in sorted(values) if values[pid]]
    if set_parameters:
        requirement["set-parameters"] = set_parameters
    by_components = []
    state = {"state": "not-applicable" if status == "not-applicable" else status}
    if status == "not-applicable" and inputs and inputs.justification:
        state["remarks"] = inputs.justification
    for provider, source in providers:
        part = prop_value(source, "responsibility") or "shared"
        entry: dict[str, Any] = {
            "component-uuid": ids("component", provider.name),
            "uuid": ids("by-component", cid, provider.name),
            "description": source["description"],
            "props": [prop("responsibility", part)],
        }
        if part in ("provider", "shared") and status != "not-applicable" and provider.authorization_title:
            entry["inherited"] = [
                {
                    "uuid": ids("inherited", cid, provider.name),
                    "provided-uuid": stable_uuid("provided", provider.name, cid),
                    "description": f"{label}: the part {provider.title} implements, inherited through its "
                    "leveraged authorization.",
                }
            ]
        entry["implementation-status"] = dict(state) if status == "not-applicable" else {"state": "implemented"}
        by_components.append(entry)
    for title, key in customer.items():
        section = sections.get(title)
        if section is not None and section.written:
            entry = _customer_part(ids("by-component", cid, key), ids("component", key), section)
            if status == "not-applicable":
                entry["implementation-status"] = dict(state)
            by_components.append(entry)
        elif key == "this-system" and customer_needed and not statements:
            by_components.append(
                {
                    "component-uuid": ids("component", key),
                    "uuid": ids("by-component", cid, key),
                    "description": NOT_WRITTEN,
                    "props": [prop("responsibility", "customer")],
                    "implementation-status": dict(state) if status == "not-applicable" else {"state": "planned"},
                }
            )
    requirement["by-components"] = by_components
    if statements:
        requirement["statements"] = statements
    customer_parts = any(b["props"][0]["value"] == "customer" for b in by_components) or statements
    if not customer_parts and status != "not-applicable":
        requirement["remarks"] = f"{label} is fully inherited from the provider components listed."
    return requirement


def _customer_part(uuid: str, component_uuid: str, section: ComponentSection) -> dict[str, Any]:
    """A written narrative of one of the customer's components, with its status (default: implemented)."""
    return {
        "component-uuid": component_uuid,
        "uuid": uuid,
        "description": section.prose,
        "props": [prop("responsibility", "customer")],
        "implementation-status": {"state": section.status or "implemented"},
    }


def _statements(
    cid: str, control: dict[str, Any], inputs: ControlFile, customer: dict[str, str], ids: _Ids
) -> list[dict[str, Any]]:
    """`## Implementation for part X.` sections as statements of the requirement (trestle's per-part layout)."""
    part_ids = {p["id"] for p in _all_parts(control.get("parts", ())) if isinstance(p.get("id"), str)}
    statements = []
    for label, sections in inputs.parts.items():
        statement_id = f"{cid}_smt.{label}"
        if statement_id not in part_ids:
            line = min((s.line for s in sections.values()), default=1)
            raise InputError(f"{inputs.path}:{line}: part {label!r} is not a part of {control_label(cid)}")
        bys = [
            _customer_part(ids("by-component", cid, label, key), ids("component", key), sections[title])
            for title, key in customer.items()
            if title in sections and sections[title].written
        ]
        if bys:
            statements.append(
                {"statement-id": statement_id, "uuid": ids("statement", cid, label), "by-components": bys}
            )
    return statements


def _all_parts(parts: Any) -> list[dict[str, Any]]:
    found = []
    for part in parts or ():
        if isinstance(part, dict):
            found.append(part)
            found.extend(_all_parts(part.get("parts")))
    return found


def _check_section_titles(inputs: ControlFile, customer: dict[str, str], providers: set[str]) -> None:
    """A `### Title` that names no component would silently lose its narrative: make it an error instead."""
    for section in [*inputs.sections.values(), *(s for part in inputs.parts.values() for s in part.values())]:
        if section.title in customer or section.title in providers:
            continue
        known = ", ".join([*customer, *sorted(providers)])
        raise InputError(
            f"{inputs.path}:{section.line}: section '{section.title}' names no component of system.yaml ({known})"
        )


def assemble(directory: Path, profile: ResolvedCatalog, href: str | None = None) -> Assembly:
    """The SSP for the inputs in `directory`, against the resolved MARS-E profile, imported by `href`."""
    spec = load_system(directory)
    ids = _Ids(spec.system_id)
    inputs = control_files(directory)
    controls = profile.controls()
    unknown = sorted(set(inputs) - set(controls), key=sort_key)
    if unknown:
        raise InputError(f"{inputs[unknown[0]].path}:1: {unknown[0]} is not a MARS-E 2.0 control")
    provider_requirements = [(p, p.requirements()) for p in spec.providers]
    customer = _customer_components(spec)
    assembly = Assembly({})
    requirements = []
    for cid in sorted(controls, key=sort_key):
        if cid not in inputs:
            assembly.missing_files.append(cid)
        parts = [(p, reqs[cid]) for p, reqs in provider_requirements if cid in reqs]
        requirements.append(_requirement(cid, controls[cid], inputs.get(cid), parts, customer, ids, assembly))
    href = href or profile_href(directory / "ssp.json")
    assembly.document = {
        "system-security-plan": {
            "uuid": ids("system-security-plan"),
            "metadata": _metadata(spec, ids),
            "import-profile": {"href": Path(href).as_posix()},
            "system-characteristics": _characteristics(spec, ids),
            "system-implementation": _implementation(spec, ids),
            "control-implementation": {
                "description": f"How {spec.data['system']['name']} implements the MARS-E 2.0 controls.",
                "implemented-requirements": requirements,
            },
        }
    }
    return assembly
