"""`marse-oscal profile`: build, resolve, show, diff and verify the MARS-E 2.0 profile."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from marse_oscal.cli.common import OutputFormat, emit_json, fail, store_of

app = typer.Typer(
    help="The MARS-E 2.0 OSCAL profile over NIST SP 800-53 Rev. 4.",
    short_help="The MARS-E 2.0 profile: build, resolve, show, diff, verify.",
)

ProfileOption = Annotated[
    Path | None, typer.Option("--profile", "-p", help="OSCAL JSON profile (default: the shipped MARS-E 2.0).")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


def _profile_dir(profile: Path | None) -> Path:
    from marse_oscal.profile.resolve import default_profile_path

    return (profile or default_profile_path()).parent


@app.command()
def build(
    profile_dir: Annotated[
        Path | None, typer.Argument(help="Profile folder holding source/ (default: profiles/mars-e-2.0).")
    ] = None,
    check: Annotated[bool, typer.Option(help="Only report drift; exit 1 if files differ from sources.")] = False,
) -> None:
    """Generate profile.json and the supplemental catalog from the YAML sources (deterministic).

    Example: marse-oscal profile build --check
    """
    from marse_oscal.profile.build import stale_profile_documents, write_profile_documents

    directory = profile_dir or _profile_dir(None)
    if check:
        stale = stale_profile_documents(directory)
        for name in stale:
            typer.echo(f"{directory / name}: differs from its sources")
        if stale:
            raise typer.Exit(1)
        typer.echo(f"{directory}: generated files match their sources")
        return
    changed = write_profile_documents(directory)
    typer.echo(f"{len(changed)} file(s) changed in {directory}" + "".join(f"\n  {p.name}" for p in changed))


@app.command()
def resolve(
    ctx: typer.Context,
    profile: ProfileOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Resolve the profile into an OSCAL catalog (NIST text for rev4 controls, supplemental text for the rest).

    Example: marse-oscal profile resolve -o mars-e-2.0-resolved-catalog.json
    """
    import sys

    from marse_oscal.files import dump_json, write_atomic
    from marse_oscal.profile.resolve import resolve_profile

    started = time.perf_counter()
    resolved = resolve_profile(profile, store_of(ctx))
    for warning in resolved.warnings:
        typer.echo(f"warning: {warning}", err=True)
    text = dump_json(resolved.document)
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text)
    families = resolved.family_titles()
    typer.echo(
        f"{output}: {len(resolved.controls())} controls in {len(families)} families "
        f"({time.perf_counter() - started:.2f} s)",
        err=True,
    )


@app.command()
def show(
    ctx: typer.Context,
    control: Annotated[str, typer.Argument(help="Control id, e.g. AC-2(1), ac-2.1 or AR-1.")],
    profile: ProfileOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Print one control of the resolved profile with its parameters.

    Example: marse-oscal profile show 'SI-4(14)'
    """
    from marse_oscal.profile.inspect import show_control
    from marse_oscal.profile.resolve import resolve_profile

    view = show_control(resolve_profile(profile, store_of(ctx)), control)
    if output is OutputFormat.json:
        emit_json(view.as_dict())
        return
    typer.echo(f"{view.label}  {view.title}")
    typer.echo(f"family: {view.family}    source: {view.source}")
    if view.summary:
        typer.echo("NOTE: summary written by marse-oscal, NOT the official text; read the linked publication.")
    typer.echo("statement:")
    for line in view.statement:
        typer.echo(f"  {line}")
    typer.echo("parameters:" if view.params else "parameters: none")
    for param in view.params:
        typer.echo(f"  {param['id']}: {param['label']} -> {param['value']}")


@app.command()
def diff(
    ctx: typer.Context,
    baseline: Annotated[str, typer.Option(help="NIST rev4 baseline: low, moderate or high.")] = "moderate",
    profile: ProfileOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """What the profile adds to and omits from a NIST SP 800-53 Rev. 4 baseline.

    Example: marse-oscal profile diff --baseline moderate --format json
    """
    from marse_oscal.controls import control_label
    from marse_oscal.profile.inspect import BASELINES, diff_baseline
    from marse_oscal.profile.resolve import resolve_profile

    if baseline.lower() not in BASELINES:
        fail(f"--baseline {baseline!r}: choose one of {', '.join(BASELINES)}")
    store = store_of(ctx)
    result = diff_baseline(resolve_profile(profile, store), baseline.lower(), store)
    if output is OutputFormat.json:
        emit_json(result.as_dict())
        return
    typer.echo(f"NIST SP 800-53 Rev. 4 {baseline.upper()} baseline: {result.baseline_count} controls")
    typer.echo(f"added rev4 controls ({len(result.added)}): {', '.join(map(control_label, result.added))}")
    typer.echo(f"omitted rev4 controls ({len(result.omitted)}): {', '.join(map(control_label, result.omitted))}")
    for source, ids in result.supplemental.items():
        typer.echo(f"not in the rev4 catalog, {source} ({len(ids)}): {', '.join(map(control_label, ids))}")
    for cid, reason in result.excluded.items():
        typer.echo(f"excluded by decision: {reason or control_label(cid)}")


@app.command()
def verify(
    ctx: typer.Context,
    profile_dir: Annotated[
        Path | None, typer.Argument(help="Profile folder holding source/ (default: profiles/mars-e-2.0).")
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Check the profile against its sources, the OSCAL 1.2.3 schemas and the MARS-E facts; exit 1 on errors.

    Example: marse-oscal profile verify
    """
    from marse_oscal.profile.inspect import verify_profile

    result = verify_profile(profile_dir or _profile_dir(None), store_of(ctx))
    if output is OutputFormat.json:
        emit_json(
            {
                "ok": result.ok,
                "controls": result.control_count,
                "families": result.family_counts,
                "findings": [f.__dict__ for f in result.findings],
            }
        )
    else:
        counts = "  ".join(f"{k} {v}" for k, v in result.family_counts.items())
        typer.echo(f"{result.control_count} controls resolved: {counts}")
        for finding in result.findings:
            typer.echo(f"{finding.severity}: [{finding.check}] {finding.message}")
        typer.echo("profile verified" if result.ok else "profile verification FAILED")
    if not result.ok:
        raise typer.Exit(1)
