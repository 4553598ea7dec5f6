"""Finding the files to validate (files, directories, globs) and reading them within limits."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from marse_oscal.validate.parsers import ParseError

SUFFIXES = (".json", ".yaml", ".yml", ".xml")
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".trestle", "dist", ".tox"}
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def discover(arguments: Iterable[str]) -> list[Path]:
    """Files named, files with OSCAL-ish suffixes under directories, and glob matches, in order, once each."""
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if any(ch in argument for ch in "*?[") and not path.exists():
            matches = sorted(Path(m) for m in glob.glob(argument, recursive=True))
            found.extend(m for m in matches if m.is_file()) if matches else found.append(path)
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
                found.extend(Path(folder) / f for f in sorted(files) if f.lower().endswith(SUFFIXES))
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for item in found:
        unique.setdefault(item, None)
    return list(unique)


def read_limited(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; a missing, unreadable or oversized file is a ParseError."""
    try:
        if path.is_dir():
            raise ParseError("is a directory", rule="PARSE-009")
        size = path.stat().st_size
        if size > max_bytes:
            raise ParseError(f"{size} bytes is over the {max_bytes} byte limit (--max-bytes)", rule="PARSE-008")
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ParseError("no such file", rule="PARSE-009") from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", rule="PARSE-009") from None
