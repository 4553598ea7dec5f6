"""`marse-oscal compdef`: component definitions for Azure, Azure Government and Intune."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from marse_oscal.cli.common import OutputFormat, emit_json, fail, store_of

app = typer.Typer(
    help="Component definitions: what Azure, Azure Government and Intune implement for MARS-E 2.0.",
    short_help="Component definitions: import, build, coverage.",
)


@app.command("import-azure-policy")
def import_azure_policy(
    ctx: typer.Context,
    initiative: Annotated[
        list[str],
        typer.Option(help="Initiative JSON: a path, a pinned URL or a manifest key; repeat to combine versions."),
    ],
    component: Annotated[str, typer.Option(help="Component name, e.g. azure-government.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Component definition to write.")],
    policy_repo: Annotated[
        Path | None, typer.Option(help="Local checkout of Azure/azure-policy holding the referenced definitions.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Component title (default: the name).")] = None,
    platform: Annotated[str | None, typer.Option(help="Platform name used in descriptions (default: title).")] = None,
) -> None:
    """Turn an Azure Policy NIST SP 800-53 Rev. 4 initiative into a MARS-E component definition.

    \b
    Example:
      marse-oscal compdef import-azure-policy --component azure-government \\
        --initiative azure-policy-nist-r4-azure-government -o azure-government.json
    Controls of the initiative that MARS-E does not select are listed on stderr and in the metadata.
    """
    from marse_oscal.compdef.azure_policy import CheckoutPolicies, PinnedPolicies, read_initiative
    from marse_oscal.compdef.build import ComponentSpec, from_initiatives, to_oscal
    from marse_oscal.controls import control_label
    from marse_oscal.files import dump_json, read_json, write_atomic
    from marse_oscal.profile.resolve import profile_href, resolve_profile

    store = store_of(ctx)
    loaded = []
    for item in initiative:
        artifact = next((a for a in store.manifest.artifacts if item in (a.key, a.url)), None)
        if artifact is not None:
            library = CheckoutPolicies(policy_repo, "Azure%20Government" in artifact.url) if policy_repo else None
            parsed = read_initiative(store.path(artifact.key), artifact.url)
            loaded.append((parsed, library or PinnedPolicies(store, artifact.key)))
        else:
            if policy_repo is None:
                fail(f"{item}: not pinned content; give --policy-repo with the policy definitions it references")
            parsed = read_initiative(Path(item), item)
            loaded.append((parsed, CheckoutPolicies(policy_repo, "Azure Government" in item)))
    name = title or component
    spec = ComponentSpec(
        name=component,
        title=name,
        type="service",
        description=f"{name}, as the Azure Policy initiative(s) {', '.join(i.display_name for i, _ in loaded)} map it.",
        version=loaded[0][0].version or "1.0.0",
        last_modified=_now(),
    )
    data = from_initiatives(spec, loaded, resolve_profile(store=store), platform or name)
    document = to_oscal(data, profile_href(output))
    if output.is_file():
        previous = read_json(output)
        if _without_date(previous) == _without_date(document):
            document = previous  # unchanged content keeps its timestamp: no diff in git
    write_atomic(output, dump_json(document))
    if data.unselected:
        labels = ", ".join(control_label(c) for c in data.unselected)
        typer.echo(f"not in MARS-E 2.0 (reported, not imported): {labels}", err=True)
    counts = {r: sum(q.responsibility == r for q in data.requirements) for r in ("provider", "shared", "customer")}
    typer.echo(f"{output}: {len(data.requirements)} MARS-E controls {counts}", err=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _without_date(document: dict) -> str:
    copy = json.loads(json.dumps(document))
    copy.get("component-definition", {}).get("metadata", {}).pop("last-modified", None)
    return json.dumps(copy, sort_keys=True)


@app.command()
def build(
    ctx: typer.Context,
    folders: Annotated[
        list[Path] | None, typer.Argument(help="Source folders with source.yaml (default: component-definitions/*).")
    ] = None,
    check: Annotated[bool, typer.Option(help="Only report drift; exit 1 if a file differs from its source.")] = False,
) -> None:
    """Generate each component-definition.json from its source.yaml and pinned inputs (deterministic).

    Example: marse-oscal compdef build --check
    """
    from marse_oscal.compdef.sources import OUTPUT_FILE, build_component, is_stale, source_folders, write_component
    from marse_oscal.profile.resolve import resolve_profile

    store = store_of(ctx)
    profile = resolve_profile(store=store)
    stale = []
    for folder in folders or source_folders():
        built = build_component(folder, store, profile)
        if check:
            if is_stale(built):
                stale.append(folder)
                typer.echo(f"{folder / OUTPUT_FILE}: differs from its source")
            continue
        changed = write_component(built)
        counts = {
            r: sum(q.responsibility == r for q in built.data.requirements) for r in ("provider", "shared", "customer")
        }
        typer.echo(
            f"{folder / OUTPUT_FILE}: {'written' if changed else 'unchanged'}, "
            f"{len(built.data.requirements)} controls {counts}"
        )
    if stale:
        raise typer.Exit(1)


@app.command()
def coverage(
    ctx: typer.Context,
    components: Annotated[
        list[Path] | None, typer.Option("--component", help="Component definition files (default: the shipped ones).")
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """MARS-E controls by family x responsibility, and the controls no component touches.

    Example: marse-oscal compdef coverage --component component-definitions/azure-government/component-definition.json
    """
    from marse_oscal.compdef.build import coverage as compute
    from marse_oscal.compdef.sources import shipped_documents
    from marse_oscal.controls import control_label
    from marse_oscal.files import read_json
    from marse_oscal.profile.resolve import resolve_profile

    documents = [read_json(p) for p in components] if components else shipped_documents()
    if not documents:
        fail("no component definitions to measure")
    table, untouched = compute(documents, resolve_profile(store=store_of(ctx)))
    if output is OutputFormat.json:
        emit_json({"families": table, "untouched": [control_label(c) for c in untouched]})
        return
    columns = ("provider", "shared", "customer", "none")
    typer.echo("family " + " ".join(f"{c:>9}" for c in columns))
    for family, row in table.items():
        typer.echo(f"{family:6} " + " ".join(f"{row.get(c, 0):>9}" for c in columns))
    totals = {c: sum(row.get(c, 0) for row in table.values()) for c in columns}
    typer.echo("total  " + " ".join(f"{totals[c]:>9}" for c in columns))
    typer.echo(f"no component touches {len(untouched)} MARS-E controls (the customer's full burden):")
    typer.echo("  " + ", ".join(control_label(c) for c in untouched))
