"""The customer's SSP inputs: `system.yaml` (system facts) and `controls/<family>/<control>.md` (narratives).

Errors name the file, the line and the field: an author fixing a pull request needs all three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marse_oscal.errors import InputError
from marse_oscal.validate.loaders import read_limited
from marse_oscal.validate.parsers import ParsedDocument, ParseError, parse

SYSTEM_FILE = "system.yaml"
CONTROLS_DIR = "controls"
STATUSES = ("implemented", "partial", "planned", "alternative", "not-applicable")
LEVELS = ("low", "moderate", "high")
TODO = "TODO(marse-oscal)"
THIS_SYSTEM = "This System"
SOLUTION_HEADING = "## What is the solution and how is it implemented?"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PART_HEADING = re.compile(r"^## Implementation for part ([\w.()-]+?)\.?\s*$")
_STATUS_LINE = re.compile(r"^#### Implementation Status:\s*(\S+)\s*$")


class FieldError(InputError):
    """A missing or invalid field, located as `file:line: field: reason`."""


@dataclass
class YamlFile:
    """A parsed YAML file that can say where each of its fields is."""

    path: Path
    document: ParsedDocument

    @classmethod
    def load(cls, path: Path) -> YamlFile:
        try:
            document = parse(path.name if path.suffix else f"{path.name}.yaml", read_limited(path))
        except ParseError as exc:
            raise InputError(f"{path}:{exc.line or 1}: {exc}") from None
        if not isinstance(document.data, dict):
            raise InputError(f"{path}:1: expected a mapping")
        return cls(path, document)

    def error(self, pointer: str, reason: str) -> FieldError:
        line = self.document.line_of(pointer) or 1
        name = pointer.strip("/").replace("/", ".") or "(document)"
        return FieldError(f"{self.path}:{line}: {name}: {reason}")

    def get(self, pointer: str, kind: type | tuple[type, ...] = str, required: bool = True) -> Any:
        value: Any = self.document.data
        for token in pointer.strip("/").split("/"):
            if isinstance(value, dict):
                value = value.get(token)
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                value = None
            if value is None:
                break
        if value is None:
            if required:
                raise self.error(pointer, "required")
            return None
        if not isinstance(value, kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.error(pointer, f"expected {expected}, got {type(value).__name__}")
        return value

    def choice(self, pointer: str, allowed: tuple[str, ...], required: bool = True) -> str | None:
        value = self.get(pointer, str, required)
        if value is not None and value not in allowed:
            raise self.error(pointer, f"{value!r} is not one of {', '.join(allowed)}")
        return value


@dataclass(frozen=True)
class ComponentSection:
    """One `### Component` section of a control file."""

    title: str
    text: str
    status: str | None = None  # from a trestle-style `#### Implementation Status: X` line
    line: int = 0

    @property
    def written(self) -> bool:
        """True when the author wrote prose (comments and the TODO marker do not count)."""
        return bool(_COMMENT.sub("", self.text).strip()) and TODO not in self.text

    @property
    def prose(self) -> str:
        return _COMMENT.sub("", self.text).strip()


@dataclass
class ControlFile:
    """One control's inputs: parameter values, status, justification and per-component narratives."""

    path: Path
    control_id: str
    params: dict[str, list[str]] = field(default_factory=dict)
    status: str = "implemented"
    justification: str = ""
    sections: dict[str, ComponentSection] = field(default_factory=dict)
    parts: dict[str, dict[str, ComponentSection]] = field(default_factory=dict)  # `## Implementation for part a.`


def read_control_file(path: Path) -> ControlFile:
    """Parse a control markdown file: YAML front matter, then `### Component` sections under the solution."""
    try:
        text = read_limited(path).decode("utf-8-sig")
    except (ParseError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}:1: {exc}") from None
    if not text.startswith("---\n"):
        raise InputError(f"{path}:1: expected YAML front matter starting with '---'")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise InputError(f"{path}:1: front matter is not closed with '---'")
    header_text = text[4 : end + 1]
    try:
        header = parse(f"{path.name}.yaml", header_text.encode()) if header_text.strip() else None
    except ParseError as exc:
        raise InputError(f"{path}:{(exc.line or 0) + 1}: front matter: {exc}") from None
    data = header.data if header else {}
    control = ControlFile(path, str(data.get("control-id") or path.stem))
    raw_params = data.get("x-trestle-set-params") or {}
    if not isinstance(raw_params, dict):
        raise InputError(f"{path}:2: x-trestle-set-params: expected a mapping of parameter ids")
    for param_id, entry in raw_params.items():
        values = (entry or {}).get("values") if isinstance(entry, dict) else entry
        if values is None:
            values = []
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
            line = header_text[: header_text.find(str(param_id))].count("\n") + 2
            raise InputError(f"{path}:{line}: x-trestle-set-params.{param_id}.values: expected a list of strings")
        control.params[str(param_id)] = [str(v) for v in values if str(v).strip()]
    status = str(data.get("implementation-status", "implemented"))
    if status not in STATUSES:
        line = header_text[: header_text.find("implementation-status")].count("\n") + 2
        raise InputError(f"{path}:{line}: implementation-status: {status!r} is not one of {', '.join(STATUSES)}")
    control.status = status
    control.justification = " ".join(str(data.get("justification") or "").split())
    _read_sections(control, text[end + 5 :], text[: end + 5].count("\n") + 1)
    return control


def _read_sections(control: ControlFile, body: str, first_line: int) -> None:
    """`### Component` sections under the solution heading and under `## Implementation for part X.`"""
    target: dict[str, ComponentSection] | None = None
    title: str | None = None
    lines: list[str] = []
    status: str | None = None
    start = 0

    def close() -> None:
        if target is not None and title is not None:
            target[title] = ComponentSection(title, "\n".join(lines).strip(), status, start)

    for number, line in enumerate(body.splitlines(), start=first_line):
        if line.startswith("## "):
            close()
            title = None
            part = _PART_HEADING.match(line)
            if line.strip() == SOLUTION_HEADING:
                target = control.sections
            elif part:
                target = control.parts.setdefault(part.group(1), {})
            else:
                target = None
        elif line.startswith("### ") and target is not None:
            close()
            title, lines, status, start = line[4:].split(" (provider", 1)[0].strip(), [], None, number
        elif title is not None and (found := _STATUS_LINE.match(line)):
            if found.group(1) not in STATUSES:
                raise InputError(f"{control.path}:{number}: implementation status {found.group(1)!r} is not one of "
                                 f"{', '.join(STATUSES)}")  # fmt: skip
            status = found.group(1)
        elif title is not None:
            lines.append(line)
    close()


def control_files(directory: Path) -> dict[str, ControlFile]:
    """Every control file under `controls/`, keyed by control id; a duplicate id is an error."""
    found: dict[str, ControlFile] = {}
    for path in sorted((directory / CONTROLS_DIR).rglob("*.md")):
        control = read_control_file(path)
        if control.control_id in found:
            raise InputError(f"{path}:1: control {control.control_id} is also in {found[control.control_id].path}")
        found[control.control_id] = control
    return found
