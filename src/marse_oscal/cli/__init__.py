"""The `marse-oscal` command line: one typer app, subcommands in sibling modules, heavy imports deferred."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from marse_oscal.cli import compdef as compdef_cli
from marse_oscal.cli import content as content_cli
from marse_oscal.cli import demo as demo_cli
from marse_oscal.cli import profile as profile_cli
from marse_oscal.cli import report as report_cli
from marse_oscal.cli import ssp as ssp_cli
from marse_oscal.cli import validate as validate_cli
from marse_oscal.cli.common import Context, fail

app = typer.Typer(
    name="marse-oscal",
    help=(
        "CMS MARS-E 2.0 as OSCAL: the profile over NIST SP 800-53 Rev. 4, and checks of SSPs against it.\n\n"
        "\b\nExamples:\n"
        "  marse-oscal content sync        # fetch + verify pinned NIST content and OSCAL schemas\n"
        "  marse-oscal profile resolve -o mars-e-catalog.json\n"
        "  marse-oscal profile show 'AC-2(1)'\n"
        "  marse-oscal profile diff --baseline moderate\n"
        "  marse-oscal profile verify\n"
        "  marse-oscal validate ssp.json --format sarif -o results.sarif\n"
        "  marse-oscal compdef coverage\n\n"
        "Exit codes: 0 ok, 1 findings, 2 usage or input error."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(content_cli.app, name="content")
app.add_typer(profile_cli.app, name="profile")
app.add_typer(compdef_cli.app, name="compdef")
app.add_typer(ssp_cli.app, name="ssp")
app.command("validate")(validate_cli.validate)
app.command("export")(ssp_cli.export)
app.command("demo")(demo_cli.demo)
app.command("report")(report_cli.report)


@app.callback()
def configure(
    ctx: typer.Context,
    mirror: Annotated[
        Path | None,
        typer.Option(help="Offline mirror directory laid out as <host>/<path> (env MARSE_OSCAL_MIRROR)."),
    ] = None,
    cache: Annotated[Path | None, typer.Option(help="Content cache directory (env MARSE_OSCAL_CACHE).")] = None,
    offline: Annotated[
        bool | None, typer.Option("--offline/--online", help="Never download (env MARSE_OSCAL_OFFLINE).")
    ] = None,
) -> None:
    """Global options: where pinned upstream content comes from."""
    ctx.obj = Context(mirror=mirror, cache=cache, offline=offline)


def main() -> None:
    """Console entry point: every expected failure becomes one line on stderr and exit code 2.

    Typer itself handles usage errors (exit 2) and `typer.Exit`; our own errors propagate to here.
    """
    from marse_oscal.errors import MarseError

    try:
        app()
    except MarseError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        fail(f"{exc.filename or ''}{': ' if exc.filename else ''}{exc.strerror or exc}", 2)
