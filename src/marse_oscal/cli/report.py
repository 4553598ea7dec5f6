"""`marse-oscal report`: one self-contained HTML page for an SSP."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from marse_oscal.cli.common import store_of


def write_report(ssp_path: Path, output: Path, store) -> int:
    """Validate, then render; returns the number of controls. A schema-invalid SSP is an InputError."""
    from marse_oscal.errors import InputError
    from marse_oscal.files import read_json, write_atomic
    from marse_oscal.profile.resolve import resolve_profile
    from marse_oscal.report.html import control_rows, render_report
    from marse_oscal.validate import Layer, Severity, ValidationOptions, Validator

    validator = Validator(ValidationOptions(jobs=1), store)
    report = validator.validate_file(ssp_path)
    blocking = [f for f in report.findings if f.layer in (Layer.parse, Layer.schema) and f.severity is Severity.error]
    if blocking or report.model != "system-security-plan":
        reason = blocking[0].message if blocking else f"root is {report.model!r}, not system-security-plan"
        raise InputError(
            f"{ssp_path}: cannot report on it: {reason} ({len(blocking) or 1} problem(s); run `marse-oscal validate`)"
        )
    catalog = validator.context.document_catalogs.get(str(ssp_path.resolve())) or resolve_profile(store=store)
    ssp = read_json(ssp_path)
    totals = {s.value: report.count(s) for s in Severity}
    write_atomic(output, render_report(ssp, catalog, totals))
    return len(control_rows(ssp, catalog))


def report(
    ctx: typer.Context,
    ssp: Annotated[Path, typer.Argument(help="An assembled OSCAL SSP (JSON, YAML or XML).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
) -> None:
    """Write one self-contained HTML page: identity, charts, filterable control table, gaps.

    Example: marse-oscal report out/example-state-exchange/ssp.json -o report.html
    """
    count = write_report(ssp, output, store_of(ctx))
    typer.echo(f"{output}: {count} controls ({output.stat().st_size // 1024} KiB)", err=True)
