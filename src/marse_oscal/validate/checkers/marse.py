"""Layer 5: MARS-E 2.0 rules for SSPs built on the MARS-E profile (or validated with `--profile mars-e-2.0`).

Each rule has a stable id; `RULES` is the registry the reporters (SARIF) and docs/validation.md use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marse_oscal.controls import control_label, family_of, sort_key
from marse_oscal.oscal import NAMESPACE, PARAM_INSERT, as_dict, dicts, prop_value
from marse_oscal.profile.resolve import ResolvedCatalog
from marse_oscal.validate.findings import Finding, Layer, Severity
from marse_oscal.validate.parsers import ParsedDocument

PRIVACY_FAMILIES = {"ap", "ar", "di", "dm", "ip", "se", "tr", "ul"}
RESPONSIBILITY_PROPS = {"responsibility", "control-origination"}
MODERATE_LEVELS = {"moderate", "fips-199-moderate"}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str


RULES = {
    rule.id: rule
    for rule in (
        Rule("MARSE-SSP-001", Severity.error, "Every MARS-E security control has an implemented-requirement."),
        Rule("MARSE-SSP-002", Severity.error, "A control marked not-applicable carries a justification."),
        Rule("MARSE-SSP-003", Severity.error, "Each implemented-requirement names at least one component."),
        Rule("MARSE-SSP-004", Severity.error, "Each implemented-requirement states a responsibility."),
        Rule("MARSE-SSP-005", Severity.error, "Every organization-defined parameter that applies has a value."),
        Rule("MARSE-SSP-006", Severity.error, "Inherited capabilities come from leveraged-authorization components."),
        Rule("MARSE-SSP-007", Severity.error, "Every MARS-E privacy control (Appendix J) is addressed."),
        Rule("MARSE-SSP-008", Severity.error, "The system is categorized at moderate."),
        Rule("MARSE-SSP-009", Severity.warning, "Implemented-requirements name only MARS-E controls."),
    )
}  # fmt: skip


def is_marse_catalog(catalog: ResolvedCatalog) -> bool:
    """True for the resolved MARS-E profile (it carries our `mars-e-version` prop)."""
    return prop_value(catalog.catalog.get("metadata", {}), "mars-e-version", NAMESPACE) is not None


def _finding(document: ParsedDocument, rule: str, message: str, pointer: str) -> Finding:
    return Finding(Layer.marse, rule, RULES[rule].severity, message, pointer, document.line_of(pointer))


def _not_applicable(requirement: dict[str, Any]) -> tuple[bool, str]:
    """Whether the requirement is declared not-applicable, and its justification text."""
    for item in dicts(requirement.get("props")):
        if item.get("name") == "implementation-status" and item.get("value") == "not-applicable":
            return True, str(item.get("remarks") or requirement.get("remarks") or "").strip()
    bys = list(_by_components(requirement))
    statuses = [as_dict(by.get("implementation-status")) for by in bys]
    if bys and all(s.get("state") == "not-applicable" for s in statuses):
        return True, " ".join(str(s.get("remarks") or "") for s in statuses).strip()
    return False, ""


def _by_components(requirement: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from dicts(requirement.get("by-components"))
    for statement in dicts(requirement.get("statements")):
        yield from dicts(statement.get("by-components"))


def _has_responsibility(requirement: dict[str, Any]) -> bool:
    holders = [requirement, *_by_components(requirement)]
    if any(p.get("name") in RESPONSIBILITY_PROPS for h in holders for p in dicts(h.get("props"))):
        return True
    return any(by.get("inherited") or by.get("satisfied") or by.get("export") for by in _by_components(requirement))


def _set_values(container: dict[str, Any], requirement: dict[str, Any]) -> set[str]:
    holders = [container, requirement, *_by_components(requirement)]
    return {
        p["param-id"]
        for h in holders
        for p in dicts(h.get("set-parameters"))
        if isinstance(p, dict) and p.get("values") and isinstance(p.get("param-id"), str)
    }


def applicable_params(control: dict[str, Any]) -> list[dict[str, Any]]:
    """Parameters the control's statement inserts, directly or through another parameter's choices."""
    params = {p["id"]: p for p in control.get("params", ()) if isinstance(p, dict)}
    texts = [p.get("prose", "") for p in _parts(control.get("parts", ())) if p.get("name") != "guidance"]
    wanted: list[str] = []
    pending = [pid for text in texts for pid in PARAM_INSERT.findall(text)]
    while pending:
        pid = pending.pop(0)
        if pid in wanted or pid not in params:
            continue
        wanted.append(pid)
        choices = as_dict(params[pid].get("select")).get("choice")
        pending.extend(
            pid for choice in choices or () if isinstance(choice, str) for pid in PARAM_INSERT.findall(choice)
        )
    return [params[pid] for pid in wanted]


def _parts(parts: Any) -> Iterator[dict[str, Any]]:
    for part in dicts(parts):
        yield part
        yield from _parts(part.get("parts"))


def check_marse(document: ParsedDocument, catalog: ResolvedCatalog) -> list[Finding]:
    """All MARS-E rules for one SSP against the resolved MARS-E catalog."""
    root = document.data.get("system-security-plan")
    if not isinstance(root, dict):
        return []
    findings: list[Finding] = []
    findings.extend(_categorization(document, root))
    implementation = as_dict(root.get("control-implementation"))
    requirements = dicts(implementation.get("implemented-requirements"))
    controls = catalog.controls()
    seen: dict[str, int] = {}
    for n, requirement in enumerate(requirements):
        if isinstance(requirement, dict) and isinstance(requirement.get("control-id"), str):
            seen.setdefault(requirement["control-id"], n)
    base = "/system-security-plan/control-implementation"
    for cid in sorted(set(controls) - set(seen), key=sort_key):
        privacy = family_of(cid) in PRIVACY_FAMILIES
        rule, what = ("MARSE-SSP-007", "privacy control") if privacy else ("MARSE-SSP-001", "control")
        title = controls[cid].get("title", "")
        findings.append(
            _finding(document, rule, f"MARS-E {what} {control_label(cid)} ({title}) is not addressed", base)
        )
    for cid in sorted(set(seen) - set(controls), key=sort_key):
        pointer = f"{base}/implemented-requirements/{seen[cid]}/control-id"
        findings.append(
            _finding(document, "MARSE-SSP-009", f"{control_label(cid)} is not a MARS-E 2.0 control", pointer)
        )
    components = _components(root)
    for n, requirement in enumerate(requirements):
        cid = requirement.get("control-id") if isinstance(requirement, dict) else None
        if cid in controls:
            pointer = f"{base}/implemented-requirements/{n}"
            findings.extend(_requirement(document, implementation, requirement, controls[cid], pointer, components))
    return findings


def _components(root: dict[str, Any]) -> dict[str, dict[str, Any]]:
    system = as_dict(root.get("system-implementation"))
    return {c["uuid"]: c for c in dicts(system.get("components")) if isinstance(c.get("uuid"), str)}


def _requirement(
    document: ParsedDocument,
    implementation: dict[str, Any],
    requirement: dict[str, Any],
    control: dict[str, Any],
    pointer: str,
    components: dict[str, dict[str, Any]],
) -> Iterator[Finding]:
    label = control_label(requirement["control-id"])
    not_applicable, justification = _not_applicable(requirement)
    if not_applicable:
        if not justification:
            yield _finding(document, "MARSE-SSP-002", f"{label} is not-applicable without a justification", pointer)
        return
    bys = list(_by_components(requirement))
    if not bys:
        yield _finding(document, "MARSE-SSP-003", f"{label} names no component (by-components)", pointer)
    if not _has_responsibility(requirement):
        yield _finding(
            document, "MARSE-SSP-004",
            f"{label} states no responsibility (a 'responsibility' prop: provider, shared or customer)", pointer,
        )  # fmt: skip
    valued = _set_values(implementation, requirement)
    for param in applicable_params(control):
        if param["id"] not in valued and not param.get("values"):
            yield _finding(
                document, "MARSE-SSP-005",
                f"{label}: parameter {param['id']} ({param.get('label', 'no label')}) has no value; it is "
                "organization-defined and must be supplied",
                pointer,
            )  # fmt: skip
    for by in bys:
        if not by.get("inherited"):
            continue
        component = components.get(str(by.get("component-uuid")), {})
        if prop_value(component, "leveraged-authorization-uuid") is None:
            yield _finding(
                document, "MARSE-SSP-006",
                f"{label}: inherits from component {by.get('component-uuid')}, which has no "
                "leveraged-authorization-uuid prop",
                pointer,
            )  # fmt: skip


def _categorization(document: ParsedDocument, root: dict[str, Any]) -> Iterator[Finding]:
    characteristics = as_dict(root.get("system-characteristics"))
    pointer = "/system-security-plan/system-characteristics"
    level = str(characteristics.get("security-sensitivity-level", "")).lower()
    if level not in MODERATE_LEVELS:
        yield _finding(
            document, "MARSE-SSP-008",
            f"security-sensitivity-level is {level or 'missing'}; MARS-E 2.0 applies to systems categorized moderate",
            f"{pointer}/security-sensitivity-level" if level else pointer,
        )  # fmt: skip
    impact = as_dict(characteristics.get("security-impact-level"))
    for key in (
        "security-objective-confidentiality",
        "security-objective-integrity",
        "security-objective-availability",
    ):
        value = str(impact.get(key, "")).lower()
        if value and value not in MODERATE_LEVELS and value not in {"low", "fips-199-low"}:
            yield _finding(
                document, "MARSE-SSP-008", f"{key} is {value}; MARS-E 2.0 covers up to moderate",
                f"{pointer}/security-impact-level/{key}",
            )  # fmt: skip
