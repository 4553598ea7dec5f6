"""Pieces every subcommand shares: settings from global options, output formats, one-line failures."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from marse_oscal.content import ContentStore


class OutputFormat(StrEnum):
    """Output formats of commands whose output is a result."""

    text = "text"
    json = "json"


@dataclass(frozen=True)
class Context:
    """Global options, turned into a content store only when a command needs one."""

    mirror: Path | None
    cache: Path | None
    offline: bool | None

    def store(self) -> ContentStore:
        from marse_oscal.content import ContentStore
        from marse_oscal.settings import Settings

        return ContentStore(Settings.load(mirror=self.mirror, cache=self.cache, offline=self.offline))


def store_of(ctx: typer.Context) -> ContentStore:
    return (ctx.obj or Context(None, None, None)).store()


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: <one line>` on stderr and exit."""
    sys.stderr.write(f"error: {' '.join(message.split())}\n")
    raise SystemExit(code)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
