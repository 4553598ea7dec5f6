"""`marse-oscal content`: what pinned upstream content is available, and fetching it."""

from __future__ import annotations

from typing import Annotated

import typer

from marse_oscal.cli.common import OutputFormat, emit_json, store_of

app = typer.Typer(
    help="Pinned upstream content: NIST SP 800-53 Rev. 4 catalog and baselines, OSCAL schemas.",
    short_help="Pinned upstream content: status and sync.",
)


@app.command()
def status(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """Show each pinned artifact and whether it is cached, in the mirror, or missing.

    Example: marse-oscal --mirror ../shared/mirror content status
    """
    store = store_of(ctx)
    rows = store.status()
    if output is OutputFormat.json:
        emit_json(
            {
                "cache": str(store.settings.cache_dir),
                "mirror": str(store.settings.mirror_dir) if store.settings.mirror_dir else None,
                "artifacts": [
                    {"key": r.artifact.key, "url": r.artifact.url, "sha256": r.artifact.sha256, "state": r.state}
                    for r in rows
                ],
            }
        )
        return
    typer.echo(f"cache:  {store.settings.cache_dir}")
    typer.echo(f"mirror: {store.settings.mirror_dir or '(none; set MARSE_OSCAL_MIRROR)'}")
    for row in rows:
        typer.echo(f"{row.state:8} {row.artifact.key:40} {row.artifact.size:>10}  {row.artifact.url}")
    counts = {s: sum(r.state == s for r in rows) for s in ("cached", "mirror", "missing")}
    typer.echo(", ".join(f"{n} {s}" for s, n in counts.items()))


@app.command()
def sync(
    ctx: typer.Context,
    keys: Annotated[list[str] | None, typer.Argument(help="Artifact keys to sync (default: all).")] = None,
    refresh: Annotated[bool, typer.Option(help="Discard cached copies and fetch again.")] = False,
) -> None:
    """Fetch every pinned artifact into the cache (mirror first, then download) and verify its sha256.

    Example: MARSE_OSCAL_MIRROR=../shared/mirror marse-oscal content sync
    """
    store = store_of(ctx)
    synced = store.sync(keys or None, refresh=refresh)
    typer.echo(f"{len(synced)} artifacts verified in {store.settings.cache_dir}")
