"""`ssp init`: the input scaffold, one markdown file per MARS-E control, pre-filled from the providers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from marse_oscal.controls import control_label, family_of, sort_key
from marse_oscal.files import write_atomic
from marse_oscal.oscal import prop_value
from marse_oscal.profile.inspect import show_control
from marse_oscal.profile.resolve import ResolvedCatalog
from marse_oscal.ssp.inputs import CONTROLS_DIR, SOLUTION_HEADING, SYSTEM_FILE, THIS_SYSTEM, TODO
from marse_oscal.ssp.system import Provider
from marse_oscal.validate.checkers.marse import applicable_params

SYSTEM_TEMPLATE = """\
# System facts for the SSP. Every TODO is yours to replace; `marse-oscal ssp gaps` lists what is left.
ssp:
  title: "TODO: System Security Plan title"
  version: "0.1"
  last-modified: "2026-01-01T00:00:00Z"   # set when you publish; keeps assembled output byte-stable
system:
  id: TODO-system-id
  name: "TODO: system name"
  short-name: TODO
  description: "TODO: what the system does and for whom"
  status: under-development             # operational | under-development | under-major-modification | ...
  authorization-boundary: "TODO: what is inside the boundary"
  sensitivity: moderate                 # MARS-E 2.0 applies at moderate
  impact: {confidentiality: moderate, integrity: moderate, availability: moderate}
  information-types:
    - title: "TODO: e.g. Consumer enrollment records"
      description: "TODO"
      pii: true
      phi: false
      fti: false
      impact: {confidentiality: moderate, integrity: moderate, availability: moderate}
parties:
  - {id: organization, type: organization, name: "TODO: your organization"}
  - {id: microsoft, type: organization, name: Microsoft Corporation}
roles:
  - {id: system-owner, title: System Owner}
responsible-parties:
  system-owner: [organization]
providers:
  - component: azure-government
    leveraged-authorization:
      title: Microsoft Azure Government FedRAMP High P-ATO
      party: microsoft
      date-authorized: "TODO: date from the FedRAMP Marketplace listing (YYYY-MM-DD)"
components: []
users: []
inventory: []
"""


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_control(
    cid: str, catalog: ResolvedCatalog, providers: list[tuple[Provider, dict[str, Any]]], values: dict[str, list[str]]
) -> str:
    """The markdown input file of one control (front matter, statement for reference, component sections)."""
    view = show_control(catalog, cid)
    control = catalog.controls()[cid]
    lines = ["---", f"control-id: {cid}", "implementation-status: implemented",
             "# justification: \"...\"   # required when implementation-status is not-applicable"]  # fmt: skip
    params = applicable_params(control)
    if params:
        lines.append("x-trestle-set-params:")
        for param in params:
            choices = (param.get("select") or {}).get("choice")
            if choices:
                how = (param.get("select") or {}).get("how-many", "one")
                lines.append(f"  # selection ({how}) from: {' | '.join(' '.join(str(c).split()) for c in choices)}")
            else:
                lines.append(f"  # {' '.join(str(param.get('label', param['id'])).split())}")
            current = values.get(param["id"], [])
            rendered = "[" + ", ".join(_yaml_string(v) for v in current) + "]"
            lines.append(f"  {param['id']}:")
            lines.append(f"    values: {rendered}")
    lines += ["---", "", f"# {cid} - {view.title}", "", "## Control Statement", ""]
    if view.summary:
        lines += ["> Summary written by marse-oscal, not the official text; read the source publication.", ""]
    lines += [f"{line}" for line in view.statement] + ["", SOLUTION_HEADING, ""]
    parts = {p.title: prop_value(r, "responsibility") or "shared" for p, r in providers}
    who = "; ".join(f"{t}: {r}" for t, r in parts.items()) or "no provider component covers it"
    lines += [
        f"### {THIS_SYSTEM}",
        "",
        f"<!-- {TODO}: describe how the system meets {control_label(cid)} ({who}). Delete this comment when done. -->",
        "",
    ]
    for provider, requirement in providers:
        lines += [
            f"### {provider.title} (provider: {parts[provider.title]})",
            "",
            "<!-- From the provider's component definition; marse-oscal does not read this section. -->",
            requirement["description"],
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def control_path(directory: Path, cid: str) -> Path:
    return directory / CONTROLS_DIR / family_of(cid) / f"{cid}.md"


def scaffold_system(directory: Path) -> Path | None:
    """Write the system.yaml template unless the author already has one."""
    system = directory / SYSTEM_FILE
    if system.exists():
        return None
    write_atomic(system, SYSTEM_TEMPLATE)
    return system


def scaffold_controls(directory: Path, catalog: ResolvedCatalog, providers: list[Provider]) -> list[Path]:
    """Write missing control files; existing files are the author's and stay untouched."""
    written = []
    requirements = [(p, p.requirements()) for p in providers]
    for cid in sorted(catalog.controls(), key=sort_key):
        path = control_path(directory, cid)
        if path.exists():
            continue
        parts = [(p, reqs[cid]) for p, reqs in requirements if cid in reqs]
        write_atomic(path, render_control(cid, catalog, parts, {}))
        written.append(path)
    return written
