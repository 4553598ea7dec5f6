"""`marse-oscal validate`: the layered OSCAL validator as a command (and a pre-commit hook)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from marse_oscal.cli.common import Context, fail


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"


LAYER_NAMES = ("parse", "schema", "model", "integrity", "marse")


def validate(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or globs: JSON, YAML, XML.")],
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    profile: Annotated[
        str | None,
        typer.Option(help="Apply the MARS-E rules with this profile: 'mars-e-2.0' or a profile path."),
    ] = None,
    with_files: Annotated[
        list[Path] | None,
        typer.Option("--with", help="Another document whose UUIDs references may point at (e.g. a leveraged SSP)."),
    ] = None,
    layers: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated layers: parse,schema,model,integrity,marse. Default: all, with the trestle "
            "model layer on SSPs, component definitions, POA&Ms and assessments; naming 'model' applies it to all."
        ),
    ] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this.")] = 64 * 1024 * 1024,
    jobs: Annotated[int, typer.Option(help="Parallel worker processes (0: one per core when worth it).")] = 0,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here as well.")] = None,
    fail_on: Annotated[
        str, typer.Option(help="Lowest severity that makes the exit code 1: error or warning.")
    ] = "error",
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour text output (default: on a TTY).")
    ] = None,
) -> None:
    """Validate OSCAL documents in layers: parse, schema, model, integrity, MARS-E rules.

    \b
    Examples:
      marse-oscal validate ssp.json
      marse-oscal validate system-security-plans/ --format sarif -o results.sarif
      marse-oscal validate leveraging-ssp.json --with leveraged-ssp.json
      marse-oscal validate ssp.yaml --profile mars-e-2.0
    Exit codes: 0 valid, 1 findings (errors), 2 usage error or unreadable input.
    """
    from marse_oscal.files import write_atomic
    from marse_oscal.schema import MODELS
    from marse_oscal.validate.findings import Layer, Severity
    from marse_oscal.validate.pipeline import MODEL_DEFAULT_SCOPE, ValidationOptions, validate_paths
    from marse_oscal.validate.reporters import render

    if fail_on not in ("error", "warning"):
        fail(f"--fail-on {fail_on!r}: choose error or warning")
    chosen = {name.strip() for name in (layers or ",".join(LAYER_NAMES)).split(",") if name.strip()}
    unknown = chosen - set(LAYER_NAMES)
    if unknown:
        fail(f"--layers: unknown layer(s) {', '.join(sorted(unknown))}; choose from {', '.join(LAYER_NAMES)}")
    settings = ctx.obj or Context(None, None, None)
    options = ValidationOptions(
        layers=frozenset(Layer(name) for name in chosen | {"parse"}),
        model_scope=frozenset(MODELS) if layers else MODEL_DEFAULT_SCOPE,
        profile=profile,
        with_files=tuple(with_files or ()),
        max_bytes=max_bytes,
        jobs=jobs,
    )
    store = settings.store()
    result = validate_paths(paths, options, store.settings)
    result.fail_on = Severity(fail_on)
    report = render(result, output_format.value, colour=color)
    sys.stdout.write(report)
    if output is not None:
        write_atomic(output, render(result, output_format.value, colour=False))
    raise typer.Exit(result.exit_code)
