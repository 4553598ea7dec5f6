"""`marse-oscal demo`: the main job end to end on the embedded example exchange."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from marse_oscal.cli.common import store_of


def default_demo_dir() -> Path:
    """The embedded demo inputs: package data when installed, trestle-workspace/ in a source checkout."""
    from marse_oscal.shipped import shipped_path

    return shipped_path("_demo/example-state-exchange", "trestle-workspace/example-state-exchange")


def demo(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the outputs go.")] = Path("out"),
    inputs: Annotated[Path | None, typer.Option(help="SSP input folder (default: the embedded demo).")] = None,
) -> None:
    """Content -> profile -> component definitions -> assemble -> validate -> export, with a summary.

    Example: marse-oscal demo -o out/
    """
    from marse_oscal.cli.report import write_report
    from marse_oscal.compdef.sources import OUTPUT_FILE, build_component, is_stale, source_folders
    from marse_oscal.files import dump_json, write_atomic
    from marse_oscal.profile.inspect import verify_profile
    from marse_oscal.profile.resolve import default_profile_path, profile_href, resolve_profile
    from marse_oscal.ssp.assemble import assemble
    from marse_oscal.ssp.export import export_files, write_export
    from marse_oscal.validate import ValidationOptions, Validator

    started = time.perf_counter()
    store = store_of(ctx)
    synced = store.sync()
    typer.echo(f"content: {len(synced)} pinned artifacts verified (sha256) in {store.settings.cache_dir}")
    verification = verify_profile(default_profile_path().parent, store)
    catalog = resolve_profile(store=store)
    typer.echo(
        f"profile: MARS-E 2.0, {len(catalog.controls())} controls, {'verified' if verification.ok else 'FAILED'}"
    )
    components = [build_component(folder, store, catalog) for folder in source_folders()]
    stale = [c.folder.name for c in components if is_stale(c)]
    typer.echo(
        "component definitions: "
        + ", ".join(f"{c.folder.name} ({len(c.data.requirements)} controls)" for c in components)
        + (f"; STALE: {', '.join(stale)}" if stale else "; up to date")
    )
    source = inputs or default_demo_dir()
    target = output / source.name
    ssp_path = target / "ssp.json"
    assembly = assemble(source, catalog, profile_href(ssp_path))
    write_atomic(ssp_path, dump_json(assembly.document))
    validator = Validator(ValidationOptions(jobs=1), store)
    _, ssp_findings = write_report(ssp_path, target / "report.html", validator)  # validates the SSP once
    findings = ssp_findings + [f for c in components for f in validator.validate_file(c.folder / OUTPUT_FILE).findings]
    errors = sum(f.severity.value == "error" for f in findings)
    warnings = sum(f.severity.value == "warning" for f in findings)
    typer.echo(
        f"validate (all layers, MARS-E rules included): {errors} error(s), {warnings} warning(s), "
        f"{1 + len(components)} files"
    )
    files = export_files(assembly.document, catalog)
    write_export(files, target / "export", archive=True)
    statuses = sorted(set(assembly.statuses.values()))
    typer.echo(f"\n{'responsibility':15}" + "".join(f"{s:>16}" for s in statuses) + f"{'total':>8}")
    for responsibility in ("provider", "shared", "customer"):
        row = [c for c, r in assembly.responsibilities.items() if r == responsibility]
        counts = [sum(assembly.statuses[c] == s for c in row) for s in statuses]
        typer.echo(f"{responsibility:15}" + "".join(f"{n:>16}" for n in counts) + f"{len(row):>8}")
    typer.echo(
        f"\noutputs: {ssp_path} (SSP), {target / 'report.html'} (report), {target / 'export'}/ and "
        f"{target / 'export.zip'} (SSP JSON+YAML, resolved catalog, component definitions, control matrix, manifest)"
    )
    typer.echo(f"done in {time.perf_counter() - started:.1f} s")
    if errors or not verification.ok or stale:
        raise typer.Exit(1)
