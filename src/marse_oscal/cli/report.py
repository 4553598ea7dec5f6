"""`marse-oscal report`: one self-contained HTML page for an SSP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from marse_oscal.cli.common import store_of

if TYPE_CHECKING:
    from marse_oscal.validate import Finding, Validator


def write_report(ssp_path: Path, output: Path, validator: Validator) -> tuple[int, list[Finding]]:
    """Validate (every layer), then render; returns the control count and the findings.

    A file that fails parsing or the schema layer is an InputError: the report needs a well-formed SSP.
    """
    from marse_oscal.errors import InputError
    from marse_oscal.files import write_atomic
    from marse_oscal.profile.resolve import resolve_profile
    from marse_oscal.report.html import control_rows, render_report
    from marse_oscal.validate import Layer, Severity
    from marse_oscal.validate.loaders import read_limited
    from marse_oscal.validate.parsers import ParseError, parse

    try:
        document = parse(ssp_path.name, read_limited(ssp_path))
    except ParseError as exc:
        raise InputError(f"{ssp_path}:{exc.line or 1}: cannot report on it: {exc}") from None
    findings = validator.validate_document(document, ssp_path)
    blocking = [f for f in findings if f.layer is Layer.schema and f.severity is Severity.error]
    if blocking or document.model != "system-security-plan":
        reason = blocking[0].message if blocking else f"root is {document.model!r}, not system-security-plan"
        raise InputError(
            f"{ssp_path}: cannot report on it: {reason} ({len(blocking) or 1} problem(s); run `marse-oscal validate`)"
        )
    catalog = validator.context.document_catalogs.get(str(ssp_path.resolve())) or resolve_profile(store=validator.store)
    rows = control_rows(document.data, catalog)
    totals = {s.value: sum(f.severity is s for f in findings) for s in Severity}
    write_atomic(output, render_report(document.data, catalog, totals, rows))
    return len(rows), findings


def report(
    ctx: typer.Context,
    ssp: Annotated[Path, typer.Argument(help="An assembled OSCAL SSP (JSON, YAML or XML).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
) -> None:
    """Write one self-contained HTML page: identity, charts, filterable control table, gaps.

    Example: marse-oscal report out/example-state-exchange/ssp.json -o report.html
    """
    from marse_oscal.validate import ValidationOptions, Validator

    count, _ = write_report(ssp, output, Validator(ValidationOptions(jobs=1), store_of(ctx)))
    typer.echo(f"{output}: {count} controls ({output.stat().st_size // 1024} KiB)", err=True)
