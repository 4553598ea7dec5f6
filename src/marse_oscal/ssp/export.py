"""Export for GRC tools: the OSCAL JSON set, YAML, a control matrix (CSV, XLSX) and a sha256 manifest.

Every file is deterministic (sorted keys where order is free, fixed timestamps inside XLSX and zip), so a
re-export of unchanged inputs changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marse_oscal.compdef.sources import OUTPUT_FILE, default_compdef_root
from marse_oscal.controls import control_label, family_of
from marse_oscal.files import dump_json, write_atomic
from marse_oscal.oscal import NAMESPACE, prop_value
from marse_oscal.profile.resolve import ResolvedCatalog

MATRIX_COLUMNS = (
    "control", "title", "family", "responsibility", "implementation status", "components", "parameters",
    "customer narrative",
)  # fmt: skip
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
_W3C_TIME = re.compile(rb">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<")


@dataclass(frozen=True)
class ExportedFile:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def matrix_rows(ssp: dict[str, Any], catalog: ResolvedCatalog) -> list[list[str]]:
    """One row per implemented requirement, for reviewers who work in spreadsheets."""
    root = ssp["system-security-plan"]
    components = {c["uuid"]: c for c in root["system-implementation"]["components"]}
    families = catalog.family_titles()
    controls = catalog.controls()
    rows = []
    for requirement in root["control-implementation"]["implemented-requirements"]:
        cid = requirement["control-id"]
        bys = requirement.get("by-components", [])
        status = prop_value(requirement, "implementation-status") or next(
            (b.get("implementation-status", {}).get("state") for b in bys if b.get("implementation-status")), ""
        )
        customer = [b["description"] for b in bys if prop_value(b, "responsibility", NAMESPACE) == "customer"]
        rows.append(
            [
                control_label(cid),
                controls.get(cid, {}).get("title", ""),
                families.get(family_of(cid), family_of(cid).upper()),
                prop_value(requirement, "responsibility", NAMESPACE) or "",
                status or "",
                "; ".join(components.get(b["component-uuid"], {}).get("title", b["component-uuid"]) for b in bys),
                "; ".join(f"{p['param-id']}={', '.join(p['values'])}" for p in requirement.get("set-parameters", [])),
                " ".join(customer),
            ]
        )
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MATRIX_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(rows: list[list[str]]) -> bytes:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "MARS-E controls"
    sheet.append(list(MATRIX_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    fixed = dt.datetime(*_FIXED_TIME)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "marse-oscal"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalised_zip(buffer.getvalue())


def _normalised_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed timestamps (members and document properties) for identical bytes.

    openpyxl stamps the save time into docProps/core.xml whatever the workbook properties say.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    members = []
    for info in source.infolist():
        content = source.read(info)
        if info.filename == "docProps/core.xml":
            content = _W3C_TIME.sub(b">2020-01-01T00:00:00Z<", content)
        members.append((info.filename, content))
    return _zip(members)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _yaml(document: dict[str, Any]) -> bytes:
    import yaml

    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120).encode("utf-8")


def export_files(ssp: dict[str, Any], catalog: ResolvedCatalog) -> list[ExportedFile]:
    """The export set for one SSP."""
    files = [
        ExportedFile("ssp.json", dump_json(ssp).encode("utf-8")),
        ExportedFile("ssp.yaml", _yaml(ssp)),
        ExportedFile("mars-e-2.0-resolved-catalog.json", dump_json(catalog.document).encode("utf-8")),
    ]
    for component in ssp["system-security-plan"]["system-implementation"]["components"]:
        name = prop_value(component, "component-definition", NAMESPACE)
        path = default_compdef_root() / str(name) / OUTPUT_FILE
        if name and path.is_file():
            files.append(ExportedFile(f"component-definitions/{name}.json", path.read_bytes()))
    rows = matrix_rows(ssp, catalog)
    files += [ExportedFile("control-matrix.csv", _csv(rows)), ExportedFile("control-matrix.xlsx", _xlsx(rows))]
    manifest = {
        "tool": "marse-oscal",
        "files": [{"path": f.name, "sha256": f.sha256, "size": len(f.data)} for f in files],
    }
    files.append(ExportedFile("manifest.json", dump_json(manifest).encode("utf-8")))
    return files


def write_export(files: list[ExportedFile], directory: Path, archive: bool) -> list[Path]:
    """Write every file atomically (and the zip of all of them when asked); returns what changed."""
    changed = [directory / f.name for f in files if write_atomic(directory / f.name, f.data)]
    if archive:
        target = directory.with_suffix(".zip")
        if write_atomic(target, _zip([(f.name, f.data) for f in files])):
            changed.append(target)
    return changed
