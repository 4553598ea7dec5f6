"""Looking into a resolved profile: one control, the difference from a NIST baseline, and verification."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marse_oscal.content import ContentStore
from marse_oscal.controls import control_id, control_label, family_of, sort_key
from marse_oscal.errors import UnknownControlError
from marse_oscal.oscal import NAMESPACE, PARAM_INSERT, prop_value
from marse_oscal.profile.build import PROFILE_FILE, SUPPLEMENTAL_FILE, stale_profile_documents
from marse_oscal.profile.resolve import ResolvedCatalog, resolve_profile
from marse_oscal.profile.source import load_profile_source
from marse_oscal.schema import SchemaValidator

BASELINES = ("low", "moderate", "high")
NIST_SOURCE = "nist-800-53-rev4"


def source_of(control: dict[str, Any]) -> str:
    """Which catalog a control comes from, as the MARS-E profile records it."""
    return prop_value(control, "mars-e-source", NAMESPACE) or prop_value(control, "source-catalog", NAMESPACE) or ""


def is_summary(control: dict[str, Any]) -> bool:
    """True when the statement is a marse-oscal summary, not the official text."""
    return prop_value(control, "statement-text", NAMESPACE) == "summary"


def _param_text(param: dict[str, Any], params: dict[str, dict[str, Any]], depth: int = 0) -> str:
    """How a parameter reads inside prose: its values, or the Assignment/Selection placeholder."""
    if param.get("values"):
        return ", ".join(param["values"])
    if "select" in param and depth < 4:
        choice = param["select"].get("how-many", "one")
        options = [_insert_params(str(c), params, depth + 1) for c in param["select"].get("choice", [])]
        return f"[Selection ({choice}): {'; '.join(options)}]"
    return f"[Assignment: {param.get('label', param['id'])}]"


def _insert_params(text: str, params: dict[str, dict[str, Any]], depth: int = 0) -> str:
    return PARAM_INSERT.sub(lambda m: _param_text(params.get(m.group(1), {"id": m.group(1)}), params, depth), text)


def _prose_lines(part: dict[str, Any], params: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    label = prop_value(part, "label") or ""
    prose = _insert_params(part.get("prose", ""), params)
    text = " ".join(x for x in (label, prose) if x)
    lines = ["  " * depth + text] if text else []
    for child in part.get("parts", ()):
        if child.get("name") in ("item", "statement"):
            lines.extend(_prose_lines(child, params, depth + 1))
    return lines


@dataclass(frozen=True)
class ControlView:
    """What `profile show` prints about one control."""

    oscal_id: str
    label: str
    title: str
    family: str
    source: str
    summary: bool
    statement: list[str]
    params: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def show_control(resolved: ResolvedCatalog, text: str) -> ControlView:
    """One control of the resolved profile; unknown ids raise `UnknownControlError`."""
    cid = control_id(text)
    controls = resolved.controls()
    if cid not in controls:
        reason = excluded_controls(resolved).get(cid)
        if reason:
            raise UnknownControlError(f"{text}: excluded from this profile by decision: {reason}")
        raise UnknownControlError(f"{text}: not a control of this profile ({len(controls)} controls selected)")
    control = controls[cid]
    params = resolved.parameters()
    statement = next((p for p in control.get("parts", ()) if p.get("name") == "statement"), {})
    return ControlView(
        oscal_id=cid,
        label=prop_value(control, "label") or control_label(cid),
        title=control.get("title", ""),
        family=resolved.family_titles().get(family_of(cid), family_of(cid).upper()),
        source=source_of(control),
        summary=is_summary(control),
        statement=_prose_lines(statement, params),
        params=[
            {
                "id": p["id"],
                "label": p.get("label", ""),
                "value": ", ".join(p["values"]) if p.get("values") else "organization-defined: must be supplied",
            }
            for p in control.get("params", ())
        ],
    )


@dataclass(frozen=True)
class BaselineDiff:
    """MARS-E against a NIST rev4 baseline: rev4 controls added and omitted, plus non-NIST controls."""

    baseline: str
    baseline_count: int
    added: list[str]
    omitted: list[str]
    supplemental: dict[str, list[str]]
    excluded: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "baseline-count": self.baseline_count,
            "added": [control_label(i) for i in self.added],
            "omitted": [control_label(i) for i in self.omitted],
            "supplemental": {k: [control_label(i) for i in v] for k, v in self.supplemental.items()},
            "excluded": {control_label(k): v for k, v in self.excluded.items()},
        }


def diff_baseline(resolved: ResolvedCatalog, baseline: str, store: ContentStore) -> BaselineDiff:
    """Compare the profile's selection with NIST's own `baseline` profile, resolved the same way."""
    baseline_path = store.path(f"nist-800-53-rev4-{baseline}-profile")
    reference = set(resolve_profile(baseline_path, store).controls())
    mine = resolved.controls()
    rev4 = {cid for cid, c in mine.items() if source_of(c) == NIST_SOURCE}
    supplemental: dict[str, list[str]] = {}
    for cid, control in mine.items():
        if source_of(control) != NIST_SOURCE:
            supplemental.setdefault(source_of(control), []).append(cid)
    return BaselineDiff(
        baseline=baseline,
        baseline_count=len(reference),
        added=sorted(rev4 - reference, key=sort_key),
        omitted=sorted(reference - rev4, key=sort_key),
        supplemental={k: sorted(v, key=sort_key) for k, v in sorted(supplemental.items())},
        excluded=excluded_controls(resolved),
    )


def excluded_controls(resolved: ResolvedCatalog) -> dict[str, str]:
    """Controls the profile deliberately leaves out (its `excluded-control` props), with the reason."""
    return {
        p["value"]: p.get("remarks", "")
        for p in resolved.catalog["metadata"].get("props", ())
        if p.get("name") == "excluded-control" and p.get("ns") == NAMESPACE
    }


@dataclass(frozen=True)
class Finding:
    """One result of `profile verify`: severity error|warning|info, which check, and what it found."""

    severity: str
    check: str
    message: str


@dataclass
class Verification:
    """All findings plus per-family counts; `ok` is False when any finding is an error."""

    findings: list[Finding] = field(default_factory=list)
    family_counts: dict[str, int] = field(default_factory=dict)
    control_count: int = 0

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def add(self, severity: str, check: str, message: str) -> None:
        self.findings.append(Finding(severity, check, message))


def _check_counts(result: Verification, resolved: ResolvedCatalog, facts: dict[str, Any]) -> None:
    controls = resolved.controls()
    families = Counter(family_of(cid).upper() for cid in controls)
    result.family_counts = dict(sorted(families.items()))
    expected = {str(k): int(v) for k, v in facts.get("by-family", {}).items()}
    for family in sorted(set(expected) | set(families)):
        if expected.get(family, 0) != families.get(family, 0):
            result.add(
                "error",
                "family-counts",
                f"{family}: {families.get(family, 0)} controls resolved, the facts say {expected.get(family, 0)}",
            )
    by_source = Counter(source_of(c) for c in controls.values())
    for source, count in facts.get("by-source", {}).items():
        if source != "unverified" and by_source.get(source, 0) != count:
            result.add("error", "source-counts", f"{source}: {by_source.get(source, 0)} controls, facts say {count}")
    if not result.findings:
        result.add("info", "family-counts", f"{len(controls)} controls in {len(families)} families match the facts")


def verify_profile(profile_dir: Path, store: ContentStore) -> Verification:
    """Check the shipped profile: sources vs generated files, schema, resolution, counts, text, decisions."""
    from marse_oscal.files import read_json

    result = Verification()
    source = load_profile_source(profile_dir / "source")
    for name in stale_profile_documents(profile_dir):
        result.add("error", "drift", f"{name} differs from its sources; run `marse-oscal profile build`")
    validator = SchemaValidator(store)
    resolved = resolve_profile(profile_dir / PROFILE_FILE, store)
    documents = {
        PROFILE_FILE: read_json(profile_dir / PROFILE_FILE),
        SUPPLEMENTAL_FILE: read_json(profile_dir / SUPPLEMENTAL_FILE),
        "resolved catalog": resolved.document,
    }
    for name, document in documents.items():
        for violation in validator.violations(document):
            result.add("error", "schema", f"{name}{violation.pointer}: {violation.message}")
    for warning in resolved.warnings:
        result.add("error", "resolution", warning)
    controls = resolved.controls()
    result.control_count = len(controls)
    missing = sorted(set(source.selection) - set(controls), key=sort_key)
    extra = sorted(set(controls) - set(source.selection), key=sort_key)
    if missing or extra:
        result.add("error", "selection", f"not resolved: {missing or 'none'}; not selected: {extra or 'none'}")
    _check_counts(result, resolved, source.facts)
    empty = [cid for cid, c in controls.items() if not _has_statement(c)]
    if empty:
        result.add("error", "statement-text", f"controls without statement text: {', '.join(empty)}")
    summaries = sorted((cid for cid, c in controls.items() if is_summary(c)), key=sort_key)
    result.add(
        "info",
        "statement-text",
        f"{len(summaries)} controls carry a marse-oscal summary, not the official text: "
        + ", ".join(control_label(i) for i in summaries),
    )
    moderate = diff_baseline(resolved, "moderate", store)
    expected = source.facts.get("moderate-baseline", {})
    for key, found in (("added", moderate.added), ("omitted", moderate.omitted)):
        if key in expected and len(found) != expected[key]:
            result.add("error", "moderate-baseline", f"{len(found)} rev4 controls {key}, facts say {expected[key]}")
    params = [p for c in controls.values() for p in c.get("params", ())]
    valued = [p["id"] for p in params if p.get("values")]
    result.add(
        "warning" if valued else "info",
        "parameters",
        f"{len(params)} parameters, {len(params) - len(valued)} organization-defined (the SSP must supply them)"
        + (f"; with values: {', '.join(valued)}" if valued else ""),
    )
    for exclusion in source.exclusions:
        result.add("warning", "decision", f"{exclusion.label} is excluded: {exclusion.reason}")
    return result


def _has_statement(control: dict[str, Any]) -> bool:
    def text(part: dict[str, Any]) -> bool:
        return bool(part.get("prose", "").strip()) or any(text(p) for p in part.get("parts", ()))

    return any(p.get("name") == "statement" and text(p) for p in control.get("parts", ()))
