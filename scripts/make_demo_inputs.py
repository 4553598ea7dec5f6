"""Regenerate the embedded demo's control files (trestle-workspace/example-state-exchange/controls/).

Usage: MARSE_OSCAL_MIRROR=../shared/mirror python scripts/make_demo_inputs.py
The demo organization is fictional. Its narratives are illustrative sentences written for this project
and its parameter values are this fictional organization's choices, not CMS-assigned MARS-E values.
system.yaml is maintained by hand; this script rewrites every control file from scratch.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from marse_oscal.controls import control_label, family_of
from marse_oscal.files import write_atomic
from marse_oscal.oscal import PARAM_INSERT
from marse_oscal.profile.resolve import resolve_profile
from marse_oscal.ssp.inputs import CONTROLS_DIR, THIS_SYSTEM, TODO
from marse_oscal.ssp.scaffold import control_path, render_control
from marse_oscal.ssp.system import load_system
from marse_oscal.validate.checkers.marse import applicable_params

DEMO = Path(__file__).resolve().parents[1] / "trestle-workspace" / "example-state-exchange"
NOT_APPLICABLE = {
    "ac-18": "The system has no wireless access inside its boundary: it runs in Azure Government data centers.",
    "ac-18.1": "No wireless access exists inside the boundary (see AC-18).",
}
FAMILY_PRACTICE = {
    "ac": "accounts and permissions are granted through Microsoft Entra ID groups tied to the exchange's roles, "
    "reviewed by the ISSO, and enforced by the enrollment portal and eligibility service",
    "at": "the exchange's learning team assigns and tracks the training in its learning system",
    "au": "audit events from the portal, eligibility service and data store go to the exchange's Log Analytics "
    "workspace, where the security operations team reviews them",
    "ca": "the ISSO runs the assessment and authorization program and tracks findings in the plan of action",
    "cm": "configuration baselines are kept as code in the exchange's repository and changes go through the "
    "change advisory board",
    "cp": "the contingency plan covers the portal, eligibility service and data store, with geo-redundant "
    "backups in a second Azure Government region",
    "ia": "staff authenticate with Entra ID and phishing-resistant MFA; residents use the portal's identity "
    "proofing and MFA",
    "ir": "the incident response team follows the exchange incident plan and reports to CMS as required",
    "ma": "the exchange maintains only its own software components; platform maintenance is Microsoft's",
    "mp": "media with consumer data is encrypted, labeled and sanitized under the exchange media procedure",
    "pe": "the exchange's office space follows the state facilities policy; the data centers are Microsoft's",
    "pl": "the System Owner keeps this plan and the rules of behavior current",
    "pm": "the exchange's information security program, led by the CISO, sets these program-level duties",
    "ps": "human resources screens and onboards staff and contractors under the exchange personnel policy",
    "ra": "the ISSO runs risk assessments and vulnerability scanning of the exchange's components",
    "sa": "the exchange's contracts and development lifecycle carry these requirements",
    "sc": "network segmentation, TLS and encryption at rest protect the portal, eligibility service and data store",
    "si": "the exchange patches, scans and monitors its components through Microsoft Defender for Cloud",
    "ap": "the privacy office documents the legal authority and purposes in the exchange privacy notices",
    "ar": "the privacy officer runs the privacy program, its assessments, training and reporting",
    "di": "the portal validates consumer data at entry and lets residents correct it",
    "dm": "the exchange collects only the data elements eligibility requires and applies its retention schedule",
    "ip": "residents consent, see and correct their data, and complain through the consumer assistance center",
    "se": "the privacy office keeps the inventory of PII holdings and the privacy incident plan",
    "tr": "privacy notices and the system of records notice are published on the exchange website",
    "ul": "consumer data is used and shared only for the purposes in the notices and interconnection agreements",
    "mp-cms": "media records are kept under the exchange media procedure",
    "sc-aca": "the exchange procedure for this CMS-defined control applies",
}


def demo_value(param: dict) -> list[str]:
    """An illustrative value chosen by the fictional organization for one parameter."""
    choices = (param.get("select") or {}).get("choice") or []
    if choices:
        plain = [c for c in choices if not PARAM_INSERT.search(c)] or choices
        return [" ".join(str(plain[0]).split())]
    label = str(param.get("label", "")).lower()
    rules = [
        ("frequency", "at least annually"), ("personnel or roles", "the CISO and the System Owner"),
        ("time period", "30 days"), ("number", "3"), ("audited events", "the events in the Exchange Audit Policy"),
        ("events", "the events in the Exchange Audit Policy"),
        ("safeguards", "the safeguards in the Exchange Security Handbook"),
        ("components", "all servers, databases and managed endpoints"), ("personnel", "the ISSO"),
    ]  # fmt: skip
    for key, value in rules:
        if key in label:
            return [value]
    return [f"as set in the Exchange Security Handbook ({label or param['id']})"]


def narrative(cid: str, title: str) -> str:
    family = family_of(cid)
    key = next((k for k in (cid.rsplit("-", 1)[0], family) if k in FAMILY_PRACTICE), family)
    return (
        f"For {control_label(cid)} ({title}), the Example State Health Benefit Exchange meets its part as follows: "
        f"{FAMILY_PRACTICE[key]}."
    )


def main() -> None:
    catalog = resolve_profile()
    spec = load_system(DEMO)
    shutil.rmtree(DEMO / CONTROLS_DIR, ignore_errors=True)
    requirements = [(p, p.requirements()) for p in spec.providers]
    for cid, control in catalog.controls().items():
        values = {p["id"]: demo_value(p) for p in applicable_params(control)}
        parts = [(p, reqs[cid]) for p, reqs in requirements if cid in reqs]
        text = render_control(cid, catalog, parts, values)
        marker = re.compile(rf"<!-- {re.escape(TODO)}:.*?-->")
        text = marker.sub(narrative(cid, control.get("title", "")), text, count=1)
        if cid in NOT_APPLICABLE:
            text = text.replace("implementation-status: implemented", "implementation-status: not-applicable", 1)
            text = text.replace('# justification: "..."', f'justification: "{NOT_APPLICABLE[cid]}"', 1)
        assert f"### {THIS_SYSTEM}" in text
        write_atomic(control_path(DEMO, cid), text)


if __name__ == "__main__":
    main()
