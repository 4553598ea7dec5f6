"""`marse-oscal ssp`: scaffold inputs, assemble the SSP, list the gaps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from marse_oscal.cli.common import OutputFormat, emit_json, store_of

app = typer.Typer(
    help="SSP authoring in git: system.yaml + one markdown file per MARS-E control -> an OSCAL SSP.",
    short_help="SSP authoring: init, assemble, gaps.",
)
DirArgument = Annotated[Path, typer.Argument(help="The SSP input folder (system.yaml, controls/).")]


@app.command()
def init(ctx: typer.Context, directory: DirArgument) -> None:
    """Scaffold the inputs: system.yaml and one markdown file per MARS-E control, pre-filled from providers.

    Existing files are never overwritten. Example: marse-oscal ssp init my-exchange-ssp/
    """
    from marse_oscal.profile.resolve import resolve_profile
    from marse_oscal.ssp.scaffold import scaffold_controls, scaffold_system
    from marse_oscal.ssp.system import load_system

    created = [p for p in [scaffold_system(directory)] if p]
    spec = load_system(directory)
    created += scaffold_controls(directory, resolve_profile(store=store_of(ctx)), spec.providers)
    typer.echo(
        f"{len(created)} file(s) written in {directory}; next: edit them, then `marse-oscal ssp gaps {directory}`"
    )


@app.command()
def assemble(
    ctx: typer.Context,
    directory: DirArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="The SSP to write (JSON).")],
) -> None:
    """Assemble the OSCAL SSP (imports the MARS-E profile; deterministic, atomic write).

    Example: marse-oscal ssp assemble trestle-workspace/example-state-exchange -o out/ssp.json
    """
    from marse_oscal.files import dump_json, write_atomic
    from marse_oscal.profile.resolve import profile_href, resolve_profile
    from marse_oscal.ssp.assemble import assemble as build

    result = build(directory, resolve_profile(store=store_of(ctx)), profile_href(output))
    changed = write_atomic(output, dump_json(result.document))
    counts = {r: sum(v == r for v in result.responsibilities.values()) for r in ("provider", "shared", "customer")}
    typer.echo(
        f"{output}: {'written' if changed else 'unchanged'}; {len(result.responsibilities)} controls {counts}; "
        f"{len(result.missing_narratives)} narratives and {sum(map(len, result.missing_params.values()))} "
        "parameter values still missing (`marse-oscal ssp gaps`)",
        err=True,
    )


@app.command()
def gaps(
    ctx: typer.Context,
    directory: DirArgument,
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """The author's to-do list: missing narratives and parameter values by family, and TODOs in system.yaml.

    Exit 1 when anything is missing. Example: marse-oscal ssp gaps my-exchange-ssp/
    """
    from marse_oscal.profile.resolve import resolve_profile
    from marse_oscal.ssp.assemble import assemble as build
    from marse_oscal.ssp.gaps import find_gaps

    found = find_gaps(directory, build(directory, resolve_profile(store=store_of(ctx))))
    if output is OutputFormat.json:
        emit_json(found.as_dict())
    else:
        kinds = ("no-file", "narrative", "parameter", "justification")
        typer.echo(f"{'family':6} " + " ".join(f"{k:>13}" for k in kinds))
        for family, row in found.families.items():
            typer.echo(f"{family:6} " + " ".join(f"{len(row[k]):>13}" for k in kinds))
            for kind in kinds:
                if row[kind]:
                    typer.echo(f"    {kind}: {', '.join(row[kind])}")
        for todo in found.system_todos:
            typer.echo(todo)
        typer.echo(f"{found.total} gap(s)")
    if found.total:
        raise typer.Exit(1)


def export(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="An SSP input folder (assembled first) or an assembled SSP JSON.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the export set.")],
    archive: Annotated[bool, typer.Option("--zip", help="Also write <output>.zip with every file.")] = False,
) -> None:
    """Write what a GRC tool imports: SSP (JSON, YAML), resolved MARS-E catalog, component definitions,
    control matrix (CSV, XLSX) and a manifest of sha256 digests.

    Example: marse-oscal export trestle-workspace/example-state-exchange -o out/export --zip
    """
    from marse_oscal.profile.resolve import resolve_profile
    from marse_oscal.ssp.export import export_files, write_export

    catalog = resolve_profile(store=store_of(ctx))
    ssp = _load_ssp(source, catalog, output)
    files = export_files(ssp, catalog)
    changed = write_export(files, output, archive)
    typer.echo(
        f"{output}: {len(files)} files ({len(changed)} changed)"
        + (f", {output.with_suffix('.zip')}" if archive else "")
    )


def _load_ssp(source: Path, catalog, output: Path) -> dict:
    from marse_oscal.errors import InputError
    from marse_oscal.files import read_json
    from marse_oscal.profile.resolve import profile_href
    from marse_oscal.ssp.assemble import assemble as build

    if source.is_dir():
        return build(source, catalog, profile_href(output / "ssp.json")).document
    document = read_json(source)
    if not isinstance(document, dict) or "system-security-plan" not in document:
        raise InputError(f"{source}: not an OSCAL system security plan")
    return document
